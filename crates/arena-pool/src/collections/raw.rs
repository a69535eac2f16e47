//! [`RawBuf`]: the unsafe core of the arena collections, an arena block with
//! room for `capacity` values of `T` that knows nothing of which are
//! initialised.

use core::alloc::Layout;
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop};
use core::ptr::NonNull;

use crate::Arena;
use crate::error::AllocError;

/// The smallest capacity a growing buffer takes, as `std`'s `Vec` does:
/// small elements start with a few slots, so that short vectors and strings
/// do not regrow for every push.
const fn min_capacity(elem_size: usize) -> usize {
    if elem_size == 1 {
        8
    } else if elem_size <= 1024 {
        4
    } else {
        1
    }
}

/// Room for `capacity` values of `T` in an arena.
///
/// Invariants:
/// - for a zero-sized `T`, `ptr` is dangling and `capacity` is `usize::MAX`;
/// - otherwise, with `capacity == 0`, `ptr` is dangling and nothing is
///   allocated; with `capacity > 0`, `ptr` is a block of `arena` of exactly
///   `Layout::array::<T>(capacity)`, owned by this buffer alone.
///
/// Dropping the buffer gives its room back to the arena when it is the most
/// recent block; it never drops values, which is its owner's job.
pub(crate) struct RawBuf<'a, T> {
    ptr: NonNull<T>,
    capacity: usize,
    arena: &'a Arena,
    _values: PhantomData<T>,
}

impl<'a, T> RawBuf<'a, T> {
    const IS_ZST: bool = mem::size_of::<T>() == 0;

    /// An empty buffer that allocates nothing.
    #[inline]
    pub(crate) const fn new(arena: &'a Arena) -> Self {
        Self {
            ptr: NonNull::dangling(),
            capacity: if Self::IS_ZST { usize::MAX } else { 0 },
            arena,
            _values: PhantomData,
        }
    }

    /// A buffer with room for exactly `capacity` values.
    #[inline]
    pub(crate) fn try_with_capacity(capacity: usize, arena: &'a Arena) -> Result<Self, AllocError> {
        let mut buf = Self::new(arena);
        if !Self::IS_ZST && capacity > 0 {
            let layout = array_layout::<T>(capacity)?;
            buf.ptr = arena.try_alloc_floor(layout)?.cast();
            buf.capacity = capacity;
        }
        Ok(buf)
    }

    #[inline(always)]
    pub(crate) const fn capacity(&self) -> usize {
        self.capacity
    }

    #[inline(always)]
    pub(crate) const fn ptr(&self) -> *mut T {
        self.ptr.as_ptr()
    }

    #[inline(always)]
    pub(crate) const fn arena(&self) -> &'a Arena {
        self.arena
    }

    /// Makes room for at least `len + additional` values, doubling the
    /// capacity when it grows.
    #[inline(always)]
    pub(crate) fn try_reserve(&mut self, len: usize, additional: usize) -> Result<(), AllocError> {
        if self.capacity - len >= additional {
            return Ok(());
        }
        self.grow(len, additional, true)
    }

    /// Makes room for at least `len + additional` values, growing no more
    /// than that.
    #[inline]
    pub(crate) fn try_reserve_exact(
        &mut self,
        len: usize,
        additional: usize,
    ) -> Result<(), AllocError> {
        if self.capacity - len >= additional {
            return Ok(());
        }
        self.grow(len, additional, false)
    }

    /// Grows to fit `len + additional` values (`len <= capacity`), or to twice
    /// the capacity if `amortized` and that is more.
    ///
    /// The work is done out of line by [`grown`](RawBuf::grown), which takes
    /// the fields by value: the buffer's address never escapes, so a vector
    /// on the stack keeps its fields in registers on the push fast path.
    #[inline(always)]
    fn grow(&mut self, len: usize, additional: usize, amortized: bool) -> Result<(), AllocError> {
        // SAFETY: `ptr` and `capacity` are this buffer's, as its invariant
        // describes; on success they are replaced by the new block's.
        let (ptr, capacity) = unsafe {
            Self::grown(
                self.arena,
                self.ptr,
                self.capacity,
                len,
                additional,
                amortized,
            )?
        };
        self.ptr = ptr;
        self.capacity = capacity;
        Ok(())
    }

    /// The new block and capacity for [`grow`](RawBuf::grow).
    ///
    /// # Safety
    /// `ptr` and `capacity` must describe a buffer of `arena` as the type's
    /// invariant says; on success the caller replaces them with the result
    /// (the old block is given up).
    #[cold]
    #[inline(never)]
    unsafe fn grown(
        arena: &Arena,
        ptr: NonNull<T>,
        capacity: usize,
        len: usize,
        additional: usize,
        amortized: bool,
    ) -> Result<(NonNull<T>, usize), AllocError> {
        let overflow = || AllocError::array_overflow(usize::MAX, mem::size_of::<T>());
        // A zero-sized `T` has capacity `usize::MAX`: needing more overflows.
        let needed = len.checked_add(additional).ok_or_else(overflow)?;
        let wanted = if amortized {
            needed
                .max(capacity.saturating_mul(2))
                .max(min_capacity(mem::size_of::<T>()))
        } else {
            needed
        };
        let new_layout = match array_layout::<T>(wanted) {
            Ok(layout) => layout,
            // Doubling overflowed but the request itself may fit.
            Err(_) if wanted > needed => array_layout::<T>(needed)?,
            Err(error) => return Err(error),
        };
        let new = if capacity == 0 {
            arena.try_alloc_floor(new_layout)?
        } else {
            let old_layout = array_layout::<T>(capacity)?;
            // SAFETY: by the caller's contract, `ptr` is a live floor block of
            // this arena allocated with `old_layout`, given up on success.
            unsafe { arena.regrow_floor(ptr.cast(), old_layout, new_layout)? }
        };
        Ok((new.cast(), new_layout.size() / mem::size_of::<T>()))
    }

    /// Gives back the room past the first `len` values when the buffer is
    /// the arena's most recent floor block (in place, nothing moves);
    /// otherwise keeps its capacity.
    #[inline]
    pub(crate) fn shrink_to(&mut self, len: usize) {
        if Self::IS_ZST || len >= self.capacity {
            return;
        }
        let size = mem::size_of::<T>();
        // SAFETY: `len < capacity`, so the new end is inside the block.
        let new_end = unsafe { self.ptr.add(len) }.cast::<u8>();
        // SAFETY: the bytes from `len` values on are the buffer's, unused,
        // and given up here if they are the most recent floor block (the
        // block's own start is not, as a whole, given up).
        let given_back = unsafe {
            self.arena
                .give_back_floor(new_end, (self.capacity - len) * size)
        };
        if given_back {
            if len == 0 {
                self.ptr = NonNull::dangling();
            }
            self.capacity = len;
        }
    }

    /// Gives up ownership of the block without handing its room back: it
    /// stays allocated as long as the arena borrow `'a`.
    #[inline]
    pub(crate) fn leak(self) -> (NonNull<T>, usize) {
        let this = ManuallyDrop::new(self);
        (this.ptr, this.capacity)
    }
}

impl<T> Drop for RawBuf<'_, T> {
    #[inline]
    fn drop(&mut self) {
        if !Self::IS_ZST && self.capacity > 0 {
            // SAFETY: by the invariant the block is live, of exactly
            // `capacity * size_of::<T>()` bytes (the layout was valid when it
            // was allocated), and owned by this buffer, which is going away.
            unsafe {
                self.arena
                    .give_back_floor(self.ptr.cast(), self.capacity * mem::size_of::<T>());
            };
        }
    }
}

/// The layout of `capacity` values of `T`, or the error that says it
/// overflows.
#[inline]
fn array_layout<T>(capacity: usize) -> Result<Layout, AllocError> {
    Layout::array::<T>(capacity)
        .map_err(|_| AllocError::array_overflow(capacity, mem::size_of::<T>()))
}
