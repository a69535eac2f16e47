//! Small helpers every pool kind uses: the panics of indexing and
//! insertion, and the macro that implements the pools' iterators.

#![forbid(unsafe_code)]

use core::fmt;

use super::Full;
use super::key::{Key, key};
use super::pool_core::Core;
use super::storage::Storage;

/// The value a lookup found; when it found none, a panic naming `handle`.
#[inline]
#[track_caller]
pub(super) fn expect_value<V, K: fmt::Debug>(found: Option<V>, handle: K) -> V {
    match found {
        Some(value) => value,
        None => stale(handle),
    }
}

#[cold]
#[track_caller]
fn stale(handle: impl fmt::Debug) -> ! {
    panic!("{handle:?} reaches no value in this pool: it was removed, or is from another pool")
}

/// The handle an insertion returned; when the pool was full, a panic
/// with the [`Full`] error's message.
#[inline(always)]
#[track_caller]
pub(super) fn expect_inserted<H, V>(inserted: Result<H, Full<V>>) -> H {
    match inserted {
        Ok(handle) => handle,
        Err(full) => panic!("{full}"),
    }
}

/// Inserts the value `make` builds from its own key, or hands `make` back,
/// uncalled, when the pool is full: the core's `try_insert_with` for a
/// pool whose handles are `K`s.
#[inline]
pub(super) fn insert_with_key<S: Storage, K: Key, F: FnOnce(K) -> S::Value>(
    core: &mut Core<S>,
    make: F,
) -> Result<K, Full<F>> {
    let mut make = Some(make);
    match core.try_insert_with(|handle| match make.take() {
        Some(make) => make(key(handle)),
        None => unreachable!("the value is built once"),
    }) {
        Ok(handle) => Ok(key(handle)),
        Err(full) => {
            let slots = full.slots();
            match make.take() {
                Some(make) => Err(Full::new(make, slots)),
                None => unreachable!("a full pool does not build the value"),
            }
        }
    }
}

/// Implements `Iterator`, `DoubleEndedIterator`, `ExactSizeIterator`,
/// `FusedIterator` and `Debug` for one of the pools' public iterators,
/// which has one of two shapes:
///
/// - `wraps`: its field `0` is an iterator that does the work, and `map`
///   turns each of its items into the public one;
/// - `takes`: its field `pool` is the pool (or a `&mut` to it) and its
///   fields `front` and `back` bound the slots not yet looked at; each item
///   is taken out of the pool's core, and `map` turns it into the public
///   one.
macro_rules! pool_iterator {
    (impl[$($params:tt)*] $name:ident<$($args:tt),*>: wraps, yields $item:ty, map $map:expr) => {
        impl<$($params)*> Iterator for $name<$($args),*> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.0.next().map($map)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }

            #[inline]
            fn fold<B, F: FnMut(B, $item) -> B>(self, init: B, mut f: F) -> B {
                let map = $map;
                self.0.fold(init, move |acc, item| f(acc, map(item)))
            }
        }

        impl<$($params)*> DoubleEndedIterator for $name<$($args),*> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.0.next_back().map($map)
            }
        }

        $crate::pool::shared::pool_iterator!(@exact impl[$($params)*] $name<$($args),*>);
    };
    (impl[$($params:tt)*] $name:ident<$($args:tt),*>: takes, yields $item:ty, map $map:expr) => {
        impl<$($params)*> Iterator for $name<$($args),*> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.pool.core.take_front(&mut self.front, self.back).map($map)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                (self.pool.len(), Some(self.pool.len()))
            }
        }

        impl<$($params)*> DoubleEndedIterator for $name<$($args),*> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.pool.core.take_back(self.front, &mut self.back).map($map)
            }
        }

        $crate::pool::shared::pool_iterator!(@exact impl[$($params)*] $name<$($args),*>);
    };
    (@exact impl[$($params:tt)*] $name:ident<$($args:tt),*>) => {
        impl<$($params)*> ExactSizeIterator for $name<$($args),*> {}
        impl<$($params)*> ::core::iter::FusedIterator for $name<$($args),*> {}

        impl<$($params)*> ::core::fmt::Debug for $name<$($args),*> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("remaining", &self.len())
                    .finish_non_exhaustive()
            }
        }
    };
}

pub(super) use pool_iterator;
