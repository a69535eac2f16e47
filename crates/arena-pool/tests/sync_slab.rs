//! `SyncSlab`: API, removal with live guards, growth, bounded slabs,
//! threads (more than cores) and a model-based property test against a
//! `Mutex<HashMap>`, growing and bounded.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use arena_pool::{OwnedSlabEntry, SlabEntry, SlabKey, SyncSlab};
use proptest::prelude::*;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
fn send_and_sync_bounds() {
    assert_send::<SyncSlab<String>>();
    assert_sync::<SyncSlab<String>>();
    // `Cell` is `Send` but not `Sync`: the slab moves, but is not shared.
    assert_send::<SyncSlab<std::cell::Cell<u8>>>();
    assert_send::<SlabEntry<'static, String>>();
    assert_sync::<SlabEntry<'static, String>>();
    // `MutexGuard` is `Sync` but not `Send`: a shared guard only reads.
    assert_sync::<SlabEntry<'static, std::sync::MutexGuard<'static, u8>>>();
    assert_send::<OwnedSlabEntry<String>>();
    assert_sync::<OwnedSlabEntry<String>>();
    assert_sync::<OwnedSlabEntry<std::sync::MutexGuard<'static, u8>>>();
    assert_send::<SlabKey>();
    assert_sync::<SlabKey>();
    // What each may not be is checked in `tests/ui/sync_slab/`.
}

/// Counts drops of its values.
#[derive(Debug)]
struct Counted(Arc<AtomicUsize>, u32);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn insert_get_remove_take() {
    let slab = SyncSlab::new();
    let a = slab.insert(String::from("a")).unwrap();
    let b = slab.insert(String::from("b")).unwrap();
    assert_ne!(a, b);
    assert_eq!(slab.len(), 2);
    assert_eq!(*slab.get(a).unwrap(), "a");
    assert!(slab.contains(b));
    assert!(slab.remove(a));
    assert!(!slab.remove(a));
    assert!(slab.get(a).is_none());
    assert_eq!(slab.take(b).as_deref(), Some("b"));
    assert_eq!(slab.take(b), None);
    assert!(slab.is_empty());
}

#[test]
fn keys_never_alias_after_reuse() {
    let slab = SyncSlab::new();
    let mut old = Vec::new();
    for i in 0..if cfg!(miri) { 70 } else { 200 } {
        let key = slab.insert(i).unwrap();
        old.push(key);
        assert!(slab.remove(key));
    }
    let live = slab.insert(-1).unwrap();
    for key in old {
        assert!(slab.get(key).is_none());
        assert!(!slab.contains(key));
        assert!(!slab.remove(key));
        assert_eq!(slab.take(key), None);
    }
    assert_eq!(*slab.get(live).unwrap(), -1);
}

#[test]
fn made_up_keys_find_nothing() {
    let slab = SyncSlab::new();
    let key = slab.insert(1u8).unwrap();
    let bits = key.to_bits();
    for made_up in [
        0,
        u64::MAX,
        bits + 1,
        bits ^ (1 << 32),        // an even generation: the slot's vacant version
        bits + (2 << 32),        // a later generation
        u64::from(u32::MAX - 1), // an index past the last page
        (1 << 32) | u64::from(u32::MAX), // the last index, an odd generation
        (1 << 32) | 64,          // an index in a page not allocated
    ] {
        let made_up = SlabKey::from_bits(made_up);
        assert!(slab.get(made_up).is_none(), "{made_up:?}");
        assert!(!slab.contains(made_up));
        assert!(!slab.remove(made_up));
        assert_eq!(slab.take(made_up), None);
    }
    assert_eq!(slab.len(), 1);
    // After the removal the slot's version is the even one after the key's
    // generation: a key made up with it removes nothing either.
    assert!(slab.remove(key));
    let vacant = SlabKey::from_bits(bits + (1 << 32));
    assert!(!slab.remove(vacant));
    assert_eq!(slab.take(vacant), None);
    assert!(slab.is_empty());
    let again = slab.insert(2u8).unwrap();
    assert_ne!(again, key);
    assert_eq!(*slab.get(again).unwrap(), 2);
    assert_eq!(slab.len(), 1);
}

#[test]
fn remove_with_live_guards_drops_at_the_last_guard() {
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = SyncSlab::new();
    let key = slab.insert(Counted(Arc::clone(&drops), 7)).unwrap();
    let first = slab.get(key).unwrap();
    let second = slab.get(key).unwrap();
    assert_eq!(slab.take(key).map(|c| c.1), None, "guards are alive");
    assert!(slab.remove(key));
    assert!(slab.get(key).is_none(), "removed at once for keys");
    assert!(!slab.contains(key));
    assert_eq!(slab.len(), 0);
    assert_eq!(first.1, 7, "guards still read the value");
    drop(first);
    assert_eq!(drops.load(Ordering::Relaxed), 0);
    assert_eq!(second.key(), key);
    drop(second);
    assert_eq!(drops.load(Ordering::Relaxed), 1, "the last guard drops it");
    // The slot is free again.
    let again = slab.insert(Counted(Arc::clone(&drops), 8)).unwrap();
    assert_eq!(again.to_bits() as u32, key.to_bits() as u32);
    assert!(slab.get(key).is_none());
    assert_eq!(slab.len(), 1);
    drop(slab);
    assert_eq!(drops.load(Ordering::Relaxed), 2);
}

/// A thread's first guard on a value is a hazard guard and its second a
/// counted one; whichever drops last drops the removed value.
#[test]
fn either_kind_of_guard_can_be_the_last() {
    for hazard_last in [false, true] {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = SyncSlab::new();
        let key = slab.insert(Counted(Arc::clone(&drops), 4)).unwrap();
        let hazard = slab.get(key).unwrap();
        let counted = slab.get(key).unwrap();
        assert!(slab.remove(key));
        let (first, last) = if hazard_last {
            (counted, hazard)
        } else {
            (hazard, counted)
        };
        drop(first);
        assert_eq!(drops.load(Ordering::Relaxed), 0, "a guard is left");
        assert_eq!(last.1, 4);
        drop(last);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            1,
            "hazard last: {hazard_last}"
        );
        assert_eq!(slab.reclaim_removed(), 0);
        assert!(slab.is_empty());
        let again = slab.insert(Counted(Arc::clone(&drops), 5)).unwrap();
        assert_eq!(
            again.to_bits() as u32,
            key.to_bits() as u32,
            "the slot is free"
        );
    }
}

/// A guard sent to another thread keeps its value, removed meanwhile, until
/// it drops there; the sending thread reads other values in the meantime.
#[test]
fn a_guard_sent_away_drops_the_value_where_it_drops() {
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = SyncSlab::new();
    let a = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
    let b = slab.insert(Counted(Arc::clone(&drops), 2)).unwrap();
    let sent = slab.get(a).unwrap();
    let (go, wait) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        let holder = s.spawn(move || {
            wait.recv().unwrap();
            assert_eq!(sent.1, 1);
            drop(sent);
        });
        assert!(slab.remove(a));
        for _ in 0..3 {
            assert_eq!(slab.get(b).unwrap().1, 2);
        }
        assert_eq!(drops.load(Ordering::Relaxed), 0, "the sent guard reads it");
        go.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1, "dropped with the guard");
    });
    assert_eq!(slab.reclaim_removed(), 0);
    assert_eq!(slab.len(), 1);
}

#[test]
fn owned_guards_keep_the_slab_alive() {
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = Arc::new(SyncSlab::new());
    let key = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
    let entry = slab.get_owned(key).unwrap();
    assert!(slab.remove(key));
    drop(slab);
    assert_eq!(drops.load(Ordering::Relaxed), 0);
    let seen = std::thread::spawn(move || entry.1).join().unwrap();
    assert_eq!(seen, 1);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

#[test]
fn a_leaked_guard_leaves_the_value_to_the_slab_drop() {
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = SyncSlab::new();
    let key = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
    std::mem::forget(slab.get(key).unwrap());
    assert!(slab.remove(key));
    assert_eq!(drops.load(Ordering::Relaxed), 0);
    drop(slab);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

#[test]
fn a_panicking_drop_frees_the_slot_first() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("boom");
        }
    }
    let slab = SyncSlab::new();
    let key = slab.insert(Bomb).unwrap();
    let result = catch_unwind(AssertUnwindSafe(|| slab.remove(key)));
    assert!(result.is_err());
    assert!(slab.is_empty());
    assert!(slab.get(key).is_none());
    let again = slab.insert(Bomb).unwrap();
    std::mem::forget(slab.take(again));
}

#[test]
fn grows_by_pages_without_moving_values() {
    let n = if cfg!(miri) { 100 } else { 5000 };
    let slab = SyncSlab::new();
    let keys: Vec<_> = (0..n).map(|i| slab.insert(i).unwrap()).collect();
    let first: *const usize = &*slab.get(keys[0]).unwrap();
    assert_eq!(slab.len(), n);
    assert!(slab.capacity() >= n);
    assert!(slab.capacity() < 2 * n + 64);
    for (i, &key) in keys.iter().enumerate() {
        assert_eq!(*slab.get(key).unwrap(), i);
    }
    assert_eq!(first, &*slab.get(keys[0]).unwrap() as *const usize);
    for &key in keys.iter().step_by(2) {
        assert!(slab.remove(key));
    }
    assert_eq!(slab.len(), n / 2);
    let capacity = slab.capacity();
    for i in 0..n / 2 {
        slab.insert(i).unwrap();
    }
    assert_eq!(slab.capacity(), capacity, "freed slots are reused first");
}

#[test]
fn with_capacity_preallocates_and_grows() {
    let slab = SyncSlab::with_capacity(100);
    assert!(!slab.is_bounded());
    assert_eq!(slab.capacity(), 64 + 128);
    for i in 0..300 {
        slab.insert(i).unwrap();
    }
    assert!(slab.capacity() >= 300);
}

/// A bounded slab has exactly its slots, fills them all (across pages and
/// the short last page), refuses one more with the value back, and reuses a
/// freed slot without growing.
#[test]
fn bounded_holds_exactly_its_capacity() {
    let sizes: &[usize] = if cfg!(miri) {
        &[0, 1, 65]
    } else {
        &[0, 1, 7, 63, 64, 65, 191, 192, 193, 1000]
    };
    for &n in sizes {
        let slab = SyncSlab::bounded(n);
        assert!(slab.is_bounded());
        assert_eq!(slab.capacity(), n);
        let keys: Vec<_> = (0..n).map(|i| slab.insert(i).unwrap()).collect();
        assert_eq!(slab.len(), n);
        let full = slab.insert(usize::MAX).unwrap_err();
        assert_eq!(full.slots(), n);
        assert_eq!(full.into_value(), usize::MAX);
        assert_eq!(slab.capacity(), n, "a bounded slab never grows");
        let mut indices: Vec<u32> = keys.iter().map(|k| k.to_bits() as u32).collect();
        indices.sort_unstable();
        assert!(
            indices.iter().copied().eq(0..n as u32),
            "slots 0..{n}, once each"
        );
        for (i, &key) in keys.iter().enumerate() {
            assert_eq!(*slab.get(key).unwrap(), i);
        }
        if let Some(&last) = keys.last() {
            assert_eq!(slab.take(last), Some(n - 1));
            let again = slab.insert(n).unwrap();
            assert_eq!(again.to_bits() as u32, last.to_bits() as u32);
            assert!(slab.get(last).is_none());
            assert!(slab.insert(0).is_err());
        }
    }
}

/// Keys past a bounded slab's last slot, in its short last page or in
/// pages it does not have, find nothing.
#[test]
fn bounded_keys_past_the_bound_find_nothing() {
    let slab = SyncSlab::bounded(70);
    let keys: Vec<_> = (0..70).map(|i| slab.insert(i).unwrap()).collect();
    for index in [70u64, 100, 191, 192, 1000, u64::from(u32::MAX)] {
        for generation in [1u64, 2, 3] {
            let made_up = SlabKey::from_bits((generation << 32) | index);
            assert!(slab.get(made_up).is_none(), "{made_up:?}");
            assert!(!slab.contains(made_up));
            assert!(!slab.remove(made_up));
            assert_eq!(slab.take(made_up), None);
        }
    }
    assert_eq!(slab.len(), keys.len());
}

/// A removed value that a guard still reads keeps its slot until the guard
/// drops: a full bounded slab stays full until then.
#[test]
fn bounded_slot_waits_for_the_last_guard() {
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = SyncSlab::bounded(1);
    let key = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
    let guard = slab.get(key).unwrap();
    assert!(slab.remove(key));
    assert_eq!(slab.len(), 0);
    let refused = slab.insert(Counted(Arc::clone(&drops), 2)).unwrap_err();
    assert_eq!(refused.into_value().1, 2);
    assert_eq!(drops.load(Ordering::Relaxed), 1, "only the refused value");
    assert_eq!(guard.1, 1);
    drop(guard);
    assert_eq!(drops.load(Ordering::Relaxed), 2);
    let again = slab.insert(Counted(Arc::clone(&drops), 3)).unwrap();
    assert_eq!(slab.get(again).unwrap().1, 3);
}

/// Threads fill a bounded slab and empty it again, many times: it never
/// holds more than its slots, every value is found by its key, and once
/// the threads have exited every slot is free again (their caches are
/// taken back).
#[test]
fn bounded_under_threads() {
    let threads = if cfg!(miri) { 2 } else { 4 };
    let rounds = if cfg!(miri) { 3 } else { 200 };
    let capacity = if cfg!(miri) { 20 } else { 300 };
    let slab = SyncSlab::bounded(capacity);
    let live = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (slab, live, refused) = (&slab, &live, &refused);
            s.spawn(move || {
                for round in 0..rounds {
                    let mut mine = Vec::new();
                    // Until the slab is full.
                    for i in 0.. {
                        let value = (t, round, i);
                        match slab.insert(value) {
                            Ok(key) => {
                                let now = live.fetch_add(1, Ordering::Relaxed) + 1;
                                assert!(now <= capacity, "{now} values in {capacity} slots");
                                mine.push((key, value));
                            }
                            Err(full) => {
                                assert_eq!(full.into_value(), value);
                                refused.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                    for (key, value) in mine {
                        assert_eq!(*slab.get(key).unwrap(), value);
                        live.fetch_sub(1, Ordering::Relaxed);
                        assert_eq!(slab.take(key), Some(value));
                    }
                }
            });
        }
    });
    assert_eq!(refused.load(Ordering::Relaxed), threads * rounds);
    assert!(slab.is_empty());
    assert_eq!(slab.capacity(), capacity);
    let keys: Vec<_> = (0..capacity)
        .map(|i| slab.insert((0, 0, i)).unwrap())
        .collect();
    assert!(slab.insert((0, 0, 0)).is_err());
    assert_eq!(keys.len(), capacity);
}

#[test]
#[should_panic(expected = "at most 2^32 - 64")]
fn bounded_past_the_most_slots_panics() {
    let _ = SyncSlab::<()>::bounded(u32::MAX as usize);
}

#[test]
fn unique_iter_and_get_mut() {
    let mut slab = SyncSlab::with_capacity(10);
    let keys: Vec<_> = (0..10).map(|i| slab.insert(i).unwrap()).collect();
    slab.remove(keys[3]);
    *slab.get_mut(keys[4]).unwrap() = 40;
    assert!(slab.get_mut(keys[3]).is_none());
    let all: Vec<_> = slab.unique_iter().map(|(k, v)| (k, *v)).collect();
    let mut expected: Vec<_> = keys
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != 3)
        .map(|(i, &k)| (k, if i == 4 { 40 } else { i }))
        .collect();
    // In index order: the key's low half.
    expected.sort_by_key(|(k, _)| k.to_bits() as u32);
    assert_eq!(all, expected);
}

#[test]
fn zero_sized_values() {
    let slab = SyncSlab::new();
    let n = if cfg!(miri) { 30 } else { 100 };
    let keys: Vec<_> = (0..n).map(|_| slab.insert(()).unwrap()).collect();
    assert_eq!(slab.len(), n);
    for key in keys {
        assert_eq!(slab.take(key), Some(()));
    }
    assert!(slab.is_empty());
}

#[test]
fn over_aligned_values() {
    #[repr(align(4096))]
    struct Page(u8);
    let slab = SyncSlab::new();
    let keys: Vec<_> = (0..3).map(|i| slab.insert(Page(i)).unwrap()).collect();
    for (i, &key) in keys.iter().enumerate() {
        let entry = slab.get(key).unwrap();
        assert_eq!((&*entry as *const Page as usize) % 4096, 0);
        assert_eq!(entry.0 as usize, i);
    }
}

/// More threads than cores insert, read, remove and take at once; every
/// value is seen once, by its key only.
#[test]
fn stress_many_threads() {
    let threads = if cfg!(miri) {
        3
    } else {
        4 * std::thread::available_parallelism().map_or(2, |n| n.get())
    };
    let rounds = if cfg!(miri) { 20 } else { 2000 };
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = SyncSlab::new();
    let barrier = Barrier::new(threads);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (slab, barrier, drops) = (&slab, &barrier, &drops);
            s.spawn(move || {
                barrier.wait();
                let mut mine = Vec::new();
                for i in 0..rounds {
                    let tag = (t * rounds + i) as u32;
                    let key = slab.insert(Counted(Arc::clone(drops), tag)).unwrap();
                    assert_eq!(slab.get(key).unwrap().1, tag);
                    mine.push((key, tag));
                    if i % 3 == 2 {
                        let (key, tag) = mine.swap_remove(i % mine.len());
                        let guard = slab.get(key).unwrap();
                        assert_eq!(guard.1, tag);
                        if i % 2 == 0 {
                            assert!(slab.remove(key));
                        } else {
                            drop(guard);
                            assert_eq!(slab.take(key).unwrap().1, tag);
                        }
                        assert!(slab.get(key).is_none());
                    }
                }
                for (key, tag) in mine {
                    assert_eq!(slab.get(key).unwrap().1, tag);
                }
            });
        }
    });
    let removed = threads * (rounds / 3);
    assert_eq!(drops.load(Ordering::Relaxed), removed);
    assert_eq!(slab.len(), threads * rounds - removed);
    drop(slab);
    assert_eq!(drops.load(Ordering::Relaxed), threads * rounds);
}

/// Readers keep guards on values that other threads remove; the values
/// are dropped once, after their last guard (or by the sweep after it).
#[test]
fn removal_races_with_readers() {
    let rounds = if cfg!(miri) { 10 } else { 1000 };
    let drops = Arc::new(AtomicUsize::new(0));
    let slab = Arc::new(SyncSlab::new());
    let keys: Arc<Mutex<Vec<SlabKey>>> = Arc::default();
    std::thread::scope(|s| {
        let (slab2, keys2, drops2) = (Arc::clone(&slab), Arc::clone(&keys), Arc::clone(&drops));
        s.spawn(move || {
            for i in 0..rounds {
                let key = slab2.insert(Counted(Arc::clone(&drops2), i)).unwrap();
                keys2.lock().unwrap().push(key);
                if i % 2 == 1 {
                    let old = keys2.lock().unwrap().remove(0);
                    slab2.remove(old);
                }
            }
        });
        for _ in 0..2 {
            let (slab, keys) = (Arc::clone(&slab), Arc::clone(&keys));
            s.spawn(move || {
                for _ in 0..rounds {
                    let key = keys.lock().unwrap().last().copied();
                    if let Some(entry) = key.and_then(|k| slab.get_owned(k)) {
                        assert_eq!(entry.key(), key.unwrap());
                        std::hint::black_box(entry.1);
                    }
                }
            });
        }
    });
    // A guard that dropped at the moment of its value's removal leaves the
    // value to a sweep.
    slab.reclaim_removed();
    assert_eq!(drops.load(Ordering::Relaxed), rounds as usize / 2);
    assert_eq!(slab.len(), rounds as usize / 2);
    assert_eq!(slab.reclaim_removed(), 0);
}

#[derive(Clone, Debug)]
enum Op {
    Insert(u16),
    Get(usize),
    Remove(usize),
    Take(usize),
    Hold(usize),
    Release,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<u16>().prop_map(Op::Insert),
        2 => any::<usize>().prop_map(Op::Get),
        2 => any::<usize>().prop_map(Op::Remove),
        1 => any::<usize>().prop_map(Op::Take),
        1 => any::<usize>().prop_map(Op::Hold),
        1 => Just(Op::Release),
    ]
}

/// Runs `ops` on `slab` and on a `Mutex<HashMap>` side by side: every key
/// ever handed out is looked up, removed or taken, with guards held across
/// removals. A bounded slab (`bound`) refuses an insert exactly when its
/// slots all hold values or removed values that guards still read.
fn check_against_model(
    slab: &SyncSlab<u16>,
    bound: Option<usize>,
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    let model: Mutex<HashMap<SlabKey, u16>> = Mutex::default();
    let mut keys: Vec<SlabKey> = Vec::new();
    let mut held: Vec<(SlabEntry<'_, u16>, u16)> = Vec::new();
    for op in ops {
        let pick = |i: usize| (!keys.is_empty()).then(|| keys[i % keys.len()]);
        match op {
            Op::Insert(value) => {
                let mut model = model.lock().unwrap();
                let mut waiting: Vec<SlabKey> = held
                    .iter()
                    .map(|(e, _)| e.key())
                    .filter(|key| !model.contains_key(key))
                    .collect();
                waiting.sort_unstable();
                waiting.dedup();
                let full = bound.is_some_and(|n| model.len() + waiting.len() == n);
                match slab.insert(value) {
                    Ok(key) => {
                        prop_assert!(!full, "an insert into a full slab");
                        prop_assert!(
                            model.insert(key, value).is_none(),
                            "a key was handed out twice"
                        );
                        keys.push(key);
                    }
                    Err(refused) => {
                        prop_assert!(full, "a refused insert with free slots");
                        prop_assert_eq!(Some(refused.slots()), bound);
                        prop_assert_eq!(refused.into_value(), value);
                    }
                }
            }
            Op::Get(i) => {
                if let Some(key) = pick(i) {
                    let expected = model.lock().unwrap().get(&key).copied();
                    prop_assert_eq!(slab.get(key).map(|e| *e), expected);
                    prop_assert_eq!(slab.contains(key), expected.is_some());
                }
            }
            Op::Remove(i) => {
                if let Some(key) = pick(i) {
                    let expected = model.lock().unwrap().remove(&key).is_some();
                    prop_assert_eq!(slab.remove(key), expected);
                }
            }
            Op::Take(i) => {
                if let Some(key) = pick(i) {
                    let guarded = held.iter().any(|(e, _)| e.key() == key);
                    let mut model = model.lock().unwrap();
                    let expected = if guarded { None } else { model.remove(&key) };
                    prop_assert_eq!(slab.take(key), expected);
                }
            }
            Op::Hold(i) => {
                if let Some(entry) = pick(i).and_then(|key| slab.get(key)) {
                    let value = *entry;
                    held.push((entry, value));
                }
            }
            Op::Release => {
                held.pop();
                // On one thread the last guard drops a removed value
                // itself: nothing is left for a sweep.
                prop_assert_eq!(slab.reclaim_removed(), 0);
            }
        }
        for (entry, value) in &held {
            prop_assert_eq!(**entry, *value, "a guard's value changed");
        }
        prop_assert_eq!(slab.len(), model.lock().unwrap().len());
        if let Some(n) = bound {
            prop_assert_eq!(slab.capacity(), n);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 2 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A growing slab against a `Mutex<HashMap>`.
    #[test]
    fn behaves_like_a_locked_map(ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 300 })) {
        check_against_model(&SyncSlab::new(), None, ops)?;
    }

    /// A bounded slab, small enough to fill (its bound across the first
    /// pages, or inside the first), against a `Mutex<HashMap>`.
    #[test]
    fn bounded_behaves_like_a_locked_map(
        capacity in 0usize..if cfg!(miri) { 8 } else { 100 },
        ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 300 }),
    ) {
        check_against_model(&SyncSlab::bounded(capacity), Some(capacity), ops)?;
    }
}
