use arena_pool::SyncPool;

fn main() {
    let pool = SyncPool::bounded(1);
    let boxed = pool.alloc(String::from("x"));
    drop(pool);
    println!("{}", *boxed);
}
