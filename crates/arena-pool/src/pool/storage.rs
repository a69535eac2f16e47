//! Where a pool keeps its slots: a heap vector (growing, or bounded) or an
//! inline array. The [`Core`](super::pool_core::Core) holds the free list and
//! the counts once, whatever the storage.

#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
#[cfg(feature = "alloc")]
use core::{hint, mem};

use super::slot::Slot;
use super::{Handle, MAX_SLOTS};

/// The slots of a pool, as the core sees them: a prefix of slots in use
/// (each ever held a value, or was restored), and room for more.
pub(crate) trait Storage {
    /// The type of the values.
    type Value;

    /// The slots in use.
    fn slots(&self) -> &[Slot<Self::Value>];

    /// The slots in use, mutably.
    fn slots_mut(&mut self) -> &mut [Slot<Self::Value>];

    /// The most slots the storage can ever hold (at most [`MAX_SLOTS`]).
    fn max_slots(&self) -> usize;

    /// How many slots it holds without allocating (at most
    /// [`max_slots`](Storage::max_slots)).
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    fn capacity(&self) -> usize;

    /// Appends a slot holding `value` under the first generation and
    /// returns its handle, or hands `value` back when there is no room for
    /// it without allocating (see [`grow`](Storage::grow)).
    fn push(&mut self, value: Self::Value) -> Result<Handle<Self::Value>, Self::Value>;

    /// Makes room for at least one more slot; `false` when
    /// [`max_slots`](Storage::max_slots) slots are in use.
    fn grow(&mut self) -> bool;

    /// Appends a slot that never held a value; `false` when
    /// [`max_slots`](Storage::max_slots) slots are in use.
    fn push_vacant(&mut self) -> bool;
}

/// The slots on the heap: a `Vec` that grows, or one allocated to its
/// bound once.
#[cfg(feature = "alloc")]
pub(crate) struct HeapSlots<T> {
    slots: Vec<Slot<T>>,
    /// `min(slots.capacity(), max)`: below it, a new slot needs neither an
    /// allocation nor a check against the bound.
    push_limit: usize,
    /// [`MAX_SLOTS`], or the bound.
    max: usize,
    /// Whether a bound was asked for.
    bounded: bool,
}

#[cfg(feature = "alloc")]
impl<T> HeapSlots<T> {
    /// No slots, growing as needed; allocates nothing.
    pub(crate) const fn growing() -> Self {
        Self {
            slots: Vec::new(),
            push_limit: 0,
            max: MAX_SLOTS,
            bounded: false,
        }
    }

    /// No slots, with room for exactly `capacity` (clamped to
    /// [`MAX_SLOTS`]).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let mut heap = Self::growing();
        heap.reserve_exact(capacity.min(MAX_SLOTS));
        heap
    }

    /// No slots, at most `bound` of them. When `allocate` is set the room
    /// for all of them is allocated now (and never again); otherwise it
    /// grows as needed up to the bound.
    ///
    /// # Panics
    ///
    /// When `bound` exceeds [`MAX_SLOTS`].
    pub(crate) fn bounded(bound: usize, allocate: bool) -> Self {
        assert!(
            bound <= MAX_SLOTS,
            "a pool has at most {MAX_SLOTS} slots, asked for {bound}"
        );
        let mut heap = Self {
            max: bound,
            bounded: true,
            ..Self::growing()
        };
        if allocate {
            heap.reserve_exact(bound);
        }
        heap
    }

    /// Restored slots, under the bound `bound` (or none), in an allocation
    /// sized by their number (never by the bound).
    #[cfg(feature = "serde")]
    pub(crate) fn restored(
        mut slots: Vec<Slot<T>>,
        bound: Option<usize>,
    ) -> Result<Self, Vec<Slot<T>>> {
        let max = bound.unwrap_or(MAX_SLOTS);
        if max > MAX_SLOTS || slots.len() > max {
            return Err(slots);
        }
        slots.shrink_to_fit();
        let mut heap = Self {
            slots,
            push_limit: 0,
            max,
            bounded: bound.is_some(),
        };
        heap.update_push_limit();
        Ok(heap)
    }

    /// Whether a bound was asked for.
    pub(crate) const fn is_bounded(&self) -> bool {
        self.bounded
    }

    /// The bound, for a bounded pool.
    #[cfg_attr(not(any(test, feature = "serde")), allow(dead_code))]
    pub(crate) fn bound(&self) -> Option<usize> {
        self.bounded.then_some(self.max)
    }

    fn update_push_limit(&mut self) {
        self.push_limit = self.slots.capacity().min(self.max);
    }

    /// Room for `additional` more slots beyond those in use (never past the
    /// bound), without over-allocating.
    ///
    /// # Panics
    ///
    /// When the storage would exceed `isize::MAX` bytes.
    pub(crate) fn reserve_exact(&mut self, additional: usize) {
        let additional = additional.min(self.max - self.slots.len());
        self.slots.reserve_exact(additional);
        self.update_push_limit();
    }

    /// Room for `additional` more slots beyond those in use (never past the
    /// bound), growing by at least doubling.
    ///
    /// # Panics
    ///
    /// When the storage would exceed `isize::MAX` bytes.
    pub(crate) fn reserve(&mut self, additional: usize) {
        if let Some(more) = more_slots(&self.slots, self.max, additional) {
            self.slots.reserve_exact(more);
        }
        self.update_push_limit();
    }

    /// Drops the slots from `len` on (they must hold no value) and gives
    /// the unused room back to the allocator.
    pub(crate) fn truncate_and_shrink(&mut self, len: usize) {
        debug_assert!(
            self.slots[len.min(self.slots.len())..]
                .iter()
                .all(|s| !s.is_occupied())
        );
        self.slots.truncate(len);
        self.slots.shrink_to_fit();
        self.update_push_limit();
    }

    /// Becomes a copy of `source`'s slots, reusing this allocation where it
    /// can.
    pub(crate) fn clone_from_slots(&mut self, source: &Self)
    where
        T: Clone,
    {
        self.slots.clone_from(&source.slots);
        self.max = source.max;
        self.bounded = source.bounded;
        if self.bounded {
            self.reserve_exact(source.push_limit.saturating_sub(self.slots.len()));
        }
        self.update_push_limit();
    }
}

#[cfg(feature = "alloc")]
impl<T: Clone> Clone for HeapSlots<T> {
    /// The same slots; a bounded copy gets the room its source had.
    fn clone(&self) -> Self {
        let room = if self.bounded {
            self.push_limit
        } else {
            self.slots.len()
        };
        let mut slots = Vec::with_capacity(room);
        slots.extend_from_slice(&self.slots);
        let mut copy = Self {
            slots,
            push_limit: 0,
            max: self.max,
            bounded: self.bounded,
        };
        copy.update_push_limit();
        copy
    }

    fn clone_from(&mut self, source: &Self) {
        self.clone_from_slots(source);
    }
}

#[cfg(feature = "alloc")]
impl<T> Storage for HeapSlots<T> {
    type Value = T;

    #[inline(always)]
    fn slots(&self) -> &[Slot<T>] {
        &self.slots
    }

    #[inline(always)]
    fn slots_mut(&mut self) -> &mut [Slot<T>] {
        &mut self.slots
    }

    #[inline(always)]
    fn max_slots(&self) -> usize {
        self.max
    }

    #[inline(always)]
    fn capacity(&self) -> usize {
        self.push_limit
    }

    fn push_vacant(&mut self) -> bool {
        if self.slots.len() >= self.max {
            return false;
        }
        self.reserve(1);
        self.slots.push(Slot::vacant());
        true
    }

    #[inline(always)]
    fn push(&mut self, value: T) -> Result<Handle<T>, T> {
        let index = self.slots.len();
        // Below the capacity and the bound is below `push_limit`; testing the
        // capacity itself shows the compiler that `push` cannot grow the
        // vector, so no call gets the vector's address (see `grow`).
        if index >= self.max {
            hint::cold_path();
            return Err(value);
        }
        if index >= self.slots.capacity() {
            hint::cold_path();
            return Err(value);
        }
        let (slot, handle) = Slot::first(index as u32, value);
        self.slots.push(slot);
        Ok(handle)
    }

    #[inline(always)]
    fn grow(&mut self) -> bool {
        // The vector grows out of line as a local of its own, so the
        // address of the pool holding it never reaches a call: the
        // compiler may keep a pool's fields in registers. The growth
        // cannot panic, so the slots are always put back; a failure is
        // reported once they are.
        let mut slots = mem::take(&mut self.slots);
        let grown = grow_slots(&mut slots, self.max);
        self.slots = slots;
        if let Err(capacity) = grown {
            growth_failed::<T>(capacity);
        }
        self.update_push_limit();
        self.slots.len() < self.push_limit
    }
}

/// How many more slots `slots` should make room for to take `additional`
/// more (never past `max` in all), growing by at least doubling; `None`
/// when it has the room.
#[cfg(feature = "alloc")]
fn more_slots<T>(slots: &Vec<Slot<T>>, max: usize, additional: usize) -> Option<usize> {
    let len = slots.len();
    let room = max - len;
    let additional = additional.min(room);
    if slots.capacity() - len >= additional {
        return None;
    }
    let doubled = slots.capacity().saturating_mul(2).max(4) - len;
    Some(additional.max(doubled).min(room))
}

/// Room in `slots` for one more (never past `max` in all), growing by at
/// least doubling, without panicking: the capacity asked for when the
/// allocation fails.
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
fn grow_slots<T>(slots: &mut Vec<Slot<T>>, max: usize) -> Result<(), usize> {
    match more_slots(slots, max, 1) {
        Some(more) => slots
            .try_reserve_exact(more)
            .map_err(|_| slots.len().saturating_add(more)),
        None => Ok(()),
    }
}

/// Fails as `Vec::reserve_exact` does for `capacity` slots: a panic when
/// they would not fit in `isize::MAX` bytes, the allocation error handler
/// otherwise.
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
fn growth_failed<T>(capacity: usize) -> ! {
    match core::alloc::Layout::array::<Slot<T>>(capacity) {
        Ok(layout) => alloc::alloc::handle_alloc_error(layout),
        Err(_) => panic!("capacity overflow"),
    }
}

/// `N` slots stored inline; those from `used` on never held a value.
pub(crate) struct InlineSlots<T, const N: usize> {
    slots: [Slot<T>; N],
    used: usize,
}

impl<T, const N: usize> InlineSlots<T, N> {
    /// `N` slots, none used.
    ///
    /// Fails to compile when `N` exceeds [`MAX_SLOTS`].
    pub(crate) const fn new() -> Self {
        const { assert!(N <= MAX_SLOTS, "a FixedPool has at most u32::MAX slots") };
        Self {
            slots: [const { Slot::vacant() }; N],
            used: 0,
        }
    }

    /// Restored slots, or the slots back when there are more than `N`.
    #[cfg(feature = "serde")]
    pub(crate) fn restored(slots: Vec<Slot<T>>) -> Result<Self, Vec<Slot<T>>> {
        if slots.len() > N {
            return Err(slots);
        }
        let mut inline = Self::new();
        inline.used = slots.len();
        for (place, slot) in inline.slots.iter_mut().zip(slots) {
            *place = slot;
        }
        Ok(inline)
    }
}

impl<T: Clone, const N: usize> Clone for InlineSlots<T, N> {
    fn clone(&self) -> Self {
        Self {
            slots: self.slots.clone(),
            used: self.used,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.slots[..source.used].clone_from_slice(&source.slots[..source.used]);
        for slot in &mut self.slots[source.used..self.used.max(source.used)] {
            *slot = Slot::vacant();
        }
        self.used = source.used;
    }
}

impl<T, const N: usize> Storage for InlineSlots<T, N> {
    type Value = T;

    #[inline(always)]
    fn slots(&self) -> &[Slot<T>] {
        &self.slots[..self.used]
    }

    #[inline(always)]
    fn slots_mut(&mut self) -> &mut [Slot<T>] {
        &mut self.slots[..self.used]
    }

    #[inline(always)]
    fn max_slots(&self) -> usize {
        N
    }

    #[inline(always)]
    fn capacity(&self) -> usize {
        N
    }

    fn push_vacant(&mut self) -> bool {
        match self.slots.get_mut(self.used) {
            Some(slot) => {
                *slot = Slot::vacant();
                self.used += 1;
                true
            }
            None => false,
        }
    }

    fn grow(&mut self) -> bool {
        self.used < N
    }

    #[inline(always)]
    fn push(&mut self, value: T) -> Result<Handle<T>, T> {
        let index = self.used;
        match self.slots.get_mut(index) {
            Some(slot) => {
                let (first, handle) = Slot::first(index as u32, value);
                *slot = first;
                self.used += 1;
                Ok(handle)
            }
            None => Err(value),
        }
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    #[test]
    fn heap_capacity_is_exact_and_bounded() {
        let heap: HeapSlots<u64> = HeapSlots::with_capacity(2);
        assert_eq!(heap.capacity(), 2);
        let mut bounded: HeapSlots<u8> = HeapSlots::bounded(3, true);
        assert_eq!(bounded.capacity(), 3);
        for i in 0..3 {
            assert_eq!(bounded.push(i).map(Handle::index), Ok(usize::from(i)));
        }
        assert_eq!(bounded.push(9), Err(9));
        assert!(!bounded.grow());
        let mut lazy: HeapSlots<u8> = HeapSlots::bounded(5, false);
        assert_eq!(lazy.capacity(), 0);
        for i in 0..5 {
            let handle = lazy.push(i).or_else(|i| {
                assert!(lazy.grow());
                lazy.push(i)
            });
            assert_eq!(handle.map(Handle::index), Ok(usize::from(i)));
            assert!(lazy.capacity() <= 5);
        }
        assert_eq!(lazy.push(9), Err(9));
        assert!(!lazy.grow());
        lazy.reserve(100);
        assert_eq!(lazy.capacity(), 5);
    }

    #[test]
    fn inline_pushes_until_full() {
        let mut inline: InlineSlots<u8, 2> = InlineSlots::new();
        assert_eq!(inline.push(1).map(Handle::index), Ok(0));
        assert_eq!(inline.push(2).map(Handle::index), Ok(1));
        assert_eq!(inline.push(3), Err(3));
        assert_eq!(inline.slots().len(), 2);
        let mut other: InlineSlots<u8, 2> = InlineSlots::new();
        other.push(7).unwrap();
        inline.clone_from(&other);
        assert_eq!(inline.slots().len(), 1);
        assert_eq!(inline.slots()[0].value(), Some(&7));
        assert_eq!(inline.slots[1].value(), None);
    }
}
