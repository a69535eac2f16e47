use arena_pool::SyncPool;

fn main() {
    let boxed;
    {
        let pool = SyncPool::bounded(1);
        boxed = pool.alloc(1u32);
    }
    println!("{}", *boxed);
}
