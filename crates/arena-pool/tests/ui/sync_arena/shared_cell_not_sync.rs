use std::cell::Cell;

use arena_pool::SyncArena;

fn main() {
    let arena = SyncArena::new();
    let cell: &Cell<u32> = arena.alloc(Cell::new(1));
    std::thread::scope(|s| {
        s.spawn(move || cell.set(2));
    });
}
