use arena_pool::SyncArena;

fn main() {
    let escaped: &u32;
    {
        let arena = SyncArena::new();
        escaped = arena.alloc(1);
    }
    println!("{escaped}");
}
