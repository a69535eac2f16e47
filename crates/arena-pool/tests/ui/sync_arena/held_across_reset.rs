use arena_pool::SyncArena;

fn main() {
    let mut arena = SyncArena::new();
    let x = arena.alloc(1u32);
    arena.reset();
    *x += 1;
}
