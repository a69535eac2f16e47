//! Shards: one per thread number in every index set, each a thread's cache
//! of free tokens, allocated a bucket at a time on first use.
//!
//! A shard is written only by the thread holding its number (its *owner*)
//! or, while no thread holds it, by a thread holding the registry lock
//! (`thread_number.rs`). The one exception is [`Shard::cap`], which any
//! thread may lower to zero to ask the owner for its cached tokens. Shard
//! fields are atomics used with plain loads and stores (no
//! read-modify-write), so the owner's fast path has no locked instruction
//! and touches no cache line another thread writes.

use alloc::boxed::Box;
use core::marker::PhantomData;
use core::ptr;

use super::layout::CACHE_MAX;
use crate::sync::{AtomicPtr, AtomicU32, AtomicUsize, Ordering};

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

/// One `S` per slot number, allocated a bucket at a time on first use:
/// the per-thread records of a shared structure (a set's shards, a slab's
/// hazard records).
///
/// Invariants: `buckets[b]` is null or points to the first of
/// `bucket_len(b)` records from a leaked `Box<[S]>`, owned by the table
/// and never changed again until the table drops; `top` is above every
/// bucket whose pointer is not null, and is raised before the pointer is
/// stored.
#[derive(Debug)]
pub(crate) struct ThreadTable<S> {
    buckets: [AtomicPtr<S>; BUCKETS],
    /// One past the highest bucket that may be allocated, so that walks
    /// stop there instead of loading every bucket pointer.
    top: AtomicUsize,
    /// The table owns its records: it is `Send` and `Sync` as `S` is.
    _owns: PhantomData<S>,
}

impl<S> ThreadTable<S> {
    /// A table with no record yet.
    pub(crate) fn new() -> Self {
        Self {
            buckets: core::array::from_fn(|_| AtomicPtr::new(ptr::null_mut())),
            top: AtomicUsize::new(0),
            _owns: PhantomData,
        }
    }

    /// The record of slot number `number`, its bucket made with `make` if
    /// needed.
    #[inline(always)]
    pub(crate) fn get(&self, number: usize, make: impl Fn() -> S) -> &S {
        let (bucket, offset) = locate(number);
        let mut first = self.buckets[bucket].load(Ordering::Acquire);
        if first.is_null() {
            first = self.install(bucket, make);
        }
        // SAFETY: `first` is non-null, so by the table's invariant it points
        // to `bucket_len(bucket)` live records, and `offset` is below that.
        unsafe { &*first.add(offset) }
    }

    #[cold]
    #[inline(never)]
    fn install(&self, bucket: usize, make: impl Fn() -> S) -> *mut S {
        // Raised first: a thread that finds the bucket's pointer and then
        // publishes something in one of its records is ordered after this,
        // so a walk that misses the bucket is ordered before that thread's
        // publication (see `SyncSlab`'s hazard records).
        self.top.fetch_max(bucket + 1, Ordering::SeqCst);
        let records: Box<[S]> = (0..bucket_len(bucket)).map(|_| make()).collect();
        let fresh = Box::into_raw(records).cast::<S>();
        match self.buckets[bucket].compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::SeqCst,
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

    /// Whether `found` holds for an allocated record, called on each in
    /// turn until it does. The loads are sequentially consistent, as in
    /// [`iter`](Self::iter); a plain loop, as this runs on hot paths.
    #[inline]
    pub(crate) fn any(&self, mut found: impl FnMut(&S) -> bool) -> bool {
        let top = self.top.load(Ordering::SeqCst).min(BUCKETS);
        for bucket in 0..top {
            let first = self.buckets[bucket].load(Ordering::SeqCst);
            if first.is_null() {
                continue;
            }
            for offset in 0..bucket_len(bucket) {
                // SAFETY: `first` is non-null and `offset` is in range, as
                // in `get`.
                if found(unsafe { &*first.add(offset) }) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether no record is allocated, with a sequentially consistent load
    /// as in [`iter`](Self::iter).
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.top.load(Ordering::SeqCst) == 0
    }

    /// Every allocated record with its slot number. The loads are
    /// sequentially consistent, so a walk ordered after a record's
    /// publication sees it (`SyncSlab`'s hazard records rely on it).
    #[inline]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &S)> {
        let top = self.top.load(Ordering::SeqCst).min(BUCKETS);
        (0..top).flat_map(move |bucket| {
            let first = self.buckets[bucket].load(Ordering::SeqCst);
            let len = if first.is_null() {
                0
            } else {
                bucket_len(bucket)
            };
            (0..len).map(move |offset| {
                // SAFETY: `first` is non-null and `offset` is in range, as in
                // `get`.
                let record = unsafe { &*first.add(offset) };
                (bucket_len(bucket) - 1 + offset, record)
            })
        })
    }
}

impl<S> Drop for ThreadTable<S> {
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

/// A set's shards, one per slot number.
#[derive(Debug)]
pub(crate) struct ShardTable {
    shards: ThreadTable<Shard>,
    /// The cap of new shards.
    limit: u32,
}

impl ShardTable {
    /// A table whose shards cache up to `limit` indices.
    pub(crate) fn new(limit: u32) -> Self {
        Self {
            shards: ThreadTable::new(),
            limit,
        }
    }

    /// The shard of slot number `number`, created if needed.
    pub(crate) fn get(&self, number: usize) -> &Shard {
        self.shards.get(number, || Shard::new(self.limit))
    }

    /// Every allocated shard with its slot number.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Shard)> {
        self.shards.iter()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use alloc::vec::Vec;

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
}
