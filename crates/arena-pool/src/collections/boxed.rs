//! [`Box`]: an owned value in an arena whose `Drop` runs.

use core::borrow::{Borrow, BorrowMut};
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};

use super::ArenaRef;
use crate::error::TryAllocError;

/// An owned value in an arena: like `std::boxed::Box`, it drops its value
/// when it is dropped, which a plain [`Arena::alloc`](crate::Arena::alloc)
/// reference never does.
///
/// The box is one pointer; it does not hold the arena, so its memory is
/// reclaimed with the arena's (on reset, drop, or the end of a scope), not
/// when the box drops. It borrows the arena for `'a`, so it cannot outlive
/// it. [`Box::leak`] turns it back into a plain `&'a mut T` whose value is
/// never dropped.
///
/// - Sized values: [`new_in`](Box::new_in), [`try_new_in`](Box::try_new_in).
/// - Slices and strings: [`Vec::into_boxed_slice`](super::Vec::into_boxed_slice),
///   [`String::into_boxed_str`](super::String::into_boxed_str).
/// - Trait objects: [`unsize_box!`](crate::unsize_box). Stable Rust does not
///   let a user type take part in the `Box<T>` to `Box<dyn Trait>` coercion
///   (that needs the unstable `CoerceUnsized`), so the macro performs the
///   compiler-checked coercion on the raw pointer instead.
///
/// For bumpalo users: `bumpalo::boxed::Box` maps to this type, with the same
/// `new_in`, `into_inner` and `leak`.
///
/// # Threads
///
/// `Box<'a, T>` is `Send` if `T` is, and `Sync` if `T` is: it owns its value
/// and never touches the arena after it is made.
///
/// ```
/// use arena_pool::{Arena, collections::Box};
/// use std::cell::Cell;
///
/// struct Noisy<'c>(&'c Cell<u32>);
/// impl Drop for Noisy<'_> {
///     fn drop(&mut self) {
///         self.0.set(self.0.get() + 1);
///     }
/// }
///
/// let drops = Cell::new(0);
/// let arena = Arena::new();
/// let boxed = Box::new_in(Noisy(&drops), &arena);
/// drop(boxed);
/// assert_eq!(drops.get(), 1);
/// ```
pub struct Box<'a, T: ?Sized> {
    // Invariant: `ptr` points at an initialised `T` in memory that stays
    // allocated for `'a`, owned by this box alone.
    ptr: NonNull<T>,
    _owns: PhantomData<(&'a (), T)>,
}

// SAFETY: the box owns its value exclusively (like `&mut T` or
// `std::boxed::Box<T>`) and holds nothing else; sending the box sends the
// value.
unsafe impl<T: ?Sized + Send> Send for Box<'_, T> {}
// SAFETY: `&Box<T>` gives only `&T`.
unsafe impl<T: ?Sized + Sync> Sync for Box<'_, T> {}

impl<'a, T> Box<'a, T> {
    /// Moves `value` into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`try_new_in`](Box::try_new_in).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let b = arena_pool::collections::Box::new_in([1u8; 48], &arena);
    /// assert_eq!(b.len(), 48);
    /// ```
    #[inline(always)]
    pub fn new_in(value: T, arena: impl ArenaRef<'a>) -> Self {
        let value = arena.arena().alloc(value);
        // SAFETY: fresh arena memory, allocated for `'a` and owned by no one.
        unsafe { Self::from_raw(value) }
    }

    /// Moves `value` into the arena, or hands it back with the error.
    ///
    /// # Errors
    ///
    /// A [`TryAllocError`] holding the value and the reason.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::fixed(4);
    /// let err = arena_pool::collections::Box::try_new_in(7u64, &arena).unwrap_err();
    /// assert_eq!(err.into_value(), 7);
    /// ```
    #[inline]
    pub fn try_new_in(value: T, arena: impl ArenaRef<'a>) -> Result<Self, TryAllocError<T>> {
        let value = arena.arena().try_alloc(value)?;
        // SAFETY: fresh arena memory, allocated for `'a` and owned by no one.
        Ok(unsafe { Self::from_raw(value) })
    }

    /// Builds the value with `f` straight into arena memory, then boxes it.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if `f` panics.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let b = arena_pool::collections::Box::new_with_in(|| [0u64; 512], &arena);
    /// assert_eq!(b[511], 0);
    /// ```
    #[inline(always)]
    pub fn new_with_in(f: impl FnOnce() -> T, arena: impl ArenaRef<'a>) -> Self {
        let value = arena.arena().alloc_with(f);
        // SAFETY: fresh arena memory, allocated for `'a` and owned by no one.
        unsafe { Self::from_raw(value) }
    }

    /// Moves the value out of the box.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let b = arena_pool::collections::Box::new_in(String::from("x"), &arena);
    /// assert_eq!(arena_pool::collections::Box::into_inner(b), "x");
    /// ```
    #[inline]
    pub fn into_inner(boxed: Self) -> T {
        let boxed = ManuallyDrop::new(boxed);
        // SAFETY: the value is initialised and owned by the box, which is
        // never used or dropped again: the value moves out exactly once.
        unsafe { boxed.ptr.read() }
    }
}

impl<'a, T: ?Sized> Box<'a, T> {
    /// Gives up ownership: the value stays in the arena for `'a` and is
    /// never dropped.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let b = arena_pool::collections::Box::new_in(5, &arena);
    /// let r: &mut i32 = arena_pool::collections::Box::leak(b);
    /// *r += 1;
    /// assert_eq!(*r, 6);
    /// ```
    #[inline]
    pub fn leak(boxed: Self) -> &'a mut T {
        let boxed = ManuallyDrop::new(boxed);
        // SAFETY: the value is initialised, stays allocated for `'a`, and the
        // box (its only owner) is never used again.
        unsafe { &mut *boxed.ptr.as_ptr() }
    }

    /// The raw pointer to the value; the caller takes over dropping it (for
    /// example with [`from_raw`](Box::from_raw)).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// use arena_pool::collections::Box;
    /// let raw = Box::into_raw(Box::new_in(1u8, &arena));
    /// // SAFETY: `raw` came from `into_raw` of a box in this arena.
    /// let b: Box<u8> = unsafe { Box::from_raw(raw) };
    /// assert_eq!(*b, 1);
    /// ```
    #[inline]
    #[must_use]
    pub fn into_raw(boxed: Self) -> *mut T {
        ManuallyDrop::new(boxed).ptr.as_ptr()
    }

    /// A box that owns the value at `raw`.
    ///
    /// # Safety
    ///
    /// `raw` must point at an initialised `T`, valid and aligned, that stays
    /// allocated for `'a` (arena memory of an arena borrowed for `'a`), with
    /// no other owner or reference: a pointer from [`into_raw`](Box::into_raw)
    /// or [`Box::leak`] with the same `'a`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// use arena_pool::collections::Box;
    /// let value: &mut String = arena.alloc(String::from("owned"));
    /// // SAFETY: the value is in the arena and nothing else refers to it.
    /// let b = unsafe { Box::from_raw(value) };
    /// assert_eq!(*b, "owned");
    /// ```
    #[inline]
    pub unsafe fn from_raw(raw: *mut T) -> Self {
        Self {
            // SAFETY: the caller guarantees `raw` points at a value, so it is
            // not null.
            ptr: unsafe { NonNull::new_unchecked(raw) },
            _owns: PhantomData,
        }
    }

    /// The raw pointer and the box's lifetime, for [`unsize_box!`](crate::unsize_box).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// use arena_pool::collections::Box;
    /// let (raw, lifetime) = Box::into_raw_with_lifetime(Box::new_in(1u8, &arena));
    /// // SAFETY: both halves come from one box.
    /// let b = unsafe { Box::from_raw_with_lifetime(raw, lifetime) };
    /// assert_eq!(*b, 1);
    /// ```
    #[inline]
    #[must_use]
    pub fn into_raw_with_lifetime(boxed: Self) -> (*mut T, PhantomData<&'a ()>) {
        (Self::into_raw(boxed), PhantomData)
    }

    /// A box from the halves of [`into_raw_with_lifetime`](Box::into_raw_with_lifetime),
    /// the pointer possibly coerced to an unsized type.
    ///
    /// # Safety
    ///
    /// `raw` and `lifetime` must come from one call of
    /// `into_raw_with_lifetime`, `raw` at most coerced (not cast).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// use arena_pool::collections::Box;
    /// let (raw, lifetime) = Box::into_raw_with_lifetime(Box::new_in([1, 2], &arena));
    /// let raw: *mut [i32] = raw;
    /// // SAFETY: both halves come from one box; the pointer was coerced.
    /// let b = unsafe { Box::from_raw_with_lifetime(raw, lifetime) };
    /// assert_eq!(b.len(), 2);
    /// ```
    #[inline]
    pub unsafe fn from_raw_with_lifetime(raw: *mut T, lifetime: PhantomData<&'a ()>) -> Self {
        let _ = lifetime;
        // SAFETY: the caller's contract is `from_raw`'s, with the lifetime
        // carried over from the original box.
        unsafe { Self::from_raw(raw) }
    }
}

/// Turns a [`Box<'a, T>`](crate::collections::Box) into a `Box<'a, U>` for an
/// unsized `U` that `T` coerces to: a trait object (`dyn Trait`) or a slice
/// from an array. The target type comes from the context:
///
/// ```
/// use arena_pool::{Arena, collections::Box};
/// use core::fmt::Display;
///
/// let arena = Arena::new();
/// let shapes: [Box<dyn Display>; 2] = [
///     arena_pool::unsize_box!(Box::new_in(1u8, &arena)),
///     arena_pool::unsize_box!(Box::new_in("two", &arena)),
/// ];
/// assert_eq!(shapes[1].to_string(), "two");
/// let slice: Box<[u8]> = arena_pool::unsize_box!(Box::new_in([1, 2, 3], &arena));
/// assert_eq!(slice.len(), 3);
/// ```
///
/// The coercion is the compiler's own unsizing coercion on a raw pointer, so
/// a target `T` does not coerce to is rejected:
///
/// ```compile_fail
/// use arena_pool::{Arena, collections::Box};
///
/// let arena = Arena::new();
/// let wrong: Box<dyn Iterator<Item = u8>> = arena_pool::unsize_box!(Box::new_in(1u8, &arena));
/// ```
///
/// It expands to an `unsafe` block, so crates that `forbid(unsafe_code)`
/// cannot use it.
#[macro_export]
macro_rules! unsize_box {
    ($boxed:expr) => {{
        let (raw, lifetime) = $crate::collections::Box::into_raw_with_lifetime($boxed);
        // SAFETY: both halves come from one box, and `raw` reaches the target
        // type only through an implicit (unsizing) coercion.
        unsafe { $crate::collections::Box::from_raw_with_lifetime(raw, lifetime) }
    }};
}

impl<T: ?Sized> Drop for Box<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the value is initialised and owned by the box, which is
        // going away; it is dropped exactly once.
        unsafe { ptr::drop_in_place(self.ptr.as_ptr()) };
    }
}

impl<T: ?Sized> Deref for Box<'_, T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the value is initialised and owned by the box; `&self`
        // keeps it from changing.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: ?Sized> DerefMut for Box<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only access.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T: ?Sized> AsRef<T> for Box<'_, T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: ?Sized> AsMut<T> for Box<'_, T> {
    fn as_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: ?Sized> Borrow<T> for Box<'_, T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: ?Sized> BorrowMut<T> for Box<'_, T> {
    fn borrow_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Box<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for Box<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized + PartialEq> PartialEq for Box<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: ?Sized + Eq> Eq for Box<'_, T> {}

impl<T: ?Sized + PartialOrd> PartialOrd for Box<'_, T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: ?Sized + Ord> Ord for Box<'_, T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl<T: ?Sized + Hash> Hash for Box<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<I: ?Sized + Iterator> Iterator for Box<'_, I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        (**self).next()
    }
}
