use arena_pool::Arena;
use arena_pool::collections::Vec;

fn main() {
    let mut arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    v.push(1u64);
    arena.reset();
    v.push(2);
}
