//! Drives a `SecondaryPool` attached to a `Pool` with random operations and
//! checks it against a `HashMap` model: a value is reached only through the
//! handle it was attached to, and a handle older than its slot's newest is
//! refused. A `SparseSecondaryPool` runs beside it against its own model.

#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use arena_pool::{Handle, Pool, SecondaryPool, SparseSecondaryPool};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    PrimaryInsert,
    PrimaryRemove(u16),
    Attach(u16, u16),
    Detach(u16),
    Get(u16),
    Retain(u8),
    Clear,
}

fuzz_target!(|ops: Vec<Op>| {
    let mut primary: Pool<()> = Pool::new();
    let mut extra: SecondaryPool<(), u16> = SecondaryPool::new();
    let mut model: HashMap<Handle<()>, u16> = HashMap::new();
    // The sparse kind forgets a slot once nothing is attached to it, so it
    // has a model of its own: the values attached, nothing else.
    let mut sparse: SparseSecondaryPool<(), u16> = SparseSecondaryPool::new();
    let mut sparse_model: HashMap<Handle<()>, u16> = HashMap::new();
    let mut newest: HashMap<usize, u32> = HashMap::new();
    let mut seen: Vec<Handle<()>> = Vec::new();
    let pick = |seen: &Vec<Handle<()>>, i: u16| {
        (!seen.is_empty()).then(|| seen[usize::from(i) % seen.len()])
    };
    for op in ops {
        match op {
            Op::PrimaryInsert => seen.push(primary.insert(())),
            Op::PrimaryRemove(i) => {
                if let Some(h) = pick(&seen, i) {
                    primary.remove(h);
                }
            }
            Op::Attach(i, v) => {
                if let Some(h) = pick(&seen, i) {
                    let result = sparse.insert(h, v);
                    let newer = sparse_model
                        .keys()
                        .any(|k| k.index() == h.index() && k.generation() > h.generation());
                    if sparse_model.contains_key(&h) {
                        assert_eq!(result.ok(), Some(sparse_model.insert(h, v)));
                    } else if newer {
                        assert_eq!(result.map_err(|e| e.into_value()), Err(v));
                    } else {
                        assert_eq!(result.ok(), Some(None));
                        sparse_model.retain(|k, _| k.index() != h.index());
                        sparse_model.insert(h, v);
                    }
                    let result = extra.insert(h, v);
                    let newer = newest.get(&h.index()).is_some_and(|&g| g > h.generation());
                    if model.contains_key(&h) {
                        assert_eq!(result.ok(), Some(model.insert(h, v)));
                    } else if newer {
                        assert_eq!(result.map_err(|e| e.into_value()), Err(v));
                    } else {
                        assert_eq!(result.ok(), Some(None));
                        model.retain(|k, _| k.index() != h.index());
                        model.insert(h, v);
                        newest.insert(h.index(), h.generation());
                    }
                }
            }
            Op::Detach(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(extra.remove(h), model.remove(&h));
                    assert_eq!(sparse.remove(h), sparse_model.remove(&h));
                }
            }
            Op::Get(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(extra.get(h), model.get(&h));
                    assert_eq!(sparse.get(h), sparse_model.get(&h));
                }
            }
            Op::Retain(m) => {
                let m = usize::from(m % 4) + 1;
                extra.retain(|h, v| (h.index() + usize::from(*v)) % m != 0);
                sparse.retain(|h, v| (h.index() + usize::from(*v)) % m != 0);
                sparse_model.retain(|h, v| (h.index() + usize::from(*v)) % m != 0);
                model.retain(|h, v| (h.index() + usize::from(*v)) % m != 0);
            }
            Op::Clear => {
                extra.clear();
                model.clear();
                sparse.clear();
                sparse_model.clear();
            }
        }
        assert_eq!(extra.len(), model.len());
        assert_eq!(sparse.len(), sparse_model.len());
    }
    let all: HashMap<_, _> = sparse.iter().map(|(h, v)| (h, *v)).collect();
    assert_eq!(all, sparse_model);
    let all: HashMap<_, _> = extra.iter().map(|(h, v)| (h, *v)).collect();
    assert_eq!(all, model);
    assert_eq!(extra.iter().rev().count(), model.len());
});
