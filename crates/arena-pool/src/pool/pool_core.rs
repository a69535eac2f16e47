//! The one core of every pool kind: the free list, the counts and the
//! retirement rule, over any [`Storage`].
//!
//! Safe code throughout: a free list that went wrong could only make an
//! insertion fail or a lookup miss, never reach memory it should not.

#![forbid(unsafe_code)]

use core::{hint, mem};

use super::entry::{Entry, EntryTarget, OccupiedEntry, VacantEntry};
use super::slot::{self, END, Link, Slot};
use super::storage::Storage;
use super::{Full, GetDisjointMutError, Handle, InsertAtError, generation};

/// A pool's slots and the version of each, as serialisation writes them.
#[cfg(feature = "serde")]
pub(crate) type SlotsWithVersions<'a, T> = (&'a [Slot<T>], alloc::vec::Vec<u32>);

/// Slots in a [`Storage`], with the free list and the counts.
///
/// # Invariant
///
/// - the free list, from `free_head` through each slot's link, names
///   exactly the reusable vacant slots (each once), each with the odd
///   generation after its version, and ends in a link whose index is past
///   every slot ([`END`]);
/// - every other vacant slot is retired: off the list, its version
///   [`generation::RETIRED`];
/// - `len` counts the occupied slots and `retired` the retired ones.
pub(crate) struct Core<S> {
    pub(super) storage: S,
    /// The handle the next insertion into a reusable slot gives.
    pub(super) free_head: Link,
    pub(super) len: u32,
    pub(super) retired: u32,
}

impl<S: Storage> Core<S> {
    /// An empty pool over `storage`, which holds no slot yet.
    #[inline]
    pub(crate) const fn new(storage: S) -> Self {
        Self {
            storage,
            free_head: END,
            len: 0,
            retired: 0,
        }
    }

    /// A pool over restored slots, each vacant one off the free list: gives
    /// each value the handle of the slot it is in, links the reusable
    /// vacant slots into a free list in index order and counts the others.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn restore(mut storage: S) -> Self {
        for (index, slot) in storage.slots_mut().iter_mut().enumerate() {
            slot.place_at(index as u32);
        }
        let mut core = Self::new(storage);
        core.relink();
        core
    }

    #[inline(always)]
    pub(crate) const fn len(&self) -> usize {
        self.len as usize
    }

    #[inline(always)]
    pub(crate) fn slots(&self) -> &[Slot<S::Value>] {
        self.storage.slots()
    }

    /// How many values fit without allocating, retired slots left out.
    #[inline]
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    pub(crate) fn capacity(&self) -> usize {
        self.storage.capacity() - self.retired as usize
    }

    /// How many more values fit in the slots already in use.
    #[inline]
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    pub(crate) fn reusable(&self) -> usize {
        self.slots().len() - self.len() - self.retired as usize
    }

    /// The error of a full pool; inlined, so no call gets the core's
    /// address.
    #[inline(always)]
    fn full<V>(&self, value: V) -> Full<V> {
        full(value, self.storage.max_slots())
    }

    /// Inserts `value`: into the free list's first slot, else a new one.
    ///
    /// No call out of line gets the core's address (growing takes the
    /// slots alone, and the error gets the bound by value), so a pool
    /// filled in a loop keeps its fields in registers.
    #[inline(always)]
    pub(crate) fn try_insert(
        &mut self,
        value: S::Value,
    ) -> Result<Handle<S::Value>, Full<S::Value>> {
        // The end of the list names no slot, so one bounds check also tells
        // an empty free list.
        let Some(slot) = self
            .storage
            .slots_mut()
            .get_mut(slot::link_index(self.free_head))
        else {
            // Growing is the rarer path once a pool is in use: the reuse
            // path is laid out to run straight on.
            hint::cold_path();
            return match self.storage.push(value) {
                Ok(handle) => {
                    self.len += 1;
                    Ok(handle)
                }
                Err(value) => self.insert_grown(value),
            };
        };
        match slot.occupy_free(value, &mut self.free_head) {
            Ok(handle) => {
                self.len += 1;
                Ok(handle)
            }
            Err(value) => Err(self.full(value)),
        }
    }

    /// Inserts `value` into a new slot once the storage has grown to take
    /// it: the path of [`try_insert`](Self::try_insert) that allocates.
    /// Inlined all the same, so that no call gets the core's address.
    #[inline(always)]
    fn insert_grown(&mut self, value: S::Value) -> Result<Handle<S::Value>, Full<S::Value>> {
        if !self.storage.grow() {
            return Err(self.full(value));
        }
        match self.storage.push(value) {
            Ok(handle) => {
                self.len += 1;
                Ok(handle)
            }
            Err(value) => Err(self.full(value)),
        }
    }

    /// The handle the next insertion will return, or `None` when the pool
    /// is full.
    #[inline]
    pub(crate) fn next_handle(&self) -> Option<Handle<S::Value>> {
        if slot::link_index(self.free_head) < self.slots().len() {
            Some(Handle::from_nonzero(self.free_head))
        } else if self.slots().len() < self.storage.max_slots() {
            Some(Handle::new(
                self.slots().len() as u32,
                generation::FIRST_OCCUPIED,
            ))
        } else {
            None
        }
    }

    /// Inserts the value `make` builds from its own handle, or hands `make`
    /// back, uncalled, when the pool is full. If `make` panics, the pool is
    /// left as it was.
    pub(crate) fn try_insert_with<F: FnOnce(Handle<S::Value>) -> S::Value>(
        &mut self,
        make: F,
    ) -> Result<Handle<S::Value>, Full<F>> {
        let Some(handle) = self.next_handle() else {
            return Err(self.full(make));
        };
        let value = make(handle);
        // `make` cannot reach the pool, so the same slot is still next.
        let inserted = self.try_insert(value).ok();
        debug_assert_eq!(inserted, Some(handle));
        Ok(handle)
    }

    #[inline(always)]
    pub(crate) fn get(&self, handle: Handle<S::Value>) -> Option<&S::Value> {
        self.slots().get(handle.index())?.get(handle)
    }

    #[inline(always)]
    pub(crate) fn get_mut(&mut self, handle: Handle<S::Value>) -> Option<&mut S::Value> {
        self.storage
            .slots_mut()
            .get_mut(handle.index())?
            .get_mut(handle)
    }

    /// Removes the value `handle` reaches.
    #[inline(always)]
    pub(crate) fn remove(&mut self, handle: Handle<S::Value>) -> Option<S::Value> {
        let slot = self.storage.slots_mut().get_mut(handle.index())?;
        let (value, retired) = slot.vacate(handle, &mut self.free_head)?;
        self.vacated(retired);
        Some(value)
    }

    /// The bookkeeping after a slot was vacated: one value fewer, and one
    /// more retired slot when it used its last generation.
    #[inline(always)]
    fn vacated(&mut self, retired: bool) {
        self.len -= 1;
        if retired {
            hint::cold_path();
            self.retired += 1;
        }
    }

    /// Removes the value of slot `index`, if it holds one, with the handle
    /// that reached it.
    #[inline]
    pub(crate) fn take(&mut self, index: usize) -> Option<(Handle<S::Value>, S::Value)> {
        let slot = self.storage.slots_mut().get_mut(index)?;
        let (handle, value, retired) = slot.take(&mut self.free_head)?;
        self.vacated(retired);
        Some((handle, value))
    }

    /// Removes the first value in the slots `*front..*back`, moving `front`
    /// past it: the forward step of draining.
    #[inline]
    pub(crate) fn take_front(
        &mut self,
        front: &mut usize,
        back: usize,
    ) -> Option<(Handle<S::Value>, S::Value)> {
        while *front < back {
            let index = *front;
            *front += 1;
            if let Some(taken) = self.take(index) {
                return Some(taken);
            }
        }
        None
    }

    /// Removes the last value in the slots `front..*back`, moving `back`
    /// before it: the backward step of draining.
    #[inline]
    pub(crate) fn take_back(
        &mut self,
        front: usize,
        back: &mut usize,
    ) -> Option<(Handle<S::Value>, S::Value)> {
        while front < *back {
            *back -= 1;
            if let Some(taken) = self.take(*back) {
                return Some(taken);
            }
        }
        None
    }

    /// Removes every value, from the last slot to the first, so the free
    /// list ends up in index order. A panicking `Drop` leaves the values
    /// not yet reached in place.
    pub(crate) fn clear(&mut self) {
        for index in (0..self.slots().len()).rev() {
            drop(self.take(index));
        }
    }

    /// Keeps the values `keep` accepts.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(Handle<S::Value>, &mut S::Value) -> bool) {
        for index in 0..self.slots().len() {
            let Some(slot) = self.storage.slots_mut().get_mut(index) else {
                break;
            };
            if let Some((handle, value)) = slot.item_mut()
                && !keep(handle, value)
            {
                drop(self.take(index));
            }
        }
    }

    /// Raises the version of every reusable vacant slot towards `target`
    /// (see [`generation::age`]), keeping the free list's order.
    pub(crate) fn age_vacant_slots(&mut self, target: u32) {
        let slots = self.storage.slots_mut();
        let count = slots.len();
        let mut link = &mut self.free_head;
        // Each step moves one slot down the list, and the list holds each
        // slot once: the bound only guards against a broken list.
        for _ in 0..count {
            let index = slot::link_index(*link);
            if index >= count {
                break;
            }
            let version = generation::age(slot::link_version(*link), target);
            *link = slot::link_to(index as u32, version);
            match slots.get_mut(index) {
                Some(Slot::Vacant { word }) => link = word,
                _ => break,
            }
        }
    }

    /// The slots on the free list, head first, each with its version.
    pub(crate) fn free_list(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        let slots = self.slots();
        let mut link = Some(self.free_head);
        // The bound only guards against a broken list, as above.
        (0..slots.len()).map_while(move |_| {
            let current = link?;
            let index = slot::link_index(current);
            link = slots.get(index)?.link();
            Some((index, slot::link_version(current)))
        })
    }

    /// The slots with the version of each, for writing the pool out.
    #[cfg(feature = "serde")]
    pub(crate) fn slots_with_versions(&self) -> SlotsWithVersions<'_, S::Value> {
        (self.slots(), self.versions())
    }

    /// The version of every slot, in slot order.
    #[cfg(any(all(test, feature = "alloc"), feature = "serde"))]
    pub(crate) fn versions(&self) -> alloc::vec::Vec<u32> {
        let mut versions: alloc::vec::Vec<u32> = self
            .slots()
            .iter()
            .map(|slot| slot.own_version().unwrap_or(generation::FIRST_VACANT))
            .collect();
        for (index, version) in self.free_list() {
            versions[index] = version;
        }
        versions
    }

    /// Writes every slot's version into the slots of the free list, which
    /// leaves it: the form [`relink`](Self::relink) starts from.
    fn unlink_all(&mut self) {
        let slots = self.storage.slots_mut();
        let mut link = mem::replace(&mut self.free_head, END);
        for _ in 0..slots.len() {
            let Some(slot) = slots.get_mut(slot::link_index(link)) else {
                break;
            };
            let Some(next) = slot.link() else {
                break;
            };
            slot.set_off_list(slot::link_version(link));
            link = next;
        }
    }

    /// Mutable references to the values of `N` handles at once.
    pub(crate) fn get_disjoint_mut<const N: usize>(
        &mut self,
        handles: [Handle<S::Value>; N],
    ) -> Result<[&mut S::Value; N], GetDisjointMutError> {
        for (position, &handle) in handles.iter().enumerate() {
            if self.get(handle).is_none() {
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
        // Visit the slots in index order, splitting each off the rest, so
        // every `&mut` is handed out once without `unsafe`.
        let mut order: [usize; N] = core::array::from_fn(|position| position);
        order.sort_unstable_by_key(|&position| handles[position].index());
        let mut found: [Option<&mut S::Value>; N] = [const { None }; N];
        let mut rest = self.storage.slots_mut();
        let mut offset = 0;
        for position in order {
            let index = handles[position].index();
            let tail = mem::take(&mut rest);
            let Some((slot, tail)) = tail
                .get_mut(index - offset..)
                .and_then(<[_]>::split_first_mut)
            else {
                return Err(GetDisjointMutError::Stale { position });
            };
            rest = tail;
            offset = index + 1;
            found[position] = slot.value_mut();
        }
        if let Some(position) = found.iter().position(Option::is_none) {
            return Err(GetDisjointMutError::Stale { position });
        }
        Ok(found.map(|value| value.expect("checked just above")))
    }

    /// The value in slot `index`, whatever its generation, with the handle
    /// that reaches it.
    #[inline]
    pub(crate) fn get_by_slot(&self, index: usize) -> Option<(Handle<S::Value>, &S::Value)> {
        self.slots().get(index)?.item()
    }

    /// The value in slot `index`, mutably, with its handle.
    #[inline]
    pub(crate) fn get_by_slot_mut(
        &mut self,
        index: usize,
    ) -> Option<(Handle<S::Value>, &mut S::Value)> {
        self.storage.slots_mut().get_mut(index)?.item_mut()
    }

    /// The handle of the value `value` refers to, when it is one of this
    /// pool's values; found by address, checked by identity.
    pub(crate) fn handle_of(&self, value: &S::Value) -> Option<Handle<S::Value>> {
        let slots = self.slots();
        let offset = core::ptr::from_ref(value)
            .addr()
            .wrapping_sub(slots.as_ptr().addr());
        // A slot is never zero-sized: it holds at least its version.
        let index = offset / size_of::<Slot<S::Value>>();
        match slots.get(index)?.item()? {
            (handle, found) if core::ptr::eq(found, value) => Some(handle),
            _ => None,
        }
    }

    /// Rebuilds the free list (in index order) and the counts from the
    /// slots themselves, every vacant one off the list.
    fn relink(&mut self) {
        let (mut free_head, mut len, mut retired) = (END, 0, 0);
        for (index, slot) in self.storage.slots_mut().iter_mut().enumerate().rev() {
            if slot.is_occupied() {
                len += 1;
            } else if slot.is_reusable()
                && let Some(version) = slot.own_version()
            {
                slot.set_link(free_head);
                free_head = slot::link_to(index as u32, version);
            } else {
                retired += 1;
            }
        }
        self.free_head = free_head;
        self.len = len;
        self.retired = retired;
    }

    /// Moves values from the end into reusable slots nearer the start,
    /// reporting each move to `moved` (old handle, new handle), until the
    /// values that can move sit before every reusable slot. Every moved
    /// value gets a new generation, so no old handle reaches it.
    pub(crate) fn compact(&mut self, mut moved: impl FnMut(Handle<S::Value>, Handle<S::Value>)) {
        /// Puts the free list and counts right again, even when `moved`
        /// panics half-way.
        struct Relink<'a, S: Storage>(&'a mut Core<S>);
        impl<S: Storage> Drop for Relink<'_, S> {
            fn drop(&mut self) {
                self.0.relink();
            }
        }

        self.unlink_all();
        let guard = Relink(self);
        let slots = guard.0.storage.slots_mut();
        let (mut low, mut high) = (0, slots.len());
        loop {
            while low < high && !slots[low].is_reusable() {
                low += 1;
            }
            while high > low && !slots[high - 1].is_occupied() {
                high -= 1;
            }
            if high <= low + 1 {
                break;
            }
            high -= 1;
            // The free list is rebuilt afterwards: the slot leaves it.
            let mut head = END;
            let Some((old, value, retired)) = slots[high].take(&mut head) else {
                break;
            };
            if !retired {
                slots[high].set_off_list(old.generation() + 1);
            }
            let Ok(new) = slots[low].occupy(low as u32, value) else {
                // `low` is reusable (checked above), so this cannot happen.
                break;
            };
            moved(old, new);
            low += 1;
        }
        drop(guard);
    }

    /// Takes slot `index` off the free list when it is on it and its
    /// version is below `generation`; returns whether it did.
    fn unlink_older(&mut self, index: usize, generation: u32) -> bool {
        let mut before = None;
        let mut found = None;
        for (free, version) in self.free_list() {
            if free == index {
                found = Some(version);
                break;
            }
            before = Some(free);
        }
        let Some(next) = self.slots().get(index).and_then(Slot::link) else {
            return false;
        };
        if found.is_none_or(|version| version >= generation) {
            return false;
        }
        match before {
            None => self.free_head = next,
            Some(before) => self.storage.slots_mut()[before].set_link(next),
        }
        true
    }

    /// Puts `value` under `handle` itself: the slot's earlier generations
    /// stay dead, and a handle older than the slot is refused.
    pub(crate) fn insert_at(
        &mut self,
        handle: Handle<S::Value>,
        value: S::Value,
    ) -> Result<Option<S::Value>, InsertAtError<S::Value>> {
        let index = handle.index();
        let wanted = handle.generation();
        if index >= self.storage.max_slots() {
            return Err(InsertAtError::OutOfBounds {
                value,
                slots: self.storage.max_slots(),
            });
        }
        if wanted > generation::LAST_OCCUPIED {
            return Err(InsertAtError::Stale { value });
        }
        while self.slots().len() <= index {
            if !self.storage.push_vacant() {
                return Err(InsertAtError::OutOfBounds {
                    value,
                    slots: self.slots().len(),
                });
            }
            let added = self.slots().len() - 1;
            if let Some(slot) = self.storage.slots_mut().get_mut(added) {
                slot.set_link(self.free_head);
                self.free_head = slot::link_to(added as u32, generation::FIRST_VACANT);
            }
        }
        if let Some(own) = self.slots()[index].handle() {
            if own.generation() > wanted {
                return Err(InsertAtError::Stale { value });
            }
            let slot = &mut self.storage.slots_mut()[index];
            let old = mem::replace(slot, Slot::Occupied { handle, value });
            return Ok(old.into_value());
        }
        // A handle's generation is odd and a vacant version even: older is
        // below.
        if !self.unlink_older(index, wanted) {
            return Err(InsertAtError::Stale { value });
        }
        self.storage.slots_mut()[index] = Slot::Occupied { handle, value };
        self.len += 1;
        Ok(None)
    }

    /// A place for the next value, whose handle is known before insertion.
    pub(crate) fn vacant_entry(&mut self) -> Option<VacantEntry<'_, S::Value>> {
        let handle = self.next_handle()?;
        Some(VacantEntry::new(self, handle))
    }

    /// The entry of `handle`: its value, or the free slot `insert_at` would
    /// fill; `None` when the handle is dead or beyond the pool's bound.
    pub(crate) fn entry(&mut self, handle: Handle<S::Value>) -> Option<Entry<'_, S::Value>> {
        if self.get(handle).is_some() {
            return Some(Entry::Occupied(OccupiedEntry::new(self, handle)));
        }
        let index = handle.index();
        let free = match self.slots().get(index) {
            Some(_) => self
                .free_list()
                .any(|(free, version)| free == index && version < handle.generation()),
            None => index < self.storage.max_slots(),
        };
        (free && handle.generation() <= generation::LAST_OCCUPIED)
            .then(|| Entry::Vacant(VacantEntry::new(self, handle)))
    }
}

impl<S: Storage> EntryTarget<S::Value> for Core<S> {
    fn fill(&mut self, handle: Handle<S::Value>, value: S::Value) -> Option<&mut S::Value> {
        self.insert_at(handle, value).ok()?;
        self.get_mut(handle)
    }

    fn value_mut(&mut self, handle: Handle<S::Value>) -> Option<&mut S::Value> {
        self.get_mut(handle)
    }

    fn take(&mut self, handle: Handle<S::Value>) -> Option<S::Value> {
        self.remove(handle)
    }
}

/// The error of a full pool of at most `slots` slots.
#[cold]
fn full<V>(value: V, slots: usize) -> Full<V> {
    Full::new(value, slots)
}

impl<S: Clone> Clone for Core<S> {
    fn clone(&self) -> Self {
        Self {
            storage: self.storage.clone(),
            free_head: self.free_head,
            len: self.len,
            retired: self.retired,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.storage.clone_from(&source.storage);
        self.free_head = source.free_head;
        self.len = source.len;
        self.retired = source.retired;
    }
}

/// Slots an internal walk ([`Iterator::fold`], and so `for_each`, `sum`
/// and the like) visits between two checks of the values left. Within a run
/// nothing but the slot's own test decides, so for a sum the compiler makes
/// that test skip a load instead of a whole step, and a walk ends within a
/// run of its last value rather than at the end of the slots.
const CHUNK: usize = 64;

/// The values among `slots` with their handles, in slot order, from either
/// end: the work of the pools' borrowing iterators.
pub(crate) struct Items<'a, T> {
    slots: core::slice::Iter<'a, Slot<T>>,
    remaining: usize,
}

impl<'a, T> Items<'a, T> {
    /// The `len` values among `slots`.
    #[inline]
    pub(crate) fn new(slots: &'a [Slot<T>], len: usize) -> Self {
        Self {
            slots: slots.iter(),
            remaining: len,
        }
    }
}

impl<T> Clone for Items<'_, T> {
    fn clone(&self) -> Self {
        Self {
            slots: self.slots.clone(),
            remaining: self.remaining,
        }
    }
}

impl<'a, T> Iterator for Items<'a, T> {
    type Item = (Handle<T>, &'a T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let found = self.slots.find_map(Slot::item)?;
        self.remaining -= 1;
        Some(found)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }

    /// The slots a run of [`CHUNK`] at a time, stopping after the run that
    /// holds the last value.
    #[inline]
    fn fold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        let mut remaining = self.remaining;
        let mut acc = init;
        for chunk in self.slots.as_slice().chunks(CHUNK) {
            if remaining == 0 {
                break;
            }
            let found;
            (acc, found) = chunk
                .iter()
                .filter_map(Slot::item)
                .fold((acc, 0), |(acc, found), item| (f(acc, item), found + 1));
            remaining = remaining.saturating_sub(found);
        }
        acc
    }
}

impl<T> DoubleEndedIterator for Items<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let found = self.slots.by_ref().rev().find_map(Slot::item)?;
        self.remaining -= 1;
        Some(found)
    }
}

/// The values among `slots` with their handles, mutably: the work of the
/// pools' mutably borrowing iterators.
pub(crate) struct ItemsMut<'a, T> {
    slots: core::slice::IterMut<'a, Slot<T>>,
    remaining: usize,
}

impl<'a, T> ItemsMut<'a, T> {
    /// The `len` values among `slots`.
    #[inline]
    pub(crate) fn new(slots: &'a mut [Slot<T>], len: usize) -> Self {
        Self {
            slots: slots.iter_mut(),
            remaining: len,
        }
    }
}

impl<'a, T> Iterator for ItemsMut<'a, T> {
    type Item = (Handle<T>, &'a mut T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let found = self.slots.find_map(Slot::item_mut)?;
        self.remaining -= 1;
        Some(found)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }

    /// The slots a run of [`CHUNK`] at a time, as [`Items`] walks them.
    #[inline]
    fn fold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        let mut remaining = self.remaining;
        let mut acc = init;
        for chunk in self.slots.into_slice().chunks_mut(CHUNK) {
            if remaining == 0 {
                break;
            }
            let found;
            (acc, found) = chunk
                .iter_mut()
                .filter_map(Slot::item_mut)
                .fold((acc, 0), |(acc, found), item| (f(acc, item), found + 1));
            remaining = remaining.saturating_sub(found);
        }
        acc
    }
}

impl<T> DoubleEndedIterator for ItemsMut<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let found = self.slots.by_ref().rev().find_map(Slot::item_mut)?;
        self.remaining -= 1;
        Some(found)
    }
}
