//! Per-thread spare capacity for the parser's and evaluator's work stacks,
//! so that parsing many short lines does not allocate a stack for each.
//!
//! The stacks hold borrowed nodes, whose lifetimes differ from call to call,
//! so the spare buffers are kept as vectors of plain words and turned into
//! (empty) vectors of the element type needed. [`recycle`] does that with an
//! in-place `collect`, which keeps the allocation when sizes and alignments
//! agree and is merely a fresh (correct) vector otherwise.

use std::cell::Cell;
use std::thread::LocalKey;

/// Spare buffers with room for more than this many elements are freed instead of kept, so a
/// single huge input does not pin its stack memory for the thread's life.
const KEEP_LEN: usize = 1 << 16;

/// A spare buffer: two words per element fits every work-stack element.
pub(crate) type Words = Vec<[u64; 2]>;

thread_local! {
    pub(crate) static PARSE: Cell<Words> = const { Cell::new(Vec::new()) };
    pub(crate) static EVAL: Cell<Words> = const { Cell::new(Vec::new()) };
    pub(crate) static VALUES: Cell<Vec<i64>> = const { Cell::new(Vec::new()) };
}

/// An empty vector of `T`, reusing `slot`'s spare buffer when it can.
#[inline]
pub(crate) fn take<S, T>(slot: &'static LocalKey<Cell<Vec<S>>>) -> Vec<T> {
    recycle(slot.try_with(Cell::take).unwrap_or_default())
}

/// Hands `stack`'s buffer back to `slot` for the next call on this thread.
#[inline]
pub(crate) fn give<S, T>(slot: &'static LocalKey<Cell<Vec<S>>>, stack: Vec<T>) {
    if stack.capacity() <= KEEP_LEN {
        let spare = recycle(stack);
        // Fails only while the thread is being torn down; the buffer is then
        // simply freed.
        let _ = slot.try_with(|cell| cell.set(spare));
    }
}

/// Turns a vector of `T` into an empty vector of `U`, keeping the allocation
/// when the layouts allow.
#[inline]
pub(crate) fn recycle<T, U>(mut stack: Vec<T>) -> Vec<U> {
    stack.clear();
    stack
        .into_iter()
        .map(|_| -> U { unreachable!("the vector was cleared") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recycled_vectors_are_empty_and_usable() {
        let words: Vec<[u64; 2]> = vec![[1, 2]; 10];
        let mut refs: Vec<(&str, u32)> = recycle(words);
        assert!(refs.is_empty());
        refs.push(("x", 1));
        assert_eq!(refs, [("x", 1)]);
        let back: Vec<[u64; 2]> = recycle(refs);
        assert!(back.is_empty());
    }

    #[test]
    fn spare_buffers_round_trip() {
        let mut stack: Vec<u64> = take(&VALUES);
        stack.extend(0..100);
        give(&VALUES, stack);
        let again: Vec<i64> = take(&VALUES);
        assert!(again.is_empty());
        give(&VALUES, again);
        let huge: Vec<i64> = Vec::with_capacity(KEEP_LEN + 1);
        give(&VALUES, huge);
        assert!(VALUES.with(|cell| {
            let spare = cell.take();
            let small = spare.capacity() <= KEEP_LEN;
            cell.set(spare);
            small
        }));
    }
}
