//! `allocator-api2` support: `&Arena` as an [`Allocator`] for collections.
//!
//! The trait is implemented for `&Arena`, never for `Arena` itself: a
//! collection holding `&Arena` borrows the arena, so the borrow checker
//! forbids [`Arena::reset`] (and dropping the arena) while the collection
//! lives. An owned arena used as an allocator could be reset under it.

use core::alloc::Layout;
use core::ptr::NonNull;

use allocator_api2::alloc::{AllocError as ApiAllocError, Allocator};

use super::Arena;

/// Collections from `allocator-api2` (and crates built on it, such as
/// `hashbrown`) can allocate in an arena.
///
/// Freeing is a no-op except for the most recent allocation, whose memory is
/// handed back; growing the most recent allocation reuses its memory (its
/// contents may move down within the chunk), so a vector that is the last
/// thing allocated grows without wasting space.
///
/// ```
/// use allocator_api2::vec::Vec;
/// use arena_pool::Arena;
///
/// let arena = Arena::new();
/// let mut squares = Vec::new_in(&arena);
/// squares.extend((0..100u64).map(|i| i * i));
/// assert_eq!(squares[99], 9801);
/// ```
// SAFETY: blocks come from the arena's chunks and stay valid until the arena
// is reset or dropped, which the `&Arena` borrow held by every user of this
// allocator prevents. Blocks never overlap (the bump only hands out fresh
// memory, and memory is handed back only when it is the most recent block,
// whose owner is giving it up). `&Arena` is `Copy`, and every copy allocates
// from the same arena, so any copy can free or grow any block.
unsafe impl Allocator for &Arena {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, ApiAllocError> {
        let ptr = self.try_alloc_layout(layout).map_err(|_| ApiAllocError)?;
        Ok(NonNull::slice_from_raw_parts(ptr, layout.size()))
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller gives up the block, allocated here with `layout`.
        unsafe { self.give_back(ptr, layout.size()) };
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, ApiAllocError> {
        // SAFETY: forwarded from the caller's contract.
        unsafe { self.regrow(ptr, old_layout, new_layout) }
            .map(|block| NonNull::slice_from_raw_parts(block, new_layout.size()))
            .map_err(|_| ApiAllocError)
    }

    unsafe fn grow_zeroed(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, ApiAllocError> {
        // SAFETY: forwarded from the caller's contract.
        let block =
            unsafe { self.regrow(ptr, old_layout, new_layout) }.map_err(|_| ApiAllocError)?;
        let added = new_layout.size() - old_layout.size();
        // SAFETY: the new block holds `new_layout.size()` bytes; the ones past
        // the old size are uninitialised and ours to write.
        unsafe { block.add(old_layout.size()).write_bytes(0, added) };
        Ok(NonNull::slice_from_raw_parts(block, new_layout.size()))
    }

    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, ApiAllocError> {
        if ptr.as_ptr().addr() & (new_layout.align() - 1) == 0 {
            // The block already satisfies the new layout: keep it in place.
            return Ok(NonNull::slice_from_raw_parts(ptr, new_layout.size()));
        }
        // SAFETY: forwarded from the caller's contract; moving to a fresh,
        // better-aligned block is a valid shrink.
        unsafe { self.regrow(ptr, old_layout, new_layout) }
            .map(|block| NonNull::slice_from_raw_parts(block, new_layout.size()))
            .map_err(|_| ApiAllocError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use allocator_api2::vec::Vec;

    #[test]
    fn last_block_grows_in_place() {
        let arena = Arena::new();
        let mut v: Vec<u32, &Arena> = Vec::with_capacity_in(4, &arena);
        v.extend(0..4);
        let before = arena.allocated_bytes();
        v.push(4);
        // Only the growth is charged: the old block's bytes were reused.
        assert_eq!(arena.allocated_bytes(), before + (v.capacity() - 4) * 4);
        assert_eq!(v, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn interleaved_blocks_grow_by_copying() {
        let arena = Arena::new();
        let mut a: Vec<u64, &Arena> = Vec::new_in(&arena);
        let mut b: Vec<u64, &Arena> = Vec::new_in(&arena);
        for i in 0..if cfg!(miri) { 50 } else { 1000 } {
            a.push(i);
            b.push(i * 2);
        }
        assert!(a.iter().enumerate().all(|(i, &x)| x == i as u64));
        assert!(b.iter().enumerate().all(|(i, &x)| x == 2 * i as u64));
    }

    #[test]
    fn freeing_the_last_block_returns_its_memory() {
        let arena = Arena::new();
        arena.alloc(1u8);
        let before = arena.allocated_bytes();
        let v: Vec<u64, &Arena> = Vec::with_capacity_in(16, &arena);
        assert!(arena.allocated_bytes() > before);
        drop(v);
        assert!(arena.allocated_bytes() <= before + 7);
    }

    #[test]
    fn shrink_and_zeroed_growth() {
        let arena = Arena::new();
        let layout = Layout::from_size_align(64, 8).unwrap();
        let block = (&arena).allocate_zeroed(layout).unwrap().cast::<u8>();
        // SAFETY: `block` holds 64 zeroed bytes.
        let bytes = unsafe { core::slice::from_raw_parts(block.as_ptr(), 64) };
        assert!(bytes.iter().all(|&b| b == 0));
        let bigger = Layout::from_size_align(128, 8).unwrap();
        // SAFETY: `block` was allocated by this allocator with `layout`.
        let grown = unsafe { (&arena).grow_zeroed(block, layout, bigger) }
            .unwrap()
            .cast::<u8>();
        // SAFETY: `grown` holds 128 bytes, the new ones zeroed.
        let bytes = unsafe { core::slice::from_raw_parts(grown.as_ptr(), 128) };
        assert!(bytes.iter().all(|&b| b == 0));
        let smaller = Layout::from_size_align(16, 4096).unwrap();
        // SAFETY: `grown` was allocated with `bigger`.
        let shrunk = unsafe { (&arena).shrink(grown, bigger, smaller) }.unwrap();
        assert_eq!(shrunk.cast::<u8>().as_ptr().addr() % 4096, 0);
    }
}
