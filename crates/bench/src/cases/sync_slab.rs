//! `sync-slab/*`: keyed pools shared between threads, against sharded-slab's
//! `Slab`, `Mutex<slab::Slab>` (named `slab`) and
//! `RwLock<slotmap::SlotMap>` (named `slotmap`).
//!
//! Every contender stores `u64` values and does the same work:
//!
//! - `insert-*`: `ops` insertions into a new, empty structure (growth
//!   included);
//! - `get-*`: with `LIVE` values inserted, `ops` lookups cycling through
//!   their keys, each reading the value;
//! - `remove-*`: with `ops` values inserted (on the main thread, untimed),
//!   removing all of them, in insertion order.
//!
//! `*-single-thread` runs on one thread; `*-two-threads` splits the
//! operations evenly over two threads started together (removals: each
//! thread removes its half of the keys), and the time covers both, so ns/op
//! is the inverse of total throughput.

use std::hint::black_box;
use std::sync::{Arc, Mutex, RwLock};

use super::sync::on_threads;
use crate::{Case, Contender, Run};

/// Values the `get` cases cycle through.
const LIVE: usize = 1000;

/// What the cases need of a keyed pool shared between threads.
trait Keyed: Send + Sync + 'static {
    type Key: Copy + Send + Sync + 'static;
    const NAME: &'static str;
    fn new() -> Self;
    fn insert(&self, value: u64) -> Self::Key;
    /// Looks up `key` and reads its value.
    fn read(&self, key: Self::Key) -> u64;
    fn remove(&self, key: Self::Key) -> bool;
}

impl Keyed for arena_pool::SyncSlab<u64> {
    type Key = arena_pool::SlabKey;
    const NAME: &'static str = "arena-pool";
    fn new() -> Self {
        arena_pool::SyncSlab::new()
    }
    #[inline(always)]
    fn insert(&self, value: u64) -> Self::Key {
        arena_pool::SyncSlab::insert(self, value).expect("slab full")
    }
    #[inline(always)]
    fn read(&self, key: Self::Key) -> u64 {
        *self.get(key).expect("key")
    }
    #[inline(always)]
    fn remove(&self, key: Self::Key) -> bool {
        arena_pool::SyncSlab::remove(self, key)
    }
}

impl Keyed for sharded_slab::Slab<u64> {
    type Key = usize;
    const NAME: &'static str = "sharded-slab";
    fn new() -> Self {
        sharded_slab::Slab::new()
    }
    #[inline(always)]
    fn insert(&self, value: u64) -> Self::Key {
        sharded_slab::Slab::insert(self, value).expect("slab full")
    }
    #[inline(always)]
    fn read(&self, key: Self::Key) -> u64 {
        *self.get(key).expect("key")
    }
    #[inline(always)]
    fn remove(&self, key: Self::Key) -> bool {
        sharded_slab::Slab::remove(self, key)
    }
}

impl Keyed for Mutex<slab::Slab<u64>> {
    type Key = usize;
    const NAME: &'static str = "slab";
    fn new() -> Self {
        Mutex::new(slab::Slab::new())
    }
    #[inline(always)]
    fn insert(&self, value: u64) -> Self::Key {
        self.lock().unwrap().insert(value)
    }
    #[inline(always)]
    fn read(&self, key: Self::Key) -> u64 {
        *self.lock().unwrap().get(key).expect("key")
    }
    #[inline(always)]
    fn remove(&self, key: Self::Key) -> bool {
        self.lock().unwrap().try_remove(key).is_some()
    }
}

impl Keyed for RwLock<slotmap::SlotMap<slotmap::DefaultKey, u64>> {
    type Key = slotmap::DefaultKey;
    const NAME: &'static str = "slotmap";
    fn new() -> Self {
        RwLock::new(slotmap::SlotMap::new())
    }
    #[inline(always)]
    fn insert(&self, value: u64) -> Self::Key {
        self.write().unwrap().insert(value)
    }
    #[inline(always)]
    fn read(&self, key: Self::Key) -> u64 {
        *self.read().unwrap().get(key).expect("key")
    }
    #[inline(always)]
    fn remove(&self, key: Self::Key) -> bool {
        self.write().unwrap().remove(key).is_some()
    }
}

fn insert<K: Keyed>(threads: usize) -> Contender {
    Contender::new(K::NAME, move |ops| {
        let pool = Arc::new(K::new());
        Box::new(move || {
            on_threads(threads, ops, |_, ops| {
                for i in 0..ops {
                    black_box(pool.insert(i));
                }
            });
        }) as Run
    })
}

fn get<K: Keyed>(threads: usize) -> Contender {
    Contender::new(K::NAME, move |ops| {
        let pool = Arc::new(K::new());
        let keys: Arc<Vec<K::Key>> = Arc::new((0..LIVE as u64).map(|i| pool.insert(i)).collect());
        Box::new(move || {
            on_threads(threads, ops, |t, ops| {
                let mut at = t * LIVE / threads.max(1);
                let mut sum = 0u64;
                for _ in 0..ops {
                    sum = sum.wrapping_add(pool.read(keys[at]));
                    at += 1;
                    if at == LIVE {
                        at = 0;
                    }
                }
                black_box(sum);
            });
        }) as Run
    })
}

fn remove<K: Keyed>(threads: usize) -> Contender {
    Contender::new(K::NAME, move |ops| {
        let pool = Arc::new(K::new());
        let keys: Arc<Vec<K::Key>> = Arc::new((0..ops).map(|i| pool.insert(i)).collect());
        Box::new(move || {
            // Thread `t` removes the `t`-th share of the keys.
            let shares = keys.len().div_ceil(threads);
            on_threads(threads, ops, |t, _| {
                let end = ((t + 1) * shares).min(keys.len());
                for &key in &keys[(t * shares).min(end)..end] {
                    black_box(pool.remove(key));
                }
            });
        }) as Run
    })
}

macro_rules! all_contenders {
    ($case:ident, $threads:expr) => {
        vec![
            $case::<arena_pool::SyncSlab<u64>>($threads),
            $case::<sharded_slab::Slab<u64>>($threads),
            $case::<Mutex<slab::Slab<u64>>>($threads),
            $case::<RwLock<slotmap::SlotMap<slotmap::DefaultKey, u64>>>($threads),
        ]
    };
}

/// The `sync-slab` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "sync-slab/insert-single-thread",
            1_000_000,
            all_contenders!(insert, 1),
        ),
        Case::new(
            "sync-slab/insert-two-threads",
            1_000_000,
            all_contenders!(insert, 2),
        ),
        Case::new(
            "sync-slab/get-single-thread",
            2_000_000,
            all_contenders!(get, 1),
        ),
        Case::new(
            "sync-slab/get-two-threads",
            2_000_000,
            all_contenders!(get, 2),
        ),
        Case::new(
            "sync-slab/remove-single-thread",
            1_000_000,
            all_contenders!(remove, 1),
        ),
        Case::new(
            "sync-slab/remove-two-threads",
            1_000_000,
            all_contenders!(remove, 2),
        ),
    ]
}
