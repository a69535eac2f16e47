use arena_pool::Arena;
use arena_pool::collections::Box;
use std::rc::Rc;

fn assert_send<T: Send>(_: &T) {}

fn main() {
    let arena = Arena::new();
    let b = Box::new_in(Rc::new(1), &arena);
    assert_send(&b);
}
