//! The synchronization primitives of the thread-shared pools, switched
//! between the standard library and `loom`'s model-checked doubles under
//! `cfg(loom)`.
//!
//! Everything the concurrent code touches goes through this module, so a
//! `RUSTFLAGS="--cfg loom"` build checks the same code that ships. The
//! atomics and [`RawCell`] need no `std` (`StaticPool` uses them); the rest
//! does.

#[cfg(all(feature = "std", not(loom)))]
pub(crate) use core::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64};
#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicUsize, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{
    AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering, fence,
};

#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(all(feature = "std", not(loom)))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(loom)]
pub(crate) use loom::thread::yield_now;
#[cfg(loom)]
pub(crate) use loom::thread_local;
#[cfg(all(feature = "std", not(loom)))]
pub(crate) use std::thread::yield_now;

#[cfg(all(feature = "std", not(loom)))]
pub(crate) use std::thread_local;

/// A cell whose contents are reached through raw pointers; under loom every
/// access is recorded, so unsynchronized uses are reported.
///
/// Without loom it is a transparent `UnsafeCell`: it has the layout of `T`.
#[derive(Debug)]
#[cfg_attr(not(loom), repr(transparent))]
pub(crate) struct RawCell<T> {
    #[cfg(not(loom))]
    inner: core::cell::UnsafeCell<T>,
    #[cfg(loom)]
    inner: loom::cell::UnsafeCell<T>,
}

impl<T> RawCell<T> {
    /// A cell holding `value`.
    #[cfg(not(loom))]
    pub(crate) const fn new(value: T) -> Self {
        Self {
            inner: core::cell::UnsafeCell::new(value),
        }
    }

    /// A cell holding `value`.
    #[cfg(loom)]
    pub(crate) fn new(value: T) -> Self {
        Self {
            inner: loom::cell::UnsafeCell::new(value),
        }
    }

    /// A pointer to the contents; reading or writing through it is up to
    /// the caller's synchronization.
    #[cfg(not(loom))]
    #[inline(always)]
    pub(crate) const fn get(&self) -> *mut T {
        self.inner.get()
    }

    /// A pointer to the contents. Reading or writing through it is up to the
    /// caller's synchronization; under loom the access is recorded as one
    /// that lasts as long as the pointer is used.
    #[cfg(loom)]
    #[inline(always)]
    pub(crate) fn get(&self) -> *mut T {
        self.inner.with_mut(|ptr| ptr)
    }

    /// A pointer for reading the contents; under loom the access is
    /// recorded as a read, so readers on several threads at once are not
    /// reported, while a write racing with any of them is.
    #[cfg(feature = "std")]
    #[inline(always)]
    pub(crate) fn get_shared(&self) -> *const T {
        #[cfg(loom)]
        return self.inner.with(|ptr| ptr);
        #[cfg(not(loom))]
        return self.inner.get();
    }
}

/// Locks `mutex`, ignoring poisoning: the data it guards is updated without
/// panicking, so a poisoned lock still holds consistent data.
#[cfg(feature = "std")]
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Aligns its contents to a cache line, so that two of them never share one.
#[cfg(feature = "std")]
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct CachePadded<T>(pub(crate) T);

#[cfg(feature = "std")]
impl<T> core::ops::Deref for CachePadded<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}
