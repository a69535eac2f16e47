//! Model checks of `StaticPool`: its free bitmap and the hand-over of a
//! slot's value from one owner to the next, under every interleaving loom
//! explores. (Under loom the pool is built at run time; the code is the
//! same.)
//!
//! ```text
//! RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 \
//!     cargo test -p arena-pool --release --test loom_static_pool
//! ```
#![cfg(loom)]

use std::sync::Arc;

use arena_pool::{StaticPool, static_pool_words};
use loom::thread;

type Pool<T, const N: usize> = StaticPool<T, N, 1>;

/// Two threads each allocate, write, read back and free, twice, on a pool
/// of two slots; at the end all slots are free and usable.
#[test]
fn two_threads_alloc_and_free() {
    loom::model(|| {
        let pool: Arc<Pool<(usize, usize), 2>> = Arc::new(StaticPool::new());
        let handles: Vec<_> = (0..2)
            .map(|t| {
                let pool = Arc::clone(&pool);
                thread::spawn(move || {
                    for round in 0..2 {
                        let mut b = pool.alloc((t, round));
                        b.1 += 10;
                        assert_eq!(*b, (t, round + 10));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(pool.len(), 0);
        let a = pool.alloc((9, 9));
        let b = pool.alloc((9, 9));
        assert!(pool.try_alloc((0, 0)).is_err());
        drop((a, b));
    });
}

/// Three threads race for two slots: no slot has two owners, a thread that
/// fails gets its value back, and no slot is lost.
#[test]
fn three_threads_two_slots() {
    loom::model(|| {
        let pool: Arc<Pool<usize, 2>> = Arc::new(StaticPool::new());
        let handles: Vec<_> = (0..3)
            .map(|t| {
                let pool = Arc::clone(&pool);
                thread::spawn(move || match pool.try_alloc(t) {
                    Ok(b) => {
                        assert_eq!(*b, t);
                        1
                    }
                    Err(full) => {
                        assert_eq!(full.into_value(), t);
                        0
                    }
                })
            })
            .collect();
        let got: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert!(got >= 2, "a slot was lost");
        assert_eq!(pool.len(), 0);
    });
}

/// One slot, two threads: each writes a heap value into it, reads it back
/// and moves it out; loom's cell tracking checks that one owner's last use
/// happens before the next owner's write.
#[test]
fn one_slot_changes_hands() {
    loom::model(|| {
        let pool: Arc<Pool<String, 1>> = Arc::new(StaticPool::new());
        let other = Arc::clone(&pool);
        let h = thread::spawn(move || match other.try_alloc(String::from("theirs")) {
            Ok(b) => {
                assert_eq!(*b, "theirs");
                assert_eq!(b.into_inner(), "theirs");
                true
            }
            Err(_) => false,
        });
        let mine = pool.try_alloc(String::from("mine"));
        if let Ok(b) = &mine {
            assert_eq!(**b, "mine");
        }
        let theirs = h.join().unwrap();
        assert!(theirs || mine.is_ok(), "the slot was lost");
        drop(mine);
        assert_eq!(pool.available(), 1);
    });
}

/// A pool of two words whose one free slot is in the second: a thread takes
/// and frees it (moving the search hint) while another searches for it;
/// the slot is found again afterwards. (Filling the first word takes a few
/// hundred steps with one thread, hence the larger branch budget.)
#[test]
fn search_across_words() {
    const N: usize = usize::BITS as usize + 1;
    let mut model = loom::model::Builder::new();
    model.max_branches = 10_000;
    model.check(|| {
        let pool: Arc<StaticPool<usize, N, { static_pool_words(N) }>> = Arc::new(StaticPool::new());
        // Fill all but the last slot, which is in the second word.
        let held: Vec<_> = (0..N - 1).map(|i| pool.alloc(i)).collect();
        let other = Arc::clone(&pool);
        let h = thread::spawn(move || other.try_alloc(N).map(|b| *b).is_ok());
        let mine = pool.try_alloc(0);
        let theirs = h.join().unwrap();
        assert!(theirs || mine.is_ok(), "the slot was lost");
        drop(mine);
        assert_eq!(pool.available(), 1);
        let last = pool.alloc(N);
        assert!(pool.try_alloc(0).is_err());
        drop((last, held));
    });
}
