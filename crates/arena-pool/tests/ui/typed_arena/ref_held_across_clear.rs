use arena_pool::TypedArena;

fn main() {
    let mut arena = TypedArena::new();
    let value = arena.alloc(String::from("old"));
    arena.clear();
    value.push('!');
}
