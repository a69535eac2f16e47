//! A short walk through arena-pool: run it with
//! `cargo run --release --example tour`.

use arena_pool::Arena;

/// A syntax tree node that lives in an arena and points at other nodes in it.
#[derive(Debug)]
enum Expr<'a> {
    Num(i64),
    Add(&'a Expr<'a>, &'a Expr<'a>),
    Mul(&'a Expr<'a>, &'a Expr<'a>),
}

impl Expr<'_> {
    fn eval(&self) -> i64 {
        match self {
            Expr::Num(n) => *n,
            Expr::Add(l, r) => l.eval() + r.eval(),
            Expr::Mul(l, r) => l.eval() * r.eval(),
        }
    }
}

/// Builds `(1 + 2) * 3` with every node in `arena`: no other heap allocation.
fn build_ast(arena: &Arena) -> &Expr<'_> {
    let one = arena.alloc(Expr::Num(1));
    let two = arena.alloc(Expr::Num(2));
    let three = arena.alloc(Expr::Num(3));
    let sum = arena.alloc(Expr::Add(one, two));
    arena.alloc(Expr::Mul(sum, three))
}

fn arena_tour() {
    println!("== Arena: a fixed arena of 256 bytes ==");
    let mut arena = Arena::fixed(256);
    println!(
        "capacity: {} bytes, used: {} bytes",
        arena.capacity(),
        arena.allocated_bytes()
    );

    let expr = build_ast(&arena);
    println!(
        "built (1 + 2) * 3 in the arena: 5 nodes of {} bytes, evaluates to {}",
        size_of::<Expr<'_>>(),
        expr.eval()
    );
    println!("used after the tree: {} bytes", arena.allocated_bytes());

    arena.reset();
    println!("used after reset: {} bytes", arena.allocated_bytes());

    for i in 0..10u64 {
        arena.alloc(i);
    }
    println!(
        "used after ten 8-byte allocations: {} bytes",
        arena.allocated_bytes()
    );

    let full = arena.try_alloc([0u8; 256]);
    match full {
        Ok(_) => println!("unexpected: 256 more bytes fit"),
        Err(error) => println!("asking for 256 more bytes: {error}"),
    }
}

fn pool_tour() {
    println!();
    println!("== Pool: values in slots, reached through handles ==");
    let mut pool = arena_pool::Pool::bounded(4);
    let h1 = pool.insert(100);
    let h2 = pool.insert(200);
    println!(
        "pool[{h1:?}] = {}, pool[{h2:?}] = {}, live: {}",
        pool[h1],
        pool[h2],
        pool.len()
    );

    pool.remove(h1);
    println!("after removing {h1:?}: live: {}", pool.len());

    let h3 = pool.insert(999);
    println!(
        "inserted 999 as {h3:?}: slot {} is reused, under generation {}",
        h3.index(),
        h3.generation()
    );
    println!("the stale handle {h1:?} finds {:?}", pool.get(h1));
    println!(
        "removing {h1:?} again gives {:?}: no double free",
        pool.remove(h1)
    );

    for i in 0..2 {
        pool.insert(i);
    }
    match pool.try_insert(5) {
        Ok(h) => println!("unexpected: a fifth value fit as {h:?}"),
        Err(full) => {
            let reason = full.to_string();
            println!("a fifth value: {reason} (got {} back)", full.into_value());
        }
    }
}

fn main() {
    arena_tour();
    pool_tour();
}
