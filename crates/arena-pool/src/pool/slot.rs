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

/// The low half of a handle's bits or of a vacant slot's stamp: the slot
/// index, or the free-list link.
const LOW: u64 = u32::MAX as u64;

/// One generation step in the high half of a handle's bits.
const STEP: u64 = 1 << 32;

/// The stamp of a vacant slot: its version in the high half, the free-list
/// link in the low half.
#[inline(always)]
const fn stamp(version: u32, next_free: u32) -> u64 {
    (version as u64) << 32 | next_free as u64
}

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
        /// The slot's version in the high half and the next free slot in
        /// the low half ([`NO_SLOT`] at the end of the list; only
        /// meaningful for a reusable slot on the free list). Laid out as a
        /// handle's bits are, so that taking the slot turns it into the new
        /// handle with a mask, and leaving it turns the handle into it with
        /// an addition.
        stamp: u64,
    },
}

impl<T> Slot<T> {
    /// A slot that never held a value.
    #[inline(always)]
    pub(crate) const fn vacant() -> Self {
        Self::Vacant {
            stamp: stamp(generation::FIRST_VACANT, NO_SLOT),
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
                stamp: stamp(version, NO_SLOT),
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
            Self::Vacant { stamp } => (*stamp >> 32) as u32,
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
            Self::Vacant { stamp } => generation::is_reusable((*stamp >> 32) as u32),
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
            Self::Vacant { stamp } => Some(*stamp as u32),
            Self::Occupied { .. } => None,
        }
    }

    /// Sets the free-list link of a vacant slot; does nothing to an
    /// occupied one.
    #[inline(always)]
    pub(crate) fn set_next_free(&mut self, next: u32) {
        if let Self::Vacant { stamp } = self {
            *stamp = *stamp & !LOW | next as u64;
        }
    }

    /// Moves `value` into this slot, slot `index`, when it is vacant and
    /// reusable; returns the value's handle and the free-list link the slot
    /// held, or hands `value` back when the slot is occupied or retired.
    #[inline(always)]
    pub(crate) fn occupy(&mut self, index: u32, value: T) -> Result<(Handle<T>, u32), T> {
        match *self {
            Self::Vacant { stamp } => match generation::occupy((stamp >> 32) as u32) {
                Some(version) => {
                    let handle = Handle::new(index, version);
                    *self = Self::Occupied { handle, value };
                    Ok((handle, stamp as u32))
                }
                None => Err(value),
            },
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves `value` into this slot, slot `index`, taken from the free list
    /// whose head `free_head` is: the link the slot held becomes the head.
    /// Returns the value's handle, or hands `value` back (and leaves the
    /// head alone) when the slot is occupied.
    ///
    /// The fast path of insertion: unlike [`occupy`](Self::occupy), it
    /// trusts the free list that a vacant slot on it is reusable. Were the
    /// list wrong, a retired slot would take the version `u32::MAX`: a
    /// wrong generation, never unsound.
    #[inline(always)]
    pub(crate) fn occupy_free(
        &mut self,
        index: u32,
        value: T,
        free_head: &mut u32,
    ) -> Result<Handle<T>, T> {
        match *self {
            Self::Vacant { stamp } => {
                // The link is taken first, so the stamp can become the
                // handle in place: the version is even and below `RETIRED`,
                // so setting its bit 0 is `+ 1`, and the link's half becomes
                // the index.
                *free_head = stamp as u32;
                let handle = Handle::from_raw(stamp & !LOW | STEP | index as u64);
                *self = Self::Occupied { handle, value };
                Ok(handle)
            }
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves the value out when the slot holds the value `handle` reaches,
    /// leaving it vacant at the head of the free list whose head
    /// `free_head` is (the slot links to the old head, and `free_head`
    /// becomes the slot's index). Returns the value and whether the slot
    /// used its last generation: it is then [`generation::RETIRED`], and the
    /// caller takes it off the free list again. `None`, with nothing
    /// changed, when the slot holds no value of `handle`.
    #[inline(always)]
    pub(crate) fn vacate(&mut self, handle: Handle<T>, free_head: &mut u32) -> Option<(T, bool)> {
        match self {
            Self::Occupied { handle: own, .. } if *own == handle => {}
            _ => return None,
        }
        // The head moves first, so the handle's bits can become the stamp
        // in place.
        let next_free = mem::replace(free_head, handle.raw_index());
        // An occupied version is odd and at most `LAST_OCCUPIED` (every
        // constructor and transition sees to it), so one step up is the
        // next, even version: reusable, or `RETIRED` after the last one.
        // Adding the step and swapping the index for the link is one sum.
        let shift = (next_free as u64)
            .wrapping_sub(handle.raw_index() as u64)
            .wrapping_add(STEP);
        let stamp = handle.to_bits().wrapping_add(shift);
        let retired = stamp >> 32 >= generation::RETIRED as u64;
        match mem::replace(self, Self::Vacant { stamp }) {
            Self::Occupied { value, .. } => Some((value, retired)),
            // Checked just above.
            Self::Vacant { .. } => None,
        }
    }

    /// Moves the value out, whatever its generation, as
    /// [`vacate`](Self::vacate) does; returns the handle that reached the
    /// value, the value and whether the slot retired.
    #[inline]
    pub(crate) fn take(&mut self, free_head: &mut u32) -> Option<(Handle<T>, T, bool)> {
        let handle = self.handle()?;
        let (value, retired) = self.vacate(handle, free_head)?;
        Some((handle, value, retired))
    }

    /// Raises the version of a reusable vacant slot towards `target` (see
    /// [`generation::age`]); other slots are left alone.
    pub(crate) fn age(&mut self, target: u32) {
        if let Self::Vacant { stamp: old } = self {
            *old = stamp(generation::age((*old >> 32) as u32, target), *old as u32);
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
        let mut head = 7;
        assert_eq!(slot.vacate(Handle::new(4, 3), &mut head), None);
        assert_eq!(head, 7);
        assert_eq!(slot.vacate(h, &mut head), Some((String::from("a"), false)));
        assert_eq!(head, 4);
        head = 7;
        assert_eq!(slot.vacate(h, &mut head), None);
        assert_eq!(slot.next_free(), Some(7));
        assert_eq!(slot.version(), 2);
        assert_eq!(slot.get(h), None);
        assert!(slot.is_reusable());
        let mut head = 4;
        let h = slot.occupy_free(4, String::from("c"), &mut head).unwrap();
        assert_eq!((h.generation(), head), (3, 7));
        let mut other = Slot::occupied_at(1, String::new()).ok().unwrap();
        assert_eq!(
            other
                .occupy_free(0, String::from("d"), &mut head)
                .unwrap_err(),
            "d"
        );
        assert_eq!(head, 7);
        head = NO_SLOT;
        assert_eq!(slot.take(&mut head), Some((h, String::from("c"), false)));
        assert_eq!(
            (slot.version(), slot.next_free(), head),
            (4, Some(NO_SLOT), 4)
        );
        assert_eq!(slot.take(&mut head), None);
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
        let mut head = NO_SLOT;
        assert_eq!(slot.vacate(handle, &mut head), Some((1, true)));
        assert_eq!((head, slot.next_free()), (0, Some(NO_SLOT)));
        assert_eq!(slot.version(), generation::RETIRED);
        assert!(!slot.is_reusable());
        assert_eq!(slot.occupy(0, 2), Err(2));
    }

    #[test]
    fn stamps_keep_version_and_link_apart() {
        let versions = [0, 2, 1 << 31, generation::LAST_REUSABLE];
        let links = [0, 5, 1 << 31, NO_SLOT - 1, NO_SLOT];
        let indices = [0, 7, 1 << 31, u32::MAX - 1];
        for version in versions {
            for (link, index) in links.into_iter().zip(indices.into_iter().cycle()) {
                let mut slot = Slot::vacant_at(version).unwrap();
                slot.set_next_free(link);
                assert_eq!((slot.version(), slot.next_free()), (version, Some(link)));
                let mut head = index;
                let handle = slot.occupy_free(index, 'x', &mut head).unwrap();
                assert_eq!(head, link);
                assert_eq!(handle, Handle::new(index, version + 1));
                assert_eq!(slot.version(), version + 1);
                let other = NO_SLOT - link;
                let retired = version + 2 == generation::RETIRED;
                head = other;
                assert_eq!(slot.vacate(handle, &mut head), Some(('x', retired)));
                assert_eq!(head, index);
                assert_eq!(
                    (slot.version(), slot.next_free()),
                    (version + 2, Some(other))
                );
                assert_eq!(slot.is_reusable(), !retired);
            }
        }
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
