//! `SyncPool`: API, thread safety, stress and a model-based property test.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use arena_pool::{OwnedPoolBox, PoolBox, SyncPool};
use proptest::prelude::*;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
fn send_and_sync_bounds() {
    assert_send::<SyncPool<String>>();
    assert_sync::<SyncPool<String>>();
    // `Cell` is `Send` but not `Sync`: the pool is still `Sync`, because no
    // `&T` is ever shared through it.
    assert_sync::<SyncPool<std::cell::Cell<u8>>>();
    assert_send::<PoolBox<'static, String>>();
    assert_sync::<PoolBox<'static, String>>();
    assert_send::<PoolBox<'static, std::cell::Cell<u8>>>();
    assert_send::<OwnedPoolBox<String>>();
    assert_sync::<OwnedPoolBox<String>>();
    assert_send::<OwnedPoolBox<std::cell::Cell<u8>>>();
    // What each may not be is checked in `tests/ui/sync_pool/`.
}

#[test]
fn alloc_until_full_then_reuse() {
    let pool = SyncPool::bounded(4);
    let boxes: Vec<_> = (0..4).map(|i| pool.alloc(i)).collect();
    assert_eq!(pool.len(), 4);
    assert_eq!(pool.try_alloc(99).unwrap_err().into_value(), 99);
    let values: Vec<i32> = boxes.iter().map(|b| **b).collect();
    assert_eq!(values, [0, 1, 2, 3]);
    drop(boxes);
    assert!(pool.is_empty());
    let again: Vec<_> = (0..4).map(|i| pool.alloc(i)).collect();
    assert_eq!(again.len(), 4);
}

#[test]
fn large_pool_is_fully_usable_on_one_thread() {
    // Bigger than the per-thread cache, so frees spill to the shared bitmap.
    let n = if cfg!(miri) { 80 } else { 1000 };
    let pool = SyncPool::bounded(n);
    for round in 0..3 {
        let boxes: Vec<_> = (0..n).map(|i| pool.alloc(i + round)).collect();
        assert!(pool.try_alloc(0).is_err());
        assert_eq!(pool.len(), n);
        for (i, b) in boxes.iter().enumerate() {
            assert_eq!(**b, i + round);
        }
    }
    assert_eq!(pool.len(), 0);
}

#[test]
fn values_are_dropped_once() {
    let drops = AtomicUsize::new(0);
    #[derive(Debug)]
    struct Counted<'a>(&'a AtomicUsize);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let pool = SyncPool::bounded(3);
    let a = pool.alloc(Counted(&drops));
    let b = pool.alloc(Counted(&drops));
    drop(a);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
    let inner = b.into_inner();
    assert_eq!(drops.load(Ordering::Relaxed), 1);
    drop(inner);
    assert_eq!(drops.load(Ordering::Relaxed), 2);
    let rejected = SyncPool::bounded(0)
        .try_alloc(Counted(&drops))
        .unwrap_err()
        .into_value();
    drop(rejected);
    assert_eq!(drops.load(Ordering::Relaxed), 3);
}

#[test]
fn panicking_drop_still_frees_the_slot() {
    #[derive(Debug)]
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("boom");
        }
    }
    let pool = SyncPool::bounded(1);
    let boxed = pool.alloc(Bomb);
    assert!(catch_unwind(AssertUnwindSafe(|| drop(boxed))).is_err());
    assert_eq!(pool.len(), 0);
    let again = pool.alloc(Bomb);
    std::mem::forget(again);
}

#[test]
fn owned_boxes_cross_threads_and_outlive_the_handle() {
    let pool = Arc::new(SyncPool::bounded(8));
    let boxes: Vec<OwnedPoolBox<String>> =
        (0..8).map(|i| pool.alloc_owned(format!("v{i}"))).collect();
    let weak = Arc::downgrade(&pool);
    drop(pool);
    let handles: Vec<_> = boxes
        .into_iter()
        .map(|b| std::thread::spawn(move || b.len()))
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 2);
    }
    // Every box is gone, and with them the pool.
    assert!(weak.upgrade().is_none());
}

#[test]
fn slots_freed_by_exited_threads_come_back() {
    // The cache limit of this pool is 8 per thread; a worker frees
    // everything into its cache and exits (`join` waits for its thread-local
    // destructors); the main thread must get all of it back.
    let pool = Arc::new(SyncPool::bounded(64));
    let boxes: Vec<_> = (0..64).map(|i| pool.alloc_owned(i)).collect();
    std::thread::spawn(move || drop(boxes)).join().unwrap();
    assert_eq!(pool.len(), 0);
    let again: Vec<_> = (0..64).map(|i| pool.alloc(i)).collect();
    assert_eq!(again.len(), 64);
}

#[test]
fn slots_cached_by_a_live_thread_come_back_after_its_next_free() {
    let pool = SyncPool::bounded(16); // cache limit 2
    let go = Barrier::new(2);
    let done = Barrier::new(2);
    std::thread::scope(|s| {
        s.spawn(|| {
            let boxes: Vec<_> = (0..16).map(|i| pool.alloc(i)).collect();
            drop(boxes); // two stay in this thread's cache
            go.wait();
            done.wait();
            // This free sees the request and empties the cache.
            drop(pool.alloc(0));
            go.wait();
        });
        go.wait();
        let most: Vec<_> = (0..14).map(|i| pool.alloc(i)).collect();
        // The other thread's cache is out of reach for now.
        assert!(pool.try_alloc(0).is_err());
        done.wait();
        go.wait();
        let rest: Vec<_> = (0..2).map(|i| pool.alloc(i)).collect();
        assert_eq!(most.len() + rest.len(), 16);
    });
}

/// Several threads allocate, write, read back and free; each value names its
/// owner and round, and a shared set checks no slot has two owners at once.
#[test]
fn stress_no_value_lost_or_shared() {
    let threads = if cfg!(miri) { 3 } else { 8 };
    let per_thread = if cfg!(miri) { 3 } else { 20 };
    stress_threads(
        &SyncPool::bounded(threads * per_thread),
        threads,
        per_thread,
    );
}

/// The same on a pool that starts empty and grows while the threads
/// allocate: more threads than cores install parts while others allocate
/// and free.
#[test]
fn stress_growing_pool() {
    let threads = if cfg!(miri) { 3 } else { 8 };
    let per_thread = if cfg!(miri) { 3 } else { 20 };
    let pool = SyncPool::new();
    stress_threads(&pool, threads, per_thread);
    assert!(pool.capacity() >= threads);
}

fn stress_threads(pool: &SyncPool<(usize, usize, usize)>, threads: usize, per_thread: usize) {
    let rounds = if cfg!(miri) { 20 } else { 2_000 };
    let live_addrs = Mutex::new(HashSet::new());
    std::thread::scope(|s| {
        for t in 0..threads {
            let (pool, live_addrs) = (&pool, &live_addrs);
            s.spawn(move || {
                let mut held = Vec::new();
                for round in 0..rounds {
                    let want = 1 + (round * 7 + t) % per_thread;
                    while held.len() < want {
                        let b = pool.alloc((t, round, held.len()));
                        let addr = &*b as *const _ as usize;
                        assert!(live_addrs.lock().unwrap().insert(addr), "slot shared");
                        held.push(b);
                    }
                    for (k, b) in held.iter().enumerate() {
                        assert_eq!(b.0, t);
                        assert_eq!(b.2, k);
                    }
                    while held.len() > want / 2 {
                        let b = held.pop().unwrap();
                        let addr = &*b as *const _ as usize;
                        assert!(live_addrs.lock().unwrap().remove(&addr));
                        drop(b);
                    }
                }
                for b in held.drain(..) {
                    live_addrs
                        .lock()
                        .unwrap()
                        .remove(&(&*b as *const _ as usize));
                }
            });
        }
    });
    assert_eq!(pool.len(), 0);
    assert!(live_addrs.lock().unwrap().is_empty());
}

/// Boxes allocated on one thread and dropped on another.
#[test]
fn stress_cross_thread_frees() {
    let rounds = if cfg!(miri) { 30 } else { 20_000 };
    let pool = SyncPool::bounded(32);
    let (tx, rx) = std::sync::mpsc::sync_channel::<PoolBox<'_, u64>>(8);
    std::thread::scope(|s| {
        let pool = &pool;
        s.spawn(move || {
            for i in 0..rounds {
                let mut value = i;
                loop {
                    match pool.try_alloc(value) {
                        Ok(b) => {
                            tx.send(b).unwrap();
                            break;
                        }
                        Err(full) => {
                            value = full.into_value();
                            std::thread::yield_now();
                        }
                    }
                }
            }
        });
        s.spawn(move || {
            let mut expected = 0;
            while let Ok(b) = rx.recv() {
                assert_eq!(*b, expected);
                expected += 1;
            }
            assert_eq!(expected, rounds);
        });
    });
    assert_eq!(pool.len(), 0);
}

/// The most operations of one model run (fewer under Miri).
const MODEL_OPS: usize = if cfg!(miri) { 50 } else { 80 };

#[derive(Debug, Clone)]
enum Op {
    Alloc(u32),
    Free(usize),
    IntoInner(usize),
    Mutate(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u32>().prop_map(Op::Alloc),
        any::<usize>().prop_map(Op::Free),
        any::<usize>().prop_map(Op::IntoInner),
        any::<usize>().prop_map(Op::Mutate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random operations against a `Vec` model: same values, same failures,
    /// same length.
    #[test]
    /// A growing pool never fails, and no value moves while it grows.
    fn matches_a_vec_model(
        capacity in 0usize..40,
        growing in any::<bool>(),
        ops in proptest::collection::vec(op(), 0..MODEL_OPS),
    ) {
        let pool = if growing { SyncPool::with_capacity(capacity) } else { SyncPool::bounded(capacity) };
        let mut boxes: Vec<PoolBox<'_, u32>> = Vec::new();
        let mut addresses: Vec<usize> = Vec::new();
        let mut model: Vec<u32> = Vec::new();
        for op in ops {
            match op {
                Op::Alloc(v) => match pool.try_alloc(v) {
                    Ok(b) => {
                        addresses.push(&*b as *const u32 as usize);
                        boxes.push(b);
                        model.push(v);
                    }
                    Err(full) => {
                        prop_assert!(!growing, "a growing pool failed");
                        prop_assert_eq!(full.slots(), capacity);
                        prop_assert_eq!(full.into_value(), v);
                        prop_assert_eq!(model.len(), capacity);
                    }
                },
                Op::Free(i) if !model.is_empty() => {
                    let i = i % model.len();
                    drop(boxes.swap_remove(i));
                    addresses.swap_remove(i);
                    model.swap_remove(i);
                }
                Op::IntoInner(i) if !model.is_empty() => {
                    let i = i % model.len();
                    addresses.swap_remove(i);
                    prop_assert_eq!(boxes.swap_remove(i).into_inner(), model.swap_remove(i));
                }
                Op::Mutate(i) if !model.is_empty() => {
                    let i = i % model.len();
                    *boxes[i] = boxes[i].wrapping_add(1);
                    model[i] = model[i].wrapping_add(1);
                }
                _ => {}
            }
            prop_assert_eq!(pool.len(), model.len());
            prop_assert!(pool.capacity() >= model.len());
            let seen: Vec<u32> = boxes.iter().map(|b| **b).collect();
            prop_assert_eq!(&seen, &model);
            let now: Vec<usize> = boxes.iter().map(|b| &**b as *const u32 as usize).collect();
            prop_assert_eq!(&now, &addresses, "a value moved");
        }
    }
}

/// A cache whose limit is one slot (pools of 8 to 15 slots) never holds
/// two: after the main thread frees two of eight live values, another thread
/// finds one of them at once (the other stays in the main thread's cache).
#[test]
fn a_cache_of_one_slot_holds_one() {
    let pool = SyncPool::bounded(8);
    let mut boxes: Vec<_> = (0..8).map(|i| pool.alloc(i)).collect();
    drop(boxes.pop());
    drop(boxes.pop());
    assert_eq!(pool.len(), 6);
    let got = std::thread::scope(|s| {
        s.spawn(|| pool.try_alloc(8).map(|b| *b).ok())
            .join()
            .unwrap()
    });
    assert_eq!(got, Some(8));
}

/// `alloc` panics on a full pool; `try_alloc` hands the value back in a
/// `Full` error that names the pool's size.
#[test]
fn alloc_panics_and_try_alloc_hands_the_value_back() {
    let pool = SyncPool::bounded(1);
    let first = pool.alloc(String::from("first"));
    let full = pool.try_alloc(String::from("second")).unwrap_err();
    assert_eq!(full.slots(), 1);
    assert_eq!(full.into_value(), "second");
    let panic = catch_unwind(AssertUnwindSafe(|| pool.alloc(String::from("third"))))
        .map(drop)
        .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert_eq!(message, "SyncPool is full: no free slot among its 1 slots");
    drop(first);
    assert_eq!(pool.len(), 0);
    let pool = Arc::new(pool);
    let owned = pool.alloc_owned(String::from("owned"));
    assert_eq!(pool.try_alloc_owned(String::new()).unwrap_err().slots(), 1);
    assert_eq!(owned.into_inner(), "owned");
}
