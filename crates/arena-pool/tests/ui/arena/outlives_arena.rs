use arena_pool::Arena;

fn main() {
    let escaped: &mut u64;
    {
        let arena = Arena::new();
        escaped = arena.alloc(1);
    }
    *escaped += 1;
}
