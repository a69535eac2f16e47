//! Per-thread caches: dense thread numbers, the per-pool table of shards they
//! index, and the thread-local table that finds a thread's shard of a pool
//! in one lookup.
//!
//! Every thread that uses a pool gets a small number (its *slot number*)
//! from a process-wide registry the first time it needs one, and gives it
//! back when it exits; numbers are reused lowest first, so they stay dense
//! and there is no limit on how many threads come and go. A pool keeps one
//! [`Shard`] per slot number, created on first use. A shard is written only
//! by the thread holding its number (its *owner*) or, while no thread holds
//! it, by a thread holding the registry lock; the registry lock orders one
//! holder's last use before the next holder's first use. The one exception
//! is [`Shard::cap`], which any thread may lower to zero to ask the owner
//! for its cached indices. Shard fields are atomics used with plain loads and
//! stores (no read-modify-write), so the owner's fast path has no locked
//! instruction and touches no cache line another thread writes.
//!
//! The thread-local [`WAYS`] table remembers, for a few index sets, the
//! set's id and the address of this thread's shard in it, so the fast path
//! is one thread-local load and one compare before it reaches the shard.

use alloc::boxed::Box;
use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cell::Cell;
use core::cmp::Reverse;
use core::ptr;

use crate::sync::{self, AtomicPtr, AtomicU32, AtomicUsize, Mutex, Ordering};

/// The most indices one shard holds; a power of two, so that masking an
/// index with `CACHE_MAX - 1` keeps it in bounds at no cost.
pub(crate) const CACHE_MAX: usize = if cfg!(loom) { 4 } else { 32 };

/// Which slot numbers are taken.
///
/// Invariant: `held[n]` is true exactly when some live thread holds number
/// `n`; `free` holds every number below `held.len()` that is not held.
#[derive(Debug)]
pub(crate) struct Registry {
    held: Vec<bool>,
    free: BinaryHeap<Reverse<usize>>,
}

impl Registry {
    const fn new() -> Self {
        Self {
            held: Vec::new(),
            free: BinaryHeap::new(),
        }
    }

    fn acquire(&mut self) -> usize {
        if let Some(Reverse(number)) = self.free.pop() {
            self.held[number] = true;
            number
        } else {
            self.held.push(true);
            self.held.len() - 1
        }
    }

    fn release(&mut self, number: usize) {
        debug_assert!(self.held[number]);
        self.held[number] = false;
        self.free.push(Reverse(number));
    }

    /// Whether some live thread holds `number`.
    pub(crate) fn is_held(&self, number: usize) -> bool {
        self.held.get(number).copied().unwrap_or(false)
    }
}

#[cfg(not(loom))]
static REGISTRY: Mutex<Registry> = Mutex::new(Registry::new());

// Under loom the registry lives for one execution and is dropped before the
// main thread's thread-locals; a thread's number keeps the registry alive
// through this `Arc` so that it can give the number back at exit.
#[cfg(loom)]
loom::lazy_static! {
    static ref REGISTRY: std::sync::Arc<Mutex<Registry>> =
        std::sync::Arc::new(Mutex::new(Registry::new()));
}

/// Runs `f` with the registry locked.
pub(crate) fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    f(&mut sync::lock(&REGISTRY))
}

/// The thread-local number before the thread asked for one.
const UNSET: usize = usize::MAX;
/// The thread-local number after the thread gave its number back.
const GONE: usize = usize::MAX - 1;

/// A thread's slot number, given back when the thread exits.
struct SlotNumber {
    number: usize,
    #[cfg(loom)]
    registry: std::sync::Arc<Mutex<Registry>>,
}

impl SlotNumber {
    fn acquire() -> Self {
        Self {
            number: with_registry(Registry::acquire),
            #[cfg(loom)]
            registry: std::sync::Arc::clone(&REGISTRY),
        }
    }
}

impl Drop for SlotNumber {
    fn drop(&mut self) {
        // From now on this thread works without caches: forget every shard
        // before the number (and with it the shards) goes to another thread.
        let _ = NUMBER.try_with(|number| number.set(GONE));
        let _ = WAYS.try_with(|ways| {
            for way in ways {
                way.forget();
            }
        });
        #[cfg(not(loom))]
        with_registry(|registry| registry.release(self.number));
        #[cfg(loom)]
        sync::lock(&self.registry).release(self.number);
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// The calling thread's number, `UNSET` or `GONE`; a constant-initialized
    /// `Cell` without destructor, so reading it is one load.
    static NUMBER: Cell<usize> = const { Cell::new(UNSET) };
}
#[cfg(loom)]
loom::thread_local! {
    static NUMBER: Cell<usize> = Cell::new(UNSET);
}

sync::thread_local! {
    /// Owns the number and gives it back at thread exit.
    static OWNER: SlotNumber = SlotNumber::acquire();
}

/// The calling thread's slot number, or `None` once its thread-locals are
/// being destroyed (the caller then works without a cache).
pub(crate) fn current_slot_number() -> Option<usize> {
    let number = NUMBER.try_with(Cell::get).unwrap_or(GONE);
    if number < GONE {
        return Some(number);
    }
    if number == GONE {
        return None;
    }
    let number = OWNER.try_with(|owner| owner.number).ok()?;
    NUMBER.try_with(|cell| cell.set(number)).ok()?;
    Some(number)
}

/// How many index sets a thread finds through [`WAYS`] without a slow
/// lookup: a set with id `id` uses way `id % WAY_COUNT`.
pub(crate) const WAY_COUNT: usize = 4;

/// The id no index set has.
pub(crate) const NO_SET: u64 = 0;

/// One entry of [`WAYS`]: an index set's id and this thread's shard in it.
///
/// Invariant: when `set` is not [`NO_SET`], `shard` points to the shard of
/// the calling thread's slot number in the index set with id `set`; it stays
/// valid as long as that set lives (the set's table never frees a shard
/// before the set drops, and ids are never reused, so a stale entry is
/// never matched).
#[derive(Debug)]
pub(crate) struct Way {
    set: Cell<u64>,
    shard: Cell<*const Shard>,
}

impl Way {
    const fn new() -> Self {
        Self {
            set: Cell::new(NO_SET),
            shard: Cell::new(ptr::null()),
        }
    }

    /// Clears the entry.
    fn forget(&self) {
        self.set.set(NO_SET);
        self.shard.set(ptr::null());
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// Recently used index sets and this thread's shard in each; constant
    /// initialized and without destructor, so reaching it is one
    /// thread-pointer-relative address and it is usable until the thread
    /// ends.
    static WAYS: [Way; WAY_COUNT] = const { [const { Way::new() }; WAY_COUNT] };
}
#[cfg(loom)]
loom::thread_local! {
    static WAYS: [Way; WAY_COUNT] = [const { Way::new() }; WAY_COUNT];
}

/// The calling thread's shard in the index set with id `set` (which must
/// not be [`NO_SET`]), if the thread-local table has it.
///
/// The returned pointer is valid while the set with id `set` lives.
#[inline(always)]
pub(crate) fn remembered(set: u64) -> Option<*const Shard> {
    WAYS.try_with(|ways| {
        let way = &ways[set as usize % WAY_COUNT];
        (way.set.get() == set).then(|| way.shard.get())
    })
    .ok()
    .flatten()
}

/// Records `shard` as the calling thread's shard in the set with id `set`.
/// The caller guarantees the [`Way`] invariant: `shard` is the shard of this
/// thread's current slot number in that set.
pub(crate) fn remember(set: u64, shard: &Shard) {
    let _ = WAYS.try_with(|ways| {
        let way = &ways[set as usize % WAY_COUNT];
        way.set.set(set);
        way.shard.set(shard);
    });
}

/// One thread's cache of free indices in one index set.
///
/// Invariants: `len <= cap <= CACHE_MAX` as read by the owner; the cached
/// indices are `items[..len]`, the most recently freed last; only the owner
/// (or a thread holding the registry lock while no thread holds the number)
/// writes `len` and `items`; `cap` is the set's cache limit, or zero after
/// another thread asked for the cached indices back (any thread may store
/// zero; only the owner, or a thread holding the registry lock while the
/// number is free, stores the limit back).
#[derive(Debug)]
#[repr(align(128))]
pub(crate) struct Shard {
    /// Number of cached indices.
    pub(crate) len: AtomicU32,
    /// How many indices the owner may cache before it must hand some over.
    pub(crate) cap: AtomicU32,
    /// The cached indices, as tokens.
    pub(crate) items: [AtomicUsize; CACHE_MAX],
}

impl Shard {
    fn new(limit: u32) -> Self {
        debug_assert!(limit as usize <= CACHE_MAX);
        Self {
            len: AtomicU32::new(0),
            cap: AtomicU32::new(limit),
            items: core::array::from_fn(|_| AtomicUsize::new(0)),
        }
    }

    /// The cached item at position `at`, which must be below `CACHE_MAX`
    /// (the mask only keeps the compiler from checking it again).
    #[inline(always)]
    pub(crate) fn item(&self, at: u32) -> &AtomicUsize {
        &self.items[at as usize & (CACHE_MAX - 1)]
    }
}

/// Bucket `b` holds the shards of numbers `2^b - 1 .. 2^(b+1) - 1`.
#[cfg(not(loom))]
const BUCKETS: usize = usize::BITS as usize;
#[cfg(loom)]
const BUCKETS: usize = 3;

/// The bucket and the offset in it of slot number `number`.
pub(crate) const fn locate(number: usize) -> (usize, usize) {
    let position = number + 1;
    let bucket = (usize::BITS - 1 - position.leading_zeros()) as usize;
    (bucket, position - (1 << bucket))
}

/// How many shards bucket `bucket` holds.
pub(crate) const fn bucket_len(bucket: usize) -> usize {
    1 << bucket
}

/// A set's shards, one per slot number, allocated a bucket at a time.
///
/// Invariant: `buckets[b]` is null or points to the first of
/// `bucket_len(b)` shards from a leaked `Box<[Shard]>`, owned by the table
/// and never changed again until the table drops.
#[derive(Debug)]
pub(crate) struct ShardTable {
    buckets: [AtomicPtr<Shard>; BUCKETS],
    /// The cap of new shards.
    limit: u32,
}

// `ShardTable` is `Send` and `Sync` through its fields (atomic pointers to
// shards made of atomics), with `std`'s atomics and with loom's.

impl ShardTable {
    /// A table whose shards cache up to `limit` indices.
    pub(crate) fn new(limit: u32) -> Self {
        Self {
            buckets: core::array::from_fn(|_| AtomicPtr::new(ptr::null_mut())),
            limit,
        }
    }

    /// The shard of slot number `number`, created if needed.
    pub(crate) fn get(&self, number: usize) -> &Shard {
        let (bucket, offset) = locate(number);
        let mut first = self.buckets[bucket].load(Ordering::Acquire);
        if first.is_null() {
            first = self.install(bucket);
        }
        // SAFETY: `first` is non-null, so by the table's invariant it points
        // to `bucket_len(bucket)` live shards, and `offset` is below that.
        unsafe { &*first.add(offset) }
    }

    #[cold]
    fn install(&self, bucket: usize) -> *mut Shard {
        let shards: Box<[Shard]> = (0..bucket_len(bucket))
            .map(|_| Shard::new(self.limit))
            .collect();
        let fresh = Box::into_raw(shards).cast::<Shard>();
        match self.buckets[bucket].compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(existing) => {
                // SAFETY: `fresh` came from `Box::into_raw` of a slice of
                // this length just above and was never shared.
                drop(unsafe {
                    Box::from_raw(ptr::slice_from_raw_parts_mut(fresh, bucket_len(bucket)))
                });
                existing
            }
        }
    }

    /// Every allocated shard with its slot number.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Shard)> {
        (0..BUCKETS).flat_map(move |bucket| {
            let first = self.buckets[bucket].load(Ordering::Acquire);
            let len = if first.is_null() {
                0
            } else {
                bucket_len(bucket)
            };
            (0..len).map(move |offset| {
                // SAFETY: `first` is non-null and `offset` is in range, as in
                // `get`.
                let shard = unsafe { &*first.add(offset) };
                (bucket_len(bucket) - 1 + offset, shard)
            })
        })
    }
}

impl Drop for ShardTable {
    fn drop(&mut self) {
        for (bucket, slot) in self.buckets.iter().enumerate() {
            let first = slot.load(Ordering::Acquire);
            if !first.is_null() {
                // SAFETY: by the invariant, a non-null bucket is a leaked
                // boxed slice of this length, owned by this table, and no
                // reference to it outlives `&mut self`.
                drop(unsafe {
                    Box::from_raw(ptr::slice_from_raw_parts_mut(first, bucket_len(bucket)))
                });
            }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn locate_is_dense() {
        let mut expected = (0, 0);
        for number in 0..1000 {
            assert_eq!(locate(number), expected, "number {number}");
            expected.1 += 1;
            if expected.1 == bucket_len(expected.0) {
                expected = (expected.0 + 1, 0);
            }
        }
        assert_eq!(locate(usize::MAX - 1).0, BUCKETS - 1);
    }

    #[test]
    fn registry_reuses_lowest() {
        let mut registry = Registry::new();
        assert_eq!(registry.acquire(), 0);
        assert_eq!(registry.acquire(), 1);
        assert_eq!(registry.acquire(), 2);
        registry.release(2);
        registry.release(0);
        assert!(!registry.is_held(0));
        assert!(registry.is_held(1));
        assert_eq!(registry.acquire(), 0);
        assert_eq!(registry.acquire(), 2);
        assert_eq!(registry.acquire(), 3);
        assert!(!registry.is_held(99));
    }

    #[test]
    fn table_hands_out_distinct_shards() {
        let table = ShardTable::new(3);
        let a: *const Shard = table.get(0);
        let b: *const Shard = table.get(5);
        assert_ne!(a, b);
        assert_eq!(a, table.get(0) as *const Shard);
        assert_eq!(table.get(5).cap.load(Ordering::Relaxed), 3);
        let numbers: Vec<usize> = table.iter().map(|(n, _)| n).collect();
        assert_eq!(numbers, [0, 3, 4, 5, 6]);
    }

    #[test]
    fn ways_remember_per_set() {
        let table = ShardTable::new(1);
        let (a, b) = (table.get(0), table.get(1));
        // Ids far above any real set's, in two different ways.
        let (x, y) = (u64::MAX - 1, u64::MAX - 2);
        assert_eq!(remembered(x), None);
        remember(x, a);
        remember(y, b);
        assert_eq!(remembered(x), Some(a as *const Shard));
        assert_eq!(remembered(y), Some(b as *const Shard));
        // A set with the same way but another id is not matched.
        assert_eq!(remembered(x - WAY_COUNT as u64), None);
        WAYS.with(|ways| ways.iter().for_each(Way::forget));
    }
}
