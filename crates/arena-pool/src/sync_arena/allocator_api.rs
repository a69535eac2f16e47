//! `allocator-api2` support: `&SyncArena` as an [`Allocator`], so that
//! collections can be built (and grown) on any thread.
//!
//! Every call goes to the calling thread's arena. A block that another
//! thread's arena handed out is foreign to it: freeing it does nothing, and
//! growing or shrinking it copies it into a fresh block. A thread's own most
//! recent block is freed and grown in place, as with `&Arena`.

use core::alloc::Layout;
use core::ptr::NonNull;

use allocator_api2::alloc::{AllocError as ApiAllocError, Allocator};

use super::SyncArena;

/// Collections from `allocator-api2` (and `hashbrown`) can allocate in a
/// `SyncArena` from any thread; a collection may move between threads and
/// keep growing there.
///
/// ```
/// use allocator_api2::vec::Vec;
/// use arena_pool::SyncArena;
///
/// let arena = SyncArena::new();
/// let lists: std::vec::Vec<Vec<u64, &SyncArena>> = std::thread::scope(|s| {
///     let workers: std::vec::Vec<_> = (0..2u64)
///         .map(|t| {
///             let arena = &arena;
///             s.spawn(move || {
///                 let mut v = Vec::new_in(arena);
///                 v.extend((0..100).map(|i| i * t));
///                 v
///             })
///         })
///         .collect();
///     workers.into_iter().map(|w| w.join().unwrap()).collect()
/// });
/// assert_eq!(lists[1][99], 99);
/// ```
// SAFETY: blocks come from the per-thread arenas' chunks, which stay valid
// until the `SyncArena` is reset or dropped; the `&SyncArena` borrow held by
// every user of this allocator prevents both. Blocks never overlap: each
// arena hands out fresh memory, and gives memory back only for its own most
// recent block (`give_back` and `regrow` leave other arenas' blocks
// alone, copying them when they must move). Every copy of `&SyncArena` is
// the same allocator, so any copy on any thread may free or grow any block.
unsafe impl Allocator for &SyncArena {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, ApiAllocError> {
        let ptr = self.try_alloc_layout(layout).map_err(|_| ApiAllocError)?;
        Ok(NonNull::slice_from_raw_parts(ptr, layout.size()))
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.threads.with_arena(|arena| {
            // SAFETY: the caller's contract: `ptr` is a block of one of this
            // `SyncArena`'s arenas, allocated with `layout`, now unused.
            unsafe { arena.give_back(ptr, layout.size()) }
        });
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, ApiAllocError> {
        self.threads.with_arena(|arena| {
            // SAFETY: forwarded from the caller's contract; `regrow` accepts
            // blocks of other arenas.
            unsafe { arena.regrow(ptr, old_layout, new_layout) }
                .map(|block| NonNull::slice_from_raw_parts(block, new_layout.size()))
                .map_err(|_| ApiAllocError)
        })
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
        self.threads.with_arena(|arena| {
            // SAFETY: forwarded from the caller's contract.
            unsafe { arena.regrow(ptr, old_layout, new_layout) }
                .map(|block| NonNull::slice_from_raw_parts(block, new_layout.size()))
                .map_err(|_| ApiAllocError)
        })
    }
}
