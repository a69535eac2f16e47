//! [`Chunks`]: the parts of a growing pool, appended by any thread without a
//! lock and never moved or freed before the table drops.
//!
//! A growing `SyncPool` is a list of bounded pools (*chunks*), each with its
//! own slots and free set at a fixed heap address. Boxes find their chunk
//! through their segment header, as in a bounded pool, so growth changes
//! nothing on the free path; allocation tries one chunk first and grows the
//! table only when no chunk has a free slot.

use alloc::boxed::Box;
use core::ptr::{self, NonNull};

use crate::sync::{AtomicPtr, AtomicUsize, Ordering};

/// The most chunks a table holds. Chunks double the total each time (see
/// `layout::growth_capacity`), so far fewer than this fit in memory.
pub(crate) const MAX_CHUNKS: usize = if cfg!(loom) { 6 } else { 64 };

/// A table of up to [`MAX_CHUNKS`] boxed values of type `S`.
///
/// Invariants: every non-null entry is a pointer from `Box::into_raw`,
/// owned by the table, written once (from null) and freed only by the
/// table's `Drop`; entries below `len` are not null; `len` only grows.
#[derive(Debug)]
pub(crate) struct Chunks<S> {
    table: [AtomicPtr<S>; MAX_CHUNKS],
    len: AtomicUsize,
}

// `Chunks<S>` is `Send` and `Sync` through its atomics; the pool that holds
// it decides what may cross threads (`SyncPool<T>` requires `T: Send`).

impl<S> Chunks<S> {
    /// A table whose first chunk is `first`.
    ///
    /// # Safety
    ///
    /// `first` came from `Box::into_raw` and nothing else owns it; the
    /// table frees it when it drops.
    pub(crate) unsafe fn new(first: NonNull<S>) -> Self {
        let table = core::array::from_fn(|_| AtomicPtr::new(ptr::null_mut()));
        let chunks = Self {
            table,
            len: AtomicUsize::new(1),
        };
        chunks.table[0].store(first.as_ptr(), Ordering::Relaxed);
        chunks
    }

    /// How many chunks are installed.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Chunk `at`, which must be below a `len` this thread has read.
    #[inline]
    pub(crate) fn get(&self, at: usize) -> NonNull<S> {
        let chunk = self.table[at].load(Ordering::Acquire);
        debug_assert!(!chunk.is_null(), "chunk {at} is not installed");
        // SAFETY: `at` is below a `len` read before (acquire), and entries
        // below `len` are not null and never change back.
        unsafe { NonNull::new_unchecked(chunk) }
    }

    /// Every installed chunk, newest first.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = NonNull<S>> + '_ {
        (0..self.len()).rev().map(|at| self.get(at))
    }

    /// Makes chunk `seen` installed, where `seen` is a `len` this thread
    /// read: if no thread installed it yet, installs the chunk `make`
    /// returns; a chunk made by a thread that loses the race is freed.
    /// Returns `false` when the table is full or `make` returns `None`.
    ///
    /// # Safety
    ///
    /// What `make` returns came from `Box::into_raw` and nothing else owns
    /// it.
    pub(crate) unsafe fn grow(
        &self,
        seen: usize,
        make: impl FnOnce() -> Option<NonNull<S>>,
    ) -> bool {
        if seen >= MAX_CHUNKS {
            return false;
        }
        if self.table[seen].load(Ordering::Acquire).is_null() {
            let Some(fresh) = make() else {
                return false;
            };
            if self.table[seen]
                .compare_exchange(
                    ptr::null_mut(),
                    fresh.as_ptr(),
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_err()
            {
                // SAFETY: `fresh` is a box this thread alone owns (the
                // caller's contract), never published.
                drop(unsafe { Box::from_raw(fresh.as_ptr()) });
            }
        }
        // Entry `seen` is installed; `len` is `seen` or more, and grows by
        // one at a time, so this raises it unless another thread did.
        let _ = self
            .len
            .compare_exchange(seen, seen + 1, Ordering::AcqRel, Ordering::Acquire);
        true
    }
}

impl<S> Drop for Chunks<S> {
    fn drop(&mut self) {
        for entry in &self.table {
            let chunk = entry.load(Ordering::Acquire);
            if !chunk.is_null() {
                // SAFETY: by the invariant, a non-null entry is a box the
                // table owns; with `&mut self` nothing else uses it.
                drop(unsafe { Box::from_raw(chunk) });
            }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn boxed(value: usize) -> NonNull<usize> {
        NonNull::from(Box::leak(Box::new(value)))
    }

    #[test]
    fn grows_once_per_length_and_frees_the_loser() {
        // SAFETY: fresh boxes, given to the table.
        let chunks = unsafe { Chunks::new(boxed(10)) };
        assert_eq!(chunks.len(), 1);
        // SAFETY: as above.
        assert!(unsafe { chunks.grow(1, || Some(boxed(11))) });
        assert_eq!(chunks.len(), 2);
        // A thread that read `len == 1` too late finds chunk 1 installed:
        // its `make` is not called and `len` stays.
        // SAFETY: as above.
        assert!(unsafe { chunks.grow(1, || unreachable!()) });
        assert_eq!(chunks.len(), 2);
        // SAFETY: as above.
        assert!(!unsafe { chunks.grow(2, || None) });
        assert_eq!(chunks.len(), 2);
        let values: alloc::vec::Vec<usize> = chunks
            .newest_first()
            // SAFETY: installed chunks live as long as the table.
            .map(|chunk| unsafe { *chunk.as_ref() })
            .collect();
        assert_eq!(values, [11, 10]);
        // SAFETY: as above.
        assert!(!unsafe { chunks.grow(MAX_CHUNKS, || unreachable!()) });
    }
}
