//! [`Budget`]: the chunk capacity held by a group of arenas, counted in one
//! place so that one allocation limit holds for all of them at once.
//!
//! The per-thread arenas of a [`SyncArena`](crate::SyncArena) each add a
//! chunk's capacity here before allocating the chunk and take it off again
//! when they free it. Only chunk allocation touches the budget, never the
//! bump fast path.
//!
//! The count protects no memory: it is a number compared with another, so
//! relaxed atomics suffice. A reservation is one compare-and-swap of the
//! held count, which makes `held <= limit` hold at every moment for
//! reservations made under that limit, however many threads reserve at once.

use crate::arena::bump;
use crate::sync::{AtomicUsize, Ordering};

/// The limit value that means "no limit".
const NO_LIMIT: usize = usize::MAX;

/// Chunk capacity held by a group of arenas, and the limit on it.
///
/// Invariant: `held` is the sum of the capacities of the chunks the group's
/// arenas hold, plus reservations whose chunk is being allocated.
#[derive(Debug)]
pub(crate) struct Budget {
    held: AtomicUsize,
    /// The limit in bytes, or [`NO_LIMIT`].
    limit: AtomicUsize,
}

impl Budget {
    /// A budget with nothing held and no limit.
    pub(crate) fn new() -> Self {
        Self {
            held: AtomicUsize::new(0),
            limit: AtomicUsize::new(NO_LIMIT),
        }
    }

    /// Reserves room for a chunk of `wanted` bytes, or as much as the limit
    /// leaves if that is at least `needed`, and returns the bytes reserved.
    /// The caller allocates a chunk of exactly that capacity, or gives the
    /// bytes back with [`release`](Budget::release).
    ///
    /// # Errors
    ///
    /// `Err(Some(limit))` if less than `needed` bytes are left below the
    /// limit; `Err(None)` if the count would overflow (more than the address
    /// space: the allocation could not succeed anyway).
    pub(crate) fn reserve(&self, wanted: usize, needed: usize) -> Result<usize, Option<usize>> {
        let mut held = self.held.load(Ordering::Relaxed);
        loop {
            let limit = self.limit.load(Ordering::Relaxed);
            let granted = if limit == NO_LIMIT {
                wanted
            } else {
                bump::limit_capacity(wanted, needed, held, limit).ok_or(Some(limit))?
            };
            let total = held.checked_add(granted).ok_or(None)?;
            match self
                .held
                .compare_exchange_weak(held, total, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Ok(granted),
                Err(now) => held = now,
            }
        }
    }

    /// Takes `bytes` off the held count: chunks of that capacity were freed
    /// (or a reservation was not used).
    pub(crate) fn release(&self, bytes: usize) {
        if bytes > 0 {
            self.held.fetch_sub(bytes, Ordering::Relaxed);
        }
    }

    /// The capacity held, in bytes.
    pub(crate) fn held(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// Sets the limit; `None` removes it.
    pub(crate) fn set_limit(&self, limit: Option<usize>) {
        self.limit
            .store(limit.unwrap_or(NO_LIMIT), Ordering::Relaxed);
    }

    /// The limit, if any.
    pub(crate) fn limit(&self) -> Option<usize> {
        let limit = self.limit.load(Ordering::Relaxed);
        (limit != NO_LIMIT).then_some(limit)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn reservations_stop_at_the_limit() {
        let budget = Budget::new();
        assert_eq!(budget.reserve(512, 8), Ok(512));
        budget.set_limit(Some(1000));
        assert_eq!(budget.limit(), Some(1000));
        assert_eq!(budget.reserve(512, 8), Ok(488));
        assert_eq!(budget.reserve(512, 1), Err(Some(1000)));
        budget.release(488);
        assert_eq!(budget.held(), 512);
        budget.set_limit(None);
        assert_eq!(budget.reserve(usize::MAX - 512, 1), Ok(usize::MAX - 512));
        assert_eq!(budget.reserve(1, 1), Err(None));
    }
}

/// Model checks of the budget's atomics (`--cfg loom`).
#[cfg(all(test, loom))]
mod loom_tests {
    use super::*;
    use alloc::sync::Arc;

    /// Two threads reserving at once never take more than the limit
    /// together, and each gets what the other left.
    #[test]
    fn concurrent_reservations_respect_the_limit() {
        loom::model(|| {
            let budget = Arc::new(Budget::new());
            budget.set_limit(Some(100));
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.reserve(60, 30));
            let mine = budget.reserve(60, 30);
            let theirs = thread.join().unwrap();
            let granted: usize = [mine, theirs].iter().filter_map(|r| r.ok()).sum();
            assert!(granted <= 100);
            assert_eq!(budget.held(), granted);
            // 60 + 40 fits; whichever came second got the 40 left.
            assert_eq!(granted, 100);
        });
    }

    /// A release seen by a later reservation makes room for it.
    #[test]
    fn release_makes_room() {
        loom::model(|| {
            let budget = Arc::new(Budget::new());
            budget.set_limit(Some(64));
            assert_eq!(budget.reserve(64, 64), Ok(64));
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.release(64));
            let early = budget.reserve(64, 64);
            thread.join().unwrap();
            match early {
                Ok(64) => assert_eq!(budget.held(), 64),
                Err(Some(64)) => assert_eq!(budget.reserve(64, 64), Ok(64)),
                other => panic!("unexpected {other:?}"),
            }
        });
    }
}
