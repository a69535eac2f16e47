//! Fast, safe region and pool allocation.
//!
//! - [`Arena`]: a bump arena. Allocation through `&self` returns `&mut T`
//!   tied to the arena's lifetime; [`reset`](Arena::reset) and
//!   [`scope`](Arena::scope) free memory in bulk, checked by the borrow
//!   checker.
//!
//! The crate is `#![no_std]` with `alloc`; the `std` feature (on by default)
//! adds what needs the standard library, and `allocator-api2` lets
//! collections allocate from an arena.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
#![deny(missing_docs)]
#![warn(
    clippy::missing_safety_doc,
    clippy::missing_panics_doc,
    clippy::missing_errors_doc
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod arena;
mod error;

pub use arena::{Arena, Scope, bump};
pub use error::{AllocError, AllocErrorKind, TryAllocError};
