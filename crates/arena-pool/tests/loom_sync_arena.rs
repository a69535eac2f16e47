//! Model checks of `SyncArena`: threads claiming per-thread arenas, taking
//! over the arena of a thread that exited, leases, and the shared limit,
//! under every interleaving loom explores. Every use of a per-thread arena
//! is recorded as a write, so two owners whose uses are not ordered fail
//! the check.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 \
//!     cargo test -p arena-pool --release --test loom_sync_arena
//! ```
#![cfg(loom)]

use std::sync::Arc;

use arena_pool::SyncArena;
use loom::thread;

/// Two threads and the main thread allocate at once; every value reads
/// back after the joins.
#[test]
fn threads_allocate_at_once() {
    loom::model(|| {
        let arena = Arc::new(SyncArena::new());
        let handles: Vec<_> = (0..2u64)
            .map(|t| {
                let arena = Arc::clone(&arena);
                thread::spawn(move || {
                    let a = arena.alloc(t);
                    let b = arena.alloc(t + 10);
                    (*a, *b, core::ptr::from_ref(a).addr())
                })
            })
            .collect();
        let mine = *arena.alloc(99u64);
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(mine, 99);
        assert_eq!(results[0].0 + results[1].0, 1);
        assert_eq!(results[0].1 + results[1].1, 21);
        assert_ne!(results[0].2, results[1].2);
    });
}

/// A thread that exits leaves its arena; a thread running at the same time
/// may take it over, and only after the first thread's last use.
#[test]
fn exited_thread_hands_its_arena_over() {
    loom::model(|| {
        let arena = Arc::new(SyncArena::new());
        let first = {
            let arena = Arc::clone(&arena);
            thread::spawn(move || {
                arena.alloc(1u32);
            })
        };
        let second = {
            let arena = Arc::clone(&arena);
            thread::spawn(move || {
                arena.alloc(2u32);
                arena.alloc(3u32);
            })
        };
        first.join().unwrap();
        second.join().unwrap();
        // A third thread may take over either arena (loom's `join` does
        // not wait for thread-local destructors, so it may also find both
        // still owned and make a new one).
        let arena2 = Arc::clone(&arena);
        thread::spawn(move || {
            assert_eq!(*arena2.alloc(4u32), 4);
        })
        .join()
        .unwrap();
        assert!(arena.thread_arena_count() <= 3);
    });
}

/// A lease (`local`) on one thread and direct allocation on another never
/// share an arena.
#[test]
fn lease_and_thread() {
    loom::model(|| {
        let arena = Arc::new(SyncArena::new());
        let other = {
            let arena = Arc::clone(&arena);
            thread::spawn(move || {
                let local = arena.local();
                *local.alloc(5u8)
            })
        };
        let x = *arena.alloc(6u8);
        assert_eq!(other.join().unwrap() + x, 11);
    });
}

/// The shared limit holds when two threads need a first chunk at once.
#[test]
fn limit_across_threads() {
    loom::model(|| {
        let arena = Arc::new(SyncArena::new());
        arena.set_allocation_limit(Some(600));
        let other = {
            let arena = Arc::clone(&arena);
            thread::spawn(move || arena.try_alloc([1u8; 400]).is_ok())
        };
        let mine = arena.try_alloc([2u8; 400]).is_ok();
        let theirs = other.join().unwrap();
        assert!(!(mine && theirs), "both fit under a limit for one");
        assert!(arena.capacity() <= 600);
    });
}
