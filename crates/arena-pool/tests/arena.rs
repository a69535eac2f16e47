//! Behaviour of `Arena` through its public API: the original sketch's tests,
//! the edge cases, scopes and statistics.

use std::alloc::Layout;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use arena_pool::{AllocErrorKind, Arena};

const ROUNDS: usize = if cfg!(miri) { 200 } else { 10_000 };

#[derive(Debug)]
enum Expr<'a> {
    Num(i64),
    Add(&'a Expr<'a>, &'a Expr<'a>),
    Mul(&'a Expr<'a>, &'a Expr<'a>),
}

impl Expr<'_> {
    fn eval(&self) -> i64 {
        match self {
            Expr::Num(n) => *n,
            Expr::Add(l, r) => l.eval() + r.eval(),
            Expr::Mul(l, r) => l.eval() * r.eval(),
        }
    }
}

fn build_ast(arena: &Arena) -> &Expr<'_> {
    let one = arena.alloc(Expr::Num(1));
    let two = arena.alloc(Expr::Num(2));
    let three = arena.alloc(Expr::Num(3));
    let sum = arena.alloc(Expr::Add(one, two));
    arena.alloc(Expr::Mul(sum, three))
}

// ----- the original sketch's arena tests ------------------------------------

#[test]
fn arena_alloc_and_reset() {
    let mut arena = Arena::fixed(1024);
    let x = arena.alloc(0u64);
    *x = 12345;
    assert_eq!(*x, 12345);
    assert!(arena.allocated_bytes() > 0);
    arena.reset();
    assert_eq!(arena.allocated_bytes(), 0);
}

#[test]
fn arena_ast_eval() {
    let arena = Arena::fixed(1024);
    assert_eq!(build_ast(&arena).eval(), 9);
}

#[test]
#[should_panic(expected = "fixed arena full (8 of 8 bytes free): asked for 9 bytes (align 1)")]
fn arena_oom() {
    let arena = Arena::fixed(8);
    let _ = arena.alloc_bytes_zeroed(9);
}

// ----- the sketch's flaws, now prevented -------------------------------------

#[test]
fn over_aligned_values_are_aligned() {
    #[repr(align(64))]
    struct Line([u8; 64]);
    #[repr(align(4096))]
    struct Page([u8; 4096]);
    let arena = Arena::new();
    for _ in 0..8 {
        arena.alloc(1u8);
        let line = arena.alloc(Line([1; 64]));
        assert_eq!(std::ptr::from_ref(line).addr() % 64, 0);
        let page = arena.alloc_with(|| Page([2; 4096]));
        assert_eq!(std::ptr::from_ref(page).addr() % 4096, 0);
        assert_eq!(line.0[63] + page.0[4095], 3);
    }
}

#[test]
fn zero_capacity_is_valid() {
    let arena = Arena::fixed(0);
    assert_eq!(arena.capacity(), 0);
    assert_eq!(arena.remaining_capacity(), 0);
    assert_eq!(arena.chunk_count(), 0);
    let err = arena.try_alloc(1u8).unwrap_err();
    assert_eq!(
        err.error().kind(),
        AllocErrorKind::CapacityExceeded {
            capacity: 0,
            remaining: 0
        }
    );
    // Zero-sized requests need no memory.
    assert_eq!(arena.alloc(()), &mut ());
    assert!(arena.alloc_slice_copy::<u64>(&[]).is_empty());
    assert_eq!(arena.alloc_str(""), "");
    let empty = arena.alloc_layout(Layout::from_size_align(0, 4096).unwrap());
    assert_eq!(empty.as_ptr().addr() % 4096, 0);
    assert_eq!(arena.allocated_bytes(), 0);
}

#[test]
fn capacity_one() {
    let arena = Arena::fixed(1);
    assert_eq!(*arena.alloc(7u8), 7);
    assert!(arena.try_alloc(8u8).is_err());
    assert_eq!(arena.allocated_bytes(), 1);
    assert_eq!(arena.remaining_capacity(), 0);
}

#[test]
fn huge_requests_are_errors_not_wraps() {
    let arena = Arena::new();
    arena.alloc(1u8);
    for len in [usize::MAX, usize::MAX / 2, isize::MAX as usize] {
        let err = arena.try_alloc_slice_fill_with(len, |_| 0u64).unwrap_err();
        assert_eq!(err.kind(), AllocErrorKind::SizeOverflow, "len {len}");
        assert!(arena.try_alloc_bytes_zeroed(len).is_err(), "len {len}");
    }
    let huge = Layout::from_size_align(isize::MAX as usize - 4095, 4096).unwrap();
    assert!(arena.try_alloc_layout(huge).is_err());
    assert!(Arena::try_fixed(usize::MAX).is_err());
    assert!(Arena::try_with_capacity(usize::MAX).is_err());
    // The arena is still usable.
    assert_eq!(*arena.alloc(5u32), 5);
}

#[test]
fn huge_zst_slices_take_no_space() {
    let arena = Arena::fixed(0);
    // SAFETY: a slice of zero-sized values may have any length and any
    // aligned, non-null address.
    let source: &[()] =
        unsafe { std::slice::from_raw_parts(std::ptr::NonNull::dangling().as_ptr(), usize::MAX) };
    let units = arena.alloc_slice_copy(source);
    assert_eq!(units.len(), usize::MAX);
    assert_eq!(arena.allocated_bytes(), 0);
}

#[test]
fn zero_sized_types_take_no_space() {
    #[derive(Debug, PartialEq, Default, Clone, Copy)]
    struct Unit;
    let arena = Arena::new();
    for _ in 0..ROUNDS {
        assert_eq!(*arena.alloc(Unit), Unit);
    }
    assert_eq!(arena.alloc_default::<Unit>(), &Unit);
    assert_eq!(arena.alloc_slice_copy(&[Unit; 5]).len(), 5);
    assert_eq!(arena.allocated_bytes(), 0);
    assert_eq!(arena.chunk_count(), 0);
}

#[test]
fn allocation_limit_reached_exactly() {
    let arena = Arena::new();
    arena.set_allocation_limit(Some(1000));
    let block = arena.alloc_slice_fill_with(1000, |i| i as u8);
    assert_eq!(block[999], (999 % 256) as u8);
    assert_eq!(arena.capacity(), 1000);
    let err = arena.try_alloc(0u8).unwrap_err();
    assert_eq!(
        err.error().kind(),
        AllocErrorKind::LimitExceeded { limit: 1000 }
    );
    arena.set_allocation_limit(None);
    assert_eq!(*arena.alloc(1u8), 1);
}

#[test]
fn allocation_limit_caps_growth() {
    let arena = Arena::new();
    arena.set_allocation_limit(Some(10_000));
    let mut total = 0;
    while arena.try_alloc([0u8; 100]).is_ok() {
        total += 100;
    }
    assert!(arena.capacity() <= 10_000);
    assert!(
        total >= 9_000,
        "only {total} bytes fit under a 10000-byte limit"
    );
}

#[test]
fn fixed_arena_full() {
    let arena = Arena::fixed(64);
    for i in 0..8u64 {
        arena.alloc(i);
    }
    assert_eq!(arena.remaining_capacity(), 0);
    let err = arena.try_alloc(8u64).unwrap_err();
    assert_eq!(err.into_value(), 8);
    assert!(arena.try_alloc_str("x").is_err());
    assert_eq!(arena.chunk_count(), 1);
    assert_eq!(arena.capacity(), 64);
}

#[test]
fn panic_message_says_what_was_asked() {
    let arena = Arena::new();
    arena.set_allocation_limit(Some(100));
    let panic = catch_unwind(AssertUnwindSafe(|| {
        arena.alloc([0u64; 32]);
    }))
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    // `u64` is aligned to 4 bytes on some 32-bit targets, i686 among them.
    let expected = format!(
        "arena over its allocation limit of 100 bytes: asked for 256 bytes (align {})",
        align_of::<u64>()
    );
    assert_eq!(*message, expected);
}

// ----- allocation methods -----------------------------------------------------

#[test]
fn values_keep_their_contents_across_growth() {
    let arena = Arena::new();
    let refs: Vec<&mut u64> = (0..ROUNDS as u64).map(|i| arena.alloc(i * 3)).collect();
    assert!(arena.chunk_count() > 1);
    for (i, r) in refs.iter().enumerate() {
        assert_eq!(**r, i as u64 * 3);
    }
}

#[test]
fn slices_and_strings() {
    let arena = Arena::new();
    let copied = arena.alloc_slice_copy(&[1u16, 2, 3]);
    let cloned = arena.alloc_slice_clone(&[String::from("a"), String::from("bc")]);
    let filled = arena.alloc_slice_fill_with(4, |i| i * 10);
    let text = arena.alloc_str("héllo");
    let zeroed = arena.alloc_bytes_zeroed(33);
    copied[0] = 9;
    assert_eq!(copied, &[9, 2, 3]);
    assert_eq!(cloned[1], "bc");
    assert_eq!(filled, &[0, 10, 20, 30]);
    assert_eq!(text, "héllo");
    assert!(zeroed.iter().all(|&b| b == 0));
    // `Arena` never drops: free the strings' heap buffers by hand.
    for s in cloned.iter_mut() {
        drop(std::mem::take(s));
    }
}

#[test]
fn fill_iter_with_unknown_length() {
    let arena = Arena::new();
    let words = arena.alloc_slice_fill_iter("a bb ccc".split(' ').map(str::len));
    assert_eq!(words, &[1, 2, 3]);
    let empty = arena.alloc_slice_fill_iter(std::iter::empty::<u32>());
    assert!(empty.is_empty());
}

/// An iterator that claims an exact length but yields fewer items.
struct Liar {
    left: usize,
    claimed: usize,
}

impl Iterator for Liar {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        self.left = self.left.checked_sub(1)?;
        Some(self.left)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.claimed, Some(self.claimed))
    }
}

#[test]
fn fill_iter_survives_a_lying_size_hint() {
    let arena = Arena::new();
    let short = arena.alloc_slice_fill_iter(Liar {
        left: 3,
        claimed: 10,
    });
    assert_eq!(short, &[2, 1, 0]);
    let long = arena.alloc_slice_fill_iter(Liar {
        left: 10,
        claimed: 2,
    });
    assert_eq!(long, &[9, 8]);
}

#[test]
fn panicking_closures_leave_the_arena_sound() {
    let arena = Arena::new();
    let before = arena.alloc(1u32);
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.alloc_slice_fill_with(10, |i| {
            assert!(i < 5, "boom");
            [i; 4]
        });
    }));
    assert!(result.is_err());
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.alloc_with(|| -> u64 { panic!("boom") });
    }));
    assert!(result.is_err());
    assert_eq!(*before, 1);
    assert_eq!(*arena.alloc(2u32), 2);
}

#[test]
fn try_alloc_hands_the_value_back() {
    let arena = Arena::fixed(16);
    let kept = String::from("not lost");
    let err = arena.try_alloc([kept.clone(), kept.clone()]).unwrap_err();
    let [a, b] = err.into_value();
    assert_eq!((a.as_str(), b.as_str()), ("not lost", "not lost"));
}

#[test]
fn destructors_are_not_run() {
    struct Counted<'a>(&'a Cell<u32>);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let drops = Cell::new(0);
    {
        let arena = Arena::new();
        arena.alloc(Counted(&drops));
        arena.alloc(Counted(&drops));
    }
    assert_eq!(drops.get(), 0);
}

// ----- reset and scopes -------------------------------------------------------

#[test]
fn reset_keeps_the_largest_chunk() {
    let mut arena = Arena::new();
    for round in 0..3 {
        for i in 0..ROUNDS {
            arena.alloc(i);
        }
        let largest = arena.capacity();
        arena.reset();
        assert_eq!(arena.chunk_count(), 1, "round {round}");
        assert_eq!(arena.allocated_bytes(), 0);
        assert!(arena.capacity() * 2 >= largest, "kept the largest chunk");
    }
    // After the first round the kept chunk holds everything: no growth.
    for i in 0..ROUNDS {
        arena.alloc(i);
    }
    assert_eq!(arena.chunk_count(), 1);
}

#[test]
fn scopes_rewind_and_nest() {
    let mut arena = Arena::new();
    arena.alloc(0u8);
    let base = arena.allocated_bytes();
    let sum = arena.scope(|outer| {
        let kept = outer.alloc_slice_fill_with(100, |i| i as u64);
        let after_kept = outer.allocated_bytes();
        let inner_sum: u64 = outer.scope(|inner| {
            let big = inner.alloc_slice_fill_with(ROUNDS, |i| i as u64);
            big.iter().sum()
        });
        assert_eq!(outer.allocated_bytes(), after_kept);
        assert_eq!(kept[99], 99);
        inner_sum + kept.iter().sum::<u64>()
    });
    let n = ROUNDS as u64;
    assert_eq!(sum, n * (n - 1) / 2 + 4950);
    assert_eq!(arena.allocated_bytes(), base);
}

#[test]
fn scope_chunks_are_reused() {
    let mut arena = Arena::new();
    for _ in 0..4 {
        arena.scope(|scope| {
            scope.alloc_slice_fill_with(ROUNDS, |i| i);
        });
    }
    let chunks = arena.chunk_count();
    arena.scope(|scope| {
        scope.alloc_slice_fill_with(ROUNDS, |i| i);
    });
    assert_eq!(arena.chunk_count(), chunks, "spare chunks are reused");
    assert_eq!(arena.allocated_bytes(), 0);
}

#[test]
fn scope_on_an_empty_arena_rewinds_to_empty() {
    let mut arena = Arena::new();
    arena.scope(|scope| {
        scope.alloc(1u64);
    });
    assert_eq!(arena.allocated_bytes(), 0);
    assert_eq!(*arena.alloc(2u64), 2);
    assert_eq!(arena.allocated_bytes(), 8);
}

#[test]
fn scope_rewinds_on_panic() {
    let mut arena = Arena::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.scope(|scope| {
            scope.alloc_slice_fill_with(1000, |i| i);
            panic!("inside the scope");
        })
    }));
    assert!(result.is_err());
    assert_eq!(arena.allocated_bytes(), 0);
}

// ----- statistics and traits ---------------------------------------------------

#[test]
fn statistics() {
    let arena = Arena::with_capacity(1000);
    assert!(arena.capacity() >= 1000);
    assert_eq!(arena.chunk_count(), 1);
    arena.alloc(1u8);
    arena.alloc(2u32);
    // One byte, then three of padding to align the u32.
    assert_eq!(arena.allocated_bytes(), 8);
    assert_eq!(arena.remaining_capacity(), arena.capacity() - 8);
    let text = format!("{arena:?}");
    assert!(text.contains("allocated_bytes: 8"), "{text}");
}

#[test]
fn contains_sees_only_arena_memory() {
    let arena = Arena::new();
    let values: Vec<&mut u64> = (0..100).map(|i| arena.alloc(i)).collect();
    assert!(values.iter().all(|v| arena.contains(&**v)));
    let other = Arena::new();
    let foreign = other.alloc(1u64);
    assert!(!arena.contains(foreign));
}

#[test]
fn arena_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Arena>();
    let arena = Arena::new();
    arena.alloc(1u64);
    let arena = std::thread::spawn(move || {
        arena.alloc(2u64);
        arena
    })
    .join()
    .unwrap();
    assert_eq!(arena.allocated_bytes(), 16);
}

#[test]
fn alloc_try_with_hands_back_errors_and_room() {
    use arena_pool::AllocOrInitError;
    use std::rc::Rc;
    let arena = Arena::new();
    arena.alloc(1u8);
    let before = arena.allocated_bytes();
    let tracked = Rc::new(());
    let err = arena
        .alloc_try_with(|| Err::<[u64; 8], _>(Rc::clone(&tracked)))
        .unwrap_err();
    assert_eq!(Rc::strong_count(&tracked), 2);
    drop(err);
    assert_eq!(Rc::strong_count(&tracked), 1, "the error moved out once");
    // Only the alignment padding below the first byte stays.
    assert!(
        arena.allocated_bytes() < before + 8,
        "the room was given back"
    );
    // The arena never drops its values, so the success case holds no `Rc`.
    let ok = arena
        .alloc_try_with(|| Ok::<_, ()>(Rc::strong_count(&tracked)))
        .unwrap();
    assert_eq!(*ok, 1);
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = arena.alloc_try_with(|| -> Result<u8, ()> { panic!("builder panics") });
    }));
    assert!(panicked.is_err());
    assert!(matches!(
        arena.try_alloc_try_with(|| Err::<(), u8>(3)),
        Err(AllocOrInitError::Init(3))
    ));
    let fixed = Arena::fixed(0);
    let mut ran = false;
    let err = fixed
        .try_alloc_try_with(|| {
            ran = true;
            Ok::<u32, ()>(1)
        })
        .unwrap_err();
    assert!(matches!(err, AllocOrInitError::Alloc(_)));
    assert!(!ran, "the closure does not run without room");
}

#[test]
fn allocated_chunks_account_for_every_byte() {
    use arena_pool::collections::Vec;
    let mut arena = Arena::new();
    for round in 0..3u8 {
        for i in 0..200u32 {
            arena.alloc(i);
            let frozen = Vec::from_iter_in([round; 3], &arena).into_slice();
            assert_eq!(frozen, &[round; 3]);
        }
        let chunks: std::vec::Vec<_> = arena.iter_allocated_chunks().collect();
        assert!(round > 0 || chunks.len() > 1);
        let used: usize = chunks.iter().map(|c| c.used_bytes()).sum();
        let total = chunks.iter().map(|c| c.capacity()).sum::<usize>();
        assert!(used <= total);
        // Each frozen vector took a block of its capacity from the floor.
        assert!(!chunks[0].floor().is_empty());
        let used_again: usize = arena.iter_allocated_chunks().map(|c| c.used_bytes()).sum();
        assert_eq!(used_again, arena.allocated_bytes());
        assert!(arena.allocated_bytes_including_metadata() > arena.capacity());
        arena.reset();
        assert_eq!(
            arena
                .iter_allocated_chunks()
                .map(|c| c.used_bytes())
                .sum::<usize>(),
            0
        );
    }
}

/// An iterator of `left` items whose size hint claims `hint` as a lower
/// bound and no upper bound.
struct Hinted {
    left: usize,
    hint: usize,
}

impl Iterator for Hinted {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        (self.left > 0).then(|| {
            self.left -= 1;
            self.left as u64
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.hint, None)
    }
}

#[test]
fn fill_iter_with_a_lying_hint_never_panics() {
    let arena = Arena::fixed(256);
    for hint in [usize::MAX, usize::MAX / 2, 1 << (usize::BITS - 8), 0] {
        let slice = arena
            .try_alloc_slice_fill_iter(Hinted { left: 3, hint })
            .unwrap();
        assert_eq!(slice, &[2, 1, 0]);
    }
    // Too many items for the room: an error, with nothing kept.
    let before = arena.allocated_bytes();
    assert!(
        arena
            .try_alloc_slice_fill_iter(Hinted { left: 100, hint: 0 })
            .is_err()
    );
    assert!(arena.allocated_bytes() <= before);
    let growing = Arena::new();
    let slice = growing.alloc_slice_fill_iter(Hinted {
        left: 1000,
        hint: usize::MAX,
    });
    assert_eq!(slice.len(), 1000);
}

#[test]
fn try_fills_drop_made_values_once_and_give_room_back() {
    use std::rc::Rc;
    let arena = Arena::new();
    arena.alloc(0u8);
    let before = arena.allocated_bytes();
    let tracked = Rc::new(());
    let err = arena
        .alloc_slice_try_fill_with(5, |i| {
            if i < 3 {
                Ok(Rc::clone(&tracked))
            } else {
                Err(i)
            }
        })
        .unwrap_err();
    assert_eq!(err, 3);
    assert_eq!(Rc::strong_count(&tracked), 1, "made values dropped once");
    assert_eq!(arena.allocated_bytes(), before, "room given back");
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _ = arena.alloc_slice_try_fill_iter((0..4).map(|i| {
            assert!(i < 2, "iterator panics");
            Ok::<_, ()>(Rc::clone(&tracked))
        }));
    }));
    assert!(result.is_err());
    assert_eq!(Rc::strong_count(&tracked), 1);
    assert_eq!(arena.allocated_bytes(), before);
    let ok = arena
        .alloc_slice_try_fill_iter([Ok::<u8, ()>(1), Ok(2)])
        .unwrap();
    assert_eq!(ok, &[1, 2]);
}

/// Counts its drops in a shared cell; its `clone` panics when the cell that
/// counts clones reaches `panic_at`.
struct Counted<'c> {
    drops: &'c Cell<usize>,
    clones: &'c Cell<usize>,
    panic_at: usize,
}

impl Clone for Counted<'_> {
    fn clone(&self) -> Self {
        self.clones.set(self.clones.get() + 1);
        assert!(self.clones.get() != self.panic_at, "clone panics");
        Counted { ..*self }
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}

/// Runs `fill`, which must panic after making `made` values with the
/// counters given; checks those values were dropped exactly once and the
/// room given back.
fn assert_rewound_on_panic<'c>(
    arena: &Arena,
    drops: &'c Cell<usize>,
    clones: &'c Cell<usize>,
    made: usize,
    fill: impl FnOnce(&Arena, Counted<'c>),
) {
    drops.set(0);
    clones.set(0);
    let before = arena.allocated_bytes();
    let seed = Counted {
        drops,
        clones,
        panic_at: made + 1,
    };
    let result = catch_unwind(AssertUnwindSafe(|| fill(arena, seed)));
    assert!(result.is_err(), "the fill panicked");
    // The seed (moved into the closure) drops once as well.
    assert_eq!(drops.get(), made + 1, "each made value dropped once");
    assert_eq!(arena.allocated_bytes(), before, "room given back");
}

#[test]
fn panicking_fills_drop_made_values_once_and_give_room_back() {
    let (drops, clones) = (Cell::new(0), Cell::new(0));
    let mut arena = Arena::new();
    arena.alloc(0u8);
    // A closure that panics on its fourth call.
    assert_rewound_on_panic(&arena, &drops, &clones, 3, |arena, seed| {
        arena.alloc_slice_fill_with(8, |_| seed.clone());
    });
    assert_rewound_on_panic(&arena, &drops, &clones, 3, |arena, seed| {
        let _ = arena.try_alloc_slice_fill_with(8, |_| seed.clone());
    });
    // A `Clone` that panics.
    assert_rewound_on_panic(&arena, &drops, &clones, 2, |arena, seed| {
        // Never dropped, so that only clones and the seed count.
        let src =
            std::mem::ManuallyDrop::new(std::array::from_fn::<_, 4, _>(|_| Counted { ..seed }));
        let _ = arena.alloc_slice_clone(&src[..]);
    });
    // Iterators of exact and of unknown length that panic.
    assert_rewound_on_panic(&arena, &drops, &clones, 3, |arena, seed| {
        arena.alloc_slice_fill_iter((0..8).map(|_| seed.clone()));
    });
    assert_rewound_on_panic(&arena, &drops, &clones, 3, |arena, seed| {
        let _ = arena.try_alloc_slice_fill_iter((0..8).filter(|_| true).map(|_| seed.clone()));
    });
    assert_rewound_on_panic(&arena, &drops, &clones, 3, |arena, seed| {
        let _ = arena.alloc_slice_try_fill_iter((0..8).map(|_| Ok::<_, ()>(seed.clone())));
    });
    assert_rewound_on_panic(&arena, &drops, &clones, 3, |arena, seed| {
        let _ = arena.alloc_slice_try_fill_with(8, |_| Ok::<_, ()>(seed.clone()));
    });
    // The same through a scope.
    let before = arena.allocated_bytes();
    arena.scope(|scope| {
        let tracked = std::rc::Rc::new(());
        let at = scope.allocated_bytes();
        let result = catch_unwind(AssertUnwindSafe(|| {
            scope.alloc_slice_fill_with(8, |i| {
                assert!(i < 2, "boom");
                std::rc::Rc::clone(&tracked)
            });
        }));
        assert!(result.is_err());
        assert_eq!(
            std::rc::Rc::strong_count(&tracked),
            1,
            "made values dropped once"
        );
        assert_eq!(scope.allocated_bytes(), at);
    });
    assert_eq!(arena.allocated_bytes(), before);
}

#[test]
fn a_fill_that_allocates_keeps_the_room_it_cannot_give_back() {
    let arena = Arena::new();
    let made = Cell::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.alloc_slice_fill_with(4, |i| {
            // Allocating in the closure puts a newer block below the slice.
            arena.alloc(i);
            made.set(made.get() + 1);
            assert!(i < 2, "boom");
            std::rc::Rc::new(i)
        });
    }));
    assert!(result.is_err());
    assert_eq!(made.get(), 3);
    // The slice's room is no longer the most recent block: it is kept, and
    // the arena stays usable.
    assert!(arena.allocated_bytes() >= 4 * size_of::<std::rc::Rc<usize>>());
    assert_eq!(*arena.alloc(7u32), 7);
}

#[test]
fn a_panicking_drop_during_the_rewind_still_drops_the_rest() {
    struct Bomb<'c>(&'c Cell<usize>, bool);
    impl Drop for Bomb<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
            assert!(!self.1, "drop panics");
        }
    }
    let drops = Cell::new(0);
    let arena = Arena::new();
    arena.alloc(0u8);
    let before = arena.allocated_bytes();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _ = arena.alloc_slice_try_fill_with(6, |i| {
            if i < 4 {
                Ok(Bomb(&drops, i == 1))
            } else {
                Err(())
            }
        });
    }));
    assert!(result.is_err(), "the drop's panic comes out");
    assert_eq!(drops.get(), 4, "all four made values dropped once");
    assert_eq!(arena.allocated_bytes(), before, "room given back");
}

#[test]
fn uninit_room_is_built_in_place() {
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: u64,
        b: [u16; 3],
    }
    let arena = Arena::new();
    let slot = arena.alloc_uninit::<Pair>();
    let ptr = slot.as_mut_ptr();
    // SAFETY: `ptr` is room for a `Pair`; both fields are written first.
    let pair = unsafe {
        (&raw mut (*ptr).a).write(1);
        (&raw mut (*ptr).b).write([2, 3, 4]);
        slot.assume_init_mut()
    };
    assert_eq!(*pair, Pair { a: 1, b: [2, 3, 4] });
    assert!(arena.contains(pair));
    assert_eq!(pair as *const Pair as usize % align_of::<Pair>(), 0);
    // Zero-sized and over-aligned values.
    assert_eq!(*arena.alloc_uninit().write(()), ());
    #[repr(align(64))]
    struct Wide(u8);
    let wide = arena.alloc_uninit().write(Wide(9));
    assert_eq!((wide as *const Wide as usize % 64, wide.0), (0, 9));
    // Slices, filled out of order.
    let slots = arena.alloc_uninit_slice::<String>(3);
    for (i, slot) in slots.iter_mut().enumerate().rev() {
        slot.write(i.to_string());
    }
    // SAFETY: all three were written.
    let strings = unsafe { slots.assume_init_mut() };
    assert_eq!(strings, ["0", "1", "2"]);
    for s in strings.iter_mut() {
        // SAFETY: each string is dropped once, then never used.
        unsafe { std::ptr::drop_in_place(s) };
    }
    assert!(arena.alloc_uninit_slice::<u64>(0).is_empty());
    assert_eq!(arena.alloc_uninit_slice::<()>(usize::MAX).len(), usize::MAX);
}

#[test]
fn uninit_room_reports_failures() {
    let arena = Arena::fixed(16);
    assert!(arena.try_alloc_uninit::<[u64; 2]>().is_ok());
    let err = arena.try_alloc_uninit::<u8>().unwrap_err();
    assert_eq!(
        err.kind(),
        AllocErrorKind::CapacityExceeded {
            capacity: 16,
            remaining: 0
        }
    );
    let err = arena
        .try_alloc_uninit_slice::<u32>(usize::MAX / 2)
        .unwrap_err();
    assert_eq!(err.kind(), AllocErrorKind::SizeOverflow);
    let result = catch_unwind(AssertUnwindSafe(|| arena.alloc_uninit_slice::<u8>(1).len()));
    assert!(result.is_err(), "a full fixed arena panics");
    let mut arena = Arena::new();
    arena.scope(|s| {
        let slot = s.alloc_uninit::<u32>();
        assert_eq!(*slot.write(3), 3);
        assert_eq!(s.try_alloc_uninit_slice::<u8>(2).unwrap().len(), 2);
        assert!(s.try_alloc_uninit::<u8>().is_ok());
        assert_eq!(s.alloc_uninit_slice::<u16>(5).len(), 5);
    });
    assert_eq!(arena.allocated_bytes(), 0);
}
