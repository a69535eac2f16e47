//! The memory of a [`SyncSlab`](super::SyncSlab): pages of slots, allocated
//! on demand and never moved or freed before the slab drops, each with the
//! set of its free slots.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr;

use super::key::{PAGES, TABLE, guards_of, is_pending, page_len, state, version_of};
use crate::pool::generation::{FIRST_VACANT, is_occupied};
use crate::sync::{AtomicPtr, AtomicU64, AtomicUsize, Ordering, RawCell};
use crate::sync_pool::{IndexSet, Tokens};

/// One slot: its state word (`key.rs`) and room for a value.
///
/// Invariants: the value is initialized exactly when the version is odd,
/// or the version is even and either the counted-guard count is not zero
/// or the pending flag is set (a removed value waiting for its last
/// guard), or a thread owns the slot after removing its value and has not
/// yet moved the value out. While a guard (counted, or a hazard record
/// holding the slot's index) may read the value, it is only read. A thread
/// writes the value only while it *owns* the slot: between taking its
/// index from the page's free set and publishing the value (insert), or
/// from the moment it finds a removed value unguarded (no counted guards,
/// no pending flag or the one clearing it, and no hazard record holding
/// the slot) until it hands the index back.
pub(crate) struct Slot<T> {
    pub(crate) state: AtomicU64,
    value: RawCell<MaybeUninit<T>>,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Self {
            state: AtomicU64::new(state(FIRST_VACANT, 0)),
            value: RawCell::new(MaybeUninit::uninit()),
        }
    }

    /// A pointer for writing or moving out the value; the caller owns the
    /// slot (see the invariants).
    #[inline(always)]
    pub(crate) fn value_mut(&self) -> *mut T {
        self.value.get().cast::<T>()
    }

    /// A pointer for reading the value, shared with other readers.
    #[inline(always)]
    pub(crate) fn value(&self) -> *const T {
        self.value.get_shared().cast::<T>()
    }
}

/// A page: its slots, the set of those that are free and the marks of
/// those whose values are pending.
///
/// Invariants: `free` holds offsets into `slots`; an offset is in `free`
/// only while its slot has an even version below `RETIRED` and no guards,
/// and nobody owns it. Every slot with the pending flag is marked in
/// `pending` (a mark may outlive the flag).
pub(crate) struct Page<T> {
    pub(crate) slots: Box<[Slot<T>]>,
    pub(crate) free: IndexSet,
    pub(crate) pending: Marks,
}

/// One bit per slot of a page: the slots whose pending values nobody may
/// have seen unguarded yet, for a later sweep to look at again.
pub(crate) struct Marks {
    words: Box<[AtomicU64]>,
    /// How many bits are set; it can lag behind the words (and wrap below
    /// zero for a moment), but it is not zero while a bit stays set.
    count: AtomicUsize,
}

impl Marks {
    fn new(slots: usize) -> Self {
        Self {
            words: (0..slots.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
            count: AtomicUsize::new(0),
        }
    }

    /// Marks slot `offset`. The caller set the slot's pending flag before.
    pub(crate) fn mark(&self, offset: usize) {
        let bit = 1 << (offset % 64);
        // Release: a sweep that takes the mark sees the flag.
        if self.words[offset / 64].fetch_or(bit, Ordering::AcqRel) & bit == 0 {
            self.count.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Whether no slot is marked, as far as the count says.
    pub(crate) fn is_empty(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    /// How many words of marks there are.
    pub(crate) fn words(&self) -> usize {
        self.words.len()
    }

    /// The marks of word `word`, as they are now: bit `b` stands for slot
    /// `64 * word + b`.
    pub(crate) fn word(&self, word: usize) -> u64 {
        self.words[word].load(Ordering::Relaxed)
    }

    /// Takes the mark of slot `offset`, if it is set; the caller then
    /// looks at the slot and marks it again if it is still pending.
    pub(crate) fn unmark(&self, offset: usize) -> bool {
        let bit = 1 << (offset % 64);
        // Acquire: the flag of the slot marked is seen.
        let taken = self.words[offset / 64].fetch_and(!bit, Ordering::AcqRel) & bit != 0;
        if taken {
            self.count.fetch_sub(1, Ordering::AcqRel);
        }
        taken
    }
}

impl<T> Drop for Page<T> {
    fn drop(&mut self) {
        for slot in self.slots.iter_mut() {
            let word = slot.state.load(Ordering::Relaxed);
            if is_occupied(version_of(word)) || guards_of(word) != 0 || is_pending(word) {
                // SAFETY: by the slot invariant the value is initialized;
                // `&mut self` means no guard can read it any more (a guard
                // borrows the slab or keeps it alive), and it is dropped
                // once, here.
                unsafe { ptr::drop_in_place(slot.value_mut()) };
            }
        }
    }
}

/// The pages of a slab.
///
/// Invariant: `pages[p]` is null or points to a `Page` of `page_len(p)`
/// slots, or fewer for the last page of a bounded slab, leaked from a `Box`,
/// owned by the table and not changed or freed until the table drops. The
/// entries from `PAGES` on are always null: a lookup past the last page
/// finds nothing without a check of its own.
pub(crate) struct PageTable<T> {
    pages: [AtomicPtr<Page<T>>; TABLE],
    _owns: PhantomData<Page<T>>,
}

impl<T> PageTable<T> {
    pub(crate) fn new() -> Self {
        Self {
            pages: core::array::from_fn(|_| AtomicPtr::new(ptr::null_mut())),
            _owns: PhantomData,
        }
    }

    /// Page `page`, if it is allocated; `page` must be below `TABLE`, and
    /// none from `PAGES` on is.
    #[inline(always)]
    pub(crate) fn get(&self, page: usize) -> Option<&Page<T>> {
        let first = self.pages[page % TABLE].load(Ordering::Acquire);
        // SAFETY: by the invariant a non-null pointer is a live page that
        // stays until `self` drops, and only shared references are made.
        unsafe { first.as_ref() }
    }

    /// Allocates page `page` (below `PAGES`) with `len` slots (at most
    /// `page_len(page)`) unless another thread did; `None` when the
    /// allocator refuses.
    #[cold]
    pub(crate) fn install(&self, page: usize, len: usize) -> Option<&Page<T>> {
        debug_assert!(page < PAGES && len <= page_len(page));
        if let Some(existing) = self.get(page) {
            return Some(existing);
        }
        let mut slots = Vec::new();
        slots.try_reserve_exact(len).ok()?;
        slots.extend((0..len).map(|_| Slot::new()));
        let fresh = Box::into_raw(Box::new(Page {
            slots: slots.into_boxed_slice(),
            free: IndexSet::new(len, true, Tokens::INDICES),
            pending: Marks::new(len),
        }));
        let installed = match self.pages[page].compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(existing) => {
                // SAFETY: `fresh` came from `Box::into_raw` above and was
                // never shared.
                drop(unsafe { Box::from_raw(fresh) });
                existing
            }
        };
        // SAFETY: `installed` is non-null and now in the table: a live page
        // until `self` drops.
        Some(unsafe { &*installed })
    }

    /// Every allocated page with its number. Pages are allocated in order,
    /// so this stops at the first missing one.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Page<T>)> {
        (0..PAGES).map_while(move |page| Some((page, self.get(page)?)))
    }
}

impl<T> Drop for PageTable<T> {
    fn drop(&mut self) {
        for page in &self.pages {
            let first = page.load(Ordering::Acquire);
            if !first.is_null() {
                // SAFETY: by the invariant a non-null page was leaked from a
                // `Box` and is owned by this table; `&mut self` means no
                // reference to it is left.
                drop(unsafe { Box::from_raw(first) });
            }
        }
    }
}
