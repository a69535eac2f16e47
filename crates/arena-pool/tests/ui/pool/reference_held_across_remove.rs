use arena_pool::Pool;

fn main() {
    let mut pool = Pool::new();
    let h = pool.insert(String::from("v"));
    let value = pool.get(h).unwrap();
    pool.remove(h);
    println!("{value}");
}
