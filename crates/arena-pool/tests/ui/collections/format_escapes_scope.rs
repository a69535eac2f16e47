use arena_pool::Arena;

fn main() {
    let mut arena = Arena::new();
    let s: &str = arena.scope(|scope| arena_pool::format!(in &scope, "{}", 1).into_str());
    println!("{s}");
}
