use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    arena.scope(|outer| {
        let mut slot: &u64 = outer.alloc(0);
        outer.scope(|inner| {
            slot = inner.alloc(1);
        });
        assert_eq!(*slot, 1);
    });
}
