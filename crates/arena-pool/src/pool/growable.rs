//! [`Pool`]: the pool on the heap, growing or bounded.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{Index, IndexMut};

use super::shared::{self, PoolBackend};
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
/// when it drops. Iteration skips vacant slots 64 at a time through an
/// occupancy bitmap, so a sparse pool iterates fast.
///
/// A slot takes `size_of::<T>()` plus 4 bytes rounded up to `T`'s
/// alignment (16 bytes for a `u64`), and one bit of bitmap.
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
pub struct Pool<T> {
    /// The slots; see [`Slot`] for the invariant tying a slot's version to
    /// its contents.
    pub(super) slots: Vec<Slot<T>>,
    /// Bit `i` is set exactly when `slots[i]` holds a value or is the
    /// free-list head. `occupied.len() == bitmap::words_for(slots.len())`
    /// and the bits beyond `slots.len()` are clear.
    ///
    /// Keeping the head's bit set makes the usual remove-then-insert pair
    /// free of bitmap updates: the removed slot becomes the head with its
    /// bit still set, and the next insertion reuses it. Only the slot that
    /// loses or gains the head position without changing hands pays.
    pub(super) occupied: Vec<u64>,
    /// The first slot of the free list ([`NO_SLOT`] when empty). The list
    /// links, through `next_free`, exactly the vacant slots that are not
    /// retired, each once.
    pub(super) free_head: u32,
    /// The number of set bits in `occupied`: the occupied slots, plus one
    /// while the free list is not empty.
    pub(super) set_bits: u32,
    /// The number of retired slots.
    pub(super) retired: u32,
    /// The most slots `slots` may hold: [`MAX_SLOTS`], or the bound.
    pub(super) max_slots: usize,
    /// `min(64 * occupied.len(), max_slots)`: below it, a new slot needs
    /// neither a new bitmap word nor a check against the bound.
    pub(super) push_limit: usize,
    /// Whether the pool was made with [`Pool::bounded`]; then
    /// `slots.capacity() >= max_slots`, so pushing never reallocates.
    pub(super) bounded: bool,
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
        Self {
            slots: Vec::new(),
            occupied: Vec::new(),
            free_head: NO_SLOT,
            set_bits: 0,
            retired: 0,
            max_slots: MAX_SLOTS,
            push_limit: 0,
            bounded: false,
        }
    }

    /// An empty growing pool with room for at least `capacity` values
    /// before it reallocates.
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
    /// assert!(pool.capacity() >= 100);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        let mut pool = Self::new();
        pool.reserve(capacity);
        pool
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
        assert!(
            n <= MAX_SLOTS,
            "a pool has at most {MAX_SLOTS} slots, asked for {n}"
        );
        Self {
            slots: Vec::with_capacity(n),
            occupied: Vec::with_capacity(bitmap::words_for(n)),
            max_slots: n,
            bounded: true,
            ..Self::new()
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
        (self.set_bits - (self.free_head != NO_SLOT) as u32) as usize
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

    /// How many values the pool can hold without allocating: for a bounded
    /// pool, its `n` slots (less any retired ones); for a growing pool, the
    /// slots its storage has room for.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u8> = Pool::bounded(5);
    /// assert_eq!(pool.capacity(), 5);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        let slots = if self.bounded {
            self.max_slots
        } else {
            self.slots.capacity().min(self.max_slots)
        };
        slots - self.retired as usize
    }

    /// Whether the pool was made with [`bounded`](Pool::bounded).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// assert!(Pool::<u8>::bounded(3).is_bounded());
    /// assert!(!Pool::<u8>::new().is_bounded());
    /// ```
    #[must_use]
    pub const fn is_bounded(&self) -> bool {
        self.bounded
    }

    /// Makes room for at least `additional` more values without
    /// reallocating. A bounded pool already has all its room; for it this
    /// does nothing.
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
        if self.bounded {
            return;
        }
        let reusable = self.slots.len() - self.len() - self.retired as usize;
        let new_slots = additional.saturating_sub(reusable);
        let total = self.slots.len().saturating_add(new_slots);
        self.slots.reserve(new_slots);
        self.occupied
            .reserve(bitmap::words_for(total).saturating_sub(self.occupied.len()));
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
    pub fn insert(&mut self, value: T) -> Handle<T> {
        shared::expect_inserted(self.try_insert(value))
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
    pub fn try_insert(&mut self, value: T) -> Result<Handle<T>, Full<T>> {
        let head = self.free_head;
        if head == NO_SLOT {
            return self.push(value);
        }
        debug_assert!((head as usize) < self.slots.len());
        // SAFETY: the free list links only vacant, reusable slots (field
        // invariant), so its head, when not `NO_SLOT`, is below
        // `slots.len()` and names such a slot.
        let (version, next) = unsafe {
            self.slots
                .get_unchecked_mut(head as usize)
                .occupy_linked(value)
        };
        self.free_head = next;
        // The old head's bit is set and counted, and right as it is now
        // that the slot is occupied; the new head's bit must be set.
        if next != NO_SLOT {
            debug_assert!((next as usize) < self.slots.len());
            // SAFETY: the free list links slots only (field invariant), so
            // `next < slots.len()`, and `occupied.len() ==
            // words_for(slots.len())` (field invariant), so `next / 64 <
            // occupied.len()`.
            unsafe { bitmap::set_unchecked(&mut self.occupied, next as usize) };
            self.set_bits += 1;
        }
        Ok(Handle::new(head, version))
    }

    /// Inserts `value` in a new slot at the end.
    #[inline]
    pub(super) fn push(&mut self, value: T) -> Result<Handle<T>, Full<T>> {
        let index = self.slots.len();
        if index >= self.push_limit {
            return self.push_slow(value);
        }
        self.slots.push(Slot::first(value));
        // SAFETY: `index < push_limit <= 64 * occupied.len()` (field
        // invariant), so `index / 64 < occupied.len()`.
        unsafe { bitmap::set_unchecked(&mut self.occupied, index) };
        self.set_bits += 1;
        Ok(Handle::new(index as u32, generation::FIRST_OCCUPIED))
    }

    /// Inserts `value` in a new slot at the end, once `push_limit` is
    /// reached: the pool is full, or the slot needs a new bitmap word.
    /// Nothing changes if an allocation fails.
    #[cold]
    #[inline(never)]
    pub(super) fn push_slow(&mut self, value: T) -> Result<Handle<T>, Full<T>> {
        let index = self.slots.len();
        if index >= self.max_slots {
            return Err(self.full(value));
        }
        // Below `max_slots`, `push_limit` is `64 * occupied.len()`, and
        // `occupied.len() == words_for(index)`: `index` is that limit, the
        // first slot of a word not yet there.
        debug_assert_eq!(index, 64 * self.occupied.len());
        self.occupied.reserve(1);
        self.slots.push(Slot::first(value));
        // Room was reserved above, so this cannot fail.
        self.occupied.push(1);
        self.set_bits += 1;
        self.update_push_limit();
        Ok(Handle::new(index as u32, generation::FIRST_OCCUPIED))
    }

    /// Recomputes `push_limit` from the bitmap's length and the bound.
    pub(super) fn update_push_limit(&mut self) {
        self.push_limit = self.occupied.len().saturating_mul(64).min(self.max_slots);
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
    pub fn insert_with(&mut self, make: impl FnOnce(Handle<T>) -> T) -> Handle<T> {
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
    pub fn try_insert_with<F: FnOnce(Handle<T>) -> T>(
        &mut self,
        make: F,
    ) -> Result<Handle<T>, Full<F>> {
        shared::try_insert_with(self, make)
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
    pub fn get(&self, handle: Handle<T>) -> Option<&T> {
        shared::get(&self.slots, handle)
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
    pub fn get_mut(&mut self, handle: Handle<T>) -> Option<&mut T> {
        shared::get_mut(&mut self.slots, handle)
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
    pub fn contains(&self, handle: Handle<T>) -> bool {
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
    pub fn remove(&mut self, handle: Handle<T>) -> Option<T> {
        let index = handle.index();
        let slot = self.slots.get_mut(index)?;
        let (value, version) = slot.vacate_at(handle.generation(), self.free_head)?;
        // SAFETY: `index < slots.len()`: its slot was just found.
        unsafe { self.vacated(index, version) };
        Some(value)
    }

    /// The bookkeeping after slot `index` was vacated, linked to the old
    /// free-list head, taking `version`: it becomes the head (its bit left
    /// set), or is retired.
    ///
    /// # Safety
    ///
    /// `index < self.slots.len()`.
    #[inline(always)]
    pub(super) unsafe fn vacated(&mut self, index: usize, version: u32) {
        if version == generation::RETIRED {
            // SAFETY: `index < slots.len()` (the caller's contract).
            unsafe { self.retire(index) };
            return;
        }
        let old_head = self.free_head;
        self.free_head = index as u32;
        // The slot keeps its bit as the new head (it stays counted); the
        // old head, now second, loses its bit.
        if old_head != NO_SLOT {
            debug_assert!((old_head as usize) < self.slots.len());
            // SAFETY: the free list links slots only (field invariant), so
            // `old_head < slots.len()`, and `occupied.len() ==
            // words_for(slots.len())` (field invariant), so `old_head / 64 <
            // occupied.len()`.
            unsafe { bitmap::clear_unchecked(&mut self.occupied, old_head as usize) };
            self.set_bits -= 1;
        }
    }

    /// Counts slot `index` as retired and clears its bit.
    ///
    /// # Safety
    ///
    /// `index < self.slots.len()`.
    #[cold]
    #[inline(never)]
    pub(super) unsafe fn retire(&mut self, index: usize) {
        // SAFETY: `index < slots.len()` (the caller's contract) and
        // `occupied.len() == words_for(slots.len())` (field invariant), so
        // `index / 64 < occupied.len()`.
        unsafe { bitmap::clear_unchecked(&mut self.occupied, index) };
        self.set_bits -= 1;
        self.retired += 1;
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
        // From the last slot to the first, so the free list ends up in
        // index order.
        for word in (0..self.occupied.len()).rev() {
            let mut bits = self.occupied[word];
            while bits != 0 {
                let bit = 63 - bits.leading_zeros() as usize;
                bits &= !(1 << bit);
                // A set bit on a vacant slot (the free-list head's) takes
                // nothing.
                drop(self.take(word * 64 + bit));
            }
        }
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
    pub fn retain(&mut self, mut keep: impl FnMut(Handle<T>, &mut T) -> bool) {
        for word in 0..self.occupied.len() {
            let mut bits = self.occupied[word];
            while bits != 0 {
                let index = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                // A set bit on a vacant slot (the free-list head's) shows
                // nothing to `keep`.
                shared::retain_slot(self, index, &mut keep);
            }
        }
    }

    /// Removes every value, yielding each with its handle. Values the
    /// iterator did not yield when dropped are dropped too; if the iterator
    /// is leaked instead, they stay in the pool.
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
    pub fn drain(&mut self) -> Drain<'_, T> {
        Drain::new(self)
    }

    /// The free-list head, the one vacant slot whose bit is set, if any.
    #[inline]
    pub(super) fn vacant_head(&self) -> Option<usize> {
        (self.free_head != NO_SLOT).then_some(self.free_head as usize)
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
    pub fn iter(&self) -> Iter<'_, T> {
        Iter::new(&self.slots, &self.occupied, self.vacant_head(), self.len())
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
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        let len = self.len();
        let skip = self.vacant_head();
        IterMut::new(&mut self.slots, &self.occupied, skip, len)
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
        handles: [Handle<T>; N],
    ) -> Result<[&mut T; N], GetDisjointMutError> {
        shared::get_disjoint_mut(&mut self.slots, handles)
    }

    /// Raises the generation of every reusable vacant slot to `target` (the
    /// largest vacant generation below it, capped below retirement), so
    /// tests can reach slot retirement quickly. Generations only go up, so
    /// no handle can come to alias.
    #[doc(hidden)]
    pub fn age_vacant_slots(&mut self, target: u32) {
        for slot in &mut self.slots {
            slot.age(target);
        }
    }

    /// Rebuilds a pool from its slots, as deserialisation reads them.
    #[cfg(feature = "serde")]
    pub(super) fn from_slots(
        slots: Vec<Slot<T>>,
        bound: Option<usize>,
    ) -> Result<Self, &'static str> {
        let max_slots = bound.unwrap_or(MAX_SLOTS);
        if max_slots > MAX_SLOTS {
            return Err("pool bound above u32::MAX slots");
        }
        if slots.len() > max_slots {
            return Err("more slots than the pool's bound");
        }
        let mut pool = match bound {
            Some(n) => Self::bounded(n),
            None => Self::with_capacity(slots.len()),
        };
        pool.occupied.resize(bitmap::words_for(slots.len()), 0);
        pool.slots.extend(slots);
        let occupied = &mut pool.occupied;
        let found = shared::link_free_slots(&mut pool.slots, |index| bitmap::set(occupied, index));
        pool.free_head = found.head;
        pool.set_bits = found.occupied;
        pool.retired = found.retired;
        if pool.free_head != NO_SLOT {
            bitmap::set(&mut pool.occupied, pool.free_head as usize);
            pool.set_bits += 1;
        }
        pool.update_push_limit();
        Ok(pool)
    }
}

impl<T> PoolBackend for Pool<T> {
    type Value = T;

    #[inline]
    fn slots_mut(&mut self) -> &mut [Slot<T>] {
        &mut self.slots
    }

    /// The next set bit: an occupied slot or the free-list head.
    #[inline]
    fn next_candidate(&self, from: usize) -> Option<usize> {
        bitmap::next_set(&self.occupied, from)
    }

    #[inline]
    fn take(&mut self, index: usize) -> Option<(Handle<T>, T)> {
        let slot = &mut self.slots[index];
        let version = slot.version();
        let (value, vacant_version) = slot.vacate_at(version, self.free_head)?;
        // SAFETY: `index < slots.len()`: indexing just checked it.
        unsafe { self.vacated(index, vacant_version) };
        Some((Handle::new(index as u32, version), value))
    }

    #[inline]
    fn next_handle(&self) -> Option<Handle<T>> {
        if self.free_head != NO_SLOT {
            let version = self.slots[self.free_head as usize].version();
            Some(Handle::new(self.free_head, generation::occupy(version)?))
        } else if self.slots.len() < self.max_slots {
            let version = generation::occupy(generation::FIRST_VACANT)?;
            Some(Handle::new(self.slots.len() as u32, version))
        } else {
            None
        }
    }

    #[inline]
    fn try_insert(&mut self, value: T) -> Result<Handle<T>, Full<T>> {
        // The inherent method: inherent methods come before trait methods.
        Self::try_insert(self, value)
    }

    #[cold]
    fn full<V>(&self, value: V) -> Full<V> {
        Full::new(value, self.max_slots)
    }
}

impl<T> Default for Pool<T> {
    /// An empty growing pool.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let pool: Pool<u8> = Pool::default();
    /// assert!(pool.is_empty());
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Index<Handle<T>> for Pool<T> {
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
    fn index(&self, handle: Handle<T>) -> &T {
        shared::expect_value(self.get(handle), handle)
    }
}

impl<T> IndexMut<Handle<T>> for Pool<T> {
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
    fn index_mut(&mut self, handle: Handle<T>) -> &mut T {
        shared::expect_value(self.get_mut(handle), handle)
    }
}

impl<T: fmt::Debug> fmt::Debug for Pool<T> {
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

impl<T: Clone> Clone for Pool<T> {
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
        let room = if self.bounded {
            self.max_slots
        } else {
            self.slots.len()
        };
        let mut slots = Vec::with_capacity(room);
        slots.extend(self.slots.iter().cloned());
        let mut occupied = Vec::with_capacity(bitmap::words_for(room));
        occupied.extend_from_slice(&self.occupied);
        Self {
            slots,
            occupied,
            ..*self
        }
    }
}

impl<T> FromIterator<T> for Pool<T> {
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
        let mut pool = Self::new();
        pool.extend(iter);
        pool
    }
}

impl<T> Extend<T> for Pool<T> {
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

impl<'a, T> IntoIterator for &'a Pool<T> {
    type Item = (Handle<T>, &'a T);
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Pool<T> {
    type Item = (Handle<T>, &'a mut T);
    type IntoIter = IterMut<'a, T>;

    fn into_iter(self) -> IterMut<'a, T> {
        self.iter_mut()
    }
}

impl<T> IntoIterator for Pool<T> {
    type Item = (Handle<T>, T);
    type IntoIter = IntoIter<T>;

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
    fn into_iter(self) -> IntoIter<T> {
        IntoIter::new(self)
    }
}
