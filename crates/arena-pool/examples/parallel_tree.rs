//! A tree built in parallel on a rayon pool, in one `SyncArena`.
//!
//! Each level of the tree is made by `par_iter`/`par_chunks`: every worker
//! allocates its nodes from the shared arena, and a parent made on one
//! worker points at children made on others. The references live as long
//! as the arena, so the finished tree is summed afterwards, in parallel and
//! on one thread, with no copying and no reference counting.
//!
//! ```text
//! cargo run --release -p arena-pool --example parallel_tree
//! ```

use arena_pool::SyncArena;
use rayon::prelude::*;

/// A node of the tree: a value and any number of children.
struct Node<'a> {
    value: u64,
    children: &'a [&'a Node<'a>],
}

impl Node<'_> {
    fn sum(&self) -> u64 {
        self.value + self.children.iter().map(|child| child.sum()).sum::<u64>()
    }

    fn par_sum(&self) -> u64 {
        self.value
            + self
                .children
                .par_iter()
                .map(|child| child.par_sum())
                .sum::<u64>()
    }

    fn count(&self) -> usize {
        1 + self
            .children
            .iter()
            .map(|child| child.count())
            .sum::<usize>()
    }
}

/// Builds a tree with `leaves` leaves (values `0..leaves`) and `fan_out`
/// children per inner node; inner nodes hold the number of children.
fn build(arena: &SyncArena, leaves: u64, fan_out: usize) -> &Node<'_> {
    let mut level: Vec<&Node<'_>> = (0..leaves)
        .into_par_iter()
        .map(|value| {
            &*arena.alloc(Node {
                value,
                children: &[],
            })
        })
        .collect();
    while level.len() > 1 {
        level = level
            .par_chunks(fan_out)
            .map(|children| {
                &*arena.alloc(Node {
                    value: children.len() as u64,
                    children: arena.alloc_slice_copy(children),
                })
            })
            .collect();
    }
    level[0]
}

fn main() {
    let leaves: u64 = if cfg!(miri) { 100 } else { 1_000_000 };
    let mut arena = SyncArena::new();
    for round in 0..2 {
        let root = build(&arena, leaves, 8);
        let sum = root.par_sum();
        assert_eq!(sum, root.sum());
        let inner = root.count() as u64 - leaves;
        // Leaves hold 0..leaves; each inner node holds its child count, and
        // every node but the root is someone's child.
        assert_eq!(sum, leaves * (leaves - 1) / 2 + (leaves + inner - 1));
        println!(
            "round {round}: {} nodes on {} threads, sum {sum}, {} KiB in {} per-thread arenas",
            root.count(),
            rayon::current_num_threads(),
            arena.allocated_bytes() / 1024,
            arena.thread_arena_count(),
        );
        // The borrow of `root` ends here, so the arena can be reset; its
        // chunks are kept for the next round.
        arena.reset();
    }
}
