//! The unsafe core of the pools: a slot that holds either a value or the
//! link of the free list, told apart by its version.
//!
//! All of the pools' `unsafe` lives here, behind safe methods that check the
//! slot's state themselves, so no caller can break the invariant below.

use core::mem::ManuallyDrop;

use super::generation;

/// The free-list link meaning "no slot".
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// What a slot stores: the value or the next free slot's index.
union Body<T> {
    value: ManuallyDrop<T>,
    next_free: u32,
}

/// One slot of a pool.
///
/// # Invariant
///
/// - `version` is odd ([`generation::is_occupied`]) exactly when
///   `body.value` holds an initialised `T` that the slot owns;
/// - `version` is even exactly when `body.next_free` is initialised (a slot
///   index or [`NO_SLOT`]).
///
/// Every method keeps this: a value is written before the version turns
/// odd, and read out (or dropped) only while it is odd.
pub(crate) struct Slot<T> {
    version: u32,
    body: Body<T>,
}

impl<T> Slot<T> {
    /// A slot that never held a value.
    #[inline(always)]
    pub(crate) const fn vacant() -> Self {
        Self {
            version: generation::FIRST_VACANT,
            body: Body { next_free: NO_SLOT },
        }
    }

    /// A slot holding `value` under the first generation.
    #[inline(always)]
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))] // used by `Pool`
    pub(crate) const fn first(value: T) -> Self {
        Self {
            version: generation::FIRST_OCCUPIED,
            body: Body {
                value: ManuallyDrop::new(value),
            },
        }
    }

    /// A vacant slot with the given even `version` (reusable or retired), or
    /// `None` when `version` is not a vacant one.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn vacant_at(version: u32) -> Option<Self> {
        (!generation::is_occupied(version) && generation::is_valid(version)).then_some(Self {
            version,
            body: Body { next_free: NO_SLOT },
        })
    }

    /// A slot holding `value` at the odd `version`; the value comes back in
    /// `Err` when `version` is not an occupied one.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn occupied_at(version: u32, value: T) -> Result<Self, T> {
        if generation::is_occupied(version) && generation::is_valid(version) {
            Ok(Self {
                version,
                body: Body {
                    value: ManuallyDrop::new(value),
                },
            })
        } else {
            Err(value)
        }
    }

    /// The slot's version.
    #[inline(always)]
    pub(crate) const fn version(&self) -> u32 {
        self.version
    }

    /// Whether the slot holds a value.
    #[inline(always)]
    pub(crate) const fn is_occupied(&self) -> bool {
        generation::is_occupied(self.version)
    }

    /// The value, when the slot holds one.
    #[inline(always)]
    pub(crate) fn value(&self) -> Option<&T> {
        if self.is_occupied() {
            // SAFETY: an odd version means `body.value` is initialised
            // (type invariant), and `&self` keeps it alive and shared.
            Some(unsafe { &self.body.value })
        } else {
            None
        }
    }

    /// The value, when the slot holds one.
    #[inline(always)]
    pub(crate) fn value_mut(&mut self) -> Option<&mut T> {
        if self.is_occupied() {
            // SAFETY: an odd version means `body.value` is initialised
            // (type invariant), and `&mut self` makes the borrow unique.
            Some(unsafe { &mut self.body.value })
        } else {
            None
        }
    }

    /// The value, when the slot holds the value of `generation`.
    #[inline(always)]
    pub(crate) fn get(&self, generation: u32) -> Option<&T> {
        if self.version == generation && generation::is_occupied(generation) {
            // SAFETY: the version equals `generation`, which is odd, so
            // `body.value` is initialised (type invariant); `&self` keeps it
            // alive and shared.
            Some(unsafe { &self.body.value })
        } else {
            None
        }
    }

    /// The value, when the slot holds the value of `generation`.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, generation: u32) -> Option<&mut T> {
        if self.version == generation && generation::is_occupied(generation) {
            // SAFETY: the version equals `generation`, which is odd, so
            // `body.value` is initialised (type invariant); `&mut self`
            // makes the borrow unique.
            Some(unsafe { &mut self.body.value })
        } else {
            None
        }
    }

    /// The next free slot's index, when the slot is vacant.
    #[inline(always)]
    pub(crate) fn next_free(&self) -> Option<u32> {
        if self.is_occupied() {
            None
        } else {
            // SAFETY: an even version means `body.next_free` is initialised
            // (type invariant).
            Some(unsafe { self.body.next_free })
        }
    }

    /// Sets the free-list link of a vacant slot; does nothing to an
    /// occupied one.
    #[inline(always)]
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn set_next_free(&mut self, next: u32) {
        if !self.is_occupied() {
            // Writing a `Copy` union field is safe; the slot stays vacant.
            self.body.next_free = next;
        }
    }

    /// Moves `value` into a reusable vacant slot and returns the slot's new
    /// (odd) version and the free-list link it held; hands `value` back when
    /// the slot is occupied or retired.
    #[inline(always)]
    pub(crate) fn occupy(&mut self, value: T) -> Result<(u32, u32), T> {
        match generation::occupy(self.version) {
            Some(version) => {
                // SAFETY: `occupy` gave a version, so the current one is even
                // and `body.next_free` is initialised (type invariant).
                let next = unsafe { self.body.next_free };
                // Writing a union field overwrites without dropping; the
                // old `next_free` is a plain integer.
                self.body.value = ManuallyDrop::new(value);
                self.version = version;
                Ok((version, next))
            }
            None => Err(value),
        }
    }

    /// Moves `value` into a slot taken from the free list and returns the
    /// slot's new (odd) version and the free-list link it held.
    ///
    /// The fast path of insertion: unlike [`occupy`](Self::occupy), it
    /// trusts the caller that the slot is vacant and reusable.
    ///
    /// # Safety
    ///
    /// The slot is vacant and not retired
    /// ([`generation::is_reusable`] of its version).
    #[inline(always)]
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))] // used by `Pool`
    pub(crate) unsafe fn occupy_linked(&mut self, value: T) -> (u32, u32) {
        debug_assert!(generation::is_reusable(self.version));
        // SAFETY: the version is even (the caller's contract), so
        // `body.next_free` is initialised (type invariant).
        let next = unsafe { self.body.next_free };
        // Writing a union field overwrites without dropping; the old
        // `next_free` is a plain integer.
        self.body.value = ManuallyDrop::new(value);
        // Even and below `RETIRED` (the caller's contract), so `| 1` is
        // `+ 1`: the next generation, now occupied.
        self.version |= 1;
        (self.version, next)
    }

    /// Moves the value out when the slot holds the value of `generation`,
    /// leaving it vacant with the free-list link `next_free`; returns the
    /// value and the slot's new version, which is [`generation::RETIRED`]
    /// when the slot used its last generation (the caller must then keep
    /// it off the free list). `None` when the slot holds no value of
    /// `generation`.
    #[inline(always)]
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))] // used by `Pool`
    pub(crate) fn vacate_at(&mut self, generation: u32, next_free: u32) -> Option<(T, u32)> {
        if self.version != generation || !generation::is_occupied(generation) {
            return None;
        }
        // SAFETY: the version equals `generation`, which is odd (checked
        // just above), so `body.value` is initialised (type invariant). The
        // version turns even right below, so the value is read out once.
        let value = unsafe { ManuallyDrop::take(&mut self.body.value) };
        // An occupied version is at most `LAST_OCCUPIED` (versions never
        // reach `u32::MAX`), so this neither overflows nor skips `RETIRED`.
        self.version = generation + 1;
        self.body.next_free = next_free;
        Some((value, self.version))
    }

    /// Moves the value out of an occupied slot, leaving it vacant with the
    /// free-list link `next_free` (or retired when its generations are used
    /// up); `None` when the slot is vacant.
    #[inline(always)]
    pub(crate) fn vacate(&mut self, next_free: u32) -> Option<T> {
        let version = generation::vacate(self.version)?;
        // SAFETY: `vacate` gave a version, so the current one is odd and
        // `body.value` is initialised (type invariant). The version turns
        // even right below, so the value is read out exactly once.
        let value = unsafe { ManuallyDrop::take(&mut self.body.value) };
        self.version = version;
        self.body.next_free = next_free;
        Some(value)
    }

    /// Raises the version of a reusable vacant slot towards `target` (see
    /// [`generation::age`]); other slots are left alone.
    pub(crate) fn age(&mut self, target: u32) {
        self.version = generation::age(self.version, target);
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        if self.is_occupied() {
            // SAFETY: an odd version means `body.value` is initialised and
            // owned by the slot (type invariant); the slot is going away, so
            // it is dropped exactly once.
            unsafe { ManuallyDrop::drop(&mut self.body.value) }
        }
    }
}

impl<T: Clone> Clone for Slot<T> {
    fn clone(&self) -> Self {
        match self.value() {
            Some(value) => Self {
                version: self.version,
                body: Body {
                    value: ManuallyDrop::new(value.clone()),
                },
            },
            None => Self {
                version: self.version,
                body: Body {
                    next_free: self.next_free().unwrap_or(NO_SLOT),
                },
            },
        }
    }
}

/// Mutable references to the values of the slots at `indices`, or `None`
/// when an index is out of bounds, names a vacant slot, or repeats.
pub(crate) fn disjoint_values_mut<T, const N: usize>(
    slots: &mut [Slot<T>],
    indices: [usize; N],
) -> Option<[&mut T; N]> {
    for (i, &index) in indices.iter().enumerate() {
        if !slots.get(index)?.is_occupied() || indices[..i].contains(&index) {
            return None;
        }
    }
    let base = slots.as_mut_ptr();
    Some(indices.map(|index| {
        // SAFETY: every index is in bounds of `slots` and names an occupied
        // slot (checked above), so `body.value` is initialised; the indices
        // are pairwise distinct, so the `&mut` do not overlap; all borrow
        // from the one `&mut [Slot<T>]`, which outlives them.
        unsafe { &mut *(*base.add(index)).body.value }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::rc::Rc;
    use alloc::string::String;

    #[test]
    fn occupy_and_vacate() {
        let mut slot = Slot::vacant();
        assert_eq!(slot.next_free(), Some(NO_SLOT));
        assert_eq!(slot.occupy(String::from("a")), Ok((1, NO_SLOT)));
        assert_eq!(slot.occupy(String::from("b")), Err(String::from("b")));
        assert_eq!(slot.get(1).map(String::as_str), Some("a"));
        assert_eq!(slot.get(2), None);
        assert_eq!(slot.next_free(), None);
        slot.set_next_free(9);
        let mut linked = Slot::vacant();
        linked.set_next_free(4);
        // SAFETY: a fresh slot is vacant and reusable.
        assert_eq!(unsafe { linked.occupy_linked(8u8) }, (1, 4));
        assert_eq!(linked.vacate_at(3, 5), None);
        assert_eq!(linked.vacate_at(1, 5), Some((8, 2)));
        assert_eq!(linked.next_free(), Some(5));
        assert_eq!(slot.value().map(String::as_str), Some("a"));
        assert_eq!(slot.vacate(7), Some(String::from("a")));
        assert_eq!(slot.vacate(7), None);
        assert_eq!(slot.next_free(), Some(7));
        assert_eq!(slot.version(), 2);
        assert_eq!(slot.get(1), None);
    }

    #[test]
    fn drop_runs_for_occupied_slots_only() {
        let rc = Rc::new(());
        let mut slot = Slot::vacant();
        slot.occupy(Rc::clone(&rc)).unwrap();
        let vacant: Slot<Rc<()>> = Slot::vacant();
        let copy = slot.clone();
        assert_eq!(Rc::strong_count(&rc), 3);
        drop((slot, vacant, copy));
        assert_eq!(Rc::strong_count(&rc), 1);
    }

    #[test]
    fn retired_slot_refuses_values() {
        let mut slot = Slot::vacant();
        slot.age(u32::MAX);
        let (version, _) = slot.occupy(1u8).unwrap();
        assert_eq!(version, generation::LAST_OCCUPIED);
        assert_eq!(slot.vacate(NO_SLOT), Some(1));
        assert_eq!(slot.version(), generation::RETIRED);
        assert_eq!(slot.occupy(2), Err(2));
    }

    #[test]
    fn disjoint_checks_everything() {
        let mut slots: [Slot<u8>; 3] = [Slot::vacant(), Slot::vacant(), Slot::vacant()];
        slots[0].occupy(10).unwrap();
        slots[2].occupy(12).unwrap();
        assert!(disjoint_values_mut(&mut slots, [0, 0]).is_none());
        assert!(disjoint_values_mut(&mut slots, [0, 1]).is_none());
        assert!(disjoint_values_mut(&mut slots, [0, 3]).is_none());
        let [a, b] = disjoint_values_mut(&mut slots, [2, 0]).unwrap();
        core::mem::swap(a, b);
        assert_eq!(slots[0].value(), Some(&12));
        assert_eq!(slots[2].value(), Some(&10));
    }

    #[test]
    fn parts_are_checked() {
        assert!(Slot::<u8>::vacant_at(3).is_none());
        assert!(Slot::<u8>::vacant_at(u32::MAX).is_none());
        assert!(Slot::<u8>::vacant_at(generation::RETIRED).is_some());
        assert_eq!(Slot::occupied_at(2, 5u8).err(), Some(5));
        assert_eq!(Slot::occupied_at(3, 5u8).ok().unwrap().get(3), Some(&5));
    }
}
