use arena_pool::Arena;
use arena_pool::collections::Vec;

fn main() {
    let mut arena = Arena::new();
    let v = arena.scope(|scope| {
        let mut v = Vec::new_in(&scope);
        v.push(1u32);
        v
    });
    assert_eq!(v.len(), 1);
}
