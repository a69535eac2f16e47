// A secondary pool is `Send` and `Sync` exactly when its values are; the
// primary pool's value type does not matter.
use arena_pool::SecondaryPool;
use std::rc::Rc;

fn assert_send<T: Send>() {}

fn main() {
    assert_send::<SecondaryPool<Rc<u8>, u8>>();
    assert_send::<SecondaryPool<u8, Rc<u8>>>();
}
