use arena_pool::TypedArena;

fn main() {
    let arena = TypedArena::new();
    let value = arena.alloc(1u32);
    let values = arena.into_vec();
    *value += values[0];
}
