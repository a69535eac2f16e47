use arena_pool::FixedPool;

fn main() {
    let mut pool: FixedPool<String, 4> = FixedPool::new();
    let h = pool.insert(String::from("v"));
    let value = &pool[h];
    pool.clear();
    println!("{value}");
}
