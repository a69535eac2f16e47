use std::cell::Cell;
use std::sync::MutexGuard;

use arena_pool::SyncSlab;

fn assert_sync<T: Sync>() {}

fn main() {
    // Guards on other threads would share the `Cell`.
    assert_sync::<SyncSlab<Cell<u8>>>();
    // `take` on another thread would move the guard there.
    assert_sync::<SyncSlab<MutexGuard<'static, u8>>>();
}
