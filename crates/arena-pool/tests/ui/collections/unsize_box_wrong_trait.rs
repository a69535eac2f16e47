use arena_pool::Arena;
use arena_pool::collections::Box;

fn main() {
    let arena = Arena::new();
    let b: Box<dyn Iterator<Item = u8>> = arena_pool::unsize_box!(Box::new_in(1u8, &arena));
    drop(b);
}
