use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    let arena_ref = &arena;
    arena.scope(|scope| {
        scope.alloc(1u64);
    });
    arena_ref.alloc(2u64);
}
