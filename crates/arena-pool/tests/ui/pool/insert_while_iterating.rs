use arena_pool::Pool;

fn main() {
    let mut pool: Pool<u32> = (0..4).collect();
    for (_, v) in pool.iter() {
        pool.insert(*v);
    }
}
