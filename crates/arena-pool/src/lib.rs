//! Fast, safe region and pool allocation.
//!
//! | type | what it is for |
//! |---|---|
//! | [`Arena`] | Many values of any types, freed all at once: syntax trees, per-request or per-frame scratch data. Allocation through `&self` returns `&mut T` tied to the arena. |
//! | [`Scope`] | Temporary allocations inside an arena, freed when a closure returns ([`Arena::scope`]). |
//! | [`collections::Vec`], [`collections::String`] | Growable vectors and strings in an arena or scope, frozen into slices without copying; [`format!`] formats into one. |
//! | [`collections::Box`] | One owned value in an arena whose `Drop` runs, trait objects included ([`unsize_box!`]). |
//! | [`TypedArena`] | Like `Arena` for one type, but runs every value's `Drop`; values may point at each other, cycles included. |
//! | [`Pool`] / [`FixedPool`] | Values that come and go one by one, reached through 8-byte [`Handle`]s that never alias: a removed value's handle finds nothing, ever. `Pool` grows or is bounded; `FixedPool` lives inline with no heap. |
//! | [`DensePool`] | The same handles, with the values side by side in one `Vec`: the fastest iteration and a slice view, one more indirection per lookup. |
//! | [`SyncArena`] | An arena that many threads allocate from at once through `&SyncArena`; each thread bumps its own chunk, and references live as long as the arena (feature `std`). |
//! | [`SyncPool`] | Slots shared by many threads, growing or bounded, with boxes that free their slot on drop (feature `std`). |
//! | [`StaticPool`] | A fixed set of slots in a `static`, with no heap and no `std`: threads and interrupt handlers allocate through `&self`, lock-free, and boxes free their slot on drop ([`static_pool!`]). |
//! | [`Recycler`] | Objects kept for reuse instead of dropped, such as buffers or connections, across threads (feature `std`). |
//! | [`SyncSlab`] | Values that any thread inserts, looks up by [`SlabKey`] and removes, growing as needed or within a bound; keys never alias, and a value removed while guards read it is dropped by the last guard (feature `std`). |
//!
//! # If you need X, use Y
//!
//! - Build a tree or graph and drop it all at once: [`Arena`] (or
//!   [`TypedArena`] if the nodes own heap memory that must be freed).
//! - Reuse the same memory for every request or frame: keep one [`Arena`] and
//!   call [`Arena::reset`] between them, or run each one in
//!   [`Arena::scope`].
//! - Build vectors and strings in an arena: [`collections::Vec`],
//!   [`collections::String`] and [`format!`]; values that must be dropped:
//!   [`collections::Box`]. For `HashMap`s, the `allocator-api2` feature
//!   makes `&Arena` an allocator for `allocator_api2` and `hashbrown`
//!   collections.
//! - Entities, graph nodes or timers that are added and removed in any order
//!   and referred to from elsewhere: [`Pool`] and its [`Handle`]s.
//! - A pool in a `static` or on a target without a heap: [`FixedPool`]
//!   behind `&mut` (or a lock); [`StaticPool`] when threads or interrupt
//!   handlers share it through `&self`.
//! - A pool iterated far more than changed, or uploaded as one slice:
//!   [`DensePool`]. Two pools of the same value type whose handles must not
//!   mix: [`new_key_type!`].
//! - Build one structure from many threads (a rayon pool, worker threads)
//!   with references across them: [`SyncArena`].
//! - Objects handed between threads: [`SyncPool`]; expensive objects to
//!   reuse: [`Recycler`]; values that threads look up by key:
//!   [`SyncSlab`].
//! - When a peer crate fits better: a slab without generation checks (indices may alias after
//!   reuse), faster on pool churn here, is `slab`; an arena that bumps
//!   upwards, so a vector at the end grows without moving, or that is scoped
//!   through guards rather than closures, is `bump-scope`; a pool in a
//!   `static` that is given its memory in blocks at run time, and that
//!   hands out `Arc`s as well as boxes, is one of heapless's pools.
//!
//! # Cost model
//!
//! | operation | cost |
//! |---|---|
//! | `Arena::alloc` and kin | O(1): a subtraction, a mask and one compare-and-branch on the fast path; a new chunk (twice the last one) when the current chunk is full |
//! | `SyncArena::alloc` and kin | O(1): a thread-local lookup, then `Arena`'s bump; `LocalArena` skips the lookup; a thread's first allocation takes a lock |
//! | `Arena::reset`, end of a scope | O(number of chunks); no per-value work |
//! | `TypedArena::alloc` | O(1): a compare and a write; `Drop` runs later, once per value |
//! | `Pool::insert` / `remove` / `get` | O(1): a free-list pop or push, a version check |
//! | `Pool` iteration | O(slots in use): every slot is looked at, as in slab and slotmap |
//! | `SyncPool::alloc` / box drop | O(1), lock-free: a per-thread cache, a shared bitmap behind it |
//! | `SyncSlab::insert` / `remove` / `get` | O(1), lock-free: `SyncPool`'s free set per page, one atomic operation on the slot's state word; a new page (twice the last) when all are full, unless the slab is `bounded` |
//! | `StaticPool::alloc` / box drop | lock-free; one atomic read-modify-write each for up to 64 slots (32 on 32-bit targets), O(1); above that two, and a search from the word last freed into, O(N / 64) words at worst |
//!
//! # Safety
//!
//! Safe code cannot cause undefined behaviour through this crate: not with a
//! stale or foreign handle, a panicking closure or `Drop`, a zero-sized or
//! over-aligned type, a zero or huge capacity, or a size that overflows. How
//! that is checked:
//!
//! - the borrow checker: references are tied to the arena, and `reset` and
//!   scopes need exclusive access, so nothing can point into freed memory;
//!   compile-fail tests (trybuild) prove that such code is rejected;
//! - every `unsafe` block states the invariant it relies on, and the crate
//!   denies undocumented ones;
//! - the whole test suite runs under Miri with strict provenance, the
//!   library's own tests also on a 32-bit and a big-endian target;
//! - model-based property tests compare every container with a simple model;
//! - the lock-free structures are model-checked with loom;
//! - fuzz targets drive the arena, the pools and the typed arena.
//!
//! # Features
//!
//! - `std` (default): [`SyncArena`], [`SyncPool`], [`Recycler`] and
//!   [`SyncSlab`], which need threads.
//!   Without it the crate is `#![no_std]`.
//! - `alloc` (part of `std`): everything that uses the heap: [`Arena`],
//!   [`TypedArena`] and [`Pool`]. Without it the crate needs no allocator
//!   at all and offers [`FixedPool`], [`StaticPool`] and [`Handle`].
//! - `allocator-api2`: `&Arena` implements `allocator_api2::alloc::Allocator`.
//! - `serde`: [`Pool`] and [`Handle`] serialize, with handles valid across
//!   a round trip; the arena collections serialize, and deserialize into an
//!   arena through the seeds in `collections::serde`.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
#![deny(missing_docs)]
#![warn(
    clippy::missing_safety_doc,
    clippy::missing_panics_doc,
    clippy::missing_errors_doc
)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "alloc")]
mod arena;
mod bitmap;
#[cfg(feature = "std")]
mod budget;
#[cfg(feature = "alloc")]
pub mod collections;
#[cfg(feature = "alloc")]
mod error;
pub mod pool;
mod static_pool;
mod sync;
#[cfg(feature = "std")]
mod sync_arena;
#[cfg(feature = "std")]
mod sync_pool;
#[cfg(feature = "std")]
mod sync_slab;
#[cfg(feature = "alloc")]
mod typed_arena;

#[cfg(feature = "alloc")]
pub use arena::{AllocatedChunk, AllocatedChunks, Arena, Scope};
#[cfg(feature = "alloc")]
pub use error::{AllocError, AllocErrorKind, AllocOrInitError, TryAllocError};
#[cfg(feature = "alloc")]
pub use pool::{DensePool, Pool, SecondaryPool, SparseSecondaryPool};
pub use pool::{FixedPool, Full, GetDisjointMutError, Handle, InsertAtError, Key};
pub use static_pool::{StaticBox, StaticPool, static_pool_words};
#[cfg(feature = "std")]
pub use sync_arena::{LocalArena, SyncArena};
#[cfg(feature = "std")]
pub use sync_pool::{OwnedPoolBox, PoolBox, Recycled, RecycledOwned, Recycler, SyncPool};
#[cfg(feature = "std")]
pub use sync_slab::{OwnedSlabEntry, SlabEntry, SlabKey, SyncSlab};
#[cfg(feature = "alloc")]
pub use typed_arena::{TypedArena, TypedIterMut};

/// What the crate's macros expand to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "serde")]
    pub use serde;
}
