use arena_pool::SyncSlab;

fn main() {
    let entry;
    {
        let slab = SyncSlab::new();
        let key = slab.insert(1u32).unwrap();
        entry = slab.get(key).unwrap();
    }
    println!("{}", *entry);
}
