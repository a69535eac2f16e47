use std::rc::Rc;

use arena_pool::StaticBox;

fn assert_send<T: Send>() {}

fn main() {
    assert_send::<StaticBox<'static, Rc<u8>>>();
}
