//! Hazard records: how a [`SyncSlab`](super::SyncSlab) guard keeps a value
//! alive without a read-modify-write.
//!
//! Every thread that reads from a slab has one record in it, found through
//! its thread number. To read slot `i`, the thread publishes `i` in its
//! record, issues a `SeqCst` fence and only then loads the slot's state; a
//! removal changes the state with a `SeqCst` compare-and-swap and only then
//! loads every record with `SeqCst` loads. Of the two threads, at least
//! one sees the other's write: either the reader sees the removal (and
//! backs off), or the remover sees the record (and leaves the value to
//! whoever finds it unguarded later). Dropping the guard is one release
//! store of zero.
//!
//! Each record holds one slot, so a thread that already holds a hazard
//! guard in a slab takes a counted guard for the next one.
//!
//! Writers of a record: only the thread holding its number publishes in it,
//! and only after reading it empty; whoever holds the guard (on any thread,
//! as guards are `Send`) empties it. So a record that its owner reads empty
//! stays empty until the owner publishes.

use crate::sync::{AtomicU32, Ordering, fence};
use crate::sync_pool::{ThreadTable, current_slot_number};

/// One thread's hazard record in one slab, alone on its cache lines.
///
/// Invariant: `slot` is zero, or one more than the index of a slot that
/// a guard of the record's thread is reading or about to read.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct Hazard {
    slot: AtomicU32,
}

impl Hazard {
    /// Whether the record holds no slot. Only its owner's answer stays
    /// true (see the module notes).
    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        // Acquire: the reads of the guard that emptied the record (maybe on
        // another thread) happen before the owner's next publication, so a
        // walk that reads that publication sees them too.
        self.slot.load(Ordering::Acquire) == 0
    }

    /// Publishes `index`, then fences: every load the caller makes after
    /// this is ordered after the publication for any thread that walks the
    /// records (see [`Hazards::protect`]). The record must be empty and the
    /// caller its owner.
    #[inline(always)]
    pub(crate) fn publish(&self, index: u32) {
        debug_assert!(self.is_empty());
        // Release: a walk that reads this (rather than the zero before it)
        // also sees the reads of the guard that emptied the record before.
        self.slot.store(index + 1, Ordering::Release);
        fence(Ordering::SeqCst);
    }

    /// Empties the record: the guard's reads of the value happen before
    /// any walk that sees it empty.
    #[inline(always)]
    pub(crate) fn clear(&self) {
        self.slot.store(0, Ordering::Release);
    }
}

/// The hazard records of one slab, one per thread number.
#[derive(Debug)]
pub(crate) struct Hazards {
    records: ThreadTable<Hazard>,
}

impl Hazards {
    pub(crate) fn new() -> Self {
        Self {
            records: ThreadTable::new(),
        }
    }

    /// The calling thread's record, if it is empty; `None` when it holds a
    /// slot or the thread has given its number back.
    #[inline(always)]
    pub(crate) fn empty_record(&self) -> Option<&Hazard> {
        let number = current_slot_number()?;
        let record = self.records.get(number, Hazard::default);
        record.is_empty().then_some(record)
    }

    /// Whether a record holds slot `index`. The caller must have made the
    /// slot unreachable (an even version, no counted guards) with a `SeqCst`
    /// read-modify-write, or seen that with a `SeqCst` load, before calling
    /// this: then a reader that this walk misses sees the slot unreachable
    /// and backs off, and a reader it finds empty is done with the value.
    #[inline]
    pub(crate) fn protect(&self, index: u32) -> bool {
        // Loom models `SeqCst` reads and read-modify-writes as acquire and
        // release only; the fence gives it the order that the shipping
        // code gets from the `SeqCst` operation before the call.
        #[cfg(loom)]
        fence(Ordering::SeqCst);
        let tag = index + 1;
        self.records
            .any(|record| record.slot.load(Ordering::SeqCst) == tag)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_published_slot_is_protected_until_cleared() {
        let hazards = Hazards::new();
        assert!(!hazards.protect(3), "no record yet");
        let record = hazards.empty_record().unwrap();
        record.publish(3);
        assert!(hazards.protect(3));
        assert!(!hazards.protect(4));
        assert!(hazards.empty_record().is_none(), "the record is taken");
        record.clear();
        assert!(!hazards.protect(3));
        assert!(hazards.empty_record().is_some());
    }

    #[test]
    fn records_of_other_threads_are_walked() {
        let hazards = Hazards::new();
        // This thread's number first, so the other thread gets another.
        let record = hazards.empty_record().unwrap();
        std::thread::scope(|s| {
            s.spawn(|| hazards.empty_record().unwrap().publish(7));
        });
        // The thread exited holding slot 7 (as a guard it sent away would).
        assert!(hazards.protect(7));
        let index = u32::MAX - 1;
        record.publish(index);
        assert!(hazards.protect(index));
        record.clear();
    }
}
