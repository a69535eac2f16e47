//! [`Key`]: the handle types a pool can hand out, and [`new_key_type!`],
//! which declares one.
//!
//! The pools' cores work on [`Handle`]s; a pool keyed by another type turns
//! each handle into that type on the way out and back on the way in. The
//! two conversions only move a slot index and a generation around, and no
//! memory safety rests on them: a key that converts wrongly finds another
//! value or none.

#![forbid(unsafe_code)]

use core::fmt;
use core::hash::Hash;

use super::Handle;

/// A type of handle: a slot index and a generation, as a [`Handle`] holds.
///
/// [`Handle<T>`] is the key every pool uses unless told otherwise; declare
/// more with [`new_key_type!`](crate::new_key_type) so that the handles of
/// two pools of the same value type cannot be mixed up. This is slotmap's
/// `Key`, with [`Handle<()>`] in the role of its `KeyData`.
///
/// Implementing it by hand is safe: nothing the pools do relies on the
/// conversions for memory safety, only for finding the right value.
///
/// ```
/// use arena_pool::{Handle, Key, Pool};
///
/// arena_pool::new_key_type! {
///     /// A node's handle.
///     pub struct NodeId;
/// }
///
/// let mut nodes: Pool<&str, NodeId> = Pool::with_key();
/// let root: NodeId = nodes.insert("root");
/// assert_eq!((root.index(), root.generation()), (0, 1));
/// let raw: Handle<()> = root.to_handle();
/// assert_eq!(NodeId::from_handle(raw), root);
/// ```
pub trait Key: Copy + Eq + Ord + Hash + fmt::Debug {
    /// The key of the slot index and generation `handle` holds.
    ///
    /// ```
    /// use arena_pool::{Handle, Key};
    ///
    /// let raw = Handle::<()>::from_bits(1 << 32 | 4).unwrap();
    /// let typed: Handle<String> = Key::from_handle(raw);
    /// assert_eq!((typed.index(), typed.generation()), (4, 1));
    /// ```
    fn from_handle(handle: Handle<()>) -> Self;

    /// The slot index and generation of this key, as an untyped handle.
    ///
    /// ```
    /// use arena_pool::{Key, Pool};
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert(5u8);
    /// assert_eq!(h.to_handle().to_bits(), h.to_bits());
    /// ```
    fn to_handle(self) -> Handle<()>;

    /// The slot index.
    ///
    /// ```
    /// use arena_pool::{Key, Pool};
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let mut pool: Pool<char, Id> = Pool::with_key();
    /// pool.insert('a');
    /// assert_eq!(pool.insert('b').index(), 1);
    /// ```
    #[inline]
    fn index(self) -> usize {
        self.to_handle().index()
    }

    /// The generation: odd, `1` for a slot's first value.
    ///
    /// ```
    /// use arena_pool::{Key, Pool};
    ///
    /// arena_pool::new_key_type! { struct Id; }
    ///
    /// let mut pool: Pool<char, Id> = Pool::with_key();
    /// let a = pool.insert('a');
    /// pool.remove(a);
    /// assert_eq!(pool.insert('b').generation(), 3);
    /// ```
    #[inline]
    fn generation(self) -> u32 {
        self.to_handle().generation()
    }
}

impl<T> Key for Handle<T> {
    #[inline(always)]
    fn from_handle(handle: Handle<()>) -> Self {
        handle.cast()
    }

    #[inline(always)]
    fn to_handle(self) -> Handle<()> {
        self.cast()
    }
}

/// `handle` as the key type `K`.
#[inline(always)]
pub(crate) fn key<K: Key, T>(handle: Handle<T>) -> K {
    K::from_handle(handle.cast())
}

/// `key` as a handle of the core of a pool of `T`.
#[inline(always)]
pub(crate) fn handle<T, K: Key>(key: K) -> Handle<T> {
    key.to_handle().cast()
}

/// Declares handle types: each a distinct [`Key`], so a pool keyed by one
/// refuses the handles of a pool keyed by another, even for the same value
/// type. The name and syntax are slotmap's.
///
/// Each type is 8 bytes (so is its `Option`), [`Copy`], and has the
/// [`Debug`](core::fmt::Debug), [`Hash`], [`Ord`] and (with the `serde`
/// feature of this crate) `serde` implementations of [`Handle`], written
/// the same way.
///
/// ```
/// use arena_pool::Pool;
///
/// arena_pool::new_key_type! {
///     /// A player.
///     pub struct PlayerId;
///     /// A team.
///     pub struct TeamId;
/// }
///
/// let mut players: Pool<String, PlayerId> = Pool::with_key();
/// let mut teams: Pool<String, TeamId> = Pool::with_key();
/// let ada = players.insert("Ada".into());
/// let red = teams.insert("Red".into());
/// assert_eq!(players[ada], "Ada");
/// assert_eq!(format!("{ada:?}"), "PlayerId(0v1)");
/// assert_eq!(size_of::<Option<TeamId>>(), 8);
/// // teams.get(ada); // does not compile: a PlayerId is not a TeamId
/// # let _ = red;
/// ```
#[macro_export]
macro_rules! new_key_type {
    ($(#[$attr:meta])* $vis:vis struct $name:ident; $($rest:tt)*) => {
        $(#[$attr])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(transparent)]
        $vis struct $name($crate::Handle<()>);

        impl $crate::Key for $name {
            #[inline(always)]
            fn from_handle(handle: $crate::Handle<()>) -> Self {
                Self(handle)
            }

            #[inline(always)]
            fn to_handle(self) -> $crate::Handle<()> {
                self.0
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::write!(
                    f,
                    "{}({}v{})",
                    ::core::stringify!($name),
                    self.0.index(),
                    self.0.generation(),
                )
            }
        }

        $crate::__key_serde!($name);

        $crate::new_key_type!($($rest)*);
    };
    () => {};
}

/// The `serde` implementations of a key type, written as its handle.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __key_serde {
    ($name:ident) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <$crate::Handle<()> as $crate::__private::serde::Deserialize<'de>>::deserialize(
                    deserializer,
                )
                .map(Self)
            }
        }
    };
}

/// Without the `serde` feature, key types have no `serde` implementations.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __key_serde {
    ($name:ident) => {};
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::new_key_type! {
        struct A;
        pub(crate) struct B;
    }

    #[test]
    fn conversions_round_trip() {
        let h = Handle::<u8>::new(7, 9);
        let a: A = key(h);
        assert_eq!((a.index(), a.generation()), (7, 9));
        assert_eq!(handle::<u8, A>(a), h);
        let b = B::from_handle(a.to_handle());
        assert_eq!(b.to_handle(), a.to_handle());
        assert_eq!(alloc::format!("{a:?} {b:?}"), "A(7v9) B(7v9)");
        assert!(A::from_handle(Handle::new(1, 1)) < A::from_handle(Handle::new(2, 1)));
        assert_eq!(size_of::<Option<A>>(), 8);
    }
}
