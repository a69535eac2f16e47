//! `alloc_with` and its twins build a value straight in arena memory: in an
//! optimised build a value twice the size of the thread's stack goes through
//! them without touching the stack. Unoptimised builds may build the value on
//! the stack first, so they are checked with a value that fits it.
//!
//! The closures are of the shapes the optimiser writes straight through the
//! arena pointer (as it does for bumpalo's `alloc_with`): a struct literal
//! whose fields are built in it. A closure that calls a function not
//! inlined, or fills a local in a loop and returns it, is built on the stack
//! first by both crates.

use arena_pool::Arena;

/// The stack every check runs on: the size of a default main-thread stack
/// on Linux.
const STACK: usize = 8 << 20;

/// The value's size: twice the stack when optimised; in debug builds (and
/// under Miri), small enough for the copies they may make on the stack.
#[cfg(not(debug_assertions))]
const SIZE: usize = 16 << 20;
#[cfg(all(debug_assertions, not(miri)))]
const SIZE: usize = 1 << 20;
#[cfg(miri)]
const SIZE: usize = 4 << 10;

struct Huge {
    bytes: [u8; SIZE],
    tag: u64,
}

/// Runs `check` on a thread with a stack of `STACK` bytes; a stack overflow
/// aborts the test process, failing the test.
fn on_small_stack(check: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(check)
        .expect("spawn a thread")
        .join()
        .expect("the check passed");
}

fn assert_built(huge: &Huge, byte: u8, tag: u64) {
    assert_eq!(huge.tag, tag);
    assert!(huge.bytes.iter().all(|&b| b == byte));
}

#[test]
fn alloc_with_builds_a_value_larger_than_the_stack_in_place() {
    on_small_stack(|| {
        let arena = Arena::new();
        let huge = arena.alloc_with(|| Huge {
            bytes: [7; SIZE],
            tag: 1,
        });
        assert_built(huge, 7, 1);
        // A byte the optimiser cannot see through.
        let byte = std::hint::black_box(8);
        let huge = arena.alloc_with(|| Huge {
            bytes: [byte; SIZE],
            tag: 2,
        });
        assert_built(huge, 8, 2);
        let huge = arena
            .try_alloc_with(|| Huge {
                bytes: [byte + 1; SIZE],
                tag: 3,
            })
            .unwrap();
        assert_built(huge, 9, 3);
        assert!(arena.allocated_bytes() >= 3 * SIZE);
    });
}

#[test]
fn scope_alloc_with_builds_a_value_larger_than_the_stack_in_place() {
    on_small_stack(|| {
        let mut arena = Arena::new();
        arena.scope(|scope| {
            let huge = scope.alloc_with(|| Huge {
                bytes: [10; SIZE],
                tag: 4,
            });
            assert_built(huge, 10, 4);
        });
    });
}
