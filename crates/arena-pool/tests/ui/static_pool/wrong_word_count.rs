use arena_pool::StaticPool;

// 200 slots need more than one word of free bits.
static POOL: StaticPool<u8, 200, 1> = StaticPool::new();

fn main() {
    assert_eq!(POOL.capacity(), 200);
}
