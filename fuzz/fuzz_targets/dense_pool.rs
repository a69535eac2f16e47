//! Drives a `DensePool` with random operations, and with pools read from
//! arbitrary JSON or postcard bytes, checking it against a `HashMap` model:
//! the slice view holds exactly the live values, and no handle is given
//! out twice.

#![no_main]

use std::collections::{HashMap, HashSet};

use arbitrary::Arbitrary;
use arena_pool::{DensePool, Handle};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Insert(u16),
    Remove(u16),
    Get(u16),
    Retain(u8),
    Clear,
    Drain(u8),
    RoundTrip,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Ops(Vec<Op>),
    Json(String, Vec<Op>),
    Postcard(Vec<u8>, Vec<Op>),
}

fn drive(mut pool: DensePool<u16>, ops: Vec<Op>) {
    let mut model: HashMap<Handle<u16>, u16> = pool.iter().map(|(h, v)| (h, *v)).collect();
    let mut issued: HashSet<Handle<u16>> = model.keys().copied().collect();
    let mut seen: Vec<Handle<u16>> = model.keys().copied().collect();
    let pick = |seen: &Vec<Handle<u16>>, i: u16| {
        (!seen.is_empty()).then(|| seen[usize::from(i) % seen.len()])
    };
    for op in ops {
        match op {
            Op::Insert(v) => {
                let h = pool.insert(v);
                assert!(issued.insert(h), "handle given out twice");
                model.insert(h, v);
                seen.push(h);
            }
            Op::Remove(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(pool.remove(h), model.remove(&h));
                }
            }
            Op::Get(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(pool.get(h), model.get(&h));
                }
            }
            Op::Retain(m) => {
                let m = usize::from(m % 4) + 1;
                pool.retain(|h, v| (h.index() + usize::from(*v)) % m != 0);
                model.retain(|h, v| (h.index() + usize::from(*v)) % m != 0);
            }
            Op::Clear => {
                pool.clear();
                model.clear();
            }
            Op::Drain(n) => {
                for (h, v) in pool.drain().take(usize::from(n)) {
                    assert_eq!(model.get(&h), Some(&v));
                }
                model.clear();
            }
            Op::RoundTrip => {
                let bytes = postcard::to_allocvec(&pool).unwrap();
                pool = postcard::from_bytes(&bytes).unwrap();
            }
        }
        assert_eq!(pool.len(), model.len());
        let mut values = pool.as_slice().to_vec();
        let mut expected: Vec<u16> = model.values().copied().collect();
        values.sort_unstable();
        expected.sort_unstable();
        assert_eq!(values, expected);
    }
    assert!(pool.iter().all(|(h, v)| model.get(&h) == Some(v)));
}

fuzz_target!(|input: Input| {
    match input {
        Input::Ops(ops) => drive(DensePool::new(), ops),
        Input::Json(text, ops) => {
            if let Ok(pool) = serde_json::from_str::<DensePool<u16>>(&text) {
                drive(pool, ops);
            }
        }
        Input::Postcard(bytes, ops) => {
            if let Ok(pool) = postcard::from_bytes::<DensePool<u16>>(&bytes) {
                drive(pool, ops);
            }
        }
    }
});
