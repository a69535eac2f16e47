//! The arithmetic of a [`SyncSlab`](super::SyncSlab): keys, where an index
//! lives among the pages, and the bit fields of a slot's state word. No
//! `unsafe`, no atomics; tested alone.
//!
//! A slot's state is one `u64`: its version (see `pool::generation`) in the
//! high half, and in the low half the number of live counted guards (bits 0
//! to 30) and the pending flag (bit 31). An odd version means the slot
//! holds the value whose key has that generation; an even one means it
//! holds none that a key can reach (it is free, or its value was removed
//! and waits for its last guard). The pending flag marks a removed value
//! that hazard guards kept alive when it was removed.

#![forbid(unsafe_code)]

use core::fmt;

use crate::pool::generation::is_occupied;

/// The first page holds `2^FIRST_PAGE_BITS` slots; each next page twice as
/// many as the one before.
pub(crate) const FIRST_PAGE_BITS: u32 = if cfg!(loom) { 1 } else { 6 };

/// Slots of the first page.
pub(crate) const FIRST_PAGE: usize = 1 << FIRST_PAGE_BITS;

/// How many pages a slab can have: every index then fits a `u32` below
/// `u32::MAX`, and no page has more than `2^31` slots.
pub(crate) const PAGES: usize = if cfg!(loom) {
    3
} else {
    (32 - FIRST_PAGE_BITS) as usize
};

/// The most counted guards one value can have at once: the count fills the
/// low half of the state word below [`PENDING`].
pub(crate) const MAX_GUARDS: u32 = u32::MAX >> 1;

/// The pending flag of a state word: the value was removed while a hazard
/// guard could still read it, and whoever finds it unguarded drops it.
pub(crate) const PENDING: u64 = 1 << 31;

/// How many slots page `page` holds.
pub(crate) const fn page_len(page: usize) -> usize {
    FIRST_PAGE << page
}

/// The index of the first slot of page `page`: the slots of every page
/// before it. `page` may be [`PAGES`], giving the slab's most slots.
pub(crate) const fn page_start(page: usize) -> u64 {
    ((FIRST_PAGE as u64) << page) - FIRST_PAGE as u64
}

/// The most slots a slab can have.
pub(crate) const MAX_SLOTS: u64 = page_start(PAGES);

/// How many entries a slab's page table has: a power of two above every
/// page number [`locate`] gives, so the entries from [`PAGES`] on stay
/// empty and a lookup needs no range check of its own.
pub(crate) const TABLE: usize = 32;

/// The page and the offset in it of slot `index`. Past the last page (an
/// index of at least [`MAX_SLOTS`]) the page is at least [`PAGES`] and below
/// [`TABLE`]: a page the table never has.
pub(crate) const fn locate(index: u32) -> (usize, usize) {
    // Subtracting the page's start rather than clearing the position's top
    // bit keeps x86's `bsr` writing the register it reads: clearing the bit
    // had it write another one, which it also depends on, and tied each
    // lookup to the end of the previous operation (removals 20% slower).
    let position = index as u64 + FIRST_PAGE as u64;
    let page = (u64::BITS - 1 - position.leading_zeros() - FIRST_PAGE_BITS) as usize;
    (page, (position - ((FIRST_PAGE as u64) << page)) as usize)
}

// The highest page number `locate` gives, that of `u32::MAX`, has a table
// entry.
const _: () = assert!(locate(u32::MAX).0 < TABLE && PAGES < TABLE);

/// The index of the slot at `offset` in page `page`.
pub(crate) const fn index_of(page: usize, offset: usize) -> u32 {
    (page_start(page) + offset as u64) as u32
}

/// A state word: `version` and a count of guards.
pub(crate) const fn state(version: u32, guards: u32) -> u64 {
    ((version as u64) << 32) | guards as u64
}

/// The version of a state word.
pub(crate) const fn version_of(state: u64) -> u32 {
    (state >> 32) as u32
}

/// The counted-guard count of a state word.
pub(crate) const fn guards_of(state: u64) -> u32 {
    state as u32 & MAX_GUARDS
}

/// Whether a state word has the [`PENDING`] flag.
pub(crate) const fn is_pending(state: u64) -> bool {
    state & PENDING != 0
}

/// The state word one version after `state`, with the same guards: the
/// word a removal stores. The version must be below `u32::MAX` (no slot
/// has a higher version than `RETIRED`), so the high half does not carry
/// out.
pub(crate) const fn vacated(state: u64) -> u64 {
    state + (1 << 32)
}

/// Whether a slot in `state` holds the value that a key of `generation`
/// names. Only odd generations name values, so no key, however made,
/// matches a slot without one.
pub(crate) const fn holds(state: u64, generation: u32) -> bool {
    version_of(state) == generation && is_occupied(generation)
}

/// The key of a value in a [`SyncSlab`](super::SyncSlab): the slot's index
/// and the value's generation, 8 bytes.
///
/// A key names one value for good: after the value is removed, the key
/// finds nothing, even when its slot holds a new value (the slot's
/// generation has moved on, and a slot whose generation would wrap is
/// retired instead). Keys are plain data: any `u64` can be turned into one
/// with [`from_bits`](Self::from_bits), and a key that names nothing is
/// just not found.
///
/// sharded-slab's keys are `usize`; [`to_bits`](Self::to_bits) and
/// [`from_bits`](Self::from_bits) convert where a number is needed.
///
/// ```
/// use arena_pool::SyncSlab;
///
/// let slab = SyncSlab::new();
/// let key = slab.insert("a").unwrap();
/// assert!(slab.remove(key));
/// let other = slab.insert("b").unwrap();
/// assert!(slab.get(key).is_none(), "an old key never finds a new value");
/// assert_eq!(*slab.get(other).unwrap(), "b");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlabKey {
    bits: u64,
}

impl SlabKey {
    /// The key of the value of generation `generation` in slot `index`.
    pub(crate) const fn new(index: u32, generation: u32) -> Self {
        Self {
            bits: ((generation as u64) << 32) | index as u64,
        }
    }

    /// The slot index.
    pub(crate) const fn index(self) -> u32 {
        self.bits as u32
    }

    /// The generation.
    pub(crate) const fn generation(self) -> u32 {
        (self.bits >> 32) as u32
    }

    /// The key as a number, for storing it where a number is expected.
    ///
    /// ```
    /// use arena_pool::{SlabKey, SyncSlab};
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(1).unwrap();
    /// assert_eq!(SlabKey::from_bits(key.to_bits()), key);
    /// ```
    #[must_use]
    pub const fn to_bits(self) -> u64 {
        self.bits
    }

    /// The key whose [`to_bits`](Self::to_bits) is `bits`. Any number gives
    /// a key; one that names no value finds nothing.
    ///
    /// ```
    /// use arena_pool::{SlabKey, SyncSlab};
    ///
    /// let slab = SyncSlab::<u8>::new();
    /// assert!(slab.get(SlabKey::from_bits(u64::MAX)).is_none());
    /// ```
    #[must_use]
    pub const fn from_bits(bits: u64) -> Self {
        Self { bits }
    }
}

impl fmt::Debug for SlabKey {
    /// Shows the slot index and the generation.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(1).unwrap();
    /// assert_eq!(format!("{key:?}"), "SlabKey(0v1)");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SlabKey({}v{})", self.index(), self.generation())
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::pool::generation::RETIRED;

    #[test]
    fn pages_tile_the_indices() {
        let mut expected = (0, 0);
        for index in 0..if cfg!(miri) { 1000 } else { 100_000u32 } {
            assert_eq!(locate(index), expected, "index {index}");
            assert_eq!(index_of(expected.0, expected.1), index);
            expected.1 += 1;
            if expected.1 == page_len(expected.0) {
                expected = (expected.0 + 1, 0);
            }
        }
    }

    #[test]
    fn the_last_page_ends_below_u32_max() {
        assert!(MAX_SLOTS < u64::from(u32::MAX));
        assert_eq!(MAX_SLOTS, u64::from(u32::MAX) + 1 - FIRST_PAGE as u64);
        assert!(page_len(PAGES - 1) <= 1 << 31);
        let last = (MAX_SLOTS - 1) as u32;
        assert_eq!(locate(last), (PAGES - 1, page_len(PAGES - 1) - 1));
        // Every index past the last page names a page the table leaves
        // empty.
        for past in [last + 1, last + 2, u32::MAX - 1, u32::MAX] {
            let page = locate(past).0;
            assert!((PAGES..TABLE).contains(&page), "index {past}: page {page}");
        }
        assert_eq!(page_start(1), FIRST_PAGE as u64);
    }

    #[test]
    fn state_fields_round_trip() {
        for (version, guards) in [(0, 0), (1, 5), (u32::MAX, MAX_GUARDS), (7, 1 << 30)] {
            let word = state(version, guards);
            assert_eq!(version_of(word), version);
            assert_eq!(guards_of(word), guards);
            assert!(!is_pending(word));
            // The flag leaves both fields as they are.
            let flagged = word | PENDING;
            assert!(is_pending(flagged));
            assert_eq!(version_of(flagged), version);
            assert_eq!(guards_of(flagged), guards);
        }
        // A removal steps the version and keeps the guards.
        assert_eq!(vacated(state(7, 3)), state(8, 3));
        assert_eq!(
            vacated(state(RETIRED - 1, MAX_GUARDS)),
            state(RETIRED, MAX_GUARDS)
        );
        assert_eq!(vacated(state(7, 0) | PENDING), state(8, 0) | PENDING);
        // A guard more is one more in the low half.
        assert_eq!(state(3, 1) + 1, state(3, 2));
        assert_eq!(state(3, 1) - 1, state(3, 0));
    }

    #[test]
    fn only_odd_matching_generations_hold() {
        assert!(holds(state(1, 0), 1));
        assert!(holds(state(9, 4), 9));
        assert!(!holds(state(9, 4), 7));
        // A vacant slot matches no key, even one made up with its version.
        assert!(!holds(state(0, 0), 0));
        assert!(!holds(state(2, 3), 2));
        assert!(!holds(state(RETIRED, 0), RETIRED));
    }

    #[test]
    fn keys_pack_index_and_generation() {
        let key = SlabKey::new(0xdead_beef, 0x1234_5679);
        assert_eq!(key.index(), 0xdead_beef);
        assert_eq!(key.generation(), 0x1234_5679);
        assert_eq!(SlabKey::from_bits(key.to_bits()), key);
        assert_eq!(alloc::format!("{:?}", SlabKey::new(3, 5)), "SlabKey(3v5)");
    }
}
