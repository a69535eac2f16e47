//! Iterators over the pools. Those that borrow serve every pool kind; those
//! that move values out belong to one (the fixed pool's are in `fixed`).

#![forbid(unsafe_code)]

use core::marker::PhantomData;

use super::Handle;
#[cfg(feature = "alloc")]
use super::Pool;
use super::key::{Key, key};
use super::pool_core::{Items, ItemsMut};
use super::shared::pool_iterator;

/// An iterator over a pool's handles and values, in slot order, made by
/// [`Pool::iter`](crate::Pool::iter) and
/// [`FixedPool::iter`](crate::FixedPool::iter).
///
/// ```
/// use arena_pool::Pool;
///
/// let pool: Pool<u8> = (1..=3).collect();
/// let mut iter = pool.iter();
/// assert_eq!(iter.len(), 3);
/// assert_eq!(iter.next().map(|(_, v)| *v), Some(1));
/// assert_eq!(iter.next_back().map(|(_, v)| *v), Some(3));
/// ```
pub struct Iter<'a, T, K = Handle<T>>(Items<'a, T>, PhantomData<fn() -> K>);

impl<'a, T, K> Iter<'a, T, K> {
    /// The iterator over `items`.
    #[inline]
    pub(super) fn new(items: Items<'a, T>) -> Self {
        Self(items, PhantomData)
    }
}

pool_iterator!(impl['a, T, K: Key] Iter<'a, T, K>: wraps, yields (K, &'a T), map |(h, value)| (key(h), value));

impl<T, K> Clone for Iter<'_, T, K> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

/// An iterator over a pool's handles and mutable values, in slot order,
/// made by [`Pool::iter_mut`](crate::Pool::iter_mut) and
/// [`FixedPool::iter_mut`](crate::FixedPool::iter_mut).
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool: Pool<u8> = (1..=3).collect();
/// pool.iter_mut().for_each(|(_, v)| *v *= 2);
/// assert_eq!(pool.iter().map(|(_, v)| *v).sum::<u8>(), 12);
/// ```
pub struct IterMut<'a, T, K = Handle<T>>(ItemsMut<'a, T>, PhantomData<fn() -> K>);

impl<'a, T, K> IterMut<'a, T, K> {
    /// The iterator over `items`.
    #[inline]
    pub(super) fn new(items: ItemsMut<'a, T>) -> Self {
        Self(items, PhantomData)
    }
}

pool_iterator!(impl['a, T, K: Key] IterMut<'a, T, K>: wraps, yields (K, &'a mut T), map |(h, value)| (key(h), value));

/// An iterator over a pool's handles, in slot order, made by
/// [`Pool::keys`](crate::Pool::keys) and
/// [`FixedPool::keys`](crate::FixedPool::keys).
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool = Pool::new();
/// let a = pool.insert('a');
/// let b = pool.insert('b');
/// assert_eq!(pool.keys().rev().collect::<Vec<_>>(), [b, a]);
/// ```
pub struct Keys<'a, T, K = Handle<T>>(Items<'a, T>, PhantomData<fn() -> K>);

impl<'a, T, K> Keys<'a, T, K> {
    /// The iterator over `items`.
    #[inline]
    pub(super) fn new(items: Items<'a, T>) -> Self {
        Self(items, PhantomData)
    }
}

pool_iterator!(impl['a, T, K: Key] Keys<'a, T, K>: wraps, yields K, map |(handle, _)| key(handle));

impl<T, K> Clone for Keys<'_, T, K> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

/// An iterator over a pool's values, in slot order, made by
/// [`Pool::values`](crate::Pool::values) and
/// [`FixedPool::values`](crate::FixedPool::values).
///
/// ```
/// use arena_pool::Pool;
///
/// let pool: Pool<u8> = (1..=3).collect();
/// assert_eq!(pool.values().copied().collect::<Vec<_>>(), [1, 2, 3]);
/// ```
pub struct Values<'a, T>(pub(super) Items<'a, T>);

pool_iterator!(impl['a, T] Values<'a, T>: wraps, yields &'a T, map |(_, value)| value);

impl<T> Clone for Values<'_, T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

/// An iterator over a pool's values, mutably, in slot order, made by
/// [`Pool::values_mut`](crate::Pool::values_mut) and
/// [`FixedPool::values_mut`](crate::FixedPool::values_mut).
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool: Pool<u8> = (1..=3).collect();
/// pool.values_mut().for_each(|v| *v += 1);
/// assert_eq!(pool.values().copied().collect::<Vec<_>>(), [2, 3, 4]);
/// ```
pub struct ValuesMut<'a, T>(pub(super) ItemsMut<'a, T>);

pool_iterator!(impl['a, T] ValuesMut<'a, T>: wraps, yields &'a mut T, map |(_, value)| value);

/// An iterator removing every value of a [`Pool`], made by
/// [`Pool::drain`]. Dropping it removes (and drops) the values it did not
/// yield; if it is leaked instead, they stay in the pool.
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool: Pool<u8> = (1..=3).collect();
/// let mut drain = pool.drain();
/// assert_eq!(drain.next_back().map(|(_, v)| v), Some(3));
/// assert_eq!(drain.next().map(|(_, v)| v), Some(1));
/// drop(drain);
/// assert!(pool.is_empty());
/// ```
#[cfg(feature = "alloc")]
pub struct Drain<'a, T, K = Handle<T>> {
    pub(super) pool: &'a mut Pool<T, K>,
    pub(super) front: usize,
    pub(super) back: usize,
}

#[cfg(feature = "alloc")]
pool_iterator!(impl['a, T, K: Key] Drain<'a, T, K>: takes, yields (K, T), map |(h, value)| (key(h), value));

#[cfg(feature = "alloc")]
impl<T, K> Drop for Drain<'_, T, K> {
    fn drop(&mut self) {
        // Each value leaves the pool before it is dropped, so a panicking
        // `Drop` leaves the pool consistent, holding the values not reached.
        while let Some(item) = self.pool.core.take_front(&mut self.front, self.back) {
            drop(item);
        }
    }
}

/// An iterator moving the values out of a [`Pool`] with their handles,
/// made by its [`IntoIterator`] implementation.
///
/// ```
/// use arena_pool::Pool;
///
/// let pool: Pool<u8> = (1..=3).collect();
/// let values: Vec<u8> = pool.into_iter().rev().map(|(_, v)| v).collect();
/// assert_eq!(values, [3, 2, 1]);
/// ```
#[cfg(feature = "alloc")]
pub struct IntoIter<T, K = Handle<T>> {
    pub(super) pool: Pool<T, K>,
    pub(super) front: usize,
    pub(super) back: usize,
}

#[cfg(feature = "alloc")]
pool_iterator!(impl[T, K: Key] IntoIter<T, K>: takes, yields (K, T), map |(h, value)| (key(h), value));

/// An iterator moving the values out of a [`Pool`], made by
/// [`Pool::into_values`].
///
/// ```
/// use arena_pool::Pool;
///
/// let pool: Pool<String> = ["a", "b"].map(String::from).into_iter().collect();
/// assert_eq!(pool.into_values().collect::<Vec<_>>(), ["a", "b"]);
/// ```
#[cfg(feature = "alloc")]
pub struct IntoValues<T, K = Handle<T>> {
    pub(super) pool: Pool<T, K>,
    pub(super) front: usize,
    pub(super) back: usize,
}

#[cfg(feature = "alloc")]
pool_iterator!(impl[T, K: Key] IntoValues<T, K>: takes, yields T, map |(_, value)| value);
