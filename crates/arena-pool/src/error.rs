//! Errors of the arena's fallible (`try_*`) allocation methods.

use core::fmt;

/// Why an arena could not satisfy an allocation.
///
/// ```
/// use arena_pool::{Arena, AllocErrorKind};
///
/// let arena = Arena::fixed(16);
/// let err = arena.try_alloc_slice_copy(&[0u8; 32]).unwrap_err();
/// assert!(matches!(err.kind(), AllocErrorKind::CapacityExceeded { capacity: 16, .. }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllocErrorKind {
    /// The global allocator could not provide a new chunk.
    OutOfMemory,
    /// A new chunk would take the arena past the limit set with
    /// [`Arena::set_allocation_limit`](crate::Arena::set_allocation_limit).
    LimitExceeded {
        /// The limit in force, in bytes of chunk capacity.
        limit: usize,
    },
    /// A fixed arena ([`Arena::fixed`](crate::Arena::fixed)) has no room left
    /// for the request.
    CapacityExceeded {
        /// The arena's whole capacity, in bytes.
        capacity: usize,
        /// The bytes that were still free.
        remaining: usize,
    },
    /// The requested size does not fit in `isize::MAX` bytes (a slice length
    /// times its element size overflowed, say).
    SizeOverflow,
}

/// What was asked of the arena when an allocation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Request {
    /// A block of `size` bytes aligned to `align`.
    Bytes { size: usize, align: usize },
    /// `len` elements of `elem_size` bytes, whose total overflowed.
    Array { len: usize, elem_size: usize },
}

/// The error of a failed arena allocation: what went wrong and how much was
/// asked.
///
/// ```
/// use arena_pool::Arena;
///
/// let arena = Arena::new();
/// arena.set_allocation_limit(Some(64));
/// let err = arena.try_alloc([0u8; 100]).unwrap_err();
/// assert_eq!(err.error().requested_size(), Some(100));
/// assert_eq!(
///     err.to_string(),
///     "arena over its allocation limit of 64 bytes: asked for 100 bytes (align 1)"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocError {
    kind: AllocErrorKind,
    request: Request,
}

impl AllocError {
    pub(crate) const fn new(kind: AllocErrorKind, size: usize, align: usize) -> Self {
        Self {
            kind,
            request: Request::Bytes { size, align },
        }
    }

    pub(crate) const fn array_overflow(len: usize, elem_size: usize) -> Self {
        Self {
            kind: AllocErrorKind::SizeOverflow,
            request: Request::Array { len, elem_size },
        }
    }

    /// What went wrong.
    ///
    /// ```
    /// use arena_pool::{AllocErrorKind, Arena};
    ///
    /// let arena = Arena::new();
    /// let err = arena.try_alloc_slice_fill_with(usize::MAX, |_| 0u64).unwrap_err();
    /// assert_eq!(err.kind(), AllocErrorKind::SizeOverflow);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> AllocErrorKind {
        self.kind
    }

    /// The size in bytes that was asked for, or `None` when it overflowed.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(8);
    /// let err = arena.try_alloc_bytes_zeroed(9).unwrap_err();
    /// assert_eq!(err.requested_size(), Some(9));
    /// ```
    #[must_use]
    pub const fn requested_size(&self) -> Option<usize> {
        match self.request {
            Request::Bytes { size, .. } => Some(size),
            Request::Array { .. } => None,
        }
    }
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AllocErrorKind::OutOfMemory => f.write_str("arena out of memory")?,
            AllocErrorKind::LimitExceeded { limit } => {
                write!(f, "arena over its allocation limit of {limit} bytes")?;
            }
            AllocErrorKind::CapacityExceeded {
                capacity,
                remaining,
            } => write!(f, "fixed arena full ({remaining} of {capacity} bytes free)")?,
            AllocErrorKind::SizeOverflow => f.write_str("arena allocation size overflows")?,
        }
        match self.request {
            Request::Bytes { size, align } => {
                write!(f, ": asked for {size} bytes (align {align})")
            }
            Request::Array { len, elem_size } => {
                write!(f, ": asked for {len} elements of {elem_size} bytes")
            }
        }
    }
}

impl core::error::Error for AllocError {}

/// The error of [`Arena::try_alloc_try_with`](crate::Arena::try_alloc_try_with):
/// either the arena could not allocate (and the closure never ran), or the
/// closure returned its own error.
///
/// ```
/// use arena_pool::{AllocOrInitError, Arena};
///
/// let arena = Arena::new();
/// let err = arena.try_alloc_try_with(|| "x".parse::<u32>()).unwrap_err();
/// assert!(matches!(err, AllocOrInitError::Init(_)));
/// let full = Arena::fixed(0);
/// let err = full.try_alloc_try_with(|| Ok::<u32, ()>(1)).unwrap_err();
/// assert!(matches!(err, AllocOrInitError::Alloc(_)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocOrInitError<E> {
    /// The arena could not allocate room for the value.
    Alloc(AllocError),
    /// The closure that builds the value failed with this error.
    Init(E),
}

impl<E: fmt::Display> fmt::Display for AllocOrInitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Alloc(error) => fmt::Display::fmt(error, f),
            Self::Init(error) => write!(f, "building the value failed: {error}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for AllocOrInitError<E> {}

/// The error of [`Arena::try_alloc`](crate::Arena::try_alloc) and its kin:
/// the allocation error, with the value that could not be placed handed back.
///
/// ```
/// use arena_pool::Arena;
///
/// let arena = Arena::fixed(0);
/// let err = arena.try_alloc(String::from("kept")).unwrap_err();
/// assert_eq!(err.into_value(), "kept");
/// ```
pub struct TryAllocError<T> {
    error: AllocError,
    value: T,
}

impl<T> TryAllocError<T> {
    pub(crate) const fn new(error: AllocError, value: T) -> Self {
        Self { error, value }
    }

    /// The allocation error.
    ///
    /// ```
    /// use arena_pool::{AllocErrorKind, Arena};
    ///
    /// let arena = Arena::fixed(4);
    /// let err = arena.try_alloc(1u64).unwrap_err();
    /// assert!(matches!(err.error().kind(), AllocErrorKind::CapacityExceeded { .. }));
    /// ```
    #[must_use]
    pub const fn error(&self) -> &AllocError {
        &self.error
    }

    /// The value that was not allocated.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(0);
    /// assert_eq!(arena.try_alloc(7u32).unwrap_err().into_value(), 7);
    /// ```
    #[must_use]
    pub fn into_value(self) -> T {
        self.value
    }

    /// Both parts: the error and the value.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::fixed(0);
    /// let (error, value) = arena.try_alloc(7u32).unwrap_err().into_parts();
    /// assert_eq!(value, 7);
    /// assert_eq!(error.requested_size(), Some(4));
    /// ```
    #[must_use]
    pub fn into_parts(self) -> (AllocError, T) {
        (self.error, self.value)
    }
}

impl<T> fmt::Debug for TryAllocError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryAllocError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for TryAllocError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<T> core::error::Error for TryAllocError<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// The message for `usize::MAX` elements, which depends on the width of
    /// `usize`.
    #[cfg(target_pointer_width = "64")]
    const ARRAY_OVERFLOW: &str =
        "arena allocation size overflows: asked for 18446744073709551615 elements of 8 bytes";
    #[cfg(target_pointer_width = "32")]
    const ARRAY_OVERFLOW: &str =
        "arena allocation size overflows: asked for 4294967295 elements of 8 bytes";

    #[test]
    fn messages_name_the_cause_and_the_request() {
        let cases = [
            (
                AllocError::new(AllocErrorKind::OutOfMemory, 64, 8),
                "arena out of memory: asked for 64 bytes (align 8)",
            ),
            (
                AllocError::new(
                    AllocErrorKind::CapacityExceeded {
                        capacity: 256,
                        remaining: 3,
                    },
                    4,
                    4,
                ),
                "fixed arena full (3 of 256 bytes free): asked for 4 bytes (align 4)",
            ),
            (AllocError::array_overflow(usize::MAX, 8), ARRAY_OVERFLOW),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }
}
