use arena_pool::Arena;
use arena_pool::collections::Vec;

fn assert_send<T: Send>(_: &T) {}

fn main() {
    let arena = Arena::new();
    let v: Vec<u8> = Vec::new_in(&arena);
    assert_send(&v);
}
