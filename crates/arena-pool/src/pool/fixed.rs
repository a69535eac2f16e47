//! [`FixedPool`]: a pool on inline storage, with no heap at all.

use core::fmt;
use core::ops::{Index, IndexMut, Range};

use super::shared::{self, PoolBackend, Values, ValuesMut, pool_iterator};
use super::slot::{NO_SLOT, Slot};
use super::{Full, GetDisjointMutError, Handle, MAX_SLOTS, generation};

/// A pool of `N` slots stored inline: the same handles and operations as
/// [`Pool`](crate::Pool), with no heap allocation at all, so it works
/// without `alloc` and in a `static`.
///
/// [`new`](FixedPool::new) is a `const fn`. When all `N` slots hold values,
/// [`try_insert`](FixedPool::try_insert) hands the value back and
/// [`insert`](FixedPool::insert) panics. Iteration scans the slots that
/// were ever used (there is no bitmap).
///
/// The pool is as large as its `N` slots: build large ones in a `static`
/// or a `Box`-free place such as a global, not on a small stack.
///
/// ```
/// use arena_pool::FixedPool;
/// use std::sync::Mutex;
///
/// static SESSIONS: Mutex<FixedPool<u64, 128>> = Mutex::new(FixedPool::new());
///
/// let h = SESSIONS.lock().unwrap().insert(42);
/// assert_eq!(SESSIONS.lock().unwrap()[h], 42);
/// assert_eq!(SESSIONS.lock().unwrap().remove(h), Some(42));
/// ```
pub struct FixedPool<T, const N: usize> {
    /// The slots; see [`Slot`] for the invariant tying a slot's version to
    /// its contents.
    slots: [Slot<T>; N],
    /// The first slot of the free list ([`NO_SLOT`] when empty): it links
    /// exactly the reusable vacant slots below `used`, each once.
    free_head: u32,
    /// Slots from `used` on never held a value and are not on the free list.
    used: u32,
    /// The number of occupied slots.
    len: u32,
    /// The number of retired slots.
    retired: u32,
}

impl<T, const N: usize> FixedPool<T, N> {
    /// An empty pool; usable in a `const` or `static`.
    ///
    /// Fails to compile when `N` exceeds `u32::MAX`.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// const EMPTY: FixedPool<u8, 4> = FixedPool::new();
    /// assert!(EMPTY.is_empty());
    /// assert_eq!(EMPTY.capacity(), 4);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        const { assert!(N <= MAX_SLOTS, "a FixedPool has at most u32::MAX slots") };
        Self {
            slots: [const { Slot::vacant() }; N],
            free_head: NO_SLOT,
            used: 0,
            len: 0,
            retired: 0,
        }
    }

    /// The number of values in the pool.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<char, 2> = FixedPool::new();
    /// pool.insert('x');
    /// assert_eq!(pool.len(), 1);
    /// ```
    #[inline]
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the pool holds no value.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<char, 2> = FixedPool::new();
    /// assert!(pool.is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many values the pool can hold: `N`, less any retired slots.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<char, 2> = FixedPool::new();
    /// assert_eq!(pool.capacity(), 2);
    /// ```
    #[inline]
    #[must_use]
    pub const fn capacity(&self) -> usize {
        N - self.retired as usize
    }

    /// Inserts `value` and returns its handle.
    ///
    /// # Panics
    ///
    /// Panics when every slot holds a value (or is retired).
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<&str, 2> = FixedPool::new();
    /// let h = pool.insert("hello");
    /// assert_eq!(pool[h], "hello");
    /// ```
    #[inline]
    #[track_caller]
    pub fn insert(&mut self, value: T) -> Handle<T> {
        shared::expect_inserted(self.try_insert(value))
    }

    /// Inserts `value` and returns its handle, or hands `value` back when
    /// the pool is full.
    ///
    /// # Errors
    ///
    /// [`Full`] (holding `value`) when every slot holds a value or is
    /// retired.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u8, 1> = FixedPool::new();
    /// pool.try_insert(1).unwrap();
    /// assert_eq!(pool.try_insert(2).unwrap_err().into_value(), 2);
    /// ```
    #[inline]
    pub fn try_insert(&mut self, value: T) -> Result<Handle<T>, Full<T>> {
        let (index, fresh) = if self.free_head != NO_SLOT {
            (self.free_head, false)
        } else if (self.used as usize) < N {
            (self.used, true)
        } else {
            return Err(self.full(value));
        };
        match self.slots[index as usize].occupy(value) {
            Ok((version, next)) => {
                // A fresh slot is never on the free list and holds the link
                // `NO_SLOT`, which keeps the (empty) free list empty.
                self.free_head = next;
                self.used += u32::from(fresh);
                self.len += 1;
                Ok(Handle::new(index, version))
            }
            Err(value) => Err(self.full(value)),
        }
    }

    /// Inserts the value `make` builds from its own handle. The handle is
    /// fixed before `make` runs; if `make` panics, the pool is left as it
    /// was.
    ///
    /// # Panics
    ///
    /// Panics when the pool is full, before calling `make`.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<usize, 4> = FixedPool::new();
    /// let h = pool.insert_with(|h| h.index() * 10);
    /// assert_eq!(pool[h], 0);
    /// ```
    #[track_caller]
    pub fn insert_with(&mut self, make: impl FnOnce(Handle<T>) -> T) -> Handle<T> {
        shared::expect_inserted(self.try_insert_with(make))
    }

    /// Like [`insert_with`](FixedPool::insert_with), but hands `make` back,
    /// uncalled, when the pool is full.
    ///
    /// # Errors
    ///
    /// [`Full`] (holding `make`) when the pool has no free slot.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<usize, 0> = FixedPool::new();
    /// assert!(pool.try_insert_with(|h| h.index()).is_err());
    /// ```
    pub fn try_insert_with<F: FnOnce(Handle<T>) -> T>(
        &mut self,
        make: F,
    ) -> Result<Handle<T>, Full<F>> {
        shared::try_insert_with(self, make)
    }

    /// The value `handle` reaches, or `None` when it was removed.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 2> = FixedPool::new();
    /// let h = pool.insert(5);
    /// assert_eq!(pool.get(h), Some(&5));
    /// pool.remove(h);
    /// assert_eq!(pool.get(h), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, handle: Handle<T>) -> Option<&T> {
        shared::get(&self.slots, handle)
    }

    /// The value `handle` reaches, mutably, or `None` when it was removed.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 2> = FixedPool::new();
    /// let h = pool.insert(5);
    /// *pool.get_mut(h).unwrap() += 1;
    /// assert_eq!(pool[h], 6);
    /// ```
    #[inline]
    #[must_use]
    pub fn get_mut(&mut self, handle: Handle<T>) -> Option<&mut T> {
        shared::get_mut(&mut self.slots, handle)
    }

    /// Whether `handle` reaches a value.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<(), 2> = FixedPool::new();
    /// let h = pool.insert(());
    /// assert!(pool.contains(h));
    /// ```
    #[inline]
    #[must_use]
    pub fn contains(&self, handle: Handle<T>) -> bool {
        self.get(handle).is_some()
    }

    /// Removes and returns the value `handle` reaches; `None` when it was
    /// already removed.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<&str, 2> = FixedPool::new();
    /// let h = pool.insert("v");
    /// assert_eq!(pool.remove(h), Some("v"));
    /// assert_eq!(pool.remove(h), None);
    /// ```
    #[inline]
    pub fn remove(&mut self, handle: Handle<T>) -> Option<T> {
        let slot = self.slots.get(handle.index())?;
        if slot.version() != handle.generation() {
            return None;
        }
        let (_, value) = self.take(handle.index())?;
        Some(value)
    }

    /// Removes every value, dropping them. If a `Drop` panics, the values
    /// not yet dropped stay in the pool, which remains usable.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<String, 2> = FixedPool::new();
    /// let h = pool.insert(String::from("a"));
    /// pool.clear();
    /// assert!(pool.is_empty());
    /// assert_eq!(pool.get(h), None);
    /// ```
    pub fn clear(&mut self) {
        for index in (0..self.used as usize).rev() {
            drop(self.take(index));
        }
    }

    /// Keeps only the values for which `keep` returns `true`, dropping the
    /// others. If `keep` or a `Drop` panics, the pool remains usable.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 8> = (1..=6).collect();
    /// pool.retain(|_, v| *v % 2 == 0);
    /// assert_eq!(pool.len(), 3);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(Handle<T>, &mut T) -> bool) {
        for index in 0..self.used as usize {
            shared::retain_slot(self, index, &mut keep);
        }
    }

    /// Removes every value, yielding each with its handle; values not
    /// yielded are dropped with the iterator.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<char, 4> = FixedPool::new();
    /// let h = pool.insert('a');
    /// assert_eq!(pool.drain().collect::<Vec<_>>(), [(h, 'a')]);
    /// assert!(pool.is_empty());
    /// ```
    pub fn drain(&mut self) -> FixedDrain<'_, T, N> {
        FixedDrain {
            pool: self,
            cursor: 0,
        }
    }

    /// An iterator over the handles and values, in slot order.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<i32, 4> = (1..=2).collect();
    /// assert_eq!(pool.iter().map(|(_, v)| *v).collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn iter(&self) -> FixedIter<'_, T> {
        FixedIter(Values::new(&self.slots, self.used_range(), self.len()))
    }

    /// An iterator over the handles and mutable values, in slot order.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 4> = (1..=2).collect();
    /// pool.iter_mut().for_each(|(_, v)| *v = -*v);
    /// assert_eq!(pool.iter().map(|(_, v)| *v).sum::<i32>(), -3);
    /// ```
    pub fn iter_mut(&mut self) -> FixedIterMut<'_, T> {
        let (used, len) = (self.used_range(), self.len());
        FixedIterMut(ValuesMut::new(&mut self.slots, used, len))
    }

    /// The indices of the slots that were ever used: iteration visits
    /// these, as there is no bitmap.
    #[inline]
    fn used_range(&self) -> Range<usize> {
        0..self.used as usize
    }

    /// Mutable references to the values of `N2` handles at once.
    ///
    /// # Errors
    ///
    /// [`GetDisjointMutError::Stale`] when a handle reaches no value,
    /// [`GetDisjointMutError::Overlapping`] when two handles are equal.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 4> = FixedPool::new();
    /// let a = pool.insert(1);
    /// let b = pool.insert(2);
    /// let [x, y] = pool.get_disjoint_mut([a, b]).unwrap();
    /// std::mem::swap(x, y);
    /// assert_eq!((pool[a], pool[b]), (2, 1));
    /// ```
    pub fn get_disjoint_mut<const N2: usize>(
        &mut self,
        handles: [Handle<T>; N2],
    ) -> Result<[&mut T; N2], GetDisjointMutError> {
        shared::get_disjoint_mut(&mut self.slots, handles)
    }

    /// The slots that were ever used.
    #[cfg(feature = "serde")]
    pub(super) fn used_slots(&self) -> &[Slot<T>] {
        &self.slots[..self.used as usize]
    }

    /// Rebuilds a pool from its slots, as deserialisation reads them.
    #[cfg(feature = "serde")]
    pub(super) fn from_slots(slots: alloc::vec::Vec<Slot<T>>) -> Result<Self, &'static str> {
        if slots.len() > N {
            return Err("more slots than the FixedPool has");
        }
        let mut pool = Self::new();
        pool.used = slots.len() as u32;
        for (place, slot) in pool.slots.iter_mut().zip(slots) {
            *place = slot;
        }
        let found = shared::link_free_slots(&mut pool.slots[..pool.used as usize], |_| {});
        pool.free_head = found.head;
        pool.len = found.occupied;
        pool.retired = found.retired;
        Ok(pool)
    }

    /// Raises the generation of every reusable vacant slot to `target` (the
    /// largest vacant generation below it, capped below retirement), so
    /// tests can reach slot retirement quickly.
    #[doc(hidden)]
    pub fn age_vacant_slots(&mut self, target: u32) {
        for slot in &mut self.slots {
            slot.age(target);
        }
    }
}

impl<T, const N: usize> PoolBackend for FixedPool<T, N> {
    type Value = T;

    #[inline]
    fn slots_mut(&mut self) -> &mut [Slot<T>] {
        &mut self.slots
    }

    /// `from` itself while below `used`: slots from `used` on never held a
    /// value.
    #[inline]
    fn next_candidate(&self, from: usize) -> Option<usize> {
        (from < self.used as usize).then_some(from)
    }

    #[inline]
    fn take(&mut self, index: usize) -> Option<(Handle<T>, T)> {
        let slot = &mut self.slots[index];
        let version = slot.version();
        let value = slot.vacate(self.free_head)?;
        if generation::is_reusable(slot.version()) {
            self.free_head = index as u32;
        } else {
            self.retired += 1;
        }
        self.len -= 1;
        Some((Handle::new(index as u32, version), value))
    }

    fn next_handle(&self) -> Option<Handle<T>> {
        let index = if self.free_head != NO_SLOT {
            self.free_head
        } else if (self.used as usize) < N {
            self.used
        } else {
            return None;
        };
        let version = generation::occupy(self.slots[index as usize].version())?;
        Some(Handle::new(index, version))
    }

    #[inline]
    fn try_insert(&mut self, value: T) -> Result<Handle<T>, Full<T>> {
        // The inherent method: inherent methods come before trait methods.
        Self::try_insert(self, value)
    }

    #[cold]
    fn full<V>(&self, value: V) -> Full<V> {
        Full::new(value, N)
    }
}

impl<T, const N: usize> Default for FixedPool<T, N> {
    /// An empty pool.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<u8, 3> = FixedPool::default();
    /// assert!(pool.is_empty());
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Index<Handle<T>> for FixedPool<T, N> {
    type Output = T;

    /// The value `handle` reaches.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when it reaches no value.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u8, 1> = FixedPool::new();
    /// let h = pool.insert(1);
    /// assert_eq!(pool[h], 1);
    /// ```
    #[inline]
    #[track_caller]
    fn index(&self, handle: Handle<T>) -> &T {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T, const N: usize> IndexMut<Handle<T>> for FixedPool<T, N> {
    /// The value `handle` reaches, mutably.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when it reaches no value.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u8, 1> = FixedPool::new();
    /// let h = pool.insert(1);
    /// pool[h] += 1;
    /// assert_eq!(pool[h], 2);
    /// ```
    #[inline]
    #[track_caller]
    fn index_mut(&mut self, handle: Handle<T>) -> &mut T {
        shared::expect_value(self.get_mut(handle), handle)
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for FixedPool<T, N> {
    /// The values as a map from handle to value.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u8, 2> = FixedPool::new();
    /// pool.insert(9);
    /// assert_eq!(format!("{pool:?}"), "{Handle(0v1): 9}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Clone, const N: usize> Clone for FixedPool<T, N> {
    /// A copy with the same handles.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<String, 2> = FixedPool::new();
    /// let h = pool.insert(String::from("a"));
    /// assert_eq!(pool.clone()[h], "a");
    /// ```
    fn clone(&self) -> Self {
        Self {
            slots: self.slots.clone(),
            ..*self
        }
    }
}

impl<T, const N: usize> FromIterator<T> for FixedPool<T, N> {
    /// A pool of the values, in order.
    ///
    /// # Panics
    ///
    /// Panics when there are more than `N` values.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<char, 4> = "abc".chars().collect();
    /// assert_eq!(pool.len(), 3);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut pool = Self::new();
        pool.extend(iter);
        pool
    }
}

impl<T, const N: usize> Extend<T> for FixedPool<T, N> {
    /// Inserts every value, dropping their handles.
    ///
    /// # Panics
    ///
    /// Panics when the pool fills up.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 4> = FixedPool::new();
    /// pool.extend([1, 2]);
    /// assert_eq!(pool.len(), 2);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for value in iter {
            self.insert(value);
        }
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a FixedPool<T, N> {
    type Item = (Handle<T>, &'a T);
    type IntoIter = FixedIter<'a, T>;

    fn into_iter(self) -> FixedIter<'a, T> {
        self.iter()
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a mut FixedPool<T, N> {
    type Item = (Handle<T>, &'a mut T);
    type IntoIter = FixedIterMut<'a, T>;

    fn into_iter(self) -> FixedIterMut<'a, T> {
        self.iter_mut()
    }
}

impl<T, const N: usize> IntoIterator for FixedPool<T, N> {
    type Item = (Handle<T>, T);
    type IntoIter = FixedIntoIter<T, N>;

    /// Moves the values out with their handles.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<u8, 4> = (1..=2).collect();
    /// assert_eq!(pool.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), [1, 2]);
    /// ```
    fn into_iter(self) -> FixedIntoIter<T, N> {
        FixedIntoIter {
            pool: self,
            cursor: 0,
        }
    }
}

/// An iterator over a [`FixedPool`]'s handles and values, made by
/// [`FixedPool::iter`].
///
/// ```
/// use arena_pool::FixedPool;
///
/// let pool: FixedPool<u8, 4> = (1..=3).collect();
/// assert_eq!(pool.iter().len(), 3);
/// ```
pub struct FixedIter<'a, T>(Values<'a, T, Range<usize>>);

pool_iterator!(impl['a, T] FixedIter<'a, T>: wraps, yields (Handle<T>, &'a T));

impl<T> Clone for FixedIter<'_, T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

/// An iterator over a [`FixedPool`]'s handles and mutable values, made by
/// [`FixedPool::iter_mut`].
///
/// ```
/// use arena_pool::FixedPool;
///
/// let mut pool: FixedPool<u8, 4> = (1..=3).collect();
/// pool.iter_mut().for_each(|(_, v)| *v += 1);
/// assert_eq!(pool.iter().map(|(_, v)| *v).sum::<u8>(), 9);
/// ```
pub struct FixedIterMut<'a, T>(ValuesMut<'a, T, Range<usize>>);

pool_iterator!(impl['a, T] FixedIterMut<'a, T>: wraps, yields (Handle<T>, &'a mut T));

/// An iterator removing every value of a [`FixedPool`], made by
/// [`FixedPool::drain`]; dropping it drops the values it did not yield.
///
/// ```
/// use arena_pool::FixedPool;
///
/// let mut pool: FixedPool<u8, 4> = (1..=3).collect();
/// assert_eq!(pool.drain().len(), 3);
/// assert!(pool.is_empty());
/// ```
pub struct FixedDrain<'a, T, const N: usize> {
    pool: &'a mut FixedPool<T, N>,
    cursor: usize,
}

pool_iterator!(impl['a, T, const N: usize] FixedDrain<'a, T, N>: takes, yields (Handle<T>, T));

impl<T, const N: usize> Drop for FixedDrain<'_, T, N> {
    fn drop(&mut self) {
        // Each value leaves the pool before it is dropped, so a panicking
        // `Drop` leaves the pool consistent.
        for item in self.by_ref() {
            drop(item);
        }
    }
}

/// An iterator moving the values out of a [`FixedPool`], made by its
/// [`IntoIterator`] implementation.
///
/// ```
/// use arena_pool::FixedPool;
///
/// let pool: FixedPool<u8, 4> = (1..=3).collect();
/// assert_eq!(pool.into_iter().len(), 3);
/// ```
pub struct FixedIntoIter<T, const N: usize> {
    pool: FixedPool<T, N>,
    cursor: usize,
}

pool_iterator!(impl[T, const N: usize] FixedIntoIter<T, N>: takes, yields (Handle<T>, T));
