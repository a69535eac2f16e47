use std::cell::Cell;

use arena_pool::{OwnedPoolBox, PoolBox};

fn assert_sync<T: Sync>() {}

fn main() {
    assert_sync::<PoolBox<'static, Cell<u8>>>();
    assert_sync::<OwnedPoolBox<Cell<u8>>>();
}
