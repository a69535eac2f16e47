use std::rc::Rc;

use arena_pool::TypedArena;

fn main() {
    let arena = TypedArena::new();
    arena.alloc(Rc::new(1u32));
    std::thread::spawn(move || drop(arena));
}
