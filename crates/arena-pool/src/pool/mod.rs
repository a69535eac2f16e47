//! Object pools with generational handles: [`Pool`] (growing or bounded,
//! on the heap) and [`FixedPool`] (inline, no heap).
//!
//! Both store values in slots and hand out [`Handle`]s: a slot index plus
//! the slot's generation. Removing a value moves the generation on, so old
//! handles find nothing; a slot whose generation would wrap is retired, so
//! a handle can never reach a later value.
//!
//! Every pool kind is a thin wrapper over one core (`pool_core`), generic over
//! where the slots live (`storage`): the free list, the counts and the
//! retirement rule exist once. None of it uses `unsafe`.

#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
mod dense;
mod entry;
mod error;
mod fixed;
pub(crate) mod generation;
#[cfg(feature = "alloc")]
mod growable;
mod handle;
mod iter;
mod key;
mod pool_core;
#[cfg(feature = "alloc")]
mod secondary;
#[cfg(feature = "serde")]
mod serde;
mod shared;
mod slot;
#[cfg(feature = "alloc")]
mod slot_table;
#[cfg(feature = "alloc")]
mod sparse_secondary;
mod storage;

#[cfg(feature = "alloc")]
pub use dense::{DenseDrain, DenseIntoIter, DenseIter, DenseIterMut, DenseKeys, DensePool};
pub use entry::{Entry, OccupiedEntry, VacantEntry};
pub use error::{Full, GetDisjointMutError, InsertAtError};
pub use fixed::{FixedDrain, FixedIntoIter, FixedIter, FixedIterMut, FixedPool};
#[cfg(feature = "alloc")]
pub use growable::Pool;
pub use handle::Handle;
#[cfg(feature = "alloc")]
pub use iter::{Drain, IntoIter, IntoValues};
pub use iter::{Iter, IterMut, Keys, Values, ValuesMut};
pub use key::Key;
#[cfg(feature = "alloc")]
pub use secondary::{
    SecondaryEntry, SecondaryIter, SecondaryIterMut, SecondaryOccupiedEntry, SecondaryPool,
    SecondaryVacantEntry,
};
#[cfg(feature = "alloc")]
pub use sparse_secondary::SparseSecondaryPool;

#[cfg(feature = "serde")]
use slot::Slot;

/// The most slots a pool can have: indices are `u32`, and `u32::MAX` marks
/// the end of the free list.
const MAX_SLOTS: usize = if usize::BITS > 32 {
    u32::MAX as usize
} else {
    usize::MAX
};

#[cfg(all(test, feature = "alloc"))]
mod tests;
