use std::cell::Cell;

use arena_pool::StaticBox;

fn assert_sync<T: Sync>() {}

fn main() {
    assert_sync::<StaticBox<'static, Cell<u8>>>();
}
