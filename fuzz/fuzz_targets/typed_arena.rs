//! Drives `TypedArena` with random operations (allocations, extends that
//! panic or allocate from inside their iterator, clears, `iter_mut` passes)
//! and checks it against a `Vec` model, with every drop accounted for.

#![no_main]

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Once;

use arbitrary::Arbitrary;
use arena_pool::TypedArena;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Alloc(u16),
    TryAlloc(u16),
    Extend(Vec<u16>),
    /// The iterator panics before value `at`.
    ExtendPanicking {
        values: Vec<u16>,
        at: u8,
    },
    /// The iterator allocates `inner` before each of its values.
    ExtendReentrant {
        values: Vec<u16>,
        inner: u16,
    },
    Clear,
    AddAll(u16),
    IntoVecAndRebuild,
}

#[derive(Arbitrary, Debug)]
struct Input {
    capacity: Option<u8>,
    ops: Vec<Op>,
}

/// A value that counts how many of its kind are alive.
struct Tracked {
    value: u16,
    alive: Rc<Cell<usize>>,
}

impl Tracked {
    fn new(value: u16, alive: &Rc<Cell<usize>>) -> Self {
        alive.set(alive.get() + 1);
        Self {
            value,
            alive: Rc::clone(alive),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let alive = self.alive.get();
        assert!(alive > 0, "a value was dropped twice");
        self.alive.set(alive - 1);
    }
}

/// The payload of the panics the target raises on purpose.
struct IntendedPanic;

/// The fuzzer's panic hook aborts on any panic, even one that is caught;
/// this one lets the intended panics unwind.
fn allow_intended_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<IntendedPanic>() {
                fuzzer_hook(info);
            }
        }));
    });
}

fn contents(arena: &mut TypedArena<Tracked>) -> Vec<u16> {
    arena.iter_mut().map(|t| t.value).collect()
}

fuzz_target!(|input: Input| {
    allow_intended_panics();
    let alive = Rc::new(Cell::new(0));
    let mut arena = match input.capacity {
        Some(capacity) => TypedArena::with_capacity(usize::from(capacity)),
        None => TypedArena::new(),
    };
    let mut model: Vec<u16> = Vec::new();
    for op in input.ops.iter().take(256) {
        match op {
            Op::Alloc(v) => {
                assert_eq!(arena.alloc(Tracked::new(*v, &alive)).value, *v);
                model.push(*v);
            }
            Op::TryAlloc(v) => {
                let value = arena.try_alloc(Tracked::new(*v, &alive));
                assert_eq!(value.ok().map(|t| t.value), Some(*v));
                model.push(*v);
            }
            Op::Extend(values) => {
                let slice = arena.alloc_extend(values.iter().map(|&v| Tracked::new(v, &alive)));
                assert!(slice.iter().map(|t| t.value).eq(values.iter().copied()));
                model.extend(values);
            }
            Op::ExtendPanicking { values, at } => {
                let at = usize::from(*at);
                let result = catch_unwind(AssertUnwindSafe(|| {
                    arena.alloc_extend(values.iter().enumerate().map(|(i, &v)| {
                        if i == at {
                            std::panic::panic_any(IntendedPanic);
                        }
                        Tracked::new(v, &alive)
                    }));
                }));
                assert_eq!(result.is_err(), at < values.len());
                if result.is_ok() {
                    model.extend(values);
                }
            }
            Op::ExtendReentrant { values, inner } => {
                let shared = &arena;
                let slice = shared.alloc_extend(values.iter().map(|&v| {
                    shared.alloc(Tracked::new(*inner, &alive));
                    Tracked::new(v, &alive)
                }));
                assert!(slice.iter().map(|t| t.value).eq(values.iter().copied()));
                model.extend(values);
                model.extend(values.iter().map(|_| *inner));
            }
            Op::Clear => {
                arena.clear();
                model.clear();
            }
            Op::AddAll(k) => {
                for value in arena.iter_mut() {
                    value.value = value.value.wrapping_add(*k);
                }
                for value in &mut model {
                    *value = value.wrapping_add(*k);
                }
            }
            Op::IntoVecAndRebuild => {
                let values = std::mem::take(&mut arena).into_vec();
                assert!(values.iter().map(|t| t.value).eq(model.iter().copied()));
                arena = values.into_iter().collect();
            }
        }
        assert_eq!(arena.len(), model.len());
        assert_eq!(alive.get(), model.len());
    }
    assert_eq!(contents(&mut arena), model);
    drop(arena);
    assert_eq!(alive.get(), 0);
});
