//! `typed/*` cases.

use crate::Case;

/// The `typed` group.
pub fn cases() -> Vec<Case> {
    Vec::new()
}
