//! [`DensePool`]: a pool whose values sit side by side in one `Vec`
//! (slotmap's `DenseSlotMap`).
//!
//! The handles come from a pool core whose values are positions in that
//! `Vec`: the core keeps the free list, the generations and the retirement
//! rule, exactly as for [`Pool`](crate::Pool). Removing a value moves the
//! last one into its place, and the moved value's slot in the core is told
//! its new position through the handle kept beside each value.

#![forbid(unsafe_code)]

use alloc::vec::{self, Vec};
use core::fmt;
use core::iter::{FusedIterator, Zip};
use core::marker::PhantomData;
use core::ops::{Index, IndexMut};
use core::slice;

use super::key::{Key, handle, key};
use super::pool_core::Core;
use super::shared;
use super::storage::{HeapSlots, Storage};
use super::{Full, GetDisjointMutError, Handle};

/// A pool whose values are contiguous in memory: the fastest iteration,
/// and the values as one slice ([`as_slice`](DensePool::as_slice)) for bulk
/// work or upload, with handles as stable as [`Pool`](crate::Pool)'s.
///
/// Slotmap's `DenseSlotMap`. Every handle goes through a slot (index and
/// generation, as in `Pool`) that records where its value is now; removal
/// moves the last value into the hole, so the values' order changes, but
/// no handle does. A removed value's handle never finds anything again, and
/// a slot whose generation would wrap is retired, as in `Pool`.
///
/// Lookups cost one more indirection than `Pool`'s, and each value carries
/// its 8-byte handle beside it plus an 8-byte slot: use `Pool` unless
/// iteration dominates.
///
/// ```
/// use arena_pool::DensePool;
///
/// let mut particles = DensePool::new();
/// let a = particles.insert(1.0f32);
/// let b = particles.insert(2.0);
/// let c = particles.insert(3.0);
/// particles.remove(a);
/// assert_eq!(particles.as_slice(), [3.0, 2.0]); // `c` moved into the hole
/// assert_eq!(particles[c], 3.0);
/// assert_eq!(particles.get(a), None);
/// for v in particles.values_mut() {
///     *v *= 10.0;
/// }
/// assert_eq!(particles[b], 20.0);
/// ```
pub struct DensePool<T, K = Handle<T>> {
    /// For each slot, the position of its value in `values`.
    places: Core<HeapSlots<u32>>,
    /// The handle of the value at each position: the way back to its slot.
    handles: Vec<Handle<u32>>,
    /// The values, in no particular order.
    values: Vec<T>,
    key: PhantomData<fn() -> K>,
}

impl<T> DensePool<T> {
    /// An empty dense pool; allocates nothing until the first insertion.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<String> = DensePool::new();
    /// assert!(pool.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self::with_key()
    }

    /// An empty dense pool with room for `capacity` values before it
    /// allocates.
    ///
    /// # Panics
    ///
    /// Panics when the storage for `capacity` values would exceed
    /// `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<u64> = DensePool::with_capacity(10);
    /// assert!(pool.capacity() >= 10);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_and_key(capacity)
    }
}

impl<T, K: Key> DensePool<T, K> {
    /// An empty dense pool whose handles are `K`s (see [`Key`]).
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let mut pool = DensePool::<u8, Id>::with_key();
    /// let id: Id = pool.insert(1);
    /// assert_eq!(pool[id], 1);
    /// ```
    #[must_use]
    pub const fn with_key() -> Self {
        Self {
            places: Core::new(HeapSlots::growing()),
            handles: Vec::new(),
            values: Vec::new(),
            key: PhantomData,
        }
    }

    /// An empty dense pool whose handles are `K`s, with room for
    /// `capacity` values.
    ///
    /// # Panics
    ///
    /// Panics when the storage for `capacity` values would exceed
    /// `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let pool = DensePool::<u8, Id>::with_capacity_and_key(3);
    /// assert!(pool.capacity() >= 3);
    /// ```
    #[must_use]
    pub fn with_capacity_and_key(capacity: usize) -> Self {
        Self {
            places: Core::new(HeapSlots::with_capacity(capacity)),
            handles: Vec::with_capacity(capacity),
            values: Vec::with_capacity(capacity),
            key: PhantomData,
        }
    }

    /// The number of values.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// pool.insert('a');
    /// assert_eq!(pool.len(), 1);
    /// ```
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the pool holds no value.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// assert!(pool.is_empty());
    /// pool.insert(());
    /// assert!(!pool.is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// How many values fit without reallocating the values' `Vec`.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<u8> = DensePool::with_capacity(4);
    /// assert!(pool.capacity() >= 4);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.values.capacity()
    }

    /// Makes room for at least `additional` more values.
    ///
    /// # Panics
    ///
    /// Panics when the new storage would exceed `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// pool.insert(1u8);
    /// pool.reserve(10);
    /// assert!(pool.capacity() >= 11);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        self.values.reserve(additional);
        self.handles.reserve(additional);
        let new_slots = additional.saturating_sub(self.places.reusable());
        self.places.storage.reserve(new_slots);
    }

    /// Moves `value` in and returns its handle.
    ///
    /// # Panics
    ///
    /// Panics when the pool already uses `u32::MAX` slots.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert("x");
    /// assert_eq!(pool[h], "x");
    /// ```
    #[inline]
    #[track_caller]
    pub fn insert(&mut self, value: T) -> K {
        shared::expect_inserted(self.try_insert(value))
    }

    /// Moves `value` in and returns its handle, or hands `value` back when
    /// the pool already uses `u32::MAX` slots.
    ///
    /// # Errors
    ///
    /// [`Full`], holding `value`, when no slot is left.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.try_insert(5).unwrap();
    /// assert_eq!(pool[h], 5);
    /// ```
    #[inline]
    pub fn try_insert(&mut self, value: T) -> Result<K, Full<T>> {
        // Room first, so nothing can fail once the slot is taken. (The
        // handles' `Vec` cannot overflow: it never holds more than
        // `u32::MAX` handles of 8 bytes.)
        self.values.reserve(1);
        let Ok(position) = u32::try_from(self.values.len()) else {
            return Err(Full::new(value, self.places.storage.max_slots()));
        };
        let slot = match self.places.try_insert(position) {
            Ok(slot) => slot,
            Err(full) => return Err(Full::new(value, full.slots())),
        };
        self.handles.push(slot);
        self.values.push(value);
        Ok(key(slot))
    }

    /// Inserts the value `make` builds from its own handle (slotmap's
    /// `insert_with_key`).
    ///
    /// # Panics
    ///
    /// Panics when the pool already uses `u32::MAX` slots.
    ///
    /// ```
    /// use arena_pool::{DensePool, Handle};
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert_with(|me: Handle<_>| (me.index(), "self-aware"));
    /// assert_eq!(pool[h].0, h.index());
    /// ```
    #[track_caller]
    pub fn insert_with(&mut self, make: impl FnOnce(K) -> T) -> K {
        shared::expect_inserted(self.try_insert_with(make))
    }

    /// Inserts the value `make` builds from its own handle, or hands `make`
    /// back, uncalled, when no slot is left. If `make` panics, the pool is
    /// left as it was.
    ///
    /// # Errors
    ///
    /// [`Full`], holding `make`, when the pool already uses `u32::MAX`
    /// slots.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.try_insert_with(|me| me.index() * 10).ok().unwrap();
    /// assert_eq!(pool[h], h.index() * 10);
    /// ```
    pub fn try_insert_with<F: FnOnce(K) -> T>(&mut self, make: F) -> Result<K, Full<F>> {
        let Some(next) = self.places.next_handle() else {
            return Err(Full::new(make, self.places.storage.max_slots()));
        };
        let value = make(key(next));
        // `make` could not reach the pool, so the same slot is still next.
        match self.try_insert(value) {
            Ok(inserted) => Ok(inserted),
            Err(_) => unreachable!("the next slot was free before `make` ran"),
        }
    }

    /// The handle the next insertion will return, or `None` when no slot
    /// is left.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let next = pool.next_handle().unwrap();
    /// assert_eq!(pool.insert('a'), next);
    /// ```
    #[must_use]
    pub fn next_handle(&self) -> Option<K> {
        self.places.next_handle().map(key)
    }

    /// The position in [`as_slice`](DensePool::as_slice) of the value
    /// `handle` reaches.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let a = pool.insert('a');
    /// let b = pool.insert('b');
    /// pool.remove(a);
    /// assert_eq!(pool.position(b), Some(0));
    /// assert_eq!(pool.position(a), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn position(&self, handle: K) -> Option<usize> {
        self.places
            .get(self::handle(handle))
            .map(|&position| position as usize)
    }

    /// The value `handle` reaches, or `None` when it was removed.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(7);
    /// assert_eq!(pool.get(h), Some(&7));
    /// pool.remove(h);
    /// assert_eq!(pool.get(h), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, handle: K) -> Option<&T> {
        self.values.get(self.position(handle)?)
    }

    /// The value `handle` reaches, mutably.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(7);
    /// *pool.get_mut(h).unwrap() += 1;
    /// assert_eq!(pool[h], 8);
    /// ```
    #[inline]
    #[must_use]
    pub fn get_mut(&mut self, handle: K) -> Option<&mut T> {
        let position = self.position(handle)?;
        self.values.get_mut(position)
    }

    /// Whether `handle` reaches a value (slotmap's `contains_key`).
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(());
    /// assert!(pool.contains(h));
    /// pool.remove(h);
    /// assert!(!pool.contains(h));
    /// ```
    #[inline]
    #[must_use]
    pub fn contains(&self, handle: K) -> bool {
        self.position(handle).is_some()
    }

    /// Mutable references to the values of `N` handles at once.
    ///
    /// # Errors
    ///
    /// [`GetDisjointMutError::Stale`] when a handle reaches no value,
    /// [`GetDisjointMutError::Overlapping`] when two handles are equal.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let a = pool.insert(1);
    /// let b = pool.insert(2);
    /// let [x, y] = pool.get_disjoint_mut([a, b]).unwrap();
    /// core::mem::swap(x, y);
    /// assert_eq!((pool[a], pool[b]), (2, 1));
    /// assert!(pool.get_disjoint_mut([a, a]).is_err());
    /// ```
    pub fn get_disjoint_mut<const N: usize>(
        &mut self,
        handles: [K; N],
    ) -> Result<[&mut T; N], GetDisjointMutError> {
        let mut positions = [0; N];
        for (index, &handle) in handles.iter().enumerate() {
            let Some(position) = self.position(handle) else {
                return Err(GetDisjointMutError::Stale { position: index });
            };
            if let Some(first) = positions[..index].iter().position(|&p| p == position) {
                return Err(GetDisjointMutError::Overlapping {
                    first,
                    second: index,
                });
            }
            positions[index] = position;
        }
        // Live handles reach distinct positions, all in bounds.
        self.values
            .get_disjoint_mut(positions)
            .map_err(|_| GetDisjointMutError::Stale { position: 0 })
    }

    /// Removes and returns the value `handle` reaches; the last value moves
    /// into its place.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let a = pool.insert('a');
    /// let b = pool.insert('b');
    /// assert_eq!(pool.remove(a), Some('a'));
    /// assert_eq!(pool.remove(a), None);
    /// assert_eq!(pool.as_slice(), ['b']);
    /// assert_eq!(pool[b], 'b');
    /// ```
    #[inline(always)]
    pub fn remove(&mut self, handle: K) -> Option<T> {
        self.take(self::handle(handle))
    }

    /// Removes the value of `slot`, moving the last value into its place
    /// and telling that value's slot. Inlined, as `Pool`'s removal is, so
    /// a loop keeps the pool's fields and constants in registers.
    #[inline(always)]
    fn take(&mut self, slot: Handle<u32>) -> Option<T> {
        let position = self.places.remove(slot)? as usize;
        let value = self.values.swap_remove(position);
        self.handles.swap_remove(position);
        if let Some(&moved) = self.handles.get(position)
            && let Some(place) = self.places.get_mut(moved)
        {
            *place = position as u32;
        }
        Some(value)
    }

    /// Keeps the values `keep` accepts. Removal moves values, so they are
    /// visited in no promised order, each once.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool: DensePool<u32> = (1..=6).collect();
    /// pool.retain(|_, v| *v % 2 == 0);
    /// let mut left = pool.as_slice().to_vec();
    /// left.sort();
    /// assert_eq!(left, [2, 4, 6]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(K, &mut T) -> bool) {
        let mut position = 0;
        while let (Some(&slot), Some(value)) =
            (self.handles.get(position), self.values.get_mut(position))
        {
            if keep(key(slot), value) {
                position += 1;
            } else {
                // The last value moves to `position` and is looked at next.
                drop(self.take(slot));
            }
        }
    }

    /// Removes every value; their handles find nothing afterwards.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(1);
    /// pool.clear();
    /// assert!(pool.is_empty());
    /// assert_eq!(pool.get(h), None);
    /// ```
    pub fn clear(&mut self) {
        // The handles die first, so a panicking `Drop` of a value leaves no
        // handle reaching a position that is gone.
        self.places.clear();
        self.handles.clear();
        self.values.clear();
    }

    /// Removes every value, yielding each with its handle. Every handle is
    /// dead as soon as the drain is made; values it did not yield are
    /// dropped with it.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert('a');
    /// assert_eq!(pool.drain().collect::<Vec<_>>(), [(h, 'a')]);
    /// assert!(pool.is_empty());
    /// ```
    pub fn drain(&mut self) -> DenseDrain<'_, T, K> {
        self.places.clear();
        DenseDrain {
            inner: self.handles.drain(..).zip(self.values.drain(..)),
            key: PhantomData,
        }
    }

    /// The values, side by side, in the pool's current order (the order of
    /// [`iter`](DensePool::iter)).
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<u8> = (1..=3).collect();
    /// assert_eq!(pool.as_slice().iter().sum::<u8>(), 6);
    /// ```
    #[inline]
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        &self.values
    }

    /// The values, side by side, mutably. The slice cannot change which
    /// values there are, only the values themselves.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool: DensePool<u8> = (1..=3).collect();
    /// pool.as_mut_slice().fill(0);
    /// assert_eq!(pool.as_slice(), [0, 0, 0]);
    /// ```
    #[inline]
    #[must_use]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.values
    }

    /// An iterator over the handles and values, in the order of
    /// [`as_slice`](DensePool::as_slice).
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let a = pool.insert(1);
    /// let b = pool.insert(2);
    /// assert_eq!(pool.iter().rev().collect::<Vec<_>>(), [(b, &2), (a, &1)]);
    /// ```
    #[inline]
    pub fn iter(&self) -> DenseIter<'_, T, K> {
        DenseIter {
            inner: self.handles.iter().zip(self.values.iter()),
            key: PhantomData,
        }
    }

    /// An iterator over the handles and mutable values.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool: DensePool<u8> = (1..=3).collect();
    /// for (_, v) in pool.iter_mut() {
    ///     *v *= 2;
    /// }
    /// assert_eq!(pool.as_slice(), [2, 4, 6]);
    /// ```
    #[inline]
    pub fn iter_mut(&mut self) -> DenseIterMut<'_, T, K> {
        DenseIterMut {
            inner: self.handles.iter().zip(self.values.iter_mut()),
            key: PhantomData,
        }
    }

    /// An iterator over the handles.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let a = pool.insert('a');
    /// assert_eq!(pool.keys().collect::<Vec<_>>(), [a]);
    /// ```
    #[inline]
    pub fn keys(&self) -> DenseKeys<'_, K> {
        DenseKeys {
            inner: self.handles.iter(),
            key: PhantomData,
        }
    }

    /// An iterator over the values: the slice's own.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<u8> = (1..=3).collect();
    /// assert_eq!(pool.values().max(), Some(&3));
    /// ```
    #[inline]
    pub fn values(&self) -> slice::Iter<'_, T> {
        self.values.iter()
    }

    /// An iterator over the values, mutably: the slice's own.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool: DensePool<u8> = (1..=3).collect();
    /// pool.values_mut().for_each(|v| *v += 1);
    /// assert_eq!(pool.as_slice(), [2, 3, 4]);
    /// ```
    #[inline]
    pub fn values_mut(&mut self) -> slice::IterMut<'_, T> {
        self.values.iter_mut()
    }

    /// Moves the values out, in the pool's order.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<u8> = (1..=3).collect();
    /// assert_eq!(pool.into_values().collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn into_values(self) -> vec::IntoIter<T> {
        self.values.into_iter()
    }

    /// The slots of the handles and their versions, for serialisation.
    #[cfg(feature = "serde")]
    pub(super) fn slot_positions(&self) -> super::pool_core::SlotsWithVersions<'_, u32> {
        self.places.slots_with_versions()
    }

    /// The pool from its slots, each vacant or holding a value's position,
    /// and the values; `None` when they do not match.
    #[cfg(feature = "serde")]
    pub(super) fn from_parts(
        slots: Vec<super::slot::Slot<u32>>,
        values: Vec<T>,
    ) -> Result<Self, &'static str> {
        let mut handles = Vec::new();
        handles.resize(values.len(), None);
        for (index, slot) in slots.iter().enumerate() {
            if let Some((handle, &position)) = slot.item() {
                let place = handles
                    .get_mut(position as usize)
                    .ok_or("a slot points past the values")?;
                if place.is_some() {
                    return Err("two slots point to one value");
                }
                *place = Some(Handle::new(index as u32, handle.generation()));
            }
        }
        let handles = handles
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or("a value has no slot")?;
        let storage = HeapSlots::restored(slots, None)
            .map_err(|_| "more slots than a pool can have (u32::MAX)")?;
        Ok(Self {
            places: Core::restore(storage),
            handles,
            values,
            key: PhantomData,
        })
    }
}

impl<T, K: Key> Default for DensePool<T, K> {
    /// An empty dense pool.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<u8> = DensePool::default();
    /// assert!(pool.is_empty());
    /// ```
    fn default() -> Self {
        Self::with_key()
    }
}

impl<T, K: Key> Index<K> for DensePool<T, K> {
    type Output = T;

    /// The value `handle` reaches.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when it reaches no value.
    ///
    /// ```should_panic
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(1);
    /// pool.remove(h);
    /// let _ = pool[h];
    /// ```
    #[inline]
    #[track_caller]
    fn index(&self, handle: K) -> &T {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T, K: Key> IndexMut<K> for DensePool<T, K> {
    /// The value `handle` reaches, mutably.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when it reaches no value.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(1);
    /// pool[h] += 1;
    /// assert_eq!(pool[h], 2);
    /// ```
    #[inline]
    #[track_caller]
    fn index_mut(&mut self, handle: K) -> &mut T {
        shared::expect_value(self.get_mut(handle), handle)
    }
}

impl<T: fmt::Debug, K: Key> fmt::Debug for DensePool<T, K> {
    /// The values as a map from handle to value.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// pool.insert('a');
    /// assert_eq!(format!("{pool:?}"), "{Handle(0v1): 'a'}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Clone, K> Clone for DensePool<T, K> {
    /// A copy with the same handles.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert(String::from("a"));
    /// let copy = pool.clone();
    /// assert_eq!(copy[h], "a");
    /// ```
    fn clone(&self) -> Self {
        Self {
            places: self.places.clone(),
            handles: self.handles.clone(),
            values: self.values.clone(),
            key: PhantomData,
        }
    }
}

impl<T, K: Key> FromIterator<T> for DensePool<T, K> {
    /// A dense pool of the values, in order.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let pool: DensePool<char> = "abc".chars().collect();
    /// assert_eq!(pool.as_slice(), ['a', 'b', 'c']);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut pool = Self::with_key();
        pool.extend(iter);
        pool
    }
}

impl<T, K: Key> Extend<T> for DensePool<T, K> {
    /// Inserts every value.
    ///
    /// # Panics
    ///
    /// Panics when the pool runs out of slots (`u32::MAX`).
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// pool.extend([1, 2]);
    /// assert_eq!(pool.len(), 2);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for value in iter {
            self.insert(value);
        }
    }
}

impl<'a, T, K: Key> IntoIterator for &'a DensePool<T, K> {
    type Item = (K, &'a T);
    type IntoIter = DenseIter<'a, T, K>;

    fn into_iter(self) -> DenseIter<'a, T, K> {
        self.iter()
    }
}

impl<'a, T, K: Key> IntoIterator for &'a mut DensePool<T, K> {
    type Item = (K, &'a mut T);
    type IntoIter = DenseIterMut<'a, T, K>;

    fn into_iter(self) -> DenseIterMut<'a, T, K> {
        self.iter_mut()
    }
}

impl<T, K: Key> IntoIterator for DensePool<T, K> {
    type Item = (K, T);
    type IntoIter = DenseIntoIter<T, K>;

    /// Moves the values out with their handles.
    ///
    /// ```
    /// use arena_pool::DensePool;
    ///
    /// let mut pool = DensePool::new();
    /// let h = pool.insert('x');
    /// assert_eq!(pool.into_iter().collect::<Vec<_>>(), [(h, 'x')]);
    /// ```
    fn into_iter(self) -> DenseIntoIter<T, K> {
        DenseIntoIter {
            inner: self.handles.into_iter().zip(self.values),
            key: PhantomData,
        }
    }
}

/// Implements the iterator traits and `Debug` for a dense iterator whose
/// field `inner` does the work and whose items `map` turns into the
/// public ones.
macro_rules! dense_iterator {
    (impl[$($params:tt)*] $name:ty, yields $item:ty, map $map:expr) => {
        impl<$($params)*> Iterator for $name {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.inner.next().map($map)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.inner.size_hint()
            }
        }

        impl<$($params)*> DoubleEndedIterator for $name {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.inner.next_back().map($map)
            }
        }

        impl<$($params)*> ExactSizeIterator for $name {}

        impl<$($params)*> FusedIterator for $name {}

        impl<$($params)*> fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("remaining", &self.len())
                    .finish_non_exhaustive()
            }
        }
    };
}

/// The iterator of [`DensePool::iter`].
///
/// ```
/// use arena_pool::DensePool;
///
/// let pool: DensePool<u8> = (1..=3).collect();
/// let mut iter = pool.iter();
/// assert_eq!(iter.len(), 3);
/// assert_eq!(iter.next_back().map(|(_, v)| *v), Some(3));
/// ```
pub struct DenseIter<'a, T, K = Handle<T>> {
    inner: Zip<slice::Iter<'a, Handle<u32>>, slice::Iter<'a, T>>,
    key: PhantomData<fn() -> K>,
}

dense_iterator!(impl['a, T, K: Key] DenseIter<'a, T, K>, yields (K, &'a T), map |(&slot, value)| (key(slot), value));

impl<T, K> Clone for DenseIter<'_, T, K> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            key: PhantomData,
        }
    }
}

/// The iterator of [`DensePool::iter_mut`].
///
/// ```
/// use arena_pool::DensePool;
///
/// let mut pool: DensePool<u8> = (1..=3).collect();
/// pool.iter_mut().rev().for_each(|(_, v)| *v += 1);
/// assert_eq!(pool.as_slice(), [2, 3, 4]);
/// ```
pub struct DenseIterMut<'a, T, K = Handle<T>> {
    inner: Zip<slice::Iter<'a, Handle<u32>>, slice::IterMut<'a, T>>,
    key: PhantomData<fn() -> K>,
}

dense_iterator!(impl['a, T, K: Key] DenseIterMut<'a, T, K>, yields (K, &'a mut T), map |(&slot, value)| (key(slot), value));

/// The iterator of [`DensePool::keys`].
///
/// ```
/// use arena_pool::DensePool;
///
/// let mut pool = DensePool::new();
/// let a = pool.insert(1);
/// let b = pool.insert(2);
/// assert_eq!(pool.keys().rev().collect::<Vec<_>>(), [b, a]);
/// ```
pub struct DenseKeys<'a, K> {
    inner: slice::Iter<'a, Handle<u32>>,
    key: PhantomData<fn() -> K>,
}

dense_iterator!(impl['a, K: Key] DenseKeys<'a, K>, yields K, map |&slot| key(slot));

impl<K> Clone for DenseKeys<'_, K> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            key: PhantomData,
        }
    }
}

/// The iterator of [`DensePool::drain`]; dropping it drops the values it
/// did not yield.
///
/// ```
/// use arena_pool::DensePool;
///
/// let mut pool: DensePool<u8> = (1..=3).collect();
/// assert_eq!(pool.drain().len(), 3);
/// assert!(pool.is_empty());
/// ```
pub struct DenseDrain<'a, T, K = Handle<T>> {
    inner: Zip<vec::Drain<'a, Handle<u32>>, vec::Drain<'a, T>>,
    key: PhantomData<fn() -> K>,
}

dense_iterator!(impl['a, T, K: Key] DenseDrain<'a, T, K>, yields (K, T), map |(slot, value)| (key(slot), value));

/// The iterator moving the values out of a [`DensePool`] with their
/// handles, made by its [`IntoIterator`] implementation.
///
/// ```
/// use arena_pool::DensePool;
///
/// let pool: DensePool<u8> = (1..=3).collect();
/// let back: Vec<u8> = pool.into_iter().rev().map(|(_, v)| v).collect();
/// assert_eq!(back, [3, 2, 1]);
/// ```
pub struct DenseIntoIter<T, K = Handle<T>> {
    inner: Zip<vec::IntoIter<Handle<u32>>, vec::IntoIter<T>>,
    key: PhantomData<fn() -> K>,
}

dense_iterator!(impl[T, K: Key] DenseIntoIter<T, K>, yields (K, T), map |(slot, value)| (key(slot), value));

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;
    use core::cell::Cell;

    use super::*;

    /// Every position's handle leads back to it, and the counts agree.
    fn check<T, K: Key>(pool: &DensePool<T, K>) {
        assert_eq!(pool.places.len(), pool.values.len());
        assert_eq!(pool.handles.len(), pool.values.len());
        for (position, &slot) in pool.handles.iter().enumerate() {
            assert_eq!(pool.places.get(slot), Some(&(position as u32)));
        }
    }

    #[test]
    fn removal_moves_the_last_value_and_keeps_every_handle() {
        let mut pool = DensePool::new();
        let handles: Vec<_> = (0..10).map(|i| pool.insert(i)).collect();
        for &h in handles.iter().step_by(3) {
            assert!(pool.remove(h).is_some());
            check(&pool);
        }
        for (i, &h) in handles.iter().enumerate() {
            assert_eq!(pool.get(h).copied(), (i % 3 != 0).then_some(i));
        }
        let again = pool.insert(100);
        assert_eq!(again.index(), handles[9].index());
        assert_eq!(again.generation(), 3);
        assert_eq!(pool.get(handles[9]), None);
        check(&pool);
    }

    #[test]
    fn retain_visits_each_value_once() {
        let mut pool: DensePool<u32> = (0..20).collect();
        let mut seen = Vec::new();
        pool.retain(|_, v| {
            seen.push(*v);
            *v % 3 == 0
        });
        seen.sort_unstable();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        let mut left = pool.as_slice().to_vec();
        left.sort_unstable();
        assert_eq!(left, [0, 3, 6, 9, 12, 15, 18]);
        check(&pool);
    }

    #[test]
    fn a_slot_whose_generation_would_wrap_is_retired() {
        let mut pool = DensePool::new();
        let first = pool.insert(1u8);
        pool.remove(first);
        pool.places.age_vacant_slots(u32::MAX - 2);
        let last = pool.insert(2);
        assert_eq!(last.generation(), u32::MAX - 2);
        pool.remove(last);
        let fresh = pool.insert(3);
        assert_ne!(fresh.index(), last.index());
        assert_eq!(pool.get(last), None);
        check(&pool);
    }

    #[test]
    fn panicking_drop_leaves_the_pool_consistent() {
        struct Bomb<'a>(&'a Cell<u32>, bool);
        impl Drop for Bomb<'_> {
            fn drop(&mut self) {
                self.0.set(self.0.get() + 1);
                if self.1 {
                    panic!("boom");
                }
            }
        }
        let drops = Cell::new(0);
        let mut pool = DensePool::new();
        let a = pool.insert(Bomb(&drops, true));
        let b = pool.insert(Bomb(&drops, false));
        let removed = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
            pool.remove(a);
        }));
        assert!(removed.is_err());
        check(&pool);
        assert!(pool.contains(b));
        assert!(!pool.contains(a));
        let bomb = pool.insert(Bomb(&drops, true));
        let cleared = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| pool.clear()));
        assert!(cleared.is_err());
        assert!(pool.is_empty());
        assert!(!pool.contains(bomb));
        check(&pool);
    }

    #[test]
    fn drain_kills_handles_even_when_leaked() {
        // Plain values: a leaked drain leaks the values it did not yield.
        let mut pool = DensePool::new();
        let h = pool.insert(1u32);
        pool.insert(2);
        let mut drain = pool.drain();
        assert_eq!(drain.next().map(|(k, _)| k), Some(h));
        core::mem::forget(drain);
        assert!(pool.is_empty());
        assert_eq!(pool.get(h), None);
        check(&pool);
        let next = pool.insert(3);
        assert_ne!(next, h);
    }

    #[test]
    fn zero_sized_values() {
        let mut pool = DensePool::new();
        let handles: Vec<_> = (0..5).map(|_| pool.insert(())).collect();
        pool.remove(handles[1]);
        assert_eq!(pool.len(), 4);
        assert_eq!(pool.as_slice().len(), 4);
        assert_eq!(pool.iter().count(), 4);
        check(&pool);
    }

    #[test]
    fn disjoint_mut_refuses_stale_and_repeated_handles() {
        let mut pool = DensePool::new();
        let a = pool.insert(1);
        let b = pool.insert(2);
        pool.remove(a);
        assert_eq!(
            pool.get_disjoint_mut([b, a]),
            Err(GetDisjointMutError::Stale { position: 1 })
        );
        assert_eq!(
            pool.get_disjoint_mut([b, b]),
            Err(GetDisjointMutError::Overlapping {
                first: 0,
                second: 1
            })
        );
    }

    #[test]
    fn send_and_sync_follow_the_values() {
        fn assert_send_sync<X: Send + Sync>() {}
        assert_send_sync::<DensePool<u8>>();
        assert_send_sync::<DenseIter<'_, u8>>();
    }
}
