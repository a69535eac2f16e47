//! `pool/*`: object pools with keys against slab, slotmap (`SlotMap` and
//! `DenseSlotMap`), thunderdome and generational-arena.
//!
//! Every contender does the same work on `u64` values, with the same random
//! sequence (a small inline xorshift, seeded alike):
//!
//! - `churn-same-slot`: insert a value, then remove it, `ops` times (one
//!   operation is the pair);
//! - `churn-random`: with 2^20 live values, remove a random one and insert a
//!   new value in its place, `ops` times;
//!   `slot-touch` is not a container: a slice of 16-byte slots and a list
//!   of 64-bit keys, where each operation reads a random key, rewrites the
//!   slot it names and stores a new key in its place, with no check and no
//!   free list: the memory traffic every container of 16-byte slots pays;
//! - `get-random`: with 2^20 live values, look up a random one, `ops` times;
//! - `iter-sparse`: visit every value of a container whose slots are 10%
//!   live (16 384 values among 163 840 slots, spread at random), until
//!   `ops` values were visited. `slot-scan` is not a container: the same
//!   values as 16-byte (tag, value) pairs in a slice, summed where the tag
//!   is set, which is the least any container with 16-byte slots reads;
//! - `iter-full`: visit every value of a container holding 16 384 values
//!   and no vacant slot, until `ops` values were visited;
//! - `insert-bulk`: `ops` inserts into a new, empty container (dropping it
//!   is not timed);
//! - `dense-iter`: visit every value of a container holding 16 384 values
//!   after half of 32 768 inserted ones were removed at random, until `ops`
//!   values were visited (arena-pool's contender is its `DensePool`);
//! - `dense-churn`: `churn-random` with arena-pool's `DensePool`.

use std::hint::black_box;

use crate::{Case, Contender, Run};

/// A small xorshift generator: the same sequence for every contender.
#[derive(Clone, Copy)]
struct XorShift(u64);

impl XorShift {
    fn new() -> Self {
        Self(0x9E37_79B9_7F4A_7C15)
    }

    #[inline(always)]
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// What the cases need of a keyed container.
trait Keyed: Sized + 'static {
    type Key: Copy + 'static;
    const NAME: &'static str;
    fn new() -> Self;
    fn insert(&mut self, value: u64) -> Self::Key;
    fn remove(&mut self, key: Self::Key) -> Option<u64>;
    fn get(&self, key: Self::Key) -> Option<&u64>;
    /// The sum of every value, through the container's key-value iterator.
    fn sum(&self) -> u64;
}

macro_rules! keyed {
    ($ty:ty, $key:ty, $name:literal, $new:expr, |$c:ident| {
        insert($iv:ident) => $insert:expr,
        remove($rk:ident) => $remove:expr,
        get($gk:ident) => $get:expr,
        sum => $sum:expr,
    }) => {
        impl Keyed for $ty {
            type Key = $key;
            const NAME: &'static str = $name;
            #[inline(always)]
            fn new() -> Self {
                $new
            }
            #[inline(always)]
            fn insert(&mut self, $iv: u64) -> $key {
                let $c = self;
                $insert
            }
            #[inline(always)]
            fn remove(&mut self, $rk: $key) -> Option<u64> {
                let $c = self;
                $remove
            }
            #[inline(always)]
            fn get(&self, $gk: $key) -> Option<&u64> {
                let $c = self;
                $get
            }
            #[inline(always)]
            fn sum(&self) -> u64 {
                let $c = self;
                $sum
            }
        }
    };
}

keyed!(arena_pool::Pool<u64>, arena_pool::Handle<u64>, "arena-pool", arena_pool::Pool::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

keyed!(slab::Slab<u64>, usize, "slab", slab::Slab::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.try_remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

keyed!(slotmap::SlotMap<slotmap::DefaultKey, u64>, slotmap::DefaultKey, "slotmap", slotmap::SlotMap::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

keyed!(slotmap::DenseSlotMap<slotmap::DefaultKey, u64>, slotmap::DefaultKey, "slotmap-dense", slotmap::DenseSlotMap::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

keyed!(thunderdome::Arena<u64>, thunderdome::Index, "thunderdome", thunderdome::Arena::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

keyed!(generational_arena::Arena<u64>, generational_arena::Index, "generational-arena", generational_arena::Arena::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

keyed!(arena_pool::DensePool<u64>, arena_pool::Handle<u64>, "arena-pool", arena_pool::DensePool::new(), |c| {
    insert(v) => c.insert(v),
    remove(k) => c.remove(k),
    get(k) => c.get(k),
    sum => c.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v)),
});

/// Live values in `churn-random` and `get-random`.
const LIVE: usize = 1 << 20;
/// Live values in `iter-sparse`, and the slots they are spread over.
const SPARSE_LIVE: usize = 16_384;
const SPARSE_SLOTS: usize = SPARSE_LIVE * 10;

/// A container holding `0..LIVE`, and the keys in insertion order.
fn filled<C: Keyed>() -> (C, Vec<C::Key>) {
    let mut c = C::new();
    let keys = (0..LIVE as u64).map(|i| c.insert(i)).collect();
    (c, keys)
}

fn churn_same_slot<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let mut c = C::new();
        let k = c.insert(0);
        c.remove(k);
        Box::new(move || {
            for i in 0..ops {
                let k = c.insert(i);
                black_box(c.remove(black_box(k)));
            }
        }) as Run
    })
}

fn churn_random<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let (mut c, mut keys) = filled::<C>();
        Box::new(move || {
            let mut rng = XorShift::new();
            for _ in 0..ops {
                let slot = (rng.next() as usize) & (LIVE - 1);
                let value = c.remove(keys[slot]).unwrap_or(0);
                keys[slot] = c.insert(value.wrapping_add(1));
            }
            black_box(&keys);
        }) as Run
    })
}

/// The reference of `churn-random`: the same random reads and writes of a
/// key and a 16-byte slot, and no container around them. Each key is a slot
/// index in its low half and a count of rewrites in its high half, and the
/// slot it names keeps its key beside its value, as a container's slot
/// keeps a handle or tag; each operation bumps both, as a removal followed
/// by an insertion into the same slot does.
fn churn_random_touch() -> Contender {
    Contender::new("slot-touch", |ops| {
        let (mut slots, mut keys) = touch_filled();
        Box::new(move || {
            let mut rng = XorShift::new();
            for _ in 0..ops {
                let slot = (rng.next() as usize) & (LIVE - 1);
                touch(&mut slots, &mut keys, slot);
            }
            black_box(&keys);
            black_box(&slots);
        }) as Run
    })
}

/// `slot-touch`'s slots holding `0..LIVE`, and their keys.
fn touch_filled() -> (Vec<[u64; 2]>, Vec<u64>) {
    let slots = (0..LIVE as u64).map(|i| [i, i]).collect();
    let keys = (0..LIVE as u64).collect();
    (slots, keys)
}

/// One operation of `slot-touch`: the value `keys[slot]` names goes up by
/// one, and the slot and the key list get a renewed key.
#[inline(always)]
fn touch(slots: &mut [[u64; 2]], keys: &mut [u64], slot: usize) {
    let key = keys[slot];
    let touched = &mut slots[key as u32 as usize];
    let renewed = key.wrapping_add(1 << 32);
    *touched = [renewed, touched[1].wrapping_add(1)];
    keys[slot] = renewed;
}

fn get_random<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let (c, keys) = filled::<C>();
        Box::new(move || {
            let mut rng = XorShift::new();
            let mut sum = 0u64;
            for _ in 0..ops {
                let slot = (rng.next() as usize) & (LIVE - 1);
                sum = sum.wrapping_add(*c.get(keys[slot]).unwrap_or(&0));
            }
            black_box(sum);
        }) as Run
    })
}

/// Which of `SPARSE_SLOTS` inserted values stay: `SPARSE_LIVE` of them,
/// picked by a partial Fisher-Yates shuffle.
fn sparse_keep() -> Vec<bool> {
    let mut order: Vec<usize> = (0..SPARSE_SLOTS).collect();
    let mut rng = XorShift::new();
    for i in 0..SPARSE_LIVE {
        let j = i + (rng.next() as usize) % (SPARSE_SLOTS - i);
        order.swap(i, j);
    }
    let mut keep = vec![false; SPARSE_SLOTS];
    for &i in &order[..SPARSE_LIVE] {
        keep[i] = true;
    }
    keep
}

fn iter_sparse<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let mut c = C::new();
        let keys: Vec<C::Key> = (0..SPARSE_SLOTS as u64).map(|i| c.insert(i)).collect();
        for (key, keep) in keys.into_iter().zip(sparse_keep()) {
            if !keep {
                c.remove(key);
            }
        }
        let passes = ops.div_ceil(SPARSE_LIVE as u64);
        Box::new(move || {
            for _ in 0..passes {
                black_box(c.sum());
            }
        }) as Run
    })
}

/// Values in `iter-full`.
const FULL_LIVE: usize = 16_384;

fn iter_full<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let mut c = C::new();
        for i in 0..FULL_LIVE as u64 {
            c.insert(i);
        }
        let passes = ops.div_ceil(FULL_LIVE as u64);
        Box::new(move || {
            for _ in 0..passes {
                black_box(c.sum());
            }
        }) as Run
    })
}

/// The reference of `iter-sparse`: a slice of the slots' size with the same
/// live values, and no container around it.
fn iter_sparse_scan() -> Contender {
    Contender::new("slot-scan", |ops| {
        let slots = sparse_scan_slots();
        let passes = ops.div_ceil(SPARSE_LIVE as u64);
        Box::new(move || {
            for _ in 0..passes {
                black_box(sum_tagged(&slots));
            }
        }) as Run
    })
}

/// `SPARSE_SLOTS` (tag, value) pairs: the value `i` at the live positions
/// (tag 1), as the containers hold after `iter-sparse`'s setup.
fn sparse_scan_slots() -> Vec<[u64; 2]> {
    sparse_keep()
        .into_iter()
        .zip(0..)
        .map(|(keep, i)| if keep { [1, i] } else { [0, 0] })
        .collect()
}

/// The sum of the values whose tag is set.
#[inline(never)]
fn sum_tagged(slots: &[[u64; 2]]) -> u64 {
    slots
        .iter()
        .filter(|[tag, _]| *tag != 0)
        .fold(0u64, |sum, [_, value]| sum.wrapping_add(*value))
}

fn insert_bulk<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let mut held: Vec<C> = Vec::with_capacity(1);
        Box::new(move || {
            let mut c = C::new();
            for i in 0..ops {
                black_box(c.insert(i));
            }
            // Dropped with the run, after the clock stops.
            held.push(c);
        }) as Run
    })
}

/// Live values in `dense-iter`, among twice as many inserted.
const DENSE_LIVE: usize = 16_384;

fn dense_iter<C: Keyed>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let mut c = C::new();
        let mut keys: Vec<C::Key> = (0..2 * DENSE_LIVE as u64).map(|i| c.insert(i)).collect();
        let mut rng = XorShift::new();
        for i in 0..DENSE_LIVE {
            let j = i + (rng.next() as usize) % (keys.len() - i);
            keys.swap(i, j);
            c.remove(keys[i]);
        }
        let passes = ops.div_ceil(DENSE_LIVE as u64);
        Box::new(move || {
            for _ in 0..passes {
                black_box(c.sum());
            }
        }) as Run
    })
}

/// The contenders of the dense cases: arena-pool's `DensePool` and every
/// peer.
macro_rules! dense_contenders {
    ($case:ident) => {
        vec![
            $case::<arena_pool::DensePool<u64>>(),
            $case::<slab::Slab<u64>>(),
            $case::<slotmap::SlotMap<slotmap::DefaultKey, u64>>(),
            $case::<slotmap::DenseSlotMap<slotmap::DefaultKey, u64>>(),
            $case::<thunderdome::Arena<u64>>(),
            $case::<generational_arena::Arena<u64>>(),
        ]
    };
}

macro_rules! all_contenders {
    ($case:ident) => {
        vec![
            $case::<arena_pool::Pool<u64>>(),
            $case::<slab::Slab<u64>>(),
            $case::<slotmap::SlotMap<slotmap::DefaultKey, u64>>(),
            $case::<slotmap::DenseSlotMap<slotmap::DefaultKey, u64>>(),
            $case::<thunderdome::Arena<u64>>(),
            $case::<generational_arena::Arena<u64>>(),
        ]
    };
}

/// The `pool` group.
pub fn cases() -> Vec<Case> {
    let sparse_ops = 64 * SPARSE_LIVE as u64;
    vec![
        Case::new(
            "pool/churn-same-slot",
            1_000_000,
            all_contenders!(churn_same_slot),
        ),
        Case::new("pool/churn-random", 1_000_000, {
            let mut contenders = all_contenders!(churn_random);
            contenders.push(churn_random_touch());
            contenders
        }),
        Case::new("pool/get-random", 1_000_000, all_contenders!(get_random)),
        Case::new("pool/iter-sparse", sparse_ops, {
            let mut contenders = all_contenders!(iter_sparse);
            contenders.push(iter_sparse_scan());
            contenders
        })
        .quick_ops(8 * SPARSE_LIVE as u64),
        Case::new(
            "pool/iter-full",
            64 * FULL_LIVE as u64,
            all_contenders!(iter_full),
        )
        .quick_ops(8 * FULL_LIVE as u64),
        Case::new("pool/insert-bulk", 1_000_000, all_contenders!(insert_bulk)),
        Case::new(
            "pool/dense-iter",
            64 * DENSE_LIVE as u64,
            dense_contenders!(dense_iter),
        )
        .quick_ops(8 * DENSE_LIVE as u64),
        Case::new(
            "pool/dense-churn",
            1_000_000,
            dense_contenders!(churn_random),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_keep_picks_exactly_a_tenth() {
        assert_eq!(sparse_keep().iter().filter(|&&k| k).count(), SPARSE_LIVE);
    }

    #[test]
    fn the_scan_sums_what_the_containers_hold() {
        let mut pool = arena_pool::Pool::new();
        let handles: Vec<_> = (0..SPARSE_SLOTS as u64).map(|i| pool.insert(i)).collect();
        for (handle, keep) in handles.into_iter().zip(sparse_keep()) {
            if !keep {
                pool.remove(handle);
            }
        }
        assert_eq!(sum_tagged(&sparse_scan_slots()), Keyed::sum(&pool));
    }

    #[test]
    fn the_touch_does_what_churning_a_pool_does() {
        let (mut pool, mut handles) = filled::<arena_pool::Pool<u64>>();
        let (mut slots, mut keys) = touch_filled();
        let mut rng = XorShift::new();
        for _ in 0..20_000 {
            let slot = (rng.next() as usize) & (LIVE - 1);
            let value = pool.remove(handles[slot]).unwrap();
            handles[slot] = pool.insert(value + 1);
            touch(&mut slots, &mut keys, slot);
        }
        // The same value sits at the same slot index under each key, and
        // both keys were renewed as often.
        for (handle, key) in handles.into_iter().zip(keys) {
            assert_eq!(handle.index(), key as u32 as usize);
            assert_eq!(pool.get(handle), Some(&slots[handle.index()][1]));
            assert_eq!(slots[handle.index()][0], key);
            assert_eq!(u64::from(handle.generation() / 2), key >> 32);
        }
    }

    fn same_sums<C: Keyed>() -> u64 {
        let mut c = C::new();
        let keys: Vec<C::Key> = (0..1000).map(|i| c.insert(i)).collect();
        for k in keys.iter().step_by(3) {
            assert!(c.remove(*k).is_some());
            assert!(c.remove(*k).is_none());
        }
        assert_eq!(c.get(keys[1]), Some(&1));
        c.sum()
    }

    #[test]
    fn every_contender_does_the_same_work() {
        let ours = same_sums::<arena_pool::Pool<u64>>();
        assert_eq!(ours, same_sums::<slab::Slab<u64>>());
        assert_eq!(
            ours,
            same_sums::<slotmap::SlotMap<slotmap::DefaultKey, u64>>()
        );
        assert_eq!(
            ours,
            same_sums::<slotmap::DenseSlotMap<slotmap::DefaultKey, u64>>()
        );
        assert_eq!(ours, same_sums::<thunderdome::Arena<u64>>());
        assert_eq!(ours, same_sums::<arena_pool::DensePool<u64>>());
        assert_eq!(ours, same_sums::<generational_arena::Arena<u64>>());
    }
}
