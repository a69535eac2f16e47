//! What [`Pool`](super::Pool) and [`FixedPool`](super::FixedPool) share.
//!
//! The two pools differ in their storage (a `Vec` that grows or is bounded,
//! an inline array), in how they find their occupied slots (an occupancy
//! bitmap, or a scan of the slots ever used) and in the bookkeeping of
//! insertion and removal. Each pool tells the shared code about those
//! through [`PoolBackend`]; everything else lives here once: lookups by
//! handle, insertion of a value built from its own handle, the step of
//! `retain`, taking values out one by one, and the iterators over slots.
//! Nothing here needs the heap.

use core::fmt;
use core::mem;

use super::slot::{self, Slot};
use super::{Full, GetDisjointMutError, Handle};
#[cfg(feature = "serde")]
use super::{generation, slot::NO_SLOT};

/// What a pool tells the shared code: where its slots are, how to find
/// the occupied ones, and how it inserts and removes values.
pub(super) trait PoolBackend {
    /// The type of the values.
    type Value;

    /// The slots, used or not.
    fn slots_mut(&mut self) -> &mut [Slot<Self::Value>];

    /// The first slot at or after `from` that may hold a value: every
    /// occupied slot is found this way, and some vacant ones may be.
    fn next_candidate(&self, from: usize) -> Option<usize>;

    /// Removes the value of slot `index`, if it holds one, with the handle
    /// that reached it; the slot goes on the free list, or is retired.
    /// Panics when `index` is out of bounds.
    fn take(&mut self, index: usize) -> Option<(Handle<Self::Value>, Self::Value)>;

    /// The handle the next insertion will return, or `None` when the pool
    /// is full.
    fn next_handle(&self) -> Option<Handle<Self::Value>>;

    /// Inserts `value`, as the pool's public `try_insert` does.
    fn try_insert(&mut self, value: Self::Value) -> Result<Handle<Self::Value>, Full<Self::Value>>;

    /// The error for a full pool, holding `value`.
    fn full<V>(&self, value: V) -> Full<V>;

    /// Removes the first value at or after slot `*cursor`, with its
    /// handle, and moves the cursor past it: the step of draining.
    #[inline]
    fn take_next(&mut self, cursor: &mut usize) -> Option<(Handle<Self::Value>, Self::Value)> {
        while let Some(index) = self.next_candidate(*cursor) {
            *cursor = index + 1;
            // A vacant candidate gives nothing, and the search goes on.
            if let Some(taken) = self.take(index) {
                return Some(taken);
            }
        }
        None
    }
}

/// The value `handle` reaches among `slots`, if any.
#[inline(always)]
pub(super) fn get<T>(slots: &[Slot<T>], handle: Handle<T>) -> Option<&T> {
    slots.get(handle.index())?.get(handle.generation())
}

/// The value `handle` reaches among `slots`, mutably, if any.
#[inline(always)]
pub(super) fn get_mut<T>(slots: &mut [Slot<T>], handle: Handle<T>) -> Option<&mut T> {
    slots.get_mut(handle.index())?.get_mut(handle.generation())
}

/// The value a lookup found; when it found none, a panic naming `handle`.
#[inline]
#[track_caller]
pub(super) fn expect_value<V, T>(found: Option<V>, handle: Handle<T>) -> V {
    match found {
        Some(value) => value,
        None => stale(handle),
    }
}

#[cold]
#[track_caller]
fn stale(handle: impl fmt::Debug) -> ! {
    panic!("{handle:?} reaches no value in this pool: it was removed, or is from another pool")
}

/// The handle an insertion returned; when the pool was full, a panic
/// with the [`Full`] error's message.
#[inline(always)]
#[track_caller]
pub(super) fn expect_inserted<T, V>(inserted: Result<Handle<T>, Full<V>>) -> Handle<T> {
    match inserted {
        Ok(handle) => handle,
        Err(full) => panic!("{full}"),
    }
}

/// Inserts the value `make` builds from its own handle, or hands `make`
/// back, uncalled, when the pool is full. If `make` panics, the pool is
/// left as it was.
pub(super) fn try_insert_with<P: PoolBackend, F: FnOnce(Handle<P::Value>) -> P::Value>(
    pool: &mut P,
    make: F,
) -> Result<Handle<P::Value>, Full<F>> {
    let Some(handle) = pool.next_handle() else {
        return Err(pool.full(make));
    };
    let value = make(handle);
    // `make` cannot reach the pool, so the same slot is still next.
    let inserted = pool.try_insert(value).ok();
    debug_assert_eq!(inserted, Some(handle));
    Ok(handle)
}

/// The step of `retain` for slot `index`: shows its value, if any, to
/// `keep`, and removes the value when `keep` returns `false`.
#[inline]
pub(super) fn retain_slot<P: PoolBackend>(
    pool: &mut P,
    index: usize,
    keep: &mut impl FnMut(Handle<P::Value>, &mut P::Value) -> bool,
) {
    let slot = &mut pool.slots_mut()[index];
    let version = slot.version();
    if let Some(value) = slot.value_mut()
        && !keep(Handle::new(index as u32, version), value)
    {
        drop(pool.take(index));
    }
}

/// Mutable references to the values `handles` reach among `slots`.
pub(super) fn get_disjoint_mut<T, const N: usize>(
    slots: &mut [Slot<T>],
    handles: [Handle<T>; N],
) -> Result<[&mut T; N], GetDisjointMutError> {
    check_disjoint(&handles, |handle| get(slots, handle).is_some())?;
    slot::disjoint_values_mut(slots, handles.map(Handle::index))
        .ok_or(GetDisjointMutError::Stale { position: 0 })
}

/// Checks that every handle passes `live` and that no two are equal.
fn check_disjoint<T>(
    handles: &[Handle<T>],
    live: impl Fn(Handle<T>) -> bool,
) -> Result<(), GetDisjointMutError> {
    for (position, &handle) in handles.iter().enumerate() {
        if !live(handle) {
            return Err(GetDisjointMutError::Stale { position });
        }
        if let Some(first) = handles[..position]
            .iter()
            .position(|h| h.index() == handle.index())
        {
            return Err(GetDisjointMutError::Overlapping {
                first,
                second: position,
            });
        }
    }
    Ok(())
}

/// What [`link_free_slots`] found among restored slots.
#[cfg(feature = "serde")]
pub(super) struct FreeSlots {
    /// The first slot of the free list ([`NO_SLOT`] when empty).
    pub(super) head: u32,
    /// The number of occupied slots.
    pub(super) occupied: u32,
    /// The number of retired slots.
    pub(super) retired: u32,
}

/// Links the reusable vacant slots among `slots`, as deserialisation
/// restores them, into a free list that runs in index order; calls
/// `on_occupied` with the index of every occupied slot.
#[cfg(feature = "serde")]
pub(super) fn link_free_slots<T>(
    slots: &mut [Slot<T>],
    mut on_occupied: impl FnMut(usize),
) -> FreeSlots {
    let mut found = FreeSlots {
        head: NO_SLOT,
        occupied: 0,
        retired: 0,
    };
    // From the last slot to the first, so the list runs in index order.
    for (index, slot) in slots.iter_mut().enumerate().rev() {
        if slot.is_occupied() {
            on_occupied(index);
            found.occupied += 1;
        } else if generation::is_reusable(slot.version()) {
            slot.set_next_free(found.head);
            found.head = index as u32;
        } else {
            found.retired += 1;
        }
    }
    found
}

/// The values of a pool with their handles, in slot order: the work of
/// `Iter` and `FixedIter`.
///
/// `positions` yields indices into `slots` in increasing order, among them
/// every occupied slot; it may yield vacant ones too, which are passed
/// over. `remaining` is the number of values not yet yielded; it only
/// serves `size_hint`, so that a pool whose positions are all occupied
/// iterates without counting.
pub(super) struct Values<'a, T, P> {
    slots: &'a [Slot<T>],
    positions: P,
    remaining: usize,
}

impl<'a, T, P> Values<'a, T, P> {
    /// The `len` values among the slots at `positions`.
    #[inline]
    pub(super) fn new(slots: &'a [Slot<T>], positions: P, len: usize) -> Self {
        Self {
            slots,
            positions,
            remaining: len,
        }
    }
}

impl<'a, T, P: Iterator<Item = usize>> Iterator for Values<'a, T, P> {
    type Item = (Handle<T>, &'a T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let index = self.positions.next()?;
            let slot = &self.slots[index];
            if let Some(value) = slot.value() {
                self.remaining -= 1;
                return Some((Handle::new(index as u32, slot.version()), value));
            }
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T, P: Clone> Clone for Values<'_, T, P> {
    fn clone(&self) -> Self {
        Self {
            slots: self.slots,
            positions: self.positions.clone(),
            remaining: self.remaining,
        }
    }
}

/// The values of a pool with their handles, mutably, in slot order: the
/// work of `IterMut` and `FixedIterMut`. `positions` is as for [`Values`].
pub(super) struct ValuesMut<'a, T, P> {
    /// The slots after the last one looked at.
    slots: &'a mut [Slot<T>],
    /// The index of `slots[0]` in the pool.
    offset: usize,
    positions: P,
    remaining: usize,
}

impl<'a, T, P> ValuesMut<'a, T, P> {
    /// The `len` values among the slots at `positions`.
    #[inline]
    pub(super) fn new(slots: &'a mut [Slot<T>], positions: P, len: usize) -> Self {
        Self {
            slots,
            offset: 0,
            positions,
            remaining: len,
        }
    }
}

impl<'a, T, P: Iterator<Item = usize>> Iterator for ValuesMut<'a, T, P> {
    type Item = (Handle<T>, &'a mut T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let index = self.positions.next()?;
            // Splitting the slot off the rest hands out each `&mut` once,
            // without `unsafe`.
            let rest = mem::take(&mut self.slots);
            let (slot, rest) = rest.get_mut(index - self.offset..)?.split_first_mut()?;
            self.slots = rest;
            self.offset = index + 1;
            let version = slot.version();
            if let Some(value) = slot.value_mut() {
                self.remaining -= 1;
                return Some((Handle::new(index as u32, version), value));
            }
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

/// Implements `Iterator`, `ExactSizeIterator`, `FusedIterator` and `Debug`
/// for one of the pools' public iterators, which has one of two shapes:
///
/// - `wraps`: its field `0` is a [`Values`] or [`ValuesMut`], which does
///   the work;
/// - `takes`: its field `pool` is the pool (or a `&mut` to it) and its
///   field `cursor` the slot to look at next; each item is taken out of
///   the pool with [`PoolBackend::take_next`], which must be in scope.
macro_rules! pool_iterator {
    (impl[$($params:tt)*] $name:ident<$($args:tt),*>: wraps, yields $item:ty) => {
        impl<$($params)*> Iterator for $name<$($args),*> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.0.next()
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        $crate::pool::shared::pool_iterator!(@exact impl[$($params)*] $name<$($args),*>);
    };
    (impl[$($params:tt)*] $name:ident<$($args:tt),*>: takes, yields $item:ty) => {
        impl<$($params)*> Iterator for $name<$($args),*> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.pool.take_next(&mut self.cursor)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                (self.pool.len(), Some(self.pool.len()))
            }
        }

        $crate::pool::shared::pool_iterator!(@exact impl[$($params)*] $name<$($args),*>);
    };
    (@exact impl[$($params:tt)*] $name:ident<$($args:tt),*>) => {
        impl<$($params)*> ExactSizeIterator for $name<$($args),*> {}
        impl<$($params)*> ::core::iter::FusedIterator for $name<$($args),*> {}

        impl<$($params)*> ::core::fmt::Debug for $name<$($args),*> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("remaining", &self.len())
                    .finish_non_exhaustive()
            }
        }
    };
}

pub(super) use pool_iterator;

#[cfg(test)]
mod tests {
    use super::*;

    /// Five slots, of which slots 1 and 3 hold values.
    fn two_of_five() -> [Slot<u8>; 5] {
        let mut slots = [const { Slot::vacant() }; 5];
        slots[1].occupy(10).unwrap();
        slots[3].occupy(30).unwrap();
        slots
    }

    #[test]
    fn values_pass_over_vacant_positions() {
        let slots = two_of_five();
        let mut values = Values::new(&slots, 0..5, 2);
        assert_eq!(values.next(), Some((Handle::new(1, 1), &10)));
        assert_eq!(values.size_hint(), (1, Some(1)));
        assert_eq!(values.clone().next(), Some((Handle::new(3, 1), &30)));
        assert_eq!(values.next(), Some((Handle::new(3, 1), &30)));
        assert_eq!(values.size_hint(), (0, Some(0)));
        assert_eq!(values.next(), None);
        assert_eq!(values.next(), None);
    }

    #[test]
    fn values_mut_pass_over_vacant_positions() {
        let mut slots = two_of_five();
        let mut values = ValuesMut::new(&mut slots, 0..5, 2);
        let (first, value) = values.next().unwrap();
        *value += 1;
        assert_eq!(first, Handle::new(1, 1));
        let (second, value) = values.next().unwrap();
        *value += 1;
        assert_eq!(second, Handle::new(3, 1));
        assert!(values.next().is_none());
        assert_eq!(slots[1].value(), Some(&11));
        assert_eq!(slots[3].value(), Some(&31));
    }
}
