//! The boxes a [`SyncPool`] hands out.

use alloc::sync::Arc;
use core::fmt;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use super::SyncPool;

/// A value in a [`SyncPool`] slot, borrowed from the pool; dropping it drops
/// the value and frees the slot.
///
/// `PoolBox<T>` is `Send` when `T` is `Send` (it can be dropped on any
/// thread) and `Sync` when `T` is `Sync`.
///
/// ```
/// use arena_pool::SyncPool;
///
/// let pool = SyncPool::bounded(4);
/// let mut boxed = pool.alloc(vec![1, 2]);
/// boxed.push(3);
/// assert_eq!(boxed.iter().sum::<i32>(), 6);
/// assert_eq!(boxed.into_inner(), [1, 2, 3]);
/// assert!(pool.is_empty());
/// ```
pub struct PoolBox<'pool, T> {
    /// The value, in a slot of the pool; its address is the slot's token,
    /// and its segment's header names the pool, so the box is one pointer.
    ptr: NonNull<T>,
    _pool: PhantomData<&'pool SyncPool<T>>,
}

// SAFETY: the box owns its value exclusively; moving the box moves
// ownership of a `T` (hence `T: Send`), and the pool reference is `Sync`
// for `T: Send`.
unsafe impl<T: Send> Send for PoolBox<'_, T> {}
// SAFETY: `&PoolBox` gives only `&T`.
unsafe impl<T: Sync> Sync for PoolBox<'_, T> {}

impl<'pool, T> PoolBox<'pool, T> {
    /// # Safety
    ///
    /// The caller owns the slot of `pool` whose value is at `ptr` (a
    /// pointer `SyncPool::place` returned), which holds a value, and hands
    /// that ownership to the box.
    #[inline(always)]
    pub(super) unsafe fn new(_pool: &'pool SyncPool<T>, ptr: NonNull<T>) -> Self {
        Self {
            ptr,
            _pool: PhantomData,
        }
    }

    /// Moves the value out and frees its slot.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::bounded(1);
    /// let name = pool.alloc(String::from("x")).into_inner();
    /// assert_eq!(name, "x");
    /// assert!(pool.try_alloc(String::new()).is_ok());
    /// ```
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: the box owns its slot and value in a pool it borrows;
        // `this` is never dropped, so neither is used again.
        unsafe { SyncPool::take_slot(this.ptr) }
    }
}

impl<T> Deref for PoolBox<'_, T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the slot holds a live value the box owns.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> DerefMut for PoolBox<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the slot holds a live value the box owns exclusively.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T> Drop for PoolBox<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the box owns its slot and value in a pool it borrows, and
        // is going away.
        unsafe { SyncPool::drop_slot(self.ptr) }
    }
}

impl<T: fmt::Debug> fmt::Debug for PoolBox<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// A value in a [`SyncPool`] slot that keeps the pool alive through an
/// `Arc`, so it can be `'static`; made by
/// [`SyncPool::alloc_owned`]. Dropping it drops the value and frees the
/// slot.
///
/// `OwnedPoolBox<T>` is `Send` when `T` is `Send`, and `Sync` when `T` is
/// `Send` and `Sync`: a shared box hands out its pool
/// ([`pool`](Self::pool)), through which values cross threads.
///
/// ```
/// use std::sync::Arc;
/// use arena_pool::{OwnedPoolBox, SyncPool};
///
/// let pool = Arc::new(SyncPool::bounded(2));
/// let boxed: OwnedPoolBox<u32> = pool.alloc_owned(7);
/// drop(pool); // the box keeps the pool alive
/// assert_eq!(*boxed, 7);
/// assert_eq!(boxed.into_inner(), 7);
/// ```
pub struct OwnedPoolBox<T> {
    /// As in [`PoolBox`].
    ptr: NonNull<T>,
    pool: Arc<SyncPool<T>>,
}

// SAFETY: as for `PoolBox`; the `Arc<SyncPool<T>>` is `Send` for `T: Send`.
unsafe impl<T: Send> Send for OwnedPoolBox<T> {}
// SAFETY: `&OwnedPoolBox` gives `&T` (hence `T: Sync`) and
// `&Arc<SyncPool<T>>`, through which another thread may clone the pool and
// move values in and out of it (hence `T: Send`, which makes the pool
// `Send + Sync`).
unsafe impl<T: Send + Sync> Sync for OwnedPoolBox<T> {}

impl<T> OwnedPoolBox<T> {
    /// # Safety
    ///
    /// As for [`PoolBox::new`].
    #[inline(always)]
    pub(super) unsafe fn new(pool: Arc<SyncPool<T>>, ptr: NonNull<T>) -> Self {
        Self { ptr, pool }
    }

    /// Moves the value out and frees its slot.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::SyncPool;
    ///
    /// let pool = Arc::new(SyncPool::bounded(1));
    /// let boxed = pool.alloc_owned(vec![1]);
    /// assert_eq!(boxed.into_inner(), [1]);
    /// assert!(pool.is_empty());
    /// ```
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: the box owns its slot and value; `this` is never dropped,
        // so neither is used again.
        let value = unsafe { SyncPool::take_slot(this.ptr) };
        // SAFETY: `this.pool` is read once and `this` is forgotten, so the
        // `Arc` is dropped exactly once.
        drop(unsafe { core::ptr::read(&this.pool) });
        value
    }

    /// The pool the value lives in.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::SyncPool;
    ///
    /// let pool = Arc::new(SyncPool::bounded(1));
    /// let boxed = pool.alloc_owned(1);
    /// assert!(Arc::ptr_eq(boxed.pool(), &pool));
    /// ```
    pub fn pool(&self) -> &Arc<SyncPool<T>> {
        &self.pool
    }
}

impl<T> Deref for OwnedPoolBox<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the slot holds a live value the box owns, in a pool the
        // box keeps alive.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> DerefMut for OwnedPoolBox<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and the box owns the value exclusively.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T> Drop for OwnedPoolBox<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the box owns its slot and value and is going away; the
        // `Arc` field is dropped after this, so the pool outlives the call.
        unsafe { SyncPool::drop_slot(self.ptr) }
    }
}

impl<T: fmt::Debug> fmt::Debug for OwnedPoolBox<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
