//! [`String`]: a growable UTF-8 string whose buffer lives in an arena.

use core::borrow::{Borrow, BorrowMut};
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};
use core::str::{self, Utf8Error};

use super::{ArenaRef, Box, FromIteratorIn, Vec};
use crate::error::AllocError;

/// The room [`String::from_fmt_in`] starts with, when the current chunk has
/// it.
const FORMAT_CAPACITY: usize = 32;

/// A growable UTF-8 string whose buffer lives in an [`Arena`](crate::Arena)
/// (or a [`Scope`](crate::Scope)): `std::string::String` in an arena.
///
/// It is a [`Vec<u8>`](Vec) that holds UTF-8, and shares its behaviour:
/// growing the arena's most recent block reuses its room, dropping the
/// string gives the room back when it is the most recent block, and
/// [`into_str`](String::into_str) freezes it into a `&'a mut str` without
/// copying. Build one by hand, with [`format!`](crate::format) or with
/// [`fmt::Write`].
///
/// For bumpalo users: `bumpalo::collections::String` maps to this type, and
/// `into_bump_str` to [`into_str`](String::into_str).
///
/// # Threads
///
/// `String` is neither `Send` nor `Sync`, like [`Vec`].
///
/// ```
/// use arena_pool::{Arena, collections::String};
/// use core::fmt::Write;
///
/// let arena = Arena::new();
/// let mut s = String::from_str_in("hello", &arena);
/// s.push(',');
/// write!(s, " {}", "world").unwrap();
/// assert_eq!(s, "hello, world");
/// let frozen: &str = s.into_str();
/// assert_eq!(frozen.len(), 12);
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct String<'a> {
    // Invariant: the bytes are valid UTF-8.
    vec: Vec<'a, u8>,
}

impl<'a> String<'a> {
    /// An empty string that allocates nothing until it grows.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::new_in(&arena);
    /// assert!(s.is_empty());
    /// ```
    #[inline]
    #[must_use]
    pub fn new_in(arena: impl ArenaRef<'a>) -> Self {
        Self {
            vec: Vec::new_in(arena),
        }
    }

    /// An empty string with room for `capacity` bytes.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate the room.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::with_capacity_in(16, &arena);
    /// assert_eq!(s.capacity(), 16);
    /// ```
    #[inline]
    #[must_use]
    pub fn with_capacity_in(capacity: usize, arena: impl ArenaRef<'a>) -> Self {
        Self {
            vec: Vec::with_capacity_in(capacity, arena),
        }
    }

    /// An empty string with room for `capacity` bytes, or an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`] that says why the room could not be allocated.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::fixed(4);
    /// assert!(arena_pool::collections::String::try_with_capacity_in(5, &arena).is_err());
    /// ```
    pub fn try_with_capacity_in(
        capacity: usize,
        arena: impl ArenaRef<'a>,
    ) -> Result<Self, AllocError> {
        Ok(Self {
            vec: Vec::try_with_capacity_in(capacity, arena)?,
        })
    }

    /// A copy of `s` in the arena.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::from_str_in("abc", &arena);
    /// assert_eq!(s, "abc");
    /// ```
    #[must_use]
    pub fn from_str_in(s: &str, arena: impl ArenaRef<'a>) -> Self {
        let mut string = Self::with_capacity_in(s.len(), arena);
        string.push_str(s);
        string
    }

    /// Formats `args` into a new arena string; what
    /// [`format!`](crate::format) expands to.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if a formatting trait
    /// implementation returns an error.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::from_fmt_in(format_args!("{}-{}", 1, 2), &arena);
    /// assert_eq!(s, "1-2");
    /// ```
    #[must_use]
    pub fn from_fmt_in(args: fmt::Arguments<'_>, arena: impl ArenaRef<'a>) -> Self {
        let arena = arena.arena();
        if let Some(literal) = args.as_str() {
            return Self::from_str_in(literal, arena);
        }
        // Start with room for a typical short result, then hand back what is
        // left: the buffer is the arena's most recent growable block unless a
        // `Display` implementation allocated a growable block of its own, so
        // both the growth and the trim happen in place.
        let room = FORMAT_CAPACITY.min(arena.remaining_capacity());
        let mut string = Self::with_capacity_in(room, arena);
        fmt::Write::write_fmt(&mut string, args)
            .expect("a formatting trait implementation returned an error");
        string.vec.shrink_to_fit();
        string
    }

    /// A string of the UTF-8 bytes in `vec`, or the error and the vector
    /// back.
    ///
    /// # Errors
    ///
    /// The [`Utf8Error`] of invalid bytes, with the vector.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::{String, Vec}};
    ///
    /// let arena = Arena::new();
    /// let bytes = Vec::from_iter_in(*b"hi", &arena);
    /// assert_eq!(String::from_utf8(bytes).unwrap(), "hi");
    /// let bad = Vec::from_iter_in([0xff], &arena);
    /// assert!(String::from_utf8(bad).is_err());
    /// ```
    #[allow(clippy::result_large_err)]
    pub fn from_utf8(vec: Vec<'a, u8>) -> Result<Self, (Utf8Error, Vec<'a, u8>)> {
        match str::from_utf8(&vec) {
            Ok(_) => Ok(Self { vec }),
            Err(error) => Err((error, vec)),
        }
    }

    /// The length in bytes.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// assert_eq!(arena_pool::collections::String::from_str_in("é", &arena).len(), 2);
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn len(&self) -> usize {
        self.vec.len()
    }

    /// Whether the string is empty.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// assert!(arena_pool::collections::String::new_in(&arena).is_empty());
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.vec.is_empty()
    }

    /// The bytes the string can hold without growing.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// assert_eq!(arena_pool::collections::String::new_in(&arena).capacity(), 0);
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn capacity(&self) -> usize {
        self.vec.capacity()
    }

    /// The string as a `&str`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::from_str_in("x", &arena);
    /// assert_eq!(s.as_str(), "x");
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes are valid UTF-8 (the invariant).
        unsafe { str::from_utf8_unchecked(self.vec.as_slice()) }
    }

    /// The string as a `&mut str`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("ab", &arena);
    /// s.as_mut_str().make_ascii_uppercase();
    /// assert_eq!(s, "AB");
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn as_mut_str(&mut self) -> &mut str {
        // SAFETY: the bytes are valid UTF-8, and `&mut str` only allows
        // changes that keep them so.
        unsafe { str::from_utf8_unchecked_mut(self.vec.as_mut_slice()) }
    }

    /// The string's bytes.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::from_str_in("ab", &arena);
    /// assert_eq!(s.as_bytes(), b"ab");
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.vec.as_slice()
    }

    /// The string's byte vector.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::from_str_in("ab", &arena);
    /// assert_eq!(s.into_bytes(), *b"ab");
    /// ```
    #[must_use]
    pub fn into_bytes(self) -> Vec<'a, u8> {
        self.vec
    }

    /// Freezes the string into a `&mut str` that lives as long as the arena
    /// borrow, without copying.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let s = arena_pool::collections::String::from_str_in("kept", &arena);
    /// let frozen: &'_ str = s.into_str();
    /// assert_eq!(frozen, "kept");
    /// ```
    #[doc(alias = "into_bump_str")]
    #[must_use]
    pub fn into_str(self) -> &'a mut str {
        // SAFETY: the bytes are valid UTF-8.
        unsafe { str::from_utf8_unchecked_mut(self.vec.into_slice()) }
    }

    /// Converts the string into a [`Box<str>`](Box).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let b = arena_pool::collections::String::from_str_in("b", &arena).into_boxed_str();
    /// assert_eq!(&*b, "b");
    /// ```
    #[must_use]
    pub fn into_boxed_str(self) -> Box<'a, str> {
        let bytes: *mut [u8] = self.vec.into_slice();
        // SAFETY: the bytes are valid UTF-8 and owned by nobody else; `str`
        // has the layout of `[u8]`.
        unsafe { Box::from_raw(bytes as *mut str) }
    }

    /// Makes room for at least `additional` more bytes.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::new_in(&arena);
    /// s.reserve(10);
    /// assert!(s.capacity() >= 10);
    /// ```
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.vec.reserve(additional);
    }

    /// Makes room for at least `additional` more bytes, or returns an error.
    ///
    /// # Errors
    ///
    /// The [`AllocError`]; the string is unchanged.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::fixed(8);
    /// let mut s = arena_pool::collections::String::new_in(&arena);
    /// assert!(s.try_reserve(9).is_err());
    /// ```
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        self.vec.try_reserve(additional)
    }

    /// Appends a character.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::new_in(&arena);
    /// s.push('a');
    /// s.push('é');
    /// assert_eq!(s, "aé");
    /// ```
    #[inline]
    pub fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.vec.push(c as u8);
        } else {
            self.push_str(c.encode_utf8(&mut [0; 4]));
        }
    }

    /// Appends a string slice.
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::new_in(&arena);
    /// s.push_str("ab");
    /// s.push_str("cd");
    /// assert_eq!(s, "abcd");
    /// ```
    #[inline]
    pub fn push_str(&mut self, s: &str) {
        self.vec.extend_from_slice_copy(s.as_bytes());
    }

    /// Appends a string slice, or returns an error (the string unchanged).
    ///
    /// # Errors
    ///
    /// The [`AllocError`] if the string must grow and the arena cannot
    /// allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::fixed(8);
    /// let mut s = arena_pool::collections::String::new_in(&arena);
    /// assert!(s.try_push_str("123456789").is_err());
    /// assert!(s.try_push_str("12345678").is_ok());
    /// ```
    pub fn try_push_str(&mut self, s: &str) -> Result<(), AllocError> {
        self.vec.try_extend_from_slice_copy(s.as_bytes())
    }

    /// Removes and returns the last character.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("aé", &arena);
    /// assert_eq!(s.pop(), Some('é'));
    /// assert_eq!(s, "a");
    /// ```
    pub fn pop(&mut self) -> Option<char> {
        let c = self.as_str().chars().next_back()?;
        self.vec.truncate(self.len() - c.len_utf8());
        Some(c)
    }

    /// Keeps the first `len` bytes; does nothing if the string is not
    /// longer.
    ///
    /// # Panics
    ///
    /// Panics if `len` is not on a character boundary.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("abc", &arena);
    /// s.truncate(1);
    /// assert_eq!(s, "a");
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len < self.len() {
            assert!(
                self.as_str().is_char_boundary(len),
                "truncate at {len}: not a character boundary"
            );
            self.vec.truncate(len);
        }
    }

    /// Gives back the unused capacity when the buffer is the arena's most
    /// recent growable block; see [`Vec::shrink_to_fit`].
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::with_capacity_in(64, &arena);
    /// s.push_str("ab");
    /// s.shrink_to_fit();
    /// assert_eq!(s.capacity(), 2);
    /// ```
    pub fn shrink_to_fit(&mut self) {
        self.vec.shrink_to_fit();
    }

    /// Empties the string, keeping its capacity.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("abc", &arena);
    /// s.clear();
    /// assert!(s.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.vec.clear();
    }

    /// Inserts a string slice at byte index `index`.
    ///
    /// # Panics
    ///
    /// Panics if `index` is out of bounds or not on a character boundary, or
    /// if the arena cannot allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("ad", &arena);
    /// s.insert_str(1, "bc");
    /// assert_eq!(s, "abcd");
    /// ```
    pub fn insert_str(&mut self, index: usize, s: &str) {
        assert!(
            self.as_str().is_char_boundary(index),
            "insert at {index}: out of bounds or not a character boundary"
        );
        self.vec.extend_from_slice_copy(s.as_bytes());
        self.vec[index..].rotate_right(s.len());
    }

    /// Inserts a character at byte index `index`.
    ///
    /// # Panics
    ///
    /// As for [`insert_str`](String::insert_str).
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("ac", &arena);
    /// s.insert(1, 'b');
    /// assert_eq!(s, "abc");
    /// ```
    pub fn insert(&mut self, index: usize, c: char) {
        self.insert_str(index, c.encode_utf8(&mut [0; 4]));
    }

    /// Removes and returns the character at byte index `index`.
    ///
    /// # Panics
    ///
    /// Panics if `index` is not the start of a character.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("aéb", &arena);
    /// assert_eq!(s.remove(1), 'é');
    /// assert_eq!(s, "ab");
    /// ```
    pub fn remove(&mut self, index: usize) -> char {
        let c = self.as_str()[index..]
            .chars()
            .next()
            .expect("remove index is at the end of the string");
        let width = c.len_utf8();
        self.vec[index..].rotate_left(width);
        self.vec.truncate(self.len() - width);
        c
    }

    /// Keeps only the characters for which `keep` returns `true`.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("a1b2", &arena);
    /// s.retain(|c| c.is_alphabetic());
    /// assert_eq!(s, "ab");
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(char) -> bool) {
        let mut read = 0;
        let mut write = 0;
        while let Some(c) = self.as_str()[read..].chars().next() {
            let width = c.len_utf8();
            if keep(c) {
                self.vec.copy_within(read..read + width, write);
                write += width;
            }
            read += width;
        }
        // The bytes up to `write` are the kept characters, whole, in order.
        self.vec.truncate(write);
    }

    /// Splits the string at byte index `at`: `self` keeps `[0, at)` and the
    /// returned string gets the rest.
    ///
    /// # Panics
    ///
    /// Panics if `at` is not on a character boundary, or if the arena cannot
    /// allocate.
    ///
    /// ```
    /// # let arena = arena_pool::Arena::new();
    /// let mut s = arena_pool::collections::String::from_str_in("ab", &arena);
    /// let b = s.split_off(1);
    /// assert_eq!((s.as_str(), b.as_str()), ("a", "b"));
    /// ```
    #[must_use = "use `truncate` to drop the tail"]
    pub fn split_off(&mut self, at: usize) -> Self {
        assert!(
            self.as_str().is_char_boundary(at),
            "split at {at}: out of bounds or not a character boundary"
        );
        Self {
            vec: self.vec.split_off(at),
        }
    }
}

impl crate::Arena {
    /// Formats `args` straight into the arena and returns the text: the
    /// `&str` counterpart of [`format!`](crate::format).
    ///
    /// # Panics
    ///
    /// Panics if the arena cannot allocate, or if a formatting trait
    /// implementation returns an error.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// let s: &str = arena.alloc_fmt(format_args!("{}+{}", 1, 2));
    /// assert_eq!(s, "1+2");
    /// ```
    #[allow(clippy::mut_from_ref)]
    pub fn alloc_fmt(&self, args: fmt::Arguments<'_>) -> &mut str {
        String::from_fmt_in(args, self).into_str()
    }
}

impl Deref for String<'_> {
    type Target = str;

    #[inline(always)]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl DerefMut for String<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut str {
        self.as_mut_str()
    }
}

impl AsRef<str> for String<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for String<'_> {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<str> for String<'_> {
    fn borrow(&self) -> &str {
        self
    }
}

impl BorrowMut<str> for String<'_> {
    fn borrow_mut(&mut self) -> &mut str {
        self
    }
}

impl Hash for String<'_> {
    /// Hashes as the `str` does, so that `Borrow<str>` lookups work.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for String<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for String<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Write for String<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }

    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.push(c);
        Ok(())
    }
}

impl PartialEq<str> for String<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for String<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String<'_>> for str {
    fn eq(&self, other: &String<'_>) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<String<'_>> for &str {
    fn eq(&self, other: &String<'_>) -> bool {
        *self == other.as_str()
    }
}

impl<'c> Extend<&'c str> for String<'_> {
    fn extend<I: IntoIterator<Item = &'c str>>(&mut self, iter: I) {
        for s in iter {
            self.push_str(s);
        }
    }
}

impl Extend<char> for String<'_> {
    fn extend<I: IntoIterator<Item = char>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        let _ = self.try_reserve(super::vec::hint_to_reserve::<u8>(iter.size_hint().0));
        for c in iter {
            self.push(c);
        }
    }
}

impl<'a> FromIteratorIn<'a, char> for String<'a> {
    fn from_iter_in_arena<I: IntoIterator<Item = char>>(iter: I, arena: impl ArenaRef<'a>) -> Self {
        let mut s = Self::new_in(arena);
        s.extend(iter);
        s
    }
}

impl<'a, 'c> FromIteratorIn<'a, &'c str> for String<'a> {
    fn from_iter_in_arena<I: IntoIterator<Item = &'c str>>(
        iter: I,
        arena: impl ArenaRef<'a>,
    ) -> Self {
        let mut s = Self::new_in(arena);
        s.extend(iter);
        s
    }
}

#[cfg(feature = "std")]
impl std::io::Write for Vec<'_, u8> {
    /// Appends all of `buf`; fails only if the arena cannot allocate.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.try_reserve(buf.len()).map_err(std::io::Error::other)?;
        self.extend_from_slice_copy(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
