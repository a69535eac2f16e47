use std::cell::Cell;
use std::rc::Rc;

use arena_pool::{Recycled, RecycledOwned, Recycler};

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

fn main() {
    assert_send::<Recycler<Rc<u8>>>();
    assert_sync::<Recycler<Rc<u8>>>();
    assert_send::<Recycled<'static, Rc<u8>>>();
    assert_send::<RecycledOwned<Rc<u8>>>();
    assert_sync::<Recycled<'static, Cell<u8>>>();
    assert_sync::<RecycledOwned<Cell<u8>>>();
}
