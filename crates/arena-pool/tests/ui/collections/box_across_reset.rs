use arena_pool::Arena;
use arena_pool::collections::Box;

fn main() {
    let mut arena = Arena::new();
    let b = Box::new_in(std::string::String::from("x"), &arena);
    arena.reset();
    drop(b);
}
