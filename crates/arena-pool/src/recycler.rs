//! [`Recycler`]: keeps objects for reuse instead of dropping them.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};

use crate::sync_pool::{IndexSet, Slots};

/// How many idle objects [`Recycler::new`] keeps.
pub const DEFAULT_MAX_IDLE: usize = 64;

type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;
type Reset<T> = Box<dyn Fn(&mut T) + Send + Sync>;

/// Keeps objects (buffers, connections) for reuse, shared by any number of
/// threads.
///
/// [`pull`](Self::pull) hands out an idle object, or a new one from the
/// factory when none is idle; when the [`Recycled`] guard drops, the object
/// goes through the reset hook (if any) and comes back, unless
/// `max_idle` objects are already idle, in which case it is dropped. Both
/// are lock-free, and each thread keeps a few idle objects in a cache of its
/// own (as [`SyncPool`](crate::SyncPool) does), so a thread that returns an
/// object and pulls again does not touch memory other threads write.
///
/// `Recycler<T>` is `Send` and `Sync` when `T` is `Send`.
///
/// ```
/// use arena_pool::Recycler;
///
/// let buffers = Recycler::new(|| Vec::<u8>::with_capacity(1024)).with_reset(Vec::clear);
/// let capacity = {
///     let mut buf = buffers.pull();
///     buf.extend_from_slice(b"hello");
///     buf.capacity()
/// };
/// let buf = buffers.pull(); // the same buffer, cleared
/// assert!(buf.is_empty());
/// assert_eq!(buf.capacity(), capacity);
/// ```
pub struct Recycler<T> {
    values: Slots<T>,
    /// Slots holding an idle object.
    idle: IndexSet,
    /// Slots holding nothing.
    vacant: IndexSet,
    factory: Factory<T>,
    reset: Option<Reset<T>>,
}

// SAFETY: the recycler owns the idle objects in its slots, so moving it
// moves `T`s; the hooks are `Send + Sync`.
unsafe impl<T: Send> Send for Recycler<T> {}
// SAFETY: through `&Recycler` an object moves in or out of a slot that the
// index sets give to one thread at a time (acquire/release between them);
// objects cross threads, no `&T` is shared.
unsafe impl<T: Send> Sync for Recycler<T> {}

impl<T> Recycler<T> {
    /// A recycler that makes objects with `factory` and keeps up to
    /// [`DEFAULT_MAX_IDLE`] idle ones.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let strings = Recycler::new(String::new);
    /// assert_eq!(strings.max_idle(), arena_pool::DEFAULT_MAX_IDLE);
    /// assert_eq!(*strings.pull(), "");
    /// ```
    pub fn new(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self::with_max_idle(DEFAULT_MAX_IDLE, factory)
    }

    /// A recycler that makes objects with `factory` and keeps up to
    /// `max_idle` idle ones (0 keeps none).
    ///
    /// # Panics
    ///
    /// If `max_idle` exceeds `u32::MAX - 1`, or the memory for it cannot be
    /// allocated.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::with_max_idle(1, || vec![0u8; 16]);
    /// let (a, b) = (r.pull(), r.pull());
    /// drop((a, b));
    /// assert_eq!(r.idle(), 1); // the second one was dropped
    /// ```
    pub fn with_max_idle(max_idle: usize, factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let values = Slots::new(max_idle);
        Self {
            idle: IndexSet::new(max_idle, false, values.tokens()),
            vacant: IndexSet::new(max_idle, true, values.tokens()),
            values,
            factory: Box::new(factory),
            reset: None,
        }
    }

    /// Sets the hook that runs on every object coming back, before it is
    /// kept (`Vec::clear`, say).
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(Vec::<u32>::new).with_reset(|v| v.clear());
    /// r.pull().push(1);
    /// assert!(r.pull().is_empty());
    /// ```
    #[must_use]
    pub fn with_reset(mut self, reset: impl Fn(&mut T) + Send + Sync + 'static) -> Self {
        self.reset = Some(Box::new(reset));
        self
    }

    /// An idle object, or a new one from the factory.
    ///
    /// # Panics
    ///
    /// If the factory panics.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(|| 5);
    /// let mut n = r.pull();
    /// *n += 1;
    /// drop(n);
    /// assert_eq!(*r.pull(), 6); // no reset hook: kept as it was
    /// ```
    #[inline]
    pub fn pull(&self) -> Recycled<'_, T> {
        Recycled {
            value: ManuallyDrop::new(self.take()),
            home: self,
        }
    }

    /// As [`pull`](Self::pull), with a guard that keeps the recycler alive
    /// through an `Arc`, so it can be `'static`.
    ///
    /// # Panics
    ///
    /// If the factory panics.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::Recycler;
    ///
    /// let r = Arc::new(Recycler::new(String::new).with_reset(String::clear));
    /// let mut s = r.pull_owned();
    /// std::thread::spawn(move || s.push_str("used")).join().unwrap();
    /// assert_eq!(*r.pull(), "");
    /// ```
    #[inline]
    pub fn pull_owned(self: &Arc<Self>) -> RecycledOwned<T> {
        RecycledOwned {
            value: ManuallyDrop::new(self.take()),
            home: Arc::clone(self),
        }
    }

    #[inline]
    fn take(&self) -> T {
        match self.idle.pop(false) {
            Some(token) => {
                // SAFETY: the token came out of the idle set, so the slot
                // holds an object and this thread alone owns it until the
                // token goes into the vacant set below.
                let value = unsafe { self.values.ptr(token).as_ptr().read() };
                self.vacant.push(token);
                value
            }
            None => (self.factory)(),
        }
    }

    /// Resets `value` and keeps it if there is room.
    #[inline]
    fn give_back(&self, mut value: T) {
        if let Some(reset) = &self.reset {
            // A panic here drops `value` while unwinding; nothing else
            // changed.
            reset(&mut value);
        }
        if let Some(token) = self.vacant.pop(true) {
            // SAFETY: the token came out of the vacant set, so the slot is
            // empty and this thread alone owns it until the token goes into
            // the idle set below.
            unsafe { self.values.ptr(token).as_ptr().write(value) };
            self.idle.push(token);
        }
    }

    /// How many idle objects are kept. Exact when no other thread is using
    /// the recycler at the same time.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(|| 0u8);
    /// assert_eq!(r.idle(), 0);
    /// drop(r.pull());
    /// assert_eq!(r.idle(), 1);
    /// ```
    pub fn idle(&self) -> usize {
        self.idle.len()
    }

    /// The most idle objects kept.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// assert_eq!(Recycler::with_max_idle(3, || 0).max_idle(), 3);
    /// ```
    pub fn max_idle(&self) -> usize {
        self.values.len()
    }
}

impl<T> Drop for Recycler<T> {
    fn drop(&mut self) {
        /// The idle objects not dropped yet. When one object's drop panics,
        /// this value drops while unwinding and drops the rest, as `Vec`
        /// does.
        struct DropRest<'a, T> {
            values: &'a Slots<T>,
            tokens: alloc::vec::IntoIter<usize>,
        }
        impl<T> DropRest<'_, T> {
            fn drop_all(&mut self) {
                for token in self.tokens.by_ref() {
                    // SAFETY: with `&mut Recycler` no guard is out and no
                    // thread is in a call; every token drained from the idle
                    // set names a slot holding an object, and the iterator
                    // yields each once, so each is dropped once.
                    unsafe { self.values.ptr(token).as_ptr().drop_in_place() };
                }
            }
        }
        impl<T> Drop for DropRest<'_, T> {
            fn drop(&mut self) {
                self.drop_all();
            }
        }
        let mut rest = DropRest {
            values: &self.values,
            tokens: self.idle.drain().into_iter(),
        };
        rest.drop_all();
    }
}

impl<T> fmt::Debug for Recycler<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recycler")
            .field("idle", &self.idle())
            .field("max_idle", &self.max_idle())
            .finish_non_exhaustive()
    }
}

/// An object pulled from a [`Recycler`]; dropping it gives the object back.
///
/// ```
/// use arena_pool::{Recycled, Recycler};
///
/// let r = Recycler::new(|| vec![0u8; 4]);
/// let buf: Recycled<'_, Vec<u8>> = r.pull();
/// assert_eq!(buf.len(), 4);
/// let kept: Vec<u8> = buf.detach(); // not given back
/// assert_eq!(r.idle(), 0);
/// # drop(kept);
/// ```
pub struct Recycled<'a, T> {
    value: ManuallyDrop<T>,
    home: &'a Recycler<T>,
}

impl<T> Recycled<'_, T> {
    /// Takes the object for good: it will not go back to the recycler.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(String::new);
    /// let s: String = r.pull().detach();
    /// assert_eq!(s, "");
    /// ```
    pub fn detach(self) -> T {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is taken once.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }
}

impl<T> Deref for Recycled<'_, T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Recycled<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T> Drop for Recycled<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the value is taken once, here, and the field not used
        // again.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.home.give_back(value);
    }
}

impl<T: fmt::Debug> fmt::Debug for Recycled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// An object pulled with [`Recycler::pull_owned`]: keeps the recycler alive
/// through an `Arc`; dropping it gives the object back.
///
/// ```
/// use std::sync::Arc;
/// use arena_pool::{RecycledOwned, Recycler};
///
/// let r = Arc::new(Recycler::new(|| 1u64));
/// let one: RecycledOwned<u64> = r.pull_owned();
/// drop(r);
/// assert_eq!(*one, 1);
/// ```
pub struct RecycledOwned<T> {
    value: ManuallyDrop<T>,
    home: Arc<Recycler<T>>,
}

impl<T> RecycledOwned<T> {
    /// Takes the object for good: it will not go back to the recycler.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::Recycler;
    ///
    /// let r = Arc::new(Recycler::new(|| 3));
    /// assert_eq!(r.pull_owned().detach(), 3);
    /// assert_eq!(r.idle(), 0);
    /// ```
    pub fn detach(self) -> T {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is taken once.
        let value = unsafe { ManuallyDrop::take(&mut this.value) };
        // SAFETY: the `Arc` is read once and `this` is forgotten, so it is
        // dropped exactly once.
        drop(unsafe { core::ptr::read(&this.home) });
        value
    }
}

impl<T> Deref for RecycledOwned<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for RecycledOwned<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T> Drop for RecycledOwned<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the value is taken once, here, and the field not used
        // again.
        let value = unsafe { ManuallyDrop::take(&mut self.value) };
        self.home.give_back(value);
    }
}

impl<T: fmt::Debug> fmt::Debug for RecycledOwned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
