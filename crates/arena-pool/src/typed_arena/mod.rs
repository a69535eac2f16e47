//! [`TypedArena`]: an arena of values of one type that runs their destructors
//! and lets them point at each other.

mod capacity;
mod extend;

use alloc::vec::{self, Vec};
use core::cell::{Cell, UnsafeCell};
use core::fmt;
use core::iter::{Chain, Flatten, FusedIterator};
use core::mem;
use core::option;
use core::ptr::{self, NonNull};
use core::slice;

use crate::error::{AllocError, AllocErrorKind, TryAllocError};
use capacity::{ALLOCATION_LIMIT, fits, next_capacity};
use extend::Extending;

/// An arena of values of one type `T`: allocation through `&self` hands out
/// `&mut T` that lives as long as the arena, and every value is dropped
/// exactly once.
///
/// Values live in chunks that never move, so references stay valid while more
/// values arrive. Allocation is a capacity check and a write; when a chunk is
/// full the arena takes a new one twice as large.
///
/// # Dropping
///
/// Each value is dropped exactly once: by [`clear`](TypedArena::clear), when
/// the arena drops, or never if [`into_vec`](TypedArena::into_vec) moves it
/// out. [`clear`](TypedArena::clear) drops them in allocation order; when
/// the arena drops, the order is unspecified.
///
/// If a value's `Drop` panics, the arena still drops every other value and
/// frees its memory, then the panic carries on. A second panic during that
/// unwinding aborts the process, as it does for [`Vec`].
///
/// # Values that point at each other
///
/// All values share the arena's lifetime, so they may refer to each other,
/// cycles included:
///
/// ```
/// use std::cell::Cell;
/// use arena_pool::TypedArena;
///
/// struct Node<'a> {
///     name: &'static str,
///     next: Cell<Option<&'a Node<'a>>>,
/// }
///
/// let arena = TypedArena::new();
/// let a = arena.alloc(Node { name: "a", next: Cell::new(None) });
/// let b = arena.alloc(Node { name: "b", next: Cell::new(None) });
/// a.next.set(Some(b));
/// b.next.set(Some(a));
/// assert_eq!(a.next.get().unwrap().next.get().unwrap().name, "a");
/// // The arena drops here, with the cycle still in it.
/// ```
///
/// The arena has no `Drop` of its own: its memory is held by standard
/// collections, which promise the compiler that dropping them only drops
/// their values. So the borrow checker accepts such cycles, and still
/// rejects them when `Node` has a `Drop` that could read a neighbour already
/// dropped:
///
/// ```compile_fail
/// use std::cell::Cell;
/// use arena_pool::TypedArena;
///
/// struct Node<'a> {
///     next: Cell<Option<&'a Node<'a>>>,
/// }
///
/// impl Drop for Node<'_> {
///     fn drop(&mut self) {
///         // Would read a node that may already be dropped.
///         let _ = self.next.get().map(|n| n.next.get());
///     }
/// }
///
/// let arena = TypedArena::new();
/// let a = arena.alloc(Node { next: Cell::new(None) });
/// let b = arena.alloc(Node { next: Cell::new(None) });
/// a.next.set(Some(b));
/// b.next.set(Some(a));
/// ```
///
/// # Threads
///
/// `TypedArena<T>` is [`Send`] when `T` is, and never [`Sync`]: allocation
/// through `&self` assumes a single thread.
///
/// A reference cannot outlive its arena:
///
/// ```compile_fail
/// use arena_pool::TypedArena;
///
/// let escaped: &mut String = {
///     let arena = TypedArena::new();
///     arena.alloc(String::from("gone"))
/// };
/// ```
pub struct TypedArena<T> {
    // Invariants:
    // 1. `full` holds, in allocation order, the chunks filled before
    //    `current`. Each chunk's `len` counts its values, which sit at the
    //    front of its buffer. No chunk of `full` is ever written to again.
    // 2. `current` is the chunk being filled; its values come after all of
    //    `full`'s. Values are appended with a raw write within capacity and
    //    `set_len`: no chunk ever reallocates, so its buffer never moves.
    // 3. `spare` holds empty chunks kept by `clear` for reuse.
    // 4. Buffers are freed or values moved out only through `&mut self` or
    //    `self`, when no reference handed out can be alive.
    // 5. A reference to `full`, `current` or `spare` themselves (the `Vec`s,
    //    not the values) is made only inside this module's methods and never
    //    held while code outside the arena runs: an iterator, a `Drop`, a
    //    formatter. So no two such references to the same field overlap.
    // 6. While `alloc_extend` runs, it holds chunks taken out of the arena
    //    (see `extend.rs`); `held` counts the values already in them that
    //    belong to the arena.
    // Dropping the arena drops `current` first: the values written last are
    // the likeliest to still be in cache.
    current: UnsafeCell<Vec<T>>,
    full: UnsafeCell<Vec<Vec<T>>>,
    spare: UnsafeCell<Vec<Vec<T>>>,
    held: Cell<usize>,
}

impl<T> TypedArena<T> {
    /// An empty arena. It allocates nothing until the first value arrives.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena: TypedArena<String> = TypedArena::new();
    /// assert!(arena.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            full: UnsafeCell::new(Vec::new()),
            current: UnsafeCell::new(Vec::new()),
            spare: UnsafeCell::new(Vec::new()),
            held: Cell::new(0),
        }
    }

    /// An empty arena with room for `capacity` values in its first chunk.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` values would take more than `isize::MAX` bytes;
    /// aborts if the memory cannot be allocated.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena = TypedArena::with_capacity(3);
    /// let first: *const u64 = arena.alloc(1);
    /// let second: *const u64 = arena.alloc(2);
    /// // Both in the first chunk, side by side.
    /// assert_eq!(first.wrapping_add(1), second);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            full: UnsafeCell::new(Vec::new()),
            current: UnsafeCell::new(Vec::with_capacity(capacity)),
            spare: UnsafeCell::new(Vec::new()),
            held: Cell::new(0),
        }
    }

    /// The number of values in the arena. Zero-sized values count too.
    ///
    /// It takes time proportional to the number of chunks.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena = TypedArena::new();
    /// arena.alloc(());
    /// arena.alloc_extend([(), ()]);
    /// assert_eq!(arena.len(), 3);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        // SAFETY: invariant 5: no other reference to `full` or `current` is
        // alive, and these end before any outside code runs.
        let full = unsafe { &*self.full.get() };
        // SAFETY: as above.
        let current = unsafe { &*self.current.get() };
        full.iter().map(Vec::len).sum::<usize>() + current.len() + self.held.get()
    }

    /// Whether the arena holds no value.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let mut arena = TypedArena::new();
    /// assert!(arena.is_empty());
    /// arena.alloc(1);
    /// assert!(!arena.is_empty());
    /// arena.clear();
    /// assert!(arena.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves `value` into the arena and returns a reference to it that lives
    /// as long as the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot grow (see [`try_alloc`](TypedArena::try_alloc)).
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena = TypedArena::new();
    /// let name = arena.alloc(String::from("ada"));
    /// name.push_str(" lovelace");
    /// let other = arena.alloc(String::from("grace"));
    /// assert_eq!(name, "ada lovelace");
    /// assert_eq!(other, "grace");
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc(&self, value: T) -> &mut T {
        match self.push(value) {
            Ok(slot) => slot,
            Err(value) => self.alloc_slow(value),
        }
    }

    /// Moves `value` into the arena, or hands it back with the error when the
    /// arena cannot grow.
    ///
    /// # Errors
    ///
    /// A [`TryAllocError`] holding `value`:
    /// [`AllocErrorKind::OutOfMemory`] when the global allocator fails, and
    /// [`AllocErrorKind::SizeOverflow`] when a chunk of one more value would
    /// exceed `isize::MAX` bytes or the arena already holds `usize::MAX`
    /// zero-sized values.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena = TypedArena::new();
    /// let value = arena.try_alloc(vec![1, 2]).unwrap();
    /// value.push(3);
    /// assert_eq!(value, &[1, 2, 3]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc(&self, value: T) -> Result<&mut T, TryAllocError<T>> {
        self.try_alloc_within(value, ALLOCATION_LIMIT)
    }

    /// [`try_alloc`](TypedArena::try_alloc), with new chunks limited to
    /// `limit` bytes.
    #[inline]
    #[allow(clippy::mut_from_ref)]
    fn try_alloc_within(&self, value: T, limit: usize) -> Result<&mut T, TryAllocError<T>> {
        match self.push(value) {
            Ok(slot) => Ok(slot),
            Err(value) => self.try_alloc_slow(value, limit),
        }
    }

    /// The fast path: appends `value` to the current chunk if it has room,
    /// or hands it back.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn push(&self, value: T) -> Result<&mut T, T> {
        // SAFETY: invariant 5: no other reference to `current` is alive, and
        // this one ends before any outside code runs.
        let current = unsafe { &mut *self.current.get() };
        if current.len() == current.capacity() {
            return Err(value);
        }
        // SAFETY: there is room, checked just above.
        let slot = unsafe { push_unchecked(current, value) };
        // SAFETY: `slot` holds the value just written, in a buffer that stays
        // put until `&mut self` (invariants 2 and 4); nothing else refers to
        // it.
        Ok(unsafe { &mut *slot.as_ptr() })
    }

    #[cold]
    #[inline(never)]
    #[allow(clippy::mut_from_ref)]
    fn try_alloc_slow(&self, value: T, limit: usize) -> Result<&mut T, TryAllocError<T>> {
        if let Err(error) = self.grow(1, limit) {
            return Err(TryAllocError::new(error, value));
        }
        // `grow` made room, so this cannot hand the value back; if it did,
        // the value would be dropped.
        self.push(value).map_err(|value| {
            TryAllocError::new(AllocError::new(AllocErrorKind::OutOfMemory, 0, 1), value)
        })
    }

    #[cold]
    #[inline(never)]
    #[allow(clippy::mut_from_ref)]
    fn alloc_slow(&self, value: T) -> &mut T {
        match self.try_alloc_slow(value, ALLOCATION_LIMIT) {
            Ok(slot) => slot,
            Err(error) => fail(error.error()),
        }
    }

    /// Moves every value of `values` into the arena, side by side, and
    /// returns them as a slice.
    ///
    /// The iterator may itself allocate in this arena: those values come
    /// after the returned slice in [`iter_mut`](TypedArena::iter_mut) and
    /// [`into_vec`](TypedArena::into_vec) order.
    ///
    /// If the iterator panics, the values it already produced are dropped
    /// (a `Drop` that panics then aborts the process), and the arena holds
    /// what it held before.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot grow, and whenever the iterator panics.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena = TypedArena::new();
    /// let words = arena.alloc_extend("to be or not".split(' ').map(String::from));
    /// words[0].make_ascii_uppercase();
    /// assert_eq!(words, ["TO", "be", "or", "not"]);
    /// assert_eq!(arena.len(), 4);
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_extend<I: IntoIterator<Item = T>>(&self, values: I) -> &mut [T] {
        let mut values = values.into_iter();
        if mem::size_of::<T>() == 0 {
            return self.extend_zero_sized(values);
        }
        let mut extend = Extending::begin(self);
        extend.reserve(values.size_hint().0);
        // Fill the room the hint reserved without per-value checks; a value
        // past it makes a new chunk, whose room is filled the same way.
        while !extend.fill_room(&mut values) {
            let Some(value) = values.next() else { break };
            extend.push(value, || values.size_hint().0);
        }
        drop(values);
        extend.finish()
    }

    /// `alloc_extend` for zero-sized `T`: values take no room, so only their
    /// count changes.
    #[allow(clippy::mut_from_ref)]
    fn extend_zero_sized(&self, values: impl Iterator<Item = T>) -> &mut [T] {
        /// Owns `0` zero-sized values that were forgotten on arrival; drops
        /// them unless disarmed.
        struct Taken<T>(usize, core::marker::PhantomData<T>);
        impl<T> Drop for Taken<T> {
            fn drop(&mut self) {
                let values =
                    ptr::slice_from_raw_parts_mut(NonNull::<T>::dangling().as_ptr(), self.0);
                // SAFETY: `T` is zero-sized, so a dangling, aligned pointer
                // is valid for `self.0` of them; they were moved in and
                // forgotten, so this is their only drop.
                unsafe { ptr::drop_in_place(values) }
            }
        }

        debug_assert_eq!(mem::size_of::<T>(), 0);
        let mut taken = Taken::<T>(0, core::marker::PhantomData);
        for value in values {
            taken.0 = taken.0.checked_add(1).unwrap_or_else(|| {
                fail(&AllocError::array_overflow(usize::MAX, 0));
            });
            mem::forget(value);
        }
        let count = taken.0;
        // SAFETY: invariant 5, as in `alloc`.
        let len = unsafe { &*self.current.get() }.len();
        let Some(total) = len.checked_add(count) else {
            // `taken` drops the values while this unwinds.
            fail(&AllocError::array_overflow(usize::MAX, 0));
        };
        mem::forget(taken);
        // SAFETY: invariant 5, as in `alloc`.
        let current = unsafe { &mut *self.current.get() };
        // SAFETY: a `Vec` of zero-sized values has capacity `usize::MAX`, and
        // the `count` values just taken are now owned by `current`.
        unsafe { current.set_len(total) };
        // SAFETY: zero-sized values need no memory: a dangling, aligned
        // pointer is valid for any number of them.
        unsafe { slice::from_raw_parts_mut(NonNull::dangling().as_ptr(), count) }
    }

    /// Installs as `current` a chunk with room for `needed` values: a spare
    /// one, or a new one of at most `limit` bytes. The old chunk is retired.
    fn grow(&self, needed: usize, limit: usize) -> Result<(), AllocError> {
        let size = mem::size_of::<T>();
        if size == 0 {
            // A chunk of zero-sized values is only ever full at `usize::MAX`.
            return Err(AllocError::array_overflow(usize::MAX, 0));
        }
        let chunk = match self.take_spare(needed) {
            Some(chunk) => chunk,
            None => {
                // SAFETY: invariant 5, as in `len`.
                let prev = unsafe { &*self.current.get() }.capacity();
                new_chunk(next_capacity(prev, needed, size), needed, limit)?
            }
        };
        // SAFETY: invariant 5; only the allocator runs while this lives.
        let full = unsafe { &mut *self.full.get() };
        if full.try_reserve(1).is_err() {
            return Err(AllocError::new(
                AllocErrorKind::OutOfMemory,
                mem::size_of::<Vec<T>>(),
                mem::align_of::<Vec<T>>(),
            ));
        }
        // SAFETY: invariant 5, as in `alloc`.
        let current = unsafe { &mut *self.current.get() };
        let old = mem::replace(current, chunk);
        if !old.is_empty() {
            full.push(old);
        } else if old.capacity() > 0 {
            // SAFETY: invariant 5; only the allocator runs while this lives.
            unsafe { &mut *self.spare.get() }.push(old);
        }
        Ok(())
    }

    /// The largest spare chunk, if it has room for `needed` values.
    fn take_spare(&self, needed: usize) -> Option<Vec<T>> {
        // SAFETY: invariant 5: no outside code runs while this lives.
        let spare = unsafe { &mut *self.spare.get() };
        let (index, chunk) = spare
            .iter()
            .enumerate()
            .max_by_key(|(_, chunk)| chunk.capacity())?;
        (chunk.capacity() >= needed).then(|| spare.swap_remove(index))
    }

    /// A mutable iterator over the values, in allocation order.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let mut arena = TypedArena::new();
    /// for i in 0..5 {
    ///     arena.alloc(i);
    /// }
    /// for value in arena.iter_mut() {
    ///     *value *= 10;
    /// }
    /// assert_eq!(arena.into_vec(), [0, 10, 20, 30, 40]);
    /// ```
    pub fn iter_mut(&mut self) -> TypedIterMut<'_, T> {
        let remaining = self.len();
        let current: &mut Vec<T> = self.current.get_mut();
        TypedIterMut {
            inner: self
                .full
                .get_mut()
                .iter_mut()
                .chain(Some(current))
                .flatten(),
            remaining,
        }
    }

    /// Every value, moved out in allocation order; nothing is dropped.
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let arena = TypedArena::new();
    /// arena.alloc(String::from("a"));
    /// arena.alloc_extend(["b", "c"].map(String::from));
    /// assert_eq!(arena.into_vec(), ["a", "b", "c"]);
    /// ```
    #[must_use]
    pub fn into_vec(self) -> Vec<T> {
        let full = self.full.into_inner();
        let mut current = self.current.into_inner();
        if full.is_empty() {
            return current;
        }
        let len = full.iter().map(Vec::len).sum::<usize>() + current.len();
        let mut values = Vec::with_capacity(len);
        for mut chunk in full {
            values.append(&mut chunk);
        }
        values.append(&mut current);
        values
    }

    /// Drops every value, in allocation order, and keeps the memory to hold
    /// new ones.
    ///
    /// If a value's `Drop` panics, the others are still dropped and the arena
    /// is left empty before the panic carries on (a second panic aborts the
    /// process).
    ///
    /// ```
    /// use arena_pool::TypedArena;
    ///
    /// let mut arena = TypedArena::new();
    /// let before: *const String = arena.alloc(String::from("old"));
    /// arena.clear();
    /// assert!(arena.is_empty());
    /// let after: *const String = arena.alloc(String::from("new"));
    /// assert_eq!(before, after); // same memory, reused
    /// ```
    pub fn clear(&mut self) {
        let full = self.full.get_mut();
        let spare = self.spare.get_mut();
        // Room for every chunk up front: moving them below cannot fail.
        spare.reserve(full.len() + 1);
        let current = mem::take(self.current.get_mut());
        let mut clearing = Clearing {
            chunks: full.drain(..).chain(Some(current)),
            spare,
        };
        clearing.run();
        drop(clearing);
        *self.current.get_mut() = self.take_spare(0).unwrap_or_default();
    }
}

/// Empties chunks into the spare list; if a `Drop` panics, the guard's own
/// drop empties the rest while unwinding.
struct Clearing<'a, T, I: Iterator<Item = Vec<T>>> {
    chunks: I,
    spare: &'a mut Vec<Vec<T>>,
}

impl<T, I: Iterator<Item = Vec<T>>> Clearing<'_, T, I> {
    fn run(&mut self) {
        for mut chunk in self.chunks.by_ref() {
            chunk.clear();
            if chunk.capacity() > 0 {
                self.spare.push(chunk);
            }
        }
    }
}

impl<T, I: Iterator<Item = Vec<T>>> Drop for Clearing<'_, T, I> {
    fn drop(&mut self) {
        self.run();
    }
}

/// Appends `value` to `chunk` without reallocating and returns where it went.
///
/// # Safety
///
/// `chunk.len() < chunk.capacity()`.
#[inline(always)]
unsafe fn push_unchecked<T>(chunk: &mut Vec<T>, value: T) -> NonNull<T> {
    let len = chunk.len();
    // SAFETY: `len < capacity` (the caller's promise), so the slot is inside
    // the buffer, and it holds no value; `as_mut_ptr` keeps the buffer's
    // provenance without making a reference to the values already there.
    unsafe {
        let slot = chunk.as_mut_ptr().add(len);
        slot.write(value);
        chunk.set_len(len + 1);
        NonNull::new_unchecked(slot)
    }
}

/// An empty chunk with room for `preferred` values, or failing that for
/// `required`, of at most `limit` bytes.
fn new_chunk<T>(preferred: usize, required: usize, limit: usize) -> Result<Vec<T>, AllocError> {
    let size = mem::size_of::<T>();
    for capacity in [preferred, required] {
        if capacity >= required && fits(capacity, size, limit) {
            let mut chunk = Vec::new();
            if chunk.try_reserve_exact(capacity).is_ok() {
                return Ok(chunk);
            }
        }
    }
    let align = mem::align_of::<T>();
    Err(match required.checked_mul(size) {
        Some(bytes) if bytes <= limit => AllocError::new(AllocErrorKind::OutOfMemory, bytes, align),
        Some(bytes) => AllocError::new(AllocErrorKind::SizeOverflow, bytes, align),
        None => AllocError::array_overflow(required, size),
    })
}

/// Puts a chunk taken out of the arena back: with the values if it has any,
/// with the spares if it is empty but has memory.
fn stash<T>(full: &mut Vec<Vec<T>>, spare: &mut Vec<Vec<T>>, chunk: Vec<T>) {
    if !chunk.is_empty() {
        full.push(chunk);
    } else if chunk.capacity() > 0 {
        spare.push(chunk);
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn fail(error: &AllocError) -> ! {
    panic!("{error}")
}

impl<T> Default for TypedArena<T> {
    /// An empty arena, as [`TypedArena::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for TypedArena<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.len();
        f.debug_struct("TypedArena")
            .field("len", &len)
            .finish_non_exhaustive()
    }
}

impl<T> Extend<T> for TypedArena<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        self.alloc_extend(values);
    }
}

impl<T> FromIterator<T> for TypedArena<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let arena = Self::new();
        arena.alloc_extend(values);
        arena
    }
}

impl<'a, T> IntoIterator for &'a mut TypedArena<T> {
    type Item = &'a mut T;
    type IntoIter = TypedIterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T> IntoIterator for TypedArena<T> {
    type Item = T;
    type IntoIter = vec::IntoIter<T>;

    /// The values, moved out in allocation order (see
    /// [`TypedArena::into_vec`]).
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

/// The full chunks, then the current one.
type ChunksMut<'a, T> = Chain<slice::IterMut<'a, Vec<T>>, option::IntoIter<&'a mut Vec<T>>>;

/// The iterator of [`TypedArena::iter_mut`]: every value, in allocation
/// order.
///
/// ```
/// use arena_pool::TypedArena;
///
/// let mut arena: TypedArena<u8> = (1..=3).collect();
/// let mut values = arena.iter_mut();
/// assert_eq!(values.len(), 3);
/// assert_eq!(values.next_back(), Some(&mut 3));
/// assert_eq!(values.next(), Some(&mut 1));
/// ```
pub struct TypedIterMut<'a, T> {
    inner: Flatten<ChunksMut<'a, T>>,
    remaining: usize,
}

impl<'a, T> Iterator for TypedIterMut<'a, T> {
    type Item = &'a mut T;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let value = self.inner.next()?;
        self.remaining -= 1;
        Some(value)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> DoubleEndedIterator for TypedIterMut<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        let value = self.inner.next_back()?;
        self.remaining -= 1;
        Some(value)
    }
}

impl<T> ExactSizeIterator for TypedIterMut<'_, T> {}

impl<T> FusedIterator for TypedIterMut<'_, T> {}

impl<T> fmt::Debug for TypedIterMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedIterMut")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
