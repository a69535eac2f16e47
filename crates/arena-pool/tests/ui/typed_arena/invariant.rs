//! Shortening the value type's lifetime would let a short-lived reference be
//! stored and later read as a long-lived one.
use arena_pool::TypedArena;

fn shrink<'a>(arena: &'a TypedArena<&'static str>) -> &'a TypedArena<&'a str> {
    arena
}

fn main() {
    let arena = TypedArena::new();
    arena.alloc("static");
    let _ = shrink(&arena);
}
