//! Iterators over a [`Pool`].

use core::fmt;
use core::iter::FusedIterator;
use core::mem;

use super::bitmap::Ones;
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
pub struct Iter<'a, T> {
    slots: &'a [Slot<T>],
    ones: Ones<'a>,
    remaining: usize,
}

impl<'a, T> Iter<'a, T> {
    /// Visits the slots whose bits are set in `occupied`, but for `skip`.
    pub(super) fn new(
        slots: &'a [Slot<T>],
        occupied: &'a [u64],
        skip: Option<usize>,
        len: usize,
    ) -> Self {
        Self {
            slots,
            ones: Ones::new(occupied, skip),
            remaining: len,
        }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = (Handle<T>, &'a T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let index = self.ones.next()?;
        let slot = &self.slots[index];
        let value = slot.value()?;
        self.remaining -= 1;
        Some((Handle::new(index as u32, slot.version()), value))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> FusedIterator for Iter<'_, T> {}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Self {
            slots: self.slots,
            ones: self.ones.clone(),
            remaining: self.remaining,
        }
    }
}

impl<T> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
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
pub struct IterMut<'a, T> {
    /// The slots after the last one yielded.
    slots: &'a mut [Slot<T>],
    /// The index of `slots[0]` in the pool.
    offset: usize,
    ones: Ones<'a>,
    remaining: usize,
}

impl<'a, T> IterMut<'a, T> {
    /// Visits the slots whose bits are set in `occupied`, but for `skip`.
    pub(super) fn new(
        slots: &'a mut [Slot<T>],
        occupied: &'a [u64],
        skip: Option<usize>,
        len: usize,
    ) -> Self {
        Self {
            slots,
            offset: 0,
            ones: Ones::new(occupied, skip),
            remaining: len,
        }
    }
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = (Handle<T>, &'a mut T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let index = self.ones.next()?;
        let rest = mem::take(&mut self.slots);
        let (slot, rest) = rest.get_mut(index - self.offset..)?.split_first_mut()?;
        self.slots = rest;
        self.offset = index + 1;
        let version = slot.version();
        let value = slot.value_mut()?;
        self.remaining -= 1;
        Some((Handle::new(index as u32, version), value))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> ExactSizeIterator for IterMut<'_, T> {}
impl<T> FusedIterator for IterMut<'_, T> {}

impl<T> fmt::Debug for IterMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IterMut")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

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

impl<T> Iterator for Drain<'_, T> {
    type Item = (Handle<T>, T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.pool.take_next(&mut self.cursor)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.pool.len(), Some(self.pool.len()))
    }
}

impl<T> ExactSizeIterator for Drain<'_, T> {}
impl<T> FusedIterator for Drain<'_, T> {}

impl<T> Drop for Drain<'_, T> {
    fn drop(&mut self) {
        // Each value leaves the pool before it is dropped, so a panicking
        // `Drop` leaves the pool consistent, holding the values not reached.
        for item in self.by_ref() {
            drop(item);
        }
    }
}

impl<T> fmt::Debug for Drain<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Drain")
            .field("remaining", &self.pool.len())
            .finish_non_exhaustive()
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

impl<T> Iterator for IntoIter<T> {
    type Item = (Handle<T>, T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.pool.take_next(&mut self.cursor)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.pool.len(), Some(self.pool.len()))
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}
impl<T> FusedIterator for IntoIter<T> {}

impl<T> fmt::Debug for IntoIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoIter")
            .field("remaining", &self.pool.len())
            .finish_non_exhaustive()
    }
}
