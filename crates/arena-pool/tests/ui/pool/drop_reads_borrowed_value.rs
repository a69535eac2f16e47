// A value whose `Drop` reads what it borrows must not outlive it, in a pool
// as in a `Vec`.
use arena_pool::{FixedPool, Pool};

struct Noisy<'a>(&'a String);

impl Drop for Noisy<'_> {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

fn main() {
    let mut pool = Pool::new();
    let s = String::from("read on drop");
    pool.insert(Noisy(&s));

    let mut fixed: FixedPool<Noisy<'_>, 1> = FixedPool::new();
    let t = String::from("read on drop");
    fixed.insert(Noisy(&t));
}
