// A dense pool is `Send` and `Sync` exactly when its values are.
use std::rc::Rc;

use arena_pool::DensePool;

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

fn main() {
    assert_send::<DensePool<Rc<u8>>>();
    assert_sync::<DensePool<std::cell::Cell<u8>>>();
}
