use arena_pool::TypedArena;

fn main() {
    let arena = TypedArena::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            arena.alloc(1u32);
        });
        arena.alloc(2u32);
    });
}
