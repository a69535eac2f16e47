//! `Recycler`: reuse, reset, bounds, owned guards and threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arena_pool::{Recycled, RecycledOwned, Recycler};
use proptest::prelude::*;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
fn send_and_sync_bounds() {
    assert_send::<Recycler<Vec<u8>>>();
    assert_sync::<Recycler<Vec<u8>>>();
    assert_send::<Recycled<'static, Vec<u8>>>();
    assert_sync::<Recycled<'static, Vec<u8>>>();
    assert_send::<RecycledOwned<Vec<u8>>>();
    assert_sync::<RecycledOwned<Vec<u8>>>();
    // Objects that are `Send` but not `Sync` can still be recycled across
    // threads.
    assert_sync::<Recycler<std::cell::Cell<u8>>>();
    assert_send::<Recycled<'static, std::cell::Cell<u8>>>();
    // What each may not be is checked in `tests/ui/sync_pool/`.
}

#[test]
fn reuses_and_resets() {
    let made = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&made);
    let r = Recycler::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        Vec::<u8>::with_capacity(64)
    })
    .with_reset(Vec::clear);
    for i in 0..10u8 {
        let mut v = r.pull();
        assert!(v.is_empty());
        v.push(i);
    }
    assert_eq!(made.load(Ordering::Relaxed), 1);
    assert_eq!(r.idle(), 1);
}

#[test]
fn keeps_at_most_max_idle_and_drops_the_rest_once() {
    let drops = Arc::new(AtomicUsize::new(0));
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let d = Arc::clone(&drops);
    let r = Recycler::with_max_idle(3, move || Counted(Arc::clone(&d)));
    let pulled: Vec<_> = (0..5).map(|_| r.pull()).collect();
    drop(pulled);
    assert_eq!(r.idle(), 3);
    assert_eq!(drops.load(Ordering::Relaxed), 2);
    let kept = r.pull().into_inner();
    assert_eq!(r.idle(), 2);
    drop(r);
    assert_eq!(drops.load(Ordering::Relaxed), 4);
    drop(kept);
    assert_eq!(drops.load(Ordering::Relaxed), 5);
}

#[test]
fn zero_max_idle_keeps_nothing() {
    let r = Recycler::with_max_idle(0, || 1);
    drop(r.pull());
    assert_eq!(r.idle(), 0);
}

#[test]
fn panicking_reset_drops_the_object() {
    let r = Recycler::new(|| 0).with_reset(|_| panic!("reset failed"));
    let guard = r.pull();
    assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(guard))).is_err());
    assert_eq!(r.idle(), 0);
    assert_eq!(r.pull().into_inner(), 0);
}

#[test]
fn owned_guards_cross_threads() {
    let r = Arc::new(Recycler::new(String::new).with_reset(String::clear));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let mut s = r.pull_owned();
            std::thread::spawn(move || {
                s.push_str(&i.to_string());
                s.len()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 1);
    }
    let s = r.pull();
    assert!(s.is_empty());
}

#[test]
fn stress_threads_pull_and_return() {
    let threads = if cfg!(miri) { 2 } else { 6 };
    let rounds = if cfg!(miri) { 20 } else { 5_000 };
    let made = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&made);
    let r = Recycler::with_max_idle(16, move || {
        counter.fetch_add(1, Ordering::Relaxed);
        Vec::<usize>::new()
    })
    .with_reset(Vec::clear);
    std::thread::scope(|s| {
        for t in 0..threads {
            let r = &r;
            s.spawn(move || {
                for i in 0..rounds {
                    let mut a = r.pull();
                    let mut b = r.pull();
                    assert!(a.is_empty() && b.is_empty(), "reset ran");
                    a.push(t);
                    b.push(i);
                    assert_eq!((a[0], b[0]), (t, i));
                }
            });
        }
    });
    assert!(r.idle() <= 16);
    // Objects are reused: far fewer made than pulled.
    assert!(made.load(Ordering::Relaxed) < threads * rounds);
}

/// A panicking drop of one idle object does not leak the others: the
/// recycler's drop goes on with the rest, and the panic reaches the caller.
#[test]
fn a_panicking_drop_still_drops_the_other_idle_objects() {
    struct Bomb {
        explode: bool,
        drops: Arc<AtomicUsize>,
    }
    impl Drop for Bomb {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::Relaxed);
            if self.explode {
                panic!("drop failed");
            }
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let made = Arc::new(AtomicUsize::new(0));
    let (d, m) = (Arc::clone(&drops), Arc::clone(&made));
    let r = Recycler::with_max_idle(4, move || Bomb {
        // The second object made panics when dropped.
        explode: m.fetch_add(1, Ordering::Relaxed) == 1,
        drops: Arc::clone(&d),
    });
    let pulled: Vec<_> = (0..4).map(|_| r.pull()).collect();
    drop(pulled);
    assert_eq!(r.idle(), 4);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(r)));
    assert!(result.is_err(), "the panic is not swallowed");
    assert_eq!(
        drops.load(Ordering::Relaxed),
        4,
        "every idle object dropped"
    );
}

#[test]
#[should_panic(expected = "exceeds the maximum")]
fn max_idle_of_u32_max_panics() {
    let _ = Recycler::with_max_idle(u32::MAX as usize, || ());
}

/// Counts the objects a factory makes.
fn counting_factory(made: &Arc<AtomicUsize>) -> impl Fn() -> Vec<u8> + Send + Sync + 'static {
    let made = Arc::clone(made);
    move || {
        made.fetch_add(1, Ordering::Relaxed);
        Vec::new()
    }
}

/// Objects idle in the cache of a thread that has exited are pulled again
/// before the factory runs.
#[test]
fn pull_takes_the_idle_objects_of_exited_threads_before_the_factory() {
    let made = Arc::new(AtomicUsize::new(0));
    let r = Arc::new(Recycler::new(counting_factory(&made)));
    // `join` (unlike the end of a scope) waits for the thread's
    // thread-locals to be destroyed, which gives its number back.
    let other = Arc::clone(&r);
    std::thread::spawn(move || {
        let pulled = (other.pull(), other.pull());
        drop(pulled);
    })
    .join()
    .unwrap();
    assert_eq!(made.load(Ordering::Relaxed), 2);
    assert_eq!(r.idle(), 2);
    let again = (r.pull(), r.pull());
    assert_eq!(made.load(Ordering::Relaxed), 2, "no new object made");
    drop(again);
}

/// A thread holding idle objects in its cache and doing nothing else does not
/// keep another thread's returns out: the recycler fills up to its limit.
#[test]
fn returns_fill_every_slot_while_another_thread_idles() {
    let made = Arc::new(AtomicUsize::new(0));
    let r = Recycler::new(counting_factory(&made));
    let max = Recycler::<Vec<u8>>::DEFAULT_MAX_IDLE;
    let (cached, done) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
    std::thread::scope(|s| {
        s.spawn(|| {
            let pulled: Vec<_> = (0..3).map(|_| r.pull()).collect();
            drop(pulled);
            cached.wait();
            done.wait();
        });
        cached.wait();
        let pulled: Vec<_> = (0..max + 6).map(|_| r.pull()).collect();
        drop(pulled);
        let idle = r.idle();
        done.wait();
        assert_eq!(idle, max, "every slot holds an object");
    });
    assert_eq!(r.idle(), max);
}

/// An object pulled from a slot and detached, or whose reset panics, leaves
/// its slot vacant for the next object.
#[test]
fn detached_and_failed_objects_leave_their_slot_vacant() {
    let fail = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let f = Arc::clone(&fail);
    let r = Recycler::with_max_idle(1, || 0u8).with_reset(move |_| {
        assert!(!f.load(Ordering::Relaxed), "reset failed");
    });
    drop(r.pull());
    assert_eq!(r.idle(), 1);
    let _ = r.pull().into_inner();
    assert_eq!(r.idle(), 0);
    drop(r.pull());
    assert_eq!(r.idle(), 1, "the detached object's slot was reused");
    let guard = r.pull();
    fail.store(true, Ordering::Relaxed);
    assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(guard))).is_err());
    fail.store(false, Ordering::Relaxed);
    assert_eq!(r.idle(), 0);
    drop(r.pull());
    assert_eq!(r.idle(), 1, "the failed object's slot was reused");
}

/// `prefill` makes objects only for free slots, and a panicking factory
/// leaves its slot free and the objects made before idle.
#[test]
fn prefill_fills_free_slots_only() {
    let made = Arc::new(AtomicUsize::new(0));
    let r = Recycler::with_max_idle(4, counting_factory(&made));
    let held = r.pull();
    assert_eq!(made.load(Ordering::Relaxed), 1);
    assert_eq!(r.prefill(10), 3, "one slot belongs to the guard");
    assert_eq!(r.idle(), 3);
    assert_eq!(r.prefill(1), 0);
    drop(held);
    assert_eq!(r.idle(), 4);
    assert_eq!(made.load(Ordering::Relaxed), 4);

    let calls = AtomicUsize::new(0);
    let r = Recycler::with_max_idle(3, move || {
        assert!(calls.fetch_add(1, Ordering::Relaxed) != 1, "factory failed");
        String::from("made")
    });
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.prefill(3)));
    assert!(result.is_err());
    assert_eq!(r.idle(), 1, "the object made before the panic is kept");
    assert_eq!(r.prefill(3), 2, "the slot of the failed call is free again");
    assert_eq!(r.idle(), 3);
}

/// `try_pull` hands out idle objects only and never calls the factory.
#[test]
fn try_pull_never_calls_the_factory() {
    let made = Arc::new(AtomicUsize::new(0));
    let r = Arc::new(Recycler::with_max_idle(2, counting_factory(&made)));
    assert!(r.try_pull().is_none());
    assert!(r.try_pull_owned().is_none());
    assert_eq!(made.load(Ordering::Relaxed), 0);
    r.pull().push(1);
    let mut again = r.try_pull().expect("the returned object is idle");
    assert_eq!(*again, [1]);
    again.push(2);
    assert!(r.try_pull().is_none(), "the only object is out");
    drop(again);
    assert_eq!(*r.try_pull_owned().unwrap(), [1, 2]);
    assert_eq!(made.load(Ordering::Relaxed), 1);
}

/// Objects that fail the check are dropped, from slots and from boxes, and
/// their slots go to new objects; a panicking check drops the object too.
#[test]
fn check_drops_failing_objects() {
    let dropped = Arc::new(AtomicUsize::new(0));
    struct Conn {
        broken: bool,
        dropped: Arc<AtomicUsize>,
    }
    impl Drop for Conn {
        fn drop(&mut self) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
    let d = Arc::clone(&dropped);
    let resets = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&resets);
    let r = Recycler::with_max_idle(1, move || Conn {
        broken: false,
        dropped: Arc::clone(&d),
    })
    .with_check(|conn| {
        assert!(!conn.broken || conn.dropped.load(Ordering::Relaxed) < 100);
        !conn.broken
    })
    .with_reset(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    // In a slot.
    let mut conn = r.pull();
    conn.broken = true;
    drop(conn);
    assert_eq!((r.idle(), dropped.load(Ordering::Relaxed)), (0, 1));
    assert_eq!(
        resets.load(Ordering::Relaxed),
        0,
        "no reset for a failed object"
    );
    // In a box (the one slot is held).
    let slot = r.pull();
    let mut boxed = r.pull();
    boxed.broken = true;
    drop(slot);
    drop(boxed);
    assert_eq!((r.idle(), dropped.load(Ordering::Relaxed)), (1, 2));
    assert_eq!(resets.load(Ordering::Relaxed), 1);
    // A check that panics drops the object and frees the slot.
    let mut conn = r.pull();
    conn.broken = true;
    conn.dropped.store(100, Ordering::Relaxed);
    assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(conn))).is_err());
    assert_eq!((r.idle(), dropped.load(Ordering::Relaxed)), (0, 101));
    drop(r.pull());
    assert_eq!(r.idle(), 1, "the slot of the panicking check was reused");
}

/// `attach` keeps objects made elsewhere while a slot is free and hands the
/// value back otherwise.
#[test]
fn attach_keeps_or_hands_back() {
    let r = Recycler::with_max_idle(2, || String::from("factory"));
    r.attach(String::from("a")).unwrap();
    let held = r.pull();
    assert_eq!(*held, "a");
    r.attach(String::from("b")).unwrap();
    let full = r.attach(String::from("c")).unwrap_err();
    assert_eq!(full.slots(), 2);
    assert_eq!(full.into_value(), "c");
    drop(held);
    assert_eq!(r.idle(), 2);
    let empty = Recycler::with_max_idle(0, String::new);
    assert_eq!(
        empty.attach(String::from("x")).unwrap_err().into_value(),
        "x"
    );
}

/// The most operations of one model run (fewer under Miri).
const MODEL_OPS: usize = if cfg!(miri) { 40 } else { 60 };

#[derive(Debug, Clone)]
enum Op {
    Pull,
    TryPull,
    Return(usize, bool),
    IntoInner(usize),
    Attach,
    Prefill(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Pull),
        Just(Op::TryPull),
        (any::<usize>(), proptest::bool::weighted(0.2))
            .prop_map(|(i, broken)| Op::Return(i, broken)),
        any::<usize>().prop_map(Op::IntoInner),
        Just(Op::Attach),
        (0usize..4).prop_map(Op::Prefill),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random pulls and returns on one thread against a model: an object
    /// keeps its slot while it is out (a new one takes a vacant slot, or a
    /// box when every slot is idle or held), returns to it, and a boxed one
    /// is kept only if a slot is vacant by then; `try_pull` takes idle ones
    /// only, `attach` and `prefill` fill vacant slots, and an object that
    /// fails the check is dropped and leaves its slot vacant. Same idle
    /// count, same number of objects made, resets run.
    #[test]
    fn matches_a_slot_model(max_idle in 0usize..6, ops in proptest::collection::vec(op(), 0..MODEL_OPS)) {
        let made = Arc::new(AtomicUsize::new(0));
        let r = Recycler::with_max_idle(max_idle, counting_factory(&made))
            .with_check(|v| v.last() != Some(&0xFF))
            .with_reset(Vec::clear);
        let mut out: Vec<(Recycled<'_, Vec<u8>>, bool)> = Vec::new();
        let (mut idle, mut held, mut made_model) = (0, 0, 0);
        for op in ops {
            match op {
                Op::Pull => {
                    let object = r.pull();
                    prop_assert!(object.is_empty());
                    let in_slot = idle > 0 || held < max_idle;
                    if idle > 0 {
                        idle -= 1;
                    } else {
                        made_model += 1;
                    }
                    if in_slot {
                        held += 1;
                    }
                    out.push((object, in_slot));
                }
                Op::TryPull => {
                    let object = r.try_pull();
                    prop_assert_eq!(object.is_some(), idle > 0);
                    if let Some(object) = object {
                        prop_assert!(object.is_empty());
                        idle -= 1;
                        held += 1;
                        out.push((object, true));
                    }
                }
                Op::Return(i, broken) if !out.is_empty() => {
                    let (mut object, in_slot) = out.swap_remove(i % out.len());
                    object.push(if broken { 0xFF } else { 7 });
                    drop(object);
                    if in_slot {
                        held -= 1;
                    }
                    if !broken && (in_slot || idle + held < max_idle) {
                        idle += 1;
                    }
                }
                Op::Attach => {
                    let kept = r.attach(Vec::new()).is_ok();
                    prop_assert_eq!(kept, idle + held < max_idle);
                    if kept {
                        idle += 1;
                    }
                }
                Op::Prefill(n) => {
                    let room = max_idle - idle - held;
                    prop_assert_eq!(r.prefill(n), n.min(room));
                    idle += n.min(room);
                    made_model += n.min(room);
                }
                Op::IntoInner(i) if !out.is_empty() => {
                    let (object, in_slot) = out.swap_remove(i % out.len());
                    drop(object.into_inner());
                    if in_slot {
                        held -= 1;
                    }
                }
                _ => {}
            }
            prop_assert_eq!(r.idle(), idle);
            prop_assert_eq!(made.load(Ordering::Relaxed), made_model);
        }
    }
}

/// Zero-sized and over-aligned objects, in slots and in boxes (more out at
/// once than slots), come back and are dropped once each.
#[test]
fn zero_sized_and_over_aligned_objects() {
    #[repr(align(4096))]
    struct Page(u8);
    let drops = Arc::new(AtomicUsize::new(0));
    struct Unit(Arc<AtomicUsize>);
    impl Drop for Unit {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let d = Arc::clone(&drops);
    let units = Recycler::with_max_idle(1, move || Unit(Arc::clone(&d)));
    let out: Vec<_> = (0..3).map(|_| units.pull()).collect();
    drop(out);
    assert_eq!(units.idle(), 1);
    assert_eq!(drops.load(Ordering::Relaxed), 2);
    drop(units);
    assert_eq!(drops.load(Ordering::Relaxed), 3);

    let pages = Recycler::with_max_idle(2, || Page(7));
    let out: Vec<_> = (0..3).map(|_| pages.pull()).collect();
    for page in &out {
        assert_eq!((&**page as *const Page).addr() % 4096, 0);
        assert_eq!(page.0, 7);
    }
    drop(out);
    assert_eq!(pages.idle(), 2);
    assert_eq!(pages.pull().into_inner().0, 7);
}

/// A guard is one pointer, like a `Box`; objects of odd size and alignment
/// 1, in slots and in boxes (more out at once than slots), are told apart
/// and each comes back to its place or is dropped.
#[test]
fn guards_are_one_word_for_objects_of_any_layout() {
    assert_eq!(size_of::<Recycled<'_, [u64; 8]>>(), size_of::<usize>());
    assert_eq!(size_of::<Option<Recycled<'_, u8>>>(), size_of::<usize>());
    let r = Recycler::with_max_idle(3, || [7u8; 3]);
    let mut out: Vec<_> = (0..6).map(|_| r.pull()).collect();
    for (i, guard) in out.iter_mut().enumerate() {
        guard[0] = i as u8;
    }
    assert!(out.iter().enumerate().all(|(i, g)| **g == [i as u8, 7, 7]));
    let boxed = out.pop().unwrap();
    assert_eq!(boxed.into_inner(), [5, 7, 7]);
    drop(out);
    assert_eq!(r.idle(), 3);
    let mut seen: Vec<u8> = (0..3)
        .map(|_| r.try_pull().unwrap().into_inner()[0])
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2], "the objects of the slots were kept");
}
