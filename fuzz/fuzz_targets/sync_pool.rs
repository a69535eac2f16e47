//! Drives `SyncPool` (bounded or growing) and `Recycler` on one thread with random operations
//! and checks each against a simple model: which values are live, how many
//! slots are free, how many objects are idle and how many the factory made.
//! A pulled object keeps its slot while it is out (a new one takes a vacant
//! slot, or a box of its own when every slot is idle or held), goes back to
//! it, and a boxed one is kept only if some slot is vacant by then.

#![no_main]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use arena_pool::{PoolBox, Recycled, Recycler, SyncPool};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Alloc(u16),
    Free(u8),
    Take(u8),
    Pull,
    Return(u8),
    Keep(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    capacity: u8,
    /// A growing pool (starting with `capacity` slots) instead of a bounded one.
    growing: bool,
    max_idle: u8,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| {
    let capacity = usize::from(input.capacity);
    let pool = if input.growing {
        SyncPool::with_capacity(capacity)
    } else {
        SyncPool::bounded(capacity)
    };
    let mut boxes: Vec<PoolBox<'_, String>> = Vec::new();
    let mut model: Vec<String> = Vec::new();

    let made = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&made);
    let max_idle = usize::from(input.max_idle % 32);
    let recycler = Recycler::with_max_idle(max_idle, move || {
        counter.fetch_add(1, Ordering::Relaxed);
        Vec::<u8>::new()
    })
    .with_reset(Vec::clear);
    // Each guard, and whether it holds the slot its object came from.
    let mut pulled: Vec<(Recycled<'_, Vec<u8>>, bool)> = Vec::new();
    let mut idle = 0usize;
    let mut held = 0usize;
    let mut made_model = 0usize;

    for op in input.ops {
        match op {
            Op::Alloc(v) => match pool.try_alloc(v.to_string()) {
                Ok(b) => {
                    assert!(input.growing || model.len() < capacity);
                    boxes.push(b);
                    model.push(v.to_string());
                }
                Err(full) => {
                    assert!(!input.growing, "a growing pool failed");
                    assert_eq!(full.slots(), capacity);
                    assert_eq!(full.into_value(), v.to_string());
                    // One thread: its cache is reclaimed, so the pool is
                    // full exactly when every slot is live.
                    assert_eq!(model.len(), capacity);
                }
            },
            Op::Free(i) if !model.is_empty() => {
                let i = usize::from(i) % model.len();
                drop(boxes.swap_remove(i));
                model.swap_remove(i);
            }
            Op::Take(i) if !model.is_empty() => {
                let i = usize::from(i) % model.len();
                assert_eq!(boxes.swap_remove(i).into_inner(), model.swap_remove(i));
            }
            Op::Pull => {
                let object = recycler.pull();
                assert!(object.is_empty(), "reset ran");
                let from_slot = idle > 0 || held < max_idle;
                if idle > 0 {
                    idle -= 1;
                } else {
                    made_model += 1;
                }
                if from_slot {
                    held += 1;
                }
                pulled.push((object, from_slot));
            }
            Op::Return(i) if !pulled.is_empty() => {
                let i = usize::from(i) % pulled.len();
                let (mut object, from_slot) = pulled.swap_remove(i);
                object.push(1);
                drop(object);
                if from_slot {
                    held -= 1;
                    idle += 1;
                } else if idle + held < max_idle {
                    idle += 1;
                }
            }
            Op::Keep(i) if !pulled.is_empty() => {
                let i = usize::from(i) % pulled.len();
                let (object, from_slot) = pulled.swap_remove(i);
                drop(object.into_inner());
                if from_slot {
                    held -= 1;
                }
            }
            _ => {}
        }
        assert_eq!(pool.len(), model.len());
        for (b, v) in boxes.iter().zip(&model) {
            assert_eq!(**b, *v);
        }
        assert_eq!(recycler.idle(), idle);
        assert_eq!(made.load(Ordering::Relaxed), made_model);
    }
});
