use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    arena.scope(|outer| {
        outer.scope(|_inner| {
            // The outer scope is borrowed by the nested one: allocating from
            // it here would put memory the nested scope frees into a
            // reference that outlives it.
            let _leaked = outer.alloc(1u64);
        });
    });
}
