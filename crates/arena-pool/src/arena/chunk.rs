//! Chunks: the blocks of memory an arena bumps through, and the unsafe code
//! that allocates, links and frees them.
//!
//! A chunk is one allocation from the global allocator:
//!
//! ```text
//! base                                   top
//! |<------------- capacity -------------->|<pad>|<- ChunkFooter ->|
//! ```
//!
//! The arena hands out memory from `top` downwards; the footer keeps the
//! chunk's bookkeeping at the high end, where it never moves.

use alloc::alloc::{alloc, dealloc};
use core::alloc::Layout;
use core::mem::{align_of, size_of};
use core::ptr::NonNull;

use super::bump::{MAX_CHUNK_CAPACITY, align_up};

/// Every chunk's base is aligned to this, so blocks of up to this alignment
/// need no padding in the capacity computation.
pub const CHUNK_ALIGN: usize = 16;

const _: () = assert!(align_of::<ChunkFooter>() <= CHUNK_ALIGN);

/// The bytes a chunk needs beyond its capacity for a footer, when its
/// capacity is a multiple of [`CHUNK_ALIGN`].
pub const FOOTER_SIZE: usize = size_of::<ChunkFooter>().next_multiple_of(CHUNK_ALIGN);

/// Bookkeeping stored at the top of every chunk.
///
/// Invariants, for a footer reachable from an arena:
/// - `base` is the start of a live allocation made with `layout`, and carries
///   the provenance of that whole allocation;
/// - `capacity <= MAX_CHUNK_CAPACITY`, `base + capacity <= footer address`,
///   and the footer itself lies inside the allocation;
/// - `prev` and `next` link the arena's chunks into one doubly linked list
///   that the arena owns; no footer is in two arenas.
pub struct ChunkFooter {
    base: NonNull<u8>,
    capacity: usize,
    layout: Layout,
    prev: Option<NonNull<ChunkFooter>>,
    next: Option<NonNull<ChunkFooter>>,
    /// Bytes handed out by the chunks before this one, recorded when this
    /// chunk became the current one.
    used_before: usize,
    /// The floor (`start`) and cursor addresses the arena had in this chunk
    /// when it last moved on to another one: its used regions are
    /// `[base, floor)` and `[cursor, top)`.
    left_floor: usize,
    left_cursor: usize,
}

/// A pointer to a live chunk footer owned by an arena.
///
/// It is a plain copyable pointer; the arena that owns the chunk list decides
/// when a chunk is freed ([`Chunk::free`]) and never uses it afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk(NonNull<ChunkFooter>);

impl Chunk {
    /// Allocates a chunk with exactly `capacity` usable bytes, or `None` if
    /// the capacity is too large or the global allocator fails.
    pub fn allocate(capacity: usize) -> Option<Self> {
        if capacity == 0 || capacity > MAX_CHUNK_CAPACITY {
            return None;
        }
        let footer_offset = align_up(capacity, CHUNK_ALIGN)?;
        let total = footer_offset.checked_add(FOOTER_SIZE)?;
        let layout = Layout::from_size_align(total, CHUNK_ALIGN).ok()?;
        // SAFETY: `layout` has a non-zero size (it includes the footer).
        let base = NonNull::new(unsafe { alloc(layout) })?;
        // SAFETY: `footer_offset + FOOTER_SIZE == total` and `FOOTER_SIZE >=
        // size_of::<ChunkFooter>()`, so the footer lies inside the allocation.
        let footer = unsafe { base.add(footer_offset) }.cast::<ChunkFooter>();
        // SAFETY: `footer` is in bounds, aligned (the base and the offset are
        // multiples of CHUNK_ALIGN >= align_of::<ChunkFooter>()) and not yet
        // initialised.
        unsafe {
            footer.write(ChunkFooter {
                base,
                capacity,
                layout,
                prev: None,
                next: None,
                used_before: 0,
                left_floor: base.addr().get(),
                left_cursor: base.addr().get() + capacity,
            });
        }
        Some(Self(footer))
    }

    /// Returns the chunk's memory to the global allocator.
    ///
    /// # Safety
    /// The chunk must be live and no longer reachable from any arena, and no
    /// reference into its memory may be used afterwards.
    pub unsafe fn free(self) {
        let (base, layout) = (self.footer().base, self.footer().layout);
        // SAFETY: the caller guarantees the chunk is live and unreachable;
        // `base` and `layout` are the ones it was allocated with.
        unsafe { dealloc(base.as_ptr(), layout) };
    }

    fn footer(&self) -> &ChunkFooter {
        // SAFETY: a `Chunk` points at an initialised footer of a live chunk
        // (it is freed only through `free`, which consumes the last use), and
        // footers are only written through `footer_mut` while no `&` to them
        // is held.
        unsafe { self.0.as_ref() }
    }

    fn update(self, change: impl FnOnce(&mut ChunkFooter)) {
        let mut footer = self.0;
        // SAFETY: as in `footer`; the arena is single-threaded (`!Sync`) and
        // no other reference to this footer lives across this call.
        change(unsafe { footer.as_mut() });
    }

    /// The lowest address of the usable region, with the chunk's provenance.
    pub fn base(self) -> NonNull<u8> {
        self.footer().base
    }

    /// One past the highest usable byte, with the chunk's provenance.
    pub fn top(self) -> NonNull<u8> {
        let footer = self.footer();
        // SAFETY: `base + capacity` lies inside the allocation (the footer is
        // above it), so the offset stays in bounds.
        unsafe { footer.base.add(footer.capacity) }
    }

    /// The usable bytes of this chunk.
    pub fn capacity(self) -> usize {
        self.footer().capacity
    }

    pub fn prev(self) -> Option<Self> {
        self.footer().prev.map(Self)
    }

    pub fn next(self) -> Option<Self> {
        self.footer().next.map(Self)
    }

    pub fn used_before(self) -> usize {
        self.footer().used_before
    }

    /// The bytes of the chunk's allocation, footer and padding included.
    pub fn allocation_size(self) -> usize {
        self.footer().layout.size()
    }

    /// Records the floor and cursor the arena leaves this chunk with.
    pub fn set_left(self, floor: usize, cursor: usize) {
        self.update(|footer| {
            footer.left_floor = floor;
            footer.left_cursor = cursor;
        });
    }

    /// The floor and cursor recorded by [`set_left`](Chunk::set_left).
    pub fn left(self) -> (usize, usize) {
        (self.footer().left_floor, self.footer().left_cursor)
    }

    pub fn set_used_before(self, bytes: usize) {
        self.update(|footer| footer.used_before = bytes);
    }

    /// Links `new` right after `self`, before whatever followed it.
    pub fn insert_after(self, new: Self) {
        let old_next = self.footer().next;
        new.update(|footer| {
            footer.prev = Some(self.0);
            footer.next = old_next;
        });
        if let Some(next) = old_next {
            Self(next).update(|footer| footer.prev = Some(new.0));
        }
        self.update(|footer| footer.next = Some(new.0));
    }

    /// Removes every link, making the chunk the only one in its list.
    pub fn unlink_all(self) {
        self.update(|footer| {
            footer.prev = None;
            footer.next = None;
        });
    }

    /// The first chunk of the list that holds `self`.
    pub fn head(self) -> Self {
        let mut chunk = self;
        while let Some(prev) = chunk.prev() {
            chunk = prev;
        }
        chunk
    }

    /// Every chunk of the list that holds `self`, head first.
    pub fn all(self) -> impl Iterator<Item = Self> {
        core::iter::successors(Some(self.head()), |chunk| chunk.next())
    }
}
