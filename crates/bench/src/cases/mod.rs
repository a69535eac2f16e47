//! Every benchmark case, one module per group.

pub mod arena;
pub mod calc;
pub mod collections;
pub mod pool;
pub mod secondary;
pub mod static_pool;
pub mod sync;
pub mod sync_arena;
pub mod sync_slab;
pub mod typed;

use crate::Case;

/// All cases of every group, in a stable order.
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.extend(arena::cases());
    cases.extend(typed::cases());
    cases.extend(pool::cases());
    cases.extend(secondary::cases());
    cases.extend(sync::cases());
    cases.extend(calc::cases());
    cases.extend(sync_arena::cases());
    cases.extend(collections::cases());
    cases.extend(sync_slab::cases());
    cases.extend(static_pool::cases());
    cases
}
