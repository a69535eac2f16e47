//! `TypedArena`: drops, panics, cycles, zero-sized and over-aligned values,
//! re-entrant iterators, and thread bounds.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use arena_pool::TypedArena;

/// Records every drop of the values it made, by id.
#[derive(Default)]
struct Drops {
    dropped: RefCell<Vec<u32>>,
}

impl Drops {
    fn count(&self) -> usize {
        self.dropped.borrow().len()
    }

    /// Panics unless every id in `ids` was dropped exactly once and nothing
    /// else was.
    fn assert_once(&self, ids: impl IntoIterator<Item = u32>) {
        let mut dropped = self.dropped.borrow().clone();
        dropped.sort_unstable();
        let mut expected: Vec<u32> = ids.into_iter().collect();
        expected.sort_unstable();
        assert_eq!(dropped, expected);
    }
}

/// A value that records its drop, and panics in it if `panics` is set.
struct Tracked {
    id: u32,
    drops: Rc<Drops>,
    panics: bool,
}

impl Tracked {
    fn new(id: u32, drops: &Rc<Drops>) -> Self {
        Self {
            id,
            drops: Rc::clone(drops),
            panics: false,
        }
    }

    fn panicking(id: u32, drops: &Rc<Drops>) -> Self {
        let mut value = Self::new(id, drops);
        value.panics = true;
        value
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.dropped.borrow_mut().push(self.id);
        if self.panics {
            panic!("drop of {} panics", self.id);
        }
    }
}

/// Enough values to fill several chunks.
const MANY: u32 = if cfg!(miri) { 300 } else { 5_000 };

#[test]
fn every_value_dropped_once_when_the_arena_drops() {
    let drops = Rc::new(Drops::default());
    let arena = TypedArena::new();
    for id in 0..MANY {
        arena.alloc(Tracked::new(id, &drops));
    }
    arena.alloc_extend((MANY..MANY * 2).map(|id| Tracked::new(id, &drops)));
    assert_eq!(drops.count(), 0);
    drop(arena);
    drops.assert_once(0..MANY * 2);
}

#[test]
fn clear_drops_every_value_once_and_the_arena_is_reusable() {
    let drops = Rc::new(Drops::default());
    let mut arena = TypedArena::new();
    for id in 0..MANY {
        arena.alloc(Tracked::new(id, &drops));
    }
    arena.clear();
    drops.assert_once(0..MANY);
    // In allocation order.
    assert!(drops.dropped.borrow().is_sorted());
    assert!(arena.is_empty());
    for id in MANY..MANY + 10 {
        arena.alloc(Tracked::new(id, &drops));
    }
    assert_eq!(arena.len(), 10);
    arena.clear();
    arena.clear();
    drop(arena);
    drops.assert_once(0..MANY + 10);
}

#[test]
fn clear_reuses_the_memory() {
    // One chunk, filled exactly.
    let mut arena = TypedArena::with_capacity(MANY as usize);
    let mut first: Vec<usize> = (0..MANY)
        .map(|i| std::ptr::from_mut(arena.alloc(i)).addr())
        .collect();
    arena.clear();
    let mut second: Vec<usize> = (0..MANY)
        .map(|i| std::ptr::from_mut(arena.alloc(i + 1)).addr())
        .collect();
    first.sort_unstable();
    second.sort_unstable();
    assert_eq!(first, second);
    assert_eq!(arena.into_vec(), (1..=MANY).collect::<Vec<_>>());
}

#[test]
fn into_vec_moves_out_without_dropping() {
    let drops = Rc::new(Drops::default());
    let arena = TypedArena::new();
    for id in 0..MANY {
        arena.alloc(Tracked::new(id, &drops));
    }
    let values = arena.into_vec();
    assert_eq!(drops.count(), 0);
    assert!(values.iter().map(|t| t.id).eq(0..MANY));
    drop(values);
    drops.assert_once(0..MANY);
}

#[test]
fn panicking_drop_in_the_middle_still_drops_the_rest_once() {
    let drops = Rc::new(Drops::default());
    let arena = TypedArena::new();
    for id in 0..MANY {
        if id == MANY / 2 {
            arena.alloc(Tracked::panicking(id, &drops));
        } else {
            arena.alloc(Tracked::new(id, &drops));
        }
    }
    let result = catch_unwind(AssertUnwindSafe(move || drop(arena)));
    assert!(result.is_err());
    drops.assert_once(0..MANY);
}

#[test]
fn panicking_drop_during_clear_leaves_an_empty_arena() {
    let drops = Rc::new(Drops::default());
    let mut arena = TypedArena::new();
    for id in 0..MANY {
        if id == 7 {
            arena.alloc(Tracked::panicking(id, &drops));
        } else {
            arena.alloc(Tracked::new(id, &drops));
        }
    }
    let result = catch_unwind(AssertUnwindSafe(|| arena.clear()));
    assert!(result.is_err());
    drops.assert_once(0..MANY);
    assert!(arena.is_empty());
    assert_eq!(arena.iter_mut().count(), 0);
    arena.alloc(Tracked::new(MANY, &drops));
    drop(arena);
    drops.assert_once(0..=MANY);
}

#[test]
fn panicking_iterator_drops_what_it_gave_and_keeps_the_rest() {
    // Panics at several points: in the first chunk, right at a chunk
    // boundary, and after the values moved to a chunk of their own.
    for panic_at in [0, 1, 5, 42, 100, MANY] {
        let drops = Rc::new(Drops::default());
        let arena = TypedArena::with_capacity(4);
        let kept = arena.alloc(Tracked::new(1_000_000, &drops));
        let result = catch_unwind(AssertUnwindSafe(|| {
            arena.alloc_extend((0..).map(|id| {
                assert!(id != panic_at, "iterator panics at {id}");
                Tracked::new(id, &drops)
            }));
        }));
        assert!(result.is_err());
        drops.assert_once(0..panic_at);
        assert_eq!(kept.id, 1_000_000);
        assert_eq!(arena.len(), 1);
        let after = arena.alloc_extend((0..3).map(|id| Tracked::new(2_000_000 + id, &drops)));
        assert_eq!(after.len(), 3);
        let ids: Vec<u32> = arena.into_vec().iter().map(|t| t.id).collect();
        assert_eq!(ids, [1_000_000, 2_000_000, 2_000_001, 2_000_002]);
    }
}

#[test]
fn references_stay_valid_across_chunks() {
    let arena = TypedArena::new();
    let refs: Vec<&mut u32> = (0..MANY).map(|i| arena.alloc(i)).collect();
    let slices: Vec<&mut [u32]> = (0..10)
        .map(|i| arena.alloc_extend(i * 100..i * 100 + 50))
        .collect();
    for (i, r) in refs.into_iter().enumerate() {
        assert_eq!(*r, i as u32);
        *r += 1;
    }
    for (i, s) in slices.into_iter().enumerate() {
        let start = i as u32 * 100;
        assert!(s.iter().copied().eq(start..start + 50));
        s[0] = 7;
    }
    let mut arena = arena;
    assert_eq!(arena.len(), MANY as usize + 500);
    assert_eq!(*arena.iter_mut().next().unwrap(), 1);
}

#[test]
fn iter_mut_and_into_vec_follow_allocation_order() {
    let mut arena = TypedArena::new();
    let mut expected = Vec::new();
    for round in 0..20u32 {
        arena.alloc(round * 1000);
        expected.push(round * 1000);
        let batch = round * 1000 + 1..round * 1000 + 1 + round * 37;
        arena.alloc_extend(batch.clone());
        expected.extend(batch);
    }
    assert!(arena.iter_mut().map(|v| *v).eq(expected.iter().copied()));
    assert!(
        arena
            .iter_mut()
            .rev()
            .map(|v| *v)
            .eq(expected.iter().rev().copied())
    );
    assert_eq!(arena.iter_mut().len(), expected.len());
    for value in &mut arena {
        *value += 1;
    }
    let values: Vec<u32> = arena.into_iter().collect();
    assert!(values.iter().copied().eq(expected.iter().map(|v| v + 1)));
}

#[test]
fn iterator_that_allocates_in_the_same_arena() {
    let drops = Rc::new(Drops::default());
    let arena = TypedArena::with_capacity(2);
    arena.alloc(Tracked::new(0, &drops));
    // Each item is made after a value of its own is allocated.
    let slice = arena.alloc_extend((1..=MANY).map(|id| {
        arena.alloc(Tracked::new(id + 100_000, &drops));
        Tracked::new(id, &drops)
    }));
    assert!(slice.iter().map(|t| t.id).eq(1..=MANY));
    assert_eq!(arena.len(), 1 + 2 * MANY as usize);
    let ids: Vec<u32> = arena.into_vec().iter().map(|t| t.id).collect();
    // The slice comes first, then what the iterator allocated.
    let expected: Vec<u32> = std::iter::once(0)
        .chain(1..=MANY)
        .chain((1..=MANY).map(|id| id + 100_000))
        .collect();
    assert_eq!(ids, expected);
    drops.assert_once(expected);
}

#[test]
fn nested_extends() {
    let arena = TypedArena::new();
    let outer = arena.alloc_extend((0..50u32).inspect(|&i| {
        let inner = arena.alloc_extend((0..i % 4).map(|j| 1000 + j));
        assert_eq!(inner.len() as u32, i % 4);
    }));
    assert!(outer.iter().copied().eq(0..50));
    let inner_total: u32 = (0..50).map(|i| i % 4).sum();
    assert_eq!(arena.len(), 50 + inner_total as usize);
    let values = arena.into_vec();
    assert!(values[..50].iter().copied().eq(0..50));
    assert!(values[50..].iter().all(|&v| v >= 1000));
}

#[test]
fn panicking_iterator_after_allocating_in_the_same_arena() {
    let drops = Rc::new(Drops::default());
    let arena = TypedArena::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.alloc_extend((0..).map(|id| {
            arena.alloc(Tracked::new(id + 100_000, &drops));
            assert!(id != 60, "iterator panics");
            Tracked::new(id, &drops)
        }));
    }));
    assert!(result.is_err());
    // The 60 values the iterator gave are gone; the 61 it allocated stay.
    drops.assert_once(0..60);
    assert_eq!(arena.len(), 61);
    drop(arena);
    drops.assert_once((0..60).chain((0..=60).map(|id| id + 100_000)));
}

#[test]
fn cycles_between_values() {
    struct Node<'a> {
        id: u32,
        next: Cell<Option<&'a Node<'a>>>,
        name: String,
    }

    let arena = TypedArena::new();
    let nodes: Vec<&Node<'_>> = (0..MANY)
        .map(|id| {
            &*arena.alloc(Node {
                id,
                next: Cell::new(None),
                name: id.to_string(),
            })
        })
        .collect();
    for pair in nodes.windows(2) {
        pair[0].next.set(Some(pair[1]));
    }
    nodes[nodes.len() - 1].next.set(Some(nodes[0]));
    let mut node = nodes[0];
    for _ in 0..MANY {
        node = node.next.get().unwrap();
    }
    assert_eq!(node.id, 0);
    assert_eq!(nodes[3].name, "3");
    // The arena drops with every cycle in place; the names are freed.
}

#[test]
fn cycles_through_extend_slices() {
    struct Node<'a> {
        peer: Cell<Option<&'a Node<'a>>>,
    }

    let arena = TypedArena::new();
    let pair = arena.alloc_extend((0..2).map(|_| Node {
        peer: Cell::new(None),
    }));
    let (a, b) = pair.split_at_mut(1);
    let (a, b): (&Node<'_>, &Node<'_>) = (&a[0], &b[0]);
    a.peer.set(Some(b));
    b.peer.set(Some(a));
    assert!(std::ptr::eq(a.peer.get().unwrap().peer.get().unwrap(), a));
}

thread_local! {
    static ZST_DROPS: Cell<usize> = const { Cell::new(0) };
}

/// A zero-sized value that counts its drops.
struct Unit;

impl Drop for Unit {
    fn drop(&mut self) {
        ZST_DROPS.with(|d| d.set(d.get() + 1));
    }
}

#[test]
fn zero_sized_values() {
    ZST_DROPS.with(|d| d.set(0));
    let mut arena = TypedArena::new();
    let first: *mut Unit = arena.alloc(Unit);
    assert_eq!(first.addr(), std::mem::align_of::<Unit>());
    for _ in 0..MANY {
        arena.alloc(Unit);
    }
    assert_eq!(arena.alloc_extend((0..10).map(|_| Unit)).len(), 10);
    assert!(arena.try_alloc(Unit).is_ok());
    assert_eq!(arena.len(), MANY as usize + 12);
    assert_eq!(arena.iter_mut().count(), MANY as usize + 12);
    arena.clear();
    assert_eq!(ZST_DROPS.with(Cell::get), MANY as usize + 12);
    assert!(arena.is_empty());
    // A panicking iterator drops what it gave.
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.alloc_extend((0..5).map(|i| {
            assert!(i != 4);
            Unit
        }));
    }));
    assert!(result.is_err());
    assert_eq!(ZST_DROPS.with(Cell::get), MANY as usize + 16);
    assert!(arena.is_empty());
    arena.alloc_extend([Unit, Unit]);
    let values = arena.into_vec();
    assert_eq!(values.len(), 2);
    drop(values);
    assert_eq!(ZST_DROPS.with(Cell::get), MANY as usize + 18);
}

#[test]
fn over_aligned_values() {
    #[repr(align(256))]
    struct Aligned(u8);

    let arena = TypedArena::new();
    for i in 0..if cfg!(miri) { 20 } else { 200 } {
        let value: *mut Aligned = arena.alloc(Aligned(i));
        assert_eq!(value.addr() % 256, 0);
    }
    for slice in (0..5).map(|n| arena.alloc_extend((0..n).map(Aligned))) {
        assert_eq!(slice.as_ptr().addr() % 256, 0);
    }
    assert!(arena.into_vec().iter().take(3).map(|a| a.0).eq(0..3));
}

#[test]
fn large_values() {
    let arena = TypedArena::new();
    let first = arena.alloc([1u8; 4096]);
    let second = arena.alloc([2u8; 4096]);
    assert!(first.iter().all(|&b| b == 1) && second.iter().all(|&b| b == 2));
    assert_eq!(arena.len(), 2);
}

#[test]
fn with_capacity_zero_and_empty_extends() {
    let mut arena = TypedArena::with_capacity(0);
    assert!(arena.alloc_extend(std::iter::empty::<String>()).is_empty());
    assert_eq!(arena.len(), 0);
    assert_eq!(arena.alloc(String::from("x")), "x");
    assert!(arena.alloc_extend(Vec::new()).is_empty());
    assert_eq!(arena.iter_mut().count(), 1);
}

#[test]
fn try_alloc_succeeds_when_memory_is_there() {
    let arena = TypedArena::new();
    for i in 0..MANY {
        assert_eq!(*arena.try_alloc(i).unwrap(), i);
    }
    assert_eq!(arena.len(), MANY as usize);
}

#[test]
fn collects_and_extends() {
    let mut arena: TypedArena<String> = ["a", "b"].into_iter().map(String::from).collect();
    arena.extend(["c"].map(String::from));
    assert_eq!(arena.into_vec(), ["a", "b", "c"]);
    let arena = TypedArena::<u8>::default();
    assert!(arena.is_empty());
}

#[test]
fn thread_bounds() {
    fn assert_send<T: Send>() {}
    assert_send::<TypedArena<String>>();
    assert_send::<TypedArena<Vec<u8>>>();
    // Moving a filled arena to another thread and dropping it there.
    let arena = TypedArena::new();
    arena.alloc_extend((0..100).map(|i| i.to_string()));
    let len = std::thread::spawn(move || {
        arena.alloc(String::from("there"));
        arena.len()
    })
    .join()
    .unwrap();
    assert_eq!(len, 101);
}
