use arena_pool::TypedArena;

fn main() {
    let escaped: &mut String = {
        let arena = TypedArena::new();
        arena.alloc(String::from("gone"))
    };
    escaped.push('!');
}
