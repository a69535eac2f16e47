use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    let escaped = arena.scope(|scope| scope.alloc(1u64));
    *escaped += 1;
}
