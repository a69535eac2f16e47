use arena_pool::TypedArena;

fn main() {
    let mut arena = TypedArena::new();
    let first = arena.alloc(1u32);
    for value in arena.iter_mut() {
        *value += 1;
    }
    *first += 1;
}
