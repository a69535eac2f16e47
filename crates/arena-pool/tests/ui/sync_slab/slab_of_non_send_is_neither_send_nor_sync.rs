use std::rc::Rc;

use arena_pool::SyncSlab;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

fn main() {
    assert_send::<SyncSlab<Rc<u8>>>();
    assert_sync::<SyncSlab<Rc<u8>>>();
}
