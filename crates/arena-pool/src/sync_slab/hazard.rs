//! Hazard records: how a [`SyncSlab`](super::SyncSlab) guard keeps a value
//! alive without a read-modify-write.
//!
//! Every thread that reads from a slab has one record in it, found through
//! its thread number: the first numbers' records are part of the slab,
//! the others in a table allocated as threads come. To read slot `i`, the
//! thread publishes `i` in its record with a `SeqCst` compare-and-swap and
//! only then loads the slot's state (`SeqCst`); a removal changes the
//! state with a `SeqCst` compare-and-swap and only then loads every record
//! with `SeqCst` loads. Of the two threads, at least one sees the other's
//! write: either the reader sees the removal (and backs off), or the
//! remover sees the record (and leaves the value to whoever finds it
//! unguarded later). Dropping the guard is one release store of zero.
//!
//! Each record holds one slot, so a thread that already holds a hazard
//! guard in a slab takes a counted guard for the next one.
//!
//! Writers of a record: only the thread holding its number publishes in it,
//! and only over an empty record (the compare-and-swap checks); whoever
//! holds the guard (on any thread, as guards are `Send`) empties it.

#[cfg(loom)]
use crate::sync::fence;
use crate::sync::{AtomicU32, Ordering};
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
    /// Publishes `index` if the record is empty, and returns whether it
    /// was; the caller must be the record's owner. A `SeqCst`
    /// read-modify-write: a `SeqCst` load the caller makes next is ordered
    /// after the publication for any thread that walks the records (see
    /// [`Hazards::protect`]).
    ///
    /// A locked instruction rather than a store and a fence: on x86 it
    /// does the work of both for less than the fence alone.
    #[inline(always)]
    pub(crate) fn publish(&self, index: u32) -> bool {
        // Acquire: the reads of the guard that emptied the record (maybe
        // on another thread) happen before this publication. Release: so a
        // walk that reads it, rather than the zero before it, sees them too.
        let published = self
            .slot
            .compare_exchange(0, index + 1, Ordering::SeqCst, Ordering::Relaxed)
            .is_ok();
        // Loom models `SeqCst` read-modify-writes as acquire and release
        // only; as in `protect`.
        #[cfg(loom)]
        fence(Ordering::SeqCst);
        published
    }

    /// Empties the record: the guard's reads of the value happen before
    /// any walk that sees it empty.
    #[inline(always)]
    pub(crate) fn clear(&self) {
        self.slot.store(0, Ordering::Release);
    }
}

/// How many hazard records a slab keeps in line: those of thread numbers
/// `0..NEAR`. One under loom, whose models run two or three threads, so
/// that they reach the table too.
#[cfg(not(loom))]
const NEAR: usize = 2;
#[cfg(loom)]
const NEAR: usize = 1;

/// The hazard records of one slab, one per thread number.
///
/// The records of the first thread numbers are in line, so that a removal
/// in a slab only those threads read from (a program with one or two
/// threads, as numbers are reused lowest first) checks them with one load
/// each and no pointer to follow; the others live in a table, at position
/// `number - NEAR`.
#[derive(Debug)]
pub(crate) struct Hazards {
    near: [Hazard; NEAR],
    others: ThreadTable<Hazard>,
}

impl Hazards {
    pub(crate) fn new() -> Self {
        Self {
            near: Default::default(),
            others: ThreadTable::new(),
        }
    }

    /// The calling thread's record; `None` once the thread has given its
    /// number back.
    #[inline(always)]
    pub(crate) fn mine(&self) -> Option<&Hazard> {
        let number = current_slot_number()?;
        Some(match self.near.get(number) {
            Some(record) => record,
            None => self.others.get(number - NEAR, Hazard::default),
        })
    }

    /// Whether a record holds slot `index`. The caller must have made the
    /// slot unreachable (an even version, no counted guards) with a `SeqCst`
    /// read-modify-write, or seen that with a `SeqCst` load, before calling
    /// this: then a reader that this walk misses sees the slot unreachable
    /// and backs off, and a reader it finds empty is done with the value.
    ///
    /// The records in line are checked here, the table out of line and only
    /// when a thread has a record there.
    #[inline(always)]
    pub(crate) fn protect(&self, index: u32) -> bool {
        // Loom models `SeqCst` reads and read-modify-writes as acquire and
        // release only; the fence gives it the order that the shipping
        // code gets from the `SeqCst` operation before the call.
        #[cfg(loom)]
        fence(Ordering::SeqCst);
        let tag = index + 1;
        self.near
            .iter()
            .any(|record| record.slot.load(Ordering::SeqCst) == tag)
            || (!self.others.is_empty() && self.protect_others(tag))
    }

    /// Whether a record of the table holds `tag`.
    #[inline(never)]
    fn protect_others(&self, tag: u32) -> bool {
        self.others
            .any(move |record| record.slot.load(Ordering::SeqCst) == tag)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_published_slot_is_protected_until_cleared() {
        let hazards = Hazards::new();
        assert!(!hazards.protect(3), "no record holds it yet");
        let record = hazards.mine().unwrap();
        assert!(record.publish(3));
        assert!(hazards.protect(3));
        assert!(!hazards.protect(4));
        assert!(!record.publish(4), "the record is taken");
        assert!(hazards.protect(3));
        record.clear();
        assert!(!hazards.protect(3));
        assert!(record.publish(4));
        record.clear();
    }

    #[test]
    fn records_of_other_threads_are_walked() {
        let hazards = Hazards::new();
        // This thread's number first, so the other thread gets another.
        let record = hazards.mine().unwrap();
        std::thread::scope(|s| {
            s.spawn(|| assert!(hazards.mine().unwrap().publish(7)));
        });
        // The thread exited holding slot 7 (as a guard it sent away would).
        assert!(hazards.protect(7));
        let index = u32::MAX - 1;
        assert!(record.publish(index));
        assert!(hazards.protect(index));
        record.clear();
    }

    #[test]
    fn records_past_those_in_line_are_walked() {
        // Live threads hold distinct numbers, so of these at most `NEAR`
        // get a record in line; the others publish in the table.
        const THREADS: u32 = NEAR as u32 + 3;
        let hazards = Hazards::new();
        let all_published = std::sync::Barrier::new(THREADS as usize);
        std::thread::scope(|s| {
            for index in 0..THREADS {
                let (hazards, all_published) = (&hazards, &all_published);
                s.spawn(move || {
                    assert!(hazards.mine().unwrap().publish(index));
                    all_published.wait();
                });
            }
        });
        assert!(!hazards.others.is_empty());
        for index in 0..THREADS {
            assert!(hazards.protect(index), "slot {index}");
        }
        assert!(!hazards.protect(THREADS));
    }
}
