use arena_pool::Arena;

fn assert_sync<T: Sync>() {}

fn main() {
    assert_sync::<Arena>();
}
