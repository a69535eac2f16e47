use arena_pool::Arena;
use arena_pool::collections::Box;

fn main() {
    let b: Box<'_, dyn std::fmt::Debug> = {
        let arena = Arena::new();
        arena_pool::unsize_box!(Box::new_in(1u8, &arena))
    };
    println!("{b:?}");
}
