//! Resizing and giving back the most recent block of an arena: what lets a
//! growing vector that is the last thing allocated reuse its own room, and a
//! dropped one hand its room back.
//!
//! Ordinary blocks are bumped downwards, so the most recent one starts
//! exactly at the cursor: it can change size without wasting memory, but
//! growing it moves its contents down. Growable buffers (the arena
//! collections') are bumped upwards from the floor of the same free region
//! instead: the most recent one ends exactly at the floor (`start`) and grows
//! in place, without moving, while the free region has room. Any other block
//! is copied to fresh room when it grows.

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
    /// arena or from another one (as `SyncArena` passes blocks between its
    /// per-thread arenas), still allocated, that the caller gives up:
    /// nothing reads or writes it afterwards. A block of another arena never
    /// starts at this arena's cursor, so it is left alone.
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
    /// `ptr` must be a block allocated with `old_layout`, by this arena or by
    /// another one (a block of another arena is never the most recent one
    /// here, so it is always copied), and still in use; on success the
    /// caller gives it up for the returned block.
    #[cfg(feature = "allocator-api2")]
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

    // ----- growable buffers, bumped up from the floor ----------------------

    /// Bumps the floor up for `layout` within the current chunk, or `None`
    /// if it does not fit.
    #[inline(always)]
    fn bump_floor(&self, layout: Layout) -> Option<NonNull<u8>> {
        let cursor = self.cursor.get();
        let new = bump::bump_up(
            self.start.get(),
            cursor.addr(),
            layout.size(),
            layout.align(),
        )?;
        self.start.set(new + layout.size());
        // SAFETY: `bump_up` returned an address at or above `start`, which is
        // non-zero: `EMPTY_ADDR` or inside a chunk. With a chunk, the block
        // lies in `[start, cursor)`, the current chunk's free region, and
        // takes the chunk's provenance from the cursor; with none, only a
        // zero-sized block fits, which needs no provenance.
        Some(unsafe { NonNull::new_unchecked(cursor.with_addr(new)) })
    }

    /// Allocates a growable buffer: a block at the floor of the current
    /// chunk's free region, which [`regrow_floor`](Arena::regrow_floor) can
    /// grow in place while it is the most recent one there.
    #[inline(always)]
    pub(crate) fn try_alloc_floor(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        match self.bump_floor(layout) {
            Some(ptr) => Ok(ptr),
            None => self.alloc_floor_slow(layout),
        }
    }

    /// Moves to a chunk with room for `layout` (a spare one or a new one)
    /// and places the block on its floor.
    #[cold]
    #[inline(never)]
    fn alloc_floor_slow(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        // The block does not fit between the floor and the cursor, so it does
        // not fit below the cursor either: `alloc_slow` enters a chunk with
        // room and bumps it down there. Handing that block back leaves the
        // new chunk current with the room free.
        let block = self.alloc_slow(layout)?;
        if layout.size() == 0 {
            return Ok(block);
        }
        // SAFETY: `block` was just allocated with `layout.size()` bytes and is
        // not used again.
        unsafe { self.give_back(block, layout.size()) };
        // The block was aligned and in `[start, cursor)`, so the floor, no
        // higher than it, has room for one just like it: the error is never
        // returned, and keeps the fallible path free of panics.
        self.bump_floor(layout).ok_or_else(|| {
            AllocError::new(
                crate::error::AllocErrorKind::OutOfMemory,
                layout.size(),
                layout.align(),
            )
        })
    }

    /// Whether a block ending at `end` is the most recent one on the floor
    /// of the current chunk.
    ///
    /// A block of another chunk cannot end there: its end is at most that
    /// chunk's top, below its footer, and chunks are separate allocations,
    /// while `start` lies in the current chunk's usable region.
    #[inline(always)]
    fn is_last_on_floor(&self, end: usize) -> bool {
        end == self.start.get() && self.current.get().is_some()
    }

    /// Gives back the `size` bytes at `ptr` if they end a floor block that
    /// is the most recent one there, and says whether it did.
    ///
    /// # Safety
    /// `ptr` must point `size` bytes before the end of a floor block (from
    /// [`try_alloc_floor`](Arena::try_alloc_floor) or
    /// [`regrow_floor`](Arena::regrow_floor)) of this arena, still
    /// allocated, whose bytes from `ptr` on the caller gives up.
    #[inline(always)]
    pub(crate) unsafe fn give_back_floor(&self, ptr: NonNull<u8>, size: usize) -> bool {
        let last = self.is_last_on_floor(ptr.as_ptr().addr() + size);
        if last {
            self.start.set(ptr.as_ptr().addr());
        }
        last
    }

    /// Grows (or shrinks) a floor block to `new_layout`, keeping the first
    /// `min(old, new)` bytes: in place if it is the most recent block on the
    /// floor, is aligned enough and the free region has room; otherwise in a
    /// fresh floor block. On error the old block is untouched and still
    /// allocated.
    ///
    /// # Safety
    /// `ptr` must be a floor block of this arena (from
    /// [`try_alloc_floor`](Arena::try_alloc_floor) or this function) of
    /// exactly `old_layout`, still in use; on success the caller gives it up
    /// for the returned block.
    pub(crate) unsafe fn regrow_floor(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<u8>, AllocError> {
        let addr = ptr.as_ptr().addr();
        if self.is_last_on_floor(addr + old_layout.size())
            && addr & (new_layout.align() - 1) == 0
            && let Some(end) = addr.checked_add(new_layout.size())
            && end <= self.cursor.get().addr()
        {
            // The block spans `[addr, start)`; its new end stays below the
            // cursor, inside the free region.
            self.start.set(end);
            return Ok(ptr);
        }
        let new = self.try_alloc_floor(new_layout)?;
        let keep = old_layout.size().min(new_layout.size());
        // SAFETY: `new` is a fresh block of at least `keep` bytes, disjoint
        // from the old one, which is still allocated and holds `keep` bytes.
        unsafe { ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), keep) };
        Ok(new)
    }
}
