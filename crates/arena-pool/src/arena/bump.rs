//! The bump arithmetic behind [`Arena`](crate::Arena), as pure integer
//! functions.
//!
//! Nothing here touches memory, so every function can be tested (and fuzzed)
//! on its own; the arena's unsafe code relies on the properties proved in the
//! comments below. It is private to the crate: the fuzz target compiles this
//! same file into itself with `#[path]`, so the file names nothing else of
//! the crate outside its documentation and tests.

#![forbid(unsafe_code)]

/// The largest size a chunk's usable region may have.
///
/// Rust allocations never exceed `isize::MAX` bytes; [`bump_down`]'s single
/// comparison depends on it.
pub const MAX_CHUNK_CAPACITY: usize = isize::MAX as usize;

/// Bumps a cursor downwards: returns the address of a block of `size` bytes
/// aligned to `align`, placed as high as possible below `cursor` and not below
/// `start`, or `None` if the block does not fit.
///
/// Preconditions (checked in debug builds): `align` is a power of two,
/// `start <= cursor`, `cursor - start <= MAX_CHUNK_CAPACITY`, and
/// `(size, align)` is a valid [`core::alloc::Layout`], so `size` rounded up to
/// `align` is at most `isize::MAX`.
///
/// Why one comparison suffices: let `new = (cursor - size) & !(align - 1)`,
/// computed with wrapping. A valid layout has `size + align - 1 <= isize::MAX`
/// (its rounded size is a multiple of `align` no greater than
/// `2^63 - align`, on 64-bit targets; likewise on others).
/// - If the block fits, `start <= new <= cursor`, so `new - start` is at most
///   the chunk's capacity, at most `isize::MAX`.
/// - If `cursor >= size` but `new < start`, then `start - new <= size + align - 1
///   <= isize::MAX`, so the wrapped `new - start` is above `isize::MAX`.
/// - If `cursor < size`, the subtraction wraps and `new` lands at least
///   `2^N - (size + align - 1)` high, so `new - start` again exceeds
///   `isize::MAX` (and if it wraps a second time, `start - new < size`).
///
/// Every failure therefore shows as `new - start > isize::MAX`: one branch.
#[inline(always)]
#[must_use]
pub const fn bump_down(cursor: usize, start: usize, size: usize, align: usize) -> Option<usize> {
    debug_assert!(align.is_power_of_two());
    debug_assert!(start <= cursor);
    let new = cursor.wrapping_sub(size) & !(align - 1);
    if new.wrapping_sub(start) > isize::MAX as usize {
        None
    } else {
        Some(new)
    }
}

/// Bumps a floor upwards: returns the address of a block of `size` bytes
/// aligned to `align`, placed as low as possible at or above `floor` and
/// ending at or below `cursor`, or `None` if it does not fit. The block's
/// end, the new floor, is the returned address plus `size`.
///
/// The arena hands out ordinary blocks downwards from its cursor and
/// growable buffers upwards from the floor of the same free region, so a
/// buffer on the floor grows in place, without moving, while the region
/// between the two has room.
#[inline(always)]
#[must_use]
pub const fn bump_up(floor: usize, cursor: usize, size: usize, align: usize) -> Option<usize> {
    let Some(new) = align_up(floor, align) else {
        return None;
    };
    match new.checked_add(size) {
        Some(end) if end <= cursor => Some(new),
        _ => None,
    }
}

/// Rounds `value` up to a multiple of `align` (a power of two), or `None` on
/// overflow.
#[inline]
#[must_use]
pub const fn align_up(value: usize, align: usize) -> Option<usize> {
    debug_assert!(align.is_power_of_two());
    match value.checked_add(align - 1) {
        Some(sum) => Some(sum & !(align - 1)),
        None => None,
    }
}

/// The smallest usable capacity a chunk needs so that a block of `size` bytes
/// aligned to `align` fits, when the chunk's base is aligned to `chunk_align`
/// (a power of two) and its top is `base + capacity`.
#[inline]
#[must_use]
pub const fn capacity_for(size: usize, align: usize, chunk_align: usize) -> Option<usize> {
    // The base is aligned to `min(align, chunk_align)`, so with `align <=
    // chunk_align` the block fits as soon as `size` bytes do: aligning
    // `top - size` down never passes the base. A larger alignment may need up
    // to `align - chunk_align` bytes of padding above the base.
    let padding = align.saturating_sub(chunk_align);
    match size.checked_add(padding) {
        Some(total) if total <= MAX_CHUNK_CAPACITY => Some(total),
        _ => None,
    }
}

/// The capacity of the chunk that follows one of `previous` bytes: doubling,
/// at least `minimum` and never above [`MAX_CHUNK_CAPACITY`]; the first chunk
/// (after one of zero bytes) gets `initial`.
#[inline]
#[must_use]
pub const fn next_capacity(previous: usize, minimum: usize, initial: usize) -> usize {
    let doubled = if previous == 0 {
        initial
    } else {
        previous.saturating_mul(2)
    };
    let wanted = if doubled > minimum { doubled } else { minimum };
    if wanted > MAX_CHUNK_CAPACITY {
        MAX_CHUNK_CAPACITY
    } else {
        wanted
    }
}

/// The capacity a new chunk may take under an allocation limit: `wanted`,
/// cut down to the room left below `limit` when chunks of `held` bytes are
/// already held, or `None` when that room is under `needed` bytes.
#[inline]
#[must_use]
pub const fn limit_capacity(
    wanted: usize,
    needed: usize,
    held: usize,
    limit: usize,
) -> Option<usize> {
    let room = limit.saturating_sub(held);
    if room < needed {
        None
    } else if wanted < room {
        Some(wanted)
    } else {
        Some(room)
    }
}

/// Bytes left below a power of two for the global allocator's bookkeeping
/// (a typical `malloc` header and its 16-byte size-class rounding, with
/// margin). Chunks then take blocks just under a power of two, so a 32 MiB
/// chunk stays under glibc's largest `mmap` threshold, and a whole arena's
/// chunks add up to just under a power of two: freeing them does not push the
/// heap's free top past glibc's trim threshold (twice the `mmap` threshold),
/// which would hand the pages back to the system only for the next arena to
/// fault them in again.
pub const MALLOC_OVERHEAD: usize = 64;

/// Rounds a chunk's capacity up so that the whole allocation (capacity,
/// `footer` bytes of bookkeeping and the allocator's own header) fills a
/// power of two: no bytes wasted to the allocator's size classes or, for
/// large chunks, to a partial last page. `footer` must be a multiple of 16.
/// Returns the capacity unchanged if rounding would overflow.
#[must_use]
pub const fn round_chunk_capacity(capacity: usize, footer: usize) -> usize {
    let Some(total) = capacity.checked_add(footer + MALLOC_OVERHEAD) else {
        return capacity;
    };
    match total.checked_next_power_of_two() {
        Some(rounded) if rounded - footer - MALLOC_OVERHEAD <= MAX_CHUNK_CAPACITY => {
            rounded - footer - MALLOC_OVERHEAD
        }
        _ => capacity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::alloc::Layout;
    use proptest::prelude::*;

    #[test]
    fn small_examples() {
        assert_eq!(MAX_CHUNK_CAPACITY, isize::MAX as usize);
        assert_eq!(bump_down(1030, 1000, 3, 8), Some(1024));
        assert_eq!(bump_down(1030, 1000, 31, 8), None);
        assert_eq!(align_up(usize::MAX, 8), None);
        assert_eq!(capacity_for(24, 8, 16), Some(24));
        assert_eq!(capacity_for(24, 4096, 16), Some(24 + 4096 - 16));
        assert_eq!(next_capacity(0, 16, 448), 448);
        assert_eq!(next_capacity(448, 16, 448), 896);
        assert_eq!(next_capacity(448, 5000, 448), 5000);
        let overhead = 48 + MALLOC_OVERHEAD;
        assert_eq!(round_chunk_capacity(100, 48), 256 - overhead);
        assert_eq!(round_chunk_capacity(256 - overhead, 48), 256 - overhead);
        assert_eq!(round_chunk_capacity(257 - overhead, 48), 512 - overhead);
    }

    #[test]
    fn fits_exactly() {
        assert_eq!(bump_down(1024, 1000, 24, 8), Some(1000));
        assert_eq!(bump_down(1024, 1001, 24, 8), None);
        assert_eq!(bump_down(1024, 1024, 0, 1), Some(1024));
    }

    #[test]
    fn aligns_down() {
        assert_eq!(bump_down(1030, 0, 3, 8), Some(1024));
        assert_eq!(bump_down(8192 + 10, 4096, 1, 4096), Some(8192));
        assert_eq!(bump_down(8192 + 10, 4097, 1, 4096), Some(8192));
        assert_eq!(bump_down(8191, 4097, 1, 4096), None);
    }

    #[test]
    fn wrapping_requests_fail() {
        assert_eq!(bump_down(16, 0, 17, 1), None);
        assert_eq!(bump_down(16, 8, usize::MAX / 2, 1), None);
        assert_eq!(bump_down(usize::MAX / 2, 0, usize::MAX / 2 + 1, 1), None);
        let huge = Layout::from_size_align(isize::MAX as usize - 4095, 4096).unwrap();
        assert_eq!(bump_down(4096, 0, huge.size(), huge.align()), None);
    }

    #[test]
    fn align_up_overflows_to_none() {
        assert_eq!(align_up(usize::MAX, 2), None);
        assert_eq!(align_up(13, 8), Some(16));
        assert_eq!(align_up(16, 8), Some(16));
    }

    #[test]
    fn capacity_for_over_aligned() {
        assert_eq!(capacity_for(1, 4096, 16), Some(1 + 4096 - 16));
        assert_eq!(capacity_for(3, 8, 16), Some(3));
        assert_eq!(capacity_for(usize::MAX, 4096, 16), None);
    }

    #[test]
    fn rounded_capacities_fill_powers_of_two() {
        for capacity in [1, 100, 448, 4096, 1 << 20, (1 << 20) + 1] {
            let rounded = round_chunk_capacity(capacity, 64);
            assert!(rounded >= capacity);
            assert!((rounded + 64 + MALLOC_OVERHEAD).is_power_of_two());
        }
        assert_eq!(round_chunk_capacity(usize::MAX - 8, 64), usize::MAX - 8);
    }

    #[test]
    fn bump_up_aligns_the_floor_and_stops_at_the_cursor() {
        assert_eq!(bump_up(1001, 1100, 16, 8), Some(1008));
        assert_eq!(bump_up(1001, 1023, 16, 8), None);
        assert_eq!(bump_up(usize::MAX - 3, usize::MAX, 1, 8), None);
    }

    #[test]
    fn limit_capacity_cuts_to_the_room_left() {
        assert_eq!(limit_capacity(100, 10, 0, usize::MAX), Some(100));
        assert_eq!(limit_capacity(100, 10, 95, 100), None);
        assert_eq!(limit_capacity(100, 5, 95, 100), Some(5));
        assert_eq!(limit_capacity(0, 0, 100, 100), Some(0));
        assert_eq!(
            limit_capacity(usize::MAX, 1, usize::MAX - 1, usize::MAX),
            Some(1)
        );
    }

    #[test]
    fn next_capacity_doubles_and_saturates() {
        assert_eq!(next_capacity(0, 1, 512), 512);
        assert_eq!(next_capacity(512, 1, 512), 1024);
        assert_eq!(next_capacity(512, 5000, 512), 5000);
        assert_eq!(next_capacity(usize::MAX / 2, 0, 512), MAX_CHUNK_CAPACITY);
    }

    /// The end of the range of chunk starts the model test draws from: far
    /// into the 64-bit address space, or on 32-bit targets the whole address
    /// space but the top 1 MiB, so that `start + len` still fits.
    #[cfg(target_pointer_width = "64")]
    const START_END: usize = 1 << 40;
    #[cfg(target_pointer_width = "32")]
    const START_END: usize = usize::MAX - (1 << 20);

    /// The end of the range of chunk bases (in units of 16 bytes) that
    /// `capacity_for_is_enough` draws from: on 32-bit targets up to the top of
    /// the address space, leaving room for the largest test capacity.
    #[cfg(target_pointer_width = "64")]
    const BASE_END: usize = 1 << 30;
    #[cfg(target_pointer_width = "32")]
    const BASE_END: usize = (usize::MAX - (1 << 16)) / 16;

    fn valid_layout() -> impl Strategy<Value = Layout> {
        (0u32..=12, 0usize..=8192)
            .prop_map(|(shift, size)| Layout::from_size_align(size, 1 << shift).unwrap())
    }

    fn config() -> ProptestConfig {
        let mut config = ProptestConfig::with_cases(if cfg!(miri) { 16 } else { 4096 });
        if cfg!(miri) {
            // Miri isolates tests from the file system.
            config.failure_persistence = None;
        }
        config
    }

    proptest! {
        #![proptest_config(config())]

        /// The one-branch check agrees with a plain, overflow-checked model.
        #[test]
        fn bump_down_matches_checked_model(
            start in 0usize..START_END,
            len in 0usize..(1 << 20),
            layout in valid_layout(),
        ) {
            let cursor = start + len;
            let model = cursor
                .checked_sub(layout.size())
                .map(|end| end & !(layout.align() - 1))
                .filter(|&new| new >= start);
            prop_assert_eq!(bump_down(cursor, start, layout.size(), layout.align()), model);
            if let Some(new) = model {
                prop_assert_eq!(new % layout.align(), 0);
                prop_assert!(new + layout.size() <= cursor);
            }
        }

        /// Near the top of the address space and with huge sizes, the check
        /// still never reports a block that does not fit.
        #[test]
        fn bump_down_never_wraps(
            cursor in any::<usize>(),
            back in 0usize..(1 << 16),
            size in any::<usize>(),
            shift in 0u32..=16,
        ) {
            let align = 1usize << shift;
            let start = cursor.saturating_sub(back);
            if Layout::from_size_align(size, align).is_ok()
                && let Some(new) = bump_down(cursor, start, size, align)
            {
                prop_assert!(new >= start);
                prop_assert!(new.checked_add(size).is_some_and(|end| end <= cursor));
                prop_assert_eq!(new % align, 0);
            }
        }

        /// `bump_up` agrees with `bump_down` on whether a block fits between
        /// a floor and a cursor, and places it inside them, aligned.
        #[test]
        fn bump_up_matches_bump_down(
            start in 0usize..START_END,
            len in 0usize..(1 << 20),
            layout in valid_layout(),
        ) {
            let cursor = start + len;
            let up = bump_up(start, cursor, layout.size(), layout.align());
            let down = bump_down(cursor, start, layout.size(), layout.align());
            prop_assert_eq!(up.is_some(), down.is_some());
            if let Some(new) = up {
                prop_assert!(new >= start);
                prop_assert!(new + layout.size() <= cursor);
                prop_assert_eq!(new % layout.align(), 0);
            }
        }

        /// A chunk of `capacity_for` bytes always fits the block.
        #[test]
        fn capacity_for_is_enough(layout in valid_layout(), base in 1usize..BASE_END) {
            let chunk_align = 16;
            let base = base * chunk_align;
            let capacity = capacity_for(layout.size(), layout.align(), chunk_align).unwrap();
            prop_assert!(bump_down(base + capacity, base, layout.size(), layout.align()).is_some());
        }
    }
}
