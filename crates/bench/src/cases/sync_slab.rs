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
//!   removing all of them, in insertion order;
//! - `remove-after-get-single-thread`: the same, on a structure the
//!   removing thread has looked a value up in first (untimed), as a thread
//!   that both reads and removes has. For `SyncSlab` this is the removal's
//!   usual cost: the thread then has a hazard record, and a removal checks
//!   the records. The removing thread is the main thread, which takes its
//!   thread number while no benchmark thread runs, so number 0: its record
//!   is one of the two the slab keeps in line. Threads with higher numbers
//!   have theirs in a table, which a removal also walks.
//!
//! `*-single-thread` runs on one thread; `*-two-threads` splits the
//! operations evenly over two threads started together (removals: each
//! thread removes its half of the keys), and the time covers both, so ns/op
//! is the inverse of total throughput.
//!
//! The single-thread `get` and `remove` cases also run a bounded `SyncSlab`
//! with room for exactly the values they hold (`arena-pool-bounded`): the
//! same lookups and removals, which should cost what they cost in the
//! growing slab.
//!
//! The `get` cases have a reference that is no crate, `atomic-floor`: per
//! lookup it does only the atomic operations of a counted `SyncSlab` guard
//! (a load and a compare-and-swap adding one, then an atomic subtraction
//! when the guard drops, with the same orderings) on one word per thread,
//! no slab work, and adds the key to the sum. No keyed pool whose guards
//! keep a removed value alive with a count (as sharded-slab's do) can look
//! up faster. `SyncSlab`'s usual guard is a hazard guard, one fence to take
//! and a plain store to drop, so it can: the floor's ratio shows what the
//! two locked instructions of a count would cost.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// An empty structure that will hold up to `values` values at once;
    /// only the bounded slab uses the number.
    fn for_values(values: usize) -> Self
    where
        Self: Sized,
    {
        let _ = values;
        Self::new()
    }
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

/// A `SyncSlab` made with `bounded`, with room for exactly the values a
/// case holds.
struct Bounded(arena_pool::SyncSlab<u64>);

impl Keyed for Bounded {
    type Key = arena_pool::SlabKey;
    const NAME: &'static str = "arena-pool-bounded";
    fn new() -> Self {
        Self::for_values(0)
    }
    fn for_values(values: usize) -> Self {
        Self(arena_pool::SyncSlab::bounded(values))
    }
    #[inline(always)]
    fn insert(&self, value: u64) -> Self::Key {
        self.0.insert(value).expect("slab full")
    }
    #[inline(always)]
    fn read(&self, key: Self::Key) -> u64 {
        *self.0.get(key).expect("key")
    }
    #[inline(always)]
    fn remove(&self, key: Self::Key) -> bool {
        self.0.remove(key)
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
        let pool = Arc::new(K::for_values(LIVE));
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

/// The `get` loop with only a guard's atomic operations on one word per
/// thread in place of the lookup (see the module notes).
fn atomic_floor(threads: usize) -> Contender {
    /// A word alone on its cache lines, as a slot's state word is alone in
    /// its thread's working set.
    #[repr(align(128))]
    struct Word(AtomicU64);
    Contender::new("atomic-floor", move |ops| {
        let words: Arc<Vec<Word>> = Arc::new(
            (0..threads)
                .map(|_| Word(AtomicU64::new(1 << 32)))
                .collect(),
        );
        let keys: Arc<Vec<u64>> = Arc::new((0..LIVE as u64).collect());
        Box::new(move || {
            on_threads(threads, ops, |t, ops| {
                let word = &words[t].0;
                let mut at = t * LIVE / threads.max(1);
                let mut sum = 0u64;
                for _ in 0..ops {
                    // As `SyncSlab::get` with a counted guard: load, then
                    // add a guard with a compare-and-swap.
                    let mut seen = word.load(Ordering::Relaxed);
                    while let Err(now) = word.compare_exchange_weak(
                        seen,
                        seen + 1,
                        Ordering::Acquire,
                        Ordering::Relaxed,
                    ) {
                        seen = now;
                    }
                    sum = sum.wrapping_add(keys[at]);
                    // As the guard's drop: subtract it, and look at what
                    // was there.
                    let before = word.fetch_sub(1, Ordering::AcqRel);
                    if before as u32 == 0 {
                        sum = black_box(sum);
                    }
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
    removal::<K>(threads, false)
}

/// `remove` on one thread after one lookup on it (see the module notes).
fn remove_after_get<K: Keyed>(threads: usize) -> Contender {
    assert_eq!(threads, 1, "the lookup runs on the thread that removes");
    removal::<K>(threads, true)
}

fn removal<K: Keyed>(threads: usize, look_up_first: bool) -> Contender {
    Contender::new(K::NAME, move |ops| {
        let pool = Arc::new(K::for_values(ops as usize));
        let keys: Arc<Vec<K::Key>> = Arc::new((0..ops).map(|i| pool.insert(i)).collect());
        if look_up_first && let Some(&key) = keys.first() {
            black_box(pool.read(key));
        }
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

/// `contenders` with the bounded slab second.
fn with_bounded(mut contenders: Vec<Contender>, bounded: Contender) -> Vec<Contender> {
    contenders.insert(1, bounded);
    contenders
}

/// `contenders` with the atomic floor last.
fn with_floor(mut contenders: Vec<Contender>, threads: usize) -> Vec<Contender> {
    contenders.push(atomic_floor(threads));
    contenders
}

fn with_bounded_and_floor(
    contenders: Vec<Contender>,
    bounded: Contender,
    threads: usize,
) -> Vec<Contender> {
    with_floor(with_bounded(contenders, bounded), threads)
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
            with_bounded_and_floor(all_contenders!(get, 1), get::<Bounded>(1), 1),
        ),
        Case::new(
            "sync-slab/get-two-threads",
            2_000_000,
            with_floor(all_contenders!(get, 2), 2),
        ),
        Case::new(
            "sync-slab/remove-single-thread",
            1_000_000,
            with_bounded(all_contenders!(remove, 1), remove::<Bounded>(1)),
        ),
        Case::new(
            "sync-slab/remove-two-threads",
            1_000_000,
            all_contenders!(remove, 2),
        ),
        Case::new(
            "sync-slab/remove-after-get-single-thread",
            1_000_000,
            all_contenders!(remove_after_get, 1),
        ),
    ]
}
