//! [`SyncPool`]: a fixed-capacity object pool shared by many threads.
//!
//! The free slots form a tagged Treiber stack (see `free_list.rs`) in front
//! of which every thread keeps a small cache (`cache.rs`, `index.rs`): a
//! thread that frees and reallocates works on its own cache with plain loads
//! and stores. `DESIGN.md` explains the choices.

mod boxed;
mod cache;
mod free_list;
mod index;

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;
use core::mem::MaybeUninit;
use core::ptr::NonNull;

pub use boxed::{OwnedPoolBox, PoolBox};
pub(crate) use index::{IndexSet, Tokens};

use crate::sync::RawCell;

/// One value's place in a pool; without loom it has the layout of `T`.
#[repr(transparent)]
pub(crate) struct Slot<T>(RawCell<MaybeUninit<T>>);

impl<T> Slot<T> {
    pub(crate) fn empty() -> Self {
        Self(RawCell::new(MaybeUninit::uninit()))
    }

    /// A pointer to the value's place.
    #[inline(always)]
    pub(crate) fn ptr(&self) -> NonNull<T> {
        let ptr = self.0.get().cast::<T>();
        // SAFETY: a pointer into a live allocation (the cell's) is not null.
        unsafe { NonNull::new_unchecked(ptr) }
    }
}

/// The slots of a pool, named by tokens: the token of a slot is its value's
/// address, so a thread that takes a token from its cache has the value's
/// address without computing it, and a box finds its token in its pointer.
/// Zero-sized values all live at every address; the token of their slot `i`
/// is `(i + 1) * align`, a non-null aligned address that a pointer without
/// provenance may hold.
pub(crate) struct Slots<T> {
    slots: Box<[Slot<T>]>,
    tokens: Tokens,
}

impl<T> Slots<T> {
    /// Boxed slots for `capacity` values.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds the largest supported count, `u32::MAX - 1`.
    pub(crate) fn new(capacity: usize) -> Self {
        assert!(
            capacity <= free_list::MAX_SLOTS,
            "pool capacity {capacity} exceeds the maximum of {}",
            free_list::MAX_SLOTS
        );
        let slots: Box<[Slot<T>]> = (0..capacity).map(|_| Slot::empty()).collect();
        let tokens = if size_of::<T>() == 0 {
            let align = align_of::<T>();
            assert!(
                capacity
                    .checked_add(1)
                    .and_then(|n| n.checked_mul(align))
                    .is_some(),
                "pool capacity {capacity} exceeds the maximum for this type"
            );
            Tokens {
                base: align,
                stride: align,
            }
        } else {
            // The addresses of the values: `base + capacity * stride` is at
            // most the end of the allocation, so it does not overflow. (Under
            // loom a value sits at the same offset in every slot.)
            Tokens {
                base: slots
                    .first()
                    .map_or(slots.as_ptr().addr(), |s| s.ptr().as_ptr().addr()),
                stride: size_of::<Slot<T>>(),
            }
        };
        Self { slots, tokens }
    }

    /// How tokens map to indices.
    pub(crate) fn tokens(&self) -> Tokens {
        self.tokens
    }

    /// The number of slots.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The value pointer of the slot named by `token`, which must be a token
    /// of this set of slots (as the index sets built with
    /// [`tokens`](Self::tokens) hand out).
    #[inline(always)]
    pub(crate) fn ptr(&self, token: usize) -> NonNull<T> {
        if size_of::<T>() == 0 {
            // SAFETY: tokens of zero-sized values are at least their
            // alignment, hence not null.
            return unsafe { NonNull::new_unchecked(core::ptr::without_provenance_mut(token)) };
        }
        if cfg!(loom) {
            // Through the cell, so that loom sees the access.
            return self.slots[self.tokens.index(token) as usize].ptr();
        }
        debug_assert_eq!((token - self.tokens.base) % self.tokens.stride, 0);
        debug_assert!(self.tokens.index(token) < self.slots.len() as u32);
        // `Slot<T>` has the layout of `T` outside loom; the pointer keeps the
        // provenance of the whole slice and takes the token as its address.
        let ptr = self.slots.as_ptr().cast::<T>().cast_mut().with_addr(token);
        // SAFETY: a token of these slots is the address of one of them, in a
        // live allocation, hence not null.
        unsafe { NonNull::new_unchecked(ptr) }
    }
}

/// A fixed-capacity pool of `T` values shared by any number of threads.
///
/// [`SyncPool::new`] allocates every slot up front. [`alloc`](Self::alloc)
/// moves a value into a free slot and returns a [`PoolBox`], which derefs to
/// the value and frees the slot when dropped; both are O(1) and lock-free.
/// [`alloc_owned`](Self::alloc_owned) on an `Arc<SyncPool<T>>` returns an
/// [`OwnedPoolBox`] that keeps the pool alive and can be sent anywhere.
///
/// Each thread keeps up to 32 free slots (never more than an eighth of the
/// capacity) in a cache of its own, so a thread that frees and allocates
/// again does not touch memory other threads write. A thread that finds the
/// pool empty asks the others to give their cached slots back and takes
/// those of threads that have exited; see [`alloc`](Self::alloc) for what
/// that means for failures.
///
/// `SyncPool<T>` is `Send` and `Sync` when `T` is `Send`.
///
/// ```
/// use arena_pool::SyncPool;
///
/// let pool = SyncPool::new(2);
/// std::thread::scope(|s| {
///     for i in 0..2 {
///         let pool = &pool;
///         s.spawn(move || {
///             let mut value = pool.alloc(vec![i]).unwrap();
///             value.push(10);
///             assert_eq!(*value, [i, 10]);
///         });
///     }
/// });
/// assert_eq!(pool.len(), 0);
/// ```
pub struct SyncPool<T> {
    slots: Slots<T>,
    free: IndexSet,
}

// SAFETY: the pool owns values of type `T` only in slots that boxes own; a
// pool moved to another thread takes no value with it that a box does not
// own. Its other parts are atomics.
unsafe impl<T: Send> Send for SyncPool<T> {}
// SAFETY: `&SyncPool` lets a thread move a value in (`alloc`) and out (box
// drop or `into_inner`) of a slot it alone owns (the free-slot set hands
// each index to one owner at a time, with acquire/release ordering between
// owners), so values cross threads: that needs `T: Send` and nothing more,
// since no `&T` is ever shared through the pool.
unsafe impl<T: Send> Sync for SyncPool<T> {}

impl<T> SyncPool<T> {
    /// A pool with `capacity` slots, all allocated now.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds `u32::MAX - 1`, or the memory cannot be
    /// allocated.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool: SyncPool<String> = SyncPool::new(100);
    /// assert_eq!(pool.capacity(), 100);
    /// assert!(pool.is_empty());
    /// ```
    pub fn new(capacity: usize) -> Self {
        let slots = Slots::new(capacity);
        Self {
            free: IndexSet::new(capacity, true, slots.tokens()),
            slots,
        }
    }

    /// Moves `value` into a free slot.
    ///
    /// # Errors
    ///
    /// Gives `value` back when no free slot is available. That is exactly
    /// when every slot is live, except for slots another thread freed into
    /// its cache (at most 32 per thread, at most an eighth of the capacity,
    /// none in pools of fewer than 8 slots) and keeps there: a thread that
    /// finds the pool empty takes back the caches of exited threads, asks
    /// running ones to give theirs back at their next free into this pool,
    /// and yields a little while (up to 64 times) for that. So the call can
    /// fail with free slots only while they sit in the caches of live threads
    /// that free nothing into this pool meanwhile. When no cache holds a
    /// slot, it fails at once.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::new(1);
    /// let first = pool.alloc("first").unwrap();
    /// assert_eq!(pool.alloc("second").unwrap_err(), "second");
    /// drop(first);
    /// assert_eq!(*pool.alloc("third").unwrap(), "third");
    /// ```
    #[inline]
    pub fn alloc(&self, value: T) -> Result<PoolBox<'_, T>, T> {
        match self.place(value) {
            // SAFETY: `place` returned a slot this caller now owns, holding
            // a value.
            Ok(ptr) => Ok(unsafe { PoolBox::new(self, ptr) }),
            Err(value) => Err(value),
        }
    }

    /// Moves `value` into a free slot and returns a box that keeps the pool
    /// alive, so it can be `'static` and sent to other threads.
    ///
    /// # Errors
    ///
    /// Gives `value` back when no free slot is available, as
    /// [`alloc`](Self::alloc) does.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::SyncPool;
    ///
    /// let pool = Arc::new(SyncPool::new(4));
    /// let boxed = pool.alloc_owned(String::from("hello")).unwrap();
    /// let handle = std::thread::spawn(move || boxed.len());
    /// assert_eq!(handle.join().unwrap(), 5);
    /// assert_eq!(pool.len(), 0);
    /// ```
    #[inline]
    pub fn alloc_owned(self: &Arc<Self>, value: T) -> Result<OwnedPoolBox<T>, T> {
        match self.place(value) {
            // SAFETY: as in `alloc`.
            Ok(ptr) => Ok(unsafe { OwnedPoolBox::new(Arc::clone(self), ptr) }),
            Err(value) => Err(value),
        }
    }

    /// Takes a free slot and writes `value` into it; returns the value's
    /// pointer.
    #[inline(always)]
    fn place(&self, value: T) -> Result<NonNull<T>, T> {
        let Some(token) = self.free.pop(true) else {
            return Err(value);
        };
        let ptr = self.slots.ptr(token);
        // SAFETY: the index came out of the free set, so no one else uses
        // the slot until it is pushed back; the slot is empty and the
        // pointer valid for a write of `T`.
        unsafe { ptr.as_ptr().write(value) };
        Ok(ptr)
    }

    /// The token of the slot whose value is at `ptr` (a pointer `place`
    /// returned): its address.
    #[inline(always)]
    fn token(ptr: NonNull<T>) -> usize {
        ptr.as_ptr().addr()
    }

    /// Drops the value at `ptr` and frees its slot, even if the drop panics.
    ///
    /// # Safety
    ///
    /// The caller owns the slot of `ptr` (it came from `place` and was not
    /// freed since), the slot holds a value, and neither is used again.
    #[inline(always)]
    unsafe fn drop_slot(&self, ptr: NonNull<T>) {
        let token = Self::token(ptr);
        if !core::mem::needs_drop::<T>() {
            self.free.push(token);
            return;
        }
        struct Free<'a>(&'a IndexSet, usize);
        impl Drop for Free<'_> {
            #[inline(always)]
            fn drop(&mut self) {
                self.0.push(self.1);
            }
        }
        let _free = Free(&self.free, token);
        let ptr = self.checked_ptr(ptr);
        // SAFETY: by the caller's contract the slot holds a value this
        // caller alone owns; it is not used after being dropped here.
        unsafe { ptr.as_ptr().drop_in_place() };
    }

    /// Moves the value at `ptr` out and frees its slot.
    ///
    /// # Safety
    ///
    /// As for [`drop_slot`](Self::drop_slot).
    #[inline]
    unsafe fn take_slot(&self, ptr: NonNull<T>) -> T {
        let token = Self::token(ptr);
        let ptr = self.checked_ptr(ptr);
        // SAFETY: the slot holds a value the caller alone owns; it is read
        // once and the slot freed right after.
        let value = unsafe { ptr.as_ptr().read() };
        self.free.push(token);
        value
    }

    /// `ptr` itself; under loom, the same pointer taken again through the
    /// slot's cell, so that the model sees the access.
    #[inline(always)]
    fn checked_ptr(&self, ptr: NonNull<T>) -> NonNull<T> {
        if cfg!(loom) {
            self.slots.ptr(Self::token(ptr))
        } else {
            ptr
        }
    }

    /// How many values are live (boxes not yet dropped). Exact when no other
    /// thread is using the pool at the same time.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::new(3);
    /// let a = pool.alloc(1).unwrap();
    /// let _b = pool.alloc(2).unwrap();
    /// assert_eq!(pool.len(), 2);
    /// drop(a);
    /// assert_eq!(pool.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.capacity() - self.free.len()
    }

    /// Whether no value is live.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::new(1);
    /// assert!(pool.is_empty());
    /// let _a = pool.alloc(1).unwrap();
    /// assert!(!pool.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of slots.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// assert_eq!(SyncPool::<u8>::new(8).capacity(), 8);
    /// ```
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }
}

impl<T> fmt::Debug for SyncPool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncPool")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    #[test]
    fn zero_capacity_gives_values_back() {
        let pool = SyncPool::new(0);
        assert_eq!(pool.alloc(String::from("x")).unwrap_err(), "x");
        assert_eq!(pool.len(), 0);
    }

    #[test]
    #[should_panic(expected = "exceeds the maximum")]
    fn huge_capacity_panics() {
        let _ = SyncPool::<()>::new(usize::MAX);
    }

    #[test]
    fn zst_and_over_aligned() {
        #[derive(Debug)]
        #[repr(align(256))]
        struct Big(u8);
        let pool = SyncPool::new(3);
        let boxes: Vec<_> = (0..3).map(|i| pool.alloc(Big(i)).unwrap()).collect();
        for (i, b) in boxes.iter().enumerate() {
            assert_eq!(b.0 as usize, i);
            assert_eq!((&**b as *const Big).addr() % 256, 0);
        }
        let units = SyncPool::new(2);
        let a = units.alloc(()).unwrap();
        let _b = units.alloc(()).unwrap();
        assert!(units.alloc(()).is_err());
        drop(a);
        assert!(units.alloc(()).is_ok());
    }

    #[test]
    fn cache_limit_is_bounded() {
        assert_eq!(index::cache_limit(0), 0);
        assert_eq!(index::cache_limit(7), 0);
        assert_eq!(index::cache_limit(64), 8);
        assert_eq!(index::cache_limit(1 << 20), 32);
        assert_eq!(index::cache_limit(usize::MAX), 32);
    }
}
