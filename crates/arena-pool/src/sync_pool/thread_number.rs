//! Thread numbers: every thread that uses a concurrent pool gets a small
//! number (its *slot number*) from a process-wide registry the first time
//! it needs one, and gives it back when it exits. Numbers are reused lowest
//! first, so they stay dense and there is no limit on how many threads come
//! and go; pools index their per-thread shards with them (`shards.rs`).
//!
//! The registry lock orders one holder's last use of a number (and of the
//! shards it indexes) before the next holder's first use.

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cell::Cell;
use core::cmp::Reverse;

use crate::sync::{self, Mutex};

/// Which slot numbers are taken.
///
/// Invariant: `held[n]` is true exactly when some live thread holds number
/// `n`; `free` holds every number below `held.len()` that is not held.
#[derive(Debug)]
pub(crate) struct Registry {
    held: Vec<bool>,
    free: BinaryHeap<Reverse<usize>>,
}

impl Registry {
    const fn new() -> Self {
        Self {
            held: Vec::new(),
            free: BinaryHeap::new(),
        }
    }

    fn acquire(&mut self) -> usize {
        if let Some(Reverse(number)) = self.free.pop() {
            self.held[number] = true;
            number
        } else {
            self.held.push(true);
            self.held.len() - 1
        }
    }

    fn release(&mut self, number: usize) {
        debug_assert!(self.held[number]);
        self.held[number] = false;
        self.free.push(Reverse(number));
    }

    /// Whether some live thread holds `number`.
    pub(crate) fn is_held(&self, number: usize) -> bool {
        self.held.get(number).copied().unwrap_or(false)
    }
}

#[cfg(not(loom))]
static REGISTRY: Mutex<Registry> = Mutex::new(Registry::new());

// Under loom the registry lives for one execution and is dropped before the
// main thread's thread-locals; a thread's number keeps the registry alive
// through this `Arc` so that it can give the number back at exit.
#[cfg(loom)]
loom::lazy_static! {
    static ref REGISTRY: std::sync::Arc<Mutex<Registry>> =
        std::sync::Arc::new(Mutex::new(Registry::new()));
}

/// Runs `f` with the registry locked.
pub(crate) fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    f(&mut sync::lock(&REGISTRY))
}

/// The thread-local number before the thread asked for one.
const UNSET: usize = usize::MAX;
/// The thread-local number after the thread gave its number back.
const GONE: usize = usize::MAX - 1;

/// A thread's slot number, given back when the thread exits.
struct SlotNumber {
    number: usize,
    #[cfg(loom)]
    registry: std::sync::Arc<Mutex<Registry>>,
}

impl SlotNumber {
    fn acquire() -> Self {
        Self {
            number: with_registry(Registry::acquire),
            #[cfg(loom)]
            registry: std::sync::Arc::clone(&REGISTRY),
        }
    }
}

impl Drop for SlotNumber {
    fn drop(&mut self) {
        // From now on this thread works without caches: forget every shard
        // before the number (and with it the shards) goes to another thread.
        let _ = NUMBER.try_with(|number| number.set(GONE));
        super::ways::forget_all();
        #[cfg(not(loom))]
        with_registry(|registry| registry.release(self.number));
        #[cfg(loom)]
        sync::lock(&self.registry).release(self.number);
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// The calling thread's number, `UNSET` or `GONE`; a constant-initialized
    /// `Cell` without destructor, so reading it is one load.
    static NUMBER: Cell<usize> = const { Cell::new(UNSET) };
}
#[cfg(loom)]
loom::thread_local! {
    static NUMBER: Cell<usize> = Cell::new(UNSET);
}

sync::thread_local! {
    /// Owns the number and gives it back at thread exit.
    static OWNER: SlotNumber = SlotNumber::acquire();
}

/// The calling thread's slot number, or `None` once its thread-locals are
/// being destroyed (the caller then works without a cache).
#[inline]
pub(crate) fn current_slot_number() -> Option<usize> {
    let number = NUMBER.try_with(Cell::get).unwrap_or(GONE);
    if number < GONE {
        return Some(number);
    }
    first_slot_number(number)
}

/// [`current_slot_number`] when the thread has no number yet (`UNSET`) or
/// gave it back (`GONE`).
#[cold]
#[inline(never)]
fn first_slot_number(number: usize) -> Option<usize> {
    if number == GONE {
        return None;
    }
    let number = OWNER.try_with(|owner| owner.number).ok()?;
    NUMBER.try_with(|cell| cell.set(number)).ok()?;
    Some(number)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn registry_reuses_lowest() {
        let mut registry = Registry::new();
        assert_eq!(registry.acquire(), 0);
        assert_eq!(registry.acquire(), 1);
        assert_eq!(registry.acquire(), 2);
        registry.release(2);
        registry.release(0);
        assert!(!registry.is_held(0));
        assert!(registry.is_held(1));
        assert_eq!(registry.acquire(), 0);
        assert_eq!(registry.acquire(), 2);
        assert_eq!(registry.acquire(), 3);
        assert!(!registry.is_held(99));
    }
}
