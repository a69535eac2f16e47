use super::*;
use alloc::string::{String, ToString};
use alloc::vec;

/// The capacities of the chunks with values, then the current one's.
fn chunk_capacities<T>(arena: &mut TypedArena<T>) -> Vec<usize> {
    let mut capacities: Vec<usize> = arena.full.get_mut().iter().map(Vec::capacity).collect();
    capacities.push(arena.current.get_mut().capacity());
    capacities
}

#[test]
fn new_allocates_nothing() {
    let mut arena = TypedArena::<u64>::new();
    assert_eq!(chunk_capacities(&mut arena), [0]);
    arena.alloc(1);
    assert_eq!(
        chunk_capacities(&mut arena),
        [capacity::FIRST_CHUNK_BYTES / 8]
    );
}

#[test]
fn chunks_double() {
    let mut arena = TypedArena::<u64>::new();
    let first = capacity::FIRST_CHUNK_BYTES / 8;
    for i in 0..(first * 3) as u64 {
        arena.alloc(i);
    }
    assert_eq!(chunk_capacities(&mut arena), [first, first * 2]);
    assert_eq!(
        arena.into_vec(),
        (0..(first * 3) as u64).collect::<Vec<_>>()
    );
}

#[test]
fn try_alloc_hands_the_value_back_when_the_chunk_is_too_big() {
    let arena = TypedArena::<String>::with_capacity(1);
    arena.alloc("fits".to_string());
    let error = arena
        .try_alloc_within("too big".to_string(), mem::size_of::<String>() - 1)
        .unwrap_err();
    assert_eq!(error.error().kind(), AllocErrorKind::SizeOverflow);
    assert_eq!(
        error.error().requested_size(),
        Some(mem::size_of::<String>())
    );
    assert_eq!(error.into_value(), "too big");
    assert_eq!(arena.len(), 1);
    // The arena still works.
    assert_eq!(arena.try_alloc("later".to_string()).unwrap(), "later");
    assert_eq!(arena.into_vec(), ["fits", "later"]);
}

#[test]
fn preferred_chunk_falls_back_to_the_required_one() {
    // Room for exactly one value: the doubled chunk does not fit the limit.
    let size = mem::size_of::<u64>();
    let arena = TypedArena::<u64>::new();
    assert_eq!(*arena.try_alloc_within(7, size).unwrap(), 7);
    let mut arena = arena;
    assert_eq!(chunk_capacities(&mut arena), [1]);
}

#[test]
fn new_chunk_reports_what_was_asked() {
    let error = new_chunk::<u32>(10, 10, 39).unwrap_err();
    assert_eq!(error.kind(), AllocErrorKind::SizeOverflow);
    assert_eq!(error.requested_size(), Some(40));
    let error = new_chunk::<u32>(usize::MAX, usize::MAX, ALLOCATION_LIMIT).unwrap_err();
    assert_eq!(error.kind(), AllocErrorKind::SizeOverflow);
    assert_eq!(error.requested_size(), None);
    assert_eq!(new_chunk::<u32>(16, 4, 64).unwrap().capacity(), 16);
    assert_eq!(new_chunk::<u32>(32, 4, 64).unwrap().capacity(), 4);
}

#[test]
#[cfg(feature = "std")]
fn zero_sized_count_overflow_is_an_error() {
    let arena = TypedArena::<()>::new();
    arena.alloc(());
    // SAFETY: `()` needs no initialisation and has no drop, so `usize::MAX`
    // of them are valid in a `Vec` of capacity `usize::MAX`.
    unsafe { (*arena.current.get()).set_len(usize::MAX) };
    assert_eq!(arena.len(), usize::MAX);
    let error = arena.try_alloc(()).unwrap_err();
    assert_eq!(error.error().kind(), AllocErrorKind::SizeOverflow);
    let panic = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
        arena.alloc(());
    }));
    assert!(panic.is_err());
    let panic = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
        arena.alloc_extend([()]);
    }));
    assert!(panic.is_err());
    assert_eq!(arena.len(), usize::MAX);
}

#[test]
fn clear_keeps_every_chunk_and_reuses_the_largest_first() {
    let mut arena = TypedArena::<u64>::new();
    let first = capacity::FIRST_CHUNK_BYTES / 8;
    for i in 0..(first * 7) as u64 {
        arena.alloc(i);
    }
    assert_eq!(chunk_capacities(&mut arena), [first, first * 2, first * 4]);
    arena.clear();
    assert_eq!(chunk_capacities(&mut arena), [first * 4]);
    assert_eq!(arena.spare.get_mut().len(), 2);
    for i in 0..(first * 7) as u64 {
        arena.alloc(i);
    }
    // Refilled from the spares, largest first; nothing new allocated.
    assert_eq!(chunk_capacities(&mut arena), [first * 4, first * 2, first]);
    assert!(arena.spare.get_mut().is_empty());
    assert_eq!(arena.len(), first * 7);
}

#[test]
fn extend_larger_than_a_chunk_gets_its_own() {
    let mut arena = TypedArena::<u32>::with_capacity(4);
    arena.alloc(0);
    let big = arena.alloc_extend(1..=100);
    assert_eq!(big.len(), 100);
    assert_eq!(big[99], 100);
    // The first chunk is retired with its one value; the values moved on.
    assert_eq!(chunk_capacities(&mut arena)[0], 4);
    assert_eq!(arena.into_vec(), (0..=100).collect::<Vec<_>>());
}

#[test]
fn extend_with_a_lying_size_hint() {
    /// Claims far more values than it yields.
    struct Liar(u32);
    impl Iterator for Liar {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            self.0 = self.0.checked_sub(1)?;
            Some(self.0)
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (usize::MAX, None)
        }
    }
    let arena = TypedArena::new();
    assert_eq!(arena.alloc_extend(Liar(3)), [2, 1, 0]);
    arena.alloc(9);
    assert_eq!(arena.into_vec(), [2, 1, 0, 9]);
}

#[test]
fn held_values_are_counted_from_inside_the_iterator() {
    let arena = TypedArena::new();
    arena.alloc_extend([1, 2]);
    let seen = core::cell::Cell::new(0);
    let slice = arena.alloc_extend((3..6).inspect(|_| {
        seen.set(arena.len());
    }));
    assert_eq!(slice, [3, 4, 5]);
    // Inside the iterator the two older values were still counted.
    assert_eq!(seen.get(), 2);
    assert_eq!(arena.len(), 5);
    assert_eq!(arena.held.get(), 0);
}

#[test]
fn debug_shows_the_length() {
    let arena = TypedArena::new();
    arena.alloc_extend(vec![1, 2, 3]);
    assert_eq!(alloc::format!("{arena:?}"), "TypedArena { len: 3, .. }");
    let mut arena = arena;
    assert_eq!(
        alloc::format!("{:?}", arena.iter_mut()),
        "TypedIterMut { remaining: 3, .. }"
    );
}
