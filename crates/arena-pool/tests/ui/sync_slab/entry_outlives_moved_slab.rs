use arena_pool::SyncSlab;

fn main() {
    let slab = SyncSlab::new();
    let key = slab.insert(1u32).unwrap();
    let entry = slab.get(key).unwrap();
    let moved = slab;
    println!("{} {}", *entry, moved.len());
}
