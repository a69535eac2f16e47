use std::sync::MutexGuard;

use arena_pool::{OwnedSlabEntry, SlabEntry};

fn assert_send<T: Send>() {}

fn main() {
    // The last guard of a removed value drops it on its own thread.
    assert_send::<SlabEntry<'static, MutexGuard<'static, u8>>>();
    assert_send::<OwnedSlabEntry<MutexGuard<'static, u8>>>();
}
