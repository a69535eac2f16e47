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
    println!("capacity: {} bytes, used: {} bytes", arena.capacity(), arena.allocated_bytes());

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
    println!("used after ten 8-byte allocations: {} bytes", arena.allocated_bytes());

    let full = arena.try_alloc([0u8; 256]);
    match full {
        Ok(_) => println!("unexpected: 256 more bytes fit"),
        Err(error) => println!("asking for 256 more bytes: {error}"),
    }
}

fn main() {
    arena_tour();
}
