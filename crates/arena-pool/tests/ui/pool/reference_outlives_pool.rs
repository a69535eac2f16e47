use arena_pool::Pool;

fn main() {
    let value;
    {
        let mut pool = Pool::new();
        let h = pool.insert(String::from("gone"));
        value = pool.get(h).unwrap();
    }
    println!("{value}");
}
