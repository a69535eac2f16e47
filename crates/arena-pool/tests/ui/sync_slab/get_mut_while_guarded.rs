use arena_pool::SyncSlab;

fn main() {
    let mut slab = SyncSlab::new();
    let key = slab.insert(1u32).unwrap();
    let entry = slab.get(key).unwrap();
    *slab.get_mut(key).unwrap() = 2;
    println!("{}", *entry);
}
