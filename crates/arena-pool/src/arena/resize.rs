//! Resizing and giving back the most recent block of an arena: what lets a
//! growing vector that is the last thing allocated reuse its own room, and a
//! dropped one hand its room back.
//!
//! Blocks are bumped downwards, so the most recent block of the current chunk
//! starts exactly at the cursor. Only that block can change size without
//! wasting memory; any other block is copied to fresh room when it grows.

use core::alloc::Layout;
use core::ptr::{self, NonNull};

use super::{Arena, bump};
use crate::error::AllocError;

impl Arena {
    /// Whether `ptr` is where the most recent block of the current chunk
    /// starts.
    ///
    /// No other block can start there: the cursor lies inside the current
    /// chunk's allocation (at worst on its footer, when the chunk is empty),
    /// where no block of another chunk can be.
    #[inline(always)]
    pub(crate) fn is_last(&self, ptr: NonNull<u8>) -> bool {
        ptr.as_ptr().addr() == self.cursor.get().addr() && self.current.get().is_some()
    }

    /// Hands back the room of a block of `size` bytes if it is the most
    /// recent one; otherwise does nothing (its room is reclaimed with the
    /// rest of the arena).
    ///
    /// # Safety
    /// `ptr` must be a block of at least `size` bytes allocated from this
    /// arena, still allocated, that the caller gives up: nothing reads or
    /// writes it afterwards.
    #[inline(always)]
    pub(crate) unsafe fn give_back(&self, ptr: NonNull<u8>, size: usize) {
        if self.is_last(ptr) {
            let cursor = self.cursor.get();
            // SAFETY: `ptr` is the cursor, the start of the most recent block
            // of the current chunk; the block ends at or below the chunk's
            // top, so moving the cursor past it stays within the chunk.
            self.cursor.set(unsafe { cursor.add(size) });
        }
    }

    /// Moves a block to a new layout and returns the new block (which may
    /// overlap the old one), keeping the first `min(old, new)` bytes. The
    /// most recent block reuses its own room when the current chunk has
    /// space; any other block is copied to fresh room. On error the old
    /// block is untouched and still allocated.
    ///
    /// # Safety
    /// `ptr` must be a block of this arena allocated with `old_layout` and
    /// still in use; on success the caller gives it up for the returned
    /// block.
    pub(crate) unsafe fn regrow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<u8>, AllocError> {
        let keep = old_layout.size().min(new_layout.size());
        if self.is_last(ptr) {
            // The block spans `[cursor, cursor + old size)`; place the new one
            // so that it ends where the old one did.
            let block_end = ptr.as_ptr().addr() + old_layout.size();
            if let Some(new) = bump::bump_down(
                block_end,
                self.start.get(),
                new_layout.size(),
                new_layout.align(),
            ) {
                let new = self.cursor.get().with_addr(new);
                // SAFETY: `new` lies in `[start, block_end)`, inside the
                // current chunk, and carries the chunk's provenance through
                // the cursor. The old and new blocks may overlap, hence
                // `copy`.
                unsafe { ptr::copy(ptr.as_ptr(), new, keep) };
                self.cursor.set(new);
                // SAFETY: `new >= start`, which is non-zero.
                return Ok(unsafe { NonNull::new_unchecked(new) });
            }
        }
        let new = self.try_alloc_layout(new_layout)?;
        // SAFETY: `new` is a fresh block of at least `keep` bytes that cannot
        // overlap the old one (which is still allocated), and the old block
        // holds at least `keep` bytes.
        unsafe { ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), keep) };
        Ok(new)
    }
}
