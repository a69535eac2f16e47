use arena_pool::SyncArena;

fn main() {
    let mut arena = SyncArena::new();
    let local = arena.local();
    arena.reset();
    local.alloc(1u32);
}
