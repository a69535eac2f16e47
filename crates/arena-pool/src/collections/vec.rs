//! [`Vec`]: a growable vector whose buffer lives in an arena.

use core::borrow::{Borrow, BorrowMut};
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::iter::FusedIterator;
use core::mem::ManuallyDrop;
use core::ops::{Bound, Deref, DerefMut, Index, IndexMut, RangeBounds};
use core::ptr;
use core::slice::{self, SliceIndex};

use super::ArenaRef;
use super::raw::RawBuf;
use crate::arena::fail;
use crate::error::AllocError;

/// A contiguous growable array whose buffer lives in an [`Arena`](crate::Arena)
/// (or a [`Scope`](crate::Scope)): `std::vec::Vec` with the arena as its
/// allocator, on stable Rust.
///
/// Made with [`new_in`](Vec::new_in), [`with_capacity_in`](Vec::with_capacity_in),
/// [`from_iter_in`](Vec::from_iter_in) or
/// [`collect_in`](super::CollectIn::collect_in). It borrows the arena (or
/// scope) for `'a`, so the arena cannot be reset, dropped or rewound by a
/// nested scope while the vector lives.
///
/// - When its buffer is the arena's most recent block, growing reuses that
///   room (the contents move down within the chunk; no bytes are wasted), and
///   dropping the vector gives the room back. Otherwise growing copies to
///   fresh room and the old buffer stays unused until the arena is reset.
/// - Dropping the vector drops its elements.
/// - [`into_slice`](Vec::into_slice) freezes it into a `&'a mut [T]` without
///   copying; those elements are then never dropped, like any value
///   allocated directly in the arena.
///
/// For bumpalo users: `bumpalo::collections::Vec` maps to this type;
/// `into_bump_slice_mut` is [`into_slice`](Vec::into_slice) and
/// `into_bump_slice` is `&*vec.into_slice()`.
///
/// # Threads
///
/// `Vec` is neither `Send` nor `Sync`: it allocates through a shared
/// reference to the arena, which is not `Sync`.
///
/// ```
/// use arena_pool::Arena;
/// use arena_pool::collections::Vec;
///
/// let arena = Arena::new();
/// let mut v = Vec::new_in(&arena);
/// v.extend([3, 1, 2]);
/// v.sort();
/// assert_eq!(v, [1, 2, 3]);
/// let frozen: &mut [i32] = v.into_slice();
/// assert_eq!(frozen, &[1, 2, 3]);
/// ```
///
/// A vector cannot outlive its arena, or live across a reset:
///
/// ```compile_fail
/// use arena_pool::{Arena, collections::Vec};
///
/// let mut arena = Arena::new();
/// let mut v = Vec::new_in(&arena);
/// v.push(1);
/// arena.reset();
/// v.push(2);
/// ```
pub struct Vec<'a, T> {
    // Invariant: the first `len` values of `buf` are initialised and owned by
    // this vector; `len <= buf.capacity()`.
    buf: RawBuf<'a, T>,
    len: usize,
}

impl<'a, T> Vec<'a, T> {
    /// An empty vector that allocates nothing until it grows.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::Vec};
    ///
    /// let arena = Arena::new();
    /// let v: Vec<u8> = Vec::new_in(&arena);
    /// assert!(v.is_empty());
    /// assert_eq!(arena.allocated_bytes(), 0);
    /// ```
    #[inline]
    #[must_use]
    pub fn new_in(arena: impl ArenaRef<'a>) -> Self {
        Self {
            buf: RawBuf::new(arena.arena()),
            len: 0,
        }
    }

    /// An empty vector with room for `capacity` values.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate the room; see
    /// [`try_with_capacity_in`](Vec::try_with_capacity_in).
    ///
    /// ```
    /// use arena_pool::{Arena, collections::Vec};
    ///
    /// let arena = Arena::new();
    /// let v: Vec<u64> = Vec::with_capacity_in(10, &arena);
    /// assert_eq!(v.capacity(), 10);
    /// ```
    #[inline]
    #[must_use]
    pub fn with_capacity_in(capacity: usize, arena: impl ArenaRef<'a>) -> Self {
        Self::try_with_capacity_in(capacity, arena).unwrap_or_else(|error| fail(&error))
    }

    /// An empty vector with room for `capacity` values, or an error if the
    /// arena cannot allocate it.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::Vec};
    ///
    /// let arena = Arena::fixed(64);
    /// assert!(Vec::<u64>::try_with_capacity_in(8, &arena).is_ok());
    /// assert!(Vec::<u64>::try_with_capacity_in(9, &arena).is_err());
    /// assert!(Vec::<u64>::try_with_capacity_in(usize::MAX, &arena).is_err());
    /// ```
    #[inline]
    pub fn try_with_capacity_in(
        capacity: usize,
        arena: impl ArenaRef<'a>,
    ) -> Result<Self, AllocError> {
        Ok(Self {
            buf: RawBuf::try_with_capacity(capacity, arena.arena())?,
            len: 0,
        })
    }

    /// A vector of the items of `iter`, allocated in the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if `iter` panics.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::Vec};
    ///
    /// let arena = Arena::new();
    /// let squares = Vec::from_iter_in((1..=3).map(|i| i * i), &arena);
    /// assert_eq!(squares, [1, 4, 9]);
    /// ```
    pub fn from_iter_in(iter: impl IntoIterator<Item = T>, arena: impl ArenaRef<'a>) -> Self {
        let mut vec = Self::new_in(arena.arena());
        vec.extend(iter);
        vec
    }

    /// The number of values in the vector.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// assert_eq!(v.len(), 2);
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the vector holds no values.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::<u8>::new_in(&arena);
    /// assert!(v.is_empty());
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many values the vector can hold without growing. Zero-sized
    /// values never need room: their capacity is `usize::MAX`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::<u16>::with_capacity_in(5, &arena);
    /// assert_eq!(v.capacity(), 5);
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// The values as a slice.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// assert_eq!(v.as_slice(), &[1, 2]);
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: the first `len` values are initialised, and `&self` keeps
        // them from changing.
        unsafe { slice::from_raw_parts(self.buf.ptr(), self.len) }
    }

    /// The values as a mutable slice.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// v.as_mut_slice()[0] = 7;
    /// assert_eq!(v, [7, 2]);
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: the first `len` values are initialised, and `&mut self`
        // makes this the only access.
        unsafe { slice::from_raw_parts_mut(self.buf.ptr(), self.len) }
    }

    /// A raw pointer to the buffer (dangling while nothing is allocated).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::from_iter_in([5u8], &arena);
    /// assert_eq!(unsafe { *v.as_ptr() }, 5);
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn as_ptr(&self) -> *const T {
        self.buf.ptr()
    }

    /// A raw mutable pointer to the buffer (dangling while nothing is
    /// allocated).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([5u8], &arena);
    /// unsafe { *v.as_mut_ptr() = 6 };
    /// assert_eq!(v, [6]);
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn as_mut_ptr(&mut self) -> *mut T {
        self.buf.ptr()
    }

    /// Freezes the vector into a slice that lives as long as the arena
    /// borrow, without copying. The values are then never dropped (as with
    /// any value allocated in an arena), and unused capacity stays allocated.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::Vec};
    ///
    /// let arena = Arena::new();
    /// let mut v = Vec::new_in(&arena);
    /// v.extend_from_slice(&["a", "b"]);
    /// let names: &[&str] = v.into_slice();
    /// assert_eq!(names, ["a", "b"]);
    /// ```
    #[doc(alias = "into_bump_slice")]
    #[doc(alias = "into_bump_slice_mut")]
    #[inline]
    #[must_use]
    pub fn into_slice(self) -> &'a mut [T] {
        let this = ManuallyDrop::new(self);
        let len = this.len;
        // SAFETY: reading the buffer out of a `ManuallyDrop` that is never
        // used again moves it.
        let buf = unsafe { ptr::read(&this.buf) };
        let (ptr, _) = buf.leak();
        // SAFETY: the first `len` values are initialised; the block stays
        // allocated for `'a` (the buffer was leaked, so its room is never
        // given back), and nothing else refers to it.
        unsafe { slice::from_raw_parts_mut(ptr.as_ptr(), len) }
    }

    /// Makes room for at least `additional` more values; the capacity at
    /// least doubles when it grows.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate or the size overflows; see
    /// [`try_reserve`](Vec::try_reserve).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::<u8>::new_in(&arena);
    /// v.reserve(100);
    /// assert!(v.capacity() >= 100);
    /// ```
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        if let Err(error) = self.buf.try_reserve(self.len, additional) {
            fail(&error);
        }
    }

    /// Makes room for at least `additional` more values, or returns an
    /// error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated; the
    /// vector is unchanged.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::<u64>::new_in(&arena);
    /// assert!(v.try_reserve(usize::MAX / 4).is_err());
    /// assert!(v.try_reserve(8).is_ok());
    /// ```
    #[inline]
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        self.buf.try_reserve(self.len, additional)
    }

    /// Gives back the unused capacity when the buffer is the arena's most
    /// recent growable block (in place: nothing moves); otherwise the
    /// capacity stays, as the arena cannot reuse memory in the middle.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::<u8>::with_capacity_in(100, &arena);
    /// v.push(1);
    /// v.shrink_to_fit();
    /// assert_eq!(v.capacity(), 1);
    /// assert_eq!(arena.allocated_bytes(), 1);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.buf.shrink_to(self.len);
    }

    /// Makes room for exactly `additional` more values (if there is not
    /// enough already).
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate or the size overflows.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::<u8>::new_in(&arena);
    /// v.reserve_exact(3);
    /// assert_eq!(v.capacity(), 3);
    /// ```
    pub fn reserve_exact(&mut self, additional: usize) {
        if let Err(error) = self.buf.try_reserve_exact(self.len, additional) {
            fail(&error);
        }
    }

    /// Makes room for exactly `additional` more values, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated; the
    /// vector is unchanged.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::fixed(8);
    /// let mut v = arena_pool::collections::Vec::<u8>::new_in(&arena);
    /// assert!(v.try_reserve_exact(9).is_err());
    /// assert!(v.try_reserve_exact(8).is_ok());
    /// ```
    pub fn try_reserve_exact(&mut self, additional: usize) -> Result<(), AllocError> {
        self.buf.try_reserve_exact(self.len, additional)
    }

    /// Appends a value.
    ///
    /// # Panics
    ///
    /// Panics if the vector must grow and the arena cannot allocate; see
    /// [`try_push`](Vec::try_push).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::new_in(&arena);
    /// v.push(1);
    /// v.push(2);
    /// assert_eq!(v, [1, 2]);
    /// ```
    #[inline(always)]
    pub fn push(&mut self, value: T) {
        // The length is read once: the write below cannot change it, but the
        // compiler cannot tell.
        let len = self.len;
        if len == self.buf.capacity()
            && let Err(error) = self.buf.try_reserve(len, 1)
        {
            fail(&error);
        }
        // SAFETY: `len < capacity` now, so the slot is inside the buffer and
        // holds no value.
        unsafe { self.buf.ptr().add(len).write(value) };
        self.len = len + 1;
    }

    /// Appends a value, or hands it back with the error if the vector must
    /// grow and the arena cannot allocate.
    ///
    /// # Errors
    ///
    /// A [`TryAllocError`](crate::TryAllocError) holding the value and the
    /// reason.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::fixed(8);
    /// let mut v = arena_pool::collections::Vec::with_capacity_in(1, &arena);
    /// v.push(1u64);
    /// assert_eq!(v.try_push(2).unwrap_err().into_value(), 2);
    /// ```
    #[inline]
    pub fn try_push(&mut self, value: T) -> Result<(), crate::TryAllocError<T>> {
        if self.len == self.buf.capacity()
            && let Err(error) = self.buf.try_reserve(self.len, 1)
        {
            return Err(crate::TryAllocError::new(error, value));
        }
        // SAFETY: `len < capacity`, so the slot is inside the buffer and
        // holds no value.
        unsafe { self.buf.ptr().add(self.len).write(value) };
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the last value, or `None` if the vector is empty.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// assert_eq!(v.pop(), Some(2));
    /// assert_eq!(v, [1]);
    /// ```
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: the value at the old last index was initialised and, with
        // `len` lowered first, the vector no longer owns it: it moves out once.
        Some(unsafe { self.buf.ptr().add(self.len).read() })
    }

    /// Inserts `value` at `index`, shifting the values after it.
    ///
    /// # Panics
    ///
    /// Panics if `index > len`, or if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 3], &arena);
    /// v.insert(1, 2);
    /// assert_eq!(v, [1, 2, 3]);
    /// ```
    pub fn insert(&mut self, index: usize, value: T) {
        assert!(
            index <= self.len,
            "insertion index {index} is out of bounds (len {})",
            self.len
        );
        self.push(value);
        self.as_mut_slice()[index..].rotate_right(1);
    }

    /// Removes and returns the value at `index`, shifting the values after
    /// it.
    ///
    /// # Panics
    ///
    /// Panics if `index >= len`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2, 3], &arena);
    /// assert_eq!(v.remove(0), 1);
    /// assert_eq!(v, [2, 3]);
    /// ```
    pub fn remove(&mut self, index: usize) -> T {
        assert!(
            index < self.len,
            "removal index {index} is out of bounds (len {})",
            self.len
        );
        self.as_mut_slice()[index..].rotate_left(1);
        self.pop().expect("the vector is not empty")
    }

    /// Removes and returns the value at `index`, replacing it with the last
    /// value (O(1), but the order changes).
    ///
    /// # Panics
    ///
    /// Panics if `index >= len`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2, 3], &arena);
    /// assert_eq!(v.swap_remove(0), 1);
    /// assert_eq!(v, [3, 2]);
    /// ```
    pub fn swap_remove(&mut self, index: usize) -> T {
        assert!(
            index < self.len,
            "swap_remove index {index} is out of bounds (len {})",
            self.len
        );
        let last = self.len - 1;
        self.as_mut_slice().swap(index, last);
        self.pop().expect("the vector is not empty")
    }

    /// Keeps the first `len` values and drops the rest; does nothing if the
    /// vector is not longer than `len`. The capacity is unchanged.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2, 3], &arena);
    /// v.truncate(1);
    /// assert_eq!(v, [1]);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let tail = ptr::slice_from_raw_parts_mut(
            // SAFETY: `len < self.len`, inside the buffer.
            unsafe { self.buf.ptr().add(len) },
            self.len - len,
        );
        // Lower the length first: if a `Drop` panics, the vector no longer
        // owns any of the tail (the rest of it is still dropped by the
        // slice's drop glue, and nothing is dropped twice).
        self.len = len;
        // SAFETY: the tail's values were initialised and are no longer owned
        // by the vector.
        unsafe { ptr::drop_in_place(tail) };
    }

    /// Drops every value; the capacity is unchanged.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// v.clear();
    /// assert!(v.is_empty());
    /// ```
    #[inline]
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Keeps only the values for which `keep` returns `true`, in order.
    ///
    /// Unlike `std`, the values to remove are dropped after `keep` has seen
    /// every value; if `keep` panics, the vector still holds every value, in
    /// some order.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in(1..=6, &arena);
    /// v.retain(|&x| x % 2 == 0);
    /// assert_eq!(v, [2, 4, 6]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.retain_mut(|value| keep(value));
    }

    /// Like [`retain`](Vec::retain), with mutable access to each value.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in(1..=4, &arena);
    /// v.retain_mut(|x| { *x *= 10; *x > 15 });
    /// assert_eq!(v, [20, 30, 40]);
    /// ```
    pub fn retain_mut(&mut self, mut keep: impl FnMut(&mut T) -> bool) {
        let values = self.as_mut_slice();
        let mut kept = 0;
        for index in 0..values.len() {
            if keep(&mut values[index]) {
                // Every value in `kept..index` is to be removed: swapping moves
                // the kept value forward and keeps the kept values in order.
                values.swap(kept, index);
                kept += 1;
            }
        }
        self.truncate(kept);
    }

    /// Removes consecutive values for which `same_bucket(value, previous)`
    /// returns `true`, keeping the first of each run.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in(["a", "A", "b"], &arena);
    /// v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    /// assert_eq!(v, ["a", "b"]);
    /// ```
    pub fn dedup_by(&mut self, mut same_bucket: impl FnMut(&mut T, &mut T) -> bool) {
        let values = self.as_mut_slice();
        if values.len() <= 1 {
            return;
        }
        let mut kept = 1;
        for index in 1..values.len() {
            let (front, back) = values.split_at_mut(index);
            if !same_bucket(&mut back[0], &mut front[kept - 1]) {
                values.swap(kept, index);
                kept += 1;
            }
        }
        self.truncate(kept);
    }

    /// Removes consecutive values with the same key, keeping the first.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([10, 11, 20, 21], &arena);
    /// v.dedup_by_key(|x| *x / 10);
    /// assert_eq!(v, [10, 20]);
    /// ```
    pub fn dedup_by_key<K: PartialEq>(&mut self, mut key: impl FnMut(&mut T) -> K) {
        self.dedup_by(|a, b| key(a) == key(b));
    }

    /// Resizes to `len` values, cloning `value` into new slots or dropping
    /// the values past `len`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1], &arena);
    /// v.resize(3, 0);
    /// assert_eq!(v, [1, 0, 0]);
    /// v.resize(2, 9);
    /// assert_eq!(v, [1, 0]);
    /// ```
    pub fn resize(&mut self, len: usize, value: T)
    where
        T: Clone,
    {
        self.resize_with(len, || value.clone());
    }

    /// Resizes to `len` values, filling new slots with `f()` or dropping the
    /// values past `len`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if `f` panics.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::<u32>::new_in(&arena);
    /// let mut next = 0;
    /// v.resize_with(3, || { next += 1; next });
    /// assert_eq!(v, [1, 2, 3]);
    /// ```
    pub fn resize_with(&mut self, len: usize, mut f: impl FnMut() -> T) {
        if len <= self.len {
            self.truncate(len);
            return;
        }
        self.reserve(len - self.len);
        while self.len < len {
            self.push(f());
        }
    }

    /// Appends clones of the values of `other`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if a `clone` panics (the
    /// values cloned so far stay).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::new_in(&arena);
    /// v.extend_from_slice(&[String::from("x")]);
    /// assert_eq!(v[0], "x");
    /// ```
    pub fn extend_from_slice(&mut self, other: &[T])
    where
        T: Clone,
    {
        self.reserve(other.len());
        for value in other {
            self.push(value.clone());
        }
    }

    /// Appends a copy of `other` with one bulk copy: the fast path for
    /// `Copy` values.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::new_in(&arena);
    /// v.extend_from_slice_copy(b"abc");
    /// assert_eq!(v, *b"abc");
    /// ```
    #[inline]
    pub fn extend_from_slice_copy(&mut self, other: &[T])
    where
        T: Copy,
    {
        self.try_extend_from_slice_copy(other)
            .unwrap_or_else(|error| fail(&error));
    }

    /// [`extend_from_slice_copy`](Vec::extend_from_slice_copy) that returns
    /// the allocation error instead of panicking; `self` is then unchanged.
    pub(crate) fn try_extend_from_slice_copy(&mut self, other: &[T]) -> Result<(), AllocError>
    where
        T: Copy,
    {
        self.try_reserve(other.len())?;
        // SAFETY: there is room for `other.len()` values past `len`; fresh
        // slots cannot overlap `other`, which is borrowed while `self` is
        // borrowed mutably. `T: Copy` makes a byte copy a copy.
        unsafe {
            crate::arena::copy_bytes(
                other.as_ptr().cast(),
                self.buf.ptr().add(self.len).cast(),
                core::mem::size_of_val(other),
            );
        }
        self.len += other.len();
        Ok(())
    }

    /// Removes the values in `range` and returns them as an iterator. The
    /// values the iterator does not yield are dropped when it is dropped.
    ///
    /// # Panics
    ///
    /// Panics if the range is out of bounds or decreasing.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in(1..=5, &arena);
    /// let middle: std::vec::Vec<_> = v.drain(1..4).collect();
    /// assert_eq!(middle, [2, 3, 4]);
    /// assert_eq!(v, [1, 5]);
    /// ```
    pub fn drain(&mut self, range: impl RangeBounds<usize>) -> Drain<'_, 'a, T> {
        let len = self.len;
        let start = match range.start_bound() {
            Bound::Included(&start) => start,
            Bound::Excluded(&start) => start.checked_add(1).expect("range start overflows"),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&end) => end.checked_add(1).expect("range end overflows"),
            Bound::Excluded(&end) => end,
            Bound::Unbounded => len,
        };
        assert!(
            start <= end,
            "drain range starts at {start} but ends at {end}"
        );
        assert!(
            end <= len,
            "drain range end {end} is out of bounds (len {len})"
        );
        // The vector keeps only the values before the range while the drain
        // lives: if the drain is leaked, the rest are leaked too, never
        // dropped twice.
        self.len = start;
        Drain {
            vec: self,
            next: start,
            end,
            tail: end,
            tail_len: len - end,
        }
    }

    /// Splits the vector in two at `at`: `self` keeps `[0, at)` and the
    /// returned vector (in the same arena) gets `[at, len)`.
    ///
    /// # Panics
    ///
    /// Panics if `at > len`, or if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2, 3], &arena);
    /// let tail = v.split_off(1);
    /// assert_eq!((v.as_slice(), tail.as_slice()), (&[1][..], &[2, 3][..]));
    /// ```
    #[must_use = "use `truncate` to drop the values"]
    pub fn split_off(&mut self, at: usize) -> Self {
        assert!(
            at <= self.len,
            "split index {at} is out of bounds (len {})",
            self.len
        );
        let moved = self.len - at;
        let mut other = Self::with_capacity_in(moved, self.buf.arena());
        // SAFETY: `[at, len)` holds initialised values; `other` has room for
        // `moved` of them in a separate block. The values change owner: `self`
        // gives them up by lowering its length.
        unsafe {
            ptr::copy_nonoverlapping(self.buf.ptr().add(at), other.buf.ptr(), moved);
        }
        self.len = at;
        other.len = moved;
        other
    }

    /// Moves every value of `other` to the end of `self`, leaving `other`
    /// empty.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut a = arena_pool::collections::Vec::from_iter_in([1], &arena);
    /// let mut b = arena_pool::collections::Vec::from_iter_in([2, 3], &arena);
    /// a.append(&mut b);
    /// assert_eq!((a.len(), b.len()), (3, 0));
    /// ```
    pub fn append(&mut self, other: &mut Vec<'_, T>) {
        self.reserve(other.len);
        // SAFETY: `self` has room for `other.len` more values; the two
        // buffers are distinct blocks (two `&mut`). `other` gives the values
        // up by setting its length to zero.
        unsafe {
            ptr::copy_nonoverlapping(other.buf.ptr(), self.buf.ptr().add(self.len), other.len);
        }
        self.len += other.len;
        other.len = 0;
    }

    /// Converts the vector into a [`Box`](super::Box) of a slice, which
    /// drops its values when dropped.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// let b = v.into_boxed_slice();
    /// assert_eq!(&*b, &[1, 2]);
    /// ```
    #[must_use]
    pub fn into_boxed_slice(self) -> super::Box<'a, [T]> {
        let slice: *mut [T] = self.into_slice();
        // SAFETY: the slice holds initialised values owned by nobody else
        // (the vector was consumed), allocated for `'a`.
        unsafe { super::Box::from_raw(slice) }
    }
}

impl<'a, T: PartialEq> Vec<'a, T> {
    /// Removes consecutive equal values, keeping the first.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 1, 2, 1], &arena);
    /// v.dedup();
    /// assert_eq!(v, [1, 2, 1]);
    /// ```
    pub fn dedup(&mut self) {
        self.dedup_by(|a, b| a == b);
    }
}

impl<T> Drop for Vec<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the first `len` values are initialised and owned by the
        // vector, which is going away. The buffer's room is given back by
        // `RawBuf`'s own drop afterwards, even if a value's `Drop` panics.
        unsafe { ptr::drop_in_place(self.as_mut_slice()) };
    }
}

impl<T> Deref for Vec<'_, T> {
    type Target = [T];

    #[inline(always)]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for Vec<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T, I: SliceIndex<[T]>> Index<I> for Vec<'_, T> {
    type Output = I::Output;

    #[inline]
    fn index(&self, index: I) -> &I::Output {
        &self.as_slice()[index]
    }
}

impl<T, I: SliceIndex<[T]>> IndexMut<I> for Vec<'_, T> {
    #[inline]
    fn index_mut(&mut self, index: I) -> &mut I::Output {
        &mut self.as_mut_slice()[index]
    }
}

impl<T> AsRef<[T]> for Vec<'_, T> {
    fn as_ref(&self) -> &[T] {
        self
    }
}

impl<T> AsMut<[T]> for Vec<'_, T> {
    fn as_mut(&mut self) -> &mut [T] {
        self
    }
}

impl<T> Borrow<[T]> for Vec<'_, T> {
    fn borrow(&self) -> &[T] {
        self
    }
}

impl<T> BorrowMut<[T]> for Vec<'_, T> {
    fn borrow_mut(&mut self) -> &mut [T] {
        self
    }
}

impl<T: fmt::Debug> fmt::Debug for Vec<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<'a, T: Clone> Clone for Vec<'a, T> {
    /// A copy of the vector in the same arena.
    fn clone(&self) -> Self {
        let mut copy = Self::with_capacity_in(self.len, self.buf.arena());
        copy.extend_from_slice(self);
        copy
    }
}

impl<T: Hash> Hash for Vec<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T, U> PartialEq<Vec<'_, U>> for Vec<'_, T>
where
    T: PartialEq<U>,
{
    fn eq(&self, other: &Vec<'_, U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T, U> PartialEq<[U]> for Vec<'_, T>
where
    T: PartialEq<U>,
{
    fn eq(&self, other: &[U]) -> bool {
        self.as_slice() == other
    }
}

impl<T, U> PartialEq<&[U]> for Vec<'_, T>
where
    T: PartialEq<U>,
{
    fn eq(&self, other: &&[U]) -> bool {
        self.as_slice() == *other
    }
}

impl<T, U, const N: usize> PartialEq<[U; N]> for Vec<'_, T>
where
    T: PartialEq<U>,
{
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other
    }
}

impl<T: Eq> Eq for Vec<'_, T> {}

impl<T: PartialOrd> PartialOrd for Vec<'_, T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.as_slice().partial_cmp(other.as_slice())
    }
}

impl<T: Ord> Ord for Vec<'_, T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl<T> Extend<T> for Vec<'_, T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let mut iter = iter.into_iter();
        // A hint is only a hint: reserve what it promises, up to a bound,
        // and let `push` grow for the rest (and report a real shortage).
        let _ = self.try_reserve(hint_to_reserve::<T>(iter.size_hint().0));
        self.fill_spare(&mut iter);
        for value in iter {
            self.push(value);
        }
    }
}

/// The most bytes a size hint reserves up front. A lying hint could
/// otherwise claim gigabytes; beyond this, buffers grow as items arrive
/// (in place while they are the arena's most recent growable block).
const MAX_HINT_BYTES: usize = 1 << 20;

/// How many of `lower` hinted items of `T` to reserve up front.
#[inline]
pub(crate) const fn hint_to_reserve<T>(lower: usize) -> usize {
    let size = core::mem::size_of::<T>();
    if size == 0 {
        return lower;
    }
    let most = MAX_HINT_BYTES / size;
    if lower < most { lower } else { most }
}

impl<T> Vec<'_, T> {
    /// Moves items of `iter` into the spare capacity until it is full or the
    /// iterator ends: the loop of `extend` without a capacity check per item.
    #[inline]
    fn fill_spare(&mut self, iter: &mut impl Iterator<Item = T>) {
        /// Stores the length back when the loop ends, or if the iterator
        /// panics, so that every value written is owned by the vector.
        struct SetLen<'l> {
            len: &'l mut usize,
            local: usize,
        }

        impl Drop for SetLen<'_> {
            fn drop(&mut self) {
                *self.len = self.local;
            }
        }

        let ptr = self.buf.ptr();
        let spare = self.buf.capacity() - self.len;
        let mut guard = SetLen {
            local: self.len,
            len: &mut self.len,
        };
        iter.take(spare).for_each(|value| {
            // SAFETY: at most `spare` items come, so `local < capacity`: the
            // slot is inside the buffer and holds no value.
            unsafe { ptr.add(guard.local).write(value) };
            guard.local += 1;
        });
    }
}

impl<'v, T: Copy + 'v> Extend<&'v T> for Vec<'_, T> {
    fn extend<I: IntoIterator<Item = &'v T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl<'a, T> IntoIterator for Vec<'a, T> {
    type Item = T;
    type IntoIter = IntoIter<'a, T>;

    /// Moves the values out, front to back.
    fn into_iter(self) -> IntoIter<'a, T> {
        let this = ManuallyDrop::new(self);
        // SAFETY: reading the buffer out of a `ManuallyDrop` that is never
        // used again moves it; the iterator takes over the values.
        let buf = unsafe { ptr::read(&this.buf) };
        IntoIter {
            buf,
            next: 0,
            end: this.len,
        }
    }
}

impl<'v, T> IntoIterator for &'v Vec<'_, T> {
    type Item = &'v T;
    type IntoIter = slice::Iter<'v, T>;

    fn into_iter(self) -> slice::Iter<'v, T> {
        self.as_slice().iter()
    }
}

impl<'v, T> IntoIterator for &'v mut Vec<'_, T> {
    type Item = &'v mut T;
    type IntoIter = slice::IterMut<'v, T>;

    fn into_iter(self) -> slice::IterMut<'v, T> {
        self.as_mut_slice().iter_mut()
    }
}

/// The by-value iterator of a [`Vec`]; values it does not yield are dropped
/// with it, and its buffer's room is given back if it is the arena's most
/// recent block.
///
/// ```
/// # let arena = arena_pool::Arena::new();
/// let v = arena_pool::collections::Vec::from_iter_in(["a", "b"], &arena);
/// let mut iter = v.into_iter();
/// assert_eq!(iter.next(), Some("a"));
/// assert_eq!(iter.as_slice(), ["b"]);
/// ```
pub struct IntoIter<'a, T> {
    // Invariant: the values in `next..end` are initialised and owned by the
    // iterator; those before `next` were moved out.
    buf: RawBuf<'a, T>,
    next: usize,
    end: usize,
}

impl<T> IntoIter<'_, T> {
    /// The values not yet yielded.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let v = arena_pool::collections::Vec::from_iter_in([1, 2], &arena);
    /// assert_eq!(v.into_iter().as_slice(), [1, 2]);
    /// ```
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: `next..end` holds initialised values owned by the iterator.
        unsafe { slice::from_raw_parts(self.buf.ptr().add(self.next), self.end - self.next) }
    }
}

impl<T> Iterator for IntoIter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.next == self.end {
            return None;
        }
        let index = self.next;
        self.next += 1;
        // SAFETY: `index` was in `next..end`, initialised and owned; raising
        // `next` first hands it over exactly once.
        Some(unsafe { self.buf.ptr().add(index).read() })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.end - self.next;
        (len, Some(len))
    }
}

impl<T> DoubleEndedIterator for IntoIter<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        if self.next == self.end {
            return None;
        }
        self.end -= 1;
        // SAFETY: the old `end - 1` was in `next..end`; lowering `end` first
        // hands it over exactly once.
        Some(unsafe { self.buf.ptr().add(self.end).read() })
    }
}

impl<T> ExactSizeIterator for IntoIter<'_, T> {}
impl<T> FusedIterator for IntoIter<'_, T> {}

impl<T: fmt::Debug> fmt::Debug for IntoIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntoIter").field(&self.as_slice()).finish()
    }
}

impl<T> Drop for IntoIter<'_, T> {
    fn drop(&mut self) {
        let rest = ptr::slice_from_raw_parts_mut(
            // SAFETY: `next <= end <= capacity`, inside the buffer.
            unsafe { self.buf.ptr().add(self.next) },
            self.end - self.next,
        );
        self.next = self.end;
        // SAFETY: the values not yet yielded are initialised and owned by the
        // iterator, which is going away; `RawBuf` gives the room back after.
        unsafe { ptr::drop_in_place(rest) };
    }
}

/// The iterator of [`Vec::drain`].
///
/// ```
/// # let arena = arena_pool::Arena::new();
/// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2, 3], &arena);
/// let mut drain = v.drain(..2);
/// assert_eq!(drain.next_back(), Some(2));
/// drop(drain);
/// assert_eq!(v, [3]);
/// ```
pub struct Drain<'v, 'a, T> {
    // Invariants: the vector's length is the drained range's start; the
    // values in `next..end` are initialised and owned by the drain, and the
    // `tail_len` values from `tail` on are the vector's, to be moved back
    // down to its length when the drain ends.
    vec: &'v mut Vec<'a, T>,
    next: usize,
    end: usize,
    tail: usize,
    tail_len: usize,
}

impl<T> Drain<'_, '_, T> {
    /// The values not yet yielded.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut v = arena_pool::collections::Vec::from_iter_in([1, 2, 3], &arena);
    /// assert_eq!(v.drain(1..).as_slice(), [2, 3]);
    /// ```
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: `next..end` holds initialised values owned by the drain.
        unsafe { slice::from_raw_parts(self.vec.buf.ptr().add(self.next), self.end - self.next) }
    }
}

impl<T> Iterator for Drain<'_, '_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.next == self.end {
            return None;
        }
        let index = self.next;
        self.next += 1;
        // SAFETY: `index` was in `next..end`: initialised, owned by the
        // drain, handed over once.
        Some(unsafe { self.vec.buf.ptr().add(index).read() })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.end - self.next;
        (len, Some(len))
    }
}

impl<T> DoubleEndedIterator for Drain<'_, '_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        if self.next == self.end {
            return None;
        }
        self.end -= 1;
        // SAFETY: the old `end - 1` was in `next..end`, handed over once.
        Some(unsafe { self.vec.buf.ptr().add(self.end).read() })
    }
}

impl<T> ExactSizeIterator for Drain<'_, '_, T> {}
impl<T> FusedIterator for Drain<'_, '_, T> {}

impl<T: fmt::Debug> fmt::Debug for Drain<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Drain").field(&self.as_slice()).finish()
    }
}

impl<T> Drop for Drain<'_, '_, T> {
    fn drop(&mut self) {
        /// Moves the tail back next to the kept values, even if dropping the
        /// unyielded values panics.
        struct MoveTail<'d, 'v, 'a, T>(&'d mut Drain<'v, 'a, T>);

        impl<T> Drop for MoveTail<'_, '_, '_, T> {
            fn drop(&mut self) {
                let drain = &mut *self.0;
                let start = drain.vec.len;
                let base = drain.vec.buf.ptr();
                if drain.tail != start {
                    // SAFETY: both ranges lie inside the buffer (`start <=
                    // tail` and `tail + tail_len` was the old length); they
                    // may overlap, hence `copy`. The tail values keep one
                    // owner: the vector, once its length covers them.
                    unsafe { ptr::copy(base.add(drain.tail), base.add(start), drain.tail_len) };
                }
                drain.vec.len = start + drain.tail_len;
            }
        }

        let rest = ptr::slice_from_raw_parts_mut(
            // SAFETY: `next <= end <= capacity`, inside the buffer.
            unsafe { self.vec.buf.ptr().add(self.next) },
            self.end - self.next,
        );
        self.next = self.end;
        let _guard = MoveTail(self);
        // SAFETY: the unyielded values are initialised and owned by the drain,
        // which gives them up now; if one's `Drop` panics, the slice's drop
        // glue still drops the rest, and the guard restores the vector.
        unsafe { ptr::drop_in_place(rest) };
    }
}

/// Builds collections from iterators in an arena: the arena counterpart of
/// `FromIterator`, used by [`CollectIn::collect_in`](super::CollectIn::collect_in).
///
/// ```
/// use arena_pool::{Arena, collections::{FromIteratorIn, Vec}};
///
/// let arena = Arena::new();
/// let v = Vec::from_iter_in_arena([1, 2], &arena);
/// assert_eq!(v, [1, 2]);
/// ```
pub trait FromIteratorIn<'a, T>: Sized {
    /// A collection of the items of `iter`, allocated in `arena`.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::{FromIteratorIn, String}};
    ///
    /// let arena = Arena::new();
    /// let s = String::from_iter_in_arena(['h', 'i'], &arena);
    /// assert_eq!(s, "hi");
    /// ```
    fn from_iter_in_arena<I: IntoIterator<Item = T>>(iter: I, arena: impl ArenaRef<'a>) -> Self;
}

impl<'a, T> FromIteratorIn<'a, T> for Vec<'a, T> {
    fn from_iter_in_arena<I: IntoIterator<Item = T>>(iter: I, arena: impl ArenaRef<'a>) -> Self {
        Self::from_iter_in(iter, arena)
    }
}
