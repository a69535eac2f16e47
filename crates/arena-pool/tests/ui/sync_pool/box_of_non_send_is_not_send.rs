use std::rc::Rc;

use arena_pool::SyncPool;

fn main() {
    let pool: &'static SyncPool<Rc<u8>> = Box::leak(Box::new(SyncPool::bounded(1)));
    let boxed = pool.alloc(Rc::new(1));
    std::thread::spawn(move || drop(boxed));
}
