use std::rc::Rc;

use arena_pool::SyncPool;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

fn main() {
    assert_send::<SyncPool<Rc<u8>>>();
    assert_sync::<SyncPool<Rc<u8>>>();
}
