//! Model-based test: a `DensePool` driven by random operations and checked
//! against a `HashMap<Handle, V>`; every handle ever given out is distinct,
//! and the slice view holds exactly the model's values.

use std::collections::{HashMap, HashSet};

use arena_pool::{DensePool, Handle};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Insert(u16),
    InsertWith,
    Remove(usize),
    Get(usize),
    Bump(usize),
    Swap(usize, usize),
    Retain(u8),
    Clear,
    Drain(usize),
    Walk,
    RoundTrip,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => any::<u16>().prop_map(Op::Insert),
        1 => Just(Op::InsertWith),
        4 => any::<usize>().prop_map(Op::Remove),
        3 => any::<usize>().prop_map(Op::Get),
        2 => any::<usize>().prop_map(Op::Bump),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Swap(a, b)),
        1 => (1u8..4).prop_map(Op::Retain),
        1 => Just(Op::Clear),
        1 => (0usize..4).prop_map(Op::Drain),
        1 => Just(Op::Walk),
        1 => Just(Op::RoundTrip),
    ]
}

type V = String;

fn run(ops: &[Op]) {
    let mut pool: DensePool<V> = DensePool::new();
    let mut model: HashMap<Handle<V>, V> = HashMap::new();
    let mut issued: HashSet<Handle<V>> = HashSet::new();
    let mut seen: Vec<Handle<V>> = Vec::new();
    let pick = |seen: &Vec<Handle<V>>, i: usize| (!seen.is_empty()).then(|| seen[i % seen.len()]);
    let mut fresh = |h: Handle<V>, seen: &mut Vec<Handle<V>>| {
        assert!(issued.insert(h), "handle {h:?} given out twice");
        seen.push(h);
    };
    for op in ops {
        match *op {
            Op::Insert(v) => {
                let value = v.to_string();
                let next = pool.next_handle();
                let h = pool.insert(value.clone());
                assert_eq!(next, Some(h));
                model.insert(h, value);
                fresh(h, &mut seen);
            }
            Op::InsertWith => {
                let h = pool.insert_with(|me| format!("{me:?}"));
                model.insert(h, format!("{h:?}"));
                fresh(h, &mut seen);
            }
            Op::Remove(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(pool.remove(h), model.remove(&h));
                }
            }
            Op::Get(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(pool.get(h), model.get(&h));
                    assert_eq!(pool.contains(h), model.contains_key(&h));
                    if let Some(position) = pool.position(h) {
                        assert_eq!(Some(&pool.as_slice()[position]), model.get(&h));
                    }
                }
            }
            Op::Bump(i) => {
                if let Some(h) = pick(&seen, i) {
                    if let Some(v) = pool.get_mut(h) {
                        v.push('!');
                    }
                    if let Some(v) = model.get_mut(&h) {
                        v.push('!');
                    }
                }
            }
            Op::Swap(a, b) => {
                if let (Some(a), Some(b)) = (pick(&seen, a), pick(&seen, b)) {
                    match pool.get_disjoint_mut([a, b]) {
                        Ok([x, y]) => {
                            assert!(a != b && model.contains_key(&a) && model.contains_key(&b));
                            std::mem::swap(x, y);
                            let (va, vb) = (model[&a].clone(), model[&b].clone());
                            model.insert(a, vb);
                            model.insert(b, va);
                        }
                        Err(_) => {
                            assert!(a == b || !model.contains_key(&a) || !model.contains_key(&b));
                        }
                    }
                }
            }
            Op::Retain(m) => {
                let m = usize::from(m);
                pool.retain(|h, v| (h.index() + v.len()) % m != 0);
                model.retain(|h, v| (h.index() + v.len()) % m != 0);
            }
            Op::Clear => {
                pool.clear();
                model.clear();
            }
            Op::Drain(take) => {
                let mut drained: Vec<_> = pool.drain().take(take).collect();
                for (h, v) in drained.drain(..) {
                    assert_eq!(model.remove(&h), Some(v));
                }
                model.clear();
            }
            Op::Walk => {
                let forward: Vec<_> = pool.iter().map(|(h, v)| (h, v.clone())).collect();
                let mut back: Vec<_> = pool.iter().rev().map(|(h, v)| (h, v.clone())).collect();
                back.reverse();
                assert_eq!(forward, back);
                assert_eq!(pool.iter().len(), model.len());
                assert!(pool.keys().eq(forward.iter().map(|(h, _)| *h)));
                assert!(pool.values().eq(forward.iter().map(|(_, v)| v)));
                assert!(pool.as_slice().iter().eq(forward.iter().map(|(_, v)| v)));
                assert_eq!(pool.iter_mut().rev().count(), model.len());
            }
            Op::RoundTrip => {
                let json = serde_json::to_string(&pool).unwrap();
                pool = serde_json::from_str(&json).unwrap();
            }
        }
        assert_eq!(pool.len(), model.len());
        assert_eq!(pool.as_slice().len(), model.len());
    }
    let all: HashMap<_, _> = pool.into_iter().collect();
    assert_eq!(all, model);
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 2 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn dense_pool_matches_a_hash_map(
        ops in prop::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 300 })
    ) {
        run(&ops);
    }
}

#[test]
fn deserialising_refuses_what_does_not_add_up() {
    for bad in [
        r#"{"bound":null,"slots":[[4294967295]]}"#,
        r#"{"bound":null,"slots":[[1]]}"#,
        r#"{"bound":null,"slots":[[2,"x"]]}"#,
        r#"{"bound":null,"slots":[[1,"x","y"]]}"#,
        r#"{"bound":1,"slots":[[1,"x"],[1,"y"]]}"#,
        r#"{"bound":null}"#,
    ] {
        assert!(
            serde_json::from_str::<DensePool<String>>(bad).is_err(),
            "{bad}"
        );
    }
    let huge: DensePool<u64> = serde_json::from_str(r#"{"bound":4294967295,"slots":[]}"#).unwrap();
    assert_eq!(huge.capacity(), 0);
}
