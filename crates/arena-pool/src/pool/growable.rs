//! [`Pool`]: the pool on the heap, growing or bounded; a thin wrapper over
//! the shared [`Core`](super::pool_core::Core).

#![forbid(unsafe_code)]

#[cfg(feature = "serde")]
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Index, IndexMut};

use super::entry::{Entry, VacantEntry};
use super::key::{handle, key};
#[cfg(feature = "serde")]
use super::pool_core::SlotsWithVersions;
use super::pool_core::{Core, Items, ItemsMut};
use super::shared;
use super::storage::{HeapSlots, Storage};
use super::*;

/// An object pool: values in slots, reached through [`Handle`]s that never
/// alias.
///
/// Insertion and removal are O(1): a removed value's slot goes on a free
/// list and is the next one used. A handle carries its slot's generation,
/// so after [`remove`](Pool::remove) it finds nothing ([`get`](Pool::get)
/// gives `None`), even once the slot holds another value. A slot is retired
/// after 2^31 - 1 values instead of letting its generation wrap.
///
/// A pool made with [`new`](Pool::new) or [`with_capacity`](Pool::with_capacity)
/// grows as needed. One made with [`bounded`](Pool::bounded) allocates its
/// `n` slots once, never moves them, and refuses values when full (see
/// [`try_insert`](Pool::try_insert)).
///
/// Values are dropped when they are removed, when the pool is cleared and
/// when it drops. Like a `Vec`, the pool may hold references to values
/// declared after it. Iteration visits every slot in use, as slab's and
/// slotmap's do.
///
/// A slot holds the value beside its 8-byte handle, with no separate tag
/// when the value has 8 bytes or more (16 bytes for a `u64` and 56 for a
/// 48-byte struct, as in slab and slotmap); a smaller value's slot takes at
/// most 16.
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool = Pool::new();
/// let a = pool.insert(100);
/// let b = pool.insert(200);
/// assert_eq!(pool.len(), 2);
/// assert_eq!(pool.remove(a), Some(100));
/// let c = pool.insert(999);
/// assert_eq!(c.index(), a.index()); // the slot is reused...
/// assert_eq!(pool.get(a), None); // ...but the old handle finds nothing
/// assert_eq!(pool[c], 999);
/// assert_eq!(pool[b], 200);
/// ```
///
/// The handles are [`Handle<T>`] unless the pool is made with
/// [`with_key`](Pool::with_key) (or another `_with_key` constructor) for a
/// [`Key`] type declared with [`new_key_type!`](crate::new_key_type).
pub struct Pool<T, K = Handle<T>> {
    pub(super) core: Core<HeapSlots<T>>,
    key: PhantomData<fn() -> K>,
}

impl<T> Pool<T> {
    /// An empty pool that grows as needed. It allocates nothing until the
    /// first insertion.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<String> = Pool::new();
    /// assert!(pool.is_empty());
    /// assert_eq!(pool.capacity(), 0);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self::from_core(Core::new(HeapSlots::growing()))
    }

    /// An empty growing pool with room for exactly `capacity` values before
    /// it reallocates (as `Vec::with_capacity`, slab and thunderdome give).
    ///
    /// # Panics
    ///
    /// Panics when the storage for `capacity` slots would exceed
    /// `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u64> = Pool::with_capacity(100);
    /// assert_eq!(pool.capacity(), 100);
    /// assert_eq!(Pool::<u8>::with_capacity(2).capacity(), 2);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::from_core(Core::new(HeapSlots::with_capacity(capacity)))
    }

    /// An empty pool of exactly `n` slots that never grows or moves: its
    /// storage is allocated once, on the heap (never built on the stack), so
    /// `n` may be in the millions. When all `n` slots hold values,
    /// [`try_insert`](Pool::try_insert) hands the value back and
    /// [`insert`](Pool::insert) panics.
    ///
    /// # Panics
    ///
    /// Panics when `n` exceeds `u32::MAX` or the storage for `n` slots would
    /// exceed `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::bounded(10_000_000);
    /// let h = pool.insert(7u64);
    /// assert_eq!(pool.capacity(), 10_000_000);
    /// assert_eq!(pool[h], 7);
    /// ```
    #[must_use]
    pub fn bounded(n: usize) -> Self {
        Self::from_core(Core::new(HeapSlots::bounded(n, true)))
    }
}

impl<T, K: Key> Pool<T, K> {
    /// An empty growing pool whose handles are `K`s: [`new`](Pool::new)
    /// for a key type of one's own (slotmap's `with_key`).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// arena_pool::new_key_type! { struct CardId; }
    ///
    /// let mut cards = Pool::<&str, CardId>::with_key();
    /// let ace: CardId = cards.insert("ace");
    /// assert_eq!(cards[ace], "ace");
    /// ```
    #[must_use]
    pub const fn with_key() -> Self {
        Self::from_core(Core::new(HeapSlots::growing()))
    }

    /// An empty growing pool whose handles are `K`s, with room for exactly
    /// `capacity` values: [`with_capacity`](Pool::with_capacity) for a key
    /// type of one's own.
    ///
    /// # Panics
    ///
    /// Panics when the storage for `capacity` slots would exceed
    /// `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// arena_pool::new_key_type! { struct CardId; }
    ///
    /// let cards = Pool::<&str, CardId>::with_capacity_and_key(52);
    /// assert_eq!(cards.capacity(), 52);
    /// ```
    #[must_use]
    pub fn with_capacity_and_key(capacity: usize) -> Self {
        Self::from_core(Core::new(HeapSlots::with_capacity(capacity)))
    }

    /// A pool of exactly `n` slots whose handles are `K`s:
    /// [`bounded`](Pool::bounded) for a key type of one's own.
    ///
    /// # Panics
    ///
    /// Panics when `n` exceeds `u32::MAX` or the storage for `n` slots would
    /// exceed `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// arena_pool::new_key_type! { struct CardId; }
    ///
    /// let mut cards = Pool::<&str, CardId>::bounded_with_key(1);
    /// cards.insert("ace");
    /// assert!(cards.try_insert("king").is_err());
    /// ```
    #[must_use]
    pub fn bounded_with_key(n: usize) -> Self {
        Self::from_core(Core::new(HeapSlots::bounded(n, true)))
    }

    /// The pool over `core`.
    #[inline]
    const fn from_core(core: Core<HeapSlots<T>>) -> Self {
        Self {
            core,
            key: PhantomData,
        }
    }

    /// The number of values in the pool.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// assert!(pool.is_empty());
    /// let h = pool.insert(1);
    /// assert!(!pool.is_empty());
    /// pool.remove(h);
    /// assert!(pool.is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many values the pool can hold without allocating: the slots its
    /// storage has room for (for a bounded pool, its `n`), less any retired
    /// ones.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u8> = Pool::bounded(5);
    /// assert_eq!(pool.capacity(), 5);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.core.capacity()
    }

    /// Whether the pool was made with [`bounded`](Pool::bounded) (or
    /// deserialised from a bounded pool).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// assert!(Pool::<u8>::bounded(3).is_bounded());
    /// assert!(!Pool::<u8>::new().is_bounded());
    /// ```
    #[must_use]
    pub const fn is_bounded(&self) -> bool {
        self.core.storage.is_bounded()
    }

    /// Makes room for at least `additional` more values without
    /// reallocating, growing by at least doubling (never past a bound).
    ///
    /// # Panics
    ///
    /// Panics when the new storage would exceed `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// pool.insert(1u32);
    /// pool.reserve(10);
    /// assert!(pool.capacity() >= 11);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let new_slots = additional.saturating_sub(self.core.reusable());
        self.core.storage.reserve(new_slots);
    }

    /// Makes room for `additional` more values without reallocating, and
    /// no more (never past a bound).
    ///
    /// # Panics
    ///
    /// Panics when the new storage would exceed `isize::MAX` bytes.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// pool.insert(1u32);
    /// pool.reserve_exact(10);
    /// assert_eq!(pool.capacity(), 11);
    /// ```
    pub fn reserve_exact(&mut self, additional: usize) {
        let new_slots = additional.saturating_sub(self.core.reusable());
        let spare = self.core.storage.capacity() - self.core.slots().len();
        if new_slots > spare {
            self.core.storage.reserve_exact(new_slots);
        }
    }

    /// Gives room no slot uses back to the allocator. Every slot that ever
    /// held a value is kept, with its generation, so handles to removed
    /// values stay stale.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::with_capacity(100);
    /// let a = pool.insert(1u8);
    /// let b = pool.insert(2);
    /// pool.remove(b);
    /// pool.shrink_to_fit();
    /// assert_eq!(pool.capacity(), 2);
    /// assert_eq!(pool.get(b), None);
    /// assert_ne!(pool.insert(3), b);
    /// assert_eq!(pool[a], 1);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        let used = self.core.slots().len();
        self.core.storage.truncate_and_shrink(used);
    }

    /// Inserts `value` and returns its handle.
    ///
    /// # Panics
    ///
    /// Panics when the pool is full: a bounded pool with every slot live or
    /// retired, or a growing pool out of slot indices (`u32::MAX` slots).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(String::from("hello"));
    /// assert_eq!(pool[h], "hello");
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn insert(&mut self, value: T) -> K {
        key(shared::expect_inserted(self.core.try_insert(value)))
    }

    /// Inserts `value` and returns its handle, or hands `value` back when
    /// the pool is full.
    ///
    /// # Errors
    ///
    /// [`Full`] (holding `value`) when a bounded pool has no free slot, or a
    /// growing pool ran out of slot indices.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::bounded(1);
    /// let h = pool.try_insert(1).unwrap();
    /// assert_eq!(pool.try_insert(2).unwrap_err().into_value(), 2);
    /// pool.remove(h);
    /// assert!(pool.try_insert(3).is_ok());
    /// ```
    #[inline(always)]
    pub fn try_insert(&mut self, value: T) -> Result<K, Full<T>> {
        self.core.try_insert(value).map(key)
    }

    /// Inserts the value `make` builds from its own handle, for values that
    /// refer to themselves. The handle is fixed before `make` runs; if
    /// `make` panics, the pool is left as it was.
    ///
    /// # Panics
    ///
    /// Panics when the pool is full (see [`insert`](Pool::insert)), before
    /// calling `make`.
    ///
    /// ```
    /// use arena_pool::{Handle, Pool};
    ///
    /// struct Node {
    ///     me: Handle<Node>,
    /// }
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert_with(|me| Node { me });
    /// assert_eq!(pool[h].me, h);
    /// ```
    #[track_caller]
    pub fn insert_with(&mut self, make: impl FnOnce(K) -> T) -> K {
        shared::expect_inserted(self.try_insert_with(make))
    }

    /// Like [`insert_with`](Pool::insert_with), but hands `make` back,
    /// uncalled, when the pool is full.
    ///
    /// # Errors
    ///
    /// [`Full`] (holding `make`) when the pool has no free slot.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::bounded(1);
    /// let h = pool.try_insert_with(|h| h.index()).unwrap();
    /// assert_eq!(pool[h], 0);
    /// assert!(pool.try_insert_with(|h| h.index()).is_err());
    /// ```
    pub fn try_insert_with<F: FnOnce(K) -> T>(&mut self, make: F) -> Result<K, Full<F>> {
        shared::insert_with_key(&mut self.core, make)
    }

    /// The handle the next insertion will return, or `None` when the pool
    /// is full (slotmap's and slab's `vacant_key`).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let next = pool.next_handle().unwrap();
    /// assert_eq!(pool.insert("a"), next);
    /// assert_eq!(Pool::<u8>::bounded(0).next_handle(), None);
    /// ```
    #[must_use]
    pub fn next_handle(&self) -> Option<K> {
        self.core.next_handle().map(key)
    }

    /// The value `handle` reaches, or `None` when it was removed (or the
    /// handle is from another pool).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(());
    /// assert!(pool.contains(h));
    /// pool.remove(h);
    /// assert!(!pool.contains(h));
    /// ```
    #[inline]
    #[must_use]
    pub fn contains(&self, handle: K) -> bool {
        self.get(handle).is_some()
    }

    /// Removes and returns the value `handle` reaches; `None` when it was
    /// already removed. The slot is reused by a later insertion, under a new
    /// generation.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert("v");
    /// assert_eq!(pool.remove(h), Some("v"));
    /// assert_eq!(pool.remove(h), None); // no double free
    /// ```
    #[inline]
    pub fn remove(&mut self, handle: K) -> Option<T> {
        self.core.remove(self::handle(handle))
    }

    /// Removes every value, dropping them. Handles to them find nothing
    /// afterwards; the slots stay allocated for reuse.
    ///
    /// If a value's `Drop` panics, the values not yet dropped stay in the
    /// pool, which remains usable.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(vec![1, 2, 3]);
    /// pool.clear();
    /// assert!(pool.is_empty());
    /// assert_eq!(pool.get(h), None);
    /// ```
    pub fn clear(&mut self) {
        self.core.clear();
    }

    /// Keeps only the values for which `keep` returns `true`, dropping the
    /// others. `keep` may change the values it sees.
    ///
    /// If `keep` or a `Drop` panics, the values not yet visited stay in the
    /// pool, which remains usable.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool: Pool<i32> = (1..=6).collect();
    /// pool.retain(|_, v| {
    ///     *v *= 10;
    ///     *v % 20 == 0
    /// });
    /// let mut left: Vec<i32> = pool.iter().map(|(_, v)| *v).collect();
    /// left.sort();
    /// assert_eq!(left, [20, 40, 60]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(K, &mut T) -> bool) {
        self.core.retain(|h, value| keep(key(h), value));
    }

    /// Removes every value, yielding each with its handle, from either
    /// end. Values the iterator did not yield when dropped are dropped too;
    /// if the iterator is leaked instead, they stay in the pool.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert('a');
    /// let drained: Vec<_> = pool.drain().collect();
    /// assert_eq!(drained, [(h, 'a')]);
    /// assert!(pool.is_empty());
    /// ```
    pub fn drain(&mut self) -> Drain<'_, T, K> {
        let back = self.core.slots().len();
        Drain {
            pool: self,
            front: 0,
            back,
        }
    }

    /// An iterator over the handles and values, in slot order.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let a = pool.insert(1);
    /// let b = pool.insert(2);
    /// let all: Vec<_> = pool.iter().collect();
    /// assert_eq!(all, [(a, &1), (b, &2)]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T, K> {
        Iter::new(Items::new(self.core.slots(), self.len()))
    }

    /// An iterator over the handles and mutable values, in slot order.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool: Pool<u32> = (0..3).collect();
    /// for (_, v) in pool.iter_mut() {
    ///     *v += 100;
    /// }
    /// assert_eq!(pool.iter().map(|(_, v)| *v).sum::<u32>(), 303);
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, T, K> {
        let len = self.len();
        IterMut::new(ItemsMut::new(self.core.storage.slots_mut(), len))
    }

    /// An iterator over the handles, in slot order.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let a = pool.insert(1);
    /// assert_eq!(pool.keys().collect::<Vec<_>>(), [a]);
    /// ```
    pub fn keys(&self) -> Keys<'_, T, K> {
        Keys::new(Items::new(self.core.slots(), self.len()))
    }

    /// An iterator over the values, in slot order.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u32> = (1..4).collect();
    /// assert_eq!(pool.values().sum::<u32>(), 6);
    /// ```
    pub fn values(&self) -> Values<'_, T> {
        Values(Items::new(self.core.slots(), self.len()))
    }

    /// An iterator over the values, mutably, in slot order.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool: Pool<u32> = (1..4).collect();
    /// pool.values_mut().for_each(|v| *v *= 2);
    /// assert_eq!(pool.values().sum::<u32>(), 12);
    /// ```
    pub fn values_mut(&mut self) -> ValuesMut<'_, T> {
        let len = self.len();
        ValuesMut(ItemsMut::new(self.core.storage.slots_mut(), len))
    }

    /// Moves the values out, in slot order, without their handles.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u32> = (1..4).collect();
    /// assert_eq!(pool.into_values().rev().collect::<Vec<_>>(), [3, 2, 1]);
    /// ```
    pub fn into_values(self) -> IntoValues<T, K> {
        let back = self.core.slots().len();
        IntoValues {
            pool: self,
            front: 0,
            back,
        }
    }

    /// A free slot whose handle is known before the value moves in, or
    /// `None` when the pool is full (slab's `vacant_entry`).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let entry = pool.vacant_entry().unwrap();
    /// let h = entry.handle();
    /// entry.insert(h.index());
    /// assert_eq!(pool[h], 0);
    /// ```
    pub fn vacant_entry(&mut self) -> Option<VacantEntry<'_, T, K>> {
        self.core.vacant_entry().map(VacantEntry::keyed)
    }

    /// The entry of `handle`: its value, or its free slot that can take a
    /// value under that very handle (as [`insert_at`](Pool::insert_at)
    /// would); `None` when the handle is dead (its slot went past it) or
    /// beyond the slots the pool may have. A handle to a value is found at
    /// once; one to a free slot, like `insert_at`'s, in time linear in the
    /// free list's length (a free slot's version is kept by the link that
    /// names it).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut source = Pool::new();
    /// let a = source.insert('a');
    /// let b = source.insert('b');
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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
    /// use arena_pool::Pool;
    ///
    /// let mut pool: Pool<u32> = (0..5).collect();
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

    /// Mutable references to the values of `N` handles at once.
    ///
    /// # Errors
    ///
    /// [`GetDisjointMutError::Stale`] when a handle reaches no value,
    /// [`GetDisjointMutError::Overlapping`] when two handles are equal.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let a = pool.insert(1);
    /// let b = pool.insert(2);
    /// let [x, y] = pool.get_disjoint_mut([a, b]).unwrap();
    /// std::mem::swap(x, y);
    /// assert_eq!((pool[a], pool[b]), (2, 1));
    /// ```
    pub fn get_disjoint_mut<const N: usize>(
        &mut self,
        handles: [K; N],
    ) -> Result<[&mut T; N], GetDisjointMutError> {
        self.core.get_disjoint_mut(handles.map(handle))
    }

    /// Raises the generation of every reusable vacant slot to `target` (the
    /// largest vacant generation below it, capped below retirement), so
    /// tests can reach slot retirement quickly. Generations only go up, so
    /// no handle can come to alias.
    #[doc(hidden)]
    pub fn age_vacant_slots(&mut self, target: u32) {
        self.core.age_vacant_slots(target);
    }

    /// Rebuilds a pool from its slots, as deserialisation reads them; the
    /// storage keeps the allocation that holds `slots`, whatever the bound.
    #[cfg(feature = "serde")]
    pub(super) fn from_slots(
        slots: Vec<Slot<T>>,
        bound: Option<usize>,
    ) -> Result<Self, &'static str> {
        if bound.is_some_and(|bound| bound > MAX_SLOTS) {
            return Err("a pool's bound is at most u32::MAX slots");
        }
        let storage = HeapSlots::restored(slots, bound)
            .map_err(|_| "more slots than the pool's bound (at most u32::MAX)")?;
        Ok(Self::from_core(Core::restore(storage)))
    }

    /// The bound, for a bounded pool, and the slots in use.
    #[cfg(feature = "serde")]
    pub(super) fn parts(&self) -> (Option<usize>, SlotsWithVersions<'_, T>) {
        (self.core.storage.bound(), self.core.slots_with_versions())
    }
}

impl<T, K: Key> Default for Pool<T, K> {
    /// An empty growing pool.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u8> = Pool::default();
    /// assert!(pool.is_empty());
    /// ```
    fn default() -> Self {
        Self::with_key()
    }
}

impl<T, K: Key> Index<K> for Pool<T, K> {
    type Output = T;

    /// The value `handle` reaches.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when it reaches no value.
    ///
    /// ```should_panic
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// pool.remove(h);
    /// let _ = pool[h]; // panics: "Handle(0v1) reaches no value in this pool..."
    /// ```
    #[inline]
    #[track_caller]
    fn index(&self, handle: K) -> &T {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T, K: Key> IndexMut<K> for Pool<T, K> {
    /// The value `handle` reaches, mutably.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when it reaches no value.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
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

impl<T: fmt::Debug, K: Key> fmt::Debug for Pool<T, K> {
    /// The values as a map from handle to value.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// pool.insert("a");
    /// assert_eq!(format!("{pool:?}"), r#"{Handle(0v1): "a"}"#);
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Clone, K> Clone for Pool<T, K> {
    /// A copy with the same handles; a bounded pool's copy is bounded too.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(String::from("a"));
    /// let copy = pool.clone();
    /// assert_eq!(copy[h], "a");
    /// ```
    fn clone(&self) -> Self {
        Self {
            core: self.core.clone(),
            key: PhantomData,
        }
    }

    /// Becomes a copy of `source`, reusing this pool's allocation (and the
    /// values' own, through their `clone_from`) where it can.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let source: Pool<u8> = (0..3).collect();
    /// let mut copy: Pool<u8> = Pool::with_capacity(10);
    /// copy.clone_from(&source);
    /// assert_eq!(copy.capacity(), 10);
    /// assert_eq!(copy.values().copied().collect::<Vec<_>>(), [0, 1, 2]);
    /// ```
    fn clone_from(&mut self, source: &Self) {
        self.core.clone_from(&source.core);
    }
}

impl<T, K: Key> FromIterator<T> for Pool<T, K> {
    /// A growing pool of the values, in order (their handles have indices
    /// `0, 1, 2, ...`).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<char> = "abc".chars().collect();
    /// assert_eq!(pool.len(), 3);
    /// ```
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut pool = Self::with_key();
        pool.extend(iter);
        pool
    }
}

impl<T, K: Key> Extend<T> for Pool<T, K> {
    /// Inserts every value, dropping their handles.
    ///
    /// # Panics
    ///
    /// Panics when the pool fills up (see [`Pool::insert`]).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// pool.extend([1, 2, 3]);
    /// assert_eq!(pool.len(), 3);
    /// ```
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for value in iter {
            self.insert(value);
        }
    }
}

impl<'a, T, K: Key> IntoIterator for &'a Pool<T, K> {
    type Item = (K, &'a T);
    type IntoIter = Iter<'a, T, K>;

    fn into_iter(self) -> Iter<'a, T, K> {
        self.iter()
    }
}

impl<'a, T, K: Key> IntoIterator for &'a mut Pool<T, K> {
    type Item = (K, &'a mut T);
    type IntoIter = IterMut<'a, T, K>;

    fn into_iter(self) -> IterMut<'a, T, K> {
        self.iter_mut()
    }
}

impl<T, K: Key> IntoIterator for Pool<T, K> {
    type Item = (K, T);
    type IntoIter = IntoIter<T, K>;

    /// Moves the values out with their handles.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(String::from("x"));
    /// let all: Vec<_> = pool.into_iter().collect();
    /// assert_eq!(all, [(h, String::from("x"))]);
    /// ```
    fn into_iter(self) -> IntoIter<T, K> {
        let back = self.core.slots().len();
        IntoIter {
            pool: self,
            front: 0,
            back,
        }
    }
}
