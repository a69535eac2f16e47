use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    arena.scope(|scope| {
        std::thread::scope(|threads| {
            threads.spawn(|| scope.alloc(1u64));
        });
    });
}
