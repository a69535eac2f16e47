//! The thread-local *ways* table: for a few index sets, the set's id and
//! the address of the calling thread's shard in it, so that the fast path
//! of a pop or push is one thread-local load and one compare before it
//! reaches the shard.

use core::cell::Cell;
use core::ptr;

use super::shards::Shard;

/// How many index sets a thread finds through [`WAYS`] without a slow
/// lookup: a set with id `id` uses way `(id / ID_STEP) % WAY_COUNT`. Sets
/// made one after the other have ids `ID_STEP` apart, so a `SyncSlab`, one
/// set per page, keeps up to this many pages in distinct ways.
pub(crate) const WAY_COUNT: usize = 16;

/// How far apart set ids are. A [`Way`] is 16 bytes, so with ids 16 apart
/// the byte offset of a set's way is its id with all but four bits
/// cleared: one `and`, where consecutive ids need a mask and a shift on
/// every lookup.
pub(crate) const ID_STEP: u64 = 16;

/// The way of the set with id `set`.
#[inline(always)]
fn way_of(ways: &[Way; WAY_COUNT], set: u64) -> &Way {
    &ways[(set / ID_STEP) as usize % WAY_COUNT]
}

/// The id no index set has.
pub(crate) const NO_SET: u64 = 0;

/// One entry of [`WAYS`]: an index set's id and this thread's shard in it.
///
/// Invariant: when `set` is not [`NO_SET`], `shard` points to the shard of
/// the calling thread's slot number in the index set with id `set`; it stays
/// valid as long as that set lives (the set's table never frees a shard
/// before the set drops, and ids are never reused, so a stale entry is
/// never matched).
#[derive(Debug)]
pub(crate) struct Way {
    set: Cell<u64>,
    shard: Cell<*const Shard>,
}

impl Way {
    const fn new() -> Self {
        Self {
            set: Cell::new(NO_SET),
            shard: Cell::new(ptr::null()),
        }
    }

    /// Clears the entry.
    fn forget(&self) {
        self.set.set(NO_SET);
        self.shard.set(ptr::null());
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// Recently used index sets and this thread's shard in each; constant
    /// initialized and without destructor, so reaching it is one
    /// thread-pointer-relative address and it is usable until the thread
    /// ends.
    static WAYS: [Way; WAY_COUNT] = const { [const { Way::new() }; WAY_COUNT] };
}
#[cfg(loom)]
loom::thread_local! {
    static WAYS: [Way; WAY_COUNT] = [const { Way::new() }; WAY_COUNT];
}

/// The calling thread's shard in the index set with id `set` (which must
/// not be [`NO_SET`]), if the thread-local table has it.
///
/// The returned pointer is valid while the set with id `set` lives.
#[inline(always)]
pub(crate) fn remembered(set: u64) -> Option<*const Shard> {
    WAYS.try_with(|ways| {
        let way = way_of(ways, set);
        (way.set.get() == set).then(|| way.shard.get())
    })
    .ok()
    .flatten()
}

/// Records `shard` as the calling thread's shard in the set with id `set`.
/// The caller guarantees the [`Way`] invariant: `shard` is the shard of this
/// thread's current slot number in that set.
pub(crate) fn remember(set: u64, shard: &Shard) {
    let _ = WAYS.try_with(|ways| {
        let way = way_of(ways, set);
        way.set.set(set);
        way.shard.set(shard);
    });
}

/// Clears every way of the calling thread (when it gives its number, and
/// with it its shards, back).
pub(crate) fn forget_all() {
    let _ = WAYS.try_with(|ways| {
        for way in ways {
            way.forget();
        }
    });
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::sync_pool::shards::ShardTable;

    #[test]
    fn ways_remember_per_set() {
        let table = ShardTable::new(1);
        let (a, b) = (table.get(0), table.get(1));
        // Ids far above any real set's, in two different ways.
        let (x, y) = (u64::MAX - 1, u64::MAX - 1 - ID_STEP);
        assert_eq!(remembered(x), None);
        remember(x, a);
        remember(y, b);
        assert_eq!(remembered(x), Some(a as *const Shard));
        assert_eq!(remembered(y), Some(b as *const Shard));
        // A set with the same way but another id is not matched.
        assert_eq!(remembered(x - WAY_COUNT as u64 * ID_STEP), None);
        WAYS.with(|ways| ways.iter().for_each(Way::forget));
    }
}
