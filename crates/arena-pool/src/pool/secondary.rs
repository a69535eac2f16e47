//! [`SecondaryPool`]: values attached to the handles of another pool
//! (slotmap's `SecondaryMap`).

#![forbid(unsafe_code)]

use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Index, IndexMut};

use super::key::{Key, key};
use super::{Handle, InsertAtError, shared};

/// One slot: the newest generation seen there, and a value when the handle
/// of that generation has one.
///
/// A filled slot keeps the whole handle (never zero), as a pool's slot
/// does: the compiler stores the variant in its niche, and a lookup is one
/// 64-bit comparison with the handle given.
#[derive(Clone)]
enum Attached<V> {
    Empty { version: u32 },
    Filled { handle: Handle<()>, value: V },
}

impl<V> Attached<V> {
    /// The value, when the slot holds the value `handle` reaches. A method
    /// of its own, which the compiler turns into a single comparison.
    #[inline(always)]
    fn get(&self, handle: Handle<()>) -> Option<&V> {
        match self {
            Self::Filled { handle: own, value } if *own == handle => Some(value),
            _ => None,
        }
    }

    /// The value, mutably, when the slot holds the value `handle` reaches.
    #[inline(always)]
    fn get_mut(&mut self, handle: Handle<()>) -> Option<&mut V> {
        match self {
            Self::Filled { handle: own, value } if *own == handle => Some(value),
            _ => None,
        }
    }

    const fn version(&self) -> u32 {
        match self {
            Self::Empty { version } => *version,
            Self::Filled { handle, .. } => handle.generation(),
        }
    }
}

/// Extra values attached to the handles of a [`Pool`](crate::Pool) or
/// [`FixedPool`](crate::FixedPool), indexed like it: slotmap's
/// `SecondaryMap`.
///
/// A value is stored under a handle's slot index with the handle's
/// generation, so a stale handle never sees the value attached to the
/// slot's later occupant, and once a slot held a newer generation an older
/// handle cannot attach anything to it. Storage grows with the largest
/// slot index attached: a slot is the value beside the 8-byte handle, as in
/// a [`Pool`](crate::Pool), so on 64-bit targets 16 bytes for a `u64` (the
/// same as slotmap's) and 16 for a `u32` (slotmap's 8).
///
/// ```
/// use arena_pool::{Pool, SecondaryPool};
///
/// let mut names = Pool::new();
/// let mut ages = SecondaryPool::new();
/// let ann = names.insert("Ann");
/// ages.insert(ann, 31).unwrap();
/// names.remove(ann);
/// let bob = names.insert("Bob"); // the same slot, a new generation
/// assert_eq!(ages.get(bob), None); // ann's age is not bob's
/// ages.insert(bob, 45).unwrap(); // replaces what ann's dead handle had
/// assert_eq!(ages.get(ann), None);
/// assert!(ages.insert(ann, 32).is_err()); // ann is older than bob
/// assert_eq!(ages[bob], 45);
/// ```
pub struct SecondaryPool<T, V, K = Handle<T>> {
    slots: Vec<Attached<V>>,
    len: usize,
    _marker: PhantomData<fn() -> (T, K)>,
}

impl<T, V> SecondaryPool<T, V> {
    /// An empty secondary pool; allocates nothing.
    ///
    /// ```
    /// use arena_pool::SecondaryPool;
    ///
    /// let extra: SecondaryPool<String, u32> = SecondaryPool::new();
    /// assert!(extra.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self::with_key()
    }

    /// An empty secondary pool with room for the slot indices below
    /// `capacity`.
    ///
    /// ```
    /// use arena_pool::SecondaryPool;
    ///
    /// let extra: SecondaryPool<String, u32> = SecondaryPool::with_capacity(10);
    /// assert_eq!(extra.capacity(), 10);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_and_key(capacity)
    }
}

impl<T, V, K: Key> SecondaryPool<T, V, K> {
    /// An empty secondary pool for the handles of a pool keyed by `K`
    /// (see [`Key`]); allocates nothing.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let mut pool: Pool<&str, Id> = Pool::with_key();
    /// let mut extra = SecondaryPool::<&str, u32, Id>::with_key();
    /// let a = pool.insert("a");
    /// extra.insert(a, 1).unwrap();
    /// assert_eq!(extra[a], 1);
    /// ```
    #[must_use]
    pub const fn with_key() -> Self {
        Self {
            slots: Vec::new(),
            len: 0,
            _marker: PhantomData,
        }
    }

    /// An empty secondary pool for the handles of a pool keyed by `K`, with
    /// room for the slot indices below `capacity`.
    ///
    /// ```
    /// use arena_pool::SecondaryPool;
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let extra = SecondaryPool::<u8, u8, Id>::with_capacity_and_key(10);
    /// assert_eq!(extra.capacity(), 10);
    /// ```
    #[must_use]
    pub fn with_capacity_and_key(capacity: usize) -> Self {
        Self {
            slots: Vec::with_capacity(capacity),
            ..Self::with_key()
        }
    }

    /// How many slot indices have room without allocating.
    ///
    /// ```
    /// use arena_pool::SecondaryPool;
    ///
    /// let extra: SecondaryPool<u8, u8> = SecondaryPool::new();
    /// assert_eq!(extra.capacity(), 0);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.slots.capacity()
    }

    /// The number of values attached.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// extra.insert(pool.insert(()), 'x').unwrap();
    /// assert_eq!(extra.len(), 1);
    /// ```
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether no value is attached.
    ///
    /// ```
    /// use arena_pool::SecondaryPool;
    ///
    /// assert!(SecondaryPool::<u8, u8>::new().is_empty());
    /// ```
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Attaches `value` to `handle`: returns the value attached to the same
    /// handle before, if any. A value attached to an older handle of the
    /// same slot is dropped (that handle is dead). Storage grows up to the
    /// handle's slot index.
    ///
    /// # Untrusted handles
    ///
    /// The storage grows to the handle's slot index whatever it is, so a
    /// handle that no pool gave out (made with
    /// [`Handle::from_bits`](crate::Handle::from_bits) or read from input)
    /// can make it allocate up to `u32::MAX` slots (tens of gigabytes; the
    /// process aborts when the allocator refuses). Check such a handle
    /// against its pool first (`pool.contains(handle)`), or use
    /// [`SparseSecondaryPool`](crate::SparseSecondaryPool), whose memory
    /// follows the values attached. [`entry`](SecondaryPool::entry) grows
    /// the same way.
    ///
    /// # Errors
    ///
    /// [`InsertAtError::Stale`], handing `value` back, when the slot has
    /// already seen a newer generation than the handle's.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert("x");
    /// assert_eq!(extra.insert(h, 1), Ok(None));
    /// assert_eq!(extra.insert(h, 2), Ok(Some(1)));
    /// ```
    pub fn insert(&mut self, handle: K, value: V) -> Result<Option<V>, InsertAtError<V>> {
        let handle = handle.to_handle();
        let index = handle.index();
        if index >= self.slots.len() {
            self.grow_to(index);
        }
        let slot = &mut self.slots[index];
        match slot {
            Attached::Filled {
                handle: own,
                value: old,
            } if *own == handle => Ok(Some(core::mem::replace(old, value))),
            _ if slot.version() > handle.generation() => Err(InsertAtError::Stale { value }),
            Attached::Filled { .. } => {
                *slot = Attached::Filled { handle, value };
                Ok(None)
            }
            Attached::Empty { .. } => {
                *slot = Attached::Filled { handle, value };
                self.len += 1;
                Ok(None)
            }
        }
    }

    /// Adds empty slots up to slot `index`.
    #[cold]
    #[inline(never)]
    fn grow_to(&mut self, index: usize) {
        while self.slots.len() <= index {
            self.slots.push(Attached::Empty { version: 0 });
        }
    }

    /// The value attached to `handle`.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// assert_eq!(extra.get(h), None);
    /// extra.insert(h, 5).unwrap();
    /// assert_eq!(extra.get(h), Some(&5));
    /// ```
    #[inline]
    #[must_use]
    pub fn get(&self, handle: K) -> Option<&V> {
        match self.slots.get(handle.index()) {
            Some(slot) => slot.get(handle.to_handle()),
            None => None,
        }
    }

    /// The value attached to `handle`, mutably.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 5).unwrap();
    /// *extra.get_mut(h).unwrap() += 1;
    /// assert_eq!(extra[h], 6);
    /// ```
    #[inline]
    #[must_use]
    pub fn get_mut(&mut self, handle: K) -> Option<&mut V> {
        match self.slots.get_mut(handle.index()) {
            Some(slot) => slot.get_mut(handle.to_handle()),
            None => None,
        }
    }

    /// The entry of `handle`: its attached value, or the place for one;
    /// `None` when the slot has seen a newer generation than the handle's
    /// (slotmap's `SecondaryMap::entry`). Storage grows up to the handle's
    /// slot index, so an untrusted handle can make it allocate up to
    /// `u32::MAX` slots, as with [`insert`](SecondaryPool::insert).
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut counts = SecondaryPool::new();
    /// let h = pool.insert("word");
    /// for _ in 0..3 {
    ///     *counts.entry(h).unwrap().or_insert(0) += 1;
    /// }
    /// assert_eq!(counts[h], 3);
    /// ```
    pub fn entry(&mut self, handle: K) -> Option<SecondaryEntry<'_, T, V, K>> {
        let index = handle.index();
        if index >= self.slots.len() {
            self.grow_to(index);
        }
        let slot = &self.slots[index];
        if slot.version() > handle.generation() {
            return None;
        }
        let place = Place { pool: self, handle };
        Some(if place.pool.contains(handle) {
            SecondaryEntry::Occupied(SecondaryOccupiedEntry(place))
        } else {
            SecondaryEntry::Vacant(SecondaryVacantEntry(place))
        })
    }

    /// Whether a value is attached to `handle`.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
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
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 'x').unwrap();
    /// assert_eq!(extra.remove(h), Some('x'));
    /// assert_eq!(extra.remove(h), None);
    /// ```
    pub fn remove(&mut self, handle: K) -> Option<V> {
        let slot = self.slots.get_mut(handle.index())?;
        slot.get(handle.to_handle())?;
        let version = handle.generation();
        match core::mem::replace(slot, Attached::Empty { version }) {
            Attached::Filled { value, .. } => {
                self.len -= 1;
                Some(value)
            }
            Attached::Empty { .. } => None,
        }
    }

    /// Keeps the values for which `keep` returns `true`.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// for i in 0..4 {
    ///     extra.insert(pool.insert(()), i).unwrap();
    /// }
    /// extra.retain(|_, v| *v % 2 == 0);
    /// assert_eq!(extra.values().copied().collect::<Vec<_>>(), [0, 2]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(K, &mut V) -> bool) {
        for slot in &mut self.slots {
            if let Attached::Filled { handle, value } = slot {
                let handle = *handle;
                if !keep(key(handle), value) {
                    *slot = Attached::Empty {
                        version: handle.generation(),
                    };
                    self.len -= 1;
                }
            }
        }
    }

    /// Detaches every value; the generations seen are kept, so stale
    /// handles stay refused.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// extra.insert(pool.insert(()), 1).unwrap();
    /// extra.clear();
    /// assert!(extra.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.retain(|_, _| false);
    }

    /// The handles and values, in slot order.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 'x').unwrap();
    /// assert_eq!(extra.iter().collect::<Vec<_>>(), [(h, &'x')]);
    /// ```
    pub fn iter(&self) -> SecondaryIter<'_, T, V, K> {
        SecondaryIter {
            slots: self.slots.iter(),
            remaining: self.len,
            _marker: PhantomData,
        }
    }

    /// The handles and values, mutably, in slot order.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// extra.iter_mut().for_each(|(_, v)| *v += 1);
    /// assert_eq!(extra[h], 2);
    /// ```
    pub fn iter_mut(&mut self) -> SecondaryIterMut<'_, T, V, K> {
        SecondaryIterMut {
            slots: self.slots.iter_mut(),
            remaining: self.len,
            _marker: PhantomData,
        }
    }

    /// The values, in slot order.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// extra.insert(pool.insert(()), 3).unwrap();
    /// assert_eq!(extra.values().sum::<i32>(), 3);
    /// ```
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        SecondaryValues::<T, V, K> {
            slots: self.slots.iter(),
            remaining: self.len,
            _marker: PhantomData,
        }
    }
}

impl<T, V, K: Key> Default for SecondaryPool<T, V, K> {
    /// An empty secondary pool.
    ///
    /// ```
    /// use arena_pool::SecondaryPool;
    ///
    /// let extra: SecondaryPool<u8, u8> = SecondaryPool::default();
    /// assert!(extra.is_empty());
    /// ```
    fn default() -> Self {
        Self::with_key()
    }
}

impl<T, V: Clone, K: Key> Clone for SecondaryPool<T, V, K> {
    /// A copy with the same values under the same handles.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// assert_eq!(extra.clone()[h], 1);
    /// ```
    fn clone(&self) -> Self {
        Self {
            slots: self.slots.clone(),
            len: self.len,
            _marker: PhantomData,
        }
    }
}

impl<T, V: fmt::Debug, K: Key> fmt::Debug for SecondaryPool<T, V, K> {
    /// The values as a map from handle to value.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// extra.insert(pool.insert(()), 1).unwrap();
    /// assert_eq!(format!("{extra:?}"), "{Handle(0v1): 1}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T, V, K: Key> Index<K> for SecondaryPool<T, V, K> {
    type Output = V;

    /// The value attached to `handle`.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when no value is attached to it.
    ///
    /// ```should_panic
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let extra: SecondaryPool<(), u8> = SecondaryPool::new();
    /// let _ = extra[pool.insert(())];
    /// ```
    #[track_caller]
    fn index(&self, handle: K) -> &V {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T, V, K: Key> IndexMut<K> for SecondaryPool<T, V, K> {
    /// The value attached to `handle`, mutably.
    ///
    /// # Panics
    ///
    /// Panics, naming the handle, when no value is attached to it.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
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

/// The handles and values of a [`SecondaryPool`], made by
/// [`SecondaryPool::iter`].
///
/// ```
/// use arena_pool::{Pool, SecondaryPool};
///
/// let mut pool = Pool::new();
/// let mut extra = SecondaryPool::new();
/// extra.insert(pool.insert(()), 1).unwrap();
/// extra.insert(pool.insert(()), 2).unwrap();
/// assert_eq!(extra.iter().rev().map(|(_, v)| *v).collect::<Vec<_>>(), [2, 1]);
/// ```
pub struct SecondaryIter<'a, T, V, K = Handle<T>> {
    slots: core::slice::Iter<'a, Attached<V>>,
    remaining: usize,
    _marker: PhantomData<fn() -> (T, K)>,
}

/// The handles and values of a [`SecondaryPool`], mutably, made by
/// [`SecondaryPool::iter_mut`].
///
/// ```
/// use arena_pool::{Pool, SecondaryPool};
///
/// let mut pool = Pool::new();
/// let mut extra = SecondaryPool::new();
/// extra.insert(pool.insert(()), 1).unwrap();
/// assert_eq!(extra.iter_mut().len(), 1);
/// ```
pub struct SecondaryIterMut<'a, T, V, K = Handle<T>> {
    slots: core::slice::IterMut<'a, Attached<V>>,
    remaining: usize,
    _marker: PhantomData<fn() -> (T, K)>,
}

/// Implements the iterator traits for the secondary pool's iterators,
/// whose `slots` yield slots, which `$filled` turns into an item for a
/// filled slot.
macro_rules! secondary_iterator {
    ($name:ident, $item:ty, $filled:ident) => {
        impl<'a, T, V, K: Key> Iterator for $name<'a, T, V, K> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                if self.remaining == 0 {
                    return None;
                }
                let found = self.slots.find_map($filled)?;
                self.remaining -= 1;
                Some(found)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                (self.remaining, Some(self.remaining))
            }

            // One test per slot: through `next` the compiler would test
            // the slot, then the `Option` holding the item.
            #[inline]
            fn fold<B, F: FnMut(B, $item) -> B>(self, init: B, mut f: F) -> B {
                self.slots.fold(init, |acc, slot| match $filled(slot) {
                    Some(item) => f(acc, item),
                    None => acc,
                })
            }
        }

        impl<'a, T, V, K: Key> DoubleEndedIterator for $name<'a, T, V, K> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                if self.remaining == 0 {
                    return None;
                }
                let found = self.slots.by_ref().rev().find_map($filled)?;
                self.remaining -= 1;
                Some(found)
            }
        }

        impl<T, V, K: Key> ExactSizeIterator for $name<'_, T, V, K> {}
        impl<T, V, K: Key> core::iter::FusedIterator for $name<'_, T, V, K> {}

        impl<T, V, K: Key> fmt::Debug for $name<'_, T, V, K> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("remaining", &self.remaining)
                    .finish_non_exhaustive()
            }
        }
    };
}

/// The handle and value of a filled slot.
fn filled<K: Key, V>(slot: &Attached<V>) -> Option<(K, &V)> {
    match slot {
        Attached::Filled { handle, value } => Some((key(*handle), value)),
        Attached::Empty { .. } => None,
    }
}

/// The handle and value of a filled slot, mutably.
fn filled_mut<K: Key, V>(slot: &mut Attached<V>) -> Option<(K, &mut V)> {
    match slot {
        Attached::Filled { handle, value } => Some((key(*handle), value)),
        Attached::Empty { .. } => None,
    }
}

/// The values of a [`SecondaryPool`], made by [`SecondaryPool::values`]
/// without building their handles.
struct SecondaryValues<'a, T, V, K> {
    slots: core::slice::Iter<'a, Attached<V>>,
    remaining: usize,
    _marker: PhantomData<fn() -> (T, K)>,
}

/// The value of a filled slot.
fn filled_value<V>(slot: &Attached<V>) -> Option<&V> {
    match slot {
        Attached::Filled { value, .. } => Some(value),
        Attached::Empty { .. } => None,
    }
}

secondary_iterator!(SecondaryIter, (K, &'a V), filled);
secondary_iterator!(SecondaryValues, &'a V, filled_value);
secondary_iterator!(SecondaryIterMut, (K, &'a mut V), filled_mut);

/// A secondary pool and a handle whose slot has not seen a newer
/// generation.
struct Place<'a, T, V, K> {
    pool: &'a mut SecondaryPool<T, V, K>,
    handle: K,
}

impl<'a, T, V, K: Key> Place<'a, T, V, K> {
    fn value(self) -> &'a mut V {
        match self.pool.get_mut(self.handle) {
            Some(value) => value,
            None => unreachable!("an occupied entry's value went away"),
        }
    }
}

/// A handle's place in a [`SecondaryPool`], made by
/// [`SecondaryPool::entry`].
///
/// ```
/// use arena_pool::pool::SecondaryEntry;
/// use arena_pool::{Pool, SecondaryPool};
///
/// let mut pool = Pool::new();
/// let mut extra = SecondaryPool::new();
/// let h = pool.insert(());
/// match extra.entry(h).unwrap() {
///     SecondaryEntry::Occupied(_) => unreachable!(),
///     SecondaryEntry::Vacant(entry) => *entry.insert(1) += 1,
/// }
/// assert_eq!(extra[h], 2);
/// ```
pub enum SecondaryEntry<'a, T, V, K = Handle<T>> {
    /// A value is attached to the handle.
    Occupied(SecondaryOccupiedEntry<'a, T, V, K>),
    /// No value is attached to the handle yet.
    Vacant(SecondaryVacantEntry<'a, T, V, K>),
}

impl<'a, T, V, K: Key> SecondaryEntry<'a, T, V, K> {
    /// The entry's handle.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra: SecondaryPool<(), u8> = SecondaryPool::new();
    /// let h = pool.insert(());
    /// assert_eq!(extra.entry(h).unwrap().handle(), h);
    /// ```
    #[must_use]
    pub fn handle(&self) -> K {
        match self {
            Self::Occupied(entry) => entry.0.handle,
            Self::Vacant(entry) => entry.0.handle,
        }
    }

    /// The attached value, after attaching `default` when there was none.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// assert_eq!(*extra.entry(h).unwrap().or_insert(4), 4);
    /// ```
    pub fn or_insert(self, default: V) -> &'a mut V {
        self.or_insert_with(|| default)
    }

    /// The attached value, after attaching what `make` builds when there
    /// was none.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra: SecondaryPool<(), Vec<u8>> = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.entry(h).unwrap().or_insert_with(Vec::new).push(1);
    /// assert_eq!(extra[h], [1]);
    /// ```
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Self::Occupied(entry) => entry.into_mut(),
            Self::Vacant(entry) => entry.insert(make()),
        }
    }

    /// Calls `change` on the attached value, if any, and gives the entry
    /// back.
    ///
    /// ```
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// extra.entry(h).unwrap().and_modify(|v| *v += 1).or_insert(0);
    /// assert_eq!(extra[h], 2);
    /// ```
    #[must_use]
    pub fn and_modify(mut self, change: impl FnOnce(&mut V)) -> Self {
        if let Self::Occupied(entry) = &mut self {
            change(entry.get_mut());
        }
        self
    }
}

impl<T, V, K: Key> fmt::Debug for SecondaryEntry<'_, T, V, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::Occupied(_) => "Occupied",
            Self::Vacant(_) => "Vacant",
        };
        f.debug_struct("SecondaryEntry")
            .field("kind", &kind)
            .field("handle", &self.handle())
            .finish()
    }
}

/// A handle with a value attached, as [`SecondaryEntry::Occupied`] holds
/// it.
///
/// ```
/// use arena_pool::pool::SecondaryEntry;
/// use arena_pool::{Pool, SecondaryPool};
///
/// let mut pool = Pool::new();
/// let mut extra = SecondaryPool::new();
/// let h = pool.insert(());
/// extra.insert(h, 'a').unwrap();
/// let Some(SecondaryEntry::Occupied(entry)) = extra.entry(h) else { unreachable!() };
/// assert_eq!(entry.remove(), 'a');
/// ```
pub struct SecondaryOccupiedEntry<'a, T, V, K = Handle<T>>(Place<'a, T, V, K>);

impl<'a, T, V, K: Key> SecondaryOccupiedEntry<'a, T, V, K> {
    /// The attached value, mutably.
    ///
    /// ```
    /// use arena_pool::pool::SecondaryEntry;
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// let Some(SecondaryEntry::Occupied(mut entry)) = extra.entry(h) else { unreachable!() };
    /// *entry.get_mut() = 5;
    /// assert_eq!(extra[h], 5);
    /// ```
    pub fn get_mut(&mut self) -> &mut V {
        match self.0.pool.get_mut(self.0.handle) {
            Some(value) => value,
            None => unreachable!("an occupied entry's value went away"),
        }
    }

    /// The attached value, mutably, for as long as the pool's borrow.
    ///
    /// ```
    /// use arena_pool::pool::SecondaryEntry;
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// let Some(SecondaryEntry::Occupied(entry)) = extra.entry(h) else { unreachable!() };
    /// *entry.into_mut() += 1;
    /// assert_eq!(extra[h], 2);
    /// ```
    #[must_use]
    pub fn into_mut(self) -> &'a mut V {
        self.0.value()
    }

    /// Replaces the attached value, returning the old one.
    ///
    /// ```
    /// use arena_pool::pool::SecondaryEntry;
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// let Some(SecondaryEntry::Occupied(mut entry)) = extra.entry(h) else { unreachable!() };
    /// assert_eq!(entry.insert(2), 1);
    /// ```
    pub fn insert(&mut self, value: V) -> V {
        core::mem::replace(self.get_mut(), value)
    }

    /// Detaches the value.
    ///
    /// ```
    /// use arena_pool::pool::SecondaryEntry;
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// extra.insert(h, 1).unwrap();
    /// let Some(SecondaryEntry::Occupied(entry)) = extra.entry(h) else { unreachable!() };
    /// assert_eq!(entry.remove(), 1);
    /// assert!(extra.is_empty());
    /// ```
    pub fn remove(self) -> V {
        match self.0.pool.remove(self.0.handle) {
            Some(value) => value,
            None => unreachable!("an occupied entry's value went away"),
        }
    }
}

/// A handle with no value attached yet, as [`SecondaryEntry::Vacant`]
/// holds it.
///
/// ```
/// use arena_pool::pool::SecondaryEntry;
/// use arena_pool::{Pool, SecondaryPool};
///
/// let mut pool = Pool::new();
/// let mut extra = SecondaryPool::new();
/// let h = pool.insert(());
/// let Some(SecondaryEntry::Vacant(entry)) = extra.entry(h) else { unreachable!() };
/// entry.insert('x');
/// assert_eq!(extra[h], 'x');
/// ```
pub struct SecondaryVacantEntry<'a, T, V, K = Handle<T>>(Place<'a, T, V, K>);

impl<'a, T, V, K: Key> SecondaryVacantEntry<'a, T, V, K> {
    /// Attaches `value` to the handle and returns it mutably.
    ///
    /// ```
    /// use arena_pool::pool::SecondaryEntry;
    /// use arena_pool::{Pool, SecondaryPool};
    ///
    /// let mut pool = Pool::new();
    /// let mut extra = SecondaryPool::new();
    /// let h = pool.insert(());
    /// let Some(SecondaryEntry::Vacant(entry)) = extra.entry(h) else { unreachable!() };
    /// *entry.insert(1) += 1;
    /// assert_eq!(extra[h], 2);
    /// ```
    pub fn insert(self, value: V) -> &'a mut V {
        // The slot has not seen a newer generation (checked when the entry
        // was made), so attaching cannot be refused.
        let _ = self.0.pool.insert(self.0.handle, value);
        self.0.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variant_lives_in_the_handle_niche() {
        // No separate tag: the slot is the handle and the value, whatever
        // the target's alignment of `u64`. Small values pay for the handle.
        assert_eq!(size_of::<Attached<u64>>(), 16);
        assert_eq!(size_of::<Attached<[u64; 6]>>(), 56);
        assert_eq!(size_of::<Attached<u32>>(), size_of::<(Handle<()>, u32)>());
        assert!(size_of::<Attached<u32>>() > 8);
    }

    #[test]
    fn a_slot_answers_only_its_own_handle() {
        let handle = Handle::<()>::new(3, 5);
        let filled = Attached::Filled { handle, value: 'x' };
        assert_eq!(filled.get(handle), Some(&'x'));
        assert_eq!(filled.get(Handle::new(3, 7)), None);
        assert_eq!(filled.get(Handle::new(4, 5)), None);
        assert_eq!(filled.version(), 5);
        let mut empty: Attached<char> = Attached::Empty { version: 5 };
        assert_eq!(empty.get_mut(handle), None);
        assert_eq!(empty.version(), 5);
    }
}
