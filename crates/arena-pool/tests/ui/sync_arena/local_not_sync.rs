use arena_pool::SyncArena;

fn main() {
    let arena = SyncArena::new();
    let local = arena.local();
    let local = &local;
    std::thread::scope(|s| {
        s.spawn(move || {
            local.alloc(1u8);
        });
    });
}
