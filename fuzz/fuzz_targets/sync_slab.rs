//! Drives a `SyncSlab` with arbitrary inserts, lookups, removals, takes,
//! held guards and made-up keys, on the fuzzing thread and a second one,
//! against a `HashMap` model; checks every value is dropped exactly once.

#![no_main]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use arena_pool::{SlabKey, SyncSlab};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Insert(u32),
    Get(u16),
    Remove(u16),
    Take(u16),
    Hold(u16),
    Release,
    MadeUp(u64),
    /// Inserts and removes on a second thread, keeping what it inserted.
    Thread(Vec<u32>),
}

struct Counted(Arc<AtomicUsize>, u32);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut made = 0usize;
    let slab = SyncSlab::new();
    let mut model: HashMap<SlabKey, u32> = HashMap::new();
    let mut keys: Vec<SlabKey> = Vec::new();
    let mut held = Vec::new();
    for op in ops {
        let pick = |i: u16| (!keys.is_empty()).then(|| keys[usize::from(i) % keys.len()]);
        match op {
            Op::Insert(value) => {
                let key = slab.insert(Counted(Arc::clone(&drops), value)).ok().unwrap();
                made += 1;
                assert!(model.insert(key, value).is_none());
                keys.push(key);
            }
            Op::Get(i) => {
                if let Some(key) = pick(i) {
                    assert_eq!(slab.get(key).map(|e| e.1), model.get(&key).copied());
                }
            }
            Op::Remove(i) => {
                if let Some(key) = pick(i) {
                    assert_eq!(slab.remove(key), model.remove(&key).is_some());
                }
            }
            Op::Take(i) => {
                if let Some(key) = pick(i) {
                    let guarded = held.iter().any(|(k, _, _): &(SlabKey, u32, _)| *k == key);
                    let expected = if guarded { None } else { model.remove(&key) };
                    assert_eq!(slab.take(key).map(|c| c.1), expected);
                }
            }
            Op::Hold(i) => {
                if let Some(entry) = pick(i).and_then(|key| slab.get(key)) {
                    held.push((entry.key(), entry.1, entry));
                }
            }
            Op::Release => {
                held.pop();
                // One thread: the last guard dropped its removed value.
                assert_eq!(slab.reclaim_removed(), 0);
            }
            Op::MadeUp(bits) => {
                let key = SlabKey::from_bits(bits);
                assert_eq!(slab.get(key).map(|e| e.1), model.get(&key).copied());
                assert_eq!(slab.contains(key), model.contains_key(&key));
            }
            Op::Thread(values) => {
                let count = values.len();
                let inserted: Vec<(SlabKey, u32)> = std::thread::scope(|s| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        for (i, value) in values.into_iter().enumerate() {
                            let key = slab.insert(Counted(Arc::clone(&drops), value)).ok().unwrap();
                            if i % 2 == 1 {
                                assert!(slab.remove(key));
                            } else {
                                mine.push((key, value));
                            }
                        }
                        mine
                    })
                    .join()
                    .unwrap()
                });
                made += count;
                for (key, value) in inserted {
                    assert!(model.insert(key, value).is_none());
                    keys.push(key);
                }
            }
        }
        for (_, value, entry) in &held {
            assert_eq!(entry.1, *value, "a guard's value changed");
        }
        assert_eq!(slab.len(), model.len());
    }
    drop(held);
    drop(slab);
    assert_eq!(drops.load(Ordering::Relaxed), made);
});
