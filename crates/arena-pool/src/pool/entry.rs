//! Entries: a handle's place in a pool, free or holding a value, to fill,
//! change or empty without looking it up again.

#![forbid(unsafe_code)]

use core::fmt;
use core::marker::PhantomData;

use super::Handle;
use super::key::{Key, key};

/// What an entry needs of the pool it came from (whatever its storage).
pub(crate) trait EntryTarget<T> {
    /// Puts `value` under `handle` (as `insert_at`) and returns it.
    fn fill(&mut self, handle: Handle<T>, value: T) -> Option<&mut T>;
    /// The value `handle` reaches.
    fn value_mut(&mut self, handle: Handle<T>) -> Option<&mut T>;
    /// Removes the value `handle` reaches.
    fn take(&mut self, handle: Handle<T>) -> Option<T>;
}

/// A handle's place in a pool, made by [`Pool::entry`](crate::Pool::entry)
/// and [`FixedPool::entry`](crate::FixedPool::entry): its value, or the
/// free slot that can take one under that very handle.
///
/// ```
/// use arena_pool::pool::Entry;
/// use arena_pool::Pool;
///
/// let mut source = Pool::new();
/// let h = source.insert(1);
/// let mut replica = Pool::new();
/// for _ in 0..2 {
///     match replica.entry(h).unwrap() {
///         Entry::Occupied(mut e) => *e.get_mut() += 1,
///         Entry::Vacant(e) => {
///             e.insert(1);
///         }
///     }
/// }
/// assert_eq!(replica[h], 2);
/// ```
pub enum Entry<'a, T, K = Handle<T>> {
    /// The handle reaches a value.
    Occupied(OccupiedEntry<'a, T, K>),
    /// The handle's slot is free and can take a value under it.
    Vacant(VacantEntry<'a, T, K>),
}

impl<'a, T> Entry<'a, T> {
    /// The same entry, for a pool whose handles are `K`s.
    #[inline]
    pub(crate) fn keyed<K>(self) -> Entry<'a, T, K> {
        match self {
            Self::Occupied(entry) => Entry::Occupied(OccupiedEntry {
                pool: entry.pool,
                handle: entry.handle,
                key: PhantomData,
            }),
            Self::Vacant(entry) => Entry::Vacant(entry.keyed()),
        }
    }
}

impl<'a, T, K: Key> Entry<'a, T, K> {
    /// The entry's handle.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert('a');
    /// assert_eq!(pool.entry(h).unwrap().handle(), h);
    /// ```
    #[must_use]
    pub fn handle(&self) -> K {
        match self {
            Self::Occupied(entry) => entry.handle(),
            Self::Vacant(entry) => entry.handle(),
        }
    }

    /// The value, after moving `default` in when the slot was free.
    ///
    /// ```
    /// use arena_pool::{Handle, Pool};
    ///
    /// let mut pool = Pool::new();
    /// let h = Handle::from_bits(1 << 32).unwrap();
    /// *pool.entry(h).unwrap().or_insert(0) += 5;
    /// *pool.entry(h).unwrap().or_insert(0) += 5;
    /// assert_eq!(pool[h], 10);
    /// ```
    pub fn or_insert(self, default: T) -> &'a mut T {
        self.or_insert_with(|| default)
    }

    /// The value, after moving in the one `make` builds when the slot was
    /// free.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool: Pool<String> = Pool::new();
    /// let h = pool.next_handle().unwrap();
    /// pool.entry(h).unwrap().or_insert_with(String::new).push('x');
    /// assert_eq!(pool[h], "x");
    /// ```
    pub fn or_insert_with(self, make: impl FnOnce() -> T) -> &'a mut T {
        match self {
            Self::Occupied(entry) => entry.into_mut(),
            Self::Vacant(entry) => entry.insert(make()),
        }
    }

    /// Calls `change` on the value, if there is one, and gives the entry
    /// back.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// pool.entry(h).unwrap().and_modify(|v| *v *= 7).or_insert(0);
    /// assert_eq!(pool[h], 7);
    /// ```
    #[must_use]
    pub fn and_modify(mut self, change: impl FnOnce(&mut T)) -> Self {
        if let Self::Occupied(entry) = &mut self {
            change(entry.get_mut());
        }
        self
    }
}

impl<T, K: Key> fmt::Debug for Entry<'_, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Occupied(entry) => f.debug_tuple("Occupied").field(entry).finish(),
            Self::Vacant(entry) => f.debug_tuple("Vacant").field(entry).finish(),
        }
    }
}

/// A handle that reaches a value, as [`Entry::Occupied`] holds it.
///
/// ```
/// use arena_pool::pool::Entry;
/// use arena_pool::Pool;
///
/// let mut pool = Pool::new();
/// let h = pool.insert(String::from("a"));
/// if let Some(Entry::Occupied(entry)) = pool.entry(h) {
///     assert_eq!(entry.remove(), "a");
/// }
/// assert!(pool.is_empty());
/// ```
pub struct OccupiedEntry<'a, T, K = Handle<T>> {
    pool: &'a mut dyn EntryTarget<T>,
    handle: Handle<T>,
    key: PhantomData<fn() -> K>,
}

impl<'a, T> OccupiedEntry<'a, T> {
    /// The entry of `handle`, which reaches a value in `pool`.
    pub(crate) fn new(pool: &'a mut dyn EntryTarget<T>, handle: Handle<T>) -> Self {
        Self {
            pool,
            handle,
            key: PhantomData,
        }
    }
}

impl<'a, T, K: Key> OccupiedEntry<'a, T, K> {
    /// The handle.
    ///
    /// ```
    /// use arena_pool::pool::Entry;
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(0);
    /// let Some(Entry::Occupied(entry)) = pool.entry(h) else { unreachable!() };
    /// assert_eq!(entry.handle(), h);
    /// ```
    #[must_use]
    pub fn handle(&self) -> K {
        key(self.handle)
    }

    /// The value, mutably, for as long as the entry.
    ///
    /// ```
    /// use arena_pool::pool::Entry;
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// let Some(Entry::Occupied(mut entry)) = pool.entry(h) else { unreachable!() };
    /// *entry.get_mut() = 2;
    /// assert_eq!(pool[h], 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        match self.pool.value_mut(self.handle) {
            Some(value) => value,
            None => unreachable!("an occupied entry's value went away"),
        }
    }

    /// The value, mutably, for as long as the pool's borrow.
    ///
    /// ```
    /// use arena_pool::pool::Entry;
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// let Some(Entry::Occupied(entry)) = pool.entry(h) else { unreachable!() };
    /// *entry.into_mut() += 1;
    /// assert_eq!(pool[h], 2);
    /// ```
    #[must_use]
    pub fn into_mut(self) -> &'a mut T {
        match self.pool.value_mut(self.handle) {
            Some(value) => value,
            None => unreachable!("an occupied entry's value went away"),
        }
    }

    /// Replaces the value, returning the old one; the handle stays.
    ///
    /// ```
    /// use arena_pool::pool::Entry;
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// let Some(Entry::Occupied(mut entry)) = pool.entry(h) else { unreachable!() };
    /// assert_eq!(entry.insert(2), 1);
    /// assert_eq!(pool[h], 2);
    /// ```
    pub fn insert(&mut self, value: T) -> T {
        core::mem::replace(self.get_mut(), value)
    }

    /// Removes the value; the handle is dead afterwards.
    ///
    /// ```
    /// use arena_pool::pool::Entry;
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// let Some(Entry::Occupied(entry)) = pool.entry(h) else { unreachable!() };
    /// assert_eq!(entry.remove(), 1);
    /// assert_eq!(pool.get(h), None);
    /// ```
    pub fn remove(self) -> T {
        match self.pool.take(self.handle) {
            Some(value) => value,
            None => unreachable!("an occupied entry's value went away"),
        }
    }
}

impl<T, K: Key> fmt::Debug for OccupiedEntry<'_, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OccupiedEntry")
            .field("handle", &self.handle())
            .finish_non_exhaustive()
    }
}

/// A free slot of a pool, with the handle a value moved in will have; made
/// by [`Pool::vacant_entry`](crate::Pool::vacant_entry) (slab's
/// `VacantEntry`), [`FixedPool::vacant_entry`](crate::FixedPool::vacant_entry)
/// and as [`Entry::Vacant`].
///
/// ```
/// use arena_pool::{Handle, Pool};
///
/// struct Node {
///     me: Handle<Node>,
/// }
///
/// let mut pool = Pool::new();
/// let entry = pool.vacant_entry().unwrap();
/// let h = entry.handle();
/// entry.insert(Node { me: h });
/// assert_eq!(pool[h].me, h);
/// ```
pub struct VacantEntry<'a, T, K = Handle<T>> {
    pool: &'a mut dyn EntryTarget<T>,
    handle: Handle<T>,
    key: PhantomData<fn() -> K>,
}

impl<'a, T> VacantEntry<'a, T> {
    /// The entry of `handle`, whose slot in `pool` can take it.
    pub(crate) fn new(pool: &'a mut dyn EntryTarget<T>, handle: Handle<T>) -> Self {
        Self {
            pool,
            handle,
            key: PhantomData,
        }
    }

    /// The same entry, for a pool whose handles are `K`s.
    #[inline]
    pub(crate) fn keyed<K>(self) -> VacantEntry<'a, T, K> {
        VacantEntry {
            pool: self.pool,
            handle: self.handle,
            key: PhantomData,
        }
    }
}

impl<'a, T, K: Key> VacantEntry<'a, T, K> {
    /// The handle the value will have.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<u8, 2> = FixedPool::new();
    /// let h = pool.vacant_entry().unwrap().handle();
    /// assert_eq!(h.index(), 0);
    /// ```
    #[must_use]
    pub fn handle(&self) -> K {
        key(self.handle)
    }

    /// Moves `value` in, under [`handle`](VacantEntry::handle), and returns
    /// it mutably.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// *pool.vacant_entry().unwrap().insert(1) += 1;
    /// assert_eq!(pool.values().copied().collect::<Vec<_>>(), [2]);
    /// ```
    pub fn insert(self, value: T) -> &'a mut T {
        // The entry borrows the pool mutably since it found the slot free,
        // so the slot is still free and the insertion cannot fail.
        match self.pool.fill(self.handle, value) {
            Some(value) => value,
            None => unreachable!("a vacant entry's slot was taken"),
        }
    }
}

impl<T, K: Key> fmt::Debug for VacantEntry<'_, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VacantEntry")
            .field("handle", &self.handle())
            .finish_non_exhaustive()
    }
}
