use std::rc::Rc;

use arena_pool::static_pool;

// A `static` must be `Sync`; a pool of `Rc`s is not.
static_pool!(static RCS: [Rc<u8>; 2]);

fn main() {
    let _ = RCS.alloc(Rc::new(1));
}
