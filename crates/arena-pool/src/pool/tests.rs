//! Unit tests of `Pool` that look at its bookkeeping.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;

/// Checks every invariant documented on [`Pool`]'s fields.
fn check<T>(pool: &Pool<T>) {
    let slots = &pool.slots;
    assert_eq!(pool.occupied.len(), bitmap::words_for(slots.len()));
    assert!(slots.len() <= pool.max_slots);
    assert_eq!(
        pool.push_limit,
        (64 * pool.occupied.len()).min(pool.max_slots)
    );
    if pool.bounded {
        assert!(pool.slots.capacity() >= pool.max_slots);
    }
    let mut len = 0;
    let mut retired = 0;
    // The one bit allowed on a vacant slot: the free-list head's.
    let head_bit = (pool.free_head != NO_SLOT).then_some(pool.free_head as usize);
    if let Some(head) = head_bit {
        assert!(!slots[head].is_occupied());
    }
    for (index, slot) in slots.iter().enumerate() {
        let bit = pool.occupied[index / 64] >> (index % 64) & 1 == 1;
        let expected = slot.is_occupied() || head_bit == Some(index);
        assert_eq!(bit, expected, "bitmap disagrees at {index}");
        assert!(generation::is_valid(slot.version()));
        len += usize::from(slot.is_occupied());
        retired += usize::from(slot.version() == generation::RETIRED);
    }
    for word in bitmap::words_for(slots.len())..pool.occupied.len() {
        assert_eq!(pool.occupied[word], 0);
    }
    if !slots.len().is_multiple_of(64) {
        let last = *pool.occupied.last().unwrap();
        assert_eq!(last >> (slots.len() % 64), 0, "bits set past the end");
    }
    assert_eq!(len, pool.len());
    let ones: u32 = pool.occupied.iter().map(|w| w.count_ones()).sum();
    assert_eq!(ones, pool.set_bits);
    assert_eq!(retired, pool.retired as usize);
    // The free list: each reusable vacant slot exactly once, nothing else.
    let mut seen = vec![false; slots.len()];
    let mut next = pool.free_head;
    let mut on_list = 0;
    while next != NO_SLOT {
        let index = next as usize;
        assert!(!seen[index], "free list loops at {index}");
        seen[index] = true;
        assert!(generation::is_reusable(slots[index].version()));
        next = slots[index].next_free().unwrap();
        on_list += 1;
    }
    assert_eq!(on_list, slots.len() - len - retired);
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
    assert!(pool.free_head == 0 || pool.slots.is_empty());
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
    assert_eq!(pool.retired, 1);
    assert_eq!(pool.capacity(), 2);
    let a = pool.insert(1);
    let b = pool.insert(2);
    assert!(pool.try_insert(3).is_err());
    assert_ne!(a.index(), h.index());
    assert_ne!(b.index(), h.index());
    pool.clear();
    check(&pool);
    assert_eq!(pool.retired, 3);
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
fn the_free_list_head_keeps_its_bit() {
    let mut pool: Pool<u32> = (0..130).collect();
    assert_eq!(pool.remove(Handle::new(64, 1)), Some(64));
    check(&pool);
    // The vacant head's bit is still set; every walk skips its slot.
    assert_eq!(pool.occupied[1] & 1, 1);
    assert_eq!(pool.len(), 129);
    assert_eq!(pool.iter().len(), 129);
    assert!(
        pool.iter()
            .all(|(h, v)| h.index() == *v as usize && *v != 64)
    );
    assert_eq!(pool.iter_mut().count(), 129);
    let again = pool.insert(1000);
    assert_eq!(again.index(), 64);
    check(&pool);
    // A second removal moves the head on and clears the old head's bit.
    assert_eq!(pool.remove(again), Some(1000));
    assert_eq!(pool.remove(Handle::new(3, 1)), Some(3));
    check(&pool);
    assert_eq!(pool.occupied[1] & 1, 0);
    assert_eq!(pool.occupied[0] >> 3 & 1, 1);
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
fn new_slots_respect_the_push_limit() {
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
    assert_eq!(growing.push_limit, 256);
}
