//! [`IndexSet`]: a concurrent set of slot indices (the free slots of a pool),
//! made of the shared tagged free list and one cache per thread.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::AtomicU64 as IdCounter;

use super::cache::{self, CACHE_MAX, Shard, ShardTable};
use super::free_list::{FreeList, NIL};
use super::slots::SegmentLayout;
use crate::sync::{self, AtomicU32, CachePadded, Ordering};

/// How many times a pop that finds the set empty looks again while other
/// threads' caches hold indices.
const RECLAIM_ATTEMPTS: u32 = if cfg!(loom) { 2 } else { 64 };

/// The id of the next set; ids start above [`cache::NO_SET`] and are never
/// reused (a 64-bit counter does not wrap), so a thread-local entry naming
/// a dropped set never matches a live one. Not modeled under loom: only its
/// uniqueness matters.
static NEXT_ID: IdCounter = IdCounter::new(cache::NO_SET + 1);

/// How many indices a thread may cache in a set of `capacity` indices: at
/// most an eighth of them, so small sets stay exact, and at most
/// [`CACHE_MAX`].
pub(crate) const fn cache_limit(capacity: usize) -> u32 {
    let share = capacity / 8;
    if share < CACHE_MAX {
        share as u32
    } else {
        CACHE_MAX as u32
    }
}

/// How many indices a thread whose cache is empty takes from the shared
/// list at once: half its cache, so that alternating runs of pops and pushes
/// touch the shared list once per half cache, and at least the one it needs.
const fn refill_count(limit: u32) -> u32 {
    if limit / 2 > 1 { limit / 2 } else { 1 }
}

/// A wrapping count read as a number in `0..=capacity`: a reader racing
/// with updates may see it off by the updates in flight.
fn clamp_count(count: usize, capacity: usize) -> usize {
    (count as isize).clamp(0, capacity as isize) as usize
}

/// How a set names its indices outside the shared list: index `i` is the
/// *token* `base + layout.slot_offset(i)`. A pool makes the token of a slot
/// its value's address, so a thread gets the address straight from its
/// cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tokens {
    /// The token of index 0, less the layout's offset of slot 0.
    pub(crate) base: usize,
    /// Where each index's token lies from `base`; the caller makes sure
    /// `base + layout.slot_offset(capacity - 1)` does not overflow.
    pub(crate) layout: SegmentLayout,
}

impl Tokens {
    /// Tokens equal to indices.
    #[cfg(test)]
    pub(crate) const INDICES: Self = Self {
        base: 0,
        layout: SegmentLayout::IDENTITY,
    };

    /// The token of `index`.
    #[inline(always)]
    pub(crate) const fn token(self, index: u32) -> usize {
        self.base + self.layout.slot_offset(index)
    }

    /// The index of `token` (which `token` made).
    #[inline]
    pub(crate) const fn index(self, token: usize) -> u32 {
        self.layout.slot_index(token - self.base)
    }
}

/// A set of indices in `0..capacity`.
///
/// Callers see indices as tokens (see [`Tokens`]); shard caches hold
/// tokens, the shared list indices.
///
/// Invariant: every index of `0..capacity` is, at any time, in exactly one of
/// the shared list, one shard's cache, or the hands of one caller (between
/// `pop` and `push`). The links in `links` of the indices in the shared list
/// belong to the list; the others belong to whoever holds the index. A
/// shard holds at most `limit` indices, and `limit <= CACHE_MAX`.
#[derive(Debug)]
pub(crate) struct IndexSet {
    /// This set's id, unique in the process; keys the thread-local table.
    id: u64,
    list: CachePadded<FreeList>,
    links: Box<[AtomicU32]>,
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
        debug_assert!(capacity <= super::free_list::MAX_SLOTS);
        let limit = limit.min(CACHE_MAX as u32);
        let links: Box<[AtomicU32]> = (0..capacity).map(|_| AtomicU32::new(NIL)).collect();
        let initial = if full { capacity } else { 0 };
        Self {
            id: NEXT_ID.fetch_add(1, core::sync::atomic::Ordering::Relaxed),
            list: CachePadded(FreeList::new(&links, initial)),
            links,
            shards: ShardTable::new(limit),
            limit,
            tokens,
        }
    }

    /// This set's id, unique in the process.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// How many indices the set can hold.
    pub(crate) fn capacity(&self) -> usize {
        self.links.len()
    }

    /// The calling thread's shard, if the thread-local table remembers it.
    #[inline(always)]
    fn remembered_shard(&self) -> Option<&Shard> {
        let shard = cache::remembered(self.id)?;
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
        let number = cache::current_slot_number()?;
        let shard = self.shards.get(number);
        cache::remember(self.id, shard);
        Some(shard)
    }

    /// Takes an index out of the set and returns its token. With `reclaim`, a thread finding the
    /// set empty first asks other threads to empty their caches and moves
    /// the caches of exited threads to the shared list.
    #[inline(always)]
    pub(crate) fn pop(&self, reclaim: bool) -> Option<usize> {
        if let Some(shard) = self.remembered_shard() {
            let len = shard.len.load(Ordering::Relaxed);
            if len != 0 {
                let index = shard.item(len - 1).load(Ordering::Relaxed);
                shard.len.store(len - 1, Ordering::Relaxed);
                return Some(index);
            }
        }
        self.pop_slow(reclaim)
    }

    /// A pop that missed the fast path: the thread's shard was not
    /// remembered, or its cache is empty and takes a batch from the shared
    /// list.
    #[cold]
    #[inline(never)]
    fn pop_slow(&self, reclaim: bool) -> Option<usize> {
        if let Some(shard) = self.attach() {
            let len = shard.len.load(Ordering::Relaxed);
            if len != 0 {
                let index = shard.item(len - 1).load(Ordering::Relaxed);
                shard.len.store(len - 1, Ordering::Relaxed);
                return Some(index);
            }
            // An empty cache asked to stay empty takes only what it needs.
            let cap = shard.cap.load(Ordering::Relaxed);
            if let Some((first, count)) = self.list.pop_chain(&self.links, refill_count(cap)) {
                // The chain is ours now: its links are stable.
                let mut index = first;
                for at in 0..count - 1 {
                    index = self.links[index as usize].load(Ordering::Relaxed);
                    shard
                        .item(at)
                        .store(self.tokens.token(index), Ordering::Relaxed);
                }
                shard.len.store(count - 1, Ordering::Relaxed);
                return Some(self.tokens.token(first));
            }
        } else if let Some(index) = self.list.pop(&self.links) {
            return Some(self.tokens.token(index));
        }
        if reclaim {
            self.reclaim_and_pop()
        } else {
            None
        }
    }

    /// The slow path of a pop that found the set empty. Free indices may
    /// still sit in caches: those of exited threads are taken here; live
    /// owners are asked (through their shard's `cap`) to give theirs back at
    /// their next push, and this thread yields for a while to let them, or
    /// to let exiting threads finish. When every cache is empty the set is
    /// truly empty and this returns at once.
    #[cold]
    fn reclaim_and_pop(&self) -> Option<usize> {
        if self.limit == 0 {
            return None;
        }
        for attempt in 0..RECLAIM_ATTEMPTS {
            if attempt > 0 {
                sync::yield_now();
            }
            // Caches of numbers no thread holds are ours to empty while the
            // registry is locked.
            let stranded = cache::with_registry(|registry| {
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
            if let Some(index) = self.list.pop(&self.links) {
                return Some(self.tokens.token(index));
            }
            if !stranded {
                return None;
            }
        }
        None
    }

    /// Moves the `count` oldest tokens of a shard's cache, and `extra` if
    /// given, as indices to the shared list in one update, and moves the rest down.
    /// The caller is the shard's owner, or holds the registry lock while no
    /// thread holds the shard's number.
    fn hand_over(&self, shard: &Shard, count: u32, extra: Option<usize>) {
        let len = shard.len.load(Ordering::Relaxed);
        debug_assert!(count <= len);
        let mut chain = extra.map(|token| {
            let index = self.tokens.index(token);
            self.links[index as usize].store(NIL, Ordering::Relaxed);
            (index, index, 1)
        });
        for at in 0..count {
            let index = self.tokens.index(shard.item(at).load(Ordering::Relaxed));
            let (first, last, n) = chain.unwrap_or((NIL, index, 0));
            self.links[index as usize].store(first, Ordering::Relaxed);
            chain = Some((index, last, n + 1));
        }
        for at in count..len {
            let index = shard.item(at).load(Ordering::Relaxed);
            shard.item(at - count).store(index, Ordering::Relaxed);
        }
        shard.len.store(len - count, Ordering::Relaxed);
        if let Some((first, last, n)) = chain {
            self.list.push_chain(&self.links, first, last, n);
        }
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
    /// `token` came from its `pop` and was not pushed since.
    #[inline(always)]
    pub(crate) unsafe fn push_cached(set_id: u64, token: usize) -> bool {
        let Some(shard) = cache::remembered(set_id) else {
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
        let Some(shard) = self.attach() else {
            self.list.push(&self.links, self.tokens.index(token));
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
            // Full: the older half goes to the shared list.
            self.hand_over(shard, len / 2, None);
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
        let mut out = Vec::new();
        let mut index = self.list.top();
        while index != NIL {
            out.push(self.tokens.token(index));
            index = self.links[index as usize].load(Ordering::Relaxed);
        }
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

    #[test]
    fn limits() {
        assert_eq!(cache_limit(0), 0);
        assert_eq!(cache_limit(7), 0);
        assert_eq!(cache_limit(64), 8);
        assert_eq!(cache_limit(1 << 20), CACHE_MAX as u32);
        assert_eq!(refill_count(0), 1);
        assert_eq!(refill_count(3), 1);
        assert_eq!(refill_count(32), 16);
    }

    /// The largest index `tokens_round_trip` maps: the largest there is
    /// where `usize` is 64 bits wide; where it is 32, the largest whose
    /// 64-byte slot still fits in the address space above `1 << 20`.
    #[cfg(target_pointer_width = "64")]
    const LAST_INDEX: u32 = u32::MAX - 1;
    #[cfg(target_pointer_width = "32")]
    const LAST_INDEX: u32 = (1 << 24) - 1;

    #[test]
    fn tokens_round_trip() {
        let layout = |size, align| SegmentLayout::new(size, align).unwrap();
        for tokens in [
            Tokens::INDICES,
            Tokens {
                base: 4096,
                layout: layout(64, 8),
            },
            Tokens {
                base: 1 << 20,
                layout: layout(24, 8),
            },
            Tokens {
                base: 1 << 20,
                layout: layout(0, 4),
            },
        ] {
            for index in [0, 1, 7, 62, 63, 64, 1000, LAST_INDEX] {
                assert_eq!(tokens.index(tokens.token(index)), index);
            }
        }
        let top = Tokens::INDICES.token(u32::MAX - 1);
        assert_eq!(Tokens::INDICES.index(top), u32::MAX - 1);
        let lines = Tokens {
            base: 1 << 20,
            layout: layout(64, 8),
        };
        assert_eq!(lines.token(3), (1 << 20) + 64 + 3 * 64);
        // The 64th value starts the second segment, after its header.
        assert_eq!(lines.token(63), (1 << 20) + 4096 + 64);
    }

    #[test]
    fn batches_move_between_cache_and_list() {
        let set = IndexSet::with_limit(100, true, 8, Tokens::INDICES);
        // The first pop takes 4 from the list: one out, 3 cached.
        let a = set.pop(true).unwrap();
        assert_eq!(set.list.len(), 96);
        assert_eq!(set.len(), 99);
        let mut held = alloc::vec![a];
        held.extend((0..99).map(|_| set.pop(true).unwrap()));
        assert_eq!(set.pop(true), None);
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
                layout: SegmentLayout::new(3, 1).unwrap(),
            },
        );
        let held: Vec<usize> = (0..10).map(|_| set.pop(true).unwrap()).collect();
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
        let a = set.pop(true).unwrap();
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
                            let index = set.pop(true).expect("one index per thread");
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
            let mut all: Vec<usize> = (0..3).map(|_| set.pop(true).unwrap()).collect();
            assert_eq!(set.pop(true), None);
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
            let mine = set.pop(true).unwrap();
            take(&owners, mine);
            let h = {
                let (set, owners) = (Arc::clone(&set), Arc::clone(&owners));
                thread::spawn(move || {
                    // A pop may fail while the main thread holds both.
                    for _ in 0..2 {
                        if let Some(index) = set.pop(true) {
                            take(&owners, index);
                            give(&owners, index);
                            set.push(index);
                        }
                    }
                })
            };
            let second = set.pop(true);
            if let Some(index) = second {
                take(&owners, index);
            }
            h.join().unwrap();
            // After the other thread exits nothing is out of reach.
            let second = second.or_else(|| {
                let index = set
                    .pop(true)
                    .expect("the exited thread's cache is reclaimed");
                take(&owners, index);
                Some(index)
            });
            assert_ne!(second, Some(mine));
            assert_eq!(set.len(), 0);
            assert_eq!(set.pop(true), None);
        });
    }
}
