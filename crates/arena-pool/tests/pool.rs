//! `Pool`, bounded `Pool` and `FixedPool`: behaviour, the old sketch's
//! tests on the new API, and each of its flaws as a test that now passes.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Mutex;

use arena_pool::{FixedPool, GetDisjointMutError, Handle, Pool};

/// Counts the drops of its values.
#[derive(Clone, Debug)]
struct Counted(Rc<Cell<usize>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

// ---- The sketch's tests, on the new API ----

#[test]
fn pool_alloc_dealloc() {
    let mut p = Pool::bounded(4);
    let h = p.try_insert(42).unwrap();
    assert_eq!(p[h], 42);
    assert_eq!(p.len(), 1);
    assert_eq!(p.remove(h), Some(42));
    assert_eq!(p.len(), 0);
}

#[test]
fn pool_exhaustion() {
    let mut p = Pool::<u8>::bounded(2);
    assert!(p.try_insert(1).is_ok());
    assert!(p.try_insert(2).is_ok());
    assert_eq!(p.try_insert(3).unwrap_err().into_value(), 3); // full
    let mut f = FixedPool::<u8, 2>::new();
    assert!(f.try_insert(1).is_ok());
    assert!(f.try_insert(2).is_ok());
    assert_eq!(f.try_insert(3).unwrap_err().into_value(), 3);
}

#[test]
fn pool_reuse_slot() {
    let mut p = Pool::<u8>::bounded(2);
    let h = p.try_insert(1).unwrap();
    p.remove(h);
    let h2 = p.try_insert(99).unwrap();
    assert_eq!(h2.index(), h.index());
    assert_eq!(p[h2], 99);
}

// ---- The sketch's flaws ----

#[test]
fn get_on_a_freed_handle_finds_nothing() {
    let mut p = Pool::new();
    let h = p.insert(String::from("freed"));
    p.remove(h);
    assert_eq!(p.get(h), None);
    assert_eq!(p.get_mut(h), None);
    // Even once the slot holds another value.
    let h2 = p.insert(String::from("new"));
    assert_eq!(h2.index(), h.index());
    assert_eq!(p.get(h), None);
    assert_eq!(p[h2], "new");

    let mut f: FixedPool<String, 1> = FixedPool::new();
    let h = f.insert(String::from("freed"));
    f.remove(h);
    f.insert(String::from("new"));
    assert_eq!(f.get(h), None);
}

#[test]
fn double_free_is_refused_and_the_free_list_survives() {
    let mut p = Pool::bounded(3);
    let a = p.insert(1);
    let b = p.insert(2);
    assert_eq!(p.remove(a), Some(1));
    assert_eq!(p.remove(a), None);
    assert_eq!(p.remove(a), None);
    assert_eq!(p.len(), 1);
    // A corrupted free list would hand out one slot twice.
    let c = p.insert(3);
    let d = p.insert(4);
    assert!(p.try_insert(5).is_err());
    let mut indices = [b.index(), c.index(), d.index()];
    indices.sort_unstable();
    assert_eq!(indices, [0, 1, 2]);
    assert_eq!((p[b], p[c], p[d]), (2, 3, 4));

    let mut f: FixedPool<u8, 2> = FixedPool::new();
    let a = f.insert(1);
    f.remove(a);
    assert_eq!(f.remove(a), None);
    let x = f.insert(2);
    let y = f.insert(3);
    assert_ne!(x.index(), y.index());
}

#[test]
fn live_values_are_dropped_with_the_pool() {
    let drops = Rc::new(Cell::new(0));
    {
        let mut p = Pool::new();
        let h = p.insert(Counted(Rc::clone(&drops)));
        p.insert(Counted(Rc::clone(&drops)));
        drop(p.remove(h));
        assert_eq!(drops.get(), 1);
    }
    assert_eq!(drops.get(), 2);
    {
        let mut f: FixedPool<Counted, 4> = FixedPool::new();
        f.insert(Counted(Rc::clone(&drops)));
        f.insert(Counted(Rc::clone(&drops)));
    }
    assert_eq!(drops.get(), 4);
    {
        let mut p = Pool::bounded(3);
        p.insert(Counted(Rc::clone(&drops)));
        p.clear();
        assert_eq!(drops.get(), 5);
        p.insert(Counted(Rc::clone(&drops)));
    }
    assert_eq!(drops.get(), 6);
}

#[test]
fn a_bounded_pool_of_ten_million_does_not_touch_the_stack() {
    let n = if cfg!(miri) { 1000 } else { 10_000_000 };
    let mut p = Pool::bounded(n);
    assert_eq!(p.capacity(), n);
    let first = p.insert(1u64);
    let mut last = first;
    for i in 0..if cfg!(miri) { 1000 } else { 100_000 } {
        if let Ok(h) = p.try_insert(i) {
            last = h;
        }
    }
    assert_eq!(p[first], 1);
    assert!(p.contains(last));
}

#[test]
fn a_large_fixed_pool_lives_in_a_static() {
    static BIG: Mutex<FixedPool<u64, 100_000>> = Mutex::new(FixedPool::new());
    let mut pool = BIG.lock().unwrap();
    let h = pool.insert(5);
    assert_eq!(pool.capacity(), 100_000);
    assert_eq!(pool.remove(h), Some(5));
}

// ---- Handles ----

#[test]
fn handles_are_small_and_stale_ones_stay_stale() {
    assert_eq!(size_of::<Handle<u64>>(), 8);
    assert_eq!(size_of::<Option<Handle<u64>>>(), 8);
    let mut p = Pool::new();
    let mut stale = Vec::new();
    for i in 0..if cfg!(miri) { 50 } else { 1000 } {
        let h = p.insert(i);
        assert_eq!(h.index(), 0);
        for &old in &stale {
            assert_eq!(p.get(old), None);
        }
        assert_eq!(p.remove(h), Some(i));
        stale.push(h);
    }
}

#[test]
fn a_slot_retires_instead_of_wrapping() {
    let mut p = Pool::new();
    let a = p.insert(0u32);
    p.remove(a);
    p.age_vacant_slots(u32::MAX);
    let last = p.insert(1);
    assert_eq!(last.index(), a.index());
    assert_eq!(last.generation(), u32::MAX - 2);
    assert_eq!(p.remove(last), Some(1));
    // The slot is retired: the next value goes elsewhere, and neither old
    // handle reaches it.
    let next = p.insert(2);
    assert_ne!(next.index(), a.index());
    assert_eq!(p.get(last), None);
    assert_eq!(p.get(a), None);
    for i in 0..10 {
        let h = p.insert(i);
        assert_ne!(h.index(), a.index());
    }
}

#[test]
fn retired_slots_shrink_bounded_and_fixed_pools() {
    let mut p = Pool::bounded(1);
    let h = p.insert(0u8);
    p.remove(h);
    p.age_vacant_slots(u32::MAX - 3);
    let h = p.insert(1);
    assert_eq!(h.generation(), u32::MAX - 2);
    p.remove(h);
    assert_eq!(p.capacity(), 0);
    assert!(p.try_insert(2).is_err());

    let mut f: FixedPool<u8, 2> = FixedPool::new();
    let first = f.insert(0);
    f.remove(first);
    f.age_vacant_slots(u32::MAX);
    let h = f.insert(1);
    assert_eq!(h.generation(), u32::MAX - 2);
    f.remove(h);
    assert_eq!(f.capacity(), 1);
    let g = f.insert(2);
    assert_ne!(g.index(), h.index());
    assert!(f.try_insert(3).is_err());
    assert_eq!(f.get(h), None);
}

#[test]
fn forged_handles_find_nothing() {
    let mut p = Pool::new();
    let real = p.insert(1u8);
    assert_eq!(real.to_bits(), 1 << 32);
    for bits in [u64::MAX, 3 << 32, (1 << 32) | 77] {
        let h = Handle::<u8>::from_bits(bits).unwrap();
        assert_eq!(p.get(h), None);
        assert_eq!(p.remove(h), None);
    }
    // Vacant slots carry even versions; no handle has an even generation.
    assert_eq!(Handle::<u8>::from_bits(2 << 32), None);
    assert_eq!(Handle::<u8>::from_bits((4 << 32) | 1), None);
    assert_eq!(p.remove(Handle::from_bits(1 << 32).unwrap()), Some(1));
    // The vacant slot now has version 2: nothing matches it.
    for bits in [1 << 32, 3 << 32, u64::MAX] {
        let h = Handle::<u8>::from_bits(bits).unwrap();
        assert_eq!(p.get(h), None);
        assert_eq!(p.remove(h), None);
    }
    let mut f: FixedPool<u8, 2> = FixedPool::new();
    assert_eq!(f.get(Handle::from_bits(1 << 32).unwrap()), None);
    assert_eq!(f.remove(Handle::from_bits(1 << 32).unwrap()), None);
}

// ---- The rest of the API ----

#[test]
fn insert_with_sees_its_own_handle() {
    struct Node {
        me: Handle<Node>,
    }
    let mut p = Pool::new();
    let a = p.insert_with(|me| Node { me });
    let b = p.insert_with(|me| Node { me });
    p.remove(a);
    let c = p.insert_with(|me| Node { me });
    assert_eq!(p[b].me, b);
    assert_eq!(p[c].me, c);
    let mut f: FixedPool<Node, 1> = FixedPool::new();
    let d = f.insert_with(|me| Node { me });
    assert_eq!(f[d].me, d);
    assert!(f.try_insert_with(|me| Node { me }).is_err());
}

#[test]
fn iteration_sees_every_value_once_in_slot_order() {
    let n = if cfg!(miri) { 200 } else { 2000 };
    let mut p: Pool<usize> = (0..n).collect();
    let handles: Vec<_> = p.iter().map(|(h, _)| h).collect();
    for &h in handles.iter().filter(|h| h.index() % 7 != 0) {
        p.remove(h);
    }
    let seen: Vec<usize> = p.iter().map(|(_, v)| *v).collect();
    let expected: Vec<usize> = (0..n).step_by(7).collect();
    assert_eq!(seen, expected);
    assert_eq!(p.iter().len(), expected.len());
    for (h, v) in &mut p {
        *v += h.index();
    }
    assert!(p.iter().all(|(h, v)| *v == 2 * h.index()));

    let mut f: FixedPool<usize, 64> = (0..64).collect();
    f.retain(|h, _| h.index() % 7 == 0);
    assert_eq!(
        f.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
        (0..64).step_by(7).collect::<Vec<_>>()
    );
    for (_, v) in &mut f {
        *v += 1;
    }
    assert_eq!(f.iter().len(), 10);
}

#[test]
fn drain_retain_clear() {
    let drops = Rc::new(Cell::new(0));
    let mut p = Pool::new();
    let handles: Vec<_> = (0..10)
        .map(|_| p.insert(Counted(Rc::clone(&drops))))
        .collect();
    p.retain(|h, _| h.index() % 2 == 0);
    assert_eq!(drops.get(), 5);
    assert_eq!(p.len(), 5);
    let mut drain = p.drain();
    let (h, v) = drain.next().unwrap();
    assert_eq!(h, handles[0]);
    drop(v);
    drop(drain);
    assert_eq!(drops.get(), 10);
    assert!(p.is_empty());
    assert!(handles.iter().all(|&h| !p.contains(h)));

    let mut f: FixedPool<Counted, 8> = FixedPool::new();
    for _ in 0..8 {
        f.insert(Counted(Rc::clone(&drops)));
    }
    f.retain(|h, _| h.index() < 4);
    assert_eq!(drops.get(), 14);
    assert_eq!(f.drain().count(), 4);
    assert_eq!(drops.get(), 18);
    f.insert(Counted(Rc::clone(&drops)));
    f.clear();
    assert_eq!(drops.get(), 19);
}

#[test]
fn leaking_a_drain_leaves_the_rest_in_place() {
    let mut p: Pool<u32> = (0..10).collect();
    let mut drain = p.drain();
    drain.next();
    std::mem::forget(drain);
    assert_eq!(p.len(), 9);
    assert_eq!(p.iter().count(), 9);
    p.insert(1);
    assert_eq!(p.len(), 10);
}

#[test]
fn disjoint_mut() {
    let mut p = Pool::new();
    let a = p.insert(1);
    let b = p.insert(2);
    let c = p.insert(3);
    p.remove(c);
    let [x, y] = p.get_disjoint_mut([a, b]).unwrap();
    *x += 10;
    *y += 20;
    assert_eq!((p[a], p[b]), (11, 22));
    assert_eq!(
        p.get_disjoint_mut([a, c]).unwrap_err(),
        GetDisjointMutError::Stale { position: 1 }
    );
    assert_eq!(
        p.get_disjoint_mut([b, a, b]).unwrap_err(),
        GetDisjointMutError::Overlapping {
            first: 0,
            second: 2
        }
    );
    assert_eq!(p.get_disjoint_mut::<0>([]).unwrap().len(), 0);
    let mut f: FixedPool<i32, 2> = [1, 2].into_iter().collect();
    let hs: Vec<_> = f.iter().map(|(h, _)| h).collect();
    let [x, y] = f.get_disjoint_mut([hs[1], hs[0]]).unwrap();
    std::mem::swap(x, y);
    assert_eq!(f[hs[0]], 2);
    assert!(f.get_disjoint_mut([hs[0], hs[0]]).is_err());
}

#[test]
fn index_panics_name_the_handle() {
    let mut p = Pool::new();
    let h = p.insert(1);
    p.remove(h);
    let err = catch_unwind(AssertUnwindSafe(|| p[h])).unwrap_err();
    let message = err.downcast_ref::<String>().unwrap();
    assert!(message.contains("Handle(0v1)"), "{message}");
    let err = catch_unwind(AssertUnwindSafe(|| p[h] = 2)).unwrap_err();
    assert!(
        err.downcast_ref::<String>()
            .unwrap()
            .contains("Handle(0v1)")
    );
    let f: FixedPool<i32, 1> = FixedPool::new();
    let err = catch_unwind(AssertUnwindSafe(|| f[h])).unwrap_err();
    assert!(
        err.downcast_ref::<String>()
            .unwrap()
            .contains("Handle(0v1)")
    );
}

#[test]
fn full_pools_panic_on_insert() {
    let mut p = Pool::bounded(0);
    let err = catch_unwind(AssertUnwindSafe(|| p.insert(1))).unwrap_err();
    let message = err.downcast_ref::<String>().unwrap();
    assert_eq!(message, "pool is full: no free slot among its 0 slots");
    let mut f: FixedPool<i32, 0> = FixedPool::new();
    assert!(catch_unwind(AssertUnwindSafe(|| f.insert(1))).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| f.insert_with(|_| 1))).is_err());
}

#[test]
fn debug_clone_collect() {
    let mut p: Pool<&str> = ["a", "b"].into_iter().collect();
    let h = p.iter().next().unwrap().0;
    p.remove(h);
    assert_eq!(format!("{p:?}"), r#"{Handle(1v1): "b"}"#);
    let q = p.clone();
    assert_eq!(format!("{q:?}"), format!("{p:?}"));
    p.extend(["c"]);
    assert_eq!(p.len(), 2);
    assert_eq!(q.len(), 1);
    let f: FixedPool<&str, 3> = ["x"].into_iter().collect();
    assert_eq!(format!("{:?}", f.clone()), r#"{Handle(0v1): "x"}"#);
    let values: Vec<_> = p.into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, ["c", "b"]);
}

#[test]
fn capacity_and_reserve() {
    let mut p: Pool<u64> = Pool::with_capacity(10);
    assert!(p.capacity() >= 10);
    let hs: Vec<_> = (0..10).map(|i| p.insert(i)).collect();
    p.remove(hs[3]);
    p.reserve(1);
    let cap = p.capacity();
    p.insert(3);
    assert_eq!(p.capacity(), cap);
    p.reserve(100);
    assert!(p.capacity() >= 110);
    let mut b: Pool<u64> = Pool::bounded(5);
    b.reserve(100);
    assert_eq!(b.capacity(), 5);
}

#[test]
fn zero_sized_and_over_aligned_values() {
    let mut p = Pool::new();
    let hs: Vec<_> = (0..100).map(|_| p.insert(())).collect();
    assert_eq!(p.remove(hs[5]), Some(()));
    assert_eq!(p.len(), 99);

    #[derive(Debug, PartialEq, Clone, Copy)]
    #[repr(align(64))]
    struct Wide(u8);
    let mut p = Pool::new();
    let hs: Vec<_> = (0..20).map(|i| p.insert(Wide(i))).collect();
    for (h, v) in p.iter() {
        assert_eq!(std::ptr::from_ref(v).addr() % 64, 0);
        assert_eq!(v.0 as usize, h.index());
    }
    assert_eq!(p.remove(hs[19]), Some(Wide(19)));
    let mut f: FixedPool<Wide, 3> = FixedPool::new();
    let h = f.insert(Wide(1));
    assert_eq!(std::ptr::from_ref(&f[h]).addr() % 64, 0);
}

#[test]
fn slot_sizes() {
    // An occupied slot is the value beside its 8-byte handle; a vacant one
    // (a zero handle) keeps its version and the next free index where the
    // value would be, so a value of 8 bytes or more needs no separate tag,
    // whether a u64 is aligned to 8 bytes (x86_64) or 4 (i686). A value
    // too small for them takes a tag, as wide as a u64's alignment. The
    // size is read off FixedPools of one and three slots:
    // their storage differs by two slots, a multiple of the pool's
    // alignment (at most 8 here), so tail padding cancels out.
    fn slot<T>() -> usize {
        (size_of::<FixedPool<T, 3>>() - size_of::<FixedPool<T, 1>>()) / 2
    }
    #[allow(dead_code)]
    struct S48([u64; 6]);
    assert_eq!(slot::<u64>(), 16);
    assert_eq!(slot::<S48>(), 56);
    assert_eq!(slot::<()>(), 8 + align_of::<u64>());
}

#[test]
fn send_and_sync_follow_the_value_type() {
    fn assert_send<T: Send>() {}
    fn assert_sync<T: Sync>() {}
    assert_send::<Pool<String>>();
    assert_sync::<Pool<String>>();
    assert_send::<FixedPool<String, 4>>();
    assert_sync::<FixedPool<String, 4>>();
    assert_send::<Handle<Rc<u8>>>();
    assert_sync::<Handle<Rc<u8>>>();
    assert_send::<arena_pool::pool::Iter<'_, u8>>();
    assert_send::<arena_pool::pool::Drain<'_, u8>>();
    assert_send::<Pool<Cell<u8>>>();
    assert_send::<arena_pool::Full<String>>();
}

#[test]
fn panics_in_user_code_leave_the_pool_usable() {
    struct Bomb(bool, Rc<Cell<usize>>);
    impl Drop for Bomb {
        fn drop(&mut self) {
            self.1.set(self.1.get() + 1);
            if self.0 {
                panic!("bomb");
            }
        }
    }
    let drops = Rc::new(Cell::new(0));
    let mut p = Pool::new();
    let hs: Vec<_> = (0..20)
        .map(|i| p.insert(Bomb(i == 7, Rc::clone(&drops))))
        .collect();
    assert!(catch_unwind(AssertUnwindSafe(|| p.retain(|_, _| false))).is_err());
    assert!(!p.contains(hs[7]));
    assert!(
        catch_unwind(AssertUnwindSafe(
            || p.retain(|h, _| h.index() != 12 || panic!())
        ))
        .is_err()
    );
    assert!(p.contains(hs[12]));
    let len = p.len();
    assert!(catch_unwind(AssertUnwindSafe(|| p.insert_with(|_| panic!()))).is_err());
    assert_eq!(p.len(), len);
    let h = p.insert(Bomb(false, Rc::clone(&drops)));
    assert!(p.contains(h));
    drop(p);
    assert_eq!(drops.get(), 21);

    let mut f: FixedPool<Bomb, 8> = FixedPool::new();
    for i in 0..8 {
        f.insert(Bomb(i == 3, Rc::clone(&drops)));
    }
    assert!(catch_unwind(AssertUnwindSafe(|| f.clear())).is_err());
    assert_eq!(f.len(), 3);
    f.clear();
    assert!(f.is_empty());
}
