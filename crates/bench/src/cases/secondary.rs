//! `pool/secondary-*`: values attached to the keys of another pool
//! (`SecondaryPool` and `SparseSecondaryPool`), against slotmap's
//! `SecondaryMap` and `SparseSecondaryMap`.
//!
//! Every contender does the same work on `u64` values, keyed by the keys of
//! a primary pool of `LIVE` values (arena-pool's `Pool` for
//! `SecondaryPool`, slotmap's `SlotMap` for the other two), with the same
//! random sequence:
//!
//! - `secondary-insert`: `ops` insertions into a new, empty container, key
//!   `i % LIVE` for the `i`-th (so past `LIVE` they replace);
//! - `secondary-get-random`: with a value on every key, look up a random
//!   key, `ops` times;
//! - `secondary-iter`: with a value on every key, visit every value until
//!   `ops` values were visited.

use std::hint::black_box;

use crate::{Case, Contender, Run};

/// Keys of the primary pool.
const LIVE: usize = 1 << 16;

/// A small xorshift generator: the same sequence for every contender.
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

/// What the cases need of a secondary container.
trait Secondary: Sized + 'static {
    type Key: Copy + 'static;
    const NAME: &'static str;
    /// `LIVE` keys of a primary pool.
    fn keys() -> Vec<Self::Key>;
    fn new() -> Self;
    fn insert(&mut self, key: Self::Key, value: u64);
    fn get(&self, key: Self::Key) -> Option<&u64>;
    /// The sum of every value, through the container's iterator.
    fn sum(&self) -> u64;
}

impl Secondary for arena_pool::SecondaryPool<(), u64> {
    type Key = arena_pool::Handle<()>;
    const NAME: &'static str = "arena-pool";
    fn keys() -> Vec<Self::Key> {
        let mut primary = arena_pool::Pool::new();
        (0..LIVE).map(|_| primary.insert(())).collect()
    }
    fn new() -> Self {
        arena_pool::SecondaryPool::new()
    }
    #[inline(always)]
    fn insert(&mut self, key: Self::Key, value: u64) {
        black_box(self.insert(key, value).ok());
    }
    #[inline(always)]
    fn get(&self, key: Self::Key) -> Option<&u64> {
        arena_pool::SecondaryPool::get(self, key)
    }
    fn sum(&self) -> u64 {
        self.values().fold(0u64, |s, v| s.wrapping_add(*v))
    }
}

impl Secondary for arena_pool::SparseSecondaryPool<(), u64> {
    type Key = arena_pool::Handle<()>;
    const NAME: &'static str = "arena-pool-sparse";
    fn keys() -> Vec<Self::Key> {
        <arena_pool::SecondaryPool<(), u64> as Secondary>::keys()
    }
    fn new() -> Self {
        arena_pool::SparseSecondaryPool::new()
    }
    #[inline(always)]
    fn insert(&mut self, key: Self::Key, value: u64) {
        black_box(self.insert(key, value).ok());
    }
    #[inline(always)]
    fn get(&self, key: Self::Key) -> Option<&u64> {
        arena_pool::SparseSecondaryPool::get(self, key)
    }
    fn sum(&self) -> u64 {
        self.iter().fold(0u64, |s, (_, v)| s.wrapping_add(*v))
    }
}

macro_rules! slotmap_secondary {
    ($ty:ty, $name:literal) => {
        impl Secondary for $ty {
            type Key = slotmap::DefaultKey;
            const NAME: &'static str = $name;
            fn keys() -> Vec<Self::Key> {
                let mut primary = slotmap::SlotMap::new();
                (0..LIVE).map(|_| primary.insert(())).collect()
            }
            fn new() -> Self {
                <$ty>::new()
            }
            #[inline(always)]
            fn insert(&mut self, key: Self::Key, value: u64) {
                black_box(<$ty>::insert(self, key, value));
            }
            #[inline(always)]
            fn get(&self, key: Self::Key) -> Option<&u64> {
                <$ty>::get(self, key)
            }
            fn sum(&self) -> u64 {
                self.values().fold(0u64, |s, v| s.wrapping_add(*v))
            }
        }
    };
}

slotmap_secondary!(slotmap::SecondaryMap<slotmap::DefaultKey, u64>, "slotmap");
slotmap_secondary!(slotmap::SparseSecondaryMap<slotmap::DefaultKey, u64>, "slotmap-sparse");

/// A container with a value on every key, and the keys.
fn filled<C: Secondary>() -> (C, Vec<C::Key>) {
    let keys = C::keys();
    let mut c = C::new();
    for (i, &key) in keys.iter().enumerate() {
        c.insert(key, i as u64);
    }
    (c, keys)
}

fn insert<C: Secondary>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let keys = C::keys();
        let mut held: Vec<C> = Vec::with_capacity(1);
        Box::new(move || {
            let mut c = C::new();
            for i in 0..ops {
                c.insert(keys[i as usize & (LIVE - 1)], i);
            }
            // Dropped with the run, after the clock stops.
            held.push(c);
        }) as Run
    })
}

fn get_random<C: Secondary>() -> Contender {
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

fn iter<C: Secondary>() -> Contender {
    Contender::new(C::NAME, |ops| {
        let (c, _) = filled::<C>();
        let passes = ops.div_ceil(LIVE as u64);
        Box::new(move || {
            for _ in 0..passes {
                black_box(c.sum());
            }
        }) as Run
    })
}

macro_rules! all_contenders {
    ($case:ident) => {
        vec![
            $case::<arena_pool::SecondaryPool<(), u64>>(),
            $case::<arena_pool::SparseSecondaryPool<(), u64>>(),
            $case::<slotmap::SecondaryMap<slotmap::DefaultKey, u64>>(),
            $case::<slotmap::SparseSecondaryMap<slotmap::DefaultKey, u64>>(),
        ]
    };
}

/// The secondary cases of the `pool` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new("pool/secondary-insert", 1_000_000, all_contenders!(insert)),
        Case::new(
            "pool/secondary-get-random",
            1_000_000,
            all_contenders!(get_random),
        ),
        Case::new(
            "pool/secondary-iter",
            16 * LIVE as u64,
            all_contenders!(iter),
        )
        .quick_ops(4 * LIVE as u64),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums<C: Secondary>() -> u64 {
        let (c, keys) = filled::<C>();
        assert_eq!(c.get(keys[7]), Some(&7));
        c.sum()
    }

    #[test]
    fn every_contender_does_the_same_work() {
        let ours = sums::<arena_pool::SecondaryPool<(), u64>>();
        assert_eq!(
            ours,
            sums::<slotmap::SecondaryMap<slotmap::DefaultKey, u64>>()
        );
        assert_eq!(
            ours,
            sums::<slotmap::SparseSecondaryMap<slotmap::DefaultKey, u64>>()
        );
    }
}
