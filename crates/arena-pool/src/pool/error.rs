//! Errors of the pools' fallible methods.

use core::fmt;

/// The error of [`Pool::try_insert`](crate::Pool::try_insert) and its kin:
/// the pool has no slot left, and the value comes back.
///
/// A bounded [`Pool`](crate::Pool) or a [`FixedPool`](crate::FixedPool) is
/// full when every slot holds a live value (or was retired after its last
/// generation); a growing pool only when its slot indices run out.
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool = Pool::bounded(1);
/// pool.insert("first");
/// let full = pool.try_insert("second").unwrap_err();
/// assert_eq!(full.to_string(), "pool is full: no free slot among its 1 slots");
/// assert_eq!(full.into_value(), "second");
/// ```
pub struct Full<T> {
    value: T,
    slots: usize,
}

impl<T> Full<T> {
    pub(crate) const fn new(value: T, slots: usize) -> Self {
        Self { value, slots }
    }

    /// The value that was not inserted.
    ///
    /// ```
    /// use arena_pool::FixedPool;
    ///
    /// let mut pool: FixedPool<String, 0> = FixedPool::new();
    /// let full = pool.try_insert(String::from("kept")).unwrap_err();
    /// assert_eq!(full.into_value(), "kept");
    /// ```
    #[must_use]
    pub fn into_value(self) -> T {
        self.value
    }

    /// The number of slots of the full pool.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::bounded(2);
    /// pool.insert(1);
    /// pool.insert(2);
    /// assert_eq!(pool.try_insert(3).unwrap_err().slots(), 2);
    /// ```
    #[must_use]
    pub const fn slots(&self) -> usize {
        self.slots
    }
}

impl<T> fmt::Debug for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Full")
            .field("slots", &self.slots)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pool is full: no free slot among its {} slots",
            self.slots
        )
    }
}

impl<T> core::error::Error for Full<T> {}

/// The error of [`Pool::get_disjoint_mut`](crate::Pool::get_disjoint_mut):
/// which handle could not be used.
///
/// ```
/// use arena_pool::{GetDisjointMutError, Pool};
///
/// let mut pool = Pool::new();
/// let a = pool.insert(1);
/// assert_eq!(
///     pool.get_disjoint_mut([a, a]).unwrap_err(),
///     GetDisjointMutError::Overlapping { first: 0, second: 1 }
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GetDisjointMutError {
    /// The handle at this position in the array reaches no value: it was
    /// removed, or never belonged to this pool.
    Stale {
        /// Its position in the array of handles.
        position: usize,
    },
    /// Two handles in the array reach the same value.
    Overlapping {
        /// The position of the first of the two.
        first: usize,
        /// The position of the second.
        second: usize,
    },
}

impl fmt::Display for GetDisjointMutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stale { position } => {
                write!(
                    f,
                    "handle at position {position} reaches no value in the pool"
                )
            }
            Self::Overlapping { first, second } => write!(
                f,
                "handles at positions {first} and {second} reach the same value"
            ),
        }
    }
}

impl core::error::Error for GetDisjointMutError {}

/// The error of [`Pool::insert_at`](crate::Pool::insert_at) and
/// [`FixedPool::insert_at`](crate::FixedPool::insert_at): the handle could
/// not be given the value, which comes back.
///
/// ```
/// use arena_pool::{Handle, InsertAtError, Pool};
///
/// let mut pool = Pool::bounded(2);
/// let far = Handle::from_bits(5 | 1 << 32).unwrap();
/// let error = pool.insert_at(far, 'x').unwrap_err();
/// assert!(matches!(error, InsertAtError::OutOfBounds { slots: 2, .. }));
/// assert_eq!(error.into_value(), 'x');
/// ```
#[derive(Debug, PartialEq, Eq)]
pub enum InsertAtError<T> {
    /// The handle's slot index is beyond the slots the pool may have.
    OutOfBounds {
        /// The value that was not inserted.
        value: T,
        /// The most slots the pool may have.
        slots: usize,
    },
    /// The slot already went past the handle's generation (or is retired):
    /// putting the value there would bring a dead handle back.
    Stale {
        /// The value that was not inserted.
        value: T,
    },
}

impl<T> InsertAtError<T> {
    /// The value that was not inserted.
    ///
    /// ```
    /// use arena_pool::{Handle, Pool};
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(1);
    /// pool.remove(h);
    /// assert_eq!(pool.insert_at(h, 2).unwrap_err().into_value(), 2);
    /// ```
    #[must_use]
    pub fn into_value(self) -> T {
        match self {
            Self::OutOfBounds { value, .. } | Self::Stale { value } => value,
        }
    }
}

impl<T> fmt::Display for InsertAtError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfBounds { slots, .. } => {
                write!(f, "handle's slot is beyond the pool's {slots} slots")
            }
            Self::Stale { .. } => f.write_str(
                "handle is older than its slot's generation: inserting would revive a dead handle",
            ),
        }
    }
}

impl<T: fmt::Debug> core::error::Error for InsertAtError<T> {}
