//! Slot versions: the arithmetic that keeps handles from ever aliasing.
//!
//! Every slot carries a `u32` version that only ever grows:
//!
//! - an odd version means the slot holds a value, and the version is the
//!   generation of the one handle that reaches it;
//! - an even version below [`RETIRED`] means the slot is vacant and may be
//!   used again;
//! - [`RETIRED`] means the slot is vacant for good: it reached its last
//!   generation and is never handed out again, so no handle can alias;
//! - `u32::MAX` is never used.
//!
//! A slot therefore holds `(RETIRED - 1) / 2 + 1 = 2^31 - 1` values over its
//! life. Everything here is plain arithmetic, without `unsafe`.

/// The version of a slot that has never held a value.
pub(crate) const FIRST_VACANT: u32 = 0;

/// The version of a slot holding its first value.
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
pub(crate) const FIRST_OCCUPIED: u32 = FIRST_VACANT + 1;

/// The version of a slot that reached its last generation.
pub(crate) const RETIRED: u32 = u32::MAX - 1;

/// The last generation a slot can give a value.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const LAST_OCCUPIED: u32 = RETIRED - 1;

/// The last version of a vacant slot that can still be used.
pub(crate) const LAST_REUSABLE: u32 = RETIRED - 2;

/// Whether a slot with this version holds a value.
#[inline(always)]
pub(crate) const fn is_occupied(version: u32) -> bool {
    version & 1 == 1
}

/// Whether a vacant slot with this version may take a value.
#[inline(always)]
pub(crate) const fn is_reusable(version: u32) -> bool {
    // Rotating moves the parity bit to the top: even versions become
    // `version / 2`, odd ones land at or above 2^31. One comparison then
    // checks both "even" and "below RETIRED".
    version.rotate_right(1) < RETIRED >> 1
}

/// Whether an occupied slot with this version can be vacated: it is odd
/// and at most [`LAST_OCCUPIED`] (that is, `version ^ 1` is reusable).
#[inline(always)]
#[cfg_attr(not(test), allow(dead_code))]
const fn is_vacatable(version: u32) -> bool {
    is_reusable(version ^ 1)
}

/// Whether `version` can occur at all (everything except `u32::MAX`).
#[inline(always)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub(crate) const fn is_valid(version: u32) -> bool {
    version != u32::MAX
}

/// The version a reusable vacant slot takes when a value moves in; `None`
/// for a version that is occupied, retired or invalid.
#[inline(always)]
pub(crate) const fn occupy(version: u32) -> Option<u32> {
    if is_reusable(version) {
        Some(version + 1)
    } else {
        None
    }
}

/// The version an occupied slot takes when its value leaves; `None` for a
/// version that is not occupied. Leaving [`LAST_OCCUPIED`] gives
/// [`RETIRED`].
#[inline(always)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const fn vacate(version: u32) -> Option<u32> {
    if is_vacatable(version) {
        Some(version + 1)
    } else {
        None
    }
}

/// The version a reusable vacant slot takes when it is aged towards
/// `target`: the larger of the two, rounded down to a vacant version and
/// capped at [`LAST_REUSABLE`]. Versions never go down, so no handle given
/// out earlier can come to match again. Other versions are returned as is.
pub(crate) const fn age(version: u32, target: u32) -> u32 {
    if !is_reusable(version) {
        return version;
    }
    let mut aged = target & !1;
    if aged > LAST_REUSABLE {
        aged = LAST_REUSABLE;
    }
    if aged > version { aged } else { version }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_partition_the_versions() {
        assert!(is_reusable(FIRST_VACANT));
        assert!(is_occupied(1));
        assert!(is_occupied(LAST_OCCUPIED));
        assert!(!is_occupied(RETIRED));
        assert!(!is_reusable(RETIRED));
        assert!(is_reusable(LAST_REUSABLE));
        assert!(!is_valid(u32::MAX));
        assert!(is_valid(RETIRED));
    }

    #[test]
    fn a_slot_cycles_until_retired() {
        assert_eq!(occupy(FIRST_VACANT), Some(1));
        assert_eq!(vacate(1), Some(2));
        assert_eq!(occupy(2), Some(3));
        assert_eq!(occupy(LAST_REUSABLE), Some(LAST_OCCUPIED));
        assert_eq!(vacate(LAST_OCCUPIED), Some(RETIRED));
        assert_eq!(occupy(RETIRED), None);
        assert_eq!(vacate(RETIRED), None);
        assert_eq!(occupy(u32::MAX), None);
        assert_eq!(vacate(u32::MAX), None);
    }

    #[test]
    fn the_bit_tricks_match_their_definitions() {
        let edges = [
            0,
            1,
            2,
            3,
            4,
            1 << 31,
            (1 << 31) + 1,
            LAST_REUSABLE,
            LAST_OCCUPIED,
            RETIRED,
            u32::MAX,
        ];
        for v in edges
            .into_iter()
            .chain((0..1000).map(|i| i * 4_294_967 + i % 2))
        {
            assert_eq!(is_reusable(v), !is_occupied(v) && v < RETIRED, "{v}");
            assert_eq!(is_vacatable(v), is_occupied(v) && v <= LAST_OCCUPIED, "{v}");
        }
    }

    #[test]
    fn wrong_state_transitions_are_refused() {
        assert_eq!(occupy(1), None);
        assert_eq!(vacate(0), None);
        assert_eq!(vacate(2), None);
    }

    #[test]
    fn generations_never_repeat_over_a_slot_life() {
        // Walk the top of the range: each occupied version is new and odd.
        let mut version = age(FIRST_VACANT, u32::MAX);
        assert_eq!(version, LAST_REUSABLE);
        let mut seen = [0u32; 4];
        let mut uses = 0;
        while let Some(occupied) = occupy(version) {
            assert!(is_occupied(occupied));
            seen[uses] = occupied;
            uses += 1;
            version = vacate(occupied).unwrap();
        }
        assert_eq!(version, RETIRED);
        assert_eq!(&seen[..uses], &[LAST_OCCUPIED]);
    }

    #[test]
    fn ageing_only_moves_reusable_versions_up() {
        assert_eq!(age(10, 4), 10);
        assert_eq!(age(10, 21), 20);
        assert_eq!(age(10, u32::MAX), LAST_REUSABLE);
        assert_eq!(age(11, 100), 11);
        assert_eq!(age(RETIRED, 0), RETIRED);
    }
}
