//! One slot of a pool: a value with the handle that reaches it, or a
//! vacant slot with its version and the link of the free list.
//!
//! A plain enum, without `unsafe` and without a `Drop` impl of its own: the
//! value is dropped by the compiler's drop glue, so a pool of references
//! passes the drop check exactly as a `Vec` of them does.
//!
//! An occupied slot keeps its whole [`Handle`] (index and generation, a
//! non-zero `u64`), not just the generation. That costs nothing for values
//! aligned to 8 bytes (the 4 bytes would be padding otherwise) and buys two
//! things: the compiler stores the variant in the handle's niche (a vacant
//! slot is a zero handle, its version and link sit where the value would),
//! so no separate tag is kept; and a lookup is one 64-bit comparison of the
//! stored handle with the one given, which checks occupancy and generation
//! at once (a handle is never zero).

#![forbid(unsafe_code)]

use core::mem;

use super::Handle;
use super::generation;

/// The free-list link meaning "no slot".
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// One slot of a pool.
///
/// The variant says whether a value is there; the version agrees with it
/// (odd when occupied, even when vacant, never `u32::MAX`), and an occupied
/// slot's handle names the slot's own index, because only the transitions
/// below and the checked constructors build slots.
#[derive(Clone)]
pub(crate) enum Slot<T> {
    /// A value and the handle that reaches it (odd generation).
    Occupied {
        /// The handle of `value`: this slot's index and its generation.
        handle: Handle<T>,
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

    /// Slot `index` holding `value` under the first generation, and the
    /// value's handle.
    #[inline(always)]
    pub(crate) const fn first(index: u32, value: T) -> (Self, Handle<T>) {
        let handle = Handle::new(index, generation::FIRST_OCCUPIED);
        (Self::Occupied { handle, value }, handle)
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
    /// `Err` when `version` is not an occupied one. Its handle names slot 0
    /// until [`place_at`](Self::place_at) says where it is (restoring a
    /// pool does).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn occupied_at(version: u32, value: T) -> Result<Self, T> {
        if generation::is_occupied(version) && generation::is_valid(version) {
            Ok(Self::Occupied {
                handle: Handle::new(0, version),
                value,
            })
        } else {
            Err(value)
        }
    }

    /// Moves an occupied slot to `index`: its handle then names `index`,
    /// under the same generation. A vacant slot is left alone.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn place_at(&mut self, index: u32) {
        if let Self::Occupied { handle, .. } = self {
            *handle = Handle::new(index, handle.generation());
        }
    }

    /// The slot's version.
    #[inline(always)]
    pub(crate) const fn version(&self) -> u32 {
        match self {
            Self::Occupied { handle, .. } => handle.generation(),
            Self::Vacant { version, .. } => *version,
        }
    }

    /// The handle of the value, when the slot holds one.
    #[inline(always)]
    pub(crate) const fn handle(&self) -> Option<Handle<T>> {
        match self {
            Self::Occupied { handle, .. } => Some(*handle),
            Self::Vacant { .. } => None,
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

    /// The handle and value, when the slot holds one.
    #[inline(always)]
    pub(crate) fn item(&self) -> Option<(Handle<T>, &T)> {
        match self {
            Self::Occupied { handle, value } => Some((*handle, value)),
            Self::Vacant { .. } => None,
        }
    }

    /// The handle and value, mutably, when the slot holds one.
    #[inline(always)]
    pub(crate) fn item_mut(&mut self) -> Option<(Handle<T>, &mut T)> {
        match self {
            Self::Occupied { handle, value } => Some((*handle, value)),
            Self::Vacant { .. } => None,
        }
    }

    /// The value, when the slot holds the value `handle` reaches.
    #[inline(always)]
    pub(crate) fn get(&self, handle: Handle<T>) -> Option<&T> {
        match self {
            Self::Occupied { handle: own, value } if *own == handle => Some(value),
            _ => None,
        }
    }

    /// The value, when the slot holds the value `handle` reaches.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, handle: Handle<T>) -> Option<&mut T> {
        match self {
            Self::Occupied { handle: own, value } if *own == handle => Some(value),
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

    /// Moves `value` into this slot, slot `index`, when it is vacant and
    /// reusable; returns the value's handle and the free-list link the slot
    /// held, or hands `value` back when the slot is occupied or retired.
    #[inline(always)]
    pub(crate) fn occupy(&mut self, index: u32, value: T) -> Result<(Handle<T>, u32), T> {
        match *self {
            Self::Vacant { version, next_free } => match generation::occupy(version) {
                Some(version) => {
                    let handle = Handle::new(index, version);
                    *self = Self::Occupied { handle, value };
                    Ok((handle, next_free))
                }
                None => Err(value),
            },
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves `value` into this slot, slot `index`, taken from the free list;
    /// returns the value's handle and the free-list link the slot held, or
    /// hands `value` back when the slot is occupied.
    ///
    /// The fast path of insertion: unlike [`occupy`](Self::occupy), it
    /// trusts the free list that a vacant slot on it is reusable. Were the
    /// list wrong, a retired slot would take the version `u32::MAX`: a
    /// wrong generation, never unsound.
    #[inline(always)]
    pub(crate) fn occupy_free(&mut self, index: u32, value: T) -> Result<(Handle<T>, u32), T> {
        match *self {
            Self::Vacant { version, next_free } => {
                // Even and below `RETIRED`, so `| 1` is `+ 1`.
                let handle = Handle::new(index, version | 1);
                *self = Self::Occupied { handle, value };
                Ok((handle, next_free))
            }
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves the value out when the slot holds the value `handle` reaches,
    /// leaving it vacant with the free-list link `next_free`; returns the
    /// value and the slot's new version, which is [`generation::RETIRED`]
    /// when the slot used its last generation (the caller then keeps it off
    /// the free list). `None` when the slot holds no value of `handle`.
    #[inline(always)]
    pub(crate) fn vacate(&mut self, handle: Handle<T>, next_free: u32) -> Option<(T, u32)> {
        match self {
            Self::Occupied { handle: own, .. } if *own == handle => {}
            _ => return None,
        }
        // An occupied version is odd and at most `LAST_OCCUPIED` (every
        // constructor and transition sees to it), so this is the next, even
        // version: reusable, or `RETIRED`.
        let version = handle.generation().wrapping_add(1);
        match mem::replace(self, Self::Vacant { version, next_free }) {
            Self::Occupied { value, .. } => Some((value, version)),
            // Checked just above.
            Self::Vacant { .. } => None,
        }
    }

    /// Moves the value out, whatever its generation, leaving the slot
    /// vacant with the free-list link `next_free`; returns the handle that
    /// reached the value, the value and the slot's new version (see
    /// [`vacate`](Self::vacate)).
    #[inline]
    pub(crate) fn take(&mut self, next_free: u32) -> Option<(Handle<T>, T, u32)> {
        let handle = self.handle()?;
        let (value, version) = self.vacate(handle, next_free)?;
        Some((handle, value, version))
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
        let (h, next) = slot.occupy(4, String::from("a")).unwrap();
        assert_eq!((h.index(), h.generation(), next), (4, 1, NO_SLOT));
        assert_eq!(slot.occupy(4, String::from("b")), Err(String::from("b")));
        assert_eq!(slot.get(h).map(String::as_str), Some("a"));
        assert_eq!(slot.get(Handle::new(4, 3)), None);
        assert_eq!(slot.get(Handle::new(5, 1)), None);
        assert_eq!(slot.next_free(), None);
        slot.set_next_free(9);
        assert_eq!(slot.value().map(String::as_str), Some("a"));
        assert_eq!(slot.vacate(Handle::new(4, 3), 7), None);
        assert_eq!(slot.vacate(h, 7), Some((String::from("a"), 2)));
        assert_eq!(slot.vacate(h, 7), None);
        assert_eq!(slot.next_free(), Some(7));
        assert_eq!(slot.version(), 2);
        assert_eq!(slot.get(h), None);
        assert!(slot.is_reusable());
        let (h, _) = slot.occupy_free(4, String::from("c")).unwrap();
        assert_eq!(h.generation(), 3);
        assert_eq!(slot.take(NO_SLOT), Some((h, String::from("c"), 4)));
        assert_eq!(slot.take(NO_SLOT), None);
    }

    #[test]
    fn values_drop_with_occupied_slots_only() {
        let rc = Rc::new(());
        let mut slot = Slot::vacant();
        slot.occupy(0, Rc::clone(&rc)).unwrap();
        let vacant: Slot<Rc<()>> = Slot::vacant();
        let copy = slot.clone();
        assert_eq!(Rc::strong_count(&rc), 3);
        drop((slot, vacant, copy));
        assert_eq!(Rc::strong_count(&rc), 1);
    }

    #[test]
    fn the_variant_lives_in_the_handle_niche() {
        // No separate tag for values aligned to 8 bytes: the slot is the
        // handle and the value.
        assert_eq!(size_of::<Slot<u64>>(), 16);
        assert_eq!(size_of::<Slot<[u64; 6]>>(), 56);
        assert_eq!(size_of::<Slot<(u32, u32)>>(), 16);
    }

    #[test]
    fn retired_slot_refuses_values() {
        let mut slot = Slot::vacant();
        slot.age(u32::MAX);
        let (handle, _) = slot.occupy(0, 1u8).unwrap();
        assert_eq!(handle.generation(), generation::LAST_OCCUPIED);
        assert_eq!(slot.vacate(handle, NO_SLOT), Some((1, generation::RETIRED)));
        assert_eq!(slot.version(), generation::RETIRED);
        assert!(!slot.is_reusable());
        assert_eq!(slot.occupy(0, 2), Err(2));
    }

    #[test]
    fn parts_are_checked() {
        assert!(Slot::<u8>::vacant_at(3).is_none());
        assert!(Slot::<u8>::vacant_at(u32::MAX).is_none());
        assert!(Slot::<u8>::vacant_at(generation::RETIRED).is_some());
        assert_eq!(Slot::occupied_at(2, 5u8).err(), Some(5));
        assert_eq!(Slot::occupied_at(u32::MAX, 5u8).err(), Some(5));
        let mut slot = Slot::occupied_at(3, 5u8).ok().unwrap();
        assert_eq!(slot.get(Handle::new(0, 3)), Some(&5));
        slot.place_at(6);
        assert_eq!(slot.get(Handle::new(0, 3)), None);
        assert_eq!(slot.get(Handle::new(6, 3)), Some(&5));
    }
}
