use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    let value = arena.alloc(1u64);
    arena.reset();
    *value += 1;
}
