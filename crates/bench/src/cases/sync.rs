//! `sync/*` cases.

use crate::Case;

/// The `sync` group.
pub fn cases() -> Vec<Case> {
    Vec::new()
}
