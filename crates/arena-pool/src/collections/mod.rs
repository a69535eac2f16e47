//! Collections and owned values in an arena: [`Vec`], [`String`], a
//! [`format!`](crate::format) macro and a [`Box`] that runs `Drop`.
//!
//! They work on stable Rust with no feature flag, in an [`Arena`] or a
//! [`Scope`]: anything that implements [`ArenaRef`]. Each
//! borrows its arena (or scope) for its lifetime `'a`, so the borrow checker
//! keeps it from outliving the arena, a [`reset`](Arena::reset) or the end
//! of a scope.
//!
//! For bumpalo users: `bumpalo::collections::{Vec, String}` become
//! `arena_pool::collections::{Vec, String}`, `bumpalo::boxed::Box` becomes
//! [`Box`], `bumpalo::format!(in &bump, ...)` becomes
//! `arena_pool::format!(in &arena, ...)`, `into_bump_slice` /
//! `into_bump_str` become [`Vec::into_slice`] / [`String::into_str`], and
//! `bumpalo::collections::CollectIn` becomes [`CollectIn`].
//!
//! ```
//! use arena_pool::Arena;
//! use arena_pool::collections::{CollectIn, String, Vec};
//!
//! let arena = Arena::new();
//! let words: Vec<&str> = "a b c".split(' ').collect_in(&arena);
//! let mut line = String::new_in(&arena);
//! for word in &words {
//!     line.push_str(word);
//! }
//! assert_eq!(line, "abc");
//! let greeting: &str = arena_pool::format!(in &arena, "{line}!").into_str();
//! assert_eq!(greeting, "abc!");
//! ```

mod boxed;
mod raw;
#[cfg(feature = "serde")]
pub mod serde;
mod string;
mod vec;

pub use boxed::Box;
pub use string::String;
pub(crate) use vec::hint_to_reserve;
pub use vec::{Drain, FromIteratorIn, IntoIter, Vec};

use crate::{Arena, Scope};

/// Where a collection allocates: `&Arena`, `&Scope`, or `&&mut Scope` (what
/// `&scope` gives inside [`Arena::scope`]'s closure).
///
/// A collection made from a scope borrows the scope, so no nested scope can
/// run, and rewind the arena under it, while the collection lives. The trait
/// is sealed.
///
/// ```
/// use arena_pool::{Arena, collections::Vec};
///
/// let mut arena = Arena::new();
/// let sum: u32 = arena.scope(|scope| {
///     let mut v = Vec::new_in(&scope);
///     v.extend([1, 2, 3]);
///     v.iter().sum()
/// });
/// assert_eq!(sum, 6);
/// ```
///
/// A collection cannot escape its scope:
///
/// ```compile_fail
/// use arena_pool::{Arena, collections::Vec};
///
/// let mut arena = Arena::new();
/// let v = arena.scope(|scope| Vec::<u8>::new_in(&scope));
/// ```
pub trait ArenaRef<'a>: sealed::Sealed {
    /// The arena to allocate from, borrowed for `'a`.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::ArenaRef};
    ///
    /// let arena = Arena::new();
    /// assert!(core::ptr::eq((&arena).arena(), &arena));
    /// ```
    fn arena(self) -> &'a Arena;
}

impl<'a> ArenaRef<'a> for &'a Arena {
    #[inline(always)]
    fn arena(self) -> &'a Arena {
        self
    }
}

impl<'a> ArenaRef<'a> for &'a Scope<'_> {
    #[inline(always)]
    fn arena(self) -> &'a Arena {
        Scope::arena(self)
    }
}

impl<'a> ArenaRef<'a> for &'a &mut Scope<'_> {
    #[inline(always)]
    fn arena(self) -> &'a Arena {
        Scope::arena(self)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for &crate::Arena {}
    impl Sealed for &crate::Scope<'_> {}
    impl Sealed for &&mut crate::Scope<'_> {}
}

/// `collect` into an arena collection: `iter.collect_in::<Vec<_>>(&arena)`.
///
/// ```
/// use arena_pool::{Arena, collections::{CollectIn, Vec}};
///
/// let arena = Arena::new();
/// let evens: Vec<u32> = (0..10).filter(|x| x % 2 == 0).collect_in(&arena);
/// assert_eq!(evens, [0, 2, 4, 6, 8]);
/// ```
pub trait CollectIn: Iterator + Sized {
    /// Collects the items into a `C` allocated in `arena`.
    ///
    /// ```
    /// use arena_pool::{Arena, collections::{CollectIn, String}};
    ///
    /// let arena = Arena::new();
    /// let s: String = "abc".chars().rev().collect_in(&arena);
    /// assert_eq!(s, "cba");
    /// ```
    fn collect_in<'a, C: FromIteratorIn<'a, Self::Item>>(self, arena: impl ArenaRef<'a>) -> C {
        C::from_iter_in_arena(self, arena)
    }
}

impl<I: Iterator> CollectIn for I {}

/// Formats into an arena [`String`], with no intermediate heap string:
/// `format!(in &arena, "{x} and {y}")`. The arena comes first, after `in`,
/// as in bumpalo's macro. Call [`String::into_str`] on the result for a
/// `&mut str` that lives as long as the arena borrow.
///
/// # Panics
///
/// Panics if the arena cannot allocate, or if a `Display` (or other
/// formatting trait) implementation returns an error.
///
/// ```
/// use arena_pool::Arena;
///
/// let arena = Arena::new();
/// let name = "world";
/// let s = arena_pool::format!(in &arena, "hello, {name}: {}", 42);
/// assert_eq!(s, "hello, world: 42");
/// let frozen: &str = arena_pool::format!(in &arena, "{:>4}", 7).into_str();
/// assert_eq!(frozen, "   7");
/// ```
#[macro_export]
macro_rules! format {
    (in $arena:expr, $($arg:tt)*) => {
        $crate::collections::String::from_fmt_in(::core::format_args!($($arg)*), $arena)
    };
}
