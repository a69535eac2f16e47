//! Iterators over a [`Pool`]. The shared iterators of the `shared` module do
//! the work; these visit the slots whose bits are set in the occupancy
//! bitmap.

use super::bitmap::Ones;
use super::shared::{PoolBackend as _, Values, ValuesMut, pool_iterator};
use super::slot::Slot;
use super::{Handle, Pool};

/// An iterator over a [`Pool`]'s handles and values, made by
/// [`Pool::iter`]. It jumps over vacant slots with the occupancy bitmap.
///
/// ```
/// use arena_pool::Pool;
///
/// let pool: Pool<u8> = (1..=3).collect();
/// let mut iter = pool.iter();
/// assert_eq!(iter.len(), 3);
/// assert_eq!(iter.next().map(|(_, v)| *v), Some(1));
/// ```
pub struct Iter<'a, T>(Values<'a, T, Ones<'a>>);

impl<'a, T> Iter<'a, T> {
    /// Visits the slots whose bits are set in `occupied`, but for `skip`.
    pub(super) fn new(
        slots: &'a [Slot<T>],
        occupied: &'a [u64],
        skip: Option<usize>,
        len: usize,
    ) -> Self {
        Self(Values::new(slots, Ones::new(occupied, skip), len))
    }
}

pool_iterator!(impl['a, T] Iter<'a, T>: wraps, yields (Handle<T>, &'a T));

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

/// An iterator over a [`Pool`]'s handles and mutable values, made by
/// [`Pool::iter_mut`].
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool: Pool<u8> = (1..=3).collect();
/// pool.iter_mut().for_each(|(_, v)| *v *= 2);
/// assert_eq!(pool.iter().map(|(_, v)| *v).sum::<u8>(), 12);
/// ```
pub struct IterMut<'a, T>(ValuesMut<'a, T, Ones<'a>>);

impl<'a, T> IterMut<'a, T> {
    /// Visits the slots whose bits are set in `occupied`, but for `skip`.
    pub(super) fn new(
        slots: &'a mut [Slot<T>],
        occupied: &'a [u64],
        skip: Option<usize>,
        len: usize,
    ) -> Self {
        Self(ValuesMut::new(slots, Ones::new(occupied, skip), len))
    }
}

pool_iterator!(impl['a, T] IterMut<'a, T>: wraps, yields (Handle<T>, &'a mut T));

/// An iterator removing every value of a [`Pool`], made by
/// [`Pool::drain`]. Dropping it removes (and drops) the values it did not
/// yield.
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool: Pool<u8> = (1..=3).collect();
/// let first = pool.drain().next();
/// assert_eq!(first.map(|(_, v)| v), Some(1));
/// assert!(pool.is_empty());
/// ```
pub struct Drain<'a, T> {
    pool: &'a mut Pool<T>,
    cursor: usize,
}

impl<'a, T> Drain<'a, T> {
    pub(super) fn new(pool: &'a mut Pool<T>) -> Self {
        Self { pool, cursor: 0 }
    }
}

pool_iterator!(impl['a, T] Drain<'a, T>: takes, yields (Handle<T>, T));

impl<T> Drop for Drain<'_, T> {
    fn drop(&mut self) {
        // Each value leaves the pool before it is dropped, so a panicking
        // `Drop` leaves the pool consistent, holding the values not reached.
        for item in self.by_ref() {
            drop(item);
        }
    }
}

/// An iterator moving the values out of a [`Pool`], made by its
/// [`IntoIterator`] implementation.
///
/// ```
/// use arena_pool::Pool;
///
/// let pool: Pool<u8> = (1..=3).collect();
/// let values: Vec<u8> = pool.into_iter().map(|(_, v)| v).collect();
/// assert_eq!(values, [1, 2, 3]);
/// ```
pub struct IntoIter<T> {
    pool: Pool<T>,
    cursor: usize,
}

impl<T> IntoIter<T> {
    pub(super) fn new(pool: Pool<T>) -> Self {
        Self { pool, cursor: 0 }
    }
}

pool_iterator!(impl[T] IntoIter<T>: takes, yields (Handle<T>, T));
