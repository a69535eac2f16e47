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
