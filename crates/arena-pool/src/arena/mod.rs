//! [`Arena`]: a lifetime-safe bump arena.

pub(crate) mod bump;
mod chunk;
mod copy;
mod fill;
mod prefetch;
mod resize;
mod scope;
mod usage;

#[cfg(feature = "allocator-api2")]
mod allocator_api;

pub(crate) use copy::copy_bytes;
pub use scope::Scope;
pub use usage::{AllocatedChunk, AllocatedChunks};

use core::alloc::Layout;
use core::cell::Cell;
use core::fmt;
use core::mem::{self, MaybeUninit};
use core::ptr::{self, NonNull};

#[cfg(feature = "std")]
use crate::budget::Budget;
use crate::error::{AllocError, AllocErrorKind, AllocOrInitError, TryAllocError};
use chunk::{CHUNK_ALIGN, Chunk, FOOTER_SIZE};
use fill::{Room, SliceFill};

/// The usable capacity of the first chunk of a growing arena: with its footer
/// and the global allocator's header, 512 bytes.
const INITIAL_CHUNK_CAPACITY: usize = 512 - FOOTER_SIZE - bump::MALLOC_OVERHEAD;

/// The address the cursor and start take while the arena has no chunk.
///
/// It carries no provenance: blocks of size zero may be handed out at it, and
/// any other request fails the bump check and takes the slow path.
const EMPTY_ADDR: usize = CHUNK_ALIGN;

/// A bump arena: fast allocation of values of any type through `&self`, with
/// every reference tied to the arena's lifetime.
///
/// Allocation moves a cursor down through the current chunk: a few
/// instructions and one branch. On x86_64 it also asks the processor for the
/// cache line a page below the new block, so a long run of allocations finds
/// its memory already in cache (1.6 to 1.8 times as fast for 48-byte values
/// streamed through a reused chunk). When a chunk is full, the arena takes a new
/// one twice as large (or, for [`Arena::fixed`], reports an error). Memory is
/// given back all at once: when the arena drops, on [`reset`](Arena::reset),
/// or when a [`scope`](Arena::scope) ends.
///
/// # Destructors are not run
///
/// The arena never runs `Drop` for the values in it: their memory is reclaimed
/// but a `String` or `Vec` inside leaks its own heap buffer. Use
/// [`TypedArena`](crate::TypedArena) for values that need dropping, or wrap
/// one in a [`collections::Box`](crate::collections::Box), which drops it.
///
/// The one exception is a slice that is never handed out: when the closure,
/// iterator or `clone` filling a slice (`alloc_slice_fill_with`,
/// `alloc_slice_fill_iter`, `alloc_slice_clone`, `alloc_slice_try_fill_*`
/// and their `try_` and [`Scope`] forms) panics or returns an error, the
/// values it already made are dropped, once each, and the room is given
/// back if it is still the arena's most recent block. (bumpalo gives the
/// room back too but leaks those values.)
///
/// # Threads
///
/// `Arena` is [`Send`] but not [`Sync`]: it can move to another thread, but
/// allocating from several threads at once needs one arena per thread.
///
/// # Method family
///
/// | panics when memory runs out | returns a `Result` | what it allocates |
/// |---|---|---|
/// | [`alloc`](Arena::alloc) | [`try_alloc`](Arena::try_alloc) | a value |
/// | [`alloc_with`](Arena::alloc_with) | [`try_alloc_with`](Arena::try_alloc_with) | a value built in place |
/// | [`alloc_try_with`](Arena::alloc_try_with) | [`try_alloc_try_with`](Arena::try_alloc_try_with) | a value built in place by a closure that may fail |
/// | [`alloc_fmt`](Arena::alloc_fmt) | – | formatted text |
/// | [`alloc_uninit`](Arena::alloc_uninit), [`alloc_uninit_slice`](Arena::alloc_uninit_slice) | [`try_alloc_uninit`](Arena::try_alloc_uninit), [`try_alloc_uninit_slice`](Arena::try_alloc_uninit_slice) | room to build a value or a slice in place |
/// | [`alloc_default`](Arena::alloc_default) | [`try_alloc_default`](Arena::try_alloc_default) | `T::default()` |
/// | [`alloc_slice_copy`](Arena::alloc_slice_copy) | [`try_alloc_slice_copy`](Arena::try_alloc_slice_copy) | a copy of a `Copy` slice |
/// | [`alloc_slice_clone`](Arena::alloc_slice_clone) | [`try_alloc_slice_clone`](Arena::try_alloc_slice_clone) | a clone of a slice |
/// | [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with) | [`try_alloc_slice_fill_with`](Arena::try_alloc_slice_fill_with) | a slice from an index function |
/// | [`alloc_slice_fill_iter`](Arena::alloc_slice_fill_iter) | [`try_alloc_slice_fill_iter`](Arena::try_alloc_slice_fill_iter) | a slice from an iterator |
/// | [`alloc_slice_try_fill_with`](Arena::alloc_slice_try_fill_with), [`alloc_slice_try_fill_iter`](Arena::alloc_slice_try_fill_iter) | – | a slice from fallible closures or results |
/// | [`alloc_str`](Arena::alloc_str) | [`try_alloc_str`](Arena::try_alloc_str) | a copy of a string |
/// | [`alloc_bytes_zeroed`](Arena::alloc_bytes_zeroed) | [`try_alloc_bytes_zeroed`](Arena::try_alloc_bytes_zeroed) | zeroed bytes |
/// | [`alloc_layout`](Arena::alloc_layout) | [`try_alloc_layout`](Arena::try_alloc_layout) | raw memory for a [`Layout`] |
///
/// ```
/// use arena_pool::Arena;
///
/// #[derive(Debug)]
/// enum Expr<'a> {
///     Num(i64),
///     Add(&'a Expr<'a>, &'a Expr<'a>),
/// }
///
/// let arena = Arena::new();
/// let one = arena.alloc(Expr::Num(1));
/// let sum = arena.alloc(Expr::Add(one, one));
/// assert!(matches!(sum, Expr::Add(..)));
/// ```
///
/// A reference cannot outlive its arena:
///
/// ```compile_fail
/// use arena_pool::Arena;
///
/// let escaped: &mut u32 = {
///     let arena = Arena::new();
///     arena.alloc(1)
/// };
/// ```
pub struct Arena {
    // Invariants:
    // - With no chunk (`current` is `None`), `cursor` and `start` are both
    //   `EMPTY_ADDR` and `cursor` has no provenance.
    // - Otherwise `current` is a chunk of this arena's list, `start` is its
    //   base address, `start <= cursor.addr() <= top`, and `cursor` carries the
    //   chunk's provenance. The bytes in `[cursor, top)` may be lent out
    //   (blocks bumped down from the top), and so may those in `[base,
    //   start)` (growable buffers bumped up from the floor, see `resize`);
    //   those in `[start, cursor)` are free.
    // - Chunks after `current` in the list are empty spares (kept by a scope
    //   that ended); chunks before it are full or partly used.
    /// Where the next allocation ends; allocation moves it down.
    cursor: Cell<*mut u8>,
    /// The lowest free address of the current chunk: its base, raised by
    /// the growable buffers placed on the floor.
    start: Cell<usize>,
    current: Cell<Option<Chunk>>,
    /// `None` for an arena that grows; the fixed capacity otherwise.
    fixed_capacity: Option<usize>,
    /// Upper bound on the sum of all chunks' capacities.
    limit: Cell<Option<usize>>,
    /// The capacity count and limit this arena shares with others (the
    /// per-thread arenas of a [`SyncArena`](crate::SyncArena)); every chunk
    /// it holds is counted there.
    #[cfg(feature = "std")]
    budget: Option<alloc::sync::Arc<Budget>>,
}

// SAFETY: an `Arena` owns its chunks exclusively (no other arena or thread
// can reach them), and every reference into them borrows the arena, so none
// can be alive when the arena moves to another thread. Values stored in it are
// never dropped or read by the arena itself.
unsafe impl Send for Arena {}

/// Where a scope started, to rewind to when it ends.
#[derive(Clone, Copy)]
struct Checkpoint {
    chunk: Option<Chunk>,
    cursor: *mut u8,
    start: usize,
}

impl Arena {
    /// An empty arena that grows by chunks; the first chunk is allocated on
    /// first use.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(arena.chunk_count(), 0);
    /// arena.alloc(5u8);
    /// assert_eq!(arena.chunk_count(), 1);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            cursor: Cell::new(ptr::without_provenance_mut(EMPTY_ADDR)),
            start: Cell::new(EMPTY_ADDR),
            current: Cell::new(None),
            fixed_capacity: None,
            limit: Cell::new(None),
            #[cfg(feature = "std")]
            budget: None,
        }
    }

    /// An empty growing arena whose chunks are counted in, and limited by,
    /// `budget`.
    #[cfg(feature = "std")]
    pub(crate) fn with_budget(budget: alloc::sync::Arc<Budget>) -> Self {
        let mut arena = Self::new();
        arena.budget = Some(budget);
        arena
    }

    /// A growing arena whose first chunk holds at least `bytes` bytes.
    ///
    /// # Panics
    ///
    /// Panics if the first chunk cannot be allocated; see
    /// [`try_with_capacity`](Arena::try_with_capacity).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::with_capacity(4096);
    /// assert!(arena.capacity() >= 4096);
    /// ```
    #[must_use]
    pub fn with_capacity(bytes: usize) -> Self {
        Self::try_with_capacity(bytes).unwrap_or_else(|error| fail(&error))
    }

    /// A growing arena whose first chunk holds at least `bytes` bytes, or an
    /// error if that chunk cannot be allocated.
    ///
    /// # Errors
    ///
    /// [`AllocErrorKind::OutOfMemory`] if the global allocator fails,
    /// [`AllocErrorKind::SizeOverflow`] if `bytes` exceeds `isize::MAX`.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// assert!(Arena::try_with_capacity(usize::MAX).is_err());
    /// assert!(Arena::try_with_capacity(1024).is_ok());
    /// ```
    pub fn try_with_capacity(bytes: usize) -> Result<Self, AllocError> {
        let arena = Self::new();
        if bytes > 0 {
            arena.install_first_chunk(bytes)?;
        }
        Ok(arena)
    }

    /// An arena of exactly `bytes` bytes that never grows: once full, every
    /// allocation fails (or panics, for the non-`try` methods). Any capacity
    /// is valid, zero included.
    ///
    /// # Panics
    ///
    /// Panics if the memory cannot be allocated; see
    /// [`try_fixed`](Arena::try_fixed).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(16);
    /// arena.alloc(1u64);
    /// arena.alloc(2u64);
    /// assert!(arena.try_alloc(3u64).is_err());
    /// assert_eq!(arena.chunk_count(), 1);
    /// ```
    #[must_use]
    pub fn fixed(bytes: usize) -> Self {
        Self::try_fixed(bytes).unwrap_or_else(|error| fail(&error))
    }

    /// An arena of exactly `bytes` bytes that never grows, or an error if the
    /// memory cannot be allocated.
    ///
    /// # Errors
    ///
    /// [`AllocErrorKind::OutOfMemory`] if the global allocator fails,
    /// [`AllocErrorKind::SizeOverflow`] if `bytes` exceeds `isize::MAX`.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// assert!(Arena::try_fixed(usize::MAX).is_err());
    /// assert_eq!(Arena::try_fixed(0).unwrap().capacity(), 0);
    /// ```
    pub fn try_fixed(bytes: usize) -> Result<Self, AllocError> {
        let mut arena = Self::new();
        arena.fixed_capacity = Some(bytes);
        if bytes > 0 {
            arena.install_first_chunk(bytes)?;
        }
        Ok(arena)
    }

    fn install_first_chunk(&self, bytes: usize) -> Result<(), AllocError> {
        if bytes > bump::MAX_CHUNK_CAPACITY {
            return Err(AllocError::new(AllocErrorKind::SizeOverflow, bytes, 1));
        }
        let chunk = Chunk::allocate(bytes)
            .ok_or_else(|| AllocError::new(AllocErrorKind::OutOfMemory, bytes, 1))?;
        self.enter_chunk(chunk, 0);
        Ok(())
    }

    // ----- the fast path -------------------------------------------------

    /// Bumps the cursor for `layout` within the current chunk, or `None` if
    /// it does not fit. This is the whole fast path.
    #[inline(always)]
    fn bump(&self, layout: Layout) -> Option<NonNull<u8>> {
        let cursor = self.cursor.get();
        let new = bump::bump_down(
            cursor.addr(),
            self.start.get(),
            layout.size(),
            layout.align(),
        )?;
        let new = cursor.with_addr(new);
        self.cursor.set(new);
        prefetch::ahead_of(new);
        // SAFETY: `bump_down` returned an address in `[start, cursor]`, and
        // `start` is non-zero: `EMPTY_ADDR` or a chunk base.
        Some(unsafe { NonNull::new_unchecked(new) })
    }

    /// Allocates `layout`, through the fast path when it fits.
    #[inline(always)]
    fn try_alloc_raw(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        match self.bump(layout) {
            Some(ptr) => Ok(ptr),
            None => self.alloc_slow(layout),
        }
    }

    /// Allocates `layout` or panics with the reason.
    #[inline(always)]
    fn alloc_raw(&self, layout: Layout) -> NonNull<u8> {
        match self.bump(layout) {
            Some(ptr) => ptr,
            None => self.alloc_slow_or_panic(layout),
        }
    }

    /// Uninitialised room for one `T`. Zero-sized types take no space.
    #[inline(always)]
    fn try_alloc_slot<T>(&self) -> Result<NonNull<T>, AllocError> {
        if mem::size_of::<T>() == 0 {
            return Ok(NonNull::dangling());
        }
        self.try_alloc_raw(Layout::new::<T>()).map(NonNull::cast)
    }

    #[inline(always)]
    fn alloc_slot<T>(&self) -> NonNull<T> {
        if mem::size_of::<T>() == 0 {
            return NonNull::dangling();
        }
        self.alloc_raw(Layout::new::<T>()).cast()
    }

    /// Uninitialised room for `len` values of `T`.
    #[inline]
    fn try_alloc_slots<T>(&self, len: usize) -> Result<NonNull<T>, AllocError> {
        if mem::size_of::<T>() == 0 {
            return Ok(NonNull::dangling());
        }
        let layout = Layout::array::<T>(len)
            .map_err(|_| AllocError::array_overflow(len, mem::size_of::<T>()))?;
        self.try_alloc_raw(layout).map(NonNull::cast)
    }

    #[inline]
    fn alloc_slots<T>(&self, len: usize) -> NonNull<T> {
        self.try_alloc_slots(len)
            .unwrap_or_else(|error| fail(&error))
    }

    // ----- the slow path -------------------------------------------------

    #[cold]
    #[inline(never)]
    fn alloc_slow_or_panic(&self, layout: Layout) -> NonNull<u8> {
        self.alloc_slow(layout).unwrap_or_else(|error| fail(&error))
    }

    /// Serves a request the current chunk cannot: a zero-sized block, a spare
    /// chunk left by a scope, or a new chunk.
    #[cold]
    #[inline(never)]
    fn alloc_slow(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        if layout.size() == 0 {
            // SAFETY: an alignment is never zero.
            return Ok(unsafe {
                NonNull::new_unchecked(ptr::without_provenance_mut(layout.align()))
            });
        }
        let error = |kind| AllocError::new(kind, layout.size(), layout.align());
        let needed = bump::capacity_for(layout.size(), layout.align(), CHUNK_ALIGN)
            .ok_or_else(|| error(AllocErrorKind::SizeOverflow))?;

        let current = self.current.get();
        if let Some(current) = current {
            // Whatever happens next, the used regions of the chunk stay
            // readable through `iter_allocated_chunks`.
            current.set_left(self.start.get(), self.cursor.get().addr());
        }
        if let Some(spare) = current.and_then(Chunk::next)
            && spare.capacity() >= needed
        {
            self.enter_chunk(spare, self.allocated_bytes());
            // A spare chunk of enough capacity always fits the block; an
            // error, never returned, keeps the fallible path free of panics.
            return self
                .bump(layout)
                .ok_or_else(|| error(AllocErrorKind::OutOfMemory));
        }

        if let Some(capacity) = self.fixed_capacity {
            return Err(error(AllocErrorKind::CapacityExceeded {
                capacity,
                remaining: self.remaining_capacity(),
            }));
        }

        let previous = current.map_or(0, Chunk::capacity);
        let mut capacity = bump::round_chunk_capacity(
            bump::next_capacity(previous, needed, INITIAL_CHUNK_CAPACITY),
            FOOTER_SIZE,
        );
        if let Some(limit) = self.limit.get() {
            capacity = bump::limit_capacity(capacity, needed, self.capacity(), limit)
                .ok_or_else(|| error(AllocErrorKind::LimitExceeded { limit }))?;
        }
        #[cfg(feature = "std")]
        if let Some(budget) = &self.budget {
            capacity = budget.reserve(capacity, needed).map_err(|limit| {
                error(limit.map_or(AllocErrorKind::OutOfMemory, |limit| {
                    AllocErrorKind::LimitExceeded { limit }
                }))
            })?;
        }
        let Some(chunk) = Chunk::allocate(capacity) else {
            self.give_back_capacity(capacity);
            return Err(error(AllocErrorKind::OutOfMemory));
        };
        let used = self.allocated_bytes();
        if let Some(current) = current {
            current.insert_after(chunk);
        }
        self.enter_chunk(chunk, used);
        // As above: a new chunk of enough capacity always fits the block.
        self.bump(layout)
            .ok_or_else(|| error(AllocErrorKind::OutOfMemory))
    }

    /// Tells the shared budget, if any, that chunks of `bytes` bytes in all
    /// are no longer held.
    #[cfg_attr(not(feature = "std"), allow(clippy::unused_self))]
    fn give_back_capacity(&self, bytes: usize) {
        #[cfg(feature = "std")]
        if let Some(budget) = &self.budget {
            budget.release(bytes);
        }
        #[cfg(not(feature = "std"))]
        let _ = bytes;
    }

    /// Makes `chunk` the current chunk, empty, with `used_before` bytes
    /// handed out in the chunks before it.
    fn enter_chunk(&self, chunk: Chunk, used_before: usize) {
        chunk.set_used_before(used_before);
        self.current.set(Some(chunk));
        self.start.set(chunk.base().addr().get());
        self.cursor.set(chunk.top().as_ptr());
    }

    // ----- allocation: values ---------------------------------------------

    /// Moves `value` into the arena and returns a mutable reference to it.
    ///
    /// # Panics
    ///
    /// Panics if the arena is out of memory, over its limit or (if fixed)
    /// full; the message says which and how much was asked. See
    /// [`try_alloc`](Arena::try_alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let x = arena.alloc(41u64);
    /// *x += 1;
    /// assert_eq!(*x, 42);
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc<T>(&self, value: T) -> &mut T {
        let ptr = self.alloc_slot::<T>();
        // SAFETY: `ptr` is fresh, aligned room for a `T` that nothing else
        // refers to, valid for as long as `&self` borrows the arena.
        unsafe {
            ptr.write(value);
            &mut *ptr.as_ptr()
        }
    }

    /// Moves `value` into the arena, or hands it back with the error.
    ///
    /// # Errors
    ///
    /// A [`TryAllocError`] holding the value and the reason the arena could
    /// not take it.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(8);
    /// assert_eq!(*arena.try_alloc(1u64).unwrap(), 1);
    /// assert_eq!(arena.try_alloc(2u64).unwrap_err().into_value(), 2);
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc<T>(&self, value: T) -> Result<&mut T, TryAllocError<T>> {
        match self.try_alloc_slot::<T>() {
            // SAFETY: as in `alloc`.
            Ok(ptr) => Ok(unsafe {
                ptr.write(value);
                &mut *ptr.as_ptr()
            }),
            Err(error) => Err(TryAllocError::new(error, value)),
        }
    }

    /// Allocates room, then builds the value in place with `f`, which helps
    /// the compiler avoid building large values on the stack first.
    ///
    /// # How far "in place" goes
    ///
    /// The room is taken before `f` runs and `f`'s result is written
    /// straight to it, in a function always inlined into the caller, as
    /// bumpalo's `alloc_with` does. Whether the value is then built in the
    /// arena without a copy on the stack is up to the optimiser: Rust does
    /// not guarantee it. In optimised builds it does so for a closure that
    /// builds a struct or array literal (`|| Big { table: [0; 1 << 24], n }`):
    /// a 16 MiB value goes through a thread with an 8 MiB stack, which a
    /// test checks in release builds. It may copy through the stack when the
    /// closure calls a function that is not inlined or fills a local and
    /// returns it (so does bumpalo's), and unoptimised (debug) builds
    /// usually do. For values larger than the stack, build them in the room
    /// [`alloc_uninit`](Arena::alloc_uninit) hands out, which never goes
    /// through the stack, or allocate a slice with
    /// [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with).
    ///
    /// If `f` panics, the room stays allocated and unused; the arena remains
    /// sound.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate (see [`alloc`](Arena::alloc)), or
    /// if `f` panics.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let table = arena.alloc_with(|| [0u32; 1024]);
    /// assert_eq!(table.len(), 1024);
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_with<T>(&self, f: impl FnOnce() -> T) -> &mut T {
        let ptr = self.alloc_slot::<T>();
        // SAFETY: as in `alloc`; if `f` panics, nothing was written and
        // nothing refers to the room.
        unsafe { write_with(ptr, f) }
    }

    /// Like [`alloc_with`](Arena::alloc_with), but returns an error instead of
    /// panicking when the arena cannot allocate; `f` is then not called.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(4);
    /// assert!(arena.try_alloc_with(|| 1u32).is_ok());
    /// assert!(arena.try_alloc_with(|| 2u32).is_err());
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_with<T>(&self, f: impl FnOnce() -> T) -> Result<&mut T, AllocError> {
        let ptr = self.try_alloc_slot::<T>()?;
        // SAFETY: as in `alloc_with`.
        Ok(unsafe { write_with(ptr, f) })
    }

    /// Builds a value with a closure that may fail, writing its result
    /// straight into arena memory (as [`alloc_with`](Arena::alloc_with)
    /// does; the compiler usually, but is not bound to, elide the move). On
    /// `Err`, or if `f` panics, the room is given back if it is still the
    /// arena's most recent block; an `Err` is handed back.
    ///
    /// # Errors
    ///
    /// The closure's own error.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if `f` panics; see
    /// [`try_alloc_try_with`](Arena::try_alloc_try_with).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let n = arena.alloc_try_with(|| "42".parse::<u64>()).unwrap();
    /// assert_eq!(*n, 42);
    /// let before = arena.allocated_bytes();
    /// assert!(arena.alloc_try_with(|| "x".parse::<u64>()).is_err());
    /// assert_eq!(arena.allocated_bytes(), before);
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_try_with<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<&mut T, E> {
        match self.try_alloc_try_with(f) {
            Ok(value) => Ok(value),
            Err(AllocOrInitError::Init(error)) => Err(error),
            Err(AllocOrInitError::Alloc(error)) => fail(&error),
        }
    }

    /// [`alloc_try_with`](Arena::alloc_try_with) that also returns the
    /// allocation failure instead of panicking; the error says which of the
    /// two happened.
    ///
    /// # Errors
    ///
    /// [`AllocOrInitError::Alloc`] if the arena cannot allocate (then `f`
    /// does not run), [`AllocOrInitError::Init`] with `f`'s error.
    ///
    /// ```
    /// use arena_pool::{AllocOrInitError, Arena};
    ///
    /// let arena = Arena::fixed(16);
    /// assert_eq!(*arena.try_alloc_try_with(|| Ok::<u64, ()>(7)).unwrap(), 7);
    /// let err = arena.try_alloc_try_with(|| Ok::<[u64; 4], ()>([0; 4])).unwrap_err();
    /// assert!(matches!(err, AllocOrInitError::Alloc(_)));
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_try_with<T, E>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<&mut T, AllocOrInitError<E>> {
        let room =
            Room::take(self, Layout::new::<Result<T, E>>()).map_err(AllocOrInitError::Alloc)?;
        let ptr = room.ptr().cast::<Result<T, E>>();
        // SAFETY: `ptr` is fresh, aligned room for the result, valid as long
        // as `&self` borrows the arena. If `f` panics nothing was written,
        // and `room` gives the room back.
        unsafe { ptr.write(f()) };
        // SAFETY: the slot now holds an initialised result that nothing else
        // refers to; this borrow ends before the slot is used otherwise.
        if let Ok(value) = unsafe { &mut *ptr.as_ptr() } {
            room.keep();
            let value: *mut T = value;
            // SAFETY: the value lives in the arena's room for as long as
            // `&self` borrows it, and this is its only reference.
            return Ok(unsafe { &mut *value });
        }
        // SAFETY: the slot holds an initialised `Err`, which moves out here;
        // the reference to it is no longer used.
        let result = unsafe { ptr.read() };
        // The room is given back if it is still the most recent block.
        drop(room);
        match result {
            Err(error) => Err(AllocOrInitError::Init(error)),
            Ok(_) => unreachable!("the slot held an error"),
        }
    }

    /// Allocates `T::default()`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let counts: &mut [u32; 4] = arena.alloc_default();
    /// assert_eq!(*counts, [0; 4]);
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_default<T: Default>(&self) -> &mut T {
        self.alloc_with(T::default)
    }

    /// Allocates `T::default()`, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(0);
    /// assert!(arena.try_alloc_default::<u64>().is_err());
    /// assert!(arena.try_alloc_default::<()>().is_ok());
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_default<T: Default>(&self) -> Result<&mut T, AllocError> {
        self.try_alloc_with(T::default)
    }

    // ----- allocation: room to build in place ------------------------------

    /// Allocates room for a `T` and hands it out uninitialised, to be built
    /// in place: the arena's counterpart of bumpalo's `emplace` and
    /// bump-scope's `alloc_uninit`, as a plain [`MaybeUninit`]. Writing a
    /// whole value ([`MaybeUninit::write`]) is safe and gives `&mut T` for
    /// as long as the arena is borrowed; writing field by field through
    /// [`as_mut_ptr`](MaybeUninit::as_mut_ptr), then
    /// [`assume_init_mut`](MaybeUninit::assume_init_mut), builds a value of
    /// any size without it ever being on the stack, which
    /// [`alloc_with`](Arena::alloc_with) cannot promise.
    ///
    /// The room is the arena's like any other; a value written to it is
    /// never dropped.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// struct Page {
    ///     id: u64,
    ///     bytes: [u8; 1 << 16],
    /// }
    ///
    /// let arena = Arena::new();
    /// let slot = arena.alloc_uninit::<Page>();
    /// let page = slot.as_mut_ptr();
    /// // SAFETY: `page` points to room for a `Page`; both fields are
    /// // written before the value is assumed initialised.
    /// let page = unsafe {
    ///     (&raw mut (*page).id).write(7);
    ///     (&raw mut (*page).bytes).cast::<u8>().write_bytes(0, 1 << 16);
    ///     slot.assume_init_mut()
    /// };
    /// assert_eq!((page.id, page.bytes[100]), (7, 0));
    ///
    /// // Safe: a whole value, written once.
    /// let small: &mut (u8, char) = arena.alloc_uninit().write((1, 'a'));
    /// assert_eq!(*small, (1, 'a'));
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_uninit<T>(&self) -> &mut MaybeUninit<T> {
        let ptr = self.alloc_slot::<MaybeUninit<T>>();
        // SAFETY: `ptr` is fresh, aligned room for a `T` that nothing else
        // refers to, valid for as long as `&self` borrows the arena; a
        // `MaybeUninit` needs no initialisation.
        unsafe { &mut *ptr.as_ptr() }
    }

    /// [`alloc_uninit`](Arena::alloc_uninit) that returns an error instead
    /// of panicking when the arena cannot allocate.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(8);
    /// assert_eq!(*arena.try_alloc_uninit().unwrap().write(5u64), 5);
    /// assert!(arena.try_alloc_uninit::<u64>().is_err());
    /// ```
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_uninit<T>(&self) -> Result<&mut MaybeUninit<T>, AllocError> {
        let ptr = self.try_alloc_slot::<MaybeUninit<T>>()?;
        // SAFETY: as in `alloc_uninit`.
        Ok(unsafe { &mut *ptr.as_ptr() })
    }

    /// Allocates room for `len` values of `T`, uninitialised, to be filled
    /// in place.
    ///
    /// For a slice built one value at a time whose length is not known in
    /// advance (what bumpalo's `emplace_slice` is for), use an arena
    /// [`Vec`](crate::collections::Vec): `with_capacity_in`, `push`, then
    /// [`into_slice`](crate::collections::Vec::into_slice). While it is the
    /// arena's most recent block it grows where it is, and `into_slice`
    /// freezes it without a copy; if the building fails or panics, dropping
    /// the `Vec` drops the values and gives the room back, which a slice of
    /// `MaybeUninit` cannot do. This method is for filling by index, out of
    /// order, or through raw pointers.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate or the size overflows; see
    /// [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let slots = arena.alloc_uninit_slice::<u32>(4);
    /// for (i, slot) in slots.iter_mut().enumerate().rev() {
    ///     slot.write(i as u32 * 10);
    /// }
    /// // SAFETY: all four values were written above.
    /// let values = unsafe { slots.assume_init_mut() };
    /// assert_eq!(values, &[0, 10, 20, 30]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_uninit_slice<T>(&self, len: usize) -> &mut [MaybeUninit<T>] {
        self.try_alloc_uninit_slice(len)
            .unwrap_or_else(|error| fail(&error))
    }

    /// [`alloc_uninit_slice`](Arena::alloc_uninit_slice) that returns an
    /// error instead of panicking.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated,
    /// including a `len` whose size overflows.
    ///
    /// ```
    /// use arena_pool::{AllocErrorKind, Arena};
    ///
    /// let arena = Arena::new();
    /// assert_eq!(arena.try_alloc_uninit_slice::<u8>(3).unwrap().len(), 3);
    /// let err = arena.try_alloc_uninit_slice::<u64>(usize::MAX).unwrap_err();
    /// assert_eq!(err.kind(), AllocErrorKind::SizeOverflow);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_uninit_slice<T>(
        &self,
        len: usize,
    ) -> Result<&mut [MaybeUninit<T>], AllocError> {
        let ptr = self.try_alloc_slots::<MaybeUninit<T>>(len)?;
        // SAFETY: `ptr` is fresh, aligned room for `len` values of `T`,
        // unaliased and valid for as long as `&self` borrows the arena;
        // `MaybeUninit` needs no initialisation.
        Ok(unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), len) })
    }

    // ----- allocation: slices and strings ---------------------------------

    /// Copies a slice of `Copy` values into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let copy = arena.alloc_slice_copy(&[1, 2, 3]);
    /// copy[0] = 10;
    /// assert_eq!(copy, &[10, 2, 3]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_copy<T: Copy>(&self, src: &[T]) -> &mut [T] {
        let ptr = self.alloc_slots::<T>(src.len());
        // SAFETY: `ptr` is fresh room for `src.len()` values of `T`, which
        // cannot overlap `src`; `T: Copy` makes the bitwise copy a valid copy.
        unsafe { copy_into(ptr, src) }
    }

    /// Copies a slice of `Copy` values into the arena, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(8);
    /// assert!(arena.try_alloc_slice_copy(&[1u32, 2]).is_ok());
    /// assert!(arena.try_alloc_slice_copy(&[3u32]).is_err());
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_copy<T: Copy>(&self, src: &[T]) -> Result<&mut [T], AllocError> {
        let ptr = self.try_alloc_slots::<T>(src.len())?;
        // SAFETY: as in `alloc_slice_copy`.
        Ok(unsafe { copy_into(ptr, src) })
    }

    /// Clones every element of a slice into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate (see [`alloc`](Arena::alloc)) or
    /// if a `clone` panics; the clones already made are then dropped, once
    /// each, and the room is given back if it is still the arena's most
    /// recent block.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// #[derive(Clone, Debug, PartialEq)]
    /// struct Name(&'static str);
    ///
    /// let arena = Arena::new();
    /// let names = arena.alloc_slice_clone(&[Name("a"), Name("b")]);
    /// assert_eq!(names[1], Name("b"));
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_clone<T: Clone>(&self, src: &[T]) -> &mut [T] {
        self.alloc_slice_fill_with(src.len(), |i| src[i].clone())
    }

    /// Clones every element of a slice into the arena, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated;
    /// nothing is cloned then.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(0);
    /// assert!(arena.try_alloc_slice_clone(&[String::new()]).is_err());
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_clone<T: Clone>(&self, src: &[T]) -> Result<&mut [T], AllocError> {
        self.try_alloc_slice_fill_with(src.len(), |i| src[i].clone())
    }

    /// Allocates a slice of `len` values, the `i`-th being `f(i)`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate (see [`alloc`](Arena::alloc)) or
    /// if `f` panics; the values already made are then dropped, once each,
    /// and the room is given back if it is still the arena's most recent
    /// block (as on an error of
    /// [`alloc_slice_try_fill_with`](Arena::alloc_slice_try_fill_with)).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let squares = arena.alloc_slice_fill_with(4, |i| i * i);
    /// assert_eq!(squares, &[0, 1, 4, 9]);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_fill_with<T>(&self, len: usize, f: impl FnMut(usize) -> T) -> &mut [T] {
        fill_with(
            SliceFill::try_new(self, len).unwrap_or_else(|error| fail(&error)),
            f,
        )
    }

    /// Allocates a slice of `len` values made by `f`, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated
    /// (including a `len` whose size overflows); `f` is then not called.
    ///
    /// # Panics
    ///
    /// Only if `f` panics; the values made are then dropped and the room
    /// given back, as in [`alloc_slice_fill_with`](Arena::alloc_slice_fill_with).
    ///
    /// ```
    /// use arena_pool::{AllocErrorKind, Arena};
    ///
    /// let arena = Arena::new();
    /// let err = arena.try_alloc_slice_fill_with(usize::MAX / 2, |_| 0u32).unwrap_err();
    /// assert_eq!(err.kind(), AllocErrorKind::SizeOverflow);
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_fill_with<T>(
        &self,
        len: usize,
        f: impl FnMut(usize) -> T,
    ) -> Result<&mut [T], AllocError> {
        Ok(fill_with(SliceFill::try_new(self, len)?, f))
    }

    /// Allocates a slice of `len` values made by `f(index)`, a closure that
    /// may fail. On the first error (or a panic) the values made so far are
    /// dropped, exactly once, and their room is given back if it is still
    /// the arena's most recent block; the error is returned.
    ///
    /// # Errors
    ///
    /// The closure's first error.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if `f` panics.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let parsed = arena.alloc_slice_try_fill_with(3, |i| ["1", "2", "3"][i].parse::<u8>());
    /// assert_eq!(parsed.unwrap(), &[1, 2, 3]);
    /// let before = arena.allocated_bytes();
    /// assert!(arena.alloc_slice_try_fill_with(2, |i| ["1", "x"][i].parse::<u8>()).is_err());
    /// assert_eq!(arena.allocated_bytes(), before);
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_try_fill_with<T, E>(
        &self,
        len: usize,
        mut f: impl FnMut(usize) -> Result<T, E>,
    ) -> Result<&mut [T], E> {
        SliceFill::try_new(self, len)
            .unwrap_or_else(|error| fail(&error))
            .fill(|index| Some(f(index)))
    }

    /// Allocates a slice of the `Ok` items of an iterator of results,
    /// stopping at the first `Err`: then the values made so far are dropped,
    /// exactly once, their room is given back if it is still the arena's
    /// most recent block, and the error is returned. The iterator is
    /// written or collected as in
    /// [`alloc_slice_fill_iter`](Arena::alloc_slice_fill_iter).
    ///
    /// # Errors
    ///
    /// The iterator's first error.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if the iterator panics.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let words = arena.alloc_slice_try_fill_iter("4 5".split(' ').map(str::parse::<u32>));
    /// assert_eq!(words.unwrap(), &[4, 5]);
    /// assert!(arena.alloc_slice_try_fill_iter("4 x".split(' ').map(str::parse::<u32>)).is_err());
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_try_fill_iter<T, E>(
        &self,
        iter: impl IntoIterator<Item = Result<T, E>>,
    ) -> Result<&mut [T], E> {
        self.try_fill_iter(iter.into_iter())
            .map_err(|error| match error {
                AllocOrInitError::Alloc(error) => fail(&error),
                AllocOrInitError::Init(error) => error,
            })
    }

    /// Allocates a slice of the items of any iterator.
    ///
    /// An iterator that reports an exact length (`size_hint` with equal
    /// bounds) is written straight into the arena; if it then yields fewer
    /// items the slice is shorter, and items past the reported length are
    /// left in the iterator. Any other iterator is collected into an arena
    /// [`Vec`](crate::collections::Vec) (no heap memory) that grows in place
    /// and is then frozen.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate (see [`alloc`](Arena::alloc)) or
    /// if the iterator panics; the items already taken are then dropped,
    /// once each, and their room is given back if it is still the arena's
    /// most recent block.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let evens = arena.alloc_slice_fill_iter((0..10).filter(|n| n % 2 == 0));
    /// assert_eq!(evens, &[0, 2, 4, 6, 8]);
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_slice_fill_iter<T>(&self, iter: impl IntoIterator<Item = T>) -> &mut [T] {
        self.try_alloc_slice_fill_iter(iter)
            .unwrap_or_else(|error| fail(&error))
    }

    /// Allocates a slice of the items of any iterator, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    /// For an iterator of unknown length, the items taken so far are then
    /// dropped and their room given back. A `size_hint` that lies, however
    /// large, never causes a panic.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(16);
    /// assert!(arena.try_alloc_slice_fill_iter(0u64..2).is_ok());
    /// assert!(arena.try_alloc_slice_fill_iter(0u64..1).is_err());
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_slice_fill_iter<T>(
        &self,
        iter: impl IntoIterator<Item = T>,
    ) -> Result<&mut [T], AllocError> {
        let iter = iter.into_iter().map(Ok::<T, core::convert::Infallible>);
        self.try_fill_iter(iter).map_err(|error| match error {
            AllocOrInitError::Alloc(error) => error,
            AllocOrInitError::Init(never) => match never {},
        })
    }

    /// The core of the `*_fill_iter` methods: an iterator that reports an
    /// exact length is written straight into room of that length, any other
    /// is collected into an arena `Vec`. Either way, an `Err` item or a panic
    /// drops the items taken and gives their room back (the `SliceFill`
    /// guard or the `Vec`'s drop).
    fn try_fill_iter<T, E>(
        &self,
        mut iter: impl Iterator<Item = Result<T, E>>,
    ) -> Result<&mut [T], AllocOrInitError<E>> {
        match iter.size_hint() {
            (lower, Some(upper)) if lower == upper => SliceFill::try_new(self, lower)
                .map_err(AllocOrInitError::Alloc)?
                .fill(|_| iter.next())
                .map_err(AllocOrInitError::Init),
            (lower, _) => {
                // Collected straight into the arena: a growing buffer that
                // grows in place, frozen when done. The hint is only a hint:
                // a reservation it cannot get is not an error.
                let mut items = crate::collections::Vec::new_in(self);
                let _ = items.try_reserve(crate::collections::hint_to_reserve::<T>(lower));
                for item in iter {
                    items
                        .try_push(item.map_err(AllocOrInitError::Init)?)
                        .map_err(|error| AllocOrInitError::Alloc(*error.error()))?;
                }
                Ok(items.into_slice())
            }
        }
    }

    /// Copies a string into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let name = arena.alloc_str("arena");
    /// name.make_ascii_uppercase();
    /// assert_eq!(name, "ARENA");
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_str(&self, src: &str) -> &mut str {
        let bytes = self.alloc_slice_copy(src.as_bytes());
        // SAFETY: the bytes are a copy of a `str`, so valid UTF-8.
        unsafe { core::str::from_utf8_unchecked_mut(bytes) }
    }

    /// Copies a string into the arena, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(4);
    /// assert_eq!(arena.try_alloc_str("abcd").unwrap(), "abcd");
    /// assert!(arena.try_alloc_str("e").is_err());
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_str(&self, src: &str) -> Result<&mut str, AllocError> {
        let bytes = self.try_alloc_slice_copy(src.as_bytes())?;
        // SAFETY: the bytes are a copy of a `str`, so valid UTF-8.
        Ok(unsafe { core::str::from_utf8_unchecked_mut(bytes) })
    }

    /// Allocates `len` zeroed bytes.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let buf = arena.alloc_bytes_zeroed(64);
    /// assert!(buf.iter().all(|&b| b == 0));
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_bytes_zeroed(&self, len: usize) -> &mut [u8] {
        let ptr = self.alloc_slots::<u8>(len);
        // SAFETY: `ptr` is fresh room for `len` bytes.
        unsafe { zeroed_bytes(ptr, len) }
    }

    /// Allocates `len` zeroed bytes, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(10);
    /// assert_eq!(arena.try_alloc_bytes_zeroed(10).unwrap().len(), 10);
    /// assert!(arena.try_alloc_bytes_zeroed(1).is_err());
    /// ```
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub fn try_alloc_bytes_zeroed(&self, len: usize) -> Result<&mut [u8], AllocError> {
        let ptr = self.try_alloc_slots::<u8>(len)?;
        // SAFETY: `ptr` is fresh room for `len` bytes.
        Ok(unsafe { zeroed_bytes(ptr, len) })
    }

    /// Allocates uninitialised memory for `layout` and returns a pointer to
    /// it, valid for reads and writes of `layout.size()` bytes until the
    /// arena is reset, rewound by a scope, or dropped. A zero-sized layout
    /// gets a dangling, aligned pointer.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate; see [`alloc`](Arena::alloc).
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use std::alloc::Layout;
    ///
    /// let arena = Arena::new();
    /// let page = arena.alloc_layout(Layout::from_size_align(100, 4096).unwrap());
    /// assert_eq!(page.as_ptr() as usize % 4096, 0);
    /// ```
    #[inline]
    pub fn alloc_layout(&self, layout: Layout) -> NonNull<u8> {
        self.alloc_raw(layout)
    }

    /// Allocates uninitialised memory for `layout`, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the memory could not be allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use std::alloc::Layout;
    ///
    /// let arena = Arena::fixed(64);
    /// assert!(arena.try_alloc_layout(Layout::new::<[u8; 64]>()).is_ok());
    /// assert!(arena.try_alloc_layout(Layout::new::<u8>()).is_err());
    /// ```
    #[inline]
    pub fn try_alloc_layout(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        self.try_alloc_raw(layout)
    }

    // ----- memory management ----------------------------------------------

    /// Frees everything allocated, keeping the largest chunk for reuse.
    ///
    /// Safe because it takes `&mut self`: the borrow checker proves no
    /// reference into the arena is still alive.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// for round in 0..3 {
    ///     let data = arena.alloc_slice_fill_with(1000, |i| i + round);
    ///     assert_eq!(data[999], 999 + round);
    ///     arena.reset();
    ///     assert_eq!(arena.allocated_bytes(), 0);
    ///     assert_eq!(arena.chunk_count(), 1);
    /// }
    /// ```
    ///
    /// ```compile_fail
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// let x = arena.alloc(1);
    /// arena.reset();
    /// *x += 1;
    /// ```
    pub fn reset(&mut self) {
        // SAFETY: `&mut self` proves no reference into the arena lives and
        // no other thread uses it.
        unsafe { self.reset_shared() };
    }

    /// [`reset`](Arena::reset) through a shared reference.
    ///
    /// # Safety
    /// No reference into the arena's memory may be used afterwards, and no
    /// other thread may be using the arena.
    pub(crate) unsafe fn reset_shared(&self) {
        let Some(current) = self.current.get() else {
            return;
        };
        let keep = current
            .all()
            .max_by_key(|chunk| chunk.capacity())
            .unwrap_or(current);
        self.give_back_capacity(self.capacity() - keep.capacity());
        // SAFETY: the caller guarantees no reference into the arena lives.
        unsafe { free_list(current, Some(keep)) };
        keep.unlink_all();
        self.enter_chunk(keep, 0);
    }

    /// Sets an upper bound, in bytes, on the arena's total chunk capacity
    /// ([`capacity`](Arena::capacity)); `None` removes it. Allocations that
    /// would need a chunk past the limit fail with
    /// [`AllocErrorKind::LimitExceeded`]. Memory already held is kept even if
    /// it exceeds a new, lower limit.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// arena.set_allocation_limit(Some(1024));
    /// assert!(arena.try_alloc([0u8; 1024]).is_ok());
    /// assert!(arena.try_alloc(0u8).is_err());
    /// assert_eq!(arena.allocation_limit(), Some(1024));
    /// ```
    pub fn set_allocation_limit(&self, limit: Option<usize>) {
        self.limit.set(limit);
    }

    /// The limit set with [`set_allocation_limit`](Arena::set_allocation_limit).
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// assert_eq!(Arena::new().allocation_limit(), None);
    /// ```
    #[must_use]
    pub fn allocation_limit(&self) -> Option<usize> {
        self.limit.get()
    }

    /// Runs `f` with a [`Scope`]: a handle that allocates from this arena and
    /// whose allocations are all freed when `f` returns (or unwinds).
    /// Scopes nest, and nothing allocated in one can escape it.
    ///
    /// Chunks the scope added are kept as spares for later allocations.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// let total = arena.scope(|scope| {
    ///     let kept = scope.alloc(10u64);
    ///     let inner = scope.scope(|inner| *inner.alloc(5u64) * 2);
    ///     *kept + inner
    /// });
    /// assert_eq!(total, 20);
    /// assert_eq!(arena.allocated_bytes(), 0);
    /// ```
    ///
    /// ```compile_fail
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// let escaped = arena.scope(|scope| scope.alloc(1u32));
    /// ```
    pub fn scope<R>(&mut self, f: impl FnOnce(&mut Scope<'_>) -> R) -> R {
        Scope::run(self, f)
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            chunk: self.current.get(),
            cursor: self.cursor.get(),
            start: self.start.get(),
        }
    }

    /// Frees everything allocated since `checkpoint` was taken.
    ///
    /// # Safety
    ///
    /// `checkpoint` must come from this arena, which must not have been reset
    /// since, and no reference to memory allocated after it may be used
    /// again.
    unsafe fn rewind(&self, checkpoint: Checkpoint) {
        match (checkpoint.chunk, self.current.get()) {
            (Some(chunk), _) => {
                self.current.set(Some(chunk));
                self.start.set(checkpoint.start);
                self.cursor.set(checkpoint.cursor);
            }
            // The arena had no chunk then: everything since is unused now.
            (None, Some(current)) => self.enter_chunk(current.head(), 0),
            (None, None) => {}
        }
    }

    // ----- statistics -------------------------------------------------------

    /// Whether `value` lies entirely in memory this arena holds (in any
    /// chunk, freed or not). Useful for debugging and for checking that a
    /// structure really lives in an arena. Zero-sized values, empty slices
    /// and `""` take no memory and are never reported as contained.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let inside = arena.alloc(1u32);
    /// let outside = 2u32;
    /// assert!(arena.contains(inside));
    /// assert!(!arena.contains(&outside));
    /// assert!(!arena.contains(arena.alloc_str("")));
    /// ```
    #[must_use]
    pub fn contains<T: ?Sized>(&self, value: &T) -> bool {
        let size = mem::size_of_val(value);
        if size == 0 {
            // An empty slice or string may sit at any address, a chunk's
            // included; the docs promise `false` for every one of them.
            return false;
        }
        let begin = core::ptr::from_ref(value).cast::<u8>().addr();
        let end = begin + size;
        self.current.get().is_some_and(|current| {
            current
                .all()
                .any(|chunk| chunk.base().addr().get() <= begin && end <= chunk.top().addr().get())
        })
    }

    /// Bytes handed out since the arena was created or last reset, alignment
    /// padding included.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// arena.alloc(1u64);
    /// arena.alloc(2u32);
    /// assert_eq!(arena.allocated_bytes(), 12);
    /// ```
    #[must_use]
    pub fn allocated_bytes(&self) -> usize {
        match self.current.get() {
            Some(chunk) => {
                chunk.used_before()
                    + (chunk.top().addr().get() - self.cursor.get().addr())
                    + (self.start.get() - chunk.base().addr().get())
            }
            None => 0,
        }
    }

    /// The total usable capacity of all chunks, in bytes.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// assert_eq!(Arena::fixed(256).capacity(), 256);
    /// assert_eq!(Arena::new().capacity(), 0);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.current
            .get()
            .map_or(0, |chunk| chunk.all().map(Chunk::capacity).sum())
    }

    /// The free bytes left in the current chunk; a request up to this size
    /// (with alignment 1) takes the fast path.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(100);
    /// arena.alloc_str("hello");
    /// assert_eq!(arena.remaining_capacity(), 95);
    /// ```
    #[must_use]
    pub fn remaining_capacity(&self) -> usize {
        self.cursor.get().addr() - self.start.get()
    }

    /// The number of chunks the arena holds.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// arena.alloc_slice_fill_with(100_000, |i| i as u8);
    /// assert!(arena.chunk_count() >= 1);
    /// ```
    #[must_use]
    pub fn chunk_count(&self) -> usize {
        self.current.get().map_or(0, |chunk| chunk.all().count())
    }
}

impl Default for Arena {
    /// The same as [`Arena::new`].
    ///
    /// ```
    /// let arena = arena_pool::Arena::default();
    /// assert_eq!(arena.capacity(), 0);
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Arena")
            .field("allocated_bytes", &self.allocated_bytes())
            .field("capacity", &self.capacity())
            .field("chunk_count", &self.chunk_count())
            .field("fixed", &self.fixed_capacity.is_some())
            .field("limit", &self.limit.get())
            .finish()
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        if let Some(current) = self.current.get() {
            self.give_back_capacity(self.capacity());
            // SAFETY: the arena is being dropped, so nothing borrows it.
            unsafe { free_list(current, None) };
        }
    }
}

/// Frees every chunk of the list that holds `any`, except `keep`.
///
/// # Safety
/// The list must belong to an arena that no reference borrows, and the caller
/// must drop or relink the list so no freed chunk is reached again.
unsafe fn free_list(any: Chunk, keep: Option<Chunk>) {
    // Newest (largest) first: the global allocator then sees the big blocks
    // come back before the small ones that were carved out before them.
    let mut tail = any;
    while let Some(next) = tail.next() {
        tail = next;
    }
    let mut prev = Some(tail);
    while let Some(chunk) = prev {
        prev = chunk.prev();
        if Some(chunk) != keep {
            // SAFETY: the caller guarantees nothing refers into the chunk and
            // that it will not be reached again; its `prev` was read above.
            unsafe { chunk.free() };
        }
    }
}

#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn fail(error: &AllocError) -> ! {
    panic!("{error}")
}

// ----- writing into fresh room ---------------------------------------------
//
// Each helper takes room just allocated from the arena: valid, aligned,
// unaliased memory that lives as long as the arena borrow `'a` the caller
// chose.

/// # Safety
/// `ptr` must be fresh, aligned room for a `T` valid for `'a`.
#[inline(always)]
unsafe fn write_with<'a, T>(ptr: NonNull<T>, f: impl FnOnce() -> T) -> &'a mut T {
    // SAFETY: the caller guarantees `ptr` is valid for a write of `T` and
    // unaliased for `'a`.
    unsafe {
        ptr.write(f());
        &mut *ptr.as_ptr()
    }
}

/// # Safety
/// `ptr` must be fresh, aligned room for `src.len()` values of `T`, valid for
/// `'a`.
#[inline(always)]
unsafe fn copy_into<'a, T: Copy>(ptr: NonNull<T>, src: &[T]) -> &'a mut [T] {
    // SAFETY: the caller guarantees the room, `size_of_val(src)` bytes;
    // fresh room cannot overlap `src`. `T: Copy` makes a byte copy a copy.
    unsafe {
        copy::copy_bytes(
            src.as_ptr().cast::<u8>(),
            ptr.as_ptr().cast::<u8>(),
            mem::size_of_val(src),
        );
        core::slice::from_raw_parts_mut(ptr.as_ptr(), src.len())
    }
}

/// # Safety
/// `ptr` must be fresh, aligned room for `len` bytes, valid for `'a`.
#[inline(always)]
unsafe fn zeroed_bytes<'a>(ptr: NonNull<u8>, len: usize) -> &'a mut [u8] {
    // SAFETY: the caller guarantees the room.
    unsafe {
        ptr.write_bytes(0, len);
        core::slice::from_raw_parts_mut(ptr.as_ptr(), len)
    }
}

/// Fills the guard's room with `f(index)` for every index.
#[inline(always)]
fn fill_with<'a, T>(fill: SliceFill<'a, T>, mut f: impl FnMut(usize) -> T) -> &'a mut [T] {
    match fill.fill(|index| Some(Ok::<T, core::convert::Infallible>(f(index)))) {
        Ok(items) => items,
        Err(never) => match never {},
    }
}
