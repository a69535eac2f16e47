// Like a `Vec`, a pool may hold references to values declared after it:
// the pools have no `Drop` impl of their own that could read them.
use arena_pool::{FixedPool, Pool};

fn main() {
    let mut pool = Pool::new();
    let x = 5;
    let h = pool.insert(&x);
    assert_eq!(*pool[h], 5);

    let mut bounded = Pool::bounded(2);
    let y = String::from("y");
    bounded.insert(&y);

    let mut fixed: FixedPool<&i32, 2> = FixedPool::new();
    let z = 7;
    let g = fixed.insert(&z);
    assert_eq!(*fixed[g], 7);

    let mut drained = Pool::new();
    let w = 1;
    drained.insert(&w);
    assert_eq!(drained.drain().count(), 1);
}
