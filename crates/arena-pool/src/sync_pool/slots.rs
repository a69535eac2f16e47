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

use super::layout::{MAX_SLOTS, SegmentLayout, Tokens};
use crate::sync::RawCell;

/// The start of every segment: which index set frees the segment's slots.
///
/// Written when the slots are made and when [`Slots::bind`] names their
/// owner, both before any value pointer exists; read-only afterwards.
#[repr(C)]
pub(crate) struct SegmentHeader {
    /// The id of the owner's free set ([`cache::NO_SET`](super::ways::NO_SET)
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
        let Some((layout, _, memory_layout)) = Self::memory_layout(capacity) else {
            too_many()
        };
        let memory = if capacity == 0 {
            NonNull::dangling()
        } else {
            // SAFETY: the size is not zero: there is at least one slot after
            // a header.
            let raw = unsafe { alloc(memory_layout) };
            let Some(memory) = NonNull::new(raw) else {
                handle_alloc_error(memory_layout)
            };
            memory
        };
        for segment in 0..layout.segments_for(capacity) {
            let header = SegmentHeader {
                set_id: super::ways::NO_SET,
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

    /// The layout of the slots, the bytes and the allocation for
    /// `capacity` of them, or `None` when that is more than
    /// [`MAX_SLOTS`] or would not fit in the address space.
    fn memory_layout(capacity: usize) -> Option<(SegmentLayout, usize, Layout)> {
        if capacity > MAX_SLOTS {
            return None;
        }
        let layout = Self::LAYOUT?;
        let bytes = layout.bytes_for(capacity)?;
        let memory = Layout::from_size_align(bytes, layout.size).ok()?;
        Some((layout, bytes, memory))
    }

    /// Whether [`new`](Self::new) accepts `capacity` (it may still fail to
    /// allocate).
    pub(crate) fn fits(capacity: usize) -> bool {
        Self::memory_layout(capacity).is_some()
    }

    /// Slots per segment (1 when the layout does not fit).
    pub(crate) fn per_segment() -> usize {
        Self::LAYOUT.map_or(1, |layout| layout.per_segment)
    }

    /// The size of a segment in bytes (1 when the layout does not fit).
    pub(crate) fn segment_size() -> usize {
        Self::SEGMENT_SIZE
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
