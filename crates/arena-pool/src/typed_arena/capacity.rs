//! Chunk sizing for [`TypedArena`](super::TypedArena): pure arithmetic, kept
//! apart from the code that touches memory so it can be tested alone.

/// Bytes of the first chunk of an arena that starts empty: a page, so that
/// an arena of a few hundred small values grows a few times, not a dozen
/// (each growth is an allocation and a retired chunk), while an arena of a
/// handful costs no more than one page.
pub(super) const FIRST_CHUNK_BYTES: usize = 4096;

/// The largest allocation Rust allows, in bytes.
pub(super) const ALLOCATION_LIMIT: usize = isize::MAX as usize;

/// The capacity, in values of `elem_size` bytes, of the chunk that follows
/// one of `prev` values when at least `needed` values must fit in it.
///
/// The capacity doubles, starts at [`FIRST_CHUNK_BYTES`] (but at least one
/// value), and never falls below `needed`. It may exceed what can be
/// allocated: the caller falls back to `needed` then.
pub(super) fn next_capacity(prev: usize, needed: usize, elem_size: usize) -> usize {
    let least = (FIRST_CHUNK_BYTES / elem_size.max(1)).max(1);
    prev.saturating_mul(2).max(least).max(needed)
}

/// Whether a chunk of `count` values of `elem_size` bytes stays within
/// `limit` bytes.
pub(super) fn fits(count: usize, elem_size: usize, limit: usize) -> bool {
    count
        .checked_mul(elem_size)
        .is_some_and(|bytes| bytes <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_chunk_is_a_page() {
        assert_eq!(next_capacity(0, 1, 24), 4096 / 24);
        assert_eq!(next_capacity(0, 1, 1), 4096);
        // A value bigger than a first chunk still gets a chunk of one.
        assert_eq!(next_capacity(0, 1, 8192), 1);
        assert_eq!(next_capacity(0, 1, 4097), 1);
    }

    /// A capacity far above any first chunk whose double still fits in
    /// `usize`: beyond 32 bits where `usize` has 64, the top bit's neighbour
    /// where it has 32.
    #[cfg(target_pointer_width = "64")]
    const LARGE: usize = 1 << 40;
    #[cfg(target_pointer_width = "32")]
    const LARGE: usize = 1 << 30;

    #[test]
    fn doubles_without_bound() {
        assert_eq!(next_capacity(1000, 1, 8), 2000);
        // A chunk smaller than the first size grows to it.
        assert_eq!(next_capacity(100, 1, 8), 512);
        assert_eq!(next_capacity(LARGE, 1, 8), 2 * LARGE);
        assert_eq!(next_capacity(usize::MAX / 2 + 1, 1, 8), usize::MAX);
        assert_eq!(next_capacity(3, 1, 1 << 20), 6);
    }

    #[test]
    fn never_below_what_is_needed() {
        assert_eq!(next_capacity(0, 1_000_000, 8), 1_000_000);
        assert_eq!(next_capacity(10, usize::MAX, 8), usize::MAX);
    }

    #[test]
    fn size_checks_catch_overflow() {
        assert!(fits(10, 8, 80));
        assert!(!fits(11, 8, 80));
        assert!(!fits(usize::MAX, 2, usize::MAX));
        assert!(fits(usize::MAX, 0, 0));
        assert!(fits(ALLOCATION_LIMIT, 1, ALLOCATION_LIMIT));
        assert!(!fits(ALLOCATION_LIMIT / 2 + 1, 2, ALLOCATION_LIMIT));
    }
}
