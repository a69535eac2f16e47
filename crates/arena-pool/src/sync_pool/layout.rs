//! The arithmetic of a concurrent pool's memory and free set, apart from
//! any memory or atomics: where slot `i` of a segmented allocation lies
//! ([`SegmentLayout`]), how slot indices and tokens map to each other
//! ([`Tokens`]), and the sizes of the per-thread caches and of the batches
//! they move. Everything here is safe, `const` where it can be, and tested
//! alone.

#![forbid(unsafe_code)]

/// The most indices one thread's cache holds in one set; a power of two, so
/// that masking a position with `CACHE_MAX - 1` keeps it in bounds at no
/// cost.
pub(crate) const CACHE_MAX: usize = if cfg!(loom) { 4 } else { 32 };

/// The largest capacity of a set, `u32::MAX - 1`: indices are `u32`, with
/// one value to spare.
pub(crate) const MAX_SLOTS: usize = u32::MAX as usize - 1;

/// How many indices a thread may cache in a set of `capacity` indices: at
/// most an eighth of them, so small sets stay exact, and at most
/// [`CACHE_MAX`].
pub(crate) const fn cache_limit(capacity: usize) -> u32 {
    let share = capacity / 8;
    if share < CACHE_MAX {
        share as u32
    } else {
        CACHE_MAX as u32
    }
}

/// The fewest slots a growing pool adds at once (one under loom, so that
/// model checks grow often).
const MIN_GROWTH: usize = if cfg!(loom) { 1 } else { 32 };

/// The slots a growing pool's first parts hold, when whole segments of at
/// most [`MAX_FIRST_BYTES`] hold them: a pool of a few hundred values is
/// one or two parts rather than five (a thread's frees go to the cache of
/// each value's part while its allocations come from one part, so values
/// spread over many parts send more operations to the slow paths).
const FIRST_SLOTS: usize = 256;

/// The most bytes of segments a first part takes to hold [`FIRST_SLOTS`]
/// (one segment when a segment is larger).
const MAX_FIRST_BYTES: usize = 16 * 1024;

/// How many slots a growing pool that holds `total` adds: as many again
/// (so that a pool of `n` values grew `log2(n)` times); at least the fewest
/// whole segments (of `segment_size` bytes, `per_segment` slots each) that
/// hold [`FIRST_SLOTS`], but no more segments than make up
/// [`MAX_FIRST_BYTES`], and at least one; at least [`MIN_GROWTH`]; at most
/// [`MAX_SLOTS`] (the most one free set holds).
pub(crate) const fn growth_capacity(
    total: usize,
    per_segment: usize,
    segment_size: usize,
) -> usize {
    let most = match MAX_FIRST_BYTES.checked_div(segment_size) {
        Some(most) if most > 1 => most,
        _ => 1,
    };
    let wanted = match FIRST_SLOTS.checked_div(per_segment) {
        Some(whole) if whole * per_segment < FIRST_SLOTS => whole + 1,
        Some(whole) if whole > 0 => whole,
        _ => 1,
    };
    let segments = if wanted < most { wanted } else { most };
    let segments_floor = per_segment.saturating_mul(segments);
    let floor = if cfg!(loom) || segments_floor < MIN_GROWTH {
        MIN_GROWTH
    } else {
        segments_floor
    };
    let grown = if total > floor { total } else { floor };
    if grown < MAX_SLOTS { grown } else { MAX_SLOTS }
}

/// How many indices a thread whose cache is empty takes from the shared
/// list at once: half its cache, so that alternating runs of pops and pushes
/// touch the shared bitmap once per half cache, and at least the one it needs.
pub(crate) const fn refill_count(limit: u32) -> u32 {
    if limit / 2 > 1 { limit / 2 } else { 1 }
}

/// How many tokens a full cache of `len` tokens hands to the shared bitmap
/// before it takes one more: half, and at least one, so that the cache never
/// holds more than its limit.
pub(crate) const fn handover_count(len: u32) -> u32 {
    if len > 1 { len / 2 } else { len }
}

/// How a set names its indices outside the shared bitmap: index `i` is the
/// *token* `base + layout.slot_offset(i)`. A pool makes the token of a slot
/// its value's address, so a thread gets the address straight from its
/// cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tokens {
    /// The token of index 0, less the layout's offset of slot 0.
    pub(crate) base: usize,
    /// Where each index's token lies from `base`; the caller makes sure
    /// `base + layout.slot_offset(capacity - 1)` does not overflow.
    pub(crate) layout: SegmentLayout,
}

impl Tokens {
    /// Tokens equal to indices.
    pub(crate) const INDICES: Self = Self {
        base: 0,
        layout: SegmentLayout::IDENTITY,
    };

    /// The token of `index`.
    #[inline(always)]
    pub(crate) const fn token(self, index: u32) -> usize {
        self.base + self.layout.slot_offset(index)
    }

    /// The index of `token` (which `token` made).
    #[inline]
    pub(crate) const fn index(self, token: usize) -> u32 {
        self.layout.slot_index(token - self.base)
    }
}

/// Bytes at the start of every segment kept for its header; slots start at
/// this offset or at their alignment, whichever is larger, so slots of 64
/// bytes sit on cache-line boundaries.
const HEADER_SPACE: usize = 64;

/// The smallest segment size: one page, so that a segment costs little
/// header space and a page-aligned allocation is all a pool asks for in the
/// common case.
const MIN_SEGMENT: usize = 4096;

/// A segment is at least this many times the header space and one slot, so
/// that the bytes of a segment that hold no value are under a tenth of it
/// (when such a segment fits the address space).
const WASTE_DIVISOR: usize = 10;

/// Where slots of one size and alignment sit in a pool's memory.
///
/// Segment `s` starts at `s * size` from the start of the memory (which is
/// aligned to `size`) with a segment header, followed by `per_segment`
/// slots `stride` bytes apart from `offset` on. `size` is a power of two, so
/// the start of a slot's segment is its address with the low bits cleared;
/// `offset + per_segment * stride <= size`, so no slot crosses a segment's
/// end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SegmentLayout {
    /// Bytes per segment; a power of two, at least [`MIN_SEGMENT`].
    pub(crate) size: usize,
    /// Where the first slot of a segment starts.
    pub(crate) offset: usize,
    /// Bytes between slots: the slot size, or its alignment for zero-sized
    /// slots, so that every slot has an address of its own.
    pub(crate) stride: usize,
    /// Slots per segment; at least 1.
    pub(crate) per_segment: usize,
}

impl SegmentLayout {
    /// The layout for slots of `slot_size` bytes aligned to `slot_align` (a
    /// power of two, as `align_of` gives; `slot_size` a multiple of it), or
    /// `None` when one segment would not fit in the address space.
    pub(crate) const fn new(slot_size: usize, slot_align: usize) -> Option<Self> {
        let stride = if slot_size == 0 {
            slot_align
        } else {
            slot_size
        };
        let offset = if slot_align > HEADER_SPACE {
            slot_align
        } else {
            HEADER_SPACE
        };
        let Some(needed) = offset.checked_add(stride) else {
            return None;
        };
        let Some(size) = needed.checked_next_power_of_two() else {
            return None;
        };
        if size > isize::MAX as usize {
            return None;
        }
        // Room for ten headers-and-slots keeps the waste (the header, the
        // alignment padding and the tail too short for a slot, all less
        // than `offset + stride`) under a tenth of the segment.
        let size = match needed.checked_mul(WASTE_DIVISOR) {
            Some(roomy) => match roomy.checked_next_power_of_two() {
                Some(roomy) if roomy <= isize::MAX as usize => roomy,
                _ => size,
            },
            None => size,
        };
        let size = if size < MIN_SEGMENT {
            MIN_SEGMENT
        } else {
            size
        };
        Some(Self {
            size,
            offset,
            stride,
            per_segment: (size - offset) / stride,
        })
    }

    /// The layout that maps every number to itself: slot `i` at offset `i`
    /// (for index sets that are not backed by memory).
    pub(crate) const IDENTITY: Self = Self {
        size: 1 << (usize::BITS - 1),
        offset: 0,
        stride: 1,
        per_segment: IDENTITY_PER_SEGMENT,
    };

    /// How many segments `count` slots take.
    pub(crate) const fn segments_for(self, count: usize) -> usize {
        count.div_ceil(self.per_segment)
    }

    /// The bytes from the start of the first segment to the end of slot
    /// `count - 1` (0 for no slots), or `None` if that overflows.
    pub(crate) const fn bytes_for(self, count: usize) -> Option<usize> {
        if count == 0 {
            return Some(0);
        }
        let before_last = (count - 1) / self.per_segment;
        let in_last = count - before_last * self.per_segment;
        // `offset + in_last * stride <= size`, so only the first term can
        // overflow.
        match before_last.checked_mul(self.size) {
            Some(bytes) => bytes.checked_add(self.offset + in_last * self.stride),
            None => None,
        }
    }

    /// The offset of slot `index` from the start of the first segment.
    /// `index` must be below a count that [`bytes_for`](Self::bytes_for)
    /// accepted, so this does not overflow.
    #[inline]
    pub(crate) const fn slot_offset(self, index: u32) -> usize {
        // Indices are below `u32::MAX`; 32-bit division is the cheaper one.
        let per_segment = if self.per_segment > u32::MAX as usize {
            u32::MAX
        } else {
            self.per_segment as u32
        };
        let segment = (index / per_segment) as usize;
        let within = (index % per_segment) as usize;
        segment * self.size + self.offset + within * self.stride
    }

    /// The index of the slot at `offset` from the start of the first
    /// segment; `offset` must be one that [`slot_offset`](Self::slot_offset)
    /// gave.
    #[inline]
    pub(crate) const fn slot_index(self, offset: usize) -> u32 {
        let segment = offset >> self.size.trailing_zeros();
        let from_first = (offset & (self.size - 1)) - self.offset;
        let within = if self.stride.is_power_of_two() {
            from_first >> self.stride.trailing_zeros()
        } else {
            from_first / self.stride
        };
        (segment * self.per_segment + within) as u32
    }
}

/// Slots per segment of [`SegmentLayout::IDENTITY`]: one segment holds every
/// `u32` index where `usize` is wider; where it is 32 bits wide, two
/// segments of `2^31` do.
#[cfg(target_pointer_width = "64")]
const IDENTITY_PER_SEGMENT: usize = usize::MAX;
#[cfg(target_pointer_width = "32")]
const IDENTITY_PER_SEGMENT: usize = 1 << 31;

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn growth_doubles_from_a_few_hundred_slots() {
        // 64-byte values: 63 per 4 KiB segment; 256 slots would take five
        // segments, so four (16 KiB) first.
        assert_eq!(growth_capacity(0, 63, 4096), 252);
        assert_eq!(growth_capacity(252, 63, 4096), 252);
        assert_eq!(growth_capacity(504, 63, 4096), 504);
        // 24-byte values: two segments of 168 hold 256.
        assert_eq!(growth_capacity(0, 168, 4096), 336);
        // 8-byte values: one segment of 504 holds 256.
        assert_eq!(growth_capacity(0, 504, 4096), 504);
        assert_eq!(growth_capacity(0, 128, 4096), 256);
        // Segments of 16 KiB or more: one segment first.
        assert_eq!(growth_capacity(0, 15, 64 * 1024), MIN_GROWTH);
        assert_eq!(growth_capacity(0, 40, 16 * 1024), 40);
        assert_eq!(growth_capacity(0, 3, 1 << 20), MIN_GROWTH);
        assert_eq!(growth_capacity(1000, 15, 64 * 1024), 1000);
        assert_eq!(growth_capacity(usize::MAX, 1, 4096), MAX_SLOTS);
        assert_eq!(growth_capacity(0, usize::MAX, 4096), MAX_SLOTS);
        assert_eq!(growth_capacity(0, usize::MAX, 1), MAX_SLOTS);
        assert_eq!(growth_capacity(0, 63, 0), 63);
        assert_eq!(growth_capacity(0, 0, 4096), MIN_GROWTH);
    }

    #[test]
    fn limits() {
        assert_eq!(cache_limit(0), 0);
        assert_eq!(cache_limit(7), 0);
        assert_eq!(cache_limit(64), 8);
        assert_eq!(cache_limit(1 << 20), CACHE_MAX as u32);
        assert_eq!(refill_count(0), 1);
        assert_eq!(refill_count(3), 1);
        assert_eq!(refill_count(32), 16);
        assert_eq!(handover_count(0), 0);
        assert_eq!(handover_count(1), 1);
        assert_eq!(handover_count(2), 1);
        assert_eq!(handover_count(3), 1);
        assert_eq!(handover_count(32), 16);
    }

    /// The largest index `tokens_round_trip` maps: the largest there is
    /// where `usize` is 64 bits wide; where it is 32, the largest whose
    /// 64-byte slot still fits in the address space above `1 << 20`.
    #[cfg(target_pointer_width = "64")]
    const LAST_INDEX: u32 = u32::MAX - 1;
    #[cfg(target_pointer_width = "32")]
    const LAST_INDEX: u32 = (1 << 24) - 1;

    #[test]
    fn tokens_round_trip() {
        let layout = |size, align| SegmentLayout::new(size, align).unwrap();
        for tokens in [
            Tokens::INDICES,
            Tokens {
                base: 4096,
                layout: layout(64, 8),
            },
            Tokens {
                base: 1 << 20,
                layout: layout(24, 8),
            },
            Tokens {
                base: 1 << 20,
                layout: layout(0, 4),
            },
        ] {
            for index in [0, 1, 7, 62, 63, 64, 1000, LAST_INDEX] {
                assert_eq!(tokens.index(tokens.token(index)), index);
            }
        }
        let top = Tokens::INDICES.token(u32::MAX - 1);
        assert_eq!(Tokens::INDICES.index(top), u32::MAX - 1);
        let lines = Tokens {
            base: 1 << 20,
            layout: layout(64, 8),
        };
        assert_eq!(lines.token(3), (1 << 20) + 64 + 3 * 64);
        // The 64th value starts the second segment, after its header.
        assert_eq!(lines.token(63), (1 << 20) + 4096 + 64);
    }

    #[test]
    fn layouts_of_common_sizes() {
        let words = SegmentLayout::new(8, 8).unwrap();
        assert_eq!((words.size, words.offset, words.stride), (4096, 64, 8));
        assert_eq!(words.per_segment, (4096 - 64) / 8);
        let lines = SegmentLayout::new(64, 8).unwrap();
        assert_eq!(lines.per_segment, 63);
        assert_eq!(lines.slot_offset(0) % 64, 0);
        let units = SegmentLayout::new(0, 1).unwrap();
        assert_eq!((units.stride, units.per_segment), (1, 4096 - 64));
        let big = SegmentLayout::new(5000, 8).unwrap();
        assert_eq!((big.size, big.per_segment), (65536, 13));
        let over_aligned = SegmentLayout::new(256, 256).unwrap();
        assert_eq!((over_aligned.offset, over_aligned.per_segment), (256, 31));
        let buffer = SegmentLayout::new(4096, 8).unwrap();
        assert_eq!((buffer.size, buffer.per_segment), (65536, 15));
        let page = SegmentLayout::new(4096, 4096).unwrap();
        assert_eq!(
            (page.size, page.offset, page.per_segment),
            (131072, 4096, 31)
        );
    }

    /// For every value size from 64 bytes up (and the usual alignments),
    /// the bytes of a full segment that hold no value are under a tenth of
    /// it.
    #[test]
    fn waste_is_under_a_tenth_from_64_bytes_up() {
        let sizes = (64usize..=20_000).step_by(if cfg!(miri) { 997 } else { 8 });
        for size in sizes.chain([1 << 16, 100_000, 1 << 20, (1 << 20) + 8]) {
            for align in [8, 64, 4096] {
                let size = size.next_multiple_of(align);
                let layout = SegmentLayout::new(size, align).unwrap();
                let waste = layout.size - layout.per_segment * layout.stride;
                assert!(
                    waste * 10 < layout.size,
                    "{size}-byte values aligned to {align}: {waste} of {} bytes",
                    layout.size
                );
            }
        }
    }

    #[test]
    fn layouts_too_large_for_the_address_space() {
        assert_eq!(SegmentLayout::new(isize::MAX as usize - 7, 8), None);
        assert_eq!(SegmentLayout::new(1 << (usize::BITS - 2), 8), None);
        assert!(SegmentLayout::new(1 << (usize::BITS - 3), 8).is_some());
        let huge = SegmentLayout::new(1 << (usize::BITS - 3), 8).unwrap();
        assert_eq!(huge.bytes_for(1), Some(64 + (1 << (usize::BITS - 3))));
        assert_eq!(huge.bytes_for(5), None);
    }

    #[test]
    fn bytes_cover_exactly_the_slots() {
        let layout = SegmentLayout::new(24, 8).unwrap();
        assert_eq!(layout.bytes_for(0), Some(0));
        assert_eq!(layout.bytes_for(1), Some(64 + 24));
        let per = layout.per_segment;
        assert_eq!(layout.bytes_for(per), Some(64 + per * 24));
        assert_eq!(layout.bytes_for(per + 1), Some(4096 + 64 + 24));
        assert_eq!(layout.segments_for(per + 1), 2);
        assert_eq!(layout.bytes_for(usize::MAX), None);
    }

    /// Every slot lies inside its segment, after the header, aligned, apart
    /// from the others, and maps back to its index.
    #[test]
    fn slots_are_placed_and_named_consistently() {
        let cases = [
            (1, 1),
            (8, 8),
            (24, 8),
            (64, 8),
            (0, 1),
            (0, 16),
            (200, 8),
            (512, 512),
        ];
        for (size, align) in cases {
            let layout = SegmentLayout::new(size, align).unwrap();
            let count = if cfg!(miri) {
                2 * layout.per_segment + 3
            } else {
                5 * layout.per_segment + 3
            };
            let mut previous_end = 0;
            for index in 0..count as u32 {
                let offset = layout.slot_offset(index);
                let within = offset % layout.size;
                assert!(within >= layout.offset && within + layout.stride <= layout.size);
                assert_eq!(offset % align, 0);
                assert!(offset >= previous_end);
                previous_end = offset + layout.stride;
                assert_eq!(layout.slot_index(offset), index);
            }
            assert_eq!(layout.bytes_for(count), Some(previous_end));
        }
    }

    #[test]
    fn identity_layout() {
        let layout = SegmentLayout::IDENTITY;
        for index in [0, 1, 7, 1000, u32::MAX - 1] {
            assert_eq!(layout.slot_offset(index), index as usize);
            assert_eq!(layout.slot_index(index as usize), index);
        }
    }
}
