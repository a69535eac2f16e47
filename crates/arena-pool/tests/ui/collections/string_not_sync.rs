use arena_pool::Arena;
use arena_pool::collections::String;

fn assert_sync<T: Sync>(_: &T) {}

fn main() {
    let arena = Arena::new();
    let s = String::new_in(&arena);
    assert_sync(&s);
}
