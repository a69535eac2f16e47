//! [`StaticPool`]: a fixed set of slots that lives in a `static`, needs no
//! heap and no `std`, and hands out boxes through `&self` with atomics only.
//!
//! The free slots are a [`FreeBitmap`] over an array of words, the same
//! free set as [`SyncPool`](crate::SyncPool)'s shared layer: a slot is owned
//! by whoever's `fetch_and` cleared its bit, so there is no ABA problem and
//! no tag that could wrap.
//!
//! No step waits for another context to make progress, so an interrupt
//! handler may allocate and free while the code it interrupted is in the
//! middle of either. An `alloc` first reserves one from the count of free
//! slots (a compare-and-swap loop that retries only when another context
//! changed the count), then clears a bit. The count never exceeds the set
//! bits less those reserved by takes still searching, so a handler that got
//! a reservation finds a set bit in one pass over the words even if the
//! context it interrupted holds a reservation of its own and never runs
//! meanwhile; a free sets its bit before it adds to the count, so an
//! interrupted free only makes its slot count as in use a little longer.
//! A pool of one word (up to 32 or 64 slots) needs no count: an `alloc` is
//! a load and one `fetch_and` that it retries only if another context took
//! the bit in between, a free one `fetch_or`.

use core::fmt;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ops::{Deref, DerefMut};

use crate::bitmap::{FreeBitmap, word_count};
use crate::pool::Full;
use crate::sync::{AtomicUsize, RawCell};

/// The number of bitmap words a [`StaticPool`] of `capacity` slots has: its
/// third parameter, `capacity` divided by the pointer's width in bits,
/// rounded up. [`static_pool!`](crate::static_pool!) writes it for you.
///
/// ```
/// use arena_pool::{StaticPool, static_pool_words};
///
/// assert_eq!(static_pool_words(0), 0);
/// assert_eq!(static_pool_words(1), 1);
/// assert_eq!(static_pool_words(usize::BITS as usize + 1), 2);
///
/// static POOL: StaticPool<u32, 100, { static_pool_words(100) }> = StaticPool::new();
/// assert_eq!(POOL.capacity(), 100);
/// ```
#[must_use]
pub const fn static_pool_words(capacity: usize) -> usize {
    word_count(capacity)
}

/// Declares a `static` [`StaticPool`] of `N` slots for values of type `T`,
/// filling in the number of bitmap words: `static_pool!(static NAME: [T; N]);`
/// with optional attributes and visibility before `static`.
///
/// ```
/// use arena_pool::static_pool;
///
/// static_pool!(
///     /// Buffers for received frames.
///     pub static FRAMES: [[u8; 64]; 8]
/// );
///
/// let frame = FRAMES.alloc([0; 64]);
/// assert_eq!(FRAMES.len(), 1);
/// drop(frame);
/// assert_eq!(FRAMES.available(), 8);
/// ```
#[macro_export]
macro_rules! static_pool {
    ($(#[$attr:meta])* $vis:vis static $name:ident: [$value:ty; $capacity:expr] $(;)?) => {
        $(#[$attr])*
        $vis static $name: $crate::StaticPool<
            $value,
            { $capacity },
            { $crate::static_pool_words($capacity) },
        > = $crate::StaticPool::new();
    };
}

/// A fixed set of `N` slots for values of type `T` that lives in a `static`
/// (or anywhere else), with no heap, no `std` and no lock: [`alloc`] moves a
/// value into a free slot through `&self` and returns a [`StaticBox`] that
/// frees the slot when dropped.
///
/// `W` is the number of bitmap words, [`static_pool_words(N)`]; the
/// [`static_pool!`](crate::static_pool!) macro writes it, and any other
/// value is a compile error. (Stable Rust cannot compute it from `N` inside
/// the type.)
///
/// The pool is `Sync` when `T` is `Send`: values move in on one thread or
/// interrupt handler and may be dropped on another, but no `&T` is ever
/// shared through the pool. It is lock-free and uses only pointer-wide
/// atomics with compare-and-swap, so it works on targets without 64-bit
/// atomics (such as `thumbv7em-none-eabihf`), and from an interrupt handler
/// that preempts a thread in the middle of an `alloc` or a drop: no step
/// waits for another context. A slot whose box is being dropped in the
/// interrupted context counts as free only once that drop has finished.
///
/// Compared with heapless's `box_pool!`: the memory is part of the pool (no
/// `manage` of blocks), the box borrows the pool (so pools need not be
/// singletons, and a pool in a local works too), and the free list is a
/// bitmap rather than a tagged stack, so it needs neither double-width
/// atomics nor load-linked/store-conditional.
///
/// ```
/// use arena_pool::{StaticPool, static_pool};
///
/// #[derive(Debug, PartialEq)]
/// struct Msg {
///     id: u32,
///     body: [u8; 16],
/// }
///
/// static_pool!(static MESSAGES: [Msg; 4]);
///
/// let mut msg = MESSAGES.alloc(Msg { id: 1, body: [0; 16] });
/// msg.body[0] = 42;
/// assert_eq!(MESSAGES.len(), 1);
/// let msg = msg.into_inner();
/// assert_eq!(msg.body[0], 42);
/// assert!(MESSAGES.is_empty());
///
/// // The same type, spelt out, works in a local too.
/// let local: StaticPool<u8, 2, 1> = StaticPool::new();
/// let a = local.alloc(1);
/// let b = local.alloc(2);
/// assert_eq!(local.try_alloc(3).unwrap_err().into_value(), 3);
/// assert_eq!(*a + *b, 3);
/// ```
///
/// [`alloc`]: StaticPool::alloc
/// [`static_pool_words(N)`]: static_pool_words
pub struct StaticPool<T, const N: usize, const W: usize> {
    /// Invariant: slot `i` holds a value exactly while its index is out of
    /// `free`, and then one [`StaticBox`] owns it (or one was forgotten).
    slots: [RawCell<MaybeUninit<T>>; N],
    /// The free slots' indices.
    free: FreeBitmap<[AtomicUsize; W]>,
}

// SAFETY: `&StaticPool` lets a context move a value into a slot it alone
// owns (the free set hands each index to one owner at a time, with
// acquire/release ordering between owners) and out of it through the box;
// so values cross threads, which needs `T: Send`, and no `&T` is shared
// through the pool. The rest is atomics. (`Send` is the automatic one: the
// slots are `Send` when `T` is.)
unsafe impl<T: Send, const N: usize, const W: usize> Sync for StaticPool<T, N, W> {}

impl<T, const N: usize, const W: usize> StaticPool<T, N, W> {
    /// An empty pool of `N` slots, in a `const` context too.
    ///
    /// `W` must be [`static_pool_words(N)`](static_pool_words), and `N` at
    /// most `u32::MAX`; otherwise this does not compile.
    ///
    /// ```
    /// use arena_pool::{StaticPool, static_pool_words};
    ///
    /// static POOL: StaticPool<u64, 8, { static_pool_words(8) }> = StaticPool::new();
    /// assert_eq!(POOL.capacity(), 8);
    /// assert!(POOL.is_empty());
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    pub const fn new() -> Self {
        const {
            assert!(
                W == word_count(N) && N <= u32::MAX as usize,
                "StaticPool<T, N, W>: W must be static_pool_words(N), and N at most u32::MAX"
            );
        }
        Self {
            slots: [const { RawCell::new(MaybeUninit::uninit()) }; N],
            free: FreeBitmap::full(N),
        }
    }

    /// An empty pool of `N` slots (under loom, whose atomics are built at
    /// run time).
    #[cfg(loom)]
    #[must_use]
    pub fn new() -> Self {
        const {
            assert!(
                W == word_count(N) && N <= u32::MAX as usize,
                "StaticPool<T, N, W>: W must be static_pool_words(N), and N at most u32::MAX"
            );
        }
        Self {
            slots: core::array::from_fn(|_| RawCell::new(MaybeUninit::uninit())),
            free: FreeBitmap::full(N),
        }
    }

    /// Moves `value` into a free slot.
    ///
    /// # Panics
    ///
    /// When every slot is in use (see [`try_alloc`](Self::try_alloc)).
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static NAMES: [&str; 2]);
    ///
    /// let mut name = NAMES.alloc("first");
    /// *name = "changed";
    /// assert_eq!(*name, "changed");
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc(&self, value: T) -> StaticBox<'_, T> {
        match self.try_alloc(value) {
            Ok(boxed) => boxed,
            Err(full) => full_pool(full),
        }
    }

    /// Moves `value` into a free slot, or gives it back.
    ///
    /// # Errors
    ///
    /// [`Full`], holding `value`, when every slot is in use: exactly when
    /// every slot's box is alive, or a box's drop has not finished yet (it
    /// is running on another thread, or in the context an interrupt
    /// handler interrupted).
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static ONE: [u32; 1]);
    ///
    /// let first = ONE.try_alloc(1).unwrap();
    /// let full = ONE.try_alloc(2).unwrap_err();
    /// assert_eq!(full.into_value(), 2);
    /// drop(first);
    /// assert_eq!(*ONE.try_alloc(3).unwrap(), 3);
    /// ```
    #[inline]
    pub fn try_alloc(&self, value: T) -> Result<StaticBox<'_, T>, Full<T>> {
        let Some(index) = self.free.take_one() else {
            return Err(Full::new(value, N));
        };
        let slot = &self.slots[index as usize];
        // SAFETY: the free set handed `index` to this call alone, so no
        // other context touches the slot until it is given back; the take's
        // acquire ordering makes the last owner's drop happen before this
        // write. The slot holds no value (its index was free).
        unsafe { slot.get().write(MaybeUninit::new(value)) };
        Ok(StaticBox {
            slot,
            free: &self.free,
            index,
        })
    }

    /// How many slots hold a value: boxes alive, counting those whose drop
    /// is under way. With other threads at work, a snapshot.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [char; 3]);
    ///
    /// let a = POOL.alloc('a');
    /// let _b = POOL.alloc('b');
    /// assert_eq!(POOL.len(), 2);
    /// drop(a);
    /// assert_eq!(POOL.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        N - self.free.len()
    }

    /// Whether no slot holds a value.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [u8; 1]);
    ///
    /// assert!(POOL.is_empty());
    /// let _a = POOL.alloc(1);
    /// assert!(!POOL.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many slots are free: `capacity() - len()`.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [u8; 4]);
    ///
    /// let _a = POOL.alloc(1);
    /// assert_eq!(POOL.available(), 3);
    /// ```
    #[inline]
    pub fn available(&self) -> usize {
        self.free.len()
    }

    /// The number of slots, `N`.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [u8; 16]);
    ///
    /// assert_eq!(POOL.capacity(), 16);
    /// ```
    #[inline]
    pub const fn capacity(&self) -> usize {
        N
    }
}

impl<T, const N: usize, const W: usize> Default for StaticPool<T, N, W> {
    /// An empty pool, as [`new`](Self::new).
    ///
    /// ```
    /// use arena_pool::StaticPool;
    ///
    /// let pool: StaticPool<u8, 4, 1> = StaticPool::default();
    /// assert_eq!(pool.available(), 4);
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize, const W: usize> fmt::Debug for StaticPool<T, N, W> {
    /// The capacity and the number of live values (the values are not
    /// reachable through the pool).
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [u8; 2]);
    ///
    /// let _a = POOL.alloc(7);
    /// assert_eq!(format!("{POOL:?}"), "StaticPool { capacity: 2, len: 1, .. }");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticPool")
            .field("capacity", &N)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// The panic of [`StaticPool::alloc`] on a full pool; drops the value first.
#[cold]
#[inline(never)]
#[track_caller]
fn full_pool<T>(full: Full<T>) -> ! {
    let slots = full.slots();
    drop(full.into_value());
    panic!("StaticPool is full: no free slot among its {slots} slots")
}

/// A value in a [`StaticPool`] slot, borrowed from the pool; dropping it
/// drops the value and frees the slot (also when the value's `Drop`
/// panics).
///
/// `StaticBox<T>` is `Send` when `T` is `Send` (it can be dropped on any
/// thread or in an interrupt handler) and `Sync` when `T` is `Sync`.
///
/// ```
/// use arena_pool::{StaticBox, static_pool};
///
/// static_pool!(static POOL: [[u16; 4]; 2]);
///
/// let mut boxed: StaticBox<'static, [u16; 4]> = POOL.alloc([1, 2, 3, 0]);
/// boxed[3] = 4;
/// assert_eq!(boxed.iter().sum::<u16>(), 10);
/// assert_eq!(boxed.into_inner(), [1, 2, 3, 4]);
/// assert!(POOL.is_empty());
/// ```
pub struct StaticBox<'pool, T> {
    /// The slot, which holds a value this box owns.
    slot: &'pool RawCell<MaybeUninit<T>>,
    /// The pool's free set, where the slot goes back.
    free: &'pool FreeBitmap<[AtomicUsize]>,
    /// The slot's index in the pool.
    index: u32,
}

// SAFETY: the box owns its value exclusively; moving the box moves
// ownership of a `T` (hence `T: Send`), and the free set is atomics.
unsafe impl<T: Send> Send for StaticBox<'_, T> {}
// SAFETY: `&StaticBox` gives only `&T`.
unsafe impl<T: Sync> Sync for StaticBox<'_, T> {}

impl<T> StaticBox<'_, T> {
    /// Moves the value out and frees its slot.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [String; 1]);
    ///
    /// let name = POOL.alloc(String::from("x")).into_inner();
    /// assert_eq!(name, "x");
    /// assert!(POOL.try_alloc(String::new()).is_ok());
    /// ```
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: the slot holds a value the box owns; `this` is never
        // dropped, so the value is not used again after this read.
        let value = unsafe { this.slot.get().read().assume_init() };
        this.free.give([this.index]);
        value
    }
}

impl<T> Deref for StaticBox<'_, T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the slot holds a live value the box owns.
        unsafe { (*self.slot.get()).assume_init_ref() }
    }
}

impl<T> DerefMut for StaticBox<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the slot holds a live value the box owns exclusively.
        unsafe { (*self.slot.get()).assume_init_mut() }
    }
}

impl<T> Drop for StaticBox<'_, T> {
    #[inline]
    fn drop(&mut self) {
        /// Gives the slot back when dropped, so that a panic in the value's
        /// `Drop` does not lose it.
        struct GiveBack<'a> {
            free: &'a FreeBitmap<[AtomicUsize]>,
            index: u32,
        }
        impl Drop for GiveBack<'_> {
            #[inline]
            fn drop(&mut self) {
                self.free.give([self.index]);
            }
        }
        let _give_back = GiveBack {
            free: self.free,
            index: self.index,
        };
        // SAFETY: the slot holds a value the box owns, and the box is going
        // away; the slot is given back only after this (or after it
        // unwinds), and the value counts as dropped either way.
        unsafe { (*self.slot.get()).assume_init_drop() }
    }
}

impl<T: fmt::Debug> fmt::Debug for StaticBox<'_, T> {
    /// The value's `Debug`.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [(u8, char); 1]);
    ///
    /// assert_eq!(format!("{:?}", POOL.alloc((1, 'x'))), "(1, 'x')");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Display> fmt::Display for StaticBox<'_, T> {
    /// The value's `Display`.
    ///
    /// ```
    /// use arena_pool::static_pool;
    ///
    /// static_pool!(static POOL: [u32; 1]);
    ///
    /// assert_eq!(POOL.alloc(7).to_string(), "7");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
