use std::sync::MutexGuard;

use arena_pool::OwnedPoolBox;

fn assert_sync<T: Sync>() {}

// `MutexGuard` is `Sync` but not `Send`: a shared `OwnedPoolBox` hands out
// its pool (`pool()`), through which values move between threads.
fn main() {
    assert_sync::<OwnedPoolBox<MutexGuard<'static, u8>>>();
}
