//! [`SyncArena`]: a bump arena that many threads allocate from at once.

#[cfg(feature = "allocator-api2")]
mod allocator_api;
mod threads;

use alloc::sync::Arc;
use core::alloc::Layout;
use core::fmt;
use core::ptr::NonNull;

use crate::budget::Budget;
use crate::error::{AllocError, TryAllocError};
use threads::{Lease, Threads};

/// A bump arena shared by many threads: any thread allocates through
/// `&SyncArena`, and every reference lives as long as the arena, whichever
/// thread made it. Feature `std`.
///
/// Each thread bumps through chunks of its own: an [`Arena`](crate::Arena)
/// that the thread claims on its first allocation and finds again through a
/// thread-local table. An allocation is therefore a thread-local lookup and
/// then the same few instructions as [`Arena::alloc`](crate::Arena::alloc),
/// with no atomic operation and no cache line shared with other threads.
/// [`local`](SyncArena::local) skips the lookup too, for a run of
/// allocations on one thread. There is no limit on the number of threads; a
/// thread that exits leaves its chunks to the arena (their values stay
/// valid) and the next new thread bumps on through them.
///
/// The method family is [`Arena`](crate::Arena)'s: `alloc`, `alloc_with`,
/// `alloc_default`, `alloc_slice_copy`, `alloc_slice_clone`,
/// `alloc_slice_fill_with`, `alloc_slice_fill_iter`, `alloc_str`,
/// `alloc_bytes_zeroed`, `alloc_layout`, each with a `try_` twin.
///
/// # Which values, and which threads
///
/// Any `T` may be allocated. The arena never reads, drops or moves a value
/// after storing it, so the value stays where the allocating thread put it
/// and the ordinary rules decide where references to it may go: a
/// `&'a T` crosses to another thread only if `T: Sync` and a `&'a mut T`
/// only if `T: Send`. A `&Cell<u32>` from the arena stays on its thread like
/// any other.
///
/// `SyncArena` is `Send + Sync`. [`LocalArena`] is neither: it bumps one
/// thread's chunk without synchronization.
///
/// # Destructors are not run
///
/// As with [`Arena`](crate::Arena), values are never dropped; their memory
/// is reclaimed by [`reset`](SyncArena::reset) and when the arena drops.
///
/// # Compared with bumpalo-herd and blink-alloc
///
/// [`local`](SyncArena::local) is bumpalo-herd's `Herd::get` and
/// blink-alloc's `SyncBlinkAlloc::local`; unlike them, `SyncArena` also
/// allocates directly (`arena.alloc(x)` from any thread), and one
/// [`set_allocation_limit`](SyncArena::set_allocation_limit) holds for all
/// threads together.
///
/// ```
/// use arena_pool::SyncArena;
///
/// let arena = SyncArena::new();
/// let numbers: Vec<&u64> = std::thread::scope(|s| {
///     let workers: Vec<_> = (0..4u64)
///         .map(|t| s.spawn({
///             let arena = &arena;
///             move || &*arena.alloc(t * 10)
///         }))
///         .collect();
///     workers.into_iter().map(|w| w.join().unwrap()).collect()
/// });
/// assert_eq!(numbers.iter().map(|n| **n).sum::<u64>(), 60);
/// ```
///
/// A reference cannot outlive the arena:
///
/// ```compile_fail
/// use arena_pool::SyncArena;
///
/// let escaped: &u32 = {
///     let arena = SyncArena::new();
///     arena.alloc(1)
/// };
/// ```
pub struct SyncArena {
    threads: Threads,
}

/// One thread's share of a [`SyncArena`], from
/// [`SyncArena::local`]: allocation without the thread-local lookup.
///
/// It holds an arena of its own for as long as it lives (a second
/// `LocalArena` on the same thread gets another). References it hands out
/// live as long as the `SyncArena`, not just the `LocalArena`.
///
/// It is neither `Send` nor `Sync`:
///
/// ```compile_fail
/// use arena_pool::SyncArena;
///
/// let arena = SyncArena::new();
/// let local = arena.local();
/// std::thread::scope(|s| {
///     s.spawn(move || local.alloc(1u8));
/// });
/// ```
pub struct LocalArena<'a> {
    lease: Lease<'a>,
}

impl SyncArena {
    /// An empty arena; each thread's first chunk is allocated on its first
    /// allocation.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// assert_eq!(arena.capacity(), 0);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self {
            threads: Threads::new(Arc::new(Budget::new())),
        }
    }

    /// A handle for allocating on this thread without the thread-local
    /// lookup: bumpalo-herd's `Herd::get`, blink-alloc's `local`.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// let kept = {
    ///     let local = arena.local();
    ///     let a = local.alloc(1u32);
    ///     let b = local.alloc(2u32);
    ///     *a + *b
    /// };
    /// assert_eq!(kept, 3);
    /// ```
    ///
    /// References outlive the handle but not the arena:
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// let x = arena.local().alloc(7u8);
    /// assert_eq!(*x, 7);
    /// ```
    #[must_use]
    pub fn local(&self) -> LocalArena<'_> {
        LocalArena {
            lease: self.threads.lease(),
        }
    }

    /// Frees everything allocated by every thread, keeping each per-thread
    /// arena's largest chunk for reuse.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let mut arena = SyncArena::new();
    /// for round in 0..3u64 {
    ///     std::thread::scope(|s| {
    ///         for t in 0..2 {
    ///             let arena = &arena;
    ///             s.spawn(move || arena.alloc_slice_fill_with(100, |i| i as u64 + t + round));
    ///         }
    ///     });
    ///     arena.reset();
    ///     assert_eq!(arena.allocated_bytes(), 0);
    /// }
    /// ```
    ///
    /// ```compile_fail
    /// use arena_pool::SyncArena;
    ///
    /// let mut arena = SyncArena::new();
    /// let x = arena.alloc(1);
    /// arena.reset();
    /// *x += 1;
    /// ```
    pub fn reset(&mut self) {
        for arena in self.threads.quiet_arenas() {
            // SAFETY: `&mut self` proves that no reference into the arena's
            // memory lives and that no thread is using it.
            unsafe { arena.reset_shared() };
        }
    }

    /// Bytes handed out by all threads since the arena was created or last
    /// reset, alignment padding included. It reads every thread's cursor,
    /// hence `&mut self`; [`LocalArena::allocated_bytes`] counts one
    /// thread's share through `&self`.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let mut arena = SyncArena::new();
    /// arena.alloc(1u64);
    /// std::thread::scope(|s| {
    ///     s.spawn(|| arena.alloc(2u64));
    /// });
    /// assert_eq!(arena.allocated_bytes(), 16);
    /// ```
    #[must_use]
    pub fn allocated_bytes(&mut self) -> usize {
        self.threads
            .quiet_arenas()
            .map(crate::Arena::allocated_bytes)
            .sum()
    }

    /// The total capacity of every thread's chunks, in bytes; exact once no
    /// thread is allocating.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// arena.alloc(1u8);
    /// assert!(arena.capacity() >= 1);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.threads.budget().held()
    }

    /// Sets an upper bound, in bytes, on [`capacity`](SyncArena::capacity):
    /// the chunks of all threads together. Allocations that would need a
    /// chunk past it fail with
    /// [`AllocErrorKind::LimitExceeded`](crate::AllocErrorKind::LimitExceeded)
    /// on whichever thread asks. Memory already held is kept even if it
    /// exceeds a new, lower limit. `None` removes the limit.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// arena.set_allocation_limit(Some(4096));
    /// assert!(arena.try_alloc([0u8; 4096]).is_ok());
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert!(arena.try_alloc(0u8).is_err()));
    /// });
    /// assert_eq!(arena.allocation_limit(), Some(4096));
    /// ```
    pub fn set_allocation_limit(&self, limit: Option<usize>) {
        self.threads.budget().set_limit(limit);
    }

    /// The limit set with
    /// [`set_allocation_limit`](SyncArena::set_allocation_limit).
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// assert_eq!(SyncArena::new().allocation_limit(), None);
    /// ```
    #[must_use]
    pub fn allocation_limit(&self) -> Option<usize> {
        self.threads.budget().limit()
    }

    /// How many per-thread arenas the arena holds. A thread keeps its arena
    /// until it exits, and a [`LocalArena`] until it drops; a new arena is
    /// made only when every existing one is held (or its thread's exit is
    /// not yet visible), so the count follows the most threads and handles
    /// using the arena at one time.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// arena.alloc(1u8);
    /// arena.alloc(2u8);
    /// assert_eq!(arena.thread_arena_count(), 1);
    /// ```
    #[must_use]
    pub fn thread_arena_count(&self) -> usize {
        self.threads.len()
    }
}

impl<'a> LocalArena<'a> {
    /// Bytes this handle's arena has handed out since the `SyncArena` was
    /// created or last reset (other handles and threads may have used the
    /// same arena before).
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// let local = arena.local();
    /// local.alloc(1u32);
    /// assert_eq!(local.allocated_bytes(), 4);
    /// ```
    #[must_use]
    pub fn allocated_bytes(&self) -> usize {
        self.lease.arena().allocated_bytes()
    }

    /// The free bytes left in this handle's current chunk.
    ///
    /// ```
    /// use arena_pool::SyncArena;
    ///
    /// let arena = SyncArena::new();
    /// let local = arena.local();
    /// local.alloc(1u8);
    /// assert!(local.remaining_capacity() > 0);
    /// ```
    #[must_use]
    pub fn remaining_capacity(&self) -> usize {
        self.lease.arena().remaining_capacity()
    }
}

/// Writes the method family twice: on `SyncArena`, through the calling
/// thread's arena, and on `LocalArena`, through the handle's. `'r` names
/// the lifetime of the references handed out.
macro_rules! family {
    ($(
        $(#[$attr:meta])*
        example $example:literal;
        fn $name:ident[$($generics:tt)*]($($arg:ident: $ty:ty),*) -> $ret:ty;
    )*) => {
        impl SyncArena {
            $(
                $(#[$attr])*
                ///
                /// ```
                /// use arena_pool::SyncArena;
                ///
                /// let arena = SyncArena::new();
                /// let a = &arena;
                #[doc = $example]
                /// ```
                #[allow(clippy::mut_from_ref, clippy::needless_lifetimes)]
                #[inline(always)]
                pub fn $name<'r, $($generics)*>(&'r self, $($arg: $ty),*) -> $ret {
                    self.threads.with_arena(|arena| arena.$name($($arg),*))
                }
            )*
        }

        impl<'r> LocalArena<'r> {
            $(
                $(#[$attr])*
                ///
                /// ```
                /// use arena_pool::SyncArena;
                ///
                /// let arena = SyncArena::new();
                /// let a = arena.local();
                #[doc = $example]
                /// ```
                #[allow(clippy::mut_from_ref)]
                #[inline(always)]
                pub fn $name<$($generics)*>(&self, $($arg: $ty),*) -> $ret {
                    self.lease.arena().$name($($arg),*)
                }
            )*
        }
    };
}

family! {
    /// Moves `value` into the arena and returns a mutable reference to it.
    ///
    /// # Panics
    ///
    /// Panics if memory runs out or the arena's limit is reached; see
    /// `try_alloc`.
    example "let x = a.alloc(41u64);\n*x += 1;\nassert_eq!(*x, 42);";
    fn alloc[T](value: T) -> &'r mut T;

    /// Moves `value` into the arena, or hands it back with the error.
    ///
    /// # Errors
    ///
    /// A [`TryAllocError`] holding the value and the reason (out of memory,
    /// or over the allocation limit).
    example "assert_eq!(*a.try_alloc(1u64).unwrap(), 1);\narena.set_allocation_limit(Some(0));\nassert_eq!(arena.try_alloc([0u8; 1 << 16]).unwrap_err().into_value().len(), 1 << 16);";
    fn try_alloc[T](value: T) -> Result<&'r mut T, TryAllocError<T>>;

    /// Allocates room, then builds the value in place with `f`. `f` may
    /// allocate from the arena itself.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate or if `f` panics.
    example "let table = a.alloc_with(|| [7u32; 256]);\nassert_eq!(table[255], 7);";
    fn alloc_with[T](f: impl FnOnce() -> T) -> &'r mut T;

    /// Builds a value in place with `f`, or returns an error without calling
    /// `f`.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(*a.try_alloc_with(|| 5u8).unwrap(), 5);";
    fn try_alloc_with[T](f: impl FnOnce() -> T) -> Result<&'r mut T, AllocError>;

    /// Allocates `T::default()`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    example "let counts: &mut [u32; 4] = a.alloc_default();\nassert_eq!(*counts, [0; 4]);";
    fn alloc_default[T: Default]() -> &'r mut T;

    /// Allocates `T::default()`, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "let s: &mut String = a.try_alloc_default().unwrap();\nassert!(s.is_empty());";
    fn try_alloc_default[T: Default]() -> Result<&'r mut T, AllocError>;

    /// Copies a slice of `Copy` values into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    example "let xs = a.alloc_slice_copy(&[1, 2, 3]);\nxs[0] = 9;\nassert_eq!(xs, [9, 2, 3]);";
    fn alloc_slice_copy[T: Copy](src: &[T]) -> &'r mut [T];

    /// Copies a slice of `Copy` values into the arena, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(a.try_alloc_slice_copy(&[1u8, 2]).unwrap(), [1, 2]);";
    fn try_alloc_slice_copy[T: Copy](src: &[T]) -> Result<&'r mut [T], AllocError>;

    /// Clones a slice into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if a clone panics.
    example "let pairs = a.alloc_slice_clone(&[(1u8, 'x'), (2, 'y')]);\nassert_eq!(pairs[1], (2, 'y'));";
    fn alloc_slice_clone[T: Clone](src: &[T]) -> &'r mut [T];

    /// Clones a slice into the arena, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(a.try_alloc_slice_clone(&[1u8]).unwrap(), [1]);";
    fn try_alloc_slice_clone[T: Clone](src: &[T]) -> Result<&'r mut [T], AllocError>;

    /// Allocates a slice of `len` values, the `i`-th being `f(i)`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate or if `f` panics.
    example "let squares = a.alloc_slice_fill_with(4, |i| i * i);\nassert_eq!(squares, [0, 1, 4, 9]);";
    fn alloc_slice_fill_with[T](len: usize, f: impl FnMut(usize) -> T) -> &'r mut [T];

    /// Allocates a slice of `len` values from `f`, or returns an error
    /// without calling `f`.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(a.try_alloc_slice_fill_with(2, |i| i).unwrap(), [0, 1]);";
    fn try_alloc_slice_fill_with[T](len: usize, f: impl FnMut(usize) -> T) -> Result<&'r mut [T], AllocError>;

    /// Allocates a slice holding the items of `iter`.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if the iterator panics.
    example "let evens = a.alloc_slice_fill_iter((0..10).filter(|n| n % 2 == 0));\nassert_eq!(evens, [0, 2, 4, 6, 8]);";
    fn alloc_slice_fill_iter[T](iter: impl IntoIterator<Item = T>) -> &'r mut [T];

    /// Allocates a slice holding the items of `iter`, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(a.try_alloc_slice_fill_iter([3u8, 4]).unwrap(), [3, 4]);";
    fn try_alloc_slice_fill_iter[T](iter: impl IntoIterator<Item = T>) -> Result<&'r mut [T], AllocError>;

    /// Copies a string into the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    example "let name = a.alloc_str(\"arena\");\nname.make_ascii_uppercase();\nassert_eq!(name, \"ARENA\");";
    fn alloc_str[](src: &str) -> &'r mut str;

    /// Copies a string into the arena, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(a.try_alloc_str(\"hi\").unwrap(), \"hi\");";
    fn try_alloc_str[](src: &str) -> Result<&'r mut str, AllocError>;

    /// Allocates `len` zeroed bytes.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    example "assert!(a.alloc_bytes_zeroed(64).iter().all(|&b| b == 0));";
    fn alloc_bytes_zeroed[](len: usize) -> &'r mut [u8];

    /// Allocates `len` zeroed bytes, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    example "assert_eq!(a.try_alloc_bytes_zeroed(3).unwrap(), [0, 0, 0]);";
    fn try_alloc_bytes_zeroed[](len: usize) -> Result<&'r mut [u8], AllocError>;

    /// Allocates uninitialised memory for `layout`, valid for reads and
    /// writes of `layout.size()` bytes until the arena is reset or dropped.
    /// A zero-sized layout gets a dangling, aligned pointer.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    example "let page = a.alloc_layout(std::alloc::Layout::from_size_align(100, 4096).unwrap());\nassert_eq!(page.as_ptr() as usize % 4096, 0);";
    fn alloc_layout[](layout: Layout) -> NonNull<u8>;

    /// Allocates uninitialised memory for `layout`, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the memory could not be allocated.
    example "assert!(a.try_alloc_layout(std::alloc::Layout::new::<u64>()).is_ok());";
    fn try_alloc_layout[](layout: Layout) -> Result<NonNull<u8>, AllocError>;
}

impl Default for SyncArena {
    /// The same as [`SyncArena::new`].
    ///
    /// ```
    /// let arena = arena_pool::SyncArena::default();
    /// assert_eq!(arena.capacity(), 0);
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SyncArena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncArena")
            .field("capacity", &self.capacity())
            .field("limit", &self.allocation_limit())
            .field("thread_arenas", &self.thread_arena_count())
            .finish()
    }
}

impl fmt::Debug for LocalArena<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalArena")
            .field("allocated_bytes", &self.allocated_bytes())
            .finish_non_exhaustive()
    }
}
