//! Object pools with generational handles: [`Pool`] (growing or bounded,
//! on the heap) and [`FixedPool`] (inline, no heap).
//!
//! Both store values in slots and hand out [`Handle`]s: a slot index plus
//! the slot's generation. Removing a value moves the generation on, so old
//! handles find nothing; a slot whose generation would wrap is retired, so
//! a handle can never reach a later value.

#[cfg(feature = "alloc")]
mod bitmap;
mod error;
mod fixed;
mod generation;
#[cfg(feature = "alloc")]
mod growable;
mod handle;
#[cfg(feature = "alloc")]
mod iter;
#[cfg(feature = "serde")]
mod serde;
mod shared;
mod slot;

pub use error::{Full, GetDisjointMutError};
pub use fixed::{FixedDrain, FixedIntoIter, FixedIter, FixedIterMut, FixedPool};
#[cfg(feature = "alloc")]
pub use growable::Pool;
pub use handle::Handle;
#[cfg(feature = "alloc")]
pub use iter::{Drain, IntoIter, Iter, IterMut};

#[cfg(feature = "alloc")]
use slot::{NO_SLOT, Slot};

/// The most slots a pool can have: indices are `u32`, and `u32::MAX` marks
/// the end of the free list.
const MAX_SLOTS: usize = if usize::BITS > 32 {
    u32::MAX as usize
} else {
    usize::MAX
};

#[cfg(all(test, feature = "alloc"))]
mod tests;
