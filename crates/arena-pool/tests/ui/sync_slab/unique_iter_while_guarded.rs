use arena_pool::SyncSlab;

fn main() {
    let mut slab = SyncSlab::new();
    let key = slab.insert(1u32).unwrap();
    let entry = slab.get(key).unwrap();
    for (_, value) in slab.unique_iter() {
        println!("{value}");
    }
    println!("{}", *entry);
}
