//! Every benchmark case, one module per group.

pub mod arena;

use crate::Case;

/// All cases of every group, in a stable order.
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.extend(arena::cases());
    cases
}
