use arena_pool::{StaticPool, static_pool_words};

fn main() {
    let boxed;
    {
        let pool: StaticPool<u32, 1, { static_pool_words(1) }> = StaticPool::new();
        boxed = pool.alloc(1);
    }
    println!("{}", *boxed);
}
