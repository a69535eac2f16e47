//! Arena collections: in-place growth, giving room back, drop counting with
//! panicking `Drop`s, scopes, boxes of unsized values.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use arena_pool::Arena;
use arena_pool::collections::{Box, CollectIn, String, Vec};

/// Counts its drops; panics in `Drop` if asked to.
struct Counted<'c> {
    drops: &'c Cell<usize>,
    panic_on_drop: bool,
}

impl<'c> Counted<'c> {
    fn new(drops: &'c Cell<usize>) -> Self {
        Self {
            drops,
            panic_on_drop: false,
        }
    }

    fn panicking(drops: &'c Cell<usize>) -> Self {
        Self {
            drops,
            panic_on_drop: true,
        }
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
        if self.panic_on_drop {
            panic!("drop panics");
        }
    }
}

const N: usize = if cfg!(miri) { 40 } else { 1000 };

#[test]
fn last_block_grows_in_place_and_gives_room_back() {
    let arena = Arena::new();
    arena.alloc(1u8);
    let before = arena.allocated_bytes();
    let mut v = Vec::with_capacity_in(4, &arena);
    v.extend([0u32, 1, 2, 3]);
    let with_four = arena.allocated_bytes();
    v.push(4);
    // The old block's bytes were reused: only the growth is charged.
    assert_eq!(arena.allocated_bytes(), with_four + (v.capacity() - 4) * 4);
    assert_eq!(v, [0, 1, 2, 3, 4]);
    drop(v);
    // Only alignment padding below the byte stays.
    assert!(arena.allocated_bytes() < before + 4);
}

#[test]
fn interleaved_vectors_grow_by_copying() {
    let arena = Arena::new();
    let mut a = Vec::new_in(&arena);
    let mut b = Vec::new_in(&arena);
    let mut s = String::new_in(&arena);
    for i in 0..N {
        a.push(i);
        b.push(i as u8);
        s.push(char::from(b'a' + (i % 26) as u8));
        arena.alloc(i);
    }
    assert!(a.iter().enumerate().all(|(i, &x)| x == i));
    assert!(b.iter().enumerate().all(|(i, &x)| x == i as u8));
    assert_eq!(s.len(), N);
    assert!(s.starts_with("abc"));
}

#[test]
fn dropped_vector_drops_each_value_once() {
    let drops = Cell::new(0);
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    for _ in 0..10 {
        v.push(Counted::new(&drops));
    }
    v.truncate(8);
    assert_eq!(drops.get(), 2);
    drop(v.pop());
    assert_eq!(drops.get(), 3);
    drop(v.remove(0));
    drop(v.swap_remove(0));
    assert_eq!(drops.get(), 5);
    let rest = v.split_off(2);
    drop(v);
    assert_eq!(drops.get(), 7);
    let mut iter = rest.into_iter();
    drop(iter.next());
    drop(iter);
    assert_eq!(drops.get(), 10);
}

#[test]
fn panicking_drop_in_vector_still_drops_the_rest() {
    let drops = Cell::new(0);
    let arena = Arena::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut v = Vec::new_in(&arena);
        v.push(Counted::new(&drops));
        v.push(Counted::panicking(&drops));
        v.push(Counted::new(&drops));
        drop(v);
    }));
    assert!(result.is_err());
    assert_eq!(drops.get(), 3);

    let drops = Cell::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut v = Vec::new_in(&arena);
        v.push(Counted::new(&drops));
        v.push(Counted::panicking(&drops));
        v.push(Counted::new(&drops));
        v.truncate(0);
    }));
    assert!(result.is_err());
    assert_eq!(drops.get(), 3);
}

#[test]
fn drain_drops_unyielded_values_and_moves_the_tail() {
    let drops = Cell::new(0);
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    for _ in 0..6 {
        v.push(Counted::new(&drops));
    }
    let mut drain = v.drain(1..4);
    drop(drain.next());
    drop(drain);
    assert_eq!(drops.get(), 3);
    assert_eq!(v.len(), 3);
    // A panicking drop while draining still leaves a valid vector.
    v.push(Counted::panicking(&drops));
    v.push(Counted::new(&drops));
    let result = catch_unwind(AssertUnwindSafe(|| drop(v.drain(1..4))));
    assert!(result.is_err());
    assert_eq!(drops.get(), 6);
    assert_eq!(v.len(), 2);
    drop(v);
    assert_eq!(drops.get(), 8);
    // A leaked drain leaks, never double-drops.
    let mut numbers = Vec::from_iter_in(0..10, &arena);
    std::mem::forget(numbers.drain(2..5));
    assert_eq!(numbers, [0, 1]);
}

#[test]
fn panicking_closures_leave_valid_vectors() {
    let drops = Cell::new(0);
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    for _ in 0..5 {
        v.push(Counted::new(&drops));
    }
    let mut seen = 0;
    let result = catch_unwind(AssertUnwindSafe(|| {
        v.retain(|_| {
            seen += 1;
            assert!(seen < 3, "keep panics");
            seen % 2 == 0
        });
    }));
    assert!(result.is_err());
    assert_eq!(v.len(), 5);
    let result = catch_unwind(AssertUnwindSafe(|| {
        v.resize_with(8, || panic!("fill panics"));
    }));
    assert!(result.is_err());
    let result = catch_unwind(AssertUnwindSafe(|| {
        v.extend((0..3).map(|i| {
            assert!(i < 2, "iterator panics");
            Counted::new(&drops)
        }));
    }));
    assert!(result.is_err());
    assert_eq!(v.len(), 7);
    drop(v);
    assert_eq!(drops.get(), 7);
}

#[test]
fn into_slice_freezes_without_copying() {
    let arena = Arena::new();
    let mut v = Vec::with_capacity_in(3, &arena);
    v.extend([1, 2, 3]);
    let ptr = v.as_ptr();
    let slice = v.into_slice();
    assert_eq!(slice.as_ptr(), ptr);
    assert_eq!(slice, &[1, 2, 3]);
    let other: &[u64] = (0..N as u64).collect_in::<Vec<_>>(&arena).into_slice();
    assert_eq!(other.len(), N);
    assert_eq!(slice, &[1, 2, 3]);
}

#[test]
fn zero_sized_values() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Zst;
    impl Drop for Zst {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    for _ in 0..N {
        v.push(Zst);
    }
    assert_eq!(v.capacity(), usize::MAX);
    assert_eq!(arena.allocated_bytes(), 0);
    assert!(v.try_reserve(usize::MAX).is_err());
    drop(v.drain(..3));
    drop(v);
    assert_eq!(DROPS.load(Ordering::Relaxed), N);
    let boxed = Box::new_in(Zst, &arena);
    drop(boxed);
    assert_eq!(DROPS.load(Ordering::Relaxed), N + 1);
    assert_eq!(arena.allocated_bytes(), 0);
}

#[test]
fn over_aligned_values() {
    #[derive(Clone, Copy, Debug, PartialEq)]
    #[repr(align(64))]
    struct Line(u8);
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    for i in 0..50 {
        v.push(Line(i));
        arena.alloc(i);
        assert_eq!(v.as_ptr() as usize % 64, 0);
    }
    assert!(v.iter().enumerate().all(|(i, l)| l.0 == i as u8));
}

#[test]
fn fixed_arena_reports_errors() {
    let arena = Arena::fixed(32);
    let mut v = Vec::new_in(&arena);
    assert!(v.try_reserve(5).is_err());
    assert!(v.try_reserve(4).is_ok());
    for i in 0..4u64 {
        v.try_push(i).unwrap();
    }
    assert_eq!(v.try_push(9).unwrap_err().into_value(), 9);
    assert!(v.try_reserve(usize::MAX).is_err());
    assert_eq!(v, [0, 1, 2, 3]);
    let result = catch_unwind(AssertUnwindSafe(|| v.push(4)));
    assert!(result.is_err());
}

#[test]
fn boxes_drop_once_in_any_order() {
    let drops = Cell::new(0);
    let arena = Arena::new();
    let a = Box::new_in(Counted::new(&drops), &arena);
    let b = Box::new_in(Counted::new(&drops), &arena);
    let c = Box::new_in(Counted::new(&drops), &arena);
    drop(b);
    drop(a);
    let inner = Box::into_inner(c);
    assert_eq!(drops.get(), 2);
    drop(inner);
    assert_eq!(drops.get(), 3);
    let leaked = Box::leak(Box::new_in(Counted::new(&drops), &arena));
    assert!(!leaked.panic_on_drop);
    assert_eq!(drops.get(), 3);

    let result = catch_unwind(AssertUnwindSafe(|| {
        let _first = Box::new_in(Counted::new(&drops), &arena);
        let _second = Box::new_in(Counted::panicking(&drops), &arena);
    }));
    assert!(result.is_err());
    assert_eq!(drops.get(), 5);
}

#[test]
fn boxed_slices_strings_and_trait_objects() {
    let drops = Cell::new(0);
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    v.push(Counted::new(&drops));
    v.push(Counted::panicking(&drops));
    v.push(Counted::new(&drops));
    let slice: Box<[Counted]> = v.into_boxed_slice();
    assert_eq!(slice.len(), 3);
    assert!(catch_unwind(AssertUnwindSafe(|| drop(slice))).is_err());
    assert_eq!(drops.get(), 3);

    let s: Box<str> = String::from_str_in("boxed", &arena).into_boxed_str();
    assert_eq!(&*s, "boxed");

    let mut calls = 0;
    {
        let mut f: Box<dyn FnMut()> = arena_pool::unsize_box!(Box::new_in(|| calls += 1, &arena));
        f();
        f();
    }
    assert_eq!(calls, 2);
    let shown: Box<dyn std::fmt::Debug> = arena_pool::unsize_box!(Box::new_in([1, 2], &arena));
    assert_eq!(format!("{shown:?}"), "[1, 2]");
    let any: Box<dyn std::any::Any> = arena_pool::unsize_box!(Box::new_in(7u8, &arena));
    assert_eq!(any.downcast_ref::<u8>(), Some(&7));
    let dropper: Box<dyn Fn() -> usize> = {
        let counted = Counted::new(&drops);
        arena_pool::unsize_box!(Box::new_in(
            move || {
                let whole = &counted;
                whole.drops.get()
            },
            &arena
        ))
    };
    assert_eq!(dropper(), 3);
    drop(dropper);
    assert_eq!(drops.get(), 4);
}

#[test]
fn collections_in_scopes() {
    let mut arena = Arena::new();
    arena.alloc(0u8);
    let before = arena.allocated_bytes();
    let total = arena.scope(|scope| {
        let mut v = Vec::new_in(&scope);
        v.extend(0..100u32);
        let s = arena_pool::format!(in &scope, "{}", v.len());
        let inner = {
            let words: Vec<&str> = "a b".split(' ').collect_in(&*scope);
            words.len()
        };
        v.iter().sum::<u32>() as usize + s.len() + inner
    });
    assert_eq!(total, 4950 + 3 + 2);
    assert_eq!(arena.allocated_bytes(), before);
    arena.scope(|outer| {
        // A frozen slice borrows the scope; copy it with the scope's own
        // methods to keep it across a nested scope.
        let kept = outer.alloc_slice_copy(Vec::from_iter_in([1, 2], &outer).into_slice());
        outer.scope(|inner| {
            let v = Vec::from_iter_in([3], &inner);
            assert_eq!(v, [3]);
        });
        assert_eq!(kept, &[1, 2]);
    });
}

#[test]
fn format_macro_and_writers() {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let arena = Arena::new();
    let s = arena_pool::format!(in &arena, "{}-{:03}-{name}", "a", 7, name = "z");
    assert_eq!(s, "a-007-z");
    assert_eq!(s.to_string(), "a-007-z");
    let literal = arena_pool::format!(in &arena, "plain");
    assert_eq!(literal, "plain");
    let frozen: &str = arena.alloc_fmt(format_args!("{:?}", [1, 2]));
    assert_eq!(frozen, "[1, 2]");
    let mut out = String::new_in(&arena);
    let accent = 'é';
    write!(out, "{}{accent}", 1).unwrap();
    out.insert(0, '<');
    out.push('>');
    assert_eq!(out, "<1é>");
    let mut bytes = Vec::new_in(&arena);
    write!(bytes, "io {}", 5).unwrap();
    assert_eq!(bytes, *b"io 5");
    let fixed = Arena::fixed(4);
    let mut small = Vec::new_in(&fixed);
    assert!(small.write_all(b"too long").is_err());
}

#[test]
fn std_traits() {
    use std::collections::HashSet;
    let arena = Arena::new();
    let a = Vec::from_iter_in([1, 2, 3], &arena);
    let b = a.clone();
    assert_eq!(a, b);
    assert!(a <= b);
    assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
    assert_eq!(format!("{a:?}"), "[1, 2, 3]");
    assert_eq!(a[1..], [2, 3]);
    assert_eq!(a.binary_search(&2), Ok(1));
    // The arena behind the key has interior mutability, but hashing reads
    // only the string's bytes.
    #[allow(clippy::mutable_key_type)]
    let mut names = HashSet::new();
    names.insert(String::from_str_in("x", &arena));
    assert!(names.contains("x"));
    let mut dedup = Vec::from_iter_in([1, 1, 2, 2, 2, 3, 1], &arena);
    dedup.dedup();
    assert_eq!(dedup, [1, 2, 3, 1]);
    let mut r = Vec::from_iter_in([5], &arena);
    r.resize(3, 9);
    assert_eq!(r, [5, 9, 9]);
    let mut total = 0;
    for x in &r {
        total += x;
    }
    for x in &mut r {
        *x += 1;
    }
    assert_eq!(total, 23);
    assert_eq!(
        r.into_iter().rev().collect::<std::vec::Vec<_>>(),
        [10, 10, 6]
    );
}

/// What must compile: boxes of `Send`/`Sync` values are `Send`/`Sync`.
#[test]
fn boxes_of_send_values_cross_threads() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    let arena = Arena::new();
    let b = Box::new_in(std::string::String::from("sent"), &arena);
    assert_send_sync(&b);
    let text = std::thread::scope(|threads| threads.spawn(move || b.len()).join().unwrap());
    assert_eq!(text, 4);
}

#[test]
fn growth_in_place_survives_other_allocations() {
    let arena = Arena::with_capacity(1 << 16);
    let mut v = Vec::with_capacity_in(8, &arena);
    let start = v.as_ptr();
    let mut others = std::vec::Vec::new();
    for i in 0..200u32 {
        v.push(i);
        // Ordinary allocations come from the other end of the free region.
        others.push(&*arena.alloc(u64::from(i)));
    }
    assert_eq!(v.as_ptr(), start, "the buffer never moved");
    assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32));
    assert!(others.iter().enumerate().all(|(i, &&x)| x == i as u64));
    let used = arena.allocated_bytes();
    drop(v);
    assert!(arena.allocated_bytes() <= used - 200 * 4);
}

#[test]
fn scopes_rewind_floor_buffers_only_past_their_start() {
    let mut arena = Arena::new();
    let kept: &[u32] = Vec::from_iter_in(0..100, &arena).into_slice();
    let kept_copy = kept.to_vec();
    let kept_ptr = kept.as_ptr();
    let _ = kept;
    let before = arena.allocated_bytes();
    for round in 0..3u32 {
        arena.scope(|scope| {
            let mut v = Vec::new_in(&scope);
            for i in 0..(N as u32) {
                v.push(i + round);
                scope.alloc(i);
            }
            let frozen = v.into_slice();
            assert_eq!(frozen[0], round);
        });
        assert_eq!(arena.allocated_bytes(), before);
    }
    // SAFETY: `kept` was frozen in the arena before the scopes and the arena
    // has not been reset; reading it back checks the scopes left it alone.
    let kept = unsafe { std::slice::from_raw_parts(kept_ptr, 100) };
    assert_eq!(kept, kept_copy.as_slice());
}

/// An iterator whose size hint lies in both directions.
struct Liar(u32, usize);

impl Iterator for Liar {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        (self.0 > 0).then(|| {
            self.0 -= 1;
            self.0
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.1, None)
    }
}

#[test]
fn lying_size_hints_neither_panic_nor_overallocate() {
    let arena = Arena::fixed(1024);
    let v: Vec<u32> = Liar(3, usize::MAX).collect_in(&arena);
    assert_eq!(v, [2, 1, 0]);
    drop(v);
    let v: Vec<u32> = Liar(100, 1).collect_in(&arena);
    assert_eq!(v.len(), 100);
    assert!(v.iter().rev().enumerate().all(|(i, &x)| x == i as u32));
}

#[test]
fn serde_round_trip_and_bounded_deserialization() {
    use arena_pool::collections::serde::{StringIn, VecIn};
    use serde::de::DeserializeSeed;
    let arena = Arena::new();
    let v = Vec::from_iter_in([1u32, 2, 3], &arena);
    let s = String::from_str_in("text", &arena);
    let b = Box::new_in(7u8, &arena);
    assert_eq!(
        serde_json::to_string(&(&v, &s, &b)).unwrap(),
        r#"[[1,2,3],"text",7]"#
    );
    let mut json = serde_json::Deserializer::from_str("[4, 5]");
    let back = VecIn::<u32>::new(&arena).deserialize(&mut json).unwrap();
    assert_eq!(back, [4, 5]);
    let mut json = serde_json::Deserializer::from_str("\"back\"");
    assert_eq!(
        StringIn::new(&arena).deserialize(&mut json).unwrap(),
        "back"
    );
    // A fixed arena that runs out is an error, not a panic.
    let small = Arena::fixed(8);
    let mut json = serde_json::Deserializer::from_str("[1, 2, 3]");
    assert!(VecIn::<u32>::new(&small).deserialize(&mut json).is_err());
    let mut json = serde_json::Deserializer::from_str("\"too long for it\"");
    assert!(StringIn::new(&small).deserialize(&mut json).is_err());
}
