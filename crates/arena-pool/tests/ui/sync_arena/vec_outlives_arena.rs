use allocator_api2::vec::Vec;
use arena_pool::SyncArena;

fn main() {
    let v;
    {
        let arena = SyncArena::new();
        v = Vec::<u8, _>::new_in(&arena);
    }
    drop(v);
}
