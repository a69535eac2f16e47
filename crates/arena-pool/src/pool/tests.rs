//! Unit tests of `Pool` that look at its bookkeeping.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use alloc::string::ToString;

/// Checks every invariant documented on [`Core`](pool_core::Core).
fn check_core<S: storage::Storage>(core: &pool_core::Core<S>) {
    let slots = core.slots();
    assert!(slots.len() <= core.storage.max_slots());
    assert!(core.storage.capacity() <= core.storage.max_slots());
    let mut len = 0;
    let mut retired = 0;
    for (index, slot) in slots.iter().enumerate() {
        match slot.own_version() {
            Some(version) if slot.is_occupied() => {
                assert!(generation::is_occupied(version));
                assert!(version <= generation::LAST_OCCUPIED);
                assert_eq!(slot.handle().map(Handle::index), Some(index));
                len += 1;
            }
            // Off the free list: only retired slots.
            Some(version) => {
                assert_eq!(version, generation::RETIRED);
                retired += 1;
            }
            None => assert!(slot.link().is_some()),
        }
    }
    assert_eq!(len, core.len());
    assert_eq!(retired, core.retired as usize);
    // The free list: each reusable vacant slot exactly once, nothing else,
    // each named with a reusable version, ending past every slot.
    let mut seen = vec![false; slots.len()];
    let mut link = core.free_head;
    let mut on_list = 0;
    while let Some(slot) = slots.get(slot::link_index(link)) {
        let index = slot::link_index(link);
        assert!(!seen[index], "free list loops at {index}");
        seen[index] = true;
        assert!(generation::is_reusable(slot::link_version(link)));
        link = slot.link().expect("a slot on the free list holds a link");
        on_list += 1;
    }
    assert_eq!(slot::link_index(link), slot::NO_SLOT as usize);
    assert_eq!(on_list, slots.len() - len - retired);
    assert_eq!(on_list, core.reusable());
    assert_eq!(core.free_list().count(), on_list);
}

fn check<T>(pool: &Pool<T>) {
    check_core(&pool.core);
    if pool.is_bounded() {
        assert!(pool.core.storage.bound().is_some());
    }
}

fn check_fixed<T, const N: usize>(pool: &FixedPool<T, N>) {
    check_core(&pool.core);
}

#[test]
fn bookkeeping_through_churn() {
    let mut pool = Pool::new();
    let mut handles = Vec::new();
    let rounds = if cfg!(miri) { 200 } else { 5000 };
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..rounds {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if !x.is_multiple_of(3) || handles.is_empty() {
            handles.push(pool.insert(i));
        } else {
            // The same sequence on every pointer width.
            let h = handles.swap_remove((x / 3 % handles.len() as u64) as usize);
            assert!(pool.remove(h).is_some());
            assert!(pool.remove(h).is_none());
        }
        if i % 97 == 0 {
            check(&pool);
        }
    }
    check(&pool);
    pool.retain(|h, v| (h.index() + *v) % 2 == 0);
    check(&pool);
    pool.clear();
    check(&pool);
    assert!(slot::link_index(pool.core.free_head) == 0 || pool.core.slots().is_empty());
}

#[test]
fn retirement_keeps_the_free_list_clean() {
    let mut pool = Pool::bounded(3);
    let handles: Vec<_> = (0..3).map(|i| pool.insert(i)).collect();
    for h in handles {
        pool.remove(h);
    }
    pool.age_vacant_slots(u32::MAX);
    check(&pool);
    let h = pool.insert(10);
    assert_eq!(h.generation(), generation::LAST_OCCUPIED);
    pool.remove(h);
    check(&pool);
    assert_eq!(pool.core.retired, 1);
    assert_eq!(pool.capacity(), 2);
    let a = pool.insert(1);
    let b = pool.insert(2);
    assert!(pool.try_insert(3).is_err());
    assert_ne!(a.index(), h.index());
    assert_ne!(b.index(), h.index());
    pool.clear();
    check(&pool);
    assert_eq!(pool.core.retired, 3);
    assert_eq!(pool.capacity(), 0);
    assert!(pool.try_insert(4).is_err());
}

#[test]
fn drain_and_into_iter_keep_the_invariants() {
    let mut pool: Pool<u32> = (0..130).collect();
    for i in (0..130).step_by(3) {
        pool.remove(Handle::new(i, 1));
    }
    let mut drain = pool.drain();
    assert_eq!(drain.next().map(|(h, v)| (h.index(), v)), Some((1, 1)));
    drop(drain);
    check(&pool);
    assert!(pool.is_empty());
    pool.extend(0..70);
    check(&pool);
    assert_eq!(pool.into_iter().count(), 70);
}

#[test]
fn panicking_closures_and_drops_leave_a_valid_pool() {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    struct Bomb(bool);
    impl Drop for Bomb {
        fn drop(&mut self) {
            if self.0 {
                panic!("bomb");
            }
        }
    }

    let mut pool = Pool::new();
    for i in 0..100 {
        pool.insert(Bomb(i % 10 == 5));
    }
    let r = catch_unwind(AssertUnwindSafe(|| pool.clear()));
    assert!(r.is_err());
    check(&pool);
    let r = catch_unwind(AssertUnwindSafe(|| pool.retain(|_, _| false)));
    assert!(r.is_err());
    check(&pool);
    let r = catch_unwind(AssertUnwindSafe(|| drop(pool.drain())));
    assert!(r.is_err());
    check(&pool);
    let r = catch_unwind(AssertUnwindSafe(|| {
        pool.retain(|h, _| {
            assert!(h.index() < 50, "keep panics");
            true
        });
    }));
    assert!(r.is_err());
    check(&pool);
    let before = pool.len();
    let r = catch_unwind(AssertUnwindSafe(|| {
        pool.insert_with(|_| panic!("make panics"));
    }));
    assert!(r.is_err());
    check(&pool);
    assert_eq!(pool.len(), before);
    for (_, bomb) in pool.iter_mut() {
        bomb.0 = false;
    }
}

#[test]
fn clone_keeps_bound_and_handles() {
    let mut pool = Pool::bounded(100);
    let h = pool.insert(String::from("x"));
    let copy = pool.clone();
    check(&copy);
    assert_eq!(copy[h], "x");
    assert_eq!(copy.capacity(), 100);
}

#[test]
fn every_walk_passes_over_vacant_slots() {
    let mut pool: Pool<u32> = (0..130).collect();
    assert_eq!(pool.remove(Handle::new(64, 1)), Some(64));
    check(&pool);
    assert_eq!(pool.len(), 129);
    assert_eq!(pool.iter().len(), 129);
    assert!(
        pool.iter()
            .all(|(h, v)| h.index() == *v as usize && *v != 64)
    );
    assert_eq!(pool.iter_mut().count(), 129);
    assert_eq!(pool.iter().rev().count(), 129);
    let again = pool.insert(1000);
    assert_eq!(again.index(), 64);
    check(&pool);
    assert_eq!(pool.remove(again), Some(1000));
    assert_eq!(pool.remove(Handle::new(3, 1)), Some(3));
    check(&pool);
    let mut copy = pool.clone();
    check(&copy);
    assert_eq!(copy.drain().count(), 128);
    check(&copy);
    pool.retain(|h, _| h.index() % 2 == 0);
    check(&pool);
    assert_eq!(pool.len(), 64);
    let mut cleared = pool.clone();
    cleared.clear();
    check(&cleared);
    assert_eq!(cleared.iter().count(), 0);
    let left: Vec<usize> = pool.into_iter().map(|(h, _)| h.index()).collect();
    assert_eq!(left.len(), 64);
    assert!(left.iter().all(|i| i % 2 == 0 && *i != 64));
}

#[test]
fn new_slots_respect_the_bound() {
    for bound in [1, 63, 64, 65, 130] {
        let mut pool = Pool::bounded(bound);
        for i in 0..bound {
            assert_eq!(pool.insert(i).index(), i);
            check(&pool);
        }
        assert_eq!(pool.try_insert(0).unwrap_err().into_value(), 0);
        check(&pool);
        let h = Handle::new(bound as u32 - 1, 1);
        assert_eq!(pool.remove(h), Some(bound - 1));
        assert_eq!(pool.insert(7).index(), bound - 1);
        check(&pool);
    }
    let mut growing: Pool<u8> = Pool::new();
    for i in 0..200 {
        growing.insert(i);
    }
    check(&growing);
}

#[test]
fn fixed_bookkeeping_and_drains_from_both_ends() {
    let mut pool: FixedPool<String, 8> = (0..8).map(|i| i.to_string()).collect();
    check_fixed(&pool);
    pool.remove(Handle::new(2, 1));
    pool.remove(Handle::new(5, 1));
    check_fixed(&pool);
    let mut drain = pool.drain();
    assert_eq!(drain.next_back().map(|(h, _)| h.index()), Some(7));
    assert_eq!(drain.next().map(|(h, _)| h.index()), Some(0));
    assert_eq!(drain.len(), 4);
    drop(drain);
    check_fixed(&pool);
    assert!(pool.is_empty());
    let mut copy: FixedPool<String, 8> = (0..3).map(|i| i.to_string()).collect();
    copy.clone_from(&pool);
    check_fixed(&copy);
    assert!(copy.is_empty());
}

#[test]
fn shrinking_keeps_stale_handles_dead() {
    let mut pool: Pool<u8> = Pool::with_capacity(64);
    let handles: Vec<_> = (0..10).map(|i| pool.insert(i)).collect();
    for &h in &handles[5..] {
        pool.remove(h);
    }
    pool.shrink_to_fit();
    check(&pool);
    assert_eq!(pool.capacity(), 10);
    for &h in &handles[5..] {
        assert_eq!(pool.get(h), None);
        let new = pool.insert(0);
        assert!(!handles.contains(&new));
    }
    check(&pool);
    let mut copy: Pool<u8> = Pool::with_capacity(100);
    copy.clone_from(&pool);
    check(&copy);
    assert_eq!(copy.capacity(), 100);
    assert_eq!(copy.len(), 10);
}

#[test]
fn insert_at_and_compact_keep_the_free_list() {
    let mut pool: Pool<u32> = (0..10).collect();
    let handles: Vec<_> = pool.keys().collect();
    for &h in handles.iter().step_by(2) {
        pool.remove(h);
    }
    check(&pool);
    // A vacant slot in the middle of the free list is taken out of it.
    let back = Handle::new(4, 3);
    assert_eq!(pool.insert_at(back, 40), Ok(None));
    check(&pool);
    assert_eq!(pool[back], 40);
    // A handle past the end adds the slots before it to the free list.
    let far = Handle::new(14, 5);
    assert_eq!(pool.insert_at(far, 140), Ok(None));
    check(&pool);
    assert_eq!(pool.core.slots().len(), 15);
    let mut moves = Vec::new();
    pool.compact(|old, new| moves.push((old, new)));
    check(&pool);
    assert!(moves.iter().all(|(old, new)| new.index() < old.index()));
    let values: Vec<u32> = pool.values().copied().collect();
    assert_eq!(pool.keys().map(Handle::index).max(), Some(values.len() - 1));

    // A panic in the callback leaves a consistent pool.
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let mut pool: Pool<u32> = (0..8).collect();
    pool.remove(Handle::new(0, 1));
    pool.remove(Handle::new(1, 1));
    let r = catch_unwind(AssertUnwindSafe(|| {
        pool.compact(|_, _| panic!("moved panics"));
    }));
    assert!(r.is_err());
    check(&pool);
    assert_eq!(pool.len(), 6);
    let mut fixed: FixedPool<u8, 4> = (0..4).collect();
    fixed.remove(Handle::new(0, 1));
    fixed.compact(|_, _| {});
    check_fixed(&fixed);
    assert_eq!(fixed.get_by_slot(0).map(|(_, v)| *v), Some(3));
}

#[test]
fn internal_iteration_agrees_with_next() {
    // Values spread over vacant runs at the start, the middle and the end.
    let mut pool: Pool<u32> = (0..200).collect();
    let keep = |i: u32| i % 7 == 3 || (90..95).contains(&i);
    for i in 0..200 {
        if !keep(i) {
            assert_eq!(pool.remove(Handle::new(i, 1)), Some(i));
        }
    }
    let expected: Vec<(Handle<u32>, u32)> = (0..200)
        .filter(|&i| keep(i))
        .map(|i| (Handle::new(i, 1), i))
        .collect();
    for skip in [0, 1, 5, expected.len() - 1, expected.len()] {
        let mut iter = pool.iter();
        for _ in 0..skip {
            iter.next();
        }
        let folded = iter.clone().fold(Vec::new(), |mut seen, (h, v)| {
            seen.push((h, *v));
            seen
        });
        assert_eq!(folded, expected[skip..]);
        let mut by_next = Vec::new();
        for (h, v) in iter {
            by_next.push((h, *v));
        }
        assert_eq!(by_next, folded);
        // From the back, then folding what is left from the front.
        let mut iter = pool.values();
        for _ in 0..skip {
            iter.next_back();
        }
        let front: Vec<u32> = iter.fold(Vec::new(), |mut seen, v| {
            seen.push(*v);
            seen
        });
        let wanted: Vec<u32> = expected[..expected.len() - skip]
            .iter()
            .map(|&(_, v)| v)
            .collect();
        assert_eq!(front, wanted);
    }
    pool.iter_mut().for_each(|(_, v)| *v += 1);
    pool.values_mut().for_each(|v| *v *= 2);
    let keys: Vec<Handle<u32>> = pool.keys().fold(Vec::new(), |mut seen, h| {
        seen.push(h);
        seen
    });
    assert_eq!(keys.len(), expected.len());
    for (h, v) in &expected {
        assert_eq!(pool[*h], (v + 1) * 2);
    }
    let mut fixed: FixedPool<u32, 6> = (0..6).collect();
    fixed.remove(Handle::new(0, 1));
    fixed.remove(Handle::new(5, 1));
    let left = fixed.values().fold(Vec::new(), |mut seen, v| {
        seen.push(*v);
        seen
    });
    assert_eq!(left, [1, 2, 3, 4]);
    let empty: Pool<u32> = Pool::new();
    assert_eq!(empty.iter().fold(7, |n, _| n + 1), 7);
}

/// The free list's slots, head first, with their versions.
fn free_slots<T>(pool: &Pool<T>) -> Vec<(usize, u32)> {
    pool.core.free_list().collect()
}

#[test]
fn free_slots_know_their_versions_through_the_list() {
    let mut pool: Pool<u32> = (0..6).collect();
    let handles: Vec<_> = pool.keys().collect();
    // Slot 1 is used twice, so its version differs from the others'.
    pool.remove(handles[1]);
    let again = pool.insert(10);
    assert_eq!((again.index(), again.generation()), (1, 3));
    for &h in &[handles[4], again, handles[0], handles[3]] {
        pool.remove(h);
    }
    check(&pool);
    // Last removed, first reused; each slot's version is one below the
    // generation its next value gets.
    assert_eq!(free_slots(&pool), [(3, 2), (0, 2), (1, 4), (4, 2)]);
    assert_eq!(pool.core.versions(), [2, 4, 1, 2, 2, 1]);
    assert_eq!(pool.next_handle(), Some(Handle::new(3, 3)));

    // Taking a slot out of the middle keeps the others in order.
    assert_eq!(pool.insert_at(Handle::new(1, 5), 15), Ok(None));
    check(&pool);
    assert_eq!(free_slots(&pool), [(3, 2), (0, 2), (4, 2)]);
    // A handle no newer than the slot's version is refused, and the list
    // is left alone; the head can be taken too.
    assert!(pool.insert_at(Handle::new(0, 1), 0).is_err());
    assert_eq!(pool.insert_at(Handle::new(3, 3), 33), Ok(None));
    check(&pool);
    assert_eq!(free_slots(&pool), [(0, 2), (4, 2)]);

    // Ageing raises the versions and keeps the order.
    pool.age_vacant_slots(100);
    check(&pool);
    assert_eq!(free_slots(&pool), [(0, 100), (4, 100)]);
    assert_eq!(pool.insert(7), Handle::new(0, 101));
    assert_eq!(pool.insert(8), Handle::new(4, 101));
    assert_eq!(pool.insert(9), Handle::new(6, 1));
    check(&pool);
}

#[test]
fn a_retired_slot_is_never_linked() {
    let mut pool: Pool<u8> = (0..3).collect();
    let handles: Vec<_> = pool.keys().collect();
    pool.remove(handles[1]);
    pool.age_vacant_slots(generation::LAST_REUSABLE);
    let last = pool.insert(1);
    assert_eq!(last.generation(), generation::LAST_OCCUPIED);
    pool.remove(handles[0]);
    pool.remove(last);
    pool.remove(handles[2]);
    check(&pool);
    assert_eq!(free_slots(&pool), [(2, 2), (0, 2)]);
    assert_eq!(pool.core.versions(), [2, generation::RETIRED, 2]);
    assert_eq!(pool.insert_at(last, 5).ok(), None);
    assert_eq!(pool.core.retired, 1);
    assert_eq!(pool.core.reusable(), 2);
}

#[test]
fn walks_cross_long_vacant_runs_and_stop_after_the_last_value() {
    let mut pool: Pool<u64> = (0..300).collect();
    let kept = [3, 150, 151, 299];
    for i in 0..300u32 {
        if !kept.contains(&i) {
            pool.remove(Handle::new(i, 1));
        }
    }
    assert_eq!(pool.values().sum::<u64>(), 603);
    pool.iter_mut().for_each(|(h, v)| *v += h.index() as u64);
    let mut seen = Vec::new();
    pool.iter().for_each(|(h, v)| seen.push((h.index(), *v)));
    assert_eq!(seen, [(3, 6), (150, 300), (151, 302), (299, 598)]);
    // Values only near the front: the walk has nothing left past them.
    let mut front: Pool<u8> = (0..200).collect();
    for i in 2..200 {
        front.remove(Handle::new(i, 1));
    }
    assert_eq!(front.iter().fold(0, |n, _| n + 1), 2);
    assert_eq!(front.iter_mut().map(|(_, v)| *v).sum::<u8>(), 1);
}
