//! Drives `StaticPool` on one thread with random operations, on pools of
//! one, two and three bitmap words, and checks each against a model: which
//! values are live, in which slots, and how many slots are free.

#![no_main]

use std::collections::HashSet;

use arbitrary::Arbitrary;
use arena_pool::{StaticBox, StaticPool, static_pool_words};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Alloc(u16),
    Free(u8),
    Take(u8),
    Mutate(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    size: u8,
    ops: Vec<Op>,
}

fn run<const N: usize, const W: usize>(ops: Vec<Op>) {
    let pool: StaticPool<String, N, W> = StaticPool::new();
    let mut boxes: Vec<StaticBox<'_, String>> = Vec::new();
    let mut model: Vec<String> = Vec::new();
    for op in ops {
        match op {
            Op::Alloc(v) => match pool.try_alloc(v.to_string()) {
                Ok(b) => {
                    assert!(model.len() < N);
                    boxes.push(b);
                    model.push(v.to_string());
                }
                Err(full) => {
                    assert_eq!(full.slots(), N);
                    assert_eq!(full.into_value(), v.to_string());
                    assert_eq!(model.len(), N);
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
            Op::Mutate(i) if !model.is_empty() => {
                let i = usize::from(i) % model.len();
                boxes[i].push('!');
                model[i].push('!');
            }
            _ => {}
        }
        assert_eq!(pool.len(), model.len());
        assert_eq!(pool.available(), N - model.len());
        assert!(boxes.iter().map(|b| &**b).eq(model.iter()));
        let slots: HashSet<*const String> = boxes.iter().map(|b| &**b as *const String).collect();
        assert_eq!(slots.len(), boxes.len(), "two boxes share a slot");
    }
}

fuzz_target!(|input: Input| {
    const ONE: usize = 5;
    const TWO: usize = usize::BITS as usize + 7;
    const THREE: usize = 2 * usize::BITS as usize + 1;
    match input.size % 4 {
        0 => run::<0, 0>(input.ops),
        1 => run::<ONE, { static_pool_words(ONE) }>(input.ops),
        2 => run::<TWO, { static_pool_words(TWO) }>(input.ops),
        _ => run::<THREE, { static_pool_words(THREE) }>(input.ops),
    }
});
