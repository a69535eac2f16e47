//! What must compile: a `static` pool of values that are `Send` but not
//! `Sync`, boxes sent to threads, a pool in a local, a pool named by its
//! full type, and generic code over any pool.

use std::cell::Cell;

use arena_pool::{StaticBox, StaticPool, static_pool, static_pool_words};

static_pool!(pub static CELLS: [Cell<u32>; 4]);

static NAMED: StaticPool<String, 70, { static_pool_words(70) }> = StaticPool::new();

fn first<T, const N: usize, const W: usize>(pool: &StaticPool<T, N, W>, value: T) -> StaticBox<'_, T> {
    pool.alloc(value)
}

fn main() {
    let cell = CELLS.alloc(Cell::new(1));
    let handle = std::thread::spawn(move || {
        cell.set(2);
        cell.get()
    });
    assert_eq!(handle.join().unwrap(), 2);

    let name: StaticBox<'static, String> = first(&NAMED, String::from("x"));
    std::thread::spawn(move || assert_eq!(*name, "x")).join().unwrap();

    let local: StaticPool<Vec<u8>, 2, 1> = StaticPool::new();
    let mut v = local.alloc(Vec::new());
    v.push(1);
    std::thread::scope(|s| {
        s.spawn(|| assert_eq!(*v, [1]));
    });
}
