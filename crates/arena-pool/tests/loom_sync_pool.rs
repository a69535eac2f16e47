//! Model checks of the pool's free list, per-thread caches and box
//! lifecycle, and of the recycler, under every interleaving loom explores.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 \
//!     cargo test -p arena-pool --release --test loom_sync_pool
//! ```
#![cfg(loom)]

use std::sync::Arc;

use arena_pool::{Recycler, SyncPool};
use loom::thread;

/// Two threads each allocate, write, read back and free, twice, on a pool
/// of one slot more than they need at once; at the end all slots are free
/// and usable.
#[test]
fn two_threads_alloc_and_free() {
    loom::model(|| {
        let pool = Arc::new(SyncPool::bounded(2));
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

/// As above on a pool large enough for per-thread caches (one slot each):
/// freed slots go to the threads' caches, and after the threads exit the
/// main thread gets every slot back.
#[test]
fn two_threads_with_caches() {
    loom::model(|| {
        let pool = Arc::new(SyncPool::bounded(8));
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
        let all: Vec<_> = (0..8).map(|i| pool.alloc((i, i))).collect();
        assert!(pool.try_alloc((0, 0)).is_err());
        drop(all);
    });
}

/// Three threads race for two slots: no slot has two owners, and a thread
/// that fails gets its value back.
#[test]
fn three_threads_two_slots() {
    loom::model(|| {
        let pool = Arc::new(SyncPool::bounded(2));
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

/// A box allocated on one thread is freed on another, which then
/// allocates again: the value written by the first thread is seen, and the
/// slot's reuse is ordered after its free.
#[test]
fn box_freed_on_another_thread() {
    loom::model(|| {
        let pool = Arc::new(SyncPool::bounded(1));
        let boxed = pool.alloc_owned(String::from("first"));
        let other = Arc::clone(&pool);
        let h = thread::spawn(move || {
            assert_eq!(*boxed, "first");
            drop(boxed);
            // Fails only while the main thread holds the one slot.
            let again = other.try_alloc(String::from("second"));
            if let Ok(again) = &again {
                assert_eq!(**again, "second");
            }
            again.is_ok()
        });
        let mine = pool.try_alloc(String::from("third"));
        let got_again = h.join().unwrap();
        assert!(got_again || mine.is_ok(), "the freed slot was lost");
        drop(mine);
        assert_eq!(pool.len(), 0);
    });
}

/// Two threads pull and return objects; resets run and nothing is
/// duplicated.
#[test]
fn recycler_two_threads() {
    loom::model(|| {
        let r = Arc::new(Recycler::with_max_idle(2, Vec::<u8>::new).with_reset(Vec::clear));
        let handles: Vec<_> = (0..2)
            .map(|t| {
                let r = Arc::clone(&r);
                thread::spawn(move || {
                    let mut v = r.pull();
                    assert!(v.is_empty());
                    v.push(t);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert!(r.idle() <= 2);
        assert!(r.pull().is_empty());
    });
}

/// A recycler without hooks and with slots enough for per-thread caches:
/// a return goes to the thread's cache through the slot's segment header,
/// as a pool's free does. Each thread pulls and changes an object twice, and
/// one guard crosses to the other thread, which returns it; at the end every
/// object made is idle exactly once, with every change on it.
#[test]
fn recycler_without_hooks_caches_per_thread() {
    loom::model(|| {
        let r = Arc::new(Recycler::with_max_idle(8, || 0u32));
        let other = {
            let r = Arc::clone(&r);
            thread::spawn(move || {
                for _ in 0..2 {
                    *r.pull() += 1;
                }
                r.pull_owned()
            })
        };
        for _ in 0..2 {
            *r.pull() += 1;
        }
        let mut crossed = other.join().unwrap();
        *crossed += 1;
        drop(crossed);
        let mut idle = Vec::new();
        while let Some(object) = r.try_pull() {
            idle.push(object);
        }
        assert!((1..=3).contains(&idle.len()));
        assert_eq!(idle.iter().map(|object| **object).sum::<u32>(), 5);
    });
}

/// One thread attaches an object made elsewhere and returns a broken one
/// (which the check drops) while another prefills and takes whatever is
/// idle: no slot gets two objects, and every object that is not dropped can
/// be taken again.
#[test]
fn recycler_attach_prefill_and_check() {
    loom::model(|| {
        let r = Arc::new(
            Recycler::with_max_idle(2, || vec![1u8])
                .with_check(|v: &mut Vec<u8>| v.first() != Some(&0xFF)),
        );
        let attacher = {
            let r = Arc::clone(&r);
            thread::spawn(move || {
                let attached = r.attach(vec![2]).is_ok();
                let mut broken = r.pull();
                broken[0] = 0xFF;
                drop(broken);
                attached
            })
        };
        let made = r.prefill(1);
        let taken = r.try_pull().map(|v| v[0]);
        let attached = attacher.join().unwrap();
        assert!(made <= 1);
        if let Some(first) = taken {
            assert!(first == 1 || first == 2);
        }
        assert!(r.idle() <= 2);
        // What is idle now comes out intact.
        let a = r.try_pull();
        let b = r.try_pull();
        for v in [&a, &b].into_iter().flatten() {
            assert!(v[0] == 1 || v[0] == 2);
        }
        let _ = attached;
    });
}

/// A pool that starts empty, on two threads: one installs a part while the
/// other allocates (from that part or one of its own, whichever wins the
/// race to install it); the loser's part is freed, no slot has two owners
/// (loom checks every value access), every value reads back and every slot
/// is free at the end.
#[test]
fn growing_pool_installs_a_part_while_another_thread_allocates() {
    loom::model(|| {
        let pool = Arc::new(SyncPool::new());
        let other = {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                let a = pool.alloc(1u8);
                let b = pool.alloc(2u8);
                assert_eq!((*a, *b), (1, 2));
            })
        };
        let mut mine = pool.alloc(3u8);
        *mine += 1;
        assert_eq!(*mine, 4);
        other.join().unwrap();
        assert_eq!(pool.len(), 1);
        assert!(pool.capacity() >= 2);
        drop(mine);
        assert_eq!(pool.len(), 0);
    });
}
