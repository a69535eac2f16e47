//! [`Handle`]: a typed slot index and generation.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::num::NonZeroU64;

use super::generation;

/// A key to one value in a [`Pool`](crate::Pool) or
/// [`FixedPool`](crate::FixedPool): a slot index and the generation of the
/// value that was put there.
///
/// A handle is 8 bytes, and so is `Option<Handle<T>>`. It is [`Copy`] and
/// does not borrow the pool. Once its value is removed, the handle reaches
/// nothing ever again: lookups give `None`, because the slot's generation
/// moved on, and a slot whose generation would wrap is retired instead of
/// reused.
///
/// The type parameter ties a handle to the pools of one value type, so a
/// `Handle<Foo>` cannot be used on a `Pool<Bar>`. A handle from another
/// pool of the same type is not detected: it may reach a value there or
/// nothing, but never undefined behaviour.
///
/// ```
/// use arena_pool::{Handle, Pool};
///
/// let mut pool = Pool::new();
/// let h: Handle<&str> = pool.insert("a");
/// assert_eq!(size_of::<Handle<&str>>(), 8);
/// assert_eq!(size_of::<Option<Handle<&str>>>(), 8);
/// assert_eq!(pool.remove(h), Some("a"));
/// assert_eq!(pool.get(h), None);
/// ```
pub struct Handle<T> {
    /// The generation in the high half, the slot index in the low half.
    /// The generation is always odd, the version of an occupied slot:
    /// `new` sets its bit 0, `from_bits` refuses even generations, and
    /// `from_raw` and `from_nonzero` take bits a pool made odd (the free
    /// list's links carry odd generations only). Lookups compare it with
    /// the slot's version; no memory safety rests on it.
    bits: NonZeroU64,
    _marker: PhantomData<fn() -> T>,
}

impl<T> Handle<T> {
    /// A handle for the value at `index` with the occupied `version`.
    #[inline(always)]
    pub(crate) const fn new(index: u32, version: u32) -> Self {
        debug_assert!(generation::is_occupied(version));
        // An occupied version is odd, so `| 1` leaves it as is and shows
        // the compiler the bits are not zero.
        Self::from_raw(((version | 1) as u64) << 32 | index as u64)
    }

    /// The handle of `bits` (generation in the high half, index in the low
    /// half), whose generation the caller made odd. Setting bit 32 where
    /// the compiler sees it also shows it that the bits are not zero.
    #[inline(always)]
    pub(crate) const fn from_raw(bits: u64) -> Self {
        debug_assert!(generation::is_occupied((bits >> 32) as u32));
        Self {
            bits: match NonZeroU64::new(bits) {
                Some(bits) => bits,
                None => NonZeroU64::MAX,
            },
            _marker: PhantomData,
        }
    }

    /// The handle whose bits are `bits`, which the caller made a handle's:
    /// an odd generation in the high half.
    #[inline(always)]
    pub(crate) const fn from_nonzero(bits: NonZeroU64) -> Self {
        debug_assert!(generation::is_occupied((bits.get() >> 32) as u32));
        Self {
            bits,
            _marker: PhantomData,
        }
    }

    /// The handle's bits, known not to be zero.
    #[inline(always)]
    pub(crate) const fn to_nonzero(self) -> NonZeroU64 {
        self.bits
    }

    /// The slot index.
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let a = pool.insert('a');
    /// let b = pool.insert('b');
    /// assert_eq!((a.index(), b.index()), (0, 1));
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn index(self) -> usize {
        self.raw_index() as usize
    }

    /// The generation: how many times the slot was used before, as an odd
    /// number (`1` for its first value, `3` for the second, ...).
    ///
    /// ```
    /// use arena_pool::Pool;
    ///
    /// let mut pool = Pool::new();
    /// let first = pool.insert(1);
    /// pool.remove(first);
    /// let second = pool.insert(2);
    /// assert_eq!(second.index(), first.index());
    /// assert_eq!((first.generation(), second.generation()), (1, 3));
    /// ```
    #[inline(always)]
    #[must_use]
    pub const fn generation(self) -> u32 {
        (self.bits.get() >> 32) as u32
    }

    /// The handle packed into a `u64` (generation in the high half, index in
    /// the low half), for storing it outside Rust; see
    /// [`from_bits`](Handle::from_bits).
    ///
    /// ```
    /// use arena_pool::{Handle, Pool};
    ///
    /// let mut pool = Pool::new();
    /// let h = pool.insert("x");
    /// let bits = h.to_bits();
    /// assert_eq!(Handle::<&str>::from_bits(bits), Some(h));
    /// ```
    #[inline]
    #[must_use]
    pub const fn to_bits(self) -> u64 {
        self.bits.get()
    }

    /// The handle that [`to_bits`](Handle::to_bits) packed, or `None` when
    /// the generation half is even (zero included): pools only give out
    /// odd generations. Any other bits give a handle; one that no pool gave
    /// out simply finds no value.
    ///
    /// ```
    /// use arena_pool::{Handle, Pool};
    ///
    /// assert_eq!(Handle::<u8>::from_bits(7), None);
    /// assert_eq!(Handle::<u8>::from_bits(2 << 32), None);
    /// let forged = Handle::<u8>::from_bits(u64::MAX).unwrap();
    /// let pool: Pool<u8> = Pool::new();
    /// assert_eq!(pool.get(forged), None);
    /// ```
    #[inline]
    #[must_use]
    pub const fn from_bits(bits: u64) -> Option<Self> {
        if !generation::is_occupied((bits >> 32) as u32) {
            return None;
        }
        match NonZeroU64::new(bits) {
            Some(bits) => Some(Self {
                bits,
                _marker: PhantomData,
            }),
            None => None,
        }
    }

    /// The same slot index and generation as a handle of another type.
    #[inline(always)]
    pub(crate) const fn cast<U>(self) -> Handle<U> {
        Handle {
            bits: self.bits,
            _marker: PhantomData,
        }
    }

    /// The raw slot index, for the pools.
    #[inline(always)]
    pub(crate) const fn raw_index(self) -> u32 {
        self.bits.get() as u32
    }
}

impl<T> Clone for Handle<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Handle<T> {}

impl<T> PartialEq for Handle<T> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}

impl<T> Eq for Handle<T> {}

impl<T> PartialOrd for Handle<T> {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Handles order by index, then by generation.
impl<T> Ord for Handle<T> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        (self.raw_index(), self.generation()).cmp(&(other.raw_index(), other.generation()))
    }
}

impl<T> Hash for Handle<T> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_bits().hash(state);
    }
}

impl<T> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({}v{})", self.raw_index(), self.generation())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_niche() {
        assert_eq!(size_of::<Handle<[u8; 100]>>(), 8);
        assert_eq!(size_of::<Option<Handle<[u8; 100]>>>(), 8);
    }

    #[test]
    fn bits_round_trip_and_order() {
        let a = Handle::<u8>::new(3, 5);
        let b = Handle::<u8>::new(4, 1);
        assert_eq!(Handle::from_bits(a.to_bits()), Some(a));
        assert!(a < b);
        assert!(Handle::<u8>::new(3, 7) > a);
        assert_eq!(alloc::format!("{a:?}"), "Handle(3v5)");
    }

    #[test]
    fn send_and_sync_whatever_the_type() {
        fn assert_send_sync<X: Send + Sync>() {}
        assert_send_sync::<Handle<core::cell::Cell<u8>>>();
        assert_send_sync::<Handle<*mut u8>>();
    }
}
