//! One slot of a pool: a value with its generation, or a vacant slot with
//! its version and the link of the free list.
//!
//! A plain enum, without `unsafe` and without a `Drop` impl of its own: the
//! value is dropped by the compiler's drop glue, so a pool of references
//! passes the drop check exactly as a `Vec` of them does.

#![forbid(unsafe_code)]

use core::mem;

use super::generation;

/// The free-list link meaning "no slot".
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// One slot of a pool.
///
/// The variant says whether a value is there; the version agrees with it
/// (odd when occupied, even when vacant, never `u32::MAX`), because only
/// the transitions below and the checked constructors build slots.
#[derive(Clone)]
pub(crate) enum Slot<T> {
    /// A value and its generation (odd).
    Occupied {
        /// The generation of the handle that reaches `value`.
        version: u32,
        /// The value.
        value: T,
    },
    /// No value: a reusable slot (even version below
    /// [`generation::RETIRED`]) or a retired one.
    Vacant {
        /// The slot's version.
        version: u32,
        /// The next free slot ([`NO_SLOT`] at the end of the list); only
        /// meaningful for a reusable slot on the free list.
        next_free: u32,
    },
}

impl<T> Slot<T> {
    /// A slot that never held a value.
    #[inline(always)]
    pub(crate) const fn vacant() -> Self {
        Self::Vacant {
            version: generation::FIRST_VACANT,
            next_free: NO_SLOT,
        }
    }

    /// A slot holding `value` under the first generation.
    #[inline(always)]
    pub(crate) const fn first(value: T) -> Self {
        Self::Occupied {
            version: generation::FIRST_OCCUPIED,
            value,
        }
    }

    /// A vacant slot with the given even `version` (reusable or retired), or
    /// `None` when `version` is not a vacant one.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn vacant_at(version: u32) -> Option<Self> {
        (!generation::is_occupied(version) && generation::is_valid(version)).then_some(
            Self::Vacant {
                version,
                next_free: NO_SLOT,
            },
        )
    }

    /// A slot holding `value` at the odd `version`; the value comes back in
    /// `Err` when `version` is not an occupied one.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn occupied_at(version: u32, value: T) -> Result<Self, T> {
        if generation::is_occupied(version) && generation::is_valid(version) {
            Ok(Self::Occupied { version, value })
        } else {
            Err(value)
        }
    }

    /// The slot's version.
    #[inline(always)]
    pub(crate) const fn version(&self) -> u32 {
        match self {
            Self::Occupied { version, .. } | Self::Vacant { version, .. } => *version,
        }
    }

    /// Whether the slot holds a value.
    #[inline(always)]
    pub(crate) const fn is_occupied(&self) -> bool {
        matches!(self, Self::Occupied { .. })
    }

    /// Whether the slot is vacant and may take a value again.
    #[inline(always)]
    pub(crate) const fn is_reusable(&self) -> bool {
        match self {
            Self::Vacant { version, .. } => generation::is_reusable(*version),
            Self::Occupied { .. } => false,
        }
    }

    /// The value, when the slot holds one.
    #[inline(always)]
    #[cfg_attr(not(any(test, feature = "serde")), allow(dead_code))]
    pub(crate) fn value(&self) -> Option<&T> {
        match self {
            Self::Occupied { value, .. } => Some(value),
            Self::Vacant { .. } => None,
        }
    }

    /// The value, when the slot holds one.
    #[inline(always)]
    pub(crate) fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Occupied { value, .. } => Some(value),
            Self::Vacant { .. } => None,
        }
    }

    /// The value, when the slot holds the value of `generation`.
    #[inline(always)]
    pub(crate) fn get(&self, generation: u32) -> Option<&T> {
        match self {
            Self::Occupied { version, value } if *version == generation => Some(value),
            _ => None,
        }
    }

    /// The value, when the slot holds the value of `generation`.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, generation: u32) -> Option<&mut T> {
        match self {
            Self::Occupied { version, value } if *version == generation => Some(value),
            _ => None,
        }
    }

    /// The value, when the slot holds one, moved out.
    #[inline]
    pub(crate) fn into_value(self) -> Option<T> {
        match self {
            Self::Occupied { value, .. } => Some(value),
            Self::Vacant { .. } => None,
        }
    }

    /// The next free slot's index, when the slot is vacant.
    #[inline(always)]
    pub(crate) const fn next_free(&self) -> Option<u32> {
        match self {
            Self::Vacant { next_free, .. } => Some(*next_free),
            Self::Occupied { .. } => None,
        }
    }

    /// Sets the free-list link of a vacant slot; does nothing to an
    /// occupied one.
    #[inline(always)]
    pub(crate) fn set_next_free(&mut self, next: u32) {
        if let Self::Vacant { next_free, .. } = self {
            *next_free = next;
        }
    }

    /// Moves `value` into a reusable vacant slot and returns the slot's new
    /// (odd) version and the free-list link it held; hands `value` back when
    /// the slot is occupied or retired.
    #[inline(always)]
    pub(crate) fn occupy(&mut self, value: T) -> Result<(u32, u32), T> {
        match *self {
            Self::Vacant { version, next_free } => match generation::occupy(version) {
                Some(version) => {
                    *self = Self::Occupied { version, value };
                    Ok((version, next_free))
                }
                None => Err(value),
            },
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves `value` into a slot taken from the free list and returns the
    /// slot's new (odd) version and the free-list link it held; hands
    /// `value` back when the slot is occupied.
    ///
    /// The fast path of insertion: unlike [`occupy`](Self::occupy), it
    /// trusts the free list that a vacant slot on it is reusable. Were the
    /// list wrong, a retired slot would take the version `u32::MAX`: a
    /// wrong generation, never unsound.
    #[inline(always)]
    pub(crate) fn occupy_free(&mut self, value: T) -> Result<(u32, u32), T> {
        match *self {
            Self::Vacant { version, next_free } => {
                // Even and below `RETIRED`, so `| 1` is `+ 1`.
                let version = version | 1;
                *self = Self::Occupied { version, value };
                Ok((version, next_free))
            }
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves the value out when the slot holds the value of `generation`,
    /// leaving it vacant with the free-list link `next_free`; returns the
    /// value and the slot's new version, which is [`generation::RETIRED`]
    /// when the slot used its last generation (the caller then keeps it off
    /// the free list). `None` when the slot holds no value of `generation`.
    #[inline(always)]
    pub(crate) fn vacate_at(&mut self, generation: u32, next_free: u32) -> Option<(T, u32)> {
        match self {
            Self::Occupied { version, .. } if *version == generation => {}
            _ => return None,
        }
        // An occupied version is odd and at most `LAST_OCCUPIED` (every
        // constructor and transition sees to it), so this is the next, even
        // version: reusable, or `RETIRED`.
        let version = generation.wrapping_add(1);
        match mem::replace(self, Self::Vacant { version, next_free }) {
            Self::Occupied { value, .. } => Some((value, version)),
            // Checked just above.
            Self::Vacant { .. } => None,
        }
    }

    /// Raises the version of a reusable vacant slot towards `target` (see
    /// [`generation::age`]); other slots are left alone.
    pub(crate) fn age(&mut self, target: u32) {
        if let Self::Vacant { version, .. } = self {
            *version = generation::age(*version, target);
        }
    }
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
        assert_eq!(slot.value().map(String::as_str), Some("a"));
        assert_eq!(slot.vacate_at(3, 7), None);
        assert_eq!(slot.vacate_at(1, 7), Some((String::from("a"), 2)));
        assert_eq!(slot.vacate_at(1, 7), None);
        assert_eq!(slot.next_free(), Some(7));
        assert_eq!(slot.version(), 2);
        assert_eq!(slot.get(1), None);
        assert!(slot.is_reusable());
    }

    #[test]
    fn values_drop_with_occupied_slots_only() {
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
        assert_eq!(
            slot.vacate_at(version, NO_SLOT),
            Some((1, generation::RETIRED))
        );
        assert_eq!(slot.version(), generation::RETIRED);
        assert!(!slot.is_reusable());
        assert_eq!(slot.occupy(2), Err(2));
    }

    #[test]
    fn parts_are_checked() {
        assert!(Slot::<u8>::vacant_at(3).is_none());
        assert!(Slot::<u8>::vacant_at(u32::MAX).is_none());
        assert!(Slot::<u8>::vacant_at(generation::RETIRED).is_some());
        assert_eq!(Slot::occupied_at(2, 5u8).err(), Some(5));
        assert_eq!(Slot::occupied_at(u32::MAX, 5u8).err(), Some(5));
        assert_eq!(Slot::occupied_at(3, 5u8).ok().unwrap().get(3), Some(&5));
    }
}
