//! Filling fresh room with values one at a time, undone if the filling stops
//! early.
//!
//! Every slice method whose length is known before the values are made
//! (`alloc_slice_fill_with`, `alloc_slice_clone`, `alloc_slice_try_fill_with`,
//! iterators of exact length, their `try_` and [`Scope`](super::Scope)
//! forms) writes through a [`SliceFill`]. If the code that makes the values
//! returns an error or panics, the guard drops the values made so far, once
//! each, and then gives the room back if it is still the arena's most recent
//! block. Iterators of unknown length are collected into an arena
//! [`Vec`](crate::collections::Vec), whose own drop does the same.

use core::alloc::Layout;
use core::marker::PhantomData;
use core::mem;
use core::ptr::{self, NonNull};

use super::{Arena, Checkpoint};
use crate::error::AllocError;

/// Room taken from an arena, given back when dropped if it is still the
/// arena's most recent block.
pub(super) struct Room<'a> {
    arena: &'a Arena,
    ptr: NonNull<u8>,
    size: usize,
    /// The arena's state before the room was taken.
    before: Checkpoint,
}

impl<'a> Room<'a> {
    /// Takes room for `layout` from `arena`; `None`-sized layouts take none.
    #[inline(always)]
    pub(super) fn take(arena: &'a Arena, layout: Layout) -> Result<Self, AllocError> {
        let before = arena.checkpoint();
        let ptr = arena.try_alloc_raw(layout)?;
        Ok(Self {
            arena,
            ptr,
            size: layout.size(),
            before,
        })
    }

    /// Where the room starts.
    #[inline(always)]
    pub(super) fn ptr(&self) -> NonNull<u8> {
        self.ptr
    }

    /// Keeps the room: it is the caller's, for as long as the arena lives.
    #[inline(always)]
    pub(super) fn keep(self) {
        mem::forget(self);
    }
}

impl Drop for Room<'_> {
    fn drop(&mut self) {
        if self.size == 0 || !self.arena.is_last(self.ptr) {
            // Nothing to give back, or a newer block lies below the room: it
            // is reclaimed with the rest of the arena.
            return;
        }
        if self.before.chunk.is_some() && self.before.chunk == self.arena.current.get() {
            // Still in the chunk the room was cut from: the room and the
            // alignment padding above it, up to the old cursor, are free.
            self.arena.cursor.set(self.before.cursor);
        } else {
            // SAFETY: the room is a block of `size` bytes of this arena that
            // nothing refers to any more: the guard holding it dropped the
            // values in it before this runs, even when one of their drops
            // panicked.
            unsafe { self.arena.give_back(self.ptr, self.size) };
        }
    }
}

/// Room for `capacity` values of `T` and the count of those written so far,
/// from the start. Dropped before [`fill`](SliceFill::fill) finishes (on an
/// error or a panic), it drops the values written and gives the room back.
pub(super) struct SliceFill<'a, T> {
    len: usize,
    capacity: usize,
    items: NonNull<T>,
    /// Dropped after the values, by the drop glue, even if one of their
    /// drops panics.
    _room: Room<'a>,
    _owns: PhantomData<T>,
}

impl<'a, T> SliceFill<'a, T> {
    /// Takes room for `capacity` values of `T` from `arena`.
    #[inline(always)]
    pub(super) fn try_new(arena: &'a Arena, capacity: usize) -> Result<Self, AllocError> {
        let (items, room) = if mem::size_of::<T>() == 0 {
            let room = Room {
                arena,
                ptr: NonNull::dangling(),
                size: 0,
                before: arena.checkpoint(),
            };
            (NonNull::dangling(), room)
        } else {
            let layout = Layout::array::<T>(capacity)
                .map_err(|_| AllocError::array_overflow(capacity, mem::size_of::<T>()))?;
            let room = Room::take(arena, layout)?;
            (room.ptr().cast(), room)
        };
        Ok(Self {
            len: 0,
            capacity,
            items,
            _room: room,
            _owns: PhantomData,
        })
    }

    /// Writes the values `next(index)` yields, for `index` from 0, until the
    /// room is full or `next` yields `None` (the slice is then shorter).
    /// On `Err` or a panic in `next`, the values made so far are dropped and
    /// the room given back.
    #[inline(always)]
    pub(super) fn fill<E>(
        mut self,
        mut next: impl FnMut(usize) -> Option<Result<T, E>>,
    ) -> Result<&'a mut [T], E> {
        while self.len < self.capacity {
            match next(self.len) {
                None => break,
                Some(Ok(value)) => {
                    // SAFETY: `len < capacity`: the write is inside the room,
                    // and on a slot not written yet.
                    unsafe { self.items.add(self.len).write(value) };
                    self.len += 1;
                }
                // `self` drops here: the values made are dropped, the room
                // given back.
                Some(Err(error)) => return Err(error),
            }
        }
        Ok(self.finish())
    }

    /// Hands out the values written, which then live as long as the arena.
    #[inline(always)]
    fn finish(self) -> &'a mut [T] {
        // Never dropped: neither the values nor the room are given up.
        let this = mem::ManuallyDrop::new(self);
        let (items, len) = (this.items, this.len);
        // SAFETY: the first `len` slots of the room were written, and the
        // room is valid and unaliased for `'a`; the guard no longer owns
        // them.
        unsafe { &mut *ptr::slice_from_raw_parts_mut(items.as_ptr(), len) }
    }
}

impl<T> Drop for SliceFill<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the first `len` slots hold values written by `fill` and
        // never handed out. Should one of their drops panic, the rest are
        // still dropped and `_room` (a field) still gives the room back.
        unsafe {
            ptr::drop_in_place(ptr::slice_from_raw_parts_mut(self.items.as_ptr(), self.len));
        }
    }
}
