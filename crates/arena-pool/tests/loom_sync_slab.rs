//! Model checks of `SyncSlab`: inserts, lookups, removal with live guards
//! (hazard guards, counted guards, guards dropped on other threads), `take`,
//! the sweep of pending values, page growth, and a full bounded slab, under
//! every interleaving loom explores.
//!
//! A removed value whose last hazard guard drops at the moment of the
//! removal may wait for a sweep (`reclaim_removed`); the tests call it after
//! joining the threads and then count the drops.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 \
//!     cargo test -p arena-pool --release --test loom_sync_slab
//! ```
#![cfg(loom)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arena_pool::SyncSlab;
use loom::thread;

/// Counts its drops; the value is checked on every read.
struct Counted(Arc<AtomicUsize>, usize);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// A value inserted on one thread is read on another while the first
/// removes it: the reader sees the value or nothing, and the value is
/// dropped once, after the reader's guard (by the guard, the removal or the
/// sweep).
#[test]
fn get_races_remove() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = Arc::new(SyncSlab::new());
        let key = slab.insert(Counted(Arc::clone(&drops), 7)).unwrap();
        let reader = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || {
                if let Some(entry) = slab.get(key) {
                    assert_eq!(entry.1, 7);
                }
            })
        };
        assert!(slab.remove(key));
        reader.join().unwrap();
        slab.reclaim_removed();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        assert!(slab.get(key).is_none());
        assert!(slab.is_empty());
        assert_eq!(slab.reclaim_removed(), 0);
    });
}

/// Two readers hold guards while a third thread removes the value: the
/// last guard, whichever it is, drops the value, exactly once, and the
/// slot is reused only afterwards.
#[test]
fn remove_with_live_guards() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = Arc::new(SyncSlab::new());
        let key = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
        let held = slab.get_owned(key).unwrap();
        let reader = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || {
                let seen = slab.get(key).map(|entry| entry.1);
                assert!(seen.is_none() || seen == Some(1));
            })
        };
        let remover = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || {
                assert!(slab.remove(key));
                // The slot is not free while a guard reads it: the new
                // value goes elsewhere or waits for the drop.
                let again = slab
                    .insert(Counted(Arc::new(AtomicUsize::new(0)), 2))
                    .unwrap();
                assert_ne!(again, key);
            })
        };
        let owned_reader = thread::spawn(move || {
            assert_eq!(held.1, 1);
            drop(held);
        });
        reader.join().unwrap();
        remover.join().unwrap();
        owned_reader.join().unwrap();
        slab.reclaim_removed();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        assert_eq!(slab.len(), 1);
    });
}

/// `take` and `remove` race for one value, with a reader's lookup in the
/// way: one of them removes it, and the value is dropped once. `take`
/// returns the value only when no guard reads it; while the reader's
/// lookup runs, `take` may remove the value and return `None`, as `remove`
/// would.
#[test]
fn take_races_remove_and_get() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = Arc::new(SyncSlab::new());
        let key = slab.insert(Counted(Arc::clone(&drops), 3)).unwrap();
        let taker = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || slab.take(key).map(|value| value.1))
        };
        let reader = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || slab.get(key).map(|entry| entry.1))
        };
        let removed = slab.remove(key);
        let taken = taker.join().unwrap();
        let read = reader.join().unwrap();
        assert!(!(removed && taken.is_some()), "only one removes it");
        assert!(taken.is_none() || taken == Some(3));
        assert!(read.is_none() || read == Some(3));
        assert!(slab.get(key).is_none());
        slab.reclaim_removed();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        assert!(slab.is_empty());
    });
}

/// Two threads insert into a new slab at once, past the first page (two
/// slots under loom), so both may race to install the second: pages are
/// installed once, every key is distinct and finds its own value.
#[test]
fn growth() {
    loom::model(|| {
        let slab = Arc::new(SyncSlab::new());
        let first = slab.insert(100).unwrap();
        let workers: Vec<_> = (0..2)
            .map(|t| {
                let slab = Arc::clone(&slab);
                thread::spawn(move || {
                    [
                        slab.insert(t * 10).unwrap(),
                        slab.insert(t * 10 + 1).unwrap(),
                    ]
                })
            })
            .collect();
        let mut keys = vec![first];
        for (t, worker) in workers.into_iter().enumerate() {
            let [a, b] = worker.join().unwrap();
            assert_eq!(*slab.get(a).unwrap(), t * 10);
            assert_eq!(*slab.get(b).unwrap(), t * 10 + 1);
            keys.extend([a, b]);
        }
        assert_eq!(*slab.get(first).unwrap(), 100);
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 5);
        assert_eq!(slab.len(), 5);
        assert_eq!(slab.capacity(), 6);
    });
}

/// A slot freed on one thread is reused on another while a third looks up
/// the old key: the lookup finds the old value or nothing, never the new.
#[test]
fn stale_key_during_reuse() {
    loom::model(|| {
        let slab = Arc::new(SyncSlab::new());
        let old = slab.insert(1).unwrap();
        let reader = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || {
                let seen = slab.get(old).map(|entry| *entry);
                assert!(seen.is_none() || seen == Some(1));
            })
        };
        let writer = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || {
                assert!(slab.remove(old));
                slab.insert(2).unwrap()
            })
        };
        reader.join().unwrap();
        let new = writer.join().unwrap();
        assert!(slab.get(old).is_none());
        assert_eq!(*slab.get(new).unwrap(), 2);
    });
}

/// A bounded slab of three slots (a page of two and a short page of one
/// under loom) holds two values; one thread removes one while two others
/// insert: one free slot, and maybe the removed one, for two inserts. At
/// least one insert succeeds, a refused one hands its value back, no slot
/// is handed out twice, and the slab never grows.
#[test]
fn bounded_full_races_remove() {
    loom::model(|| {
        let slab = Arc::new(SyncSlab::bounded(3));
        let kept = slab.insert(1).unwrap();
        let removed = slab.insert(2).unwrap();
        let remover = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || assert!(slab.remove(removed)))
        };
        let inserters: Vec<_> = [10, 20]
            .into_iter()
            .map(|value| {
                let slab = Arc::clone(&slab);
                thread::spawn(move || match slab.insert(value) {
                    Ok(key) => Some((key, value)),
                    Err(full) => {
                        assert_eq!(full.into_value(), value);
                        None
                    }
                })
            })
            .collect();
        remover.join().unwrap();
        let inserted: Vec<_> = inserters
            .into_iter()
            .filter_map(|h| h.join().unwrap())
            .collect();
        assert!(!inserted.is_empty(), "a free slot was left");
        if let [(a, _), (b, _)] = inserted[..] {
            assert_ne!(a.to_bits() as u32, b.to_bits() as u32);
        }
        for &(key, value) in &inserted {
            assert_ne!(key.to_bits() as u32, kept.to_bits() as u32);
            assert_eq!(*slab.get(key).unwrap(), value);
        }
        assert_eq!(*slab.get(kept).unwrap(), 1);
        assert!(slab.get(removed).is_none());
        assert_eq!(slab.len(), 1 + inserted.len());
        assert_eq!(slab.capacity(), 3);
    });
}

/// A key reaches another thread through a relaxed atomic, which orders
/// nothing: the reader may find the value or not yet, but when its lookup
/// or its removal finds it, their own orderings make the inserted value
/// visible to it (to read it, or to drop it).
#[test]
fn key_passed_without_synchronization() {
    loom::model(|| {
        let slab = Arc::new(SyncSlab::new());
        // The page is there before the threads start.
        let first = slab.insert(Box::new(1)).unwrap();
        let channel = Arc::new(loom::sync::atomic::AtomicU64::new(0));
        let writer = {
            let (slab, channel) = (Arc::clone(&slab), Arc::clone(&channel));
            thread::spawn(move || {
                let key = slab.insert(Box::new(5)).unwrap();
                channel.store(key.to_bits(), Ordering::Relaxed);
            })
        };
        let bits = channel.load(Ordering::Relaxed);
        let mut removed = false;
        if bits != 0 {
            let key = arena_pool::SlabKey::from_bits(bits);
            if let Some(entry) = slab.get(key) {
                assert_eq!(**entry, 5);
            }
            removed = slab.remove(key);
        }
        writer.join().unwrap();
        assert_eq!(**slab.get(first).unwrap(), 1);
        assert_eq!(slab.len(), if removed { 1 } else { 2 });
    });
}

/// A hazard guard taken on one thread is dropped on another while a third
/// removes the value; the first thread then reads another value, through
/// its record again or, while the guard it sent away still holds the
/// record, with a counted guard. Every read sees its value, and each value
/// is dropped once.
#[test]
fn hazard_guard_dropped_on_another_thread() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = Arc::new(SyncSlab::new());
        let a = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
        let b = slab.insert(Counted(Arc::clone(&drops), 2)).unwrap();
        let guard = slab.get_owned(a).unwrap();
        let dropper = thread::spawn(move || {
            assert_eq!(guard.1, 1);
            drop(guard);
        });
        let remover = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || assert!(slab.remove(a)))
        };
        assert_eq!(slab.get(b).unwrap().1, 2);
        dropper.join().unwrap();
        remover.join().unwrap();
        slab.reclaim_removed();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        assert!(slab.take(b).is_some());
        assert_eq!(drops.load(Ordering::Relaxed), 2);
        assert!(slab.is_empty());
    });
}

/// A reader holds a hazard guard on one value and a counted guard on a
/// second (its record is taken) while another thread removes both: each
/// value is dropped once, after the guard on it.
#[test]
fn hazard_and_counted_guards_race_removals() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = Arc::new(SyncSlab::new());
        let a = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
        let b = slab.insert(Counted(Arc::clone(&drops), 2)).unwrap();
        let reader = {
            let slab = Arc::clone(&slab);
            thread::spawn(move || {
                let first = slab.get(a);
                let second = slab.get(b);
                assert!(first.is_none_or(|entry| entry.1 == 1));
                assert!(second.is_none_or(|entry| entry.1 == 2));
            })
        };
        assert!(slab.remove(a));
        assert!(slab.remove(b));
        reader.join().unwrap();
        slab.reclaim_removed();
        assert_eq!(drops.load(Ordering::Relaxed), 2);
        assert!(slab.is_empty());
    });
}

/// The last hazard guard of a removed value drops while an insert into the
/// full bounded slab sweeps the pending values: the value is dropped once,
/// by one of them or the final sweep, and the insert gets its slot only
/// after that.
#[test]
fn sweep_races_the_last_guard() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slab = Arc::new(SyncSlab::bounded(1));
        let key = slab.insert(Counted(Arc::clone(&drops), 1)).unwrap();
        let guard = slab.get_owned(key).unwrap();
        assert!(slab.remove(key), "pending: the guard reads it");
        let reader = thread::spawn(move || {
            assert_eq!(guard.1, 1);
            drop(guard);
        });
        let inserter = {
            let (slab, drops) = (Arc::clone(&slab), Arc::clone(&drops));
            thread::spawn(
                move || match slab.insert(Counted(Arc::new(AtomicUsize::new(0)), 2)) {
                    Ok(new) => {
                        assert_eq!(drops.load(Ordering::Relaxed), 1, "the old value went first");
                        assert_eq!(slab.get(new).unwrap().1, 2);
                    }
                    Err(full) => assert_eq!(full.into_value().1, 2),
                },
            )
        };
        reader.join().unwrap();
        inserter.join().unwrap();
        slab.reclaim_removed();
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    });
}
