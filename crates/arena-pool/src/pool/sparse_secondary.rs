//! [`SparseSecondaryPool`]: values attached to a few of another pool's
//! handles (slotmap's `SparseSecondaryMap`).

#![forbid(unsafe_code)]

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Index, IndexMut};

use super::key::{Key, key};
use super::slot_table::{Entry, SlotTable};
use super::{Handle, InsertAtError, shared};

/// Extra values attached to a few handles of a [`Pool`](crate::Pool) or
/// [`FixedPool`](crate::FixedPool): like
/// [`SecondaryPool`](crate::SecondaryPool), but memory follows the values
/// attached, not the largest slot index (slotmap's `SparseSecondaryMap`).
/// The values sit in a hash table keyed by slot index (open addressing,
/// its entries side by side), so iteration is in no particular order, from
/// either end.
///
/// A stale handle never sees the value attached to its slot's later
/// occupant. While a value is attached under some generation, an older
/// handle of the slot cannot attach; once the slot has nothing attached
/// the sparse pool forgets it (unlike `SecondaryPool`, which remembers).
///
/// ```
/// use arena_pool::{Pool, SparseSecondaryPool};
///
/// let mut pool = Pool::new();
/// let handles: Vec<_> = (0..1000).map(|i| pool.insert(i)).collect();
/// let mut marked = SparseSecondaryPool::new();
/// marked.insert(handles[999], "last").unwrap();
/// assert_eq!(marked.len(), 1);
/// assert_eq!(marked[handles[999]], "last");
/// assert_eq!(marked.get(handles[0]), None);
/// ```
pub struct SparseSecondaryPool<T, V, K = Handle<T>> {
    slots: SlotTable<V>,
    _marker: PhantomData<fn() -> (T, K)>,
}

impl<T, V> SparseSecondaryPool<T, V> {
    /// An empty sparse secondary pool; allocates nothing.
    ///
    /// ```
    /// use arena_pool::SparseSecondaryPool;
    ///
    /// let extra: SparseSecondaryPool<String, u8> = SparseSecondaryPool::new();
    /// assert!(extra.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self::with_key()
    }

    /// An empty sparse secondary pool with room for `capacity` values.
    ///
    /// ```
    /// use arena_pool::SparseSecondaryPool;
    ///
    /// let extra: SparseSecondaryPool<u8, u8> = SparseSecondaryPool::with_capacity(10);
    /// assert!(extra.is_empty());
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: SlotTable::with_capacity(capacity),
            _marker: PhantomData,
        }
    }
}

impl<T, V, K: Key> SparseSecondaryPool<T, V, K> {
    /// An empty sparse secondary pool for the handles of a pool keyed by
    /// `K` (see [`Key`]); allocates nothing.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let mut pool: Pool<&str, Id> = Pool::with_key();
    /// let mut extra = SparseSecondaryPool::<&str, u32, Id>::with_key();
    /// let a = pool.insert("a");
    /// extra.insert(a, 1).unwrap();
    /// assert_eq!(extra[a], 1);
    /// ```
    #[must_use]
    pub const fn with_key() -> Self {
        Self {
            slots: SlotTable::new(),
            _marker: PhantomData,
        }
    }

    /// The number of values attached.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// extra.insert(pool.insert(()), 1).unwrap();
    /// assert_eq!(extra.len(), 1);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no value is attached.
    ///
    /// ```
    /// use arena_pool::SparseSecondaryPool;
    ///
    /// assert!(SparseSecondaryPool::<u8, u8>::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slots.len() == 0
    }

    /// Attaches `value` to `handle`: returns the value attached to the same
    /// handle before, if any; a value attached to an older handle of the
    /// slot is dropped.
    ///
    /// # Errors
    ///
    /// [`InsertAtError::Stale`], handing `value` back, when a value is
    /// attached to a newer handle of the same slot;
    /// [`InsertAtError::OutOfBounds`] for slot index `u32::MAX`, which no
    /// pool gives out (only [`Handle::from_bits`] makes one).
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// assert_eq!(extra.insert(h, 1), Ok(None));
    /// assert_eq!(extra.insert(h, 2), Ok(Some(1)));
    /// ```
    #[inline]
    pub fn insert(&mut self, handle: K, value: V) -> Result<Option<V>, InsertAtError<V>> {
        let wanted = handle.generation();
        let index = handle.index() as u32;
        match self.slots.get_mut(index) {
            Some(entry) if entry.version == wanted => {
                Ok(Some(core::mem::replace(&mut entry.value, value)))
            }
            Some(entry) if entry.version > wanted => Err(InsertAtError::Stale { value }),
            Some(entry) => {
                entry.version = wanted;
                // The older handle's value goes; dropped after the update.
                drop(core::mem::replace(&mut entry.value, value));
                Ok(None)
            }
            None if index == u32::MAX => Err(InsertAtError::OutOfBounds {
                value,
                slots: u32::MAX as usize,
            }),
            None => {
                self.slots.push(index, wanted, value);
                Ok(None)
            }
        }
    }

    /// The value attached to `handle`.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 5).unwrap();
    /// assert_eq!(extra.get(h), Some(&5));
    /// ```
    #[must_use]
    #[inline]
    pub fn get(&self, handle: K) -> Option<&V> {
        match self.slots.get(handle.index() as u32)? {
            entry if entry.version == handle.generation() => Some(&entry.value),
            _ => None,
        }
    }

    /// The value attached to `handle`, mutably.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 5).unwrap();
    /// *extra.get_mut(h).unwrap() += 1;
    /// assert_eq!(extra[h], 6);
    /// ```
    #[must_use]
    #[inline]
    pub fn get_mut(&mut self, handle: K) -> Option<&mut V> {
        match self.slots.get_mut(handle.index() as u32)? {
            entry if entry.version == handle.generation() => Some(&mut entry.value),
            _ => None,
        }
    }

    /// Whether a value is attached to `handle`.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// assert!(!extra.contains(h));
    /// extra.insert(h, 'x').unwrap();
    /// assert!(extra.contains(h));
    /// ```
    #[must_use]
    pub fn contains(&self, handle: K) -> bool {
        self.get(handle).is_some()
    }

    /// Detaches and returns the value attached to `handle`.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 'x').unwrap();
    /// assert_eq!(extra.remove(h), Some('x'));
    /// assert!(extra.is_empty());
    /// ```
    pub fn remove(&mut self, handle: K) -> Option<V> {
        let index = handle.index() as u32;
        match self.slots.get(index) {
            Some(entry) if entry.version == handle.generation() => {
                self.slots.remove(index).map(|entry| entry.value)
            }
            _ => None,
        }
    }

    /// Keeps the values for which `keep` returns `true`.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// for i in 0..4 {
    ///     extra.insert(pool.insert(()), i).unwrap();
    /// }
    /// extra.retain(|_, v| *v > 1);
    /// assert_eq!(extra.len(), 2);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(K, &mut V) -> bool) {
        self.slots
            .retain(|entry| keep(handle_of(entry), &mut entry.value));
    }

    /// Detaches every value.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// extra.insert(pool.insert(()), 1).unwrap();
    /// extra.clear();
    /// assert!(extra.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.slots.clear();
    }

    /// The handles and values, in no particular order (the order of
    /// attachment until something is detached), from either end.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let a = pool.insert(());
    /// let b = pool.insert(());
    /// extra.insert(b, 2).unwrap();
    /// extra.insert(a, 1).unwrap();
    /// let mut all: Vec<_> = extra.iter().collect();
    /// all.sort();
    /// assert_eq!(all, [(a, &1), (b, &2)]);
    /// assert_eq!(extra.iter().rev().count(), 2);
    /// ```
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (K, &V)> + ExactSizeIterator + Clone {
        self.slots
            .entries()
            .iter()
            .map(|entry| (handle_of(entry), &entry.value))
    }

    /// The values, in the order of [`iter`](SparseSecondaryPool::iter).
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// extra.insert(pool.insert(()), 4).unwrap();
    /// assert_eq!(extra.values().sum::<i32>(), 4);
    /// ```
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.slots.entries().iter().map(|entry| &entry.value)
    }

    /// The values, mutably, in the order of
    /// [`iter`](SparseSecondaryPool::iter).
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 4).unwrap();
    /// extra.values_mut().for_each(|v| *v *= 2);
    /// assert_eq!(extra[h], 8);
    /// ```
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.slots
            .entries_mut()
            .iter_mut()
            .map(|entry| &mut entry.value)
    }

    /// The handles and values, mutably, in the order of
    /// [`iter`](SparseSecondaryPool::iter).
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// extra.iter_mut().for_each(|(_, v)| *v += 1);
    /// assert_eq!(extra[h], 2);
    /// ```
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (K, &mut V)> + ExactSizeIterator {
        self.slots
            .entries_mut()
            .iter_mut()
            .map(|entry| (handle_of(entry), &mut entry.value))
    }
}

impl<T, V, K: Key> Default for SparseSecondaryPool<T, V, K> {
    /// An empty sparse secondary pool.
    ///
    /// ```
    /// use arena_pool::SparseSecondaryPool;
    ///
    /// assert!(SparseSecondaryPool::<u8, u8>::default().is_empty());
    /// ```
    fn default() -> Self {
        Self::with_key()
    }
}

impl<T, V: Clone, K: Key> Clone for SparseSecondaryPool<T, V, K> {
    /// A copy with the same values under the same handles.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// assert_eq!(extra.clone()[h], 1);
    /// ```
    fn clone(&self) -> Self {
        Self {
            slots: self.slots.clone(),
            _marker: PhantomData,
        }
    }
}

impl<T, V: fmt::Debug, K: Key> fmt::Debug for SparseSecondaryPool<T, V, K> {
    /// The values as a map from handle to value.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// extra.insert(pool.insert(()), 1).unwrap();
    /// assert_eq!(format!("{extra:?}"), "{Handle(0v1): 1}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T, V, K: Key> Index<K> for SparseSecondaryPool<T, V, K> {
    type Output = V;

    /// The value attached to `handle`.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when no value is attached to it.
    ///
    /// ```should_panic
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let extra: SparseSecondaryPool<(), u8> = SparseSecondaryPool::new();
    /// let _ = extra[pool.insert(())];
    /// ```
    #[track_caller]
    fn index(&self, handle: K) -> &V {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T, V, K: Key> IndexMut<K> for SparseSecondaryPool<T, V, K> {
    /// The value attached to `handle`, mutably.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when no value is attached to it.
    ///
    /// ```
    /// use arena_pool::{Pool, SparseSecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SparseSecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// extra[h] += 1;
    /// assert_eq!(extra[h], 2);
    /// ```
    #[track_caller]
    fn index_mut(&mut self, handle: K) -> &mut V {
        shared::expect_value(self.get_mut(handle), handle)
    }
}

/// The handle an entry is attached to, as a `K`.
#[inline(always)]
fn handle_of<K: Key, V>(entry: &Entry<V>) -> K {
    key(Handle::<()>::new(entry.index, entry.version))
}
