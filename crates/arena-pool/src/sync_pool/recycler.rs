//! [`Recycler`]: keeps objects for reuse instead of dropping them.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use super::{IndexSet, Reclaim, Slots};
use crate::Full;

type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;
type Reset<T> = Box<dyn Fn(&mut T) + Send + Sync>;
type Check<T> = Box<dyn Fn(&mut T) -> bool + Send + Sync>;

/// Keeps objects (buffers, connections) for reuse, shared by any number of
/// threads.
///
/// [`pull`](Self::pull) hands out an idle object, or a new one from the
/// factory when none is idle; when the [`Recycled`] guard drops, the object
/// goes through the reset hook (if any) and comes back, unless
/// `max_idle` objects are already idle, in which case it is dropped. Each
/// thread keeps a few idle objects in a cache of its own (as
/// [`SyncPool`](crate::SyncPool) does), and an object pulled from a slot
/// goes back to the same slot, so a thread that returns an object and pulls
/// again does not touch memory other threads write. Returning never waits:
/// an object that finds no empty slot is dropped at once. A `pull` that
/// finds no idle object in its cache or the shared set takes those cached
/// by threads that have exited, and asks running threads to hand theirs
/// back at their next return, before it calls the factory.
///
/// [`try_pull`](Self::try_pull) never calls the factory;
/// [`prefill`](Self::prefill) makes idle objects ahead of time and
/// [`attach`](Self::attach) adds one made elsewhere;
/// [`with_check`](Self::with_check) drops objects that come back broken.
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
    /// Invariant: a `Parts<T>` leaked from a `Box` by `with_max_idle`,
    /// owned by the recycler and freed by its `Drop`; only shared
    /// references to it exist, except the exclusive ones the builders make
    /// before any guard exists. Its slots' headers name it, so that the
    /// guard of an object in a slot, which holds only the object's pointer,
    /// finds it.
    parts: NonNull<Parts<T>>,
    _owns: PhantomData<Parts<T>>,
}

// SAFETY: a recycler owns its idle objects (moving it moves them: hence
// `T: Send`) and its hooks, which are `Send + Sync`; the rest is atomics.
unsafe impl<T: Send> Send for Recycler<T> {}
// SAFETY: `&Recycler` lets a thread take an object out (`pull`) and put one
// in (a guard's drop), each owned by one thread at a time (the index sets
// hand each slot to one owner, with acquire/release ordering between
// owners): objects cross threads, which needs `T: Send` and nothing more,
// since no `&T` is shared through the recycler. The hooks are `Sync`.
unsafe impl<T: Send> Sync for Recycler<T> {}

/// An object's place in the recycler's slots: at an even address, so that
/// a guard tells an object in a slot from a boxed one by bit 0 of its
/// pointer.
#[repr(C, align(2))]
struct InSlot<T>(T);

/// An object made while no slot was vacant, in a box of its own with the
/// address of its recycler's parts; at an even address, as `InSlot`.
#[repr(C, align(2))]
struct Boxed<T> {
    object: T,
    home: *const Parts<T>,
}

/// Bit 0 of a guard's pointer: set when the object is boxed (`Boxed<T>`).
const BOXED: usize = 1;

/// The object a guard's pointer names, without the tag.
#[inline(always)]
fn untagged<T>(ptr: NonNull<T>) -> NonNull<T> {
    ptr.map_addr(|addr| {
        // SAFETY: objects lie at even addresses above 0, so clearing bit 0
        // of a non-null pointer leaves it non-null.
        unsafe { core::num::NonZeroUsize::new_unchecked(addr.get() & !BOXED) }
    })
}

/// What the recycler shares with its guards, at one heap address.
struct Parts<T> {
    values: Slots<InSlot<T>>,
    /// Slots holding an idle object.
    idle: IndexSet,
    /// Slots holding nothing that no guard holds either. No thread caches
    /// them, so an object coming back finds every such slot at once.
    vacant: IndexSet,
    factory: Factory<T>,
    reset: Option<Reset<T>>,
    /// Decides whether an object coming back is kept at all.
    check: Option<Check<T>>,
}

impl<T> Recycler<T> {
    /// How many idle objects [`Recycler::new`] keeps.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// assert_eq!(Recycler::<String>::DEFAULT_MAX_IDLE, 64);
    /// ```
    pub const DEFAULT_MAX_IDLE: usize = 64;

    /// A recycler that makes objects with `factory` and keeps up to
    /// [`DEFAULT_MAX_IDLE`](Self::DEFAULT_MAX_IDLE) idle ones.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let strings = Recycler::new(String::new);
    /// assert_eq!(strings.max_idle(), Recycler::<String>::DEFAULT_MAX_IDLE);
    /// assert_eq!(*strings.pull(), "");
    /// ```
    pub fn new(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self::with_max_idle(Self::DEFAULT_MAX_IDLE, factory)
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
        let parts = Box::into_raw(Box::new(Parts {
            idle: IndexSet::new(max_idle, false, values.tokens()),
            vacant: IndexSet::with_limit(max_idle, true, 0, values.tokens()),
            values,
            factory: Box::new(factory),
            reset: None,
            check: None,
        }));
        let mut recycler = Self {
            // SAFETY: `Box::into_raw` does not return null.
            parts: unsafe { NonNull::new_unchecked(parts) },
            _owns: PhantomData,
        };
        recycler.bind_headers();
        recycler
    }

    /// Names the parts in every slot's segment header (at the address they
    /// keep until `Drop` frees them), with the idle set's id when there is
    /// no hook, so that a guard's return pushes its slot onto the thread's
    /// cache as a `SyncPool` free does, and with an id no set has when
    /// there is one, so that every return takes the out-of-line path that
    /// runs the hooks (`Parts::give_back`).
    fn bind_headers(&mut self) {
        let owner = self.parts.as_ptr().cast_const().cast::<()>();
        let parts = self.parts_mut();
        let set_id = if parts.check.is_none() && parts.reset.is_none() {
            parts.idle.id()
        } else {
            IndexSet::unmatched_id()
        };
        parts.values.bind(set_id, owner);
    }

    /// The parts shared with the guards.
    #[inline(always)]
    fn parts(&self) -> &Parts<T> {
        // SAFETY: by the invariant of `parts`, it is alive while `self` is.
        unsafe { self.parts.as_ref() }
    }

    /// The parts, exclusively: for the builders, before any guard exists.
    fn parts_mut(&mut self) -> &mut Parts<T> {
        // SAFETY: as in `parts`; `&mut self` means no guard borrows the
        // recycler and no `Arc` shares it, so no other reference exists.
        unsafe { self.parts.as_mut() }
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
        self.parts_mut().reset = Some(Box::new(reset));
        self.bind_headers();
        self
    }

    /// Sets the check that runs on every object coming back, before the
    /// reset hook: an object for which it returns `false` (a connection that
    /// broke, a buffer grown too large) is dropped instead of kept, and its
    /// slot is left for a new one. opool's allocators call this `is_valid`;
    /// here it also gets `&mut T`. If the check panics, the object is dropped
    /// while unwinding, as when the reset hook panics.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(|| Vec::<u8>::with_capacity(16))
    ///     .with_check(|v| v.capacity() <= 1024)
    ///     .with_reset(Vec::clear);
    /// r.pull().extend_from_slice(&[1; 8]);
    /// assert_eq!(r.idle(), 1); // small enough: kept
    /// r.pull().extend_from_slice(&[1; 4096]);
    /// assert_eq!(r.idle(), 0); // grew too large: dropped
    /// ```
    #[must_use]
    pub fn with_check(mut self, check: impl Fn(&mut T) -> bool + Send + Sync + 'static) -> Self {
        self.parts_mut().check = Some(Box::new(check));
        self.bind_headers();
        self
    }

    /// Makes objects with the factory until `count` more are idle or no
    /// slot is left for one, and returns how many it made. Objects already
    /// idle stay; the reset hook and check do not run on new objects.
    ///
    /// # Panics
    ///
    /// If the factory panics; the objects made before stay idle.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::with_max_idle(4, || vec![0u8; 1024]);
    /// assert_eq!(r.prefill(3), 3);
    /// assert_eq!(r.idle(), 3);
    /// assert_eq!(r.prefill(3), 1); // only one slot was left
    /// assert!(r.try_pull().is_some());
    /// ```
    pub fn prefill(&self, count: usize) -> usize {
        /// Gives a vacant slot back if the factory panics.
        struct Vacate<'a> {
            vacant: &'a IndexSet,
            token: usize,
        }
        impl Drop for Vacate<'_> {
            fn drop(&mut self) {
                self.vacant.push(self.token);
            }
        }
        let parts = self.parts();
        let mut made = 0;
        while made < count {
            let Some(token) = parts.vacant.pop(Reclaim::Never) else {
                break;
            };
            let vacate = Vacate {
                vacant: &parts.vacant,
                token,
            };
            let value = (parts.factory)();
            core::mem::forget(vacate);
            // SAFETY: the token came out of the vacant set, so the slot is
            // empty and this thread alone owns it until the token goes into
            // the idle set below.
            unsafe { parts.slot(token).as_ptr().write(value) };
            parts.idle.push(token);
            made += 1;
        }
        made
    }

    /// Keeps `value`, an object made elsewhere, as an idle object (as
    /// object-pool's `attach` does), without running the check or the reset
    /// hook.
    ///
    /// # Errors
    ///
    /// [`Full`], holding `value`, when every slot holds an idle object or
    /// belongs to a guard (`max_idle` of them).
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::with_max_idle(1, String::new);
    /// r.attach(String::from("made elsewhere")).unwrap();
    /// let full = r.attach(String::from("one too many")).unwrap_err();
    /// assert_eq!(full.into_value(), "one too many");
    /// assert_eq!(*r.pull(), "made elsewhere");
    /// ```
    pub fn attach(&self, value: T) -> Result<(), Full<T>> {
        let parts = self.parts();
        match parts.vacant.pop(Reclaim::Never) {
            Some(token) => {
                // SAFETY: as in `prefill`.
                unsafe { parts.slot(token).as_ptr().write(value) };
                parts.idle.push(token);
                Ok(())
            }
            None => Err(Full::new(value, self.max_idle())),
        }
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
            ptr: self.parts().take(),
            _home: PhantomData,
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
            ptr: self.parts().take(),
            home: Arc::clone(self),
        }
    }

    /// An idle object, or `None` when none is idle; never calls the factory
    /// (object-pool's name). Like [`pull`](Self::pull), it first takes the
    /// idle objects of exited threads and asks running threads to hand
    /// theirs back at their next return, without waiting for them.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(|| 7);
    /// assert!(r.try_pull().is_none());
    /// drop(r.pull());
    /// assert_eq!(*r.try_pull().unwrap(), 7);
    /// ```
    #[inline]
    pub fn try_pull(&self) -> Option<Recycled<'_, T>> {
        let parts = self.parts();
        let token = parts.idle.pop(Reclaim::Once)?;
        Some(Recycled {
            ptr: parts.slot(token),
            _home: PhantomData,
        })
    }

    /// As [`try_pull`](Self::try_pull), with a guard that keeps the recycler
    /// alive through an `Arc`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::Recycler;
    ///
    /// let r = Arc::new(Recycler::new(String::new));
    /// assert!(r.try_pull_owned().is_none());
    /// r.attach(String::from("kept")).unwrap();
    /// assert_eq!(*r.try_pull_owned().unwrap(), "kept");
    /// ```
    #[inline]
    pub fn try_pull_owned(self: &Arc<Self>) -> Option<RecycledOwned<T>> {
        let parts = self.parts();
        let token = parts.idle.pop(Reclaim::Once)?;
        Some(RecycledOwned {
            ptr: parts.slot(token),
            home: Arc::clone(self),
        })
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
        self.parts().idle.len()
    }

    /// The most idle objects kept.
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// assert_eq!(Recycler::with_max_idle(3, || 0).max_idle(), 3);
    /// ```
    pub fn max_idle(&self) -> usize {
        self.parts().values.len()
    }
}

impl<T> Parts<T> {
    /// An object for a new guard, which owns it from then on: an idle one,
    /// left in its slot (which the guard then holds), or a new one, in a
    /// vacant slot if there is one and in a box of its own otherwise.
    #[inline(always)]
    fn take(&self) -> NonNull<T> {
        // The fast path's result is not merged with the slow path's, so
        // that it tests no flag it has just set.
        match self.idle.pop_cached() {
            Some(token) => self.slot(token),
            None => self.take_slow(),
        }
    }

    /// [`take`](Parts::take) when the thread's cache holds no idle object.
    #[cold]
    #[inline(never)]
    fn take_slow(&self) -> NonNull<T> {
        match self.idle.pop_slow(Reclaim::Once) {
            Some(token) => self.slot(token),
            None => self.make(),
        }
    }

    /// A new object from the factory, placed as [`take`](Parts::take) says.
    #[cold]
    fn make(&self) -> NonNull<T> {
        let value = (self.factory)();
        match self.vacant.pop(Reclaim::Never) {
            Some(token) => {
                let ptr = self.slot(token);
                // SAFETY: the token came out of the vacant set, so the slot
                // is empty and this thread alone owns it, until the guard
                // that gets `ptr` gives it back.
                unsafe { ptr.as_ptr().write(value) };
                ptr
            }
            None => {
                let boxed = Box::new(Boxed {
                    object: value,
                    home: self,
                });
                let ptr = NonNull::from(Box::leak(boxed)).cast::<T>();
                ptr.map_addr(|addr| addr | BOXED)
            }
        }
    }

    /// Takes back the object of a guard that is going away: resets it and
    /// keeps it (in its slot, or in a vacant one if it was boxed), or drops
    /// it when it was boxed and no slot is vacant.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`take`](Parts::take) of this recycler, the caller
    /// owned the object, and neither is used again.
    #[inline(always)]
    unsafe fn give_back(ptr: NonNull<T>) {
        if ptr.addr().get() & BOXED != 0 {
            // SAFETY: the caller's contract, passed on.
            unsafe { Self::give_back_boxed(ptr) };
            return;
        }
        // The token of a slot is its object's address.
        let token = ptr.as_ptr().addr();
        // SAFETY: an untagged pointer from `take` is a slot's; the caller
        // keeps the recycler alive.
        let header = unsafe { Slots::<InSlot<T>>::header(ptr.cast()) };
        // SAFETY: without hooks the header names the idle set of the
        // recycler, which the caller keeps alive, and the token names the
        // slot this guard holds (in neither set), pushed once; with hooks it
        // names an id no set has (`Recycler::bind_headers`).
        if !unsafe { IndexSet::push_cached(header.set_id, token) } {
            // SAFETY: the caller's contract, passed on.
            unsafe { Self::give_back_slow(ptr) };
        }
    }

    /// The part of [`give_back`](Parts::give_back) for an object in a slot
    /// that the thread's cache did not take: the cache is full, or not
    /// found yet, or the recycler has hooks, which run here.
    ///
    /// # Safety
    ///
    /// As for `give_back`, and `ptr` is in the slots.
    #[cold]
    #[inline(never)]
    unsafe fn give_back_slow(ptr: NonNull<T>) {
        // SAFETY: an untagged pointer from `take` is a slot's; the caller
        // keeps the recycler alive.
        let parts = unsafe { Self::of(ptr) };
        let token = ptr.as_ptr().addr();
        if parts.check.is_none() && parts.reset.is_none() {
            parts.idle.push_slow(token);
            return;
        }
        // SAFETY: the caller's contract, passed on.
        if unsafe { parts.inspect(ptr) } {
            parts.idle.push(token);
        }
    }

    /// The parts of the recycler whose slot holds the object at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is an untagged pointer `take` returned, to an object in a slot
    /// of a recycler that outlives `'a`.
    #[inline(always)]
    unsafe fn of<'a>(ptr: NonNull<T>) -> &'a Self {
        // SAFETY: the slots are alive and `ptr` is one of their objects,
        // which sits at the start of its `InSlot`.
        let header = unsafe { Slots::<InSlot<T>>::header(ptr.cast()) };
        // SAFETY: `with_max_idle` bound every header to the parts, which
        // stay at that address, alive, until the recycler drops.
        unsafe { &*header.owner.cast::<Self>() }
    }

    /// The part of [`give_back`](Parts::give_back) for an object in a box
    /// of its own; out of line, so that the path of an object in its slot
    /// stays small enough to inline into the guard's drop.
    ///
    /// # Safety
    ///
    /// As for `give_back`, and `ptr` is not in the slots.
    #[cold]
    #[inline(never)]
    unsafe fn give_back_boxed(ptr: NonNull<T>) {
        // SAFETY: a tagged pointer from `take` is a leaked `Boxed` (`make`),
        // which the caller owned and gives up.
        let boxed = *unsafe { Box::from_raw(untagged(ptr).cast::<Boxed<T>>().as_ptr()) };
        // SAFETY: the box names the parts of the recycler it came from,
        // which the caller keeps alive.
        let parts = unsafe { &*boxed.home };
        parts.keep(boxed.object);
    }

    /// Runs the check and the reset hook on the object in its slot at
    /// `ptr`, and returns whether to keep it. When the check fails or a
    /// hook panics, the object is dropped and its slot vacated.
    ///
    /// # Safety
    ///
    /// As for [`give_back`](Parts::give_back), and `ptr` is in the slots.
    unsafe fn inspect(&self, ptr: NonNull<T>) -> bool {
        /// Drops the object and vacates its slot unless forgotten: when
        /// the check fails, or a hook panics.
        struct Discard<'a, T> {
            home: &'a Parts<T>,
            ptr: NonNull<T>,
        }
        impl<T> Drop for Discard<'_, T> {
            fn drop(&mut self) {
                // SAFETY: the slot holds the object, which the caller of
                // `inspect` owned; it is dropped once, here, and the slot
                // freed.
                unsafe { self.ptr.as_ptr().drop_in_place() };
                self.home.vacant.push(self.ptr.as_ptr().addr());
            }
        }
        let discard = Discard { home: self, ptr };
        // SAFETY: the object is the caller's alone, in a slot it holds.
        let object = unsafe { &mut *ptr.as_ptr() };
        if let Some(check) = &self.check
            && !check(object)
        {
            return false;
        }
        if let Some(reset) = &self.reset {
            reset(object);
        }
        core::mem::forget(discard);
        true
    }

    /// Checks and resets a boxed object and keeps it in a vacant slot, or
    /// drops it.
    #[cold]
    fn keep(&self, mut value: T) {
        // A panic in a hook drops `value` while unwinding; nothing else
        // changed.
        if let Some(check) = &self.check
            && !check(&mut value)
        {
            return;
        }
        if let Some(reset) = &self.reset {
            reset(&mut value);
        }
        if let Some(token) = self.vacant.pop(Reclaim::Never) {
            // SAFETY: the token came out of the vacant set, so the slot is
            // empty and this thread alone owns it until the token goes into
            // the idle set below.
            unsafe { self.slot(token).as_ptr().write(value) };
            self.idle.push(token);
        }
    }

    /// Moves out the object of a guard that gives it up for good; its slot,
    /// if it had one, becomes vacant.
    ///
    /// # Safety
    ///
    /// As for [`give_back`](Parts::give_back).
    #[inline]
    unsafe fn take_out(ptr: NonNull<T>) -> T {
        if ptr.addr().get() & BOXED != 0 {
            // SAFETY: as in `give_back_boxed`.
            let boxed = *unsafe { Box::from_raw(untagged(ptr).cast::<Boxed<T>>().as_ptr()) };
            return boxed.object;
        }
        // SAFETY: as in `give_back`.
        let parts = unsafe { Self::of(ptr) };
        // SAFETY: the slot holds the object, the caller's alone; it is read
        // once and the slot freed right after.
        let value = unsafe { ptr.as_ptr().read() };
        parts.vacant.push(ptr.as_ptr().addr());
        value
    }

    /// The object pointer of the slot named by `token`.
    #[inline(always)]
    fn slot(&self, token: usize) -> NonNull<T> {
        // An `InSlot<T>` starts with its object.
        self.values.ptr(token).cast()
    }
}

impl<T> Drop for Recycler<T> {
    fn drop(&mut self) {
        /// The idle objects not dropped yet. When one object's drop panics,
        /// this value drops while unwinding and drops the rest, as `Vec`
        /// does.
        struct DropRest<'a, T> {
            parts: &'a Parts<T>,
            tokens: alloc::vec::IntoIter<usize>,
        }
        impl<T> DropRest<'_, T> {
            fn drop_all(&mut self) {
                for token in self.tokens.by_ref() {
                    // SAFETY: with `&mut Recycler` no guard is out and no
                    // thread is in a call; every token drained from the idle
                    // set names a slot holding an object, and the iterator
                    // yields each once, so each is dropped once.
                    unsafe { self.parts.slot(token).as_ptr().drop_in_place() };
                }
            }
        }
        impl<T> Drop for DropRest<'_, T> {
            fn drop(&mut self) {
                self.drop_all();
            }
        }
        // SAFETY: by the invariant of `parts`, the recycler owns the box; no
        // guard is alive (each borrows the recycler or holds an `Arc` of
        // it), so nothing uses it after this. It drops last, after the
        // objects, even if one of their drops panics.
        let mut parts = unsafe { Box::from_raw(self.parts.as_ptr()) };
        let tokens = parts.idle.drain().into_iter();
        let mut rest = DropRest {
            parts: &parts,
            tokens,
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
/// let kept: Vec<u8> = buf.into_inner(); // not given back
/// assert_eq!(r.idle(), 0);
/// # drop(kept);
/// ```
pub struct Recycled<'a, T> {
    /// The object, in a slot this guard holds, or in a box of its own with
    /// bit 0 set (see `Parts::take`); the guard owns it. One word, so that
    /// guards move through memory as a `Box` does.
    ptr: NonNull<T>,
    _home: PhantomData<&'a Recycler<T>>,
}

// SAFETY: the guard owns its object, so moving it moves a `T` (`T: Send`);
// its drop reaches the recycler through `&Recycler<T>`, which is `Send` for
// `T: Send`.
unsafe impl<T: Send> Send for Recycled<'_, T> {}
// SAFETY: `&Recycled` gives only `&T`.
unsafe impl<T: Sync> Sync for Recycled<'_, T> {}

impl<T> Recycled<'_, T> {
    /// Takes the object for good: it will not go back to the recycler. (The
    /// same name as [`PoolBox::into_inner`](crate::PoolBox::into_inner);
    /// object-pool calls this `detach`.)
    ///
    /// ```
    /// use arena_pool::Recycler;
    ///
    /// let r = Recycler::new(String::new);
    /// let s: String = r.pull().into_inner();
    /// assert_eq!(s, "");
    /// ```
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: the guard owns the object, in a recycler it borrows;
        // `this` is never dropped, so neither is used again.
        unsafe { Parts::take_out(this.ptr) }
    }
}

impl<T> Deref for Recycled<'_, T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the guard owns the object, alive in its slot or box.
        unsafe { untagged(self.ptr).as_ref() }
    }
}

impl<T> DerefMut for Recycled<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; the guard owns it exclusively.
        unsafe { untagged(self.ptr).as_mut() }
    }
}

impl<T> Drop for Recycled<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard owns the object and is going away.
        unsafe { Parts::give_back(self.ptr) };
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
    /// As in [`Recycled`].
    ptr: NonNull<T>,
    home: Arc<Recycler<T>>,
}

// SAFETY: as for `Recycled`; `Arc<Recycler<T>>` is `Send` for `T: Send`.
unsafe impl<T: Send> Send for RecycledOwned<T> {}
// SAFETY: `&RecycledOwned` gives only `&T`.
unsafe impl<T: Sync> Sync for RecycledOwned<T> {}

impl<T> RecycledOwned<T> {
    /// Takes the object for good: it will not go back to the recycler. (The
    /// same name as [`PoolBox::into_inner`](crate::PoolBox::into_inner);
    /// object-pool calls this `detach`.)
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::Recycler;
    ///
    /// let r = Arc::new(Recycler::new(|| 3));
    /// assert_eq!(r.pull_owned().into_inner(), 3);
    /// assert_eq!(r.idle(), 0);
    /// ```
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: as for `Recycled::into_inner`.
        let value = unsafe { Parts::take_out(this.ptr) };
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
        // SAFETY: the guard owns the object, alive in its slot or box.
        unsafe { untagged(self.ptr).as_ref() }
    }
}

impl<T> DerefMut for RecycledOwned<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; the guard owns it exclusively.
        unsafe { untagged(self.ptr).as_mut() }
    }
}

impl<T> Drop for RecycledOwned<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard owns the object and is going away.
        unsafe { Parts::give_back(self.ptr) };
    }
}

impl<T: fmt::Debug> fmt::Debug for RecycledOwned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
