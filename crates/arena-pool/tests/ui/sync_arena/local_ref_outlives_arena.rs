use arena_pool::SyncArena;

fn main() {
    let escaped: &u32;
    {
        let arena = SyncArena::new();
        let local = arena.local();
        escaped = local.alloc(1);
    }
    println!("{escaped}");
}
