use arena_pool::Arena;
use arena_pool::collections::Vec;

fn main() {
    let mut arena = Arena::new();
    arena.scope(|outer| {
        let mut v = Vec::new_in(&outer);
        outer.scope(|inner| {
            inner.alloc(0u8);
        });
        v.push(1u32);
    });
}
