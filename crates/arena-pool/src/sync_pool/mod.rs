//! The thread-shared pools: [`SyncPool`], an object pool that grows or has
//! a fixed capacity,
//! and [`Recycler`], which keeps objects for reuse; both are clients of the
//! same parts. `DESIGN.md` explains the choices.
//!
//! - `layout.rs`: the arithmetic of segments, slots, tokens and cache sizes
//!   (no `unsafe`, no atomics);
//! - `slots.rs`: the segmented memory of the values;
//! - `crate::bitmap`: the shared free set, which has no ABA problem (shared
//!   with `StaticPool`);
//! - `thread_number.rs`, `shards.rs`, `ways.rs`: dense thread numbers, the
//!   per-thread caches they index, and the thread-local table that finds a
//!   thread's cache in one lookup;
//! - `index.rs`: the free set made of all of these;
//! - `chunks.rs`: the lock-free table of a growing pool's parts;
//! - `boxed.rs` and `recycler.rs`: the two clients' handles.

mod boxed;
mod chunks;
mod index;
mod layout;
mod recycler;
mod shards;
mod slots;
mod thread_number;
mod ways;

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::pool::Full;
use crate::sync::{AtomicPtr, Ordering};
use chunks::Chunks;

pub use boxed::{OwnedPoolBox, PoolBox};
// The free-slot set and its tokens, shared with `SyncSlab`.
pub(crate) use index::{IndexSet, Reclaim};
pub(crate) use layout::Tokens;
// Per-thread records, shared with `SyncSlab`'s hazard records.
pub use recycler::{Recycled, RecycledOwned, Recycler};
pub(crate) use shards::ThreadTable;
use slots::SegmentHeader;
use slots::Slots;
pub(crate) use thread_number::current_slot_number;

/// The state of a pool that its boxes reach through their segment headers,
/// at one heap address for the pool's whole life.
struct Shared<T> {
    slots: Slots<T>,
    free: IndexSet,
}

impl<T> Shared<T> {
    /// The state of a pool of `capacity` slots, all free, on the heap, its
    /// segment headers naming it; the caller owns the box.
    ///
    /// # Panics
    ///
    /// As [`Slots::new`].
    fn new_boxed(capacity: usize) -> NonNull<Self> {
        let slots = Slots::new(capacity);
        let free = IndexSet::new(capacity, true, slots.tokens());
        let shared = Box::into_raw(Box::new(Self { slots, free }));
        // SAFETY: `shared` is a fresh, unique allocation; the headers get
        // the address it keeps until its owner frees it.
        unsafe {
            let set_id = (*shared).free.id();
            (*shared).slots.bind(set_id, shared.cast_const().cast());
        }
        // SAFETY: `Box::into_raw` does not return null.
        unsafe { NonNull::new_unchecked(shared) }
    }

    /// The state of the pool that holds the value at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is a value pointer that a live pool's `place` returned, and
    /// that pool outlives `'a`.
    #[inline(always)]
    unsafe fn of<'a>(ptr: NonNull<T>) -> &'a Self {
        // SAFETY: the pool's slots are alive, and `ptr` is one of theirs.
        let header = unsafe { Slots::header(ptr) };
        // SAFETY: the caller's contract; `header` is that pool's.
        unsafe { Self::owning(header) }
    }

    /// The state of the pool whose segment starts with `header`.
    ///
    /// # Safety
    ///
    /// `header` is a segment header of a live pool's slots, and that pool
    /// outlives `'a`.
    #[inline(always)]
    unsafe fn owning<'a>(header: &SegmentHeader) -> &'a Self {
        // SAFETY: `SyncPool::new` bound every header of its slots to its
        // `Shared`, which stays at that address, alive, until the pool drops.
        unsafe { &*header.owner.cast::<Self>() }
    }
}

/// A pool of `T` values shared by any number of threads, growing or of a
/// fixed capacity.
///
/// [`SyncPool::new`] makes a pool that grows as values come, by segments
/// of new memory (no value ever moves); [`SyncPool::bounded`] allocates a
/// fixed number of slots up front (as [`Pool::bounded`](crate::Pool::bounded)).
/// [`try_alloc`](Self::try_alloc) moves a value into a free slot and returns
/// a [`PoolBox`], which derefs to the value and frees the slot when
/// dropped, or gives the value back in a [`Full`] error when a bounded
/// pool has no free slot; [`alloc`](Self::alloc) panics instead, as
/// elsewhere in the crate. Both are O(1) and lock-free when a free slot is
/// at hand (the full case of a bounded pool may yield, see `try_alloc`; a
/// growing pool allocates its next part).
/// [`alloc_owned`](Self::alloc_owned) and
/// [`try_alloc_owned`](Self::try_alloc_owned) on an `Arc<SyncPool<T>>`
/// return an [`OwnedPoolBox`] that keeps the pool alive and can be sent
/// anywhere.
///
/// Each thread keeps up to 32 free slots (never more than an eighth of the
/// capacity) in a cache of its own, so a thread that frees and allocates
/// again does not touch memory other threads write. A thread that finds the
/// pool empty asks the others to give their cached slots back and takes
/// those of threads that have exited; see [`try_alloc`](Self::try_alloc)
/// for what that means for failures.
///
/// A [`PoolBox`] is one pointer, like a `Box`: the values live in
/// aligned segments whose headers lead a box back to its pool. The memory
/// is the values' size per slot (zero-sized values take a byte, or their
/// alignment), a 64-byte header (or one alignment) per segment, and one
/// bit per slot for the free set. Segments are at least 4 KiB and at least
/// ten times a slot and its header, so that the bytes of a full segment
/// that hold no value are under a tenth of it for every value size (a
/// 4 KiB value: 15 per 64 KiB segment, 6% unused); the last segment ends
/// at the last slot.
///
/// `SyncPool<T>` is `Send` and `Sync` when `T` is `Send`.
///
/// ```
/// use arena_pool::SyncPool;
///
/// let pool = SyncPool::bounded(2);
/// std::thread::scope(|s| {
///     for i in 0..2 {
///         let pool = &pool;
///         s.spawn(move || {
///             let mut value = pool.alloc(vec![i]);
///             value.push(10);
///             assert_eq!(*value, [i, 10]);
///         });
///     }
/// });
/// assert_eq!(pool.len(), 0);
/// ```
pub struct SyncPool<T> {
    /// The chunk (the part with its own slots and free set) that
    /// allocations try first: for a bounded pool its only one.
    ///
    /// Invariant: points to a `Shared<T>` leaked from a `Box` by
    /// [`Shared::new_boxed`], alive until the pool drops: owned by the pool
    /// itself when `chunks` is `None`, else one of `chunks`. Only shared
    /// references to chunks are made until the pool drops. A chunk's slots'
    /// headers name it, so that a box, which holds nothing but its value's
    /// pointer, finds it.
    current: AtomicPtr<Shared<T>>,
    /// Every chunk of a growing pool; `None` for a bounded one.
    chunks: Option<Box<Chunks<Shared<T>>>>,
    _owns: PhantomData<Shared<T>>,
}

// SAFETY: the pool owns values of type `T` only in slots that boxes own; a
// pool moved to another thread takes no value with it that a box does not
// own. Its other parts are atomics.
unsafe impl<T: Send> Send for SyncPool<T> {}
// SAFETY: `&SyncPool` lets a thread move a value in (`alloc`) and out (box
// drop or `into_inner`) of a slot it alone owns (the free-slot set hands
// each index to one owner at a time, with acquire/release ordering between
// owners), so values cross threads: that needs `T: Send` and nothing more,
// since no `&T` is ever shared through the pool.
unsafe impl<T: Send> Sync for SyncPool<T> {}

impl<T> SyncPool<T> {
    /// An empty pool that grows as values come: by as many slots again as
    /// it holds (at first, the fewest whole segments that hold 256 slots,
    /// up to 16 KiB of them, or one segment when that is larger), in new
    /// memory, so no value ever moves. Allocates nothing until the first
    /// value.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::new();
    /// assert_eq!(pool.capacity(), 0);
    /// let boxes: Vec<_> = (0..1000).map(|i| pool.alloc(i)).collect();
    /// assert!(pool.capacity() >= 1000);
    /// assert_eq!(*boxes[999], 999);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// A growing pool (as [`new`](Self::new)) with `capacity` slots
    /// allocated now.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds `u32::MAX - 1`, or the memory cannot be
    /// allocated.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::with_capacity(2);
    /// assert_eq!(pool.capacity(), 2);
    /// let (_a, _b, _c) = (pool.alloc(1), pool.alloc(2), pool.alloc(3));
    /// assert!(pool.capacity() > 2);
    /// ```
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        let first = Shared::new_boxed(capacity);
        Self {
            current: AtomicPtr::new(first.as_ptr()),
            // SAFETY: `first` is a fresh box, given to the table.
            chunks: Some(Box::new(unsafe { Chunks::new(first) })),
            _owns: PhantomData,
        }
    }

    /// A pool of exactly `capacity` slots, all allocated now, that never
    /// grows: [`try_alloc`](Self::try_alloc) fails when they are taken.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds `u32::MAX - 1`, or the memory cannot be
    /// allocated.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool: SyncPool<String> = SyncPool::bounded(100);
    /// assert_eq!(pool.capacity(), 100);
    /// assert!(pool.is_empty());
    /// ```
    #[must_use]
    pub fn bounded(capacity: usize) -> Self {
        Self {
            current: AtomicPtr::new(Shared::new_boxed(capacity).as_ptr()),
            chunks: None,
            _owns: PhantomData,
        }
    }

    /// Whether the pool was made with [`bounded`](Self::bounded).
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// assert!(SyncPool::<u8>::bounded(4).is_bounded());
    /// assert!(!SyncPool::<u8>::new().is_bounded());
    /// ```
    pub fn is_bounded(&self) -> bool {
        self.chunks.is_none()
    }

    /// The chunk allocations try first.
    #[inline(always)]
    fn current(&self) -> &Shared<T> {
        // SAFETY: by the invariant of `current`, it points to a chunk that
        // is alive while `self` is, of which only shared references exist;
        // the acquire load sees the chunk as the thread that made it wrote
        // it (it stores the pointer with release).
        unsafe { &*self.current.load(Ordering::Acquire) }
    }

    /// Every chunk, newest first (the one chunk of a bounded pool).
    fn each_chunk(&self, mut f: impl FnMut(&Shared<T>)) {
        match &self.chunks {
            None => f(self.current()),
            Some(chunks) => {
                for chunk in chunks.newest_first() {
                    // SAFETY: installed chunks live as long as the table,
                    // which the pool owns; only shared references exist.
                    f(unsafe { chunk.as_ref() });
                }
            }
        }
    }

    /// Moves `value` into a free slot.
    ///
    /// # Panics
    ///
    /// When no free slot is available (see [`try_alloc`](Self::try_alloc)).
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::bounded(1);
    /// let mut name = pool.alloc(String::from("first"));
    /// name.push('!');
    /// assert_eq!(*name, "first!");
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc(&self, value: T) -> PoolBox<'_, T> {
        match self.place(value) {
            // SAFETY: `place` returned a slot this caller now owns, holding
            // a value.
            Ok(ptr) => unsafe { PoolBox::new(self, ptr) },
            Err(value) => full_pool(value, self.capacity()),
        }
    }

    /// Moves `value` into a free slot, or gives it back.
    ///
    /// # Errors
    ///
    /// [`Full`], holding `value`, when no free slot is available. A growing
    /// pool fails only when its next part would not fit in the address
    /// space (it grows instead of waiting for other threads' caches). For a
    /// bounded pool, that is exactly
    /// when every slot is live, except for slots another thread freed into
    /// its cache (at most 32 per thread, at most an eighth of the capacity,
    /// none in pools of fewer than 8 slots) and keeps there: a thread that
    /// finds the pool empty takes back the caches of exited threads, asks
    /// running ones to give theirs back at their next free into this pool,
    /// and yields a little while (up to 64 times) for that. So the call can
    /// fail with free slots only while they sit in the caches of live threads
    /// that free nothing into this pool meanwhile. When no cache holds a
    /// slot, it fails at once.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::bounded(1);
    /// let first = pool.try_alloc("first").unwrap();
    /// let full = pool.try_alloc("second").unwrap_err();
    /// assert_eq!(full.into_value(), "second");
    /// drop(first);
    /// assert_eq!(*pool.try_alloc("third").unwrap(), "third");
    /// ```
    #[inline]
    pub fn try_alloc(&self, value: T) -> Result<PoolBox<'_, T>, Full<T>> {
        match self.place(value) {
            // SAFETY: as in `alloc`.
            Ok(ptr) => Ok(unsafe { PoolBox::new(self, ptr) }),
            Err(value) => Err(Full::new(value, self.capacity())),
        }
    }

    /// Moves `value` into a free slot and returns a box that keeps the pool
    /// alive, so it can be `'static` and sent to other threads.
    ///
    /// # Panics
    ///
    /// When no free slot is available, as [`alloc`](Self::alloc).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::SyncPool;
    ///
    /// let pool = Arc::new(SyncPool::bounded(4));
    /// let boxed = pool.alloc_owned(String::from("hello"));
    /// let handle = std::thread::spawn(move || boxed.len());
    /// assert_eq!(handle.join().unwrap(), 5);
    /// assert_eq!(pool.len(), 0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_owned(self: &Arc<Self>, value: T) -> OwnedPoolBox<T> {
        match self.place(value) {
            // SAFETY: as in `alloc`.
            Ok(ptr) => unsafe { OwnedPoolBox::new(Arc::clone(self), ptr) },
            Err(value) => full_pool(value, self.capacity()),
        }
    }

    /// As [`alloc_owned`](Self::alloc_owned), giving `value` back when no
    /// slot is free.
    ///
    /// # Errors
    ///
    /// [`Full`], holding `value`, as [`try_alloc`](Self::try_alloc).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arena_pool::SyncPool;
    ///
    /// let pool = Arc::new(SyncPool::bounded(1));
    /// let first = pool.try_alloc_owned(1).unwrap();
    /// assert_eq!(pool.try_alloc_owned(2).unwrap_err().into_value(), 2);
    /// drop(first);
    /// assert_eq!(*pool.try_alloc_owned(3).unwrap(), 3);
    /// ```
    #[inline]
    pub fn try_alloc_owned(self: &Arc<Self>, value: T) -> Result<OwnedPoolBox<T>, Full<T>> {
        match self.place(value) {
            // SAFETY: as in `try_alloc`.
            Ok(ptr) => Ok(unsafe { OwnedPoolBox::new(Arc::clone(self), ptr) }),
            Err(value) => Err(Full::new(value, self.capacity())),
        }
    }

    /// Takes a free slot and writes `value` into it; returns the value's
    /// pointer, or gives `value` back when no slot is free.
    #[inline(always)]
    fn place(&self, value: T) -> Result<NonNull<T>, T> {
        let shared = self.current();
        if let Some(token) = shared.free.pop_cached() {
            // SAFETY: the token came out of this chunk's free set.
            return Ok(unsafe { Self::write(shared, token, value) });
        }
        match self.find_slot() {
            // SAFETY: the token came out of this chunk's free set.
            Some((shared, token)) => Ok(unsafe { Self::write(shared, token, value) }),
            None => Err(value),
        }
    }

    /// Writes `value` into the slot of `token` of `shared`.
    ///
    /// # Safety
    ///
    /// `token` came out of `shared.free`, so no one else uses the slot
    /// until it is pushed back.
    #[inline(always)]
    unsafe fn write(shared: &Shared<T>, token: usize, value: T) -> NonNull<T> {
        let ptr = shared.slots.ptr(token);
        // SAFETY: the caller owns the slot, which is empty, and the
        // pointer is valid for a write of `T`.
        unsafe { ptr.as_ptr().write(value) };
        ptr
    }

    /// The slow path of `place` when the calling thread's cache in the
    /// current chunk is empty: that chunk's shared bitmap first; then a
    /// bounded pool takes back the caches of exited threads and waits a
    /// little for live ones (`Reclaim::Wait`, see `try_alloc`), and a
    /// growing one, which never waits, looks in every chunk, newest first,
    /// then once more after taking the caches of exited threads (and
    /// asking live threads to hand theirs back), and grows when both find
    /// nothing. The chunk it finds a slot in becomes the current one.
    /// Returns the chunk and the token of a slot the caller now owns. (It
    /// takes no value, so that the fast path writes its value straight
    /// into the slot, and `place` keeps its result apart from the fast
    /// path's, so that the fast path tests no merged result.)
    #[cold]
    #[inline(never)]
    fn find_slot(&self) -> Option<(&Shared<T>, usize)> {
        let shared = self.current();
        let Some(chunks) = self.chunks.as_deref() else {
            return Some((shared, shared.free.pop(Reclaim::Wait)?));
        };
        if let Some(token) = shared.free.pop(Reclaim::Never) {
            return Some((shared, token));
        }
        loop {
            let seen = chunks.len();
            for reclaim in [Reclaim::Never, Reclaim::Once] {
                for chunk in chunks.newest_first() {
                    // SAFETY: as in `each_chunk`.
                    let shared = unsafe { chunk.as_ref() };
                    if let Some(token) = shared.free.pop(reclaim) {
                        self.current.store(chunk.as_ptr(), Ordering::Release);
                        return Some((shared, token));
                    }
                }
            }
            let total: usize = (0..seen)
                // SAFETY: as in `each_chunk`.
                .map(|at| unsafe { chunks.get(at).as_ref() }.slots.len())
                .sum();
            let capacity = layout::growth_capacity(
                total,
                Slots::<T>::per_segment(),
                Slots::<T>::segment_size(),
            );
            let make = || Slots::<T>::fits(capacity).then(|| Shared::new_boxed(capacity));
            // SAFETY: `new_boxed` returns a fresh box that only the table
            // will own.
            if !unsafe { chunks.grow(seen, make) } {
                return None;
            }
        }
    }

    /// Frees the slot of the value at `ptr` (which was moved out or
    /// dropped): into the calling thread's cache when it can, through the
    /// segment header's set id, which needs no load from the pool itself.
    ///
    /// # Safety
    ///
    /// `ptr` came from `place` of a live pool that outlives the call, the
    /// caller owns its slot, and neither is used again.
    #[inline(always)]
    unsafe fn release(ptr: NonNull<T>) {
        let token = ptr.as_ptr().addr();
        // SAFETY: `ptr` is a value pointer of the pool's live slots.
        let header = unsafe { Slots::header(ptr) };
        // SAFETY: the pool, and with it the set named by the header, lives
        // through the call; the token was popped from that set and is
        // pushed once.
        if !unsafe { IndexSet::push_cached(header.set_id, token) } {
            // SAFETY: as above; the header is the pool's.
            let shared = unsafe { Shared::<T>::owning(header) };
            shared.free.push_slow(token);
        }
    }

    /// Drops the value at `ptr` and frees its slot, even if the drop panics.
    ///
    /// # Safety
    ///
    /// `ptr` came from `place` of a pool that outlives the call, the caller
    /// owns its slot, the slot holds a value, and neither is used again.
    #[inline(always)]
    unsafe fn drop_slot(ptr: NonNull<T>) {
        if !core::mem::needs_drop::<T>() {
            // SAFETY: the caller's contract.
            unsafe { Self::release(ptr) };
            return;
        }
        struct Release<T>(NonNull<T>);
        impl<T> Drop for Release<T> {
            #[inline(always)]
            fn drop(&mut self) {
                // SAFETY: the value was dropped (or its drop panicked) and
                // the slot is not used again; `drop_slot`'s contract.
                unsafe { SyncPool::release(self.0) };
            }
        }
        let _release = Release(ptr);
        // SAFETY: the caller's contract.
        let ptr = unsafe { Self::checked_ptr(ptr) };
        // SAFETY: by the caller's contract the slot holds a value this
        // caller alone owns; it is not used after being dropped here.
        unsafe { ptr.as_ptr().drop_in_place() };
    }

    /// Moves the value at `ptr` out and frees its slot.
    ///
    /// # Safety
    ///
    /// As for [`drop_slot`](Self::drop_slot).
    #[inline]
    unsafe fn take_slot(ptr: NonNull<T>) -> T {
        // SAFETY: the caller's contract.
        let checked = unsafe { Self::checked_ptr(ptr) };
        // SAFETY: the slot holds a value the caller alone owns; it is read
        // once and the slot freed right after.
        let value = unsafe { checked.as_ptr().read() };
        // SAFETY: the caller's contract; the value is out.
        unsafe { Self::release(ptr) };
        value
    }

    /// `ptr` itself; under loom, the same pointer taken again through the
    /// slot's cell, so that the model sees the access.
    ///
    /// # Safety
    ///
    /// `ptr` came from `place` of a pool that outlives the call.
    #[inline(always)]
    unsafe fn checked_ptr(ptr: NonNull<T>) -> NonNull<T> {
        if cfg!(loom) {
            // SAFETY: the caller's contract.
            let shared = unsafe { Shared::of(ptr) };
            shared.slots.ptr(ptr.as_ptr().addr())
        } else {
            ptr
        }
    }

    /// How many values are live (boxes not yet dropped). Exact when no other
    /// thread is using the pool at the same time.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::bounded(3);
    /// let a = pool.alloc(1);
    /// let _b = pool.alloc(2);
    /// assert_eq!(pool.len(), 2);
    /// drop(a);
    /// assert_eq!(pool.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        let mut live = 0;
        self.each_chunk(|chunk| live += chunk.slots.len() - chunk.free.len());
        live
    }

    /// Whether no value is live.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool = SyncPool::bounded(1);
    /// assert!(pool.is_empty());
    /// let _a = pool.alloc(1);
    /// assert!(!pool.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of slots.
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// assert_eq!(SyncPool::<u8>::bounded(8).capacity(), 8);
    /// ```
    pub fn capacity(&self) -> usize {
        let mut slots = 0;
        self.each_chunk(|chunk| slots += chunk.slots.len());
        slots
    }
}

/// The panic of [`SyncPool::alloc`] on a full pool of `slots` slots; drops
/// `value` first.
#[cold]
#[inline(never)]
#[track_caller]
fn full_pool<T>(value: T, slots: usize) -> ! {
    drop(value);
    panic!("SyncPool is full: no free slot among its {slots} slots")
}

impl<T> Drop for SyncPool<T> {
    fn drop(&mut self) {
        if self.chunks.is_none() {
            // SAFETY: by the invariant of `current`, a bounded pool owns its
            // one chunk; no box is alive (each borrows the pool or holds an
            // `Arc` of it), so nothing uses it after this.
            drop(unsafe { Box::from_raw(self.current.load(Ordering::Relaxed)) });
        }
        // A growing pool's chunks drop with the table.
    }
}

impl<T> Default for SyncPool<T> {
    /// A growing pool, as [`SyncPool::new`].
    ///
    /// ```
    /// use arena_pool::SyncPool;
    ///
    /// let pool: SyncPool<u32> = SyncPool::default();
    /// assert!(!pool.is_bounded());
    /// assert_eq!(*pool.alloc(3), 3);
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for SyncPool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncPool")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    #[test]
    fn zero_capacity_gives_values_back() {
        let pool = SyncPool::bounded(0);
        assert!(pool.is_bounded());
        assert_eq!(
            pool.try_alloc(String::from("x")).unwrap_err().into_value(),
            "x"
        );
        assert_eq!(pool.len(), 0);
    }

    #[test]
    #[should_panic(expected = "exceeds the maximum")]
    fn huge_capacity_panics() {
        let _ = SyncPool::<()>::bounded(usize::MAX);
    }

    /// The documented limit is `u32::MAX - 1` slots; one more panics before
    /// any memory is allocated.
    #[test]
    #[should_panic(expected = "exceeds the maximum")]
    fn capacity_of_u32_max_panics() {
        let _ = SyncPool::<()>::bounded(u32::MAX as usize);
    }

    #[test]
    fn zst_and_over_aligned() {
        #[derive(Debug)]
        #[repr(align(256))]
        struct Big(u8);
        let pool = SyncPool::bounded(3);
        let boxes: Vec<_> = (0..3).map(|i| pool.alloc(Big(i))).collect();
        for (i, b) in boxes.iter().enumerate() {
            assert_eq!(b.0 as usize, i);
            assert_eq!((&**b as *const Big).addr() % 256, 0);
        }
        let units = SyncPool::bounded(2);
        let a = units.alloc(());
        let _b = units.alloc(());
        assert!(units.try_alloc(()).is_err());
        drop(a);
        assert!(units.try_alloc(()).is_ok());
    }

    #[test]
    fn over_aligned_zero_sized_values_have_slots_of_their_own() {
        #[derive(Debug)]
        #[repr(align(1024))]
        struct Marker;
        let pool = SyncPool::bounded(9);
        let boxes: Vec<_> = (0..9).map(|_| pool.alloc(Marker)).collect();
        let mut addresses: Vec<usize> = boxes
            .iter()
            .map(|b| (&**b as *const Marker).addr())
            .collect();
        assert!(addresses.iter().all(|a| a % 1024 == 0));
        addresses.sort_unstable();
        addresses.dedup();
        assert_eq!(addresses.len(), 9);
        drop(boxes);
        assert!(pool.is_empty());
    }

    #[test]
    fn a_box_is_one_pointer() {
        assert_eq!(size_of::<PoolBox<'_, [u64; 8]>>(), size_of::<usize>());
        assert_eq!(size_of::<Option<PoolBox<'_, String>>>(), size_of::<usize>());
        assert_eq!(size_of::<PoolBox<'_, ()>>(), size_of::<usize>());
    }

    /// Values spread over many segments each find their pool when freed,
    /// in any order, from any of them.
    #[test]
    fn values_in_many_segments() {
        let count = if cfg!(miri) { 130 } else { 1000 };
        let pool = SyncPool::bounded(count);
        let mut boxes: Vec<_> = (0..count).map(|i| pool.alloc([i; 8])).collect();
        assert!(pool.try_alloc([0; 8]).is_err());
        for (i, b) in boxes.iter().enumerate() {
            assert_eq!(**b, [i; 8]);
        }
        // Free every third, from the back, then refill.
        let mut kept = Vec::new();
        while let Some(b) = boxes.pop() {
            if b[0] % 3 == 0 {
                drop(b);
            } else {
                kept.push(b);
            }
        }
        assert_eq!(pool.len(), kept.len());
        let refilled: Vec<_> = (0..count - kept.len())
            .map(|i| pool.alloc([count + i; 8]))
            .collect();
        assert_eq!(pool.len(), count);
        let mut seen: Vec<usize> = kept.iter().chain(&refilled).map(|b| b[0]).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), count, "no slot handed out twice");
        drop(kept);
        drop(refilled);
        assert!(pool.is_empty());
    }

    /// A growing pool adds parts as values come, never moves one, reuses
    /// freed slots of older parts before it grows again, and frees every
    /// value at the end.
    #[test]
    fn a_growing_pool_grows_by_parts_and_reuses_them() {
        // 256-byte values: 15 per 4 KiB segment, so parts of 60, 60, 120,
        // ... slots, and a few hundred values make several parts.
        type Item = (Vec<usize>, [u8; 232]);
        let item = |i: usize| -> Item { (alloc::vec![i], [0; 232]) };
        let count = if cfg!(miri) { 150 } else { 2000 };
        let pool = SyncPool::new();
        assert_eq!((pool.len(), pool.capacity()), (0, 0));
        let boxes: Vec<_> = (0..count).map(|i| pool.alloc(item(i))).collect();
        let capacity = pool.capacity();
        assert!(capacity >= count && capacity < 4 * count, "{capacity}");
        let parts = pool.chunks.as_ref().unwrap().len();
        assert!(parts > if cfg!(miri) { 1 } else { 2 }, "{parts} parts");
        assert_eq!(pool.len(), count);
        let addresses: Vec<*const Item> = boxes.iter().map(|b| &**b as *const _).collect();
        for (i, b) in boxes.iter().enumerate() {
            assert_eq!(b.0, [i]);
        }
        // Fill every slot, free the older half of the values, then fill
        // again: the freed slots are found, so the pool does not grow.
        let rest: Vec<_> = (count..capacity).map(|i| pool.alloc(item(i))).collect();
        assert_eq!(pool.capacity(), capacity);
        let older = addresses[..count / 2].to_vec();
        let mut boxes = boxes;
        let kept = boxes.split_off(count / 2);
        drop(boxes);
        let again: Vec<_> = (0..count / 2)
            .map(|_| pool.alloc((Vec::new(), [1; 232])))
            .collect();
        assert_eq!(pool.capacity(), capacity, "freed slots were reused");
        let mut reused: Vec<_> = again.iter().map(|b| &**b as *const Item).collect();
        reused.sort_unstable();
        let mut expected = older;
        expected.sort_unstable();
        assert!(reused == expected, "the freed slots were reused");
        for (b, &address) in kept.iter().zip(&addresses[count / 2..]) {
            assert!(core::ptr::eq(&**b, address), "a value moved");
        }
        drop((kept, again, rest));
        assert!(pool.is_empty());
    }

    #[test]
    fn growing_pools_of_odd_types() {
        #[derive(Debug)]
        #[repr(align(4096))]
        struct Page(u8);
        let pages = SyncPool::new();
        let held: Vec<_> = (0..20).map(|i| pages.alloc(Page(i))).collect();
        assert!(
            held.iter()
                .all(|p| (&**p as *const Page).addr().is_multiple_of(4096))
        );
        assert!(held.iter().enumerate().all(|(i, p)| p.0 as usize == i));
        let units = SyncPool::with_capacity(1);
        let all: Vec<_> = (0..100).map(|_| units.alloc(())).collect();
        let mut addresses: Vec<usize> = all.iter().map(|b| (&**b as *const ()).addr()).collect();
        addresses.sort_unstable();
        addresses.dedup();
        assert_eq!(addresses.len(), 100);
        assert_eq!(units.len(), 100);
    }

    #[test]
    fn cache_limit_is_bounded() {
        assert_eq!(layout::cache_limit(0), 0);
        assert_eq!(layout::cache_limit(7), 0);
        assert_eq!(layout::cache_limit(64), 8);
        assert_eq!(layout::cache_limit(1 << 20), 32);
        assert_eq!(layout::cache_limit(usize::MAX), 32);
    }
}
