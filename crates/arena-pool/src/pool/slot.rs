//! One slot of a pool: a value with the handle that reaches it, or a
//! vacant slot with its place in the free list.
//!
//! A plain enum, without `unsafe` and without a `Drop` impl of its own: the
//! value is dropped by the compiler's drop glue, so a pool of references
//! passes the drop check exactly as a `Vec` of them does.
//!
//! An occupied slot keeps its whole [`Handle`] (index and generation, a
//! non-zero `u64`), not just the generation. That costs nothing for values
//! aligned to 8 bytes (the 4 bytes would be padding otherwise) and buys two
//! things: the compiler stores the variant in the handle's niche (a vacant
//! slot is a zero handle, its link sits where the value would), so no
//! separate tag is kept; and a lookup is one 64-bit comparison of the
//! stored handle with the one given, which checks occupancy and generation
//! at once (a handle is never zero).
//!
//! The free list is a list of the handles it will give out: the pool keeps
//! the handle of the next insertion, and each vacant slot on the list keeps
//! the handle of the insertion after the one that takes it. Taking a slot
//! is then a copy (its handle is ready, and its link becomes the pool's),
//! and leaving one is an addition (the generation after its vacant version
//! is the handle's plus two). A slot on the list does not know its own
//! version: the link that names it does, one generation ahead.

#![forbid(unsafe_code)]

use core::mem;
use core::num::NonZeroU64;

use super::Handle;
use super::generation;

/// The slot index of no slot: the end of the free list.
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// One generation step in the high half of a handle's bits.
const STEP: u64 = 1 << 32;

/// A link of the free list: the bits of the handle its slot gives next (its
/// index in the low half, the odd generation after its vacant version in
/// the high half), or [`END`].
pub(crate) type Link = NonZeroU64;

/// The link that names no slot: the end of the free list.
pub(crate) const END: Link = link_bits((generation::FIRST_OCCUPIED as u64) << 32 | NO_SLOT as u64);

/// The word of a vacant slot off the free list: its own even version in the
/// high half, [`NO_SLOT`] in the low half (never zero).
const fn off_list(version: u32) -> Link {
    link_bits((version as u64) << 32 | NO_SLOT as u64)
}

/// The word of `bits`, which every caller builds non-zero (an odd
/// generation or an all-ones index); zero would read as the end of the list.
const fn link_bits(bits: u64) -> Link {
    match NonZeroU64::new(bits) {
        Some(bits) => bits,
        None => NonZeroU64::MAX,
    }
}

/// The index of the slot a link names ([`NO_SLOT`] for [`END`]).
#[inline(always)]
pub(crate) const fn link_index(link: Link) -> usize {
    link.get() as u32 as usize
}

/// The version of the vacant slot a link names: one below the link's
/// generation.
#[inline(always)]
pub(crate) const fn link_version(link: Link) -> u32 {
    ((link.get() >> 32) as u32).wrapping_sub(1)
}

/// The link naming slot `index` at the vacant `version`.
#[inline(always)]
pub(crate) const fn link_to(index: u32, version: u32) -> Link {
    Handle::<()>::new(index, version.wrapping_add(1)).to_nonzero()
}

/// Whether a vacant slot's word is a link of the free list: links carry an
/// odd generation, a slot off the list its own even version.
#[inline(always)]
const fn is_link(word: Link) -> bool {
    word.get() & STEP != 0
}

/// One slot of a pool.
///
/// The variant says whether a value is there. An occupied slot's handle
/// names the slot's own index under an odd generation at most
/// [`generation::LAST_OCCUPIED`]; a vacant slot's word is a [`Link`] when
/// the slot is on the free list and its own even version otherwise, which
/// the pool keeps for retired slots alone (and for slots it is about to
/// link). Only the transitions below and the checked constructors build
/// slots.
#[derive(Clone)]
pub(crate) enum Slot<T> {
    /// A value and the handle that reaches it (odd generation).
    Occupied {
        /// The handle of `value`: this slot's index and its generation.
        handle: Handle<T>,
        /// The value.
        value: T,
    },
    /// No value.
    Vacant {
        /// On the free list, the link to the next slot on it; off it, the
        /// slot's own version, as [`off_list`] lays it out.
        word: Link,
    },
}

impl<T> Slot<T> {
    /// A slot that never held a value, not yet on the free list.
    #[inline(always)]
    pub(crate) const fn vacant() -> Self {
        Self::Vacant {
            word: off_list(generation::FIRST_VACANT),
        }
    }

    /// A vacant slot off the free list with the given even `version`
    /// (reusable or retired), or `None` when `version` is not a vacant one.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn vacant_at(version: u32) -> Option<Self> {
        (!generation::is_occupied(version) && generation::is_valid(version)).then_some(
            Self::Vacant {
                word: off_list(version),
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

    /// Slot `index` holding `value` under the first generation, and the
    /// value's handle.
    #[inline(always)]
    pub(crate) const fn first(index: u32, value: T) -> (Self, Handle<T>) {
        let handle = Handle::new(index, generation::FIRST_OCCUPIED);
        (Self::Occupied { handle, value }, handle)
    }

    /// Moves an occupied slot to `index`: its handle then names `index`,
    /// under the same generation. A vacant slot is left alone.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn place_at(&mut self, index: u32) {
        if let Self::Occupied { handle, .. } = self {
            *handle = Handle::new(index, handle.generation());
        }
    }

    /// The slot's version, when the slot itself knows it: an occupied slot
    /// (its handle's generation) or one off the free list. A slot on the
    /// list gives `None`: the link naming it knows its version.
    #[inline(always)]
    pub(crate) const fn own_version(&self) -> Option<u32> {
        match self {
            Self::Occupied { handle, .. } => Some(handle.generation()),
            Self::Vacant { word } if !is_link(*word) => Some((word.get() >> 32) as u32),
            Self::Vacant { .. } => None,
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

    /// Whether the slot is vacant and may take a value again: it is on the
    /// free list, or off it with a reusable version.
    #[inline(always)]
    pub(crate) const fn is_reusable(&self) -> bool {
        match self {
            Self::Vacant { word } => {
                is_link(*word) || generation::is_reusable((word.get() >> 32) as u32)
            }
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
    #[inline(always)]
    pub(crate) fn into_value(self) -> Option<T> {
        match self {
            Self::Occupied { value, .. } => Some(value),
            Self::Vacant { .. } => None,
        }
    }

    /// The link this slot holds, when it is on the free list.
    #[inline(always)]
    pub(crate) const fn link(&self) -> Option<Link> {
        match self {
            Self::Vacant { word } if is_link(*word) => Some(*word),
            _ => None,
        }
    }

    /// Puts a vacant slot on the free list, in front of `next`; does nothing
    /// to an occupied one.
    #[inline(always)]
    pub(crate) fn set_link(&mut self, next: Link) {
        if let Self::Vacant { word } = self {
            *word = next;
        }
    }

    /// Takes a vacant slot off the free list, writing its own `version`
    /// into it; does nothing to an occupied one.
    #[inline(always)]
    pub(crate) fn set_off_list(&mut self, version: u32) {
        if let Self::Vacant { word } = self {
            *word = off_list(version);
        }
    }

    /// Moves `value` into this slot, slot `index`, when it is vacant, off
    /// the free list and reusable; returns the value's handle, or hands
    /// `value` back.
    pub(crate) fn occupy(&mut self, index: u32, value: T) -> Result<Handle<T>, T> {
        let Self::Vacant { word } = *self else {
            return Err(value);
        };
        match generation::occupy((word.get() >> 32) as u32) {
            Some(version) if !is_link(word) => {
                let handle = Handle::new(index, version);
                *self = Self::Occupied { handle, value };
                Ok(handle)
            }
            _ => Err(value),
        }
    }

    /// Moves `value` into this slot, the one the free list's head
    /// `free_head` names: the head is the value's handle, and the link the
    /// slot held becomes the head. Hands `value` back (and leaves the head
    /// alone) when the slot is occupied.
    ///
    /// The fast path of insertion: it trusts the free list that the slot is
    /// on it. Were the list wrong, a value would get a wrong generation,
    /// never reach memory it should not.
    #[inline(always)]
    pub(crate) fn occupy_free(&mut self, value: T, free_head: &mut Link) -> Result<Handle<T>, T> {
        match *self {
            Self::Vacant { word } => {
                let handle = Handle::from_nonzero(*free_head);
                *self = Self::Occupied { handle, value };
                // The head is written after the slot, so the compiler
                // sees no slot write between it and the next read of it.
                *free_head = word;
                Ok(handle)
            }
            Self::Occupied { .. } => Err(value),
        }
    }

    /// Moves the value out when the slot holds the value `handle` reaches,
    /// putting the slot at the head of the free list whose head `free_head`
    /// is. Returns the value and whether the slot used its last generation:
    /// it then stays off the list, [`generation::RETIRED`]. `None`, with
    /// nothing changed, when the slot holds no value of `handle`.
    #[inline(always)]
    pub(crate) fn vacate(&mut self, handle: Handle<T>, free_head: &mut Link) -> Option<(T, bool)> {
        match self {
            Self::Occupied { handle: own, .. } if *own == handle => {}
            _ => return None,
        }
        // An occupied generation is odd and at most `LAST_OCCUPIED`: the
        // slot's vacant version is one above, and the next value's
        // generation two above, which is a sum on the handle's bits. After
        // `LAST_OCCUPIED` the slot retires instead.
        if handle.to_bits() >= (generation::LAST_OCCUPIED as u64) << 32 {
            return self.retire().map(|value| (value, true));
        }
        let old = mem::replace(self, Self::Vacant { word: *free_head });
        // Written after the slot, as in `occupy_free`.
        *free_head = link_bits(handle.to_bits().wrapping_add(2 * STEP));
        match old {
            Self::Occupied { value, .. } => Some((value, false)),
            // Checked just above.
            Self::Vacant { .. } => None,
        }
    }

    /// Moves the value out of a slot that used its last generation: it
    /// stays vacant for good, off the free list.
    #[cold]
    #[inline(never)]
    fn retire(&mut self) -> Option<T> {
        let word = off_list(generation::RETIRED);
        mem::replace(self, Self::Vacant { word }).into_value()
    }

    /// Moves the value out, whatever its generation, as
    /// [`vacate`](Self::vacate) does; returns the handle that reached the
    /// value, the value and whether the slot retired.
    #[inline]
    pub(crate) fn take(&mut self, free_head: &mut Link) -> Option<(Handle<T>, T, bool)> {
        let handle = self.handle()?;
        let (value, retired) = self.vacate(handle, free_head)?;
        Some((handle, value, retired))
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
        assert_eq!(slot.own_version(), Some(0));
        assert!(slot.is_reusable() && slot.link().is_none());
        let h = slot.occupy(4, String::from("a")).unwrap();
        assert_eq!((h.index(), h.generation()), (4, 1));
        assert_eq!(slot.occupy(4, String::from("b")), Err(String::from("b")));
        assert_eq!(slot.get(h).map(String::as_str), Some("a"));
        assert_eq!(slot.get(Handle::new(4, 3)), None);
        assert_eq!(slot.get(Handle::new(5, 1)), None);
        assert_eq!(slot.link(), None);
        slot.set_link(END);
        assert_eq!(slot.value().map(String::as_str), Some("a"));
        let before = link_to(7, 6);
        let mut head = before;
        assert_eq!(slot.vacate(Handle::new(4, 3), &mut head), None);
        assert_eq!(head, before);
        assert_eq!(slot.vacate(h, &mut head), Some((String::from("a"), false)));
        // The head is the handle the slot gives next; the slot links on.
        assert_eq!(head, Handle::<()>::new(4, 3).to_nonzero());
        assert_eq!((link_index(head), link_version(head)), (4, 2));
        assert_eq!(slot.link(), Some(before));
        assert_eq!(slot.own_version(), None);
        assert_eq!(slot.vacate(h, &mut head), None);
        assert_eq!(slot.get(h), None);
        assert!(slot.is_reusable());
        // A slot on the list refuses `occupy`, which wants a version.
        assert_eq!(slot.occupy(4, String::from("x")), Err(String::from("x")));
        let h = slot.occupy_free(String::from("c"), &mut head).unwrap();
        assert_eq!((h.index(), h.generation(), head), (4, 3, before));
        let mut other = Slot::occupied_at(1, String::new()).ok().unwrap();
        assert_eq!(
            other.occupy_free(String::from("d"), &mut head).unwrap_err(),
            "d"
        );
        assert_eq!(head, before);
        head = END;
        assert_eq!(slot.take(&mut head), Some((h, String::from("c"), false)));
        assert_eq!((slot.link(), link_version(head)), (Some(END), 4));
        assert_eq!(slot.take(&mut head), None);
        slot.set_off_list(4);
        assert_eq!((slot.own_version(), slot.link()), (Some(4), None));
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
        let mut slot = Slot::vacant_at(generation::LAST_REUSABLE).unwrap();
        let handle = slot.occupy(0, 1u8).unwrap();
        assert_eq!(handle.generation(), generation::LAST_OCCUPIED);
        let mut head = END;
        assert_eq!(slot.vacate(handle, &mut head), Some((1, true)));
        assert_eq!((head, slot.link()), (END, None));
        assert_eq!(slot.own_version(), Some(generation::RETIRED));
        assert!(!slot.is_reusable());
        assert_eq!(slot.occupy(0, 2), Err(2));
    }

    #[test]
    fn links_keep_version_and_index_apart() {
        let versions = [0, 2, 1 << 31, generation::LAST_REUSABLE];
        let indices = [0, 7, 1 << 31, u32::MAX - 1];
        for version in versions {
            for index in indices {
                let link = link_to(index, version);
                assert_eq!(
                    (link_index(link), link_version(link)),
                    (index as usize, version)
                );
                let mut slot = Slot::vacant_at(version).unwrap();
                let after = link_to(index ^ 1, 8);
                slot.set_link(after);
                let mut head = link;
                let handle = slot.occupy_free('x', &mut head).unwrap();
                assert_eq!(head, after);
                assert_eq!(handle, Handle::new(index, version + 1));
                let retired = version + 2 == generation::RETIRED;
                head = END;
                assert_eq!(slot.vacate(handle, &mut head), Some(('x', retired)));
                if retired {
                    assert_eq!((head, slot.own_version()), (END, Some(generation::RETIRED)));
                } else {
                    assert_eq!(head, link_to(index, version + 2));
                    assert_eq!(slot.link(), Some(END));
                }
                assert_eq!(slot.is_reusable(), !retired);
            }
        }
        assert_eq!(link_index(END), NO_SLOT as usize);
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
