//! `pool/*` cases.

use crate::Case;

/// The `pool` group.
pub fn cases() -> Vec<Case> {
    Vec::new()
}
