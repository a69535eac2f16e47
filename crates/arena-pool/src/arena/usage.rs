//! Looking into an arena's chunks: which bytes are in use, and how much
//! memory the arena holds with its bookkeeping.

use core::iter::FusedIterator;
use core::mem::MaybeUninit;
use core::slice;

use super::Arena;
use super::chunk::Chunk;

/// One chunk of an arena as seen by
/// [`Arena::iter_allocated_chunks`]: its capacity and the bytes in use,
/// which lie in two regions. Ordinary allocations fill a chunk from its top
/// down ([`blocks`](AllocatedChunk::blocks)); the buffers of the arena
/// collections fill it from its base up ([`floor`](AllocatedChunk::floor)).
///
/// ```
/// use arena_pool::Arena;
///
/// let mut arena = Arena::new();
/// arena.alloc(7u32);
/// let chunk = arena.iter_allocated_chunks().next().unwrap();
/// assert_eq!(chunk.used_bytes(), 4);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct AllocatedChunk<'a> {
    floor: &'a [MaybeUninit<u8>],
    blocks: &'a [MaybeUninit<u8>],
    capacity: usize,
}

impl<'a> AllocatedChunk<'a> {
    /// The bytes handed out from the top of the chunk down (most recent
    /// first, so at the lowest addresses), alignment padding included.
    ///
    /// ```
    /// let mut arena = arena_pool::Arena::new();
    /// arena.alloc(0xABu8);
    /// let chunk = arena.iter_allocated_chunks().next().unwrap();
    /// assert_eq!(unsafe { chunk.blocks()[0].assume_init() }, 0xAB);
    /// ```
    #[must_use]
    pub fn blocks(&self) -> &'a [MaybeUninit<u8>] {
        self.blocks
    }

    /// The bytes of growable buffers, from the chunk's base up.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::Vec};
    ///
    /// let mut arena = Arena::new();
    /// let _ = Vec::from_iter_in([1u8, 2], &arena).into_slice();
    /// let chunk = arena.iter_allocated_chunks().next().unwrap();
    /// assert!(chunk.floor().len() >= 2);
    /// ```
    #[must_use]
    pub fn floor(&self) -> &'a [MaybeUninit<u8>] {
        self.floor
    }

    /// The bytes in use in this chunk.
    ///
    /// ```
    /// let mut arena = arena_pool::Arena::new();
    /// assert_eq!(arena.iter_allocated_chunks().count(), 0);
    /// ```
    #[must_use]
    pub fn used_bytes(&self) -> usize {
        self.floor.len() + self.blocks.len()
    }

    /// The chunk's usable capacity.
    ///
    /// ```
    /// let mut arena = arena_pool::Arena::fixed(100);
    /// assert_eq!(arena.iter_allocated_chunks().next().unwrap().capacity(), 100);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

/// The iterator of [`Arena::iter_allocated_chunks`]: the chunks in use,
/// newest first.
///
/// ```
/// let mut arena = arena_pool::Arena::new();
/// arena.alloc_slice_fill_with(10_000, |i| i as u8);
/// let used: usize = arena.iter_allocated_chunks().map(|c| c.used_bytes()).sum();
/// assert_eq!(used, arena.allocated_bytes());
/// ```
#[derive(Debug)]
pub struct AllocatedChunks<'a> {
    next: Option<Chunk>,
    /// The live floor and cursor of the current chunk, for the first item.
    current: Option<(usize, usize)>,
    _arena: &'a mut Arena,
}

impl<'a> Iterator for AllocatedChunks<'a> {
    type Item = AllocatedChunk<'a>;

    fn next(&mut self) -> Option<AllocatedChunk<'a>> {
        let chunk = self.next?;
        self.next = chunk.prev();
        let (floor, cursor) = self.current.take().unwrap_or_else(|| chunk.left());
        let base = chunk.base().as_ptr();
        let top = chunk.top().as_ptr();
        // SAFETY: the chunk is live while the arena is borrowed mutably for
        // `'a`, so nothing else reads or writes it. `[base, floor)` and
        // `[cursor, top)` lie inside its usable region (the arena keeps
        // `base <= floor <= cursor <= top`), and their pointers take the
        // chunk's provenance from its base. Any byte may be read as
        // `MaybeUninit<u8>`.
        let (floor, blocks) = unsafe {
            (
                slice::from_raw_parts(base.cast::<MaybeUninit<u8>>(), floor - base.addr()),
                slice::from_raw_parts(
                    base.with_addr(cursor).cast::<MaybeUninit<u8>>(),
                    top.addr() - cursor,
                ),
            )
        };
        Some(AllocatedChunk {
            floor,
            blocks,
            capacity: chunk.capacity(),
        })
    }
}

impl FusedIterator for AllocatedChunks<'_> {}

impl Arena {
    /// The chunks in use, newest first, with the bytes allocated in each.
    /// Taking `&mut self` guarantees no reference into the arena is alive,
    /// so reading the bytes is safe (as `MaybeUninit<u8>`: padding and
    /// unused bytes may be uninitialised). Spare chunks kept by a scope that
    /// ended are not listed.
    ///
    /// For bumpalo users: bumpalo's `iter_allocated_chunks` yields one slice
    /// per chunk; here each chunk has two regions, see [`AllocatedChunk`].
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// arena.alloc_str("hello");
    /// let bytes: Vec<u8> = arena
    ///     .iter_allocated_chunks()
    ///     .flat_map(|chunk| chunk.blocks().iter().map(|b| unsafe { b.assume_init() }))
    ///     .collect();
    /// assert_eq!(bytes, b"hello");
    /// ```
    pub fn iter_allocated_chunks(&mut self) -> AllocatedChunks<'_> {
        let next = self.current.get();
        let current = next.map(|_| (self.start.get(), self.cursor.get().addr()));
        AllocatedChunks {
            next,
            current,
            _arena: self,
        }
    }

    /// The memory the arena holds from the global allocator, in bytes:
    /// every chunk, spares included, with its bookkeeping footer and
    /// padding (not the allocator's own headers).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(100);
    /// assert!(arena.allocated_bytes_including_metadata() > arena.capacity());
    /// assert_eq!(Arena::new().allocated_bytes_including_metadata(), 0);
    /// ```
    #[must_use]
    pub fn allocated_bytes_including_metadata(&self) -> usize {
        self.current
            .get()
            .map_or(0, |chunk| chunk.all().map(Chunk::allocation_size).sum())
    }
}
