//! The memory of a pool's values: slots laid out in aligned segments, so
//! that a value's address alone leads to the pool it belongs to.
//!
//! A box holds only its value's pointer. To free the slot it needs the pool:
//! it clears the low bits of the pointer and finds the header of the
//! segment the slot is in, which names the pool. Segments are a power of two
//! in size and aligned to that size, and a slot never straddles two.

use alloc::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr::{self, NonNull};

use super::free_list::MAX_SLOTS;
use super::index::Tokens;
use crate::sync::RawCell;

/// Bytes at the start of every segment kept for its header; slots start at
/// this offset or at their alignment, whichever is larger, so slots of 64
/// bytes sit on cache-line boundaries.
const HEADER_SPACE: usize = 64;

/// The smallest segment size: one page, so that a segment costs little
/// header space and a page-aligned allocation is all a pool asks for in the
/// common case.
const MIN_SEGMENT: usize = 4096;

/// Where slots of one size and alignment sit in a pool's memory.
///
/// Segment `s` starts at `s * size` from the start of the memory (which is
/// aligned to `size`) with a [`SegmentHeader`], followed by `per_segment`
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
    #[cfg(test)]
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
#[cfg(all(test, target_pointer_width = "64"))]
const IDENTITY_PER_SEGMENT: usize = usize::MAX;
#[cfg(all(test, target_pointer_width = "32"))]
const IDENTITY_PER_SEGMENT: usize = 1 << 31;

/// The start of every segment: which index set frees the segment's slots.
///
/// Written when the slots are made and when [`Slots::bind`] names their
/// owner, both before any value pointer exists; read-only afterwards.
#[repr(C)]
pub(crate) struct SegmentHeader {
    /// The id of the owner's free set ([`cache::NO_SET`](super::cache::NO_SET)
    /// until bound), which keys the thread-local cache table.
    pub(crate) set_id: u64,
    /// The owner, type-erased (null until bound).
    pub(crate) owner: *const (),
}

/// One value's place in a pool; without loom it has the layout of `T`.
#[repr(transparent)]
pub(crate) struct Slot<T>(RawCell<MaybeUninit<T>>);

impl<T> Slot<T> {
    fn empty() -> Self {
        Self(RawCell::new(MaybeUninit::uninit()))
    }

    /// A pointer to the value's place, through the cell (so loom sees it).
    #[cfg(loom)]
    fn ptr(&self) -> NonNull<T> {
        let ptr = self.0.get().cast::<T>();
        // SAFETY: a pointer into a live allocation (the cell's) is not null.
        unsafe { NonNull::new_unchecked(ptr) }
    }
}

/// The slots of a pool, named by tokens: the token of a slot is its value's
/// address, so a thread that takes a token from its cache has the value's
/// address without computing it, and a box finds its token, and through the
/// segment header its pool, in its pointer.
///
/// Invariants: when `capacity > 0`, `memory` points to a live allocation of
/// `LAYOUT.bytes_for(capacity)` bytes aligned to `LAYOUT.size`, owned by
/// this value, in which every segment starts with an initialized
/// [`SegmentHeader`] and slot `i` at `LAYOUT.slot_offset(i)` holds an
/// initialized `Slot<T>`; `tokens` maps index `i` to the address of slot
/// `i`'s value. When `capacity == 0`, `memory` is dangling and no token
/// exists.
pub(crate) struct Slots<T> {
    memory: NonNull<u8>,
    capacity: usize,
    tokens: Tokens,
    /// The slots are owned here (for drop check).
    _slots: PhantomData<Slot<T>>,
}

// SAFETY: `Slots` is a uniquely owned allocation of slots; sending it sends
// the slots. Whether values may cross threads is decided by the pools that
// hold it (they require `T: Send`).
unsafe impl<T: Send> Send for Slots<T> {}
// SAFETY: `&Slots` only gives out pointers and tokens; all access to the
// values goes through pools that hand each slot to one owner at a time.
unsafe impl<T: Send> Sync for Slots<T> {}

impl<T> Slots<T> {
    /// The layout of this type's slots, if it fits the address space.
    const LAYOUT: Option<SegmentLayout> =
        SegmentLayout::new(size_of::<Slot<T>>(), align_of::<Slot<T>>());

    /// The segment size: the mask that leads from a value to its header.
    /// (When `LAYOUT` is `None`, `new` panics and no value pointer exists.)
    const SEGMENT_SIZE: usize = match Self::LAYOUT {
        Some(layout) => layout.size,
        None => 1,
    };

    /// Slots for `capacity` values, in memory allocated now, with unbound
    /// headers.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds the largest supported count, `u32::MAX - 1`,
    /// or the memory would not fit in the address space. Allocation failure
    /// goes to [`handle_alloc_error`].
    pub(crate) fn new(capacity: usize) -> Self {
        let too_many = || -> ! {
            panic!(
                "pool capacity {capacity} exceeds the maximum for this type \
                 ({MAX_SLOTS} slots, and no more than the address space holds)"
            )
        };
        if capacity > MAX_SLOTS {
            too_many();
        }
        let Some(layout) = Self::LAYOUT else {
            too_many()
        };
        let Some(bytes) = layout.bytes_for(capacity) else {
            too_many()
        };
        let Ok(memory_layout) = Layout::from_size_align(bytes, layout.size) else {
            too_many()
        };
        let memory = if capacity == 0 {
            NonNull::dangling()
        } else {
            // SAFETY: `bytes` is not zero: there is at least one slot after
            // a header.
            let raw = unsafe { alloc(memory_layout) };
            let Some(memory) = NonNull::new(raw) else {
                handle_alloc_error(memory_layout)
            };
            memory
        };
        for segment in 0..layout.segments_for(capacity) {
            let header = SegmentHeader {
                set_id: super::cache::NO_SET,
                owner: ptr::null(),
            };
            // SAFETY: segment starts are inside the allocation, aligned to
            // the segment size, which is at least the header's alignment,
            // and leave `HEADER_SPACE` bytes before the first slot.
            unsafe {
                memory
                    .as_ptr()
                    .add(segment * layout.size)
                    .cast::<SegmentHeader>()
                    .write(header);
            }
        }
        for index in 0..capacity {
            let offset = layout.slot_offset(index as u32);
            // SAFETY: slot offsets of indices below `capacity` lie inside
            // the allocation, aligned for `Slot<T>` (the segment start and
            // `offset` are multiples of its alignment, and so is `stride`).
            unsafe {
                memory
                    .as_ptr()
                    .add(offset)
                    .cast::<Slot<T>>()
                    .write(Slot::empty())
            };
        }
        // Under loom the value sits at the same offset inside every slot;
        // without it that offset is 0.
        let value_offset = if capacity == 0 {
            0
        } else {
            Self::value_offset(memory)
        };
        let tokens = Tokens {
            base: memory.as_ptr().addr() + value_offset,
            layout,
        };
        Self {
            memory,
            capacity,
            tokens,
            _slots: PhantomData,
        }
    }

    /// Where the value sits inside the first slot.
    #[cfg(not(loom))]
    fn value_offset(_memory: NonNull<u8>) -> usize {
        0
    }

    #[cfg(loom)]
    fn value_offset(memory: NonNull<u8>) -> usize {
        let offset = Self::LAYOUT.map_or(0, |layout| layout.offset);
        // SAFETY: slot 0 is initialized (`new` wrote it).
        let slot = unsafe { &*memory.as_ptr().add(offset).cast::<Slot<T>>() };
        slot.ptr().as_ptr().addr() - (memory.as_ptr().addr() + offset)
    }

    /// Names `owner`, with free set `set_id`, in every segment header. Boxes
    /// of the slots' values find `owner` through the headers, so it must
    /// stay at its address (and alive) as long as any of them.
    pub(crate) fn bind(&mut self, set_id: u64, owner: *const ()) {
        let Some(layout) = Self::LAYOUT else { return };
        for segment in 0..layout.segments_for(self.capacity) {
            // SAFETY: as in `new`; `&mut self` means no box reads headers.
            unsafe {
                self.memory
                    .as_ptr()
                    .add(segment * layout.size)
                    .cast::<SegmentHeader>()
                    .write(SegmentHeader { set_id, owner });
            }
        }
    }

    /// How tokens map to indices.
    pub(crate) fn tokens(&self) -> Tokens {
        self.tokens
    }

    /// The number of slots.
    pub(crate) fn len(&self) -> usize {
        self.capacity
    }

    /// The value pointer of the slot named by `token`, which must be a token
    /// of this set of slots (as the index sets built with
    /// [`tokens`](Self::tokens) hand out).
    #[inline(always)]
    pub(crate) fn ptr(&self, token: usize) -> NonNull<T> {
        #[cfg(loom)]
        {
            // Through the cell, so that loom sees the access.
            let index = self.tokens.index(token) as usize;
            let offset = Self::LAYOUT.map_or(0, |layout| layout.slot_offset(index as u32));
            // SAFETY: slot `index` is initialized (the invariant).
            let slot = unsafe { &*self.memory.as_ptr().add(offset).cast::<Slot<T>>() };
            slot.ptr()
        }
        #[cfg(not(loom))]
        {
            debug_assert!((self.tokens.index(token) as usize) < self.capacity);
            // `Slot<T>` has the layout of `T` outside loom; the pointer keeps
            // the provenance of the whole allocation and takes the token as
            // its address, so a box may reach its segment's header through it.
            let ptr = self.memory.as_ptr().with_addr(token).cast::<T>();
            // SAFETY: a token of these slots is the address of one of them,
            // in a live allocation, hence not null.
            unsafe { NonNull::new_unchecked(ptr) }
        }
    }

    /// The header of the segment that holds the value at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is a pointer that [`ptr`](Self::ptr) of a live `Slots<T>`
    /// returned, and those slots outlive `'a`.
    #[inline(always)]
    pub(crate) unsafe fn header<'a>(ptr: NonNull<T>) -> &'a SegmentHeader {
        let start = ptr.as_ptr().addr() & !(Self::SEGMENT_SIZE - 1);
        let header = ptr.as_ptr().cast::<SegmentHeader>().with_addr(start);
        // SAFETY: the value lies in a segment of its slots' allocation (the
        // pointer carries that allocation's provenance); the segment starts
        // at the address with the low bits cleared, with an initialized
        // header that nothing writes while value pointers exist.
        unsafe { &*header }
    }
}

impl<T> Drop for Slots<T> {
    fn drop(&mut self) {
        let Some(layout) = Self::LAYOUT else { return };
        if self.capacity == 0 {
            return;
        }
        if core::mem::needs_drop::<Slot<T>>() {
            for index in 0..self.capacity {
                let offset = layout.slot_offset(index as u32);
                // SAFETY: slot `index` is initialized (the invariant) and
                // not used again; its value, if any, is not dropped
                // (`MaybeUninit`): the pools drop values themselves.
                unsafe {
                    self.memory
                        .as_ptr()
                        .add(offset)
                        .cast::<Slot<T>>()
                        .drop_in_place()
                };
            }
        }
        // `new` made this layout from the same numbers, so it is valid.
        let bytes = layout.bytes_for(self.capacity).unwrap_or(0);
        // SAFETY: `memory` was allocated in `new` with this size and
        // alignment and is not used after this.
        unsafe {
            dealloc(
                self.memory.as_ptr(),
                Layout::from_size_align_unchecked(bytes, layout.size),
            );
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

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
        assert_eq!((big.size, big.per_segment), (8192, 1));
        let over_aligned = SegmentLayout::new(256, 256).unwrap();
        assert_eq!((over_aligned.offset, over_aligned.per_segment), (256, 15));
        let page = SegmentLayout::new(4096, 4096).unwrap();
        assert_eq!((page.size, page.offset, page.per_segment), (8192, 4096, 1));
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

    #[test]
    fn values_find_their_header() {
        let mut slots = Slots::<[u64; 8]>::new(200);
        let marker = 7u8;
        slots.bind(42, ptr::from_ref(&marker).cast());
        for index in 0..200 {
            let ptr = slots.ptr(slots.tokens().token(index));
            assert_eq!(ptr.as_ptr().addr() % 64, 0);
            // SAFETY: `ptr` came from `slots`, which lives on.
            let header = unsafe { Slots::<[u64; 8]>::header(ptr) };
            assert_eq!(header.set_id, 42);
            assert_eq!(header.owner, ptr::from_ref(&marker).cast());
        }
        let empty = Slots::<u8>::new(0);
        assert_eq!(empty.len(), 0);
    }
}
