//! The shared free list: a Treiber stack of slot indices whose head carries a
//! tag, so that a stale compare-and-swap can never succeed (no ABA).
//!
//! The stack is intrusive: the link of index `i` is `links[i]`, an atomic
//! that lives as long as the pool. A popping thread may read the link of an
//! index that another thread has popped meanwhile; the value it reads is
//! then stale, but the head's tag has changed too, so its compare-and-swap
//! fails and it retries. All of this is safe code: no memory is ever freed
//! or reinterpreted while the stack is in use.

use crate::sync::{AtomicU32, AtomicU64, AtomicUsize, Ordering};

/// The end-of-list marker (no slot has this index).
pub(crate) const NIL: u32 = u32::MAX;

/// The largest number of slots a pool can have, `u32::MAX - 1`: every
/// index is below [`NIL`], with one to spare.
pub(crate) const MAX_SLOTS: usize = NIL as usize - 1;

/// Packs an index and a tag into one head word.
#[inline(always)]
pub(crate) const fn pack(index: u32, tag: u32) -> u64 {
    ((tag as u64) << 32) | index as u64
}

/// Splits a head word into its index and tag.
#[inline(always)]
pub(crate) const fn unpack(word: u64) -> (u32, u32) {
    (word as u32, (word >> 32) as u32)
}

/// The head of a tagged Treiber stack.
///
/// Invariants: the head's index is [`NIL`] or an index of `links`; following
/// links from it reaches [`NIL`] after visiting only free indices, each once.
/// The tag grows by one with every successful update, so a head word is
/// never reused until 2^32 updates later.
#[derive(Debug)]
pub(crate) struct FreeList {
    head: AtomicU64,
    /// How many indices the stack holds, updated after each change (so a
    /// reader racing with updates may see it off by the updates in flight,
    /// even below zero: it wraps).
    len: AtomicUsize,
}

impl FreeList {
    /// A stack holding `0..len` (0 on top), linked through `links`.
    pub(crate) fn new(links: &[AtomicU32], len: usize) -> Self {
        debug_assert!(len <= links.len());
        for (i, link) in links.iter().enumerate().take(len) {
            let next = if i + 1 < len { i as u32 + 1 } else { NIL };
            link.store(next, Ordering::Relaxed);
        }
        let top = if len == 0 { NIL } else { 0 };
        Self {
            head: AtomicU64::new(pack(top, 0)),
            len: AtomicUsize::new(len),
        }
    }

    /// Takes the top index, or `None` when the stack is empty.
    #[inline]
    pub(crate) fn pop(&self, links: &[AtomicU32]) -> Option<u32> {
        // Acquire: pairs with the release of the push that put the top index
        // there, so its link and the slot's last use are visible.
        let mut word = self.head.load(Ordering::Acquire);
        loop {
            let (top, tag) = unpack(word);
            if top == NIL {
                return None;
            }
            // Possibly stale if `top` was popped meanwhile; the tag check
            // below rejects it then.
            let next = links[top as usize].load(Ordering::Relaxed);
            match self.head.compare_exchange_weak(
                word,
                pack(next, tag.wrapping_add(1)),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    self.len.fetch_sub(1, Ordering::Relaxed);
                    return Some(top);
                }
                Err(current) => word = current,
            }
        }
    }

    /// Takes up to `max` (at least 1) indices from the top in one update:
    /// returns the first and how many were taken; they stay linked through
    /// `links` from the first, in stack order. `None` when the stack is
    /// empty.
    ///
    /// The walk down the links may read links that other threads change
    /// meanwhile; any such change also changes the head's tag (every update
    /// is a swap of the head, and a pusher links only indices it owns), so a
    /// swap that succeeds proves the walked chain was the stack's top the
    /// whole time.
    pub(crate) fn pop_chain(&self, links: &[AtomicU32], max: u32) -> Option<(u32, u32)> {
        debug_assert!(max >= 1);
        let mut word = self.head.load(Ordering::Acquire);
        loop {
            let (top, tag) = unpack(word);
            if top == NIL {
                return None;
            }
            let mut count = 1;
            let mut next = links[top as usize].load(Ordering::Relaxed);
            while count < max && next != NIL {
                // A stale chain may hold any value here; `get` keeps a
                // garbage index from panicking before the swap rejects it.
                match links.get(next as usize) {
                    Some(link) => next = link.load(Ordering::Relaxed),
                    None => break,
                }
                count += 1;
            }
            match self.head.compare_exchange_weak(
                word,
                pack(next, tag.wrapping_add(1)),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    self.len.fetch_sub(count as usize, Ordering::Relaxed);
                    return Some((top, count));
                }
                Err(current) => word = current,
            }
        }
    }

    /// Pushes the chain `first ..= last` of `count` indices (already linked
    /// through `links`, `last`'s link about to be overwritten) on top of the
    /// stack.
    #[inline]
    pub(crate) fn push_chain(&self, links: &[AtomicU32], first: u32, last: u32, count: usize) {
        let mut word = self.head.load(Ordering::Relaxed);
        loop {
            let (top, tag) = unpack(word);
            links[last as usize].store(top, Ordering::Relaxed);
            // Release: publishes the link above and the slot's last use to
            // the thread that pops it.
            match self.head.compare_exchange_weak(
                word,
                pack(first, tag.wrapping_add(1)),
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    self.len.fetch_add(count, Ordering::Relaxed);
                    return;
                }
                Err(current) => word = current,
            }
        }
    }

    /// Pushes one index.
    #[inline]
    pub(crate) fn push(&self, links: &[AtomicU32], index: u32) {
        self.push_chain(links, index, index, 1);
    }

    /// How many indices the stack holds (wrapping; see the field).
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }

    /// The top index, read without synchronization (for walking the stack
    /// when no other thread can touch it).
    pub(crate) fn top(&self) -> u32 {
        unpack(self.head.load(Ordering::Acquire)).0
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn links(n: usize) -> Vec<AtomicU32> {
        (0..n).map(|_| AtomicU32::new(NIL)).collect()
    }

    #[test]
    fn pack_round_trips() {
        for (index, tag) in [(0, 0), (NIL, 0), (7, u32::MAX), (u32::MAX - 1, 12345)] {
            assert_eq!(unpack(pack(index, tag)), (index, tag));
        }
    }

    #[test]
    fn pops_in_order_then_empty() {
        let links = links(3);
        let list = FreeList::new(&links, 3);
        assert_eq!(list.len(), 3);
        assert_eq!(list.pop(&links), Some(0));
        assert_eq!(list.pop(&links), Some(1));
        assert_eq!(list.pop(&links), Some(2));
        assert_eq!(list.pop(&links), None);
        list.push(&links, 1);
        assert_eq!(list.pop(&links), Some(1));
        assert_eq!(list.pop(&links), None);
    }

    #[test]
    fn tag_changes_on_every_update() {
        let links = links(2);
        let list = FreeList::new(&links, 2);
        let before = list.head.load(Ordering::Relaxed);
        let index = list.pop(&links).unwrap();
        list.push(&links, index);
        let after = list.head.load(Ordering::Relaxed);
        assert_eq!(unpack(before).0, unpack(after).0);
        assert_ne!(before, after, "same top index, different tag");
    }

    #[test]
    fn chain_push_keeps_order() {
        let links = links(4);
        let list = FreeList::new(&links, 0);
        assert_eq!(list.pop(&links), None);
        links[2].store(3, Ordering::Relaxed);
        list.push(&links, 0);
        list.push_chain(&links, 2, 3, 2);
        assert_eq!(list.len(), 3);
        let popped: Vec<_> = core::iter::from_fn(|| list.pop(&links)).collect();
        assert_eq!(popped, [2, 3, 0]);
    }

    #[test]
    fn pop_chain_takes_a_linked_prefix() {
        let links = links(5);
        let list = FreeList::new(&links, 5);
        assert_eq!(list.pop_chain(&links, 3), Some((0, 3)));
        assert_eq!(links[0].load(Ordering::Relaxed), 1);
        assert_eq!(links[1].load(Ordering::Relaxed), 2);
        assert_eq!(list.len(), 2);
        assert_eq!(list.pop_chain(&links, 10), Some((3, 2)));
        assert_eq!(list.pop_chain(&links, 1), None);
        assert_eq!(list.len(), 0);
    }

    #[test]
    fn empty_capacity() {
        let links = links(0);
        let list = FreeList::new(&links, 0);
        assert_eq!(list.top(), NIL);
        assert_eq!(list.pop(&links), None);
    }
}
