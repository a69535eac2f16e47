//! `TypedArena` against a `Vec` model: random sequences of allocations,
//! extends (plain, panicking, re-entrant), clears and `iter_mut` passes must
//! agree with the model, keep every reference handed out intact, and drop
//! every value exactly once.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use arena_pool::TypedArena;
use proptest::prelude::*;

/// Which values are alive, by id; and whether any was dropped twice.
#[derive(Default)]
struct Ledger {
    alive: RefCell<std::collections::BTreeSet<u64>>,
    next_id: RefCell<u64>,
    double_drops: RefCell<u64>,
}

/// A value whose creation and drop the ledger records.
struct Tracked {
    value: u32,
    id: u64,
    ledger: Rc<Ledger>,
}

impl Tracked {
    fn new(value: u32, ledger: &Rc<Ledger>) -> Self {
        let id = {
            let mut next = ledger.next_id.borrow_mut();
            *next += 1;
            *next
        };
        ledger.alive.borrow_mut().insert(id);
        Self {
            value,
            id,
            ledger: Rc::clone(ledger),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if !self.ledger.alive.borrow_mut().remove(&self.id) {
            *self.ledger.double_drops.borrow_mut() += 1;
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Alloc(u32),
    TryAlloc(u32),
    Extend(Vec<u32>),
    /// An extend whose iterator panics before its `n`th value.
    ExtendPanicking(Vec<u32>, usize),
    /// An extend whose iterator allocates `inner` in the same arena before
    /// each of its values.
    ExtendReentrant(Vec<u32>, u32),
    Clear,
    /// Adds to every value through `iter_mut`.
    AddAll(u32),
    /// Checks `iter_mut` from the back.
    CheckReversed,
}

impl Op {
    /// Whether the operation borrows the arena shared (`&self`).
    fn is_shared(&self) -> bool {
        matches!(
            self,
            Op::Alloc(_)
                | Op::TryAlloc(_)
                | Op::Extend(_)
                | Op::ExtendPanicking(..)
                | Op::ExtendReentrant(..)
        )
    }
}

fn op() -> impl Strategy<Value = Op> {
    let values = || prop::collection::vec(0u32..1000, 0..70);
    prop_oneof![
        6 => (0u32..1000).prop_map(Op::Alloc),
        2 => (0u32..1000).prop_map(Op::TryAlloc),
        3 => values().prop_map(Op::Extend),
        1 => (values(), 0usize..80).prop_map(|(v, n)| Op::ExtendPanicking(v, n)),
        1 => (prop::collection::vec(0u32..1000, 0..8), 0u32..1000)
            .prop_map(|(v, inner)| Op::ExtendReentrant(v, inner)),
        1 => Just(Op::Clear),
        1 => (0u32..10).prop_map(Op::AddAll),
        1 => Just(Op::CheckReversed),
    ]
}

fn values(arena: &mut TypedArena<Tracked>) -> Vec<u32> {
    arena.iter_mut().map(|t| t.value).collect()
}

fn run(ops: &[Op], capacity: Option<usize>) -> Result<(), TestCaseError> {
    let ledger = Rc::new(Ledger::default());
    let mut arena = match capacity {
        Some(capacity) => TypedArena::with_capacity(capacity),
        None => TypedArena::new(),
    };
    let mut model: Vec<u32> = Vec::new();
    let mut index = 0;
    while index < ops.len() {
        {
            // A run of shared operations, holding on to every reference.
            let mut held: Vec<(&mut Tracked, u32)> = Vec::new();
            let mut slices: Vec<(&mut [Tracked], Vec<u32>)> = Vec::new();
            while let Some(op) = ops.get(index).filter(|op| op.is_shared()) {
                index += 1;
                match op {
                    Op::Alloc(v) => {
                        let value = arena.alloc(Tracked::new(*v, &ledger));
                        prop_assert_eq!(value.value, *v);
                        held.push((value, *v));
                        model.push(*v);
                    }
                    Op::TryAlloc(v) => {
                        let value = arena.try_alloc(Tracked::new(*v, &ledger)).ok().unwrap();
                        held.push((value, *v));
                        model.push(*v);
                    }
                    Op::Extend(vs) => {
                        let slice =
                            arena.alloc_extend(vs.iter().map(|&v| Tracked::new(v, &ledger)));
                        slices.push((slice, vs.clone()));
                        model.extend(vs);
                    }
                    Op::ExtendPanicking(vs, n) => {
                        let result = catch_unwind(AssertUnwindSafe(|| {
                            arena.alloc_extend(vs.iter().enumerate().map(|(i, &v)| {
                                assert!(i != *n, "the iterator panics");
                                Tracked::new(v, &ledger)
                            }))
                        }));
                        match result {
                            Ok(slice) => {
                                prop_assert!(*n >= vs.len());
                                slices.push((slice, vs.clone()));
                                model.extend(vs);
                            }
                            Err(_) => prop_assert!(*n < vs.len()),
                        }
                    }
                    Op::ExtendReentrant(vs, inner) => {
                        let arena = &arena;
                        let slice = arena.alloc_extend(vs.iter().map(|&v| {
                            arena.alloc(Tracked::new(*inner, &ledger));
                            Tracked::new(v, &ledger)
                        }));
                        slices.push((slice, vs.clone()));
                        // The slice first, then what its iterator allocated.
                        model.extend(vs);
                        model.extend(vs.iter().map(|_| *inner));
                    }
                    _ => unreachable!(),
                }
                prop_assert_eq!(arena.len(), model.len());
            }
            // Every reference still reads what was put there.
            for (value, expected) in held {
                prop_assert_eq!(value.value, expected);
                value.value = expected;
            }
            for (slice, expected) in slices {
                prop_assert!(slice.iter().map(|t| t.value).eq(expected.iter().copied()));
            }
        }
        if let Some(op) = ops.get(index) {
            index += 1;
            match op {
                Op::Clear => {
                    arena.clear();
                    model.clear();
                }
                Op::AddAll(k) => {
                    for value in arena.iter_mut() {
                        value.value += k;
                    }
                    for value in &mut model {
                        *value += k;
                    }
                }
                Op::CheckReversed => {
                    let reversed: Vec<u32> = arena.iter_mut().rev().map(|t| t.value).collect();
                    prop_assert!(reversed.iter().eq(model.iter().rev()));
                }
                _ => unreachable!(),
            }
        }
        prop_assert_eq!(values(&mut arena), model.clone());
        prop_assert_eq!(ledger.alive.borrow().len(), model.len());
    }
    let moved = arena.into_vec();
    prop_assert!(moved.iter().map(|t| t.value).eq(model.iter().copied()));
    prop_assert_eq!(ledger.alive.borrow().len(), model.len());
    drop(moved);
    prop_assert!(ledger.alive.borrow().is_empty());
    prop_assert_eq!(*ledger.double_drops.borrow(), 0);
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 6 } else { 512 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn agrees_with_a_vec(
        ops in prop::collection::vec(op(), 0..if cfg!(miri) { 24 } else { 120 }),
        capacity in prop::option::of(0usize..40),
    ) {
        run(&ops, capacity)?;
    }
}

/// Dropping the arena (rather than moving the values out) drops each value
/// once too.
#[test]
fn dropping_the_arena_after_random_work() {
    let ledger = Rc::new(Ledger::default());
    let mut arena = TypedArena::new();
    for round in 0..if cfg!(miri) { 5 } else { 50 } {
        for i in 0..round * 7 {
            arena.alloc(Tracked::new(i, &ledger));
        }
        arena.alloc_extend((0..round * 13).map(|i| Tracked::new(i, &ledger)));
        if round % 4 == 3 {
            arena.clear();
            assert!(ledger.alive.borrow().is_empty());
        }
    }
    assert_eq!(ledger.alive.borrow().len(), arena.len());
    drop(arena);
    assert!(ledger.alive.borrow().is_empty());
    assert_eq!(*ledger.double_drops.borrow(), 0);
}
