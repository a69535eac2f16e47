//! A `Drop` that reads another value of the arena could see it already
//! dropped: the borrow checker must refuse the cycle.
use std::cell::Cell;

use arena_pool::TypedArena;

struct Node<'a> {
    name: String,
    next: Cell<Option<&'a Node<'a>>>,
}

impl Drop for Node<'_> {
    fn drop(&mut self) {
        if let Some(next) = self.next.get() {
            println!("{}", next.name);
        }
    }
}

fn main() {
    let arena = TypedArena::new();
    let a = arena.alloc(Node { name: "a".into(), next: Cell::new(None) });
    let b = arena.alloc(Node { name: "b".into(), next: Cell::new(None) });
    a.next.set(Some(b));
    b.next.set(Some(a));
}
