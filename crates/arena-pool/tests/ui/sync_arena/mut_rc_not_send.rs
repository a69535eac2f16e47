use std::rc::Rc;

use arena_pool::SyncArena;

fn main() {
    let arena = SyncArena::new();
    let rc: &mut Rc<u32> = arena.alloc(Rc::new(1));
    std::thread::scope(|s| {
        s.spawn(move || drop(Rc::clone(rc)));
    });
}
