//! `StaticPool`: API, drops, odd types and capacities, threads, and a
//! model-based property test.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use arena_pool::{StaticBox, StaticPool, static_pool, static_pool_words};
use proptest::prelude::*;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

/// A pool type for `N` slots with the right word count.
macro_rules! pool_type {
    ($value:ty, $n:expr) => {
        StaticPool<$value, { $n }, { static_pool_words($n) }>
    };
}

#[test]
fn send_and_sync_bounds() {
    assert_send::<pool_type!(String, 4)>();
    assert_sync::<pool_type!(String, 4)>();
    // `Cell` is `Send` but not `Sync`: the pool is still `Sync`, because no
    // `&T` is ever shared through it.
    assert_sync::<pool_type!(Cell<u8>, 4)>();
    assert_send::<StaticBox<'static, String>>();
    assert_sync::<StaticBox<'static, String>>();
    assert_send::<StaticBox<'static, Cell<u8>>>();
    // What each may not be is checked in `tests/ui/static_pool/`.
}

static_pool!(static SHARED: [u64; 3]);

#[test]
fn a_static_pool_fills_and_refills() {
    assert_eq!(SHARED.capacity(), 3);
    let a = SHARED.alloc(1);
    let b = SHARED.alloc(2);
    let c = SHARED.alloc(3);
    assert_eq!((SHARED.len(), SHARED.available()), (3, 0));
    let full = SHARED.try_alloc(4).unwrap_err();
    assert_eq!(full.slots(), 3);
    assert_eq!(full.into_value(), 4);
    drop(b);
    let d = SHARED.alloc(5);
    assert_eq!(*a + *c + *d, 9);
    assert_eq!(c.into_inner(), 3);
    drop((a, d));
    assert!(SHARED.is_empty());
}

#[test]
fn alloc_panics_on_a_full_pool_and_drops_the_value() {
    let drops = AtomicUsize::new(0);
    #[derive(Debug)]
    struct Counted<'a>(&'a AtomicUsize);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let pool: pool_type!(Counted<'_>, 1) = StaticPool::new();
    let _held = pool.alloc(Counted(&drops));
    let panic = catch_unwind(AssertUnwindSafe(|| pool.alloc(Counted(&drops)))).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert_eq!(
        message,
        "StaticPool is full: no free slot among its 1 slots"
    );
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

/// Every capacity up to a few words, and the word boundaries: all slots
/// usable, distinct, and reusable.
#[test]
fn every_slot_is_usable() {
    fn check<const N: usize, const W: usize>() {
        let pool: StaticPool<usize, N, W> = StaticPool::new();
        let boxes: Vec<_> = (0..N).map(|i| pool.alloc(i)).collect();
        assert!(pool.try_alloc(N).is_err());
        let addrs: HashSet<*const usize> = boxes.iter().map(|b| &**b as *const usize).collect();
        assert_eq!(addrs.len(), N);
        for (i, b) in boxes.iter().enumerate() {
            assert_eq!(**b, i);
        }
        drop(boxes);
        assert_eq!(pool.available(), N);
        let again: Vec<_> = (0..N).map(|i| pool.alloc(i)).collect();
        assert_eq!(again.len(), N);
    }
    const BITS: usize = usize::BITS as usize;
    check::<0, { static_pool_words(0) }>();
    check::<1, { static_pool_words(1) }>();
    check::<{ BITS - 1 }, { static_pool_words(BITS - 1) }>();
    check::<BITS, { static_pool_words(BITS) }>();
    check::<{ BITS + 1 }, { static_pool_words(BITS + 1) }>();
    check::<{ 2 * BITS + 3 }, { static_pool_words(2 * BITS + 3) }>();
}

#[test]
fn zero_capacity_holds_nothing() {
    static_pool!(static NONE: [String; 0]);
    assert_eq!((NONE.capacity(), NONE.len(), NONE.available()), (0, 0, 0));
    assert_eq!(
        NONE.try_alloc(String::from("x")).unwrap_err().into_value(),
        "x"
    );
    assert!(NONE.is_empty());
}

#[test]
fn zero_sized_values() {
    struct Zst;
    static ZST_DROPS: AtomicUsize = AtomicUsize::new(0);
    impl Drop for Zst {
        fn drop(&mut self) {
            ZST_DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    let pool: pool_type!(Zst, 5) = StaticPool::new();
    let boxes: Vec<_> = (0..5).map(|_| pool.alloc(Zst)).collect();
    assert!(pool.try_alloc(Zst).is_err());
    assert_eq!(ZST_DROPS.load(Ordering::Relaxed), 1);
    drop(boxes);
    assert_eq!(ZST_DROPS.load(Ordering::Relaxed), 6);
    assert_eq!(pool.available(), 5);
    let unit: pool_type!((), 2) = StaticPool::new();
    let a = unit.alloc(());
    assert_eq!(a.into_inner(), ());
}

#[test]
fn over_aligned_values() {
    #[derive(Debug, Clone, Copy, PartialEq)]
    #[repr(align(256))]
    struct Aligned(u8);
    let pool: pool_type!(Aligned, 3) = StaticPool::new();
    let boxes: Vec<_> = (0..3).map(|i| pool.alloc(Aligned(i))).collect();
    for (i, b) in boxes.iter().enumerate() {
        assert_eq!((&**b as *const Aligned).addr() % 256, 0);
        assert_eq!(b.0, i as u8);
    }
}

#[test]
fn values_are_dropped_once() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Counted(#[allow(dead_code)] u32);
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    {
        let pool: pool_type!(Counted, 4) = StaticPool::new();
        let a = pool.alloc(Counted(1));
        let b = pool.alloc(Counted(2));
        let c = pool.alloc(Counted(3));
        drop(a);
        assert_eq!(DROPS.load(Ordering::Relaxed), 1);
        let inner = b.into_inner();
        assert_eq!(DROPS.load(Ordering::Relaxed), 1);
        drop(inner);
        assert_eq!(DROPS.load(Ordering::Relaxed), 2);
        // A forgotten box leaks its value and its slot, and nothing else.
        std::mem::forget(c);
        assert_eq!(pool.len(), 1);
    }
    assert_eq!(DROPS.load(Ordering::Relaxed), 2);
}

#[test]
fn panicking_drop_still_frees_the_slot() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("boom");
        }
    }
    let pool: pool_type!(Bomb, 1) = StaticPool::new();
    let b = pool.alloc(Bomb);
    assert!(catch_unwind(AssertUnwindSafe(|| drop(b))).is_err());
    assert_eq!(pool.len(), 0);
    let again = pool.alloc(Bomb);
    std::mem::forget(again);
}

/// More threads than cores share one `static` pool; each value names its
/// owner, and a shared set checks that no slot has two owners at once.
#[test]
fn stress_no_value_lost_or_shared() {
    const THREADS: usize = if cfg!(miri) { 3 } else { 8 };
    const PER_THREAD: usize = 3;
    static_pool!(static STRESS: [(usize, usize, usize); THREADS * PER_THREAD - 2]);
    let rounds = if cfg!(miri) { 8 } else { 5_000 };
    let live = Mutex::new(HashSet::new());
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let live = &live;
            s.spawn(move || {
                let mut held: Vec<StaticBox<'static, _>> = Vec::new();
                for round in 0..rounds {
                    let want = 1 + (round + t) % PER_THREAD;
                    while held.len() < want {
                        match STRESS.try_alloc((t, round, held.len())) {
                            Ok(b) => {
                                let addr = (&*b as *const (usize, usize, usize)).addr();
                                assert!(live.lock().unwrap().insert(addr), "slot shared");
                                held.push(b);
                            }
                            // Two slots fewer than the threads could want.
                            Err(_) => break,
                        }
                    }
                    for (k, b) in held.iter().enumerate() {
                        assert_eq!((b.0, b.2), (t, k));
                    }
                    while held.len() > want / 2 {
                        let b = held.pop().unwrap();
                        let addr = (&*b as *const (usize, usize, usize)).addr();
                        assert!(live.lock().unwrap().remove(&addr));
                    }
                }
                for b in held.drain(..) {
                    let addr = (&*b as *const (usize, usize, usize)).addr();
                    live.lock().unwrap().remove(&addr);
                }
            });
        }
    });
    assert_eq!(STRESS.len(), 0);
    assert_eq!(STRESS.available(), STRESS.capacity());
}

/// Boxes allocated on one thread and dropped on another.
#[test]
fn stress_cross_thread_frees() {
    static_pool!(static PASSED: [u64; 8]);
    let rounds = if cfg!(miri) { 12 } else { 20_000 };
    let (tx, rx) = std::sync::mpsc::sync_channel::<StaticBox<'static, u64>>(4);
    std::thread::scope(|s| {
        s.spawn(move || {
            for i in 0..rounds {
                let mut value = i;
                loop {
                    match PASSED.try_alloc(value) {
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
    assert_eq!(PASSED.len(), 0);
}

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

/// Runs `ops` on a pool of `N` slots and a `Vec` model: same values, same
/// failures, same length.
fn run_model<const N: usize, const W: usize>(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let pool: StaticPool<u32, N, W> = StaticPool::new();
    let mut boxes: Vec<StaticBox<'_, u32>> = Vec::new();
    let mut model: Vec<u32> = Vec::new();
    for op in ops {
        match op {
            Op::Alloc(v) => match pool.try_alloc(v) {
                Ok(b) => {
                    boxes.push(b);
                    model.push(v);
                }
                Err(full) => {
                    prop_assert_eq!(full.slots(), N);
                    prop_assert_eq!(full.into_value(), v);
                    prop_assert_eq!(model.len(), N);
                }
            },
            Op::Free(i) if !model.is_empty() => {
                let i = i % model.len();
                drop(boxes.swap_remove(i));
                model.swap_remove(i);
            }
            Op::IntoInner(i) if !model.is_empty() => {
                let i = i % model.len();
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
        prop_assert_eq!(pool.available(), N - model.len());
        let seen: Vec<u32> = boxes.iter().map(|b| **b).collect();
        prop_assert_eq!(&seen, &model);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn matches_a_vec_model(capacity in 0usize..4, ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 80 })) {
        match capacity {
            0 => run_model::<0, { static_pool_words(0) }>(ops)?,
            1 => run_model::<3, { static_pool_words(3) }>(ops)?,
            2 => run_model::<20, { static_pool_words(20) }>(ops)?,
            _ => run_model::<70, { static_pool_words(70) }>(ops)?,
        }
    }
}
