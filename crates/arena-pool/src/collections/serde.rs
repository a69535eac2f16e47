//! `serde` support (feature `serde`): the collections serialize as their
//! `std` counterparts do, and deserialize into an arena through the seeds
//! [`VecIn`] and [`StringIn`], which carry the arena.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::{ArenaRef, Box, String, Vec};
use crate::Arena;

/// Serializes as a sequence, like `std::vec::Vec`.
impl<T: Serialize> Serialize for Vec<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Serializes as a string.
impl Serialize for String<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// Serializes as its value.
impl<T: ?Sized + Serialize> Serialize for Box<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// The most elements a sequence's length hint makes room for up front:
/// hostile input may claim any length, so larger sequences grow as their
/// elements actually arrive.
const MAX_PREALLOCATED: usize = 4096;

/// A [`DeserializeSeed`] that deserializes a sequence into a [`Vec`] in the
/// arena it holds. Running out of arena memory is a deserialization error,
/// never a panic.
///
/// ```
/// use arena_pool::{Arena, collections::serde::VecIn};
/// use serde::de::DeserializeSeed;
///
/// let arena = Arena::new();
/// let mut json = serde_json::Deserializer::from_str("[1, 2, 3]");
/// let v = VecIn::<u32>::new(&arena).deserialize(&mut json).unwrap();
/// assert_eq!(v, [1, 2, 3]);
/// ```
pub struct VecIn<'a, T> {
    arena: &'a Arena,
    _values: PhantomData<fn() -> T>,
}

impl<'a, T> VecIn<'a, T> {
    /// A seed that deserializes into `arena` (an `&Arena` or a scope).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let seed = arena_pool::collections::serde::VecIn::<u8>::new(&arena);
    /// # let _ = seed;
    /// ```
    #[must_use]
    pub fn new(arena: impl ArenaRef<'a>) -> Self {
        Self {
            arena: arena.arena(),
            _values: PhantomData,
        }
    }
}

impl<'de, 'a, T: Deserialize<'de>> DeserializeSeed<'de> for VecIn<'a, T> {
    type Value = Vec<'a, T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<'a, T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, 'a, T: Deserialize<'de>> Visitor<'de> for VecIn<'a, T> {
    type Value = Vec<'a, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<'a, T>, A::Error> {
        let mut vec = Vec::new_in(self.arena);
        let hint = seq.size_hint().unwrap_or(0).min(MAX_PREALLOCATED);
        // A failed reservation is not an error yet: the elements may fit.
        let _ = vec.try_reserve(hint);
        while let Some(value) = seq.next_element()? {
            vec.try_push(value)
                .map_err(|error| de::Error::custom(error.error()))?;
        }
        Ok(vec)
    }
}

/// A [`DeserializeSeed`] that deserializes a string into a [`String`] in
/// the arena it holds. Running out of arena memory is a deserialization
/// error, never a panic.
///
/// ```
/// use arena_pool::{Arena, collections::serde::StringIn};
/// use serde::de::DeserializeSeed;
///
/// let arena = Arena::new();
/// let mut json = serde_json::Deserializer::from_str("\"hi\"");
/// let s = StringIn::new(&arena).deserialize(&mut json).unwrap();
/// assert_eq!(s, "hi");
/// ```
pub struct StringIn<'a> {
    arena: &'a Arena,
}

impl<'a> StringIn<'a> {
    /// A seed that deserializes into `arena` (an `&Arena` or a scope).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let seed = arena_pool::collections::serde::StringIn::new(&arena);
    /// # let _ = seed;
    /// ```
    #[must_use]
    pub fn new(arena: impl ArenaRef<'a>) -> Self {
        Self {
            arena: arena.arena(),
        }
    }
}

impl<'de, 'a> DeserializeSeed<'de> for StringIn<'a> {
    type Value = String<'a>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String<'a>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'a> Visitor<'de> for StringIn<'a> {
    type Value = String<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<String<'a>, E> {
        let mut string = String::new_in(self.arena);
        string.try_push_str(s).map_err(E::custom)?;
        Ok(string)
    }
}
