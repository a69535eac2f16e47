use std::cell::Cell;

use arena_pool::{OwnedSlabEntry, SlabEntry};

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

fn main() {
    assert_send::<SlabEntry<'static, Cell<u8>>>();
    assert_sync::<SlabEntry<'static, Cell<u8>>>();
    assert_send::<OwnedSlabEntry<Cell<u8>>>();
    assert_sync::<OwnedSlabEntry<Cell<u8>>>();
}
