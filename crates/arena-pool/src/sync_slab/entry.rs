//! The guards of a [`SyncSlab`]: [`SlabEntry`] borrows the slab,
//! [`OwnedSlabEntry`] keeps it alive.

use alloc::sync::Arc;
use core::fmt;
use core::ops::Deref;
use core::ptr::NonNull;

use super::SyncSlab;
use super::hazard::Hazard;
use super::key::SlabKey;
use super::pages::Slot;

/// A guard on a value in a [`SyncSlab`], from [`SyncSlab::get`]: it derefs
/// to the value, which stays in the slab until the guard drops, even if it
/// is removed meanwhile (then the last guard drops it).
///
/// `SlabEntry` is `Send` when `T` is `Send + Sync` (the last guard of a
/// removed value drops it on its thread) and `Sync` when `T` is `Sync`.
///
/// ```
/// use arena_pool::SyncSlab;
///
/// let slab = SyncSlab::new();
/// let key = slab.insert([1, 2, 3]).unwrap();
/// let entry = slab.get(key).unwrap();
/// assert_eq!(entry[1], 2);
/// ```
pub struct SlabEntry<'a, T> {
    slab: &'a SyncSlab<T>,
    /// Invariant: a slot of `slab` that this guard keeps: through `hazard`,
    /// a record of `slab` holding the slot's index, or by one count.
    slot: &'a Slot<T>,
    key: SlabKey,
    hazard: Option<&'a Hazard>,
}

// SAFETY: a guard gives `&T` on the thread it is moved to (`T: Sync`), and
// its drop may move the value out and drop it there (`T: Send`).
unsafe impl<T: Send + Sync> Send for SlabEntry<'_, T> {}
// SAFETY: `&SlabEntry` gives only `&T` (and the key).
unsafe impl<T: Sync> Sync for SlabEntry<'_, T> {}

impl<'a, T> SlabEntry<'a, T> {
    /// A guard over `slot`, which the caller keeps through `hazard` or
    /// with one count.
    pub(super) fn new(
        slab: &'a SyncSlab<T>,
        slot: &'a Slot<T>,
        key: SlabKey,
        hazard: Option<&'a Hazard>,
    ) -> Self {
        Self {
            slab,
            slot,
            key,
            hazard,
        }
    }

    /// The key of the value.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(0).unwrap();
    /// assert_eq!(slab.get(key).unwrap().key(), key);
    /// ```
    #[must_use]
    pub fn key(&self) -> SlabKey {
        self.key
    }
}

impl<T> Deref for SlabEntry<'_, T> {
    type Target = T;

    /// The value.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(3).unwrap();
    /// assert_eq!(*slab.get(key).unwrap(), 3);
    /// ```
    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the guard keeps the slot (a hazard record or a count), so
        // its value is initialized and only read until the guard drops
        // (slot invariant).
        unsafe { &*self.slot.value() }
    }
}

impl<T> Drop for SlabEntry<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.slab.release(self.slot, self.key.index(), self.hazard);
    }
}

impl<T: fmt::Debug> fmt::Debug for SlabEntry<'_, T> {
    /// Shows the key and the value.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    ///
    /// let slab = SyncSlab::new();
    /// let key = slab.insert(3).unwrap();
    /// assert_eq!(format!("{:?}", slab.get(key).unwrap()), "SlabEntry { key: SlabKey(0v1), value: 3 }");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SlabEntry")
            .field("key", &self.key)
            .field("value", &**self)
            .finish()
    }
}

/// A guard on a value in a [`SyncSlab`] that keeps the slab alive, from
/// [`SyncSlab::get_owned`]; otherwise as [`SlabEntry`].
///
/// `OwnedSlabEntry` is `Send` when `T` is `Send + Sync` and `Sync` when `T`
/// is `Sync`.
///
/// ```
/// use arena_pool::SyncSlab;
/// use std::sync::Arc;
///
/// let slab = Arc::new(SyncSlab::new());
/// let key = slab.insert("kept").unwrap();
/// let entry = slab.get_owned(key).unwrap();
/// drop(slab);
/// assert_eq!(*entry, "kept");
/// ```
pub struct OwnedSlabEntry<T> {
    slab: Arc<SyncSlab<T>>,
    /// Invariant: a slot of `slab` that this guard keeps: through `hazard`,
    /// a record of `slab` holding the slot's index, or by one count.
    slot: NonNull<Slot<T>>,
    key: SlabKey,
    hazard: Option<NonNull<Hazard>>,
}

// SAFETY: as for `SlabEntry`; the `Arc<SyncSlab<T>>` it carries is `Send`
// for `T: Send + Sync`.
unsafe impl<T: Send + Sync> Send for OwnedSlabEntry<T> {}
// SAFETY: `&OwnedSlabEntry` gives only `&T` (and the key).
unsafe impl<T: Sync> Sync for OwnedSlabEntry<T> {}

impl<T> OwnedSlabEntry<T> {
    /// A guard over `slot` of `slab`, which the caller keeps through
    /// `hazard` or with one count.
    pub(super) fn new(
        slab: Arc<SyncSlab<T>>,
        slot: &Slot<T>,
        key: SlabKey,
        hazard: Option<&Hazard>,
    ) -> Self {
        Self {
            slab,
            slot: NonNull::from(slot),
            key,
            hazard: hazard.map(NonNull::from),
        }
    }

    /// The key of the value.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    /// use std::sync::Arc;
    ///
    /// let slab = Arc::new(SyncSlab::new());
    /// let key = slab.insert(0).unwrap();
    /// assert_eq!(slab.get_owned(key).unwrap().key(), key);
    /// ```
    #[must_use]
    pub fn key(&self) -> SlabKey {
        self.key
    }
}

impl<T> Deref for OwnedSlabEntry<T> {
    type Target = T;

    /// The value.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    /// use std::sync::Arc;
    ///
    /// let slab = Arc::new(SyncSlab::new());
    /// let key = slab.insert(3).unwrap();
    /// assert_eq!(*slab.get_owned(key).unwrap(), 3);
    /// ```
    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the slot belongs to `self.slab`, which this guard keeps
        // alive, and pages never move; the guard keeps the slot (a hazard
        // record or a count), so the value is initialized and only read
        // (slot invariant).
        unsafe { &*self.slot.as_ref().value() }
    }
}

impl<T> Drop for OwnedSlabEntry<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the slot belongs to `self.slab`, alive and unmoved.
        let slot = unsafe { self.slot.as_ref() };
        // SAFETY: a record of `self.slab`'s hazard table, which never moves
        // or frees a record while the slab lives.
        let hazard = self.hazard.map(|record| unsafe { record.as_ref() });
        self.slab.release(slot, self.key.index(), hazard);
    }
}

impl<T: fmt::Debug> fmt::Debug for OwnedSlabEntry<T> {
    /// Shows the key and the value.
    ///
    /// ```
    /// use arena_pool::SyncSlab;
    /// use std::sync::Arc;
    ///
    /// let slab = Arc::new(SyncSlab::new());
    /// let key = slab.insert(3).unwrap();
    /// let entry = slab.get_owned(key).unwrap();
    /// assert_eq!(format!("{entry:?}"), "OwnedSlabEntry { key: SlabKey(0v1), value: 3 }");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedSlabEntry")
            .field("key", &self.key)
            .field("value", &**self)
            .finish()
    }
}
