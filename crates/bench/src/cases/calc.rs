//! `calc/*` cases.

use crate::Case;

/// The `calc` group.
pub fn cases() -> Vec<Case> {
    Vec::new()
}
