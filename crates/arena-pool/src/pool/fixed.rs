//! [`FixedPool`]: a pool on inline storage, with no heap at all; a thin
//! wrapper over the shared [`Core`](super::pool_core::Core).

#![forbid(unsafe_code)]

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Index, IndexMut};

use super::entry::{Entry, VacantEntry};
use super::iter::{Iter, IterMut, Keys, Values, ValuesMut};
use super::key::{Key, handle, key};
use super::pool_core::{Core, Items, ItemsMut};
use super::shared::{self, pool_iterator};
#[cfg(feature = "serde")]
use super::slot::Slot;
use super::storage::{InlineSlots, Storage};
use super::{Full, GetDisjointMutError, Handle, InsertAtError};

/// A pool of `N` slots stored inline: the same handles and operations as
/// [`Pool`](crate::Pool), with no heap allocation at all, so it works
/// without `alloc` and in a `static`.
///
/// [`new`](FixedPool::new) is a `const fn`. When all `N` slots hold values,
/// [`try_insert`](FixedPool::try_insert) hands the value back and
/// [`insert`](FixedPool::insert) panics. Iteration scans the slots that
/// were ever used. Like an array, the pool may hold references to values
/// declared after it.
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
///
/// The handles are [`Handle<T>`] unless the pool is made with
/// [`with_key`](FixedPool::with_key) for a [`Key`] type declared with
/// [`new_key_type!`](crate::new_key_type).
pub struct FixedPool<T, const N: usize, K = Handle<T>> {
    pub(super) core: Core<InlineSlots<T, N>>,
    key: PhantomData<fn() -> K>,
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
        Self::from_core(Core::new(InlineSlots::new()))
    }
}

impl<T, const N: usize, K: Key> FixedPool<T, N, K> {
    /// An empty pool whose handles are `K`s: [`new`](FixedPool::new) for a
    /// key type of one's own; usable in a `const` or `static`.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// arena_pool::new_key_type! { struct Slot; }
    ///
    /// let mut pool = FixedPool::<u8, 4, Slot>::with_key();
    /// let s: Slot = pool.insert(3);
    /// assert_eq!(pool[s], 3);
    /// ```
    #[must_use]
    pub const fn with_key() -> Self {
        Self::from_core(Core::new(InlineSlots::new()))
    }

    /// The pool over `core`.
    #[inline]
    const fn from_core(core: Core<InlineSlots<T, N>>) -> Self {
        Self {
            core,
            key: PhantomData,
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
        self.core.len()
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
        self.core.len() == 0
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
        N - self.core.retired as usize
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
    pub fn insert(&mut self, value: T) -> K {
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
    pub fn try_insert(&mut self, value: T) -> Result<K, Full<T>> {
        self.core.try_insert(value).map(key)
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
    pub fn insert_with(&mut self, make: impl FnOnce(K) -> T) -> K {
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
    pub fn try_insert_with<F: FnOnce(K) -> T>(&mut self, make: F) -> Result<K, Full<F>> {
        shared::insert_with_key(&mut self.core, make)
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
    pub fn get(&self, handle: K) -> Option<&T> {
        self.core.get(self::handle(handle))
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
    pub fn get_mut(&mut self, handle: K) -> Option<&mut T> {
        self.core.get_mut(self::handle(handle))
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
    pub fn contains(&self, handle: K) -> bool {
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
    pub fn remove(&mut self, handle: K) -> Option<T> {
        self.core.remove(self::handle(handle))
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
        self.core.clear();
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
    pub fn retain(&mut self, mut keep: impl FnMut(K, &mut T) -> bool) {
        self.core.retain(|h, value| keep(key(h), value));
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
    pub fn drain(&mut self) -> FixedDrain<'_, T, N, K> {
        let back = self.core.slots().len();
        FixedDrain {
            pool: self,
            front: 0,
            back,
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
    pub fn iter(&self) -> Iter<'_, T, K> {
        Iter::new(Items::new(self.core.slots(), self.len()))
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
    pub fn iter_mut(&mut self) -> IterMut<'_, T, K> {
        let len = self.len();
        IterMut::new(ItemsMut::new(self.core.storage.slots_mut(), len))
    }

    /// An iterator over the handles, in slot order.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 4> = FixedPool::new();
    /// let a = pool.insert(1);
    /// assert_eq!(pool.keys().collect::<Vec<_>>(), [a]);
    /// ```
    pub fn keys(&self) -> Keys<'_, T, K> {
        Keys::new(Items::new(self.core.slots(), self.len()))
    }

    /// An iterator over the values, in slot order.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<i32, 4> = (1..4).collect();
    /// assert_eq!(pool.values().sum::<i32>(), 6);
    /// ```
    pub fn values(&self) -> Values<'_, T> {
        Values(Items::new(self.core.slots(), self.len()))
    }

    /// An iterator over the values, mutably, in slot order.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<i32, 4> = (1..4).collect();
    /// pool.values_mut().for_each(|v| *v = -*v);
    /// assert_eq!(pool.values().sum::<i32>(), -6);
    /// ```
    pub fn values_mut(&mut self) -> ValuesMut<'_, T> {
        let len = self.len();
        ValuesMut(ItemsMut::new(self.core.storage.slots_mut(), len))
    }

    /// The handle the next insertion will return, or `None` when the pool
    /// is full.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<char, 1> = FixedPool::new();
    /// let next = pool.next_handle().unwrap();
    /// assert_eq!(pool.insert('a'), next);
    /// assert_eq!(pool.next_handle(), None);
    /// ```
    #[must_use]
    pub fn next_handle(&self) -> Option<K> {
        self.core.next_handle().map(key)
    }

    /// A free slot whose handle is known before the value moves in, or
    /// `None` when the pool is full (slab's `vacant_entry`).
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<_, 4> = FixedPool::new();
    /// let entry = pool.vacant_entry().unwrap();
    /// let h = entry.handle();
    /// entry.insert(h.index());
    /// assert_eq!(pool[h], 0);
    /// ```
    pub fn vacant_entry(&mut self) -> Option<VacantEntry<'_, T, K>> {
        self.core.vacant_entry().map(VacantEntry::keyed)
    }

    /// The entry of `handle`: its value, or its free slot that can take a
    /// value under that very handle (as [`insert_at`](FixedPool::insert_at)
    /// would); `None` when the handle is dead (its slot went past it) or
    /// beyond the slots the pool may have. A handle to a value is found at
    /// once; one to a free slot, like `insert_at`'s, in time linear in the
    /// free list's length (a free slot's version is kept by the link that
    /// names it).
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u32, 4> = FixedPool::new();
    /// let h = pool.insert(1);
    /// *pool.entry(h).unwrap().or_insert(0) += 1;
    /// assert_eq!(pool[h], 2);
    /// pool.remove(h);
    /// assert!(pool.entry(h).is_none());
    /// ```
    pub fn entry(&mut self, handle: K) -> Option<Entry<'_, T, K>> {
        self.core.entry(self::handle(handle)).map(Entry::keyed)
    }

    /// Puts `value` under `handle` itself, as a replica of another pool
    /// would: returns the value the slot held (under the same or an older
    /// generation), if any. Earlier generations of the slot stay dead:
    /// unlike thunderdome's `insert_at`, a handle older than its slot is
    /// refused instead of revived. Slots up to the handle's index are
    /// added as needed (so memory grows with the index), and a vacant
    /// slot is found on the free list in time linear in its length.
    ///
    /// # Errors
    ///
    /// [`InsertAtError::OutOfBounds`] when the index is beyond the slots
    /// the pool may have, [`InsertAtError::Stale`] when the slot already
    /// went past the handle's generation; both hand `value` back.
    ///
    /// ```
    /// use arena_pool::{FixedPool, Pool};
    ///
    /// let mut source = Pool::new();
    /// let a = source.insert('a');
    /// let b = source.insert('b');
    /// let mut pool: FixedPool<_, 4> = FixedPool::new();
    /// assert_eq!(pool.insert_at(b, 'b'), Ok(None));
    /// assert_eq!(pool.insert_at(a, 'a'), Ok(None));
    /// assert_eq!(pool.insert_at(a, 'A'), Ok(Some('a')));
    /// assert_eq!((pool[a], pool[b]), ('A', 'b'));
    /// ```
    pub fn insert_at(&mut self, handle: K, value: T) -> Result<Option<T>, InsertAtError<T>> {
        self.core.insert_at(self::handle(handle), value)
    }

    /// The value in slot `index`, whatever handle reaches it, with that
    /// handle (thunderdome's `get_by_slot`).
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<_, 4> = FixedPool::new();
    /// let h = pool.insert("x");
    /// assert_eq!(pool.get_by_slot(h.index()), Some((h, &"x")));
    /// assert_eq!(pool.get_by_slot(1), None);
    /// ```
    #[must_use]
    pub fn get_by_slot(&self, index: usize) -> Option<(K, &T)> {
        let (found, value) = self.core.get_by_slot(index)?;
        Some((key(found), value))
    }

    /// The value in slot `index`, mutably, with the handle that reaches it.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<_, 4> = FixedPool::new();
    /// let h = pool.insert(1);
    /// *pool.get_by_slot_mut(0).unwrap().1 += 1;
    /// assert_eq!(pool[h], 2);
    /// ```
    #[must_use]
    pub fn get_by_slot_mut(&mut self, index: usize) -> Option<(K, &mut T)> {
        let (found, value) = self.core.get_by_slot_mut(index)?;
        Some((key(found), value))
    }

    /// The handle of the value `value` refers to, when it is a value of
    /// this pool (found by its address, as slab's `key_of`); `None` for a
    /// reference to anything else.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<_, 4> = FixedPool::new();
    /// let h = pool.insert(7);
    /// let value = &pool[h];
    /// assert_eq!(pool.handle_of(value), Some(h));
    /// assert_eq!(pool.handle_of(&7), None);
    /// ```
    #[must_use]
    pub fn handle_of(&self, value: &T) -> Option<K> {
        self.core.handle_of(value).map(key)
    }

    /// Moves values from the end into free slots nearer the start, so the
    /// values sit together before the free slots, and calls `moved` with
    /// the old and the new handle of each value it moves. A moved value
    /// gets a new generation: its old handle finds nothing. If `moved`
    /// panics, the moves so far stand and the pool stays usable.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u32, 8> = (0..5).collect();
    /// let handles: Vec<_> = pool.keys().collect();
    /// pool.remove(handles[1]);
    /// let mut moves = Vec::new();
    /// pool.compact(|old, new| moves.push((old, new)));
    /// assert_eq!(moves.len(), 1);
    /// let (old, new) = moves[0];
    /// assert_eq!((old, new.index()), (handles[4], 1));
    /// assert_eq!(pool.get(old), None);
    /// assert_eq!(pool[new], 4);
    /// ```
    pub fn compact(&mut self, mut moved: impl FnMut(K, K)) {
        self.core.compact(|from, to| moved(key(from), key(to)));
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
        handles: [K; N2],
    ) -> Result<[&mut T; N2], GetDisjointMutError> {
        self.core.get_disjoint_mut(handles.map(handle))
    }

    /// The slots that were ever used, and their versions.
    #[cfg(feature = "serde")]
    pub(super) fn used_slots(&self) -> super::pool_core::SlotsWithVersions<'_, T> {
        self.core.slots_with_versions()
    }

    /// Rebuilds a pool from its slots, as deserialisation reads them.
    #[cfg(feature = "serde")]
    pub(super) fn from_slots(slots: alloc::vec::Vec<Slot<T>>) -> Result<Self, &'static str> {
        let storage =
            InlineSlots::restored(slots).map_err(|_| "more slots than the FixedPool has")?;
        Ok(Self::from_core(Core::restore(storage)))
    }

    /// Raises the generation of every reusable vacant slot to `target` (the
    /// largest vacant generation below it, capped below retirement), so
    /// tests can reach slot retirement quickly.
    #[doc(hidden)]
    pub fn age_vacant_slots(&mut self, target: u32) {
        self.core.age_vacant_slots(target);
    }
}

impl<T, const N: usize, K: Key> Default for FixedPool<T, N, K> {
    /// An empty pool.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<u8, 3> = FixedPool::default();
    /// assert!(pool.is_empty());
    /// ```
    fn default() -> Self {
        Self::with_key()
    }
}

impl<T, const N: usize, K: Key> Index<K> for FixedPool<T, N, K> {
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
    fn index(&self, handle: K) -> &T {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T, const N: usize, K: Key> IndexMut<K> for FixedPool<T, N, K> {
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
    fn index_mut(&mut self, handle: K) -> &mut T {
        shared::expect_value(self.get_mut(handle), handle)
    }
}

impl<T: fmt::Debug, const N: usize, K: Key> fmt::Debug for FixedPool<T, N, K> {
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

impl<T: Clone, const N: usize, K> Clone for FixedPool<T, N, K> {
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
            core: self.core.clone(),
            key: PhantomData,
        }
    }

    /// Becomes a copy of `source`, cloning into the values in place where
    /// both hold one.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let source: FixedPool<u8, 4> = (0..3).collect();
    /// let mut copy = FixedPool::new();
    /// copy.clone_from(&source);
    /// assert_eq!(copy.values().copied().collect::<Vec<_>>(), [0, 1, 2]);
    /// ```
    fn clone_from(&mut self, source: &Self) {
        self.core.clone_from(&source.core);
    }
}

impl<T, const N: usize, K: Key> FromIterator<T> for FixedPool<T, N, K> {
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
        let mut pool = Self::with_key();
        pool.extend(iter);
        pool
    }
}

impl<T, const N: usize, K: Key> Extend<T> for FixedPool<T, N, K> {
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

impl<'a, T, const N: usize, K: Key> IntoIterator for &'a FixedPool<T, N, K> {
    type Item = (K, &'a T);
    type IntoIter = Iter<'a, T, K>;

    fn into_iter(self) -> Iter<'a, T, K> {
        self.iter()
    }
}

impl<'a, T, const N: usize, K: Key> IntoIterator for &'a mut FixedPool<T, N, K> {
    type Item = (K, &'a mut T);
    type IntoIter = IterMut<'a, T, K>;

    fn into_iter(self) -> IterMut<'a, T, K> {
        self.iter_mut()
    }
}

impl<T, const N: usize, K: Key> IntoIterator for FixedPool<T, N, K> {
    type Item = (K, T);
    type IntoIter = FixedIntoIter<T, N, K>;

    /// Moves the values out with their handles.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let pool: FixedPool<u8, 4> = (1..=2).collect();
    /// assert_eq!(pool.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), [1, 2]);
    /// ```
    fn into_iter(self) -> FixedIntoIter<T, N, K> {
        let back = self.core.slots().len();
        FixedIntoIter {
            pool: self,
            front: 0,
            back,
        }
    }
}

/// The iterator of [`FixedPool::iter`]: the same [`Iter`] as every pool's.
///
/// ```
/// use arena_pool::FixedPool;
/// use arena_pool::pool::FixedIter;
///
/// let pool: FixedPool<u8, 4> = (1..=3).collect();
/// let iter: FixedIter<'_, u8> = pool.iter();
/// assert_eq!(iter.len(), 3);
/// ```
pub type FixedIter<'a, T, K = Handle<T>> = Iter<'a, T, K>;

/// The iterator of [`FixedPool::iter_mut`]: the same [`IterMut`] as every
/// pool's.
///
/// ```
/// use arena_pool::FixedPool;
/// use arena_pool::pool::FixedIterMut;
///
/// let mut pool: FixedPool<u8, 4> = (1..=3).collect();
/// let iter: FixedIterMut<'_, u8> = pool.iter_mut();
/// iter.for_each(|(_, v)| *v += 1);
/// assert_eq!(pool.iter().map(|(_, v)| *v).sum::<u8>(), 9);
/// ```
pub type FixedIterMut<'a, T, K = Handle<T>> = IterMut<'a, T, K>;

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
pub struct FixedDrain<'a, T, const N: usize, K = Handle<T>> {
    pool: &'a mut FixedPool<T, N, K>,
    front: usize,
    back: usize,
}

pool_iterator!(impl['a, T, const N: usize, K: Key] FixedDrain<'a, T, N, K>: takes, yields (K, T), map |(h, value)| (key(h), value));

impl<T, const N: usize, K> Drop for FixedDrain<'_, T, N, K> {
    fn drop(&mut self) {
        // Each value leaves the pool before it is dropped, so a panicking
        // `Drop` leaves the pool consistent.
        while let Some(item) = self.pool.core.take_front(&mut self.front, self.back) {
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
pub struct FixedIntoIter<T, const N: usize, K = Handle<T>> {
    pool: FixedPool<T, N, K>,
    front: usize,
    back: usize,
}

pool_iterator!(impl[T, const N: usize, K: Key] FixedIntoIter<T, N, K>: takes, yields (K, T), map |(h, value)| (key(h), value));
