//! The guard behind [`TypedArena::alloc_extend`].
//!
//! The iterator runs user code, which may allocate in the same arena. So the
//! new values are not written into the arena's current chunk in place:
//! `begin` takes that chunk out of the arena, the values are appended to it
//! (or, once it is full, to a fresh chunk of their own), and `finish` puts the
//! chunks back. Meanwhile the arena sees an empty current chunk, and anything
//! the iterator allocates goes to chunks of its own. No reference to the
//! arena's fields is held while the iterator runs.
//!
//! Putting back: if nothing was allocated meanwhile, the chunk simply becomes
//! current again. Otherwise the taken chunks are inserted in `full` where
//! they stood at `begin`, ahead of what the iterator allocated.

use alloc::vec::Vec;
use core::mem;
use core::ptr;
use core::slice;

use super::capacity::{ALLOCATION_LIMIT, next_capacity};
use super::{TypedArena, fail, new_chunk, push_unchecked, stash};
use crate::error::AllocError;

/// New values on their way into an arena. Dropped without
/// [`finish`](Extending::finish) (when the iterator panics), it drops them
/// and puts the arena back as it was.
pub(super) struct Extending<'a, T> {
    arena: &'a TypedArena<T>,
    /// The chunk the new values go into. Its values before `start` are older
    /// ones and belong to the arena; those from `start` on are the new ones.
    chunk: Vec<T>,
    start: usize,
    /// The chunk taken at `begin`, once the new values outgrew it and moved
    /// to a chunk of their own: it holds only older values.
    left: Option<Vec<T>>,
    /// The length of the arena's `full` list at `begin`.
    mark: usize,
    /// How many older values the taken chunk held: the share of the arena's
    /// `held` count this guard accounts for.
    held: usize,
}

impl<'a, T> Extending<'a, T> {
    /// Takes the current chunk out of `arena` to append to it.
    pub(super) fn begin(arena: &'a TypedArena<T>) -> Self {
        debug_assert_ne!(mem::size_of::<T>(), 0);
        // SAFETY: invariant 5 of `TypedArena`: no other reference to
        // `current` is alive, and this one ends at once.
        let chunk = mem::take(unsafe { &mut *arena.current.get() });
        // SAFETY: as above, for `full`.
        let mark = unsafe { &*arena.full.get() }.len();
        let held = chunk.len();
        arena.held.set(arena.held.get() + held);
        Self {
            arena,
            start: held,
            chunk,
            left: None,
            mark,
            held,
        }
    }

    /// Makes room for `extra` more values at once if the chunk lacks it and
    /// memory allows; otherwise leaves it to [`push`](Extending::push).
    pub(super) fn reserve(&mut self, extra: usize) {
        if extra > self.chunk.capacity() - self.chunk.len() {
            // Only a hint: on failure the values still come one by one.
            let _ = self.grow(extra);
        }
    }

    /// Moves values from `values` into the chunk's free room until the room
    /// is full or the iterator ends; returns `true` if it ended.
    ///
    /// The length lives in a local while the loop runs and is written back
    /// when the loop ends or the iterator panics, so each value costs a
    /// write and an increment, not a capacity check and a length store.
    #[inline]
    pub(super) fn fill_room(&mut self, values: &mut impl Iterator<Item = T>) -> bool {
        /// The chunk's length, stored back when dropped.
        struct Len<'c, T> {
            chunk: &'c mut Vec<T>,
            len: usize,
        }
        impl<T> Drop for Len<'_, T> {
            #[inline]
            fn drop(&mut self) {
                // SAFETY: the values below `len` were written by the loop in
                // `fill_room` (or were there before), and `len` is at most
                // the capacity.
                unsafe { self.chunk.set_len(self.len) };
            }
        }
        let room = self.chunk.capacity() - self.chunk.len();
        // Taken before the guard borrows the chunk; it keeps the buffer's
        // provenance without a reference to the values already there.
        let base = self.chunk.as_mut_ptr();
        let mut guard = Len {
            len: self.chunk.len(),
            chunk: &mut self.chunk,
        };
        for _ in 0..room {
            let Some(value) = values.next() else {
                return true;
            };
            // SAFETY: at most `room` values are written after the `len`
            // the chunk had, so the slot is inside the buffer and empty.
            unsafe { base.add(guard.len).write(value) };
            guard.len += 1;
        }
        false
    }

    /// Appends `value`. `hint` tells how many more are expected after it,
    /// and is asked only when a new chunk is needed.
    ///
    /// # Panics
    ///
    /// Panics if a full chunk cannot be replaced by a larger one.
    #[inline]
    pub(super) fn push(&mut self, value: T, hint: impl FnOnce() -> usize) {
        if self.chunk.len() == self.chunk.capacity() {
            let extra = hint().saturating_add(1);
            if let Err(error) = self.grow(extra) {
                // One more value must fit; the hint may have asked too much.
                if extra == 1 || self.grow(1).is_err() {
                    fail(&error);
                }
            }
        }
        // SAFETY: the chunk had room, or `grow` just made some.
        unsafe { push_unchecked(&mut self.chunk, value) };
    }

    /// Moves the new values to a fresh chunk with room for `extra` more.
    fn grow(&mut self, extra: usize) -> Result<(), AllocError> {
        let size = mem::size_of::<T>();
        let count = self.chunk.len() - self.start;
        let required = count
            .checked_add(extra)
            .ok_or(AllocError::array_overflow(usize::MAX, size))?;
        let mut next = match self.arena.take_spare(required) {
            Some(chunk) => chunk,
            None => new_chunk(
                next_capacity(self.chunk.capacity(), required, size),
                required,
                ALLOCATION_LIMIT,
            )?,
        };
        // SAFETY: `next` is empty with room for `required >= count` values,
        // in a different buffer. The `count` new values have not been handed
        // out yet, so they may move; after `set_len(start)` the old chunk no
        // longer owns them, so each is still owned exactly once.
        unsafe {
            ptr::copy_nonoverlapping(
                self.chunk.as_ptr().add(self.start),
                next.as_mut_ptr(),
                count,
            );
            self.chunk.set_len(self.start);
            next.set_len(count);
        }
        let previous = mem::replace(&mut self.chunk, next);
        self.start = 0;
        if self.left.is_none() {
            self.left = Some(previous);
        }
        // Otherwise `previous` was a chunk of new values only, now empty: it
        // is freed here.
        Ok(())
    }

    /// Hands the new values to the arena and returns them.
    #[allow(clippy::mut_from_ref)]
    pub(super) fn finish(mut self) -> &'a mut [T] {
        let count = self.chunk.len() - self.start;
        let first = self.chunk.as_mut_ptr().wrapping_add(self.start);
        // Counted as older values from now on, so the drop below keeps them.
        self.start = self.chunk.len();
        drop(self);
        // SAFETY: the `count` values from `first` were just written, and
        // their chunk now belongs to the arena, whose buffers stay put until
        // `&mut self` (invariants 2 and 4). Nothing else refers to them.
        unsafe { slice::from_raw_parts_mut(first, count) }
    }

    /// Returns the taken chunks to the arena.
    fn put_back(&mut self) {
        let chunk = mem::take(&mut self.chunk);
        let left = self.left.take();
        let arena = self.arena;
        arena.held.set(arena.held.get() - self.held);
        // SAFETY: invariant 5: no other reference to `full`, `current` or
        // `spare` is alive, and only the allocator runs while these live.
        let (full, current, spare) = unsafe {
            (
                &mut *arena.full.get(),
                &mut *arena.current.get(),
                &mut *arena.spare.get(),
            )
        };
        if full.len() == self.mark && current.capacity() == 0 {
            // Nothing was allocated meanwhile: keep filling this chunk.
            if let Some(left) = left {
                stash(full, spare, left);
            }
            *current = chunk;
        } else {
            // The iterator allocated: its values stay after ours.
            let mut at = self.mark;
            for taken in left.into_iter().chain(Some(chunk)) {
                if taken.is_empty() {
                    stash(full, spare, taken);
                } else {
                    full.insert(at, taken);
                    at += 1;
                }
            }
        }
    }
}

impl<T> Drop for Extending<'_, T> {
    fn drop(&mut self) {
        // Without `finish`, the new values are dropped here. Any outside code
        // this runs (their `Drop`) finds the arena consistent: the taken
        // chunks are simply not in it yet.
        self.chunk.truncate(self.start);
        self.put_back();
    }
}
