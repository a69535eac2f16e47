use std::rc::Rc;
use std::sync::Arc;

use arena_pool::SyncPool;

fn main() {
    let pool = Arc::new(SyncPool::bounded(1));
    let boxed = pool.alloc_owned(Rc::new(1u8));
    std::thread::spawn(move || drop(boxed));
}
