//! [`SyncSlab`]: a concurrent keyed pool that grows, or stays within a
//! bound.
//!
//! # Design
//!
//! - `key.rs` (no `unsafe`): keys, page arithmetic and the bit fields of a
//!   slot's state word;
//! - `pages.rs`: pages of slots, allocated on demand, never moved or freed
//!   before the slab drops;
//! - `hazard.rs`: the per-thread hazard records that guards publish in;
//! - `entry.rs`: the guards.
//!
//! **Memory.** Page `p` holds `64 << p` slots; the slab starts with none and
//! installs the next page with one compare-and-swap when every page is full,
//! so a value never moves and a key's index finds its slot with a few
//! instructions of arithmetic (`key::locate`) and one load of the page
//! pointer. 26 pages hold `2^32 - 64` slots, the most a 32-bit index names.
//! A bounded slab has the same pages, all allocated when it is made, the
//! last one cut short at the bound; it never installs another, so the only
//! difference on every path is that a claim finding no free slot gives up
//! instead of growing, and a lookup checks the offset against its page's
//! length (which it does for every page anyway).
//!
//! **Free slots.** Each page keeps its free slots in the same free-slot set
//! as `SyncPool` (a shared bitmap without ABA behind per-thread caches,
//! found through the process-wide thread numbers; see `sync_pool`'s
//! design notes): an insert takes a slot from the calling thread's cache
//! for the page it used last, a removal gives the slot to the caller's
//! cache for that slot's page, and neither touches memory other threads
//! write in the common case. There is no limit on threads: numbers are
//! reused after threads exit, and shards are allocated as numbers appear.
//!
//! **State word.** A slot has one `AtomicU64`: the version of
//! `pool::generation` in the high half, and in the low half the number of
//! live *counted* guards and a *pending* flag. Odd versions hold the value
//! whose key carries that generation; a slot whose version would pass the
//! last generation is retired and never reused, so keys never alias.
//!
//! **Guards.** A guard keeps its value from being dropped in one of two
//! ways. A *hazard guard* is the common one: the reading thread publishes
//! the slot's index in its hazard record in the slab (`hazard.rs`) with a
//! `SeqCst` compare-and-swap, and then checks the state, so taking it costs
//! one locked instruction and dropping it one plain store. A thread has one record per slab; while its record is
//! taken (the thread holds another hazard guard in the slab, or sent one
//! to another thread that has not dropped it yet), it takes a *counted
//! guard*: one more in the state word's count. A locked instruction costs
//! as much as a fence, so a counted guard costs about twice a hazard guard.
//!
//! Every transition of the state word is one atomic operation:
//!
//! - insert: the slot is owned (taken from the free set): write the value,
//!   then store the next odd version with no guards (release);
//! - get, hazard guard: publish the index, load the state; the guard
//!   holds if the version equals the key's generation, so a stale key finds
//!   nothing. Dropping the guard empties the record (release) and then
//!   loads the state, to drop the value if it was left pending;
//! - get, counted guard: compare-and-swap adding one guard while the
//!   version equals the key's generation (acquire). The state is loaded
//!   first rather than guessed (no guards) for the compare-and-swap: the
//!   plain load can start before earlier locked instructions finish, so a
//!   slot not in cache is fetched meanwhile. Dropping it subtracts one;
//! - remove: compare-and-swap (`SeqCst`) to the next even version, keeping
//!   the guards, so the key finds nothing from the moment `remove` returns.
//!   With counted guards, the one whose drop takes the count to zero goes
//!   on as below. Without, the remover does: it walks the hazard records
//!   (`SeqCst` loads; the first two threads' records are in line in the
//!   slab, the others in a table); if none holds the slot it owns it,
//!   moves the value out, hands the slot back and drops the value. If one
//!   does, **the value stays until the last guard drops** (as in
//!   sharded-slab): the remover sets the pending flag and marks the slot
//!   in its page's pending marks, and whoever then finds the flag set and
//!   no record holding the slot (the last hazard guard's drop, or a sweep)
//!   clears the flag with a compare-and-swap, which makes it the one owner,
//!   and drops the value;
//! - take: as remove, from "this generation, no counted guards" only, and
//!   only when no hazard record holds the slot: a value with live guards
//!   cannot be moved out, so `take` returns `None` and the value stays
//!   (sharded-slab's `take` waits for the guards instead, which never
//!   returns when the caller holds one). A lookup that starts while `take`
//!   runs can still make it find a record holding the slot after its
//!   compare-and-swap: then the value is removed and left pending, and
//!   `take` returns `None`.
//!
//! Why a value is never dropped while a guard reads it: a reader publishes
//! with a `SeqCst` read-modify-write before its `SeqCst` load of the state,
//! and a remover changes the state with a `SeqCst` read-modify-write before
//! its `SeqCst` loads of the records, so in the single total order of those operations, either the
//! reader's load comes after the removal (it sees the even version and
//! backs off) or the remover's walk comes after the publication (it finds
//! the record). The remover's answer is not final: it walks once, and a
//! guard dropping at that moment may load the state before the removal's
//! flag is visible, with its own store not yet visible to the remover;
//! then neither drops the value, and it waits for a sweep of the pending
//! marks: every insert that finds its page without a free slot makes one,
//! as does `reclaim_removed` and the slab's drop. Without that race (on one
//! thread, or when the guard drops well before or after the removal) the
//! last guard drops the value.
//!
//! Counted guards: exactly one thread sees the count reach zero on an even
//! version, and no get can add one after that (no key matches an even
//! version). Each value is moved out by one owner: the thread that made
//! it unreachable without counted guards and found no record holding it,
//! the last counted guard in the same case, or the thread whose
//! compare-and-swap cleared the pending flag. Ownership is ordered by the
//! operations on the state word, the release stores that empty records
//! (read by the walks' loads), and the free set's own ordering.
//!
//! **Counts.** `len` adds up the pages' slots and subtracts the free sets'
//! sizes, the retired slots and the removed values that wait for guards
//! (two counters written only on those rare paths), so inserts and
//! removals touch no shared counter. It is exact when no call is in flight.
//!
//! **Model checking.** Under loom the pages are small (2, 4, 8 slots) and
//! the caches hold 4. Loom models `SeqCst` loads and read-modify-writes as
//! acquire and release only, so under loom the walk of the hazard records
//! and the reader's load of the state follow a `SeqCst` fence, which gives
//! the order the shipping code gets from the `SeqCst` operations before
//! them; the code is otherwise the same (`tests/loom_sync_slab.rs`).

mod entry;
mod hazard;
mod key;
mod pages;

use alloc::sync::Arc;
use core::fmt;
use core::marker::PhantomData;
use core::ptr;

pub use entry::{OwnedSlabEntry, SlabEntry};
pub use key::SlabKey;

use crate::pool::Full;
use crate::pool::generation::{RETIRED, is_occupied, is_reusable};
use crate::sync::{AtomicUsize, Ordering};
use crate::sync_pool::Reclaim;
use hazard::{Hazard, Hazards};
use key::{
    MAX_GUARDS, MAX_SLOTS, PAGES, PENDING, guards_of, holds, index_of, is_pending, locate,
    page_len, state, vacated, version_of,
};
use pages::{Page, PageTable, Slot};

/// A map from [`SlabKey`]s to values that any number of threads insert
/// into, read and remove from through `&SyncSlab`, growing as needed or
/// within a fixed number of slots ([`bounded`](Self::bounded)).
///
/// The counterpart of sharded-slab's `Slab`, with these differences:
///
/// - keys are [`SlabKey`]s that carry a generation and never alias: a key
///   whose value was removed finds nothing, even after its slot is reused;
/// - there is no limit on threads (sharded-slab panics past a fixed
///   number); every thread that ever touches the slab may insert and remove;
/// - [`len`](Self::len) counts the values;
/// - [`take`](Self::take) returns `None` instead of waiting while guards on
///   the value are alive.
///
/// [`get`](Self::get) returns a [`SlabEntry`] guard that derefs to the
/// value; a value removed while guards on it are alive is dropped when the
/// last of them drops. [`get_owned`](Self::get_owned) on an
/// `Arc<SyncSlab<T>>` returns an [`OwnedSlabEntry`] that keeps the slab
/// alive.
///
/// Values live in pages of 64, 128, 256, ... slots, allocated when needed
/// and never moved; each slot takes the value's size, an 8-byte state word
/// and one bit (its pending mark). Inserts and removals are lock-free: each
/// thread keeps a few free slots of each page in a cache of its own. Each
/// thread that reads has a 128-byte hazard record in the slab: a guard
/// publishes its slot there, so a lookup costs one compare-and-swap on
/// memory no other thread writes, and dropping the guard a plain store.
/// The records of the first two thread numbers are part of the slab
/// (256 bytes); a removal checks those and walks the others, so its cost
/// grows with the number of threads that have read from the slab.
///
/// `SyncSlab<T>` is `Send` when `T` is `Send`, and `Sync` when `T` is
/// `Send + Sync` (any thread may read values through guards, and move them
/// out with [`take`](Self::take)).
///
/// ```
/// use arena_pool::SyncSlab;
///
/// let slab = SyncSlab::new();
/// let keys: Vec<_> = std::thread::scope(|s| {
///     let workers: Vec<_> = (0..4)
///         .map(|i| {
///             let slab = &slab;
///             s.spawn(move || slab.insert(format!("value {i}")).unwrap())
///         })
///         .collect();
///     workers.into_iter().map(|w| w.join().unwrap()).collect()
/// });
/// assert_eq!(slab.len(), 4);
/// assert_eq!(*slab.get(keys[2]).unwrap(), "value 2");
/// assert_eq!(slab.take(keys[0]).as_deref(), Some("value 0"));
/// assert!(!slab.contains(keys[0]));
/// ```
pub struct SyncSlab<T> {
    pages: PageTable<T>,
    /// One hazard record per thread that reads.
    hazards: Hazards,
    /// The page inserts look in first: the last one a slot came from.
    hint: AtomicUsize,
    /// Removed values waiting for their last guard (wrapping; see `len`).
    waiting: AtomicUsize,
    /// Slots retired for good.
    retired: AtomicUsize,
    /// Made by [`bounded`](Self::bounded): every page is allocated, and a
    /// claim that finds no free slot fails instead of adding one.
    bounded: bool,
    /// The traits come from the impls below, not from the fields.
    _values: PhantomData<*const T>,
}

// SAFETY: the slab owns its values; moving it moves them (`T: Send`). Its
// other parts are atomics and pages it owns.
unsafe impl<T: Send> Send for SyncSlab<T> {}
// SAFETY: through `&SyncSlab` a thread reads values other threads inserted
// (`T: Sync`) and moves values in and out, or drops them (`take`, `remove`,
// the last guard), on any thread (`T: Send`). Every access to a value is
// ordered by the slot's state word, as the module notes explain.
unsafe impl<T: Send + Sync> Sync for SyncSlab<T> {}

impl<T> SyncSlab<T> {
    /// An empty slab; it allocates nothing until the first insert.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab: SyncSlab<String> = SyncSlab::new();
    /// assert!(slab.is_empty());
    /// assert_eq!(slab.capacity(), 0);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            pages: PageTable::new(),
            hazards: Hazards::new(),
            hint: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            retired: AtomicUsize::new(0),
            bounded: false,
            _values: PhantomData,
        }
    }

    /// An empty growing slab (as [`new`](Self::new)) with pages for at
    /// least `capacity` values allocated up front (fewer if the allocator
    /// refuses, or past the most a slab can hold, `2^32 - 64`). It grows
    /// past them as needed; [`bounded`](Self::bounded) makes a slab that
    /// never does.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab: SyncSlab<u64> = SyncSlab::with_capacity(100);
    /// assert!(slab.capacity() >= 100);
    /// for i in 0..1000 {
    ///     slab.insert(i).unwrap();
    /// }
    /// assert!(slab.capacity() >= 1000, "it grows past its first pages");
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        let slab = Self::new();
        for page in 0..PAGES {
            if key::page_start(page) >= capacity as u64
                || slab.pages.install(page, page_len(page)).is_none()
            {
                break;
            }
        }
        slab
    }

    /// An empty slab of exactly `capacity` slots, all allocated now, that
    /// never grows: [`insert`](Self::insert) returns [`Full`] with the
    /// value when every slot is taken. Lookups and removals cost what they
    /// cost in a growing slab, and inserts never allocate.
    ///
    /// The slots are in the same pages of 64, 128, 256, ... slots as in a
    /// growing slab, the last one cut short at `capacity`.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds `2^32 - 64`, the most a slab can hold, or the
    /// memory cannot be allocated.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::bounded(2);
    /// assert_eq!(slab.capacity(), 2);
    /// let a = slab.insert("a").unwrap();
    /// slab.insert("b").unwrap();
    /// let full = slab.insert("c").unwrap_err();
    /// assert_eq!(full.into_value(), "c");
    /// assert_eq!(slab.capacity(), 2);
    /// slab.remove(a);
    /// assert!(slab.insert("d").is_ok());
    /// ```
    #[must_use]
    pub fn bounded(capacity: usize) -> Self {
        assert!(
            capacity as u64 <= MAX_SLOTS,
            "a SyncSlab holds at most 2^32 - 64 values, not {capacity}"
        );
        let mut slab = Self::new();
        slab.bounded = true;
        for page in 0..PAGES {
            let start = key::page_start(page) as usize;
            if start >= capacity {
                break;
            }
            let len = page_len(page).min(capacity - start);
            if slab.pages.install(page, len).is_none() {
                panic!("cannot allocate a page of {len} slots for a SyncSlab");
            }
        }
        slab
    }

    /// Whether the slab was made with [`bounded`](Self::bounded).
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// assert!(SyncSlab::<u8>::bounded(10).is_bounded());
    /// assert!(!SyncSlab::<u8>::with_capacity(10).is_bounded());
    /// ```
    pub fn is_bounded(&self) -> bool {
        self.bounded
    }

    /// How many slots the allocated pages have: for a bounded slab, its
    /// bound.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// slab.insert(1).unwrap();
    /// assert_eq!(slab.capacity(), 64);
    /// assert_eq!(SyncSlab::<u8>::bounded(100).capacity(), 100);
    /// ```
    pub fn capacity(&self) -> usize {
        self.pages.iter().map(|(_, page)| page.slots.len()).sum()
    }

    /// Moves `value` into the slab and returns its key. Lock-free: the
    /// calling thread's cache of free slots usually has one; otherwise a
    /// batch comes from the page's shared set, or the next page is
    /// allocated (not in a bounded slab).
    ///
    /// # Errors
    ///
    /// [`Full`], holding `value`, when no slot is free. A growing slab
    /// fails only when it has `2^32 - 64` slots in use or the allocator
    /// refuses a new page. A [`bounded`](Self::bounded) one fails when
    /// every slot holds a value (or a removed value that guards still
    /// read, or was retired after its last generation), except for free
    /// slots that other threads keep in their caches (at most 32 per page
    /// and thread, none in pages of fewer than 8 slots): a thread that
    /// finds the slab full takes the caches of exited threads, asks running
    /// ones to give theirs back at their next removal from that page, and
    /// yields a little while for that, so the call fails with free slots
    /// only while they sit in the caches of live threads that remove
    /// nothing from their pages meanwhile. When no cache holds a slot, it
    /// fails at once.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(7).unwrap();
    /// assert_eq!(*slab.get(key).unwrap(), 7);
    /// ```
    #[inline]
    pub fn insert(&self, value: T) -> Result<SlabKey, Full<T>> {
        let Some((index, slot)) = self.claim() else {
            return Err(Full::new(value, self.capacity()));
        };
        // The slot is ours: its version is even and below `RETIRED` (the
        // free set holds no other), and nobody else reads or writes it.
        let vacant = version_of(slot.state.load(Ordering::Relaxed));
        debug_assert!(is_reusable(vacant));
        let generation = vacant | 1;
        // SAFETY: the slot is owned by this thread (taken from its page's
        // free set), so no guard reads its value and nobody else writes it;
        // the value there was moved out when the slot was freed.
        unsafe { slot.value_mut().write(value) };
        slot.state.store(state(generation, 0), Ordering::Release);
        Ok(SlabKey::new(index, generation))
    }

    /// A free slot and its index, taken out of its page's free set.
    #[inline(always)]
    fn claim(&self) -> Option<(u32, &Slot<T>)> {
        let hint = self.hint.load(Ordering::Relaxed);
        if let Some(page) = self.pages.get(hint)
            && let Some(offset) = page.free.pop(Reclaim::Never)
        {
            return Some(Self::owned_slot(hint, page, offset));
        }
        self.claim_slow()
    }

    /// A claim whose hinted page had no free slot in the thread's cache or
    /// its shared set: look in every page, then allocate the next one; once
    /// all are allocated, look again, taking the caches of exited threads
    /// and asking live ones for theirs.
    #[cold]
    #[inline(never)]
    fn claim_slow(&self) -> Option<(u32, &Slot<T>)> {
        self.sweep();
        loop {
            let mut allocated = 0;
            for (number, page) in self.pages.iter() {
                allocated = number + 1;
                if let Some(offset) = page.free.pop(Reclaim::Never) {
                    self.hint.store(number, Ordering::Relaxed);
                    return Some(Self::owned_slot(number, page, offset));
                }
            }
            if self.bounded
                || allocated == PAGES
                || self.pages.install(allocated, page_len(allocated)).is_none()
            {
                break;
            }
        }
        for (number, page) in self.pages.iter() {
            if let Some(offset) = page.free.pop(Reclaim::Wait) {
                self.hint.store(number, Ordering::Relaxed);
                return Some(Self::owned_slot(number, page, offset));
            }
        }
        None
    }

    #[inline(always)]
    fn owned_slot(number: usize, page: &Page<T>, offset: usize) -> (u32, &Slot<T>) {
        (index_of(number, offset), &page.slots[offset])
    }

    /// The slot of index `index`, if its page is allocated and has it (the
    /// last page of a bounded slab can be short).
    #[inline(always)]
    fn slot(&self, index: u32) -> Option<(&Page<T>, usize)> {
        let (page, offset) = locate(index);
        // Past the last page `locate` gives a page the table never has.
        let page = self.pages.get(page)?;
        (offset < page.slots.len()).then_some((page, offset))
    }

    /// Where a removal of `key` looks: the slot, if its page is allocated
    /// and the key's generation is one a value can have (odd). The removal
    /// then only has to find the slot's version equal to that generation:
    /// the slot holds the key's value, and the version after it
    /// ([`vacated`]) is even and at most `RETIRED`, as versions never pass
    /// `RETIRED`.
    #[inline(always)]
    fn removal(&self, key: SlabKey) -> Option<(&Page<T>, usize)> {
        if !is_occupied(key.generation()) {
            return None;
        }
        self.slot(key.index())
    }

    /// A guard on the slot if it holds the value of `key`: through the
    /// calling thread's hazard record when it is free, otherwise a counted
    /// one.
    ///
    /// # Panics
    ///
    /// If a counted guard is needed and the value has `MAX_GUARDS` of them
    /// already.
    #[inline(always)]
    fn acquire(&self, key: SlabKey) -> Option<(&Slot<T>, Option<&Hazard>)> {
        let (page, offset) = self.slot(key.index())?;
        let slot = &page.slots[offset];
        let Some(record) = self
            .hazards
            .mine()
            .filter(|record| record.publish(key.index()))
        else {
            return self.acquire_counted(slot, key).map(|slot| (slot, None));
        };
        // SeqCst, after the publication's: if this still finds the value, a
        // removal has not yet made it unreachable, and its walk of the
        // records will find this one. Acquire: the value's writes (the
        // insert's release store) are seen.
        if holds(slot.state.load(Ordering::SeqCst), key.generation()) {
            return Some((slot, Some(record)));
        }
        self.release_hazard(record, slot, key.index());
        None
    }

    /// Adds a counted guard to the slot if it holds the value of `key`.
    ///
    /// # Panics
    ///
    /// If the value has `MAX_GUARDS` counted guards already.
    #[cold]
    #[inline(never)]
    fn acquire_counted<'s>(&self, slot: &'s Slot<T>, key: SlabKey) -> Option<&'s Slot<T>> {
        let mut word = slot.state.load(Ordering::Relaxed);
        loop {
            if !holds(word, key.generation()) {
                return None;
            }
            assert!(guards_of(word) < MAX_GUARDS, "too many guards on one value");
            match slot.state.compare_exchange_weak(
                word,
                word + 1,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(slot),
                Err(now) => word = now,
            }
        }
    }

    /// Drops a guard on the value in `slot`, slot `index` of this slab: a
    /// hazard guard if `hazard` is its record, else a counted one.
    #[inline(always)]
    fn release(&self, slot: &Slot<T>, index: u32, hazard: Option<&Hazard>) {
        match hazard {
            Some(record) => self.release_hazard(record, slot, index),
            None => self.release_counted(slot, index),
        }
    }

    /// Empties `record`, which held slot `index`; if the value there was
    /// left pending meanwhile, tries to drop it.
    ///
    /// This load of the state can miss a removal that makes the value
    /// pending at the same moment, while that removal's walk still sees
    /// the record full: then neither drops the value, and a later sweep
    /// does ([`reclaim_removed`](Self::reclaim_removed)).
    #[inline(always)]
    fn release_hazard(&self, record: &Hazard, slot: &Slot<T>, index: u32) {
        // Release, then a plain load: no fence, so that dropping a guard
        // costs no locked instruction.
        record.clear();
        if is_pending(slot.state.load(Ordering::Relaxed)) {
            self.reclaim_index(index);
        }
    }

    /// Drops one counted guard of the value in `slot`, slot `index` of this
    /// slab; after the last guard of a removed value, the value is this
    /// thread's to drop unless a hazard guard reads it.
    #[inline(always)]
    fn release_counted(&self, slot: &Slot<T>, index: u32) {
        // SeqCst: the walk of the hazard records in `dispose` comes after.
        let before = slot.state.fetch_sub(1, Ordering::SeqCst);
        if guards_of(before) == 1 && !is_occupied(version_of(before)) {
            self.release_last(index, version_of(before));
        }
    }

    /// The drop of the last counted guard of a removed value: nobody else
    /// can claim the slot now.
    #[cold]
    #[inline(never)]
    fn release_last(&self, index: u32, version: u32) {
        let Some((page, offset)) = self.slot(index) else {
            unreachable!("a guard's slot exists while the slab does")
        };
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        drop(self.dispose(page, &page.slots[offset], offset, index, version));
    }

    /// The end of a removal: this thread made slot `offset` of `page` (slot
    /// `index`) unreachable, at version `version` and with no counted
    /// guards, with a `SeqCst` read-modify-write, so nobody else can claim
    /// it. The value is this thread's to move out, unless a hazard guard
    /// may still read it: then it is left pending, for whoever finds it
    /// unguarded.
    #[inline(always)]
    fn dispose(
        &self,
        page: &Page<T>,
        slot: &Slot<T>,
        offset: usize,
        index: u32,
        version: u32,
    ) -> Option<T> {
        if !self.hazards.protect(index) {
            return Some(self.vacate(page, slot, offset, version));
        }
        self.defer(page, offset, index, version);
        None
    }

    /// Leaves the value of slot `offset` of `page` pending (see `dispose`).
    #[cold]
    #[inline(never)]
    fn defer(&self, page: &Page<T>, offset: usize, index: u32, version: u32) {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let slot = &page.slots[offset];
        // Nobody else writes the state until the flag is set: no guard can
        // be added (the version is even), and only the flag makes the last
        // hazard guard or a sweep act.
        slot.state
            .store(state(version, 0) | PENDING, Ordering::SeqCst);
        page.pending.mark(offset);
        // The hazard guard may have gone meanwhile.
        self.try_reclaim(page, offset, index);
    }

    /// [`try_reclaim`](Self::try_reclaim) of slot `index`.
    #[cold]
    #[inline(never)]
    fn reclaim_index(&self, index: u32) {
        let Some((page, offset)) = self.slot(index) else {
            unreachable!("a guard's slot exists while the slab does")
        };
        self.try_reclaim(page, offset, index);
    }

    /// If the value of slot `offset` of `page` (slot `index`) is pending and
    /// no hazard guard reads it, claims the slot and drops the value.
    /// Returns `None` when the value stays pending, `Some(true)` when this
    /// call dropped it, and `Some(false)` when it was not pending (any
    /// more).
    fn try_reclaim(&self, page: &Page<T>, offset: usize, index: u32) -> Option<bool> {
        let slot = &page.slots[offset];
        // SeqCst: ordered after the removal that made the slot unreachable,
        // so the walk below finds every guard that may still read it.
        let word = slot.state.load(Ordering::SeqCst);
        if !is_pending(word) {
            return Some(false);
        }
        debug_assert_eq!(guards_of(word), 0);
        if self.hazards.protect(index) {
            return None;
        }
        // Only clearing the flag changes a pending state, so one thread
        // wins; the others find the slot claimed.
        let claimed = slot
            .state
            .compare_exchange(word, word & !PENDING, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok();
        if claimed {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            drop(self.vacate(page, slot, offset, version_of(word)));
        }
        Some(claimed)
    }

    /// Looks again at every slot marked pending and drops the values no
    /// guard reads any more; returns how many it dropped.
    #[inline]
    fn sweep(&self) -> usize {
        let mut dropped = 0;
        for (number, page) in self.pages.iter() {
            if !page.pending.is_empty() {
                dropped += self.sweep_page(number, page);
            }
        }
        dropped
    }

    #[cold]
    #[inline(never)]
    fn sweep_page(&self, number: usize, page: &Page<T>) -> usize {
        let mut dropped = 0;
        for word in 0..page.pending.words() {
            let mut bits = page.pending.word(word);
            while bits != 0 {
                let offset = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                // One mark at a time, so that a value whose drop panics
                // leaves the other marks in place.
                if !page.pending.unmark(offset) {
                    continue;
                }
                match self.try_reclaim(page, offset, index_of(number, offset)) {
                    None => page.pending.mark(offset),
                    Some(true) => dropped += 1,
                    Some(false) => {}
                }
            }
        }
        dropped
    }

    /// Moves the value out of `slot`, slot `offset` of `page`, which this
    /// thread owns (its version is `version`, even, and it has no guards),
    /// and hands the slot back, or retires it if `version` is `RETIRED`.
    #[inline(always)]
    fn vacate(&self, page: &Page<T>, slot: &Slot<T>, offset: usize, version: u32) -> T {
        debug_assert!(ptr::eq(slot, &page.slots[offset]));
        debug_assert!(is_reusable(version) || version == RETIRED);
        // SAFETY: the caller owns the slot: it moved the state to an even
        // version with no guards, so no guard reads the value and no key
        // reaches it; the value is initialized (slot invariant) and is
        // moved out once, here, before the slot is handed back.
        let value = unsafe { slot.value_mut().read() };
        if version != RETIRED {
            page.free.push(offset);
        } else {
            self.retire();
        }
        value
    }

    /// Counts a slot retired for good (its last generation was removed).
    #[cold]
    #[inline(never)]
    fn retire(&self) {
        self.retired.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a removed value left to its live guards, until the last of
    /// them drops it (`release_last`).
    #[cold]
    #[inline(never)]
    fn leave_to_guards(&self) {
        self.waiting.fetch_add(1, Ordering::Relaxed);
    }

    /// A guard on the value of `key`, or `None` if the key names no value
    /// in the slab (it was removed, or never was). The value stays in the
    /// slab while the guard lives, even if it is removed meanwhile.
    /// Lock-free. The guard is a hazard guard when the calling thread holds
    /// no other hazard guard in this slab: taking it costs one
    /// compare-and-swap on the thread's own record and dropping it a plain
    /// store. Otherwise it is a counted guard: a
    /// compare-and-swap, and an atomic subtraction when it drops.
    ///
    /// # Panics
    ///
    /// If the value has `2^31 - 1` guards already (only possible by
    /// leaking guards).
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(String::from("hi")).unwrap();
    /// let entry = slab.get(key).unwrap();
    /// assert_eq!(entry.len(), 2);
    /// assert_eq!(entry.key(), key);
    /// ```
    #[inline]
    pub fn get(&self, key: SlabKey) -> Option<SlabEntry<'_, T>> {
        let (slot, hazard) = self.acquire(key)?;
        Some(SlabEntry::new(self, slot, key, hazard))
    }

    /// As [`get`](Self::get), with a guard that keeps the slab alive
    /// instead of borrowing it, so it can be stored or sent anywhere.
    ///
    /// # Panics
    ///
    /// As [`get`](Self::get).
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    /// use std::sync::Arc;
    ///
    /// let slab = Arc::new(SyncSlab::new());
    /// let key = slab.insert(5).unwrap();
    /// let entry = slab.get_owned(key).unwrap();
    /// let value = std::thread::spawn(move || *entry).join().unwrap();
    /// assert_eq!(value, 5);
    /// ```
    pub fn get_owned(self: &Arc<Self>, key: SlabKey) -> Option<OwnedSlabEntry<T>> {
        let (slot, hazard) = self.acquire(key)?;
        Some(OwnedSlabEntry::new(Arc::clone(self), slot, key, hazard))
    }

    /// Whether `key` names a value in the slab.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(1).unwrap();
    /// assert!(slab.contains(key));
    /// slab.remove(key);
    /// assert!(!slab.contains(key));
    /// ```
    pub fn contains(&self, key: SlabKey) -> bool {
        self.slot(key.index()).is_some_and(|(page, offset)| {
            holds(
                page.slots[offset].state.load(Ordering::Acquire),
                key.generation(),
            )
        })
    }

    /// Removes the value of `key`; returns whether there was one. From
    /// then on the key finds nothing. Without guards on the value it is
    /// dropped now; otherwise guards alive keep reading it and the last of
    /// them drops it (or, when that guard drops at the very moment of the
    /// removal, a later sweep: see
    /// [`reclaim_removed`](Self::reclaim_removed)). Lock-free.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(vec![1, 2]).unwrap();
    /// let entry = slab.get(key).unwrap();
    /// assert!(slab.remove(key));
    /// assert!(!slab.remove(key));
    /// assert!(slab.get(key).is_none());
    /// assert_eq!(*entry, [1, 2], "the guard still reads the value");
    /// drop(entry); // drops the vector
    /// assert!(slab.is_empty());
    /// ```
    #[inline(always)]
    pub fn remove(&self, key: SlabKey) -> bool {
        let Some((page, offset)) = self.removal(key) else {
            return false;
        };
        let slot = &page.slots[offset];
        let mut word = slot.state.load(Ordering::Relaxed);
        loop {
            if version_of(word) != key.generation() {
                return false;
            }
            let next = vacated(word);
            // Acquire: the value's writes (the insert's release store) and
            // the reads of counted guards already dropped (their release
            // subtractions) happen before the value is moved out below.
            // Release: whoever acquires the word next (the last guard, which
            // then drops the value) sees everything this thread did before.
            // SeqCst: the walk of the hazard records in `dispose` comes
            // after.
            match slot
                .state
                .compare_exchange_weak(word, next, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) if guards_of(word) == 0 => {
                    drop(self.dispose(page, slot, offset, key.index(), version_of(next)));
                    return true;
                }
                Ok(_) => {
                    self.leave_to_guards();
                    return true;
                }
                Err(now) => word = now,
            }
        }
    }

    /// Removes the value of `key` and returns it, if there is one and no
    /// guard on it is alive. With live guards it returns `None` and leaves
    /// the value in place: [`remove`](Self::remove) removes it anyway and
    /// lets the last guard drop it. Lock-free.
    ///
    /// One race differs: when a lookup of `key` runs on another thread at
    /// the same moment, `take` may find it reading after removing the
    /// value. It then returns `None` with the value removed, as after
    /// [`remove`](Self::remove): the value is dropped when no guard reads
    /// it. Without lookups of `key` in flight, `None` always means the value
    /// stays.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(String::from("x")).unwrap();
    /// let entry = slab.get(key).unwrap();
    /// assert_eq!(slab.take(key), None, "a guard is alive");
    /// drop(entry);
    /// assert_eq!(slab.take(key).as_deref(), Some("x"));
    /// assert_eq!(slab.take(key), None);
    /// ```
    pub fn take(&self, key: SlabKey) -> Option<T> {
        let (page, offset) = self.removal(key)?;
        // A hazard guard is reading the value, or a lookup is about to.
        if self.hazards.protect(key.index()) {
            return None;
        }
        let slot = &page.slots[offset];
        let mut word = slot.state.load(Ordering::Relaxed);
        loop {
            if version_of(word) != key.generation() || guards_of(word) != 0 {
                return None;
            }
            let next = vacated(word);
            // As in `remove`.
            match slot
                .state
                .compare_exchange_weak(word, next, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) => return self.dispose(page, slot, offset, key.index(), version_of(next)),
                Err(now) => word = now,
            }
        }
    }

    /// Drops the removed values that waited for guards which are all gone,
    /// and returns how many it dropped. O(pages), and O(slots) of the pages
    /// that have such values.
    ///
    /// A removed value that guards still read is dropped by the last of
    /// them. One case escapes that: when the last guard drops on one thread
    /// at the very moment another thread removes the value, each may miss
    /// the other's step, as neither pays for a fence (see the module
    /// notes). The value then waits for a sweep, which every insert that
    /// finds its page without a free slot makes, or for this call, or for
    /// the slab's drop. It is never dropped twice, nor while a guard reads
    /// it.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(String::from("x")).unwrap();
    /// let entry = slab.get(key).unwrap();
    /// slab.remove(key);
    /// assert_eq!(slab.reclaim_removed(), 0, "the guard still reads it");
    /// drop(entry); // drops the string: no race on one thread
    /// assert_eq!(slab.reclaim_removed(), 0);
    /// ```
    pub fn reclaim_removed(&self) -> usize {
        self.sweep()
    }

    /// How many values the slab holds: exact when no insert or removal is
    /// in flight. O(pages + threads that used the slab).
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let a = slab.insert('a').unwrap();
    /// slab.insert('b').unwrap();
    /// slab.remove(a);
    /// assert_eq!(slab.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        let mut slots = 0usize;
        let mut unused = self
            .retired
            .load(Ordering::Relaxed)
            .wrapping_add(self.waiting.load(Ordering::Relaxed));
        for (_, page) in self.pages.iter() {
            slots += page.slots.len();
            unused = unused.wrapping_add(page.free.len());
        }
        (slots.wrapping_sub(unused) as isize).clamp(0, slots as isize) as usize
    }

    /// Whether the slab holds no value (as [`len`](Self::len) is 0).
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// assert!(slab.is_empty());
    /// let key = slab.insert(()).unwrap();
    /// assert!(!slab.is_empty());
    /// slab.remove(key);
    /// assert!(slab.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `key`, mutably: with `&mut self` no other thread and no
    /// guard can reach it.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let mut slab = SyncSlab::new();
    /// let key = slab.insert(1).unwrap();
    /// *slab.get_mut(key).unwrap() += 1;
    /// assert_eq!(*slab.get(key).unwrap(), 2);
    /// ```
    pub fn get_mut(&mut self, key: SlabKey) -> Option<&mut T> {
        let (page, offset) = self.slot(key.index())?;
        let slot = &page.slots[offset];
        if !holds(slot.state.load(Ordering::Relaxed), key.generation()) {
            return None;
        }
        // SAFETY: the slot holds an initialized value (odd version);
        // `&mut self` excludes every other access to it for the returned
        // lifetime (guards borrow the slab or own a clone of its `Arc`, and
        // a leaked guard can no longer be used).
        Some(unsafe { &mut *slot.value_mut() })
    }

    /// Every value with its key, in index order. With `&mut self` no other
    /// thread inserts or removes meanwhile (sharded-slab's `unique_iter`,
    /// which yields values without keys).
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let mut slab = SyncSlab::new();
    /// let a = slab.insert(1).unwrap();
    /// let b = slab.insert(2).unwrap();
    /// slab.remove(a);
    /// let all: Vec<_> = slab.unique_iter().collect();
    /// assert_eq!(all, [(b, &2)]);
    /// ```
    pub fn unique_iter(&mut self) -> impl Iterator<Item = (SlabKey, &T)> + '_ {
        self.pages.iter().flat_map(|(number, page)| {
            page.slots
                .iter()
                .enumerate()
                .filter_map(move |(offset, slot)| {
                    let version = version_of(slot.state.load(Ordering::Relaxed));
                    if !is_occupied(version) {
                        return None;
                    }
                    // SAFETY: an odd version means an initialized value (slot
                    // invariant), and `&mut self`, borrowed for the iterator's
                    // life, excludes writes to it.
                    let value = unsafe { &*slot.value() };
                    Some((SlabKey::new(index_of(number, offset), version), value))
                })
        })
    }
}

impl<T> Default for SyncSlab<T> {
    /// An empty slab, as [`SyncSlab::new`].
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab: SyncSlab<u8> = Default::default();
    /// assert!(slab.is_empty());
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for SyncSlab<T> {
    /// Shows the number of values and slots, not the values.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// slab.insert(1).unwrap();
    /// assert_eq!(format!("{slab:?}"), "SyncSlab { len: 1, capacity: 64 }");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncSlab")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

const _: () = assert!(MAX_SLOTS <= u32::MAX as u64);

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::pool::generation::{LAST_OCCUPIED, LAST_REUSABLE, RETIRED};

    /// A slot that reaches its last generation is retired: its last key
    /// goes stale like any other, and the slot is never handed out again.
    #[test]
    fn a_slot_at_its_last_generation_is_retired() {
        let slab = SyncSlab::new();
        let first = slab.insert(1).unwrap();
        assert!(slab.remove(first));
        // Age the free slot to its last reusable version, as 2^31 - 2 more
        // insert-and-remove rounds would.
        let (page, offset) = slab.slot(first.index()).unwrap();
        let slot = &page.slots[offset];
        slot.state.store(state(LAST_REUSABLE, 0), Ordering::Relaxed);
        let last = slab.insert(2).unwrap();
        assert_eq!(last.index(), first.index(), "the freed slot comes first");
        assert_eq!(last.generation(), LAST_OCCUPIED);
        assert_eq!(slab.take(last), Some(2));
        assert_eq!(version_of(slot.state.load(Ordering::Relaxed)), RETIRED);
        assert!(slab.get(last).is_none());
        assert!(slab.is_empty(), "a retired slot is not counted");
        let keys: alloc::vec::Vec<_> = (0..page_len(0)).map(|i| slab.insert(i).unwrap()).collect();
        assert!(keys.iter().all(|key| key.index() != first.index()));
        assert_eq!(slab.len(), page_len(0));
        assert_eq!(slab.capacity(), page_len(0) + page_len(1));
        // A made-up key with the retired version finds nothing either.
        assert!(slab.get(SlabKey::new(first.index(), RETIRED)).is_none());
    }

    /// Counts its drops; panics in its drop if told to.
    struct Fragile(alloc::sync::Arc<AtomicUsize>, bool);

    impl Drop for Fragile {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
            assert!(!self.1, "a drop that panics");
        }
    }

    /// Removes `key` while this thread's hazard guard reads it, then lets
    /// the guard go as the race with the removal would: its record emptied
    /// without a look at the state.
    fn leave_pending<T>(slab: &SyncSlab<T>, key: SlabKey) {
        let guard = slab.get(key).unwrap();
        assert!(slab.remove(key));
        core::mem::forget(guard);
        slab.hazards.mine().unwrap().clear();
    }

    /// Values left pending by the race wait for a sweep; a sweep that meets
    /// a panicking drop leaves the other marks for the next one.
    #[test]
    fn the_sweep_drops_what_the_race_left() {
        let drops = alloc::sync::Arc::new(AtomicUsize::new(0));
        let slab = SyncSlab::new();
        let a = slab.insert(Fragile(drops.clone(), true)).unwrap();
        let b = slab.insert(Fragile(drops.clone(), false)).unwrap();
        leave_pending(&slab, a);
        leave_pending(&slab, b);
        assert_eq!(drops.load(Ordering::Relaxed), 0);
        assert_eq!(slab.len(), 0);
        let panicked =
            std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| slab.reclaim_removed()));
        assert!(panicked.is_err());
        assert_eq!(
            drops.load(Ordering::Relaxed),
            1,
            "the first value's drop ran"
        );
        assert_eq!(slab.reclaim_removed(), 1, "the second was still marked");
        assert_eq!(drops.load(Ordering::Relaxed), 2);
        assert_eq!(slab.reclaim_removed(), 0);
        // Both slots are free again.
        let c = slab.insert(Fragile(drops.clone(), false)).unwrap();
        let d = slab.insert(Fragile(drops.clone(), false)).unwrap();
        let mut indices = [c.index(), d.index()];
        indices.sort_unstable();
        assert_eq!(indices, [a.index(), b.index()]);
    }

    /// An insert that finds its page without a free slot sweeps first, so
    /// a bounded slab whose last slot waits for a sweep still takes a value.
    #[test]
    fn a_full_bounded_slab_sweeps_before_it_fails() {
        let drops = alloc::sync::Arc::new(AtomicUsize::new(0));
        let slab = SyncSlab::bounded(1);
        let a = slab.insert(Fragile(drops.clone(), false)).unwrap();
        leave_pending(&slab, a);
        let b = slab.insert(Fragile(drops.clone(), false)).unwrap();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        assert_eq!(b.index(), a.index());
        assert_eq!(slab.len(), 1);
    }

    /// A value left pending is dropped with the slab at the latest.
    #[test]
    fn the_slab_drops_pending_values() {
        let drops = alloc::sync::Arc::new(AtomicUsize::new(0));
        let slab = SyncSlab::new();
        let a = slab.insert(Fragile(drops.clone(), false)).unwrap();
        leave_pending(&slab, a);
        drop(slab);
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    }

    /// The last guard of a removed value hands the slot back.
    #[test]
    fn the_last_guard_frees_the_slot() {
        let slab = SyncSlab::new();
        let key = slab.insert(5).unwrap();
        let guard = slab.get(key).unwrap();
        assert!(slab.remove(key));
        assert_eq!(slab.waiting.load(Ordering::Relaxed), 1);
        let (page, _) = slab.slot(key.index()).unwrap();
        let free = page.free.len();
        drop(guard);
        assert_eq!(slab.waiting.load(Ordering::Relaxed), 0);
        assert_eq!(page.free.len(), free + 1);
    }
}
