//! The per-thread arenas of a [`SyncArena`](super::SyncArena) and how a
//! thread finds its own.
//!
//! A `SyncArena` keeps a table of [`Arena`]s, each in its own cache-line
//! aligned box. A thread that allocates for the first time claims one: of
//! the unused ones and those whose thread has exited, the one with the most
//! room left in its current chunk, or else a new one. (So a thread that
//! starts late, after another has finished its work and let its arena go,
//! takes an arena nobody used since the last reset rather than bumping on
//! after the other thread's values: one arena would otherwise outgrow its
//! chunk while the other stays idle.) It then remembers
//! the arena's id and that box in a small thread-local table ([`CACHE`]), so
//! later allocations find it with one thread-local load and one compare, and
//! then bump with no atomic operation and no cache line another thread
//! writes.
//!
//! # Who may use an arena of the table
//!
//! Each entry has an [`Owner`]; only the owner calls the arena's methods:
//! - `Thread(token)`: the live thread holding `token`, through its cache;
//! - `Lent`: one [`Lease`] (a [`LocalArena`](super::LocalArena) or a
//!   single call made while the thread's locals are being destroyed);
//! - `Free`: nobody.
//!
//! Ownership changes only with the table's lock held. A thread gives up its
//! entries when it exits: its [`Token`]'s destructor first clears the
//! thread's cache (so the thread can no longer reach the arenas), then
//! stores `false` in the token with release ordering; a thread that later
//! loads `false` with acquire ordering, under the lock, takes the entry over
//! and sees every write the exited thread made. A lease hands its entry back
//! under the lock, which orders its uses before the next owner's.
//! `&mut SyncArena` proves that no thread is using any arena at all.
//!
//! Arena ids come from a process-wide counter and are never reused, so a
//! cache entry that names a dropped arena never matches a live one.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::Cell;
use core::ptr::{self, NonNull};
use core::sync::atomic::AtomicU64 as IdCounter;

use crate::Arena;
use crate::budget::Budget;
use crate::sync::{self, AtomicU32, CachePadded, Mutex, Ordering};

/// One per-thread arena, in a box of its own aligned to a cache line, so
/// that two threads' cursors never share one.
#[derive(Debug)]
struct Slot {
    arena: Arena,
    /// Under loom, every use of the arena is recorded as a write of this
    /// cell, so the model checker reports two owners whose uses are not
    /// ordered. Without loom it takes no space.
    #[cfg(loom)]
    witness: sync::RawCell<()>,
}

impl Slot {
    fn new(arena: Arena) -> Self {
        Self {
            arena,
            #[cfg(loom)]
            witness: sync::RawCell::new(()),
        }
    }

    /// The arena, for its owner.
    #[inline(always)]
    fn arena(&self) -> &Arena {
        #[cfg(loom)]
        let _ = self.witness.get();
        &self.arena
    }
}

/// The id no arena has.
const NO_ID: u64 = 0;

/// The id of the next `SyncArena`. Not modeled under loom: only its
/// uniqueness matters, and a 64-bit counter does not wrap.
static NEXT_ID: IdCounter = IdCounter::new(NO_ID + 1);

/// How many `SyncArena`s a thread finds without locking: an arena with id
/// `id` uses entry `id % WAYS`.
const WAYS: usize = 8;

/// One entry of [`CACHE`].
///
/// Invariant: when `id` is not [`NO_ID`], `arena` is the arena of the table
/// with that id that this thread owns (as `Owner::Thread`); it stays valid
/// while that table lives, and the entry is cleared before the thread gives
/// the arena up.
struct Way {
    id: Cell<u64>,
    slot: Cell<*const Slot>,
}

impl Way {
    const fn new() -> Self {
        Self {
            id: Cell::new(NO_ID),
            slot: Cell::new(ptr::null()),
        }
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// This thread's arenas in recently used `SyncArena`s. Constant
    /// initialized and without destructor: reaching it costs one address
    /// computation, and it stays usable until the thread ends.
    static CACHE: [Way; WAYS] = const { [const { Way::new() }; WAYS] };
}
#[cfg(loom)]
loom::thread_local! {
    static CACHE: [Way; WAYS] = [const { Way::new() }; WAYS];
}

/// Whether a thread still runs; shared between the thread and the tables
/// whose arenas it owns. Holds 1 while the thread may use its arenas, 0
/// afterwards.
#[derive(Debug)]
struct Liveness(AtomicU32);

/// A thread's liveness, marked dead when the thread's locals are destroyed.
struct Token(Arc<Liveness>);

impl Drop for Token {
    fn drop(&mut self) {
        // Forget every arena first: from here on, this thread reaches an
        // arena only through a lease.
        let _ = CACHE.try_with(|ways| {
            for way in ways {
                way.id.set(NO_ID);
                way.slot.set(ptr::null());
            }
        });
        // Release: every use of the arenas above happens before a new
        // owner's acquire load of 0.
        self.0.0.store(0, Ordering::Release);
    }
}

sync::thread_local! {
    static TOKEN: Token = Token(Arc::new(Liveness(AtomicU32::new(1))));
}

/// Who may use an entry's arena (see the module documentation).
#[derive(Debug)]
enum Owner {
    Free,
    Thread(Arc<Liveness>),
    Lent,
}

impl Owner {
    /// Whether a thread may take the entry. Called with the lock held.
    fn is_free(&self) -> bool {
        match self {
            Self::Free => true,
            // Acquire: pairs with the release store of the exiting thread.
            Self::Thread(live) => live.0.load(Ordering::Acquire) == 0,
            Self::Lent => false,
        }
    }
}

#[derive(Debug)]
struct Entry {
    /// A box made by `Box::into_raw`, freed when the table drops.
    slot: NonNull<CachePadded<Slot>>,
    owner: Owner,
}

/// The per-thread arenas of one `SyncArena`.
#[derive(Debug)]
pub(crate) struct Threads {
    id: u64,
    entries: Mutex<Vec<Entry>>,
    budget: Arc<Budget>,
}

// SAFETY: the arenas are reached by one owner at a time (module docs), and
// an `Arena` may move between threads (`Arena: Send`); the table's own
// fields are behind a mutex or immutable.
unsafe impl Send for Threads {}
// SAFETY: as above: shared access hands each arena to one owner at a time,
// ordered by the lock or by the liveness token's release and acquire.
unsafe impl Sync for Threads {}

impl Threads {
    /// An empty table whose arenas count their chunks in `budget`.
    pub(crate) fn new(budget: Arc<Budget>) -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, core::sync::atomic::Ordering::Relaxed),
            entries: Mutex::new(Vec::new()),
            budget,
        }
    }

    /// The budget shared by every arena of the table.
    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Runs `f` with the calling thread's arena.
    ///
    /// `f` may keep references into the arena's memory (valid for `'a`) but
    /// must not keep the `&Arena` itself: after this call another thread may
    /// own it.
    #[inline(always)]
    pub(crate) fn with_arena<'a, R>(&'a self, f: impl FnOnce(&'a Arena) -> R) -> R {
        match self.cached() {
            // SAFETY: the cache entry names this table, so (`Way` invariant)
            // the arena is this thread's and lives as long as the table.
            Some(slot) => f(unsafe { &*slot }.arena()),
            None => self.with_arena_slow(f),
        }
    }

    /// The calling thread's arena, if the thread-local cache has it.
    #[inline(always)]
    fn cached(&self) -> Option<*const Slot> {
        CACHE
            .try_with(|ways| {
                let way = &ways[self.id as usize % WAYS];
                (way.id.get() == self.id).then(|| way.slot.get())
            })
            .ok()
            .flatten()
    }

    #[cold]
    #[inline(never)]
    fn with_arena_slow<'a, R>(&'a self, f: impl FnOnce(&'a Arena) -> R) -> R {
        if let Some(slot) = self.claim() {
            // SAFETY: `claim` made this thread the arena's owner; the arena
            // lives as long as the table.
            return f(unsafe { &*slot }.arena());
        }
        // The thread's locals are being destroyed: borrow an arena for this
        // one call.
        let lease = self.lease();
        f(lease.arena())
    }

    /// Makes the calling thread the owner of an arena of this table (the
    /// one it owns already, if any) and remembers it in the cache; `None`
    /// if the thread's locals are being destroyed.
    fn claim(&self) -> Option<*const Slot> {
        let token = TOKEN.try_with(|token| Arc::clone(&token.0)).ok()?;
        let mut entries = sync::lock(&self.entries);
        let mine = entries.iter().position(
            |entry| matches!(&entry.owner, Owner::Thread(live) if Arc::ptr_eq(live, &token)),
        );
        let index = mine
            .or_else(|| roomiest_free(&entries))
            .unwrap_or_else(|| self.push(&mut entries));
        entries[index].owner = Owner::Thread(token);
        let slot: *const Slot = &**slot_of(&entries[index]);
        drop(entries);
        let _ = CACHE.try_with(|ways| {
            let way = &ways[self.id as usize % WAYS];
            way.id.set(self.id);
            way.slot.set(slot);
        });
        Some(slot)
    }

    /// Adds a free entry with a new arena and returns its index.
    fn push(&self, entries: &mut Vec<Entry>) -> usize {
        let slot = Box::new(CachePadded(Slot::new(Arena::with_budget(Arc::clone(
            &self.budget,
        )))));
        entries.push(Entry {
            slot: NonNull::from(Box::leak(slot)),
            owner: Owner::Free,
        });
        entries.len() - 1
    }

    /// Lends an arena of this table for as long as the lease lives.
    pub(crate) fn lease(&self) -> Lease<'_> {
        let mut entries = sync::lock(&self.entries);
        let index = roomiest_free(&entries).unwrap_or_else(|| self.push(&mut entries));
        entries[index].owner = Owner::Lent;
        let slot = slot_of(&entries[index]);
        // SAFETY: the entry is now lent to this lease alone, and the box
        // lives as long as the table, which the lease borrows.
        let slot = unsafe { &*ptr::from_ref::<Slot>(slot) };
        Lease {
            threads: self,
            index,
            slot,
        }
    }

    /// Every arena of the table, each used by nobody else while the table
    /// is borrowed mutably. (Shared references, so that the pointers in
    /// threads' caches stay valid for when those threads come back.)
    pub(crate) fn quiet_arenas(&mut self) -> impl Iterator<Item = &Arena> {
        let entries = self
            .entries
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.iter_mut().map(|entry| {
            // No lease can be alive while the table is borrowed mutably.
            if matches!(entry.owner, Owner::Lent) {
                entry.owner = Owner::Free;
            }
            slot_of(entry).arena()
        })
    }

    /// How many arenas the table holds.
    pub(crate) fn len(&self) -> usize {
        sync::lock(&self.entries).len()
    }
}

/// The index of the free entry whose arena has the most room left in its
/// current chunk (the first such on a tie), if any entry is free. Called
/// with the lock held: a free arena's last owner let it go under the lock or
/// (an exited thread) before the release store that `is_free` acquired, so
/// its cursor may be read here.
fn roomiest_free(entries: &[Entry]) -> Option<usize> {
    entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.owner.is_free())
        .rev()
        .max_by_key(|(_, entry)| slot_of(entry).arena().remaining_capacity())
        .map(|(index, _)| index)
}

/// The slot an entry holds.
fn slot_of(entry: &Entry) -> &CachePadded<Slot> {
    // SAFETY: the box is live while the table is; only a shared reference
    // is made, and arenas are used through `&self` methods.
    unsafe { entry.slot.as_ref() }
}

impl Drop for Threads {
    fn drop(&mut self) {
        let entries = self
            .entries
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for entry in entries.drain(..) {
            // SAFETY: the box came from `Box::leak` in `push`, and dropping
            // the table proves nothing uses it any more. Cache entries that
            // point at it name this table's id, which no table has again.
            drop(unsafe { Box::from_raw(entry.slot.as_ptr()) });
        }
    }
}

/// One arena of a table, lent until dropped.
#[derive(Debug)]
pub(crate) struct Lease<'a> {
    threads: &'a Threads,
    index: usize,
    slot: &'a Slot,
}

impl<'a> Lease<'a> {
    /// The lent arena. References into its memory stay valid for `'a`; the
    /// `&Arena` itself must not be used after the lease drops.
    pub(crate) fn arena(&self) -> &'a Arena {
        self.slot.arena()
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // The lock orders this lease's uses before the next owner's.
        sync::lock(&self.threads.entries)[self.index].owner = Owner::Free;
    }
}
