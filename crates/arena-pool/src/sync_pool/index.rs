//! [`IndexSet`]: a concurrent set of slot indices (the free slots of a pool),
//! made of the shared bitmap and one cache per thread.

use alloc::vec::Vec;
use core::sync::atomic::AtomicU64 as IdCounter;

use super::layout::{CACHE_MAX, MAX_SLOTS, Tokens, cache_limit, handover_count, refill_count};
use super::shards::{Shard, ShardTable};
use super::{thread_number, ways};
use crate::bitmap::BoxedBitmap;
use crate::sync::{self, CachePadded, Ordering};

/// What a pop that finds the shared bitmap and its own cache empty does
/// about indices in other threads' caches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reclaim {
    /// Nothing: reports the set empty.
    Never,
    /// Takes the caches of exited threads and asks live ones to hand theirs
    /// back at their next push, once, without waiting.
    Once,
    /// As `Once`, then yields and looks again while live threads' caches
    /// hold indices, up to [`RECLAIM_ATTEMPTS`] looks.
    Wait,
}

/// How many times a pop that finds the set empty looks again while other
/// threads' caches hold indices.
const RECLAIM_ATTEMPTS: u32 = if cfg!(loom) { 2 } else { 64 };

/// The id of the next set; ids start above [`ways::NO_SET`], step by
/// [`ways::ID_STEP`] and are never reused (the 64-bit counter wraps after
/// 2^60 sets, centuries of making one every few nanoseconds), so a
/// thread-local entry naming a dropped set never matches a live one. Not
/// modeled under loom: only its uniqueness matters.
static NEXT_ID: IdCounter = IdCounter::new(ways::NO_SET + 1);

/// A wrapping count read as a number in `0..=capacity`: a reader racing
/// with updates may see it off by the updates in flight.
fn clamp_count(count: usize, capacity: usize) -> usize {
    (count as isize).clamp(0, capacity as isize) as usize
}

/// A set of indices in `0..capacity`.
///
/// Callers see indices as tokens (see [`Tokens`]); shard caches hold
/// tokens, the shared bitmap indices.
///
/// Invariant: every index of `0..capacity` is, at any time, in exactly one of
/// the shared bitmap, one shard's cache, or the hands of one caller (between
/// `pop` and `push`). A shard holds at most `limit` indices, and
/// `limit <= CACHE_MAX`.
#[derive(Debug)]
pub(crate) struct IndexSet {
    /// This set's id, unique in the process; keys the thread-local table.
    id: u64,
    list: CachePadded<BoxedBitmap>,
    capacity: usize,
    shards: ShardTable,
    limit: u32,
    tokens: Tokens,
}

impl IndexSet {
    /// A set over `0..capacity`, holding all of them if `full`, none
    /// otherwise, with the default cache limit.
    ///
    /// `capacity` must not exceed `MAX_SLOTS`.
    pub(crate) fn new(capacity: usize, full: bool, tokens: Tokens) -> Self {
        Self::with_limit(capacity, full, cache_limit(capacity), tokens)
    }

    /// As [`new`](Self::new), with threads caching up to `limit` indices
    /// (at most `CACHE_MAX`).
    pub(crate) fn with_limit(capacity: usize, full: bool, limit: u32, tokens: Tokens) -> Self {
        debug_assert!(capacity <= MAX_SLOTS);
        let limit = limit.min(CACHE_MAX as u32);
        Self {
            id: NEXT_ID.fetch_add(ways::ID_STEP, core::sync::atomic::Ordering::Relaxed),
            list: CachePadded(BoxedBitmap::new(capacity, full)),
            capacity,
            shards: ShardTable::new(limit),
            limit,
            tokens,
        }
    }

    /// This set's id, unique in the process.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// An id that no set has (taken from the same counter), so that a
    /// [`push_cached`](Self::push_cached) with it always fails: a segment
    /// header naming it sends every push of its slots to the slow path.
    pub(crate) fn unmatched_id() -> u64 {
        NEXT_ID.fetch_add(ways::ID_STEP, core::sync::atomic::Ordering::Relaxed)
    }

    /// How many indices the set can hold.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// The calling thread's shard, if the thread-local table remembers it.
    #[inline(always)]
    fn remembered_shard(&self) -> Option<&Shard> {
        let shard = ways::remembered(self.id)?;
        // SAFETY: by the `Way` invariant, an entry with this set's id points
        // to the calling thread's shard in the set with that id, which is
        // `self` (ids are unique), and stays valid while `self` lives.
        Some(unsafe { &*shard })
    }

    /// The calling thread's shard, found through its slot number and
    /// remembered in the thread-local table; `None` when this set caches
    /// nothing or the thread has given its number back.
    fn attach(&self) -> Option<&Shard> {
        if self.limit == 0 {
            return None;
        }
        let number = thread_number::current_slot_number()?;
        let shard = self.shards.get(number);
        ways::remember(self.id, shard);
        Some(shard)
    }

    /// Takes an index out of the set and returns its token. A thread
    /// finding the set empty may then look in other threads' caches, as
    /// `reclaim` says.
    #[inline(always)]
    pub(crate) fn pop(&self, reclaim: Reclaim) -> Option<usize> {
        if let Some(token) = self.pop_cached() {
            return Some(token);
        }
        self.pop_slow(reclaim)
    }

    /// The fast path of [`pop`](Self::pop): a token from the calling
    /// thread's cache when the thread-local table remembers it and it is
    /// not empty; `None` otherwise, when the caller goes on to `pop`.
    #[inline(always)]
    pub(crate) fn pop_cached(&self) -> Option<usize> {
        let shard = self.remembered_shard()?;
        let len = shard.len.load(Ordering::Relaxed);
        if len == 0 {
            return None;
        }
        let index = shard.item(len - 1).load(Ordering::Relaxed);
        shard.len.store(len - 1, Ordering::Relaxed);
        Some(index)
    }

    /// A pop that missed the fast path: the thread's shard was not
    /// remembered, or its cache is empty and takes a batch from the shared
    /// list.
    #[cold]
    #[inline(never)]
    pub(crate) fn pop_slow(&self, reclaim: Reclaim) -> Option<usize> {
        if let Some(shard) = self.attach() {
            let len = shard.len.load(Ordering::Relaxed);
            if len != 0 {
                let index = shard.item(len - 1).load(Ordering::Relaxed);
                shard.len.store(len - 1, Ordering::Relaxed);
                return Some(index);
            }
            // An empty cache asked to stay empty takes only what it needs.
            let cap = shard.cap.load(Ordering::Relaxed);
            let mut first = None;
            let mut cached = 0;
            let identity = self.tokens == Tokens::INDICES;
            self.list.take(refill_count(cap), |index| {
                let token = if identity {
                    index as usize
                } else {
                    self.tokens.token(index)
                };
                if first.is_none() {
                    first = Some(token);
                } else {
                    shard.item(cached).store(token, Ordering::Relaxed);
                    cached += 1;
                }
            });
            if first.is_some() {
                shard.len.store(cached, Ordering::Relaxed);
                return first;
            }
        } else if let Some(index) = self.list.take_one() {
            return Some(self.tokens.token(index));
        }
        match reclaim {
            Reclaim::Never => None,
            Reclaim::Once => self.reclaim_and_pop(1),
            Reclaim::Wait => self.reclaim_and_pop(RECLAIM_ATTEMPTS),
        }
    }

    /// The slow path of a pop that found the set empty. Free indices may
    /// still sit in caches: those of exited threads are taken here; live
    /// owners are asked (through their shard's `cap`) to give theirs back at
    /// their next push, and this thread yields for a while to let them, or
    /// to let exiting threads finish, up to `attempts` looks in all. When
    /// every cache is empty the set is truly empty and this returns at once.
    #[cold]
    fn reclaim_and_pop(&self, attempts: u32) -> Option<usize> {
        if self.limit == 0 {
            return None;
        }
        for attempt in 0..attempts {
            if attempt > 0 {
                sync::yield_now();
            }
            // Caches of numbers no thread holds are ours to empty while the
            // registry is locked.
            let stranded = thread_number::with_registry(|registry| {
                let mut stranded = false;
                for (number, shard) in self.shards.iter() {
                    let len = shard.len.load(Ordering::Relaxed);
                    if len == 0 {
                        continue;
                    }
                    if registry.is_held(number) {
                        shard.cap.store(0, Ordering::Relaxed);
                        stranded = true;
                    } else {
                        shard.cap.store(self.limit, Ordering::Relaxed);
                        self.hand_over(shard, len, None);
                    }
                }
                stranded
            });
            if let Some(index) = self.list.take_one() {
                return Some(self.tokens.token(index));
            }
            if !stranded {
                return None;
            }
        }
        None
    }

    /// Moves the `count` oldest tokens of a shard's cache, and `extra` if
    /// given, as indices to the shared bitmap and moves the rest down.
    /// The caller is the shard's owner, or holds the registry lock while no
    /// thread holds the shard's number.
    ///
    /// Every token a thread frees beyond its cache passes here once, so the
    /// loop over the batch is kept to a load and a bit per token: tokens
    /// that are indices (`Tokens::INDICES`) skip the layout arithmetic, and
    /// `extra`, rare, goes in a batch of its own.
    fn hand_over(&self, shard: &Shard, count: u32, extra: Option<usize>) {
        let len = shard.len.load(Ordering::Relaxed);
        debug_assert!(count <= len);
        let tokens = self.tokens;
        let (handed, kept) = shard.items[..len as usize].split_at(count as usize);
        let cached = handed.iter().map(|item| item.load(Ordering::Relaxed));
        if tokens == Tokens::INDICES {
            // Tokens below `MAX_SLOTS` are their indices.
            self.list.give(cached.map(|token| token as u32));
        } else {
            self.list.give(cached.map(|token| tokens.index(token)));
        }
        if let Some(token) = extra {
            self.list.give([tokens.index(token)]);
        }
        for (to, from) in shard.items.iter().zip(kept) {
            to.store(from.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        shard.len.store(len - count, Ordering::Relaxed);
    }

    /// Puts the index of `token` back. `token` must have come from `pop`
    /// and not have been put back since.
    #[inline(always)]
    pub(crate) fn push(&self, token: usize) {
        // SAFETY: `self` is the set with this id, alive during the call.
        if !unsafe { Self::push_cached(self.id, token) } {
            self.push_slow(token);
        }
    }

    /// The fast path of a push of `token` into the set with id `set_id`:
    /// into the calling thread's cache, when the thread-local table
    /// remembers it and it has room. Returns whether it did; if not, the
    /// caller calls [`push_slow`](Self::push_slow) on that set.
    ///
    /// # Safety
    ///
    /// The set with id `set_id` is alive for the duration of the call, and
    /// `token` came from its `pop` and was not pushed since; or `set_id` is
    /// an [`unmatched_id`](Self::unmatched_id), for which the call returns
    /// `false` and touches nothing.
    #[inline(always)]
    pub(crate) unsafe fn push_cached(set_id: u64, token: usize) -> bool {
        let Some(shard) = ways::remembered(set_id) else {
            return false;
        };
        // SAFETY: by the `Way` invariant, an entry with this id points to
        // the calling thread's shard in the set with that id, valid while
        // that set lives, which the caller guarantees.
        let shard = unsafe { &*shard };
        let len = shard.len.load(Ordering::Relaxed);
        if len < shard.cap.load(Ordering::Relaxed) {
            shard.item(len).store(token, Ordering::Relaxed);
            shard.len.store(len + 1, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// A push that missed the fast path: the thread's shard was not
    /// remembered, its cache is full, or another thread asked for it.
    #[cold]
    #[inline(never)]
    pub(crate) fn push_slow(&self, token: usize) {
        let Some(shard) = self.remembered_shard().or_else(|| self.attach()) else {
            self.list.give([self.tokens.index(token)]);
            return;
        };
        let len = shard.len.load(Ordering::Relaxed);
        let cap = shard.cap.load(Ordering::Relaxed);
        if cap < self.limit {
            // Another thread found the set empty: give everything back.
            shard.cap.store(self.limit, Ordering::Relaxed);
            self.hand_over(shard, len, Some(token));
        } else if len < cap {
            shard.item(len).store(token, Ordering::Relaxed);
            shard.len.store(len + 1, Ordering::Relaxed);
        } else {
            // Full: the older half goes to the shared bitmap (at least one
            // token, so that a cache of one keeps one after the push).
            self.hand_over(shard, handover_count(len), None);
            let len = shard.len.load(Ordering::Relaxed);
            shard.item(len).store(token, Ordering::Relaxed);
            shard.len.store(len + 1, Ordering::Relaxed);
        }
    }

    /// How many indices are in the set. Exact when no call runs
    /// concurrently.
    pub(crate) fn len(&self) -> usize {
        let mut count = self.list.len();
        for (_, shard) in self.shards.iter() {
            count = count.wrapping_add(shard.len.load(Ordering::Relaxed) as usize);
        }
        clamp_count(count, self.capacity())
    }

    /// The token of every index in the set, removed from it. Needs exclusive
    /// access, so caches of all threads can be read.
    pub(crate) fn drain(&mut self) -> Vec<usize> {
        let tokens = self.tokens;
        let mut out: Vec<usize> = self
            .list
            .0
            .drain()
            .map(|index| tokens.token(index))
            .collect();
        for (_, shard) in self.shards.iter() {
            let len = shard.len.load(Ordering::Relaxed);
            out.extend((0..len).map(|at| shard.item(at).load(Ordering::Relaxed)));
        }
        out
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// A cache limited to one token keeps at most one: a full cache hands
    /// one over before it takes the next.
    #[test]
    fn a_cache_of_one_never_holds_two() {
        let set = IndexSet::with_limit(8, true, 1, Tokens::INDICES);
        let held: Vec<usize> = (0..8).map(|_| set.pop(Reclaim::Wait).unwrap()).collect();
        set.push(held[0]);
        set.push(held[1]);
        let shard = set.remembered_shard().unwrap();
        assert_eq!(shard.len.load(Ordering::Relaxed), 1);
        assert_eq!(set.list.len(), 1);
        for &token in &held[2..] {
            set.push(token);
            assert!(shard.len.load(Ordering::Relaxed) <= 1);
        }
        assert_eq!(set.len(), 8);
    }

    #[test]
    fn batches_move_between_cache_and_list() {
        let set = IndexSet::with_limit(100, true, 8, Tokens::INDICES);
        // The first pop takes 4 from the list: one out, 3 cached.
        let a = set.pop(Reclaim::Wait).unwrap();
        assert_eq!(set.list.len(), 96);
        assert_eq!(set.len(), 99);
        let mut held = alloc::vec![a];
        held.extend((0..99).map(|_| set.pop(Reclaim::Wait).unwrap()));
        assert_eq!(set.pop(Reclaim::Wait), None);
        let mut sorted = held.clone();
        sorted.sort_unstable();
        assert!(sorted.iter().copied().eq(0..100), "each index once");
        // Pushes fill the cache, then hand the older half over.
        for &index in &held[..9] {
            set.push(index);
        }
        assert_eq!(set.list.len(), 4);
        assert_eq!(set.len(), 9);
        for &index in &held[9..] {
            set.push(index);
        }
        assert_eq!(set.len(), 100);
        let mut set = set;
        let mut drained = set.drain();
        drained.sort_unstable();
        assert!(drained.iter().copied().eq(0..100));
    }

    #[test]
    fn a_request_empties_the_cache_at_the_next_push() {
        let set = IndexSet::with_limit(
            10,
            true,
            4,
            Tokens {
                base: 1 << 20,
                layout: super::super::layout::SegmentLayout::new(3, 1).unwrap(),
            },
        );
        let held: Vec<usize> = (0..10).map(|_| set.pop(Reclaim::Wait).unwrap()).collect();
        for &index in &held[..3] {
            set.push(index);
        }
        assert_eq!(set.list.len(), 0);
        let shard = set.remembered_shard().unwrap();
        shard.cap.store(0, Ordering::Relaxed);
        set.push(held[3]);
        assert_eq!(set.list.len(), 4);
        assert_eq!(shard.len.load(Ordering::Relaxed), 0);
        assert_eq!(shard.cap.load(Ordering::Relaxed), 4);
        set.push(held[4]);
        assert_eq!(shard.len.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn no_cache_without_limit() {
        let set = IndexSet::with_limit(3, true, 0, Tokens::INDICES);
        let a = set.pop(Reclaim::Wait).unwrap();
        set.push(a);
        assert!(set.remembered_shard().is_none());
        assert_eq!(set.list.len(), 3);
    }
}

/// Model checks of the caches themselves, with a limit that small sets do
/// not get by default.
#[cfg(all(test, loom))]
mod loom_tests {
    use super::*;
    use crate::sync::AtomicU32;
    use loom::sync::Arc;
    use loom::thread;

    /// Marks `index` as held by one owner, failing if it already is.
    fn take(owners: &[AtomicU32], index: usize) {
        let before = owners[index].swap(1, Ordering::Relaxed);
        assert_eq!(before, 0, "index {index} has two owners");
    }

    fn give(owners: &[AtomicU32], index: usize) {
        owners[index].store(0, Ordering::Relaxed);
    }

    /// Two threads pop and push through their caches; no index has two
    /// owners, and after they exit every index comes back.
    #[test]
    fn cached_pops_and_pushes() {
        loom::model(|| {
            let set = Arc::new(IndexSet::with_limit(3, true, 2, Tokens::INDICES));
            let owners: Arc<Vec<AtomicU32>> = Arc::new((0..3).map(|_| AtomicU32::new(0)).collect());
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (set, owners) = (Arc::clone(&set), Arc::clone(&owners));
                    thread::spawn(move || {
                        for _ in 0..2 {
                            let index = set.pop(Reclaim::Wait).expect("one index per thread");
                            take(&owners, index);
                            give(&owners, index);
                            set.push(index);
                        }
                    })
                })
                .collect();
            for h in handles {
                h.join().unwrap();
            }
            assert_eq!(set.len(), 3);
            let mut all: Vec<usize> = (0..3).map(|_| set.pop(Reclaim::Wait).unwrap()).collect();
            assert_eq!(set.pop(Reclaim::Wait), None);
            all.sort_unstable();
            assert_eq!(all, [0, 1, 2]);
        });
    }

    /// A thread keeps a freed index in its cache; another finds the list
    /// empty, asks for it, and gets it once the owner pushes again or exits.
    /// The index is never owned twice.
    #[test]
    fn cached_index_is_handed_back_on_request() {
        loom::model(|| {
            let set = Arc::new(IndexSet::with_limit(2, true, 1, Tokens::INDICES));
            let owners: Arc<Vec<AtomicU32>> = Arc::new((0..2).map(|_| AtomicU32::new(0)).collect());
            let mine = set.pop(Reclaim::Wait).unwrap();
            take(&owners, mine);
            let h = {
                let (set, owners) = (Arc::clone(&set), Arc::clone(&owners));
                thread::spawn(move || {
                    // A pop may fail while the main thread holds both.
                    for _ in 0..2 {
                        if let Some(index) = set.pop(Reclaim::Wait) {
                            take(&owners, index);
                            give(&owners, index);
                            set.push(index);
                        }
                    }
                })
            };
            let second = set.pop(Reclaim::Wait);
            if let Some(index) = second {
                take(&owners, index);
            }
            h.join().unwrap();
            // After the other thread exits nothing is out of reach.
            let second = second.or_else(|| {
                let index = set
                    .pop(Reclaim::Wait)
                    .expect("the exited thread's cache is reclaimed");
                take(&owners, index);
                Some(index)
            });
            assert_ne!(second, Some(mine));
            assert_eq!(set.len(), 0);
            assert_eq!(set.pop(Reclaim::Wait), None);
        });
    }
}
