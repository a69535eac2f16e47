use arena_pool::Arena;
use arena_pool::collections::String;

fn main() {
    let escaped: String<'_> = {
        let arena = Arena::new();
        String::from_str_in("gone", &arena)
    };
    println!("{escaped}");
}
