use arena_pool::{StaticPool, static_pool_words};

fn main() {
    let pool: StaticPool<u32, 4, { static_pool_words(4) }> = StaticPool::new();
    let boxed = pool.alloc(1);
    std::thread::spawn(move || println!("{}", *boxed));
}
