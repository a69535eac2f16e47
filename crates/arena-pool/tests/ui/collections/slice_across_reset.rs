use arena_pool::Arena;
use arena_pool::collections::Vec;

fn main() {
    let mut arena = Arena::new();
    let frozen = Vec::from_iter_in([1u8, 2], &arena).into_slice();
    arena.reset();
    frozen[0] = 3;
}
