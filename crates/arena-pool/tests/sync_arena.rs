//! `SyncArena`: allocation from many threads, references across threads,
//! threads that come and go, the shared limit, reset, and the allocator.

use std::cell::Cell;
use std::sync::Barrier;
use std::thread;

use arena_pool::{AllocErrorKind, LocalArena, SyncArena};

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

#[test]
fn sync_arena_is_send_and_sync() {
    assert_send::<SyncArena>();
    assert_sync::<SyncArena>();
    assert_send::<&SyncArena>();
    // Values that are `Sync` may be shared across threads by reference.
    assert_send::<&'static u64>();
    fn debug<T: std::fmt::Debug>() {}
    debug::<LocalArena<'static>>();
    debug::<SyncArena>();
}

/// Shrinks loop counts under Miri.
const fn scaled(full: usize, miri: usize) -> usize {
    if cfg!(miri) { miri } else { full }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    thread: u64,
    index: u64,
    check: [u64; 4],
}

impl Record {
    fn new(thread: u64, index: u64) -> Self {
        let seed = thread.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index;
        Self {
            thread,
            index,
            check: [seed, seed.rotate_left(7), !seed, seed ^ 0xDEAD_BEEF],
        }
    }
}

/// Many threads allocate values of several sizes at once, through the
/// arena and through local handles; every value reads back intact
/// afterwards, on the main thread.
#[test]
fn stress_many_threads_check_every_value() {
    let threads = scaled(16, 3) as u64;
    let per_thread = scaled(20_000, 60) as u64;
    let arena = SyncArena::new();
    let barrier = Barrier::new(threads as usize);
    let all: Vec<Vec<(&Record, &u8, &[u16])>> = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (arena, barrier) = (&arena, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    let local = arena.local();
                    (0..per_thread)
                        .map(|i| {
                            let record: &Record = if i % 2 == 0 {
                                arena.alloc(Record::new(t, i))
                            } else {
                                local.alloc(Record::new(t, i))
                            };
                            let byte: &u8 = arena.alloc((t as u8) ^ (i as u8));
                            let len = (i % 5) as usize;
                            let slice: &[u16] =
                                local.alloc_slice_fill_with(len, |j| (t as u16) + j as u16);
                            (record, byte, slice)
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    for (t, values) in all.iter().enumerate() {
        let t = t as u64;
        for (i, (record, byte, slice)) in values.iter().enumerate() {
            let i = i as u64;
            assert_eq!(**record, Record::new(t, i));
            assert_eq!(**byte, (t as u8) ^ (i as u8));
            assert_eq!(slice.len(), (i % 5) as usize);
            assert!(
                slice
                    .iter()
                    .enumerate()
                    .all(|(j, &x)| x == t as u16 + j as u16)
            );
        }
    }
    assert!(arena.capacity() >= (threads * per_thread) as usize * 32);
}

#[derive(Debug)]
struct Node<'a> {
    value: u64,
    children: &'a [&'a Node<'a>],
}

fn sum(node: &Node<'_>) -> u64 {
    node.value + node.children.iter().map(|c| sum(c)).sum::<u64>()
}

/// Nodes made on one thread point at nodes made on others.
#[test]
fn nodes_point_across_threads() {
    let arena = SyncArena::new();
    let width = scaled(8, 2);
    let leaves: Vec<&Node<'_>> = thread::scope(|s| {
        let workers: Vec<_> = (0..width as u64)
            .map(|t| {
                let arena = &arena;
                s.spawn(move || {
                    let kids: Vec<&Node<'_>> = (0..3)
                        .map(|k| {
                            &*arena.alloc(Node {
                                value: t * 10 + k,
                                children: &[],
                            })
                        })
                        .collect();
                    &*arena.alloc(Node {
                        value: t,
                        children: arena.alloc_slice_copy(&kids),
                    })
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let root = thread::scope(|s| {
        s.spawn(|| {
            &*arena.alloc(Node {
                value: 1000,
                children: arena.alloc_slice_copy(&leaves),
            })
        })
        .join()
        .unwrap()
    });
    let expected: u64 = 1000 + (0..width as u64).map(|t| t + 3 * t * 10 + 3).sum::<u64>();
    assert_eq!(sum(root), expected);
}

/// Threads that run one after another reuse the arena the previous one
/// left; values made by exited threads stay valid.
#[test]
fn exited_threads_leave_their_arena_to_the_next() {
    let arena = SyncArena::new();
    let rounds = scaled(20, 3);
    let mut kept = Vec::new();
    for round in 0..rounds {
        let value = thread::scope(|s| s.spawn(|| &*arena.alloc(round)).join().unwrap());
        kept.push(value);
    }
    assert!(kept.iter().enumerate().all(|(i, v)| **v == i));
    assert!(
        arena.thread_arena_count() <= 2,
        "{} arenas for threads that never overlapped",
        arena.thread_arena_count()
    );
}

/// One allocation limit holds for all threads together.
#[test]
fn limit_holds_across_threads() {
    let arena = SyncArena::new();
    let limit = 64 * 1024;
    arena.set_allocation_limit(Some(limit));
    let threads = scaled(8, 3);
    let counts: Vec<usize> = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut count = 0usize;
                    loop {
                        match arena.try_alloc([0u8; 100]) {
                            Ok(_) => count += 1,
                            Err(error) => {
                                assert!(matches!(
                                    error.error().kind(),
                                    AllocErrorKind::LimitExceeded { limit: l } if l == limit
                                ));
                                return count;
                            }
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert!(arena.capacity() <= limit);
    let total: usize = counts.iter().sum();
    assert!(total * 100 <= limit);
    // Most of the limit was usable (each thread wastes at most the tail of
    // its last chunk).
    assert!(
        total * 100 >= limit / 2,
        "only {total} blocks under the limit"
    );
}

#[test]
fn reset_gives_everything_back_and_keeps_chunks() {
    let mut arena = SyncArena::new();
    for _ in 0..scaled(4, 2) {
        thread::scope(|s| {
            for t in 0..3u64 {
                let arena = &arena;
                s.spawn(move || {
                    let xs = arena.alloc_slice_fill_with(scaled(1000, 20), |i| i as u64 * t);
                    assert_eq!(xs[1], t);
                });
            }
        });
        let local_bytes = arena.local().alloc_str("main thread").len();
        assert!(arena.allocated_bytes() >= local_bytes + 3 * scaled(1000, 20) * 8);
        let before = arena.capacity();
        arena.reset();
        assert_eq!(arena.allocated_bytes(), 0);
        // Each per-thread arena keeps one chunk.
        assert!(arena.capacity() > 0 && arena.capacity() <= before);
    }
    // On one thread, kept chunks are reused: the same work needs no more.
    let work = |arena: &SyncArena| {
        arena.alloc_slice_fill_with(scaled(1000, 20), |i| i);
    };
    work(&arena);
    arena.reset();
    let kept = arena.capacity();
    work(&arena);
    assert_eq!(arena.capacity(), kept);
}

#[test]
fn local_handles_nest_and_share_nothing() {
    let arena = SyncArena::new();
    let outer = arena.local();
    let a = outer.alloc(1u32);
    let inner = arena.local();
    let b = inner.alloc(2u32);
    assert_eq!(outer.allocated_bytes(), 4);
    assert_eq!(inner.allocated_bytes(), 4);
    drop(inner);
    drop(outer);
    *a += 10;
    *b += 20;
    assert_eq!((*a, *b), (11, 22));
    assert_eq!(arena.thread_arena_count(), 2);
}

/// A handle taken after another let its arena go takes the arena with the
/// most room left, here one nobody used since the reset, rather than bumping
/// on after the first handle's values; with none free, it gets a new one.
#[test]
fn late_handles_take_the_roomiest_arena() {
    let mut arena = SyncArena::new();
    let fill = scaled(1000, 20);
    {
        let a = arena.local();
        let b = arena.local();
        a.alloc_slice_fill_with(fill, |i| i as u64);
        b.alloc_slice_fill_with(fill, |i| i as u64);
    }
    arena.reset();
    let first = arena.local();
    let early = first.alloc_slice_fill_with(fill / 2, |i| i as u64);
    let room_after_first = first.remaining_capacity();
    drop(first);
    let late = arena.local();
    assert_eq!(
        late.allocated_bytes(),
        0,
        "bumped on after the first handle"
    );
    assert!(late.remaining_capacity() > room_after_first);
    let other = arena.local();
    assert_eq!(other.allocated_bytes(), fill / 2 * 8);
    let third = arena.local();
    assert_eq!(third.allocated_bytes(), 0);
    assert_eq!(arena.thread_arena_count(), 3);
    assert_eq!(early[fill / 2 - 1], (fill / 2 - 1) as u64);
}

/// The closure of `alloc_with` (and the iterator of `alloc_slice_fill_iter`)
/// may allocate from the same arena.
#[test]
fn closures_allocate_reentrantly() {
    let arena = SyncArena::new();
    let pair = arena.alloc_with(|| {
        let inner: &u32 = arena.alloc(7);
        (inner, *arena.alloc(8u32))
    });
    assert_eq!((*pair.0, pair.1), (7, 8));
    let refs = arena.alloc_slice_fill_iter((0..5u32).map(|i| &*arena.alloc(i * 3)));
    assert_eq!(refs.iter().map(|r| **r).sum::<u32>(), 30);
}

/// Many arenas used by one thread in turn (more than the thread-local
/// table remembers) each keep their own memory.
#[test]
fn many_arenas_on_one_thread() {
    let arenas: Vec<SyncArena> = (0..scaled(40, 12)).map(|_| SyncArena::new()).collect();
    let mut refs = Vec::new();
    for round in 0..scaled(5, 2) {
        for (i, arena) in arenas.iter().enumerate() {
            refs.push((i, round, &*arena.alloc((i, round))));
        }
    }
    for (i, round, value) in refs {
        assert_eq!(*value, (i, round));
    }
    for arena in &arenas {
        assert_eq!(arena.thread_arena_count(), 1);
    }
}

/// Values that are not `Sync` can be allocated; their references stay on
/// the allocating thread (compile-fail tests check that).
#[test]
fn values_that_are_not_sync() {
    let arena = SyncArena::new();
    let cell = arena.alloc(Cell::new(1));
    cell.set(2);
    let five = 5u32;
    // A raw pointer is neither `Send` nor `Sync`.
    let pointer: &*const u32 = arena.alloc(&raw const five);
    // SAFETY: `five` is alive.
    assert_eq!(cell.get() + unsafe { **pointer }, 7);
}

#[test]
fn zero_sized_and_over_aligned_values() {
    #[repr(align(4096))]
    struct Page([u8; 10]);
    let arena = SyncArena::new();
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let unit: &mut () = arena.alloc(());
                *unit = ();
                let page = arena.alloc(Page([3; 10]));
                assert_eq!(std::ptr::from_ref(page).addr() % 4096, 0);
                assert_eq!(page.0[9], 3);
                let empty: &[u64] = arena.alloc_slice_copy(&[]);
                assert!(empty.is_empty());
            });
        }
    });
}

#[test]
fn huge_requests_fail_cleanly() {
    let arena = SyncArena::new();
    let error = arena
        .try_alloc_layout(std::alloc::Layout::from_size_align(isize::MAX as usize - 64, 8).unwrap())
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        AllocErrorKind::OutOfMemory | AllocErrorKind::SizeOverflow
    ));
    assert!(
        arena
            .try_alloc_slice_fill_with(usize::MAX / 2, |_| 0u64)
            .is_err()
    );
    assert_eq!(*arena.alloc(1u8), 1);
}

#[test]
#[should_panic(expected = "limit")]
fn alloc_panics_over_the_limit() {
    let arena = SyncArena::new();
    arena.set_allocation_limit(Some(0));
    arena.alloc(1u8);
}

thread_local! {
    static LATE: LateUser = const { LateUser };
}

static LATE_ARENA: std::sync::OnceLock<SyncArena> = std::sync::OnceLock::new();

struct LateUser;

impl Drop for LateUser {
    fn drop(&mut self) {
        // Runs while the thread's locals are destroyed, perhaps after the
        // arena's own thread-local state is gone: the arena must still
        // allocate.
        let arena = LATE_ARENA.get().unwrap();
        for i in 0..10u32 {
            assert_eq!(*arena.alloc(i), i);
        }
        assert_eq!(*arena.local().alloc(5u8), 5);
    }
}

#[test]
fn allocating_while_thread_locals_are_destroyed() {
    let arena = LATE_ARENA.get_or_init(SyncArena::new);
    for _ in 0..scaled(4, 2) {
        thread::spawn(|| {
            // Register the late user first, so that its destructor may run
            // after the arena's thread-locals are gone, then use the arena.
            LATE.with(|_| ());
            arena.alloc(1u8);
        })
        .join()
        .unwrap();
    }
    assert!(arena.thread_arena_count() >= 1);
}

#[cfg(feature = "allocator-api2")]
mod allocator {
    use super::*;
    use allocator_api2::vec::Vec as ApiVec;

    #[test]
    fn vectors_grow_on_other_threads() {
        let arena = SyncArena::new();
        let n = scaled(1000, 40) as u64;
        let mut v: ApiVec<u64, &SyncArena> = ApiVec::new_in(&arena);
        v.extend(0..n);
        let v = thread::scope(|s| {
            s.spawn(move || {
                // Grown by another thread's arena: copied, never in place.
                v.extend(n..2 * n);
                v
            })
            .join()
            .unwrap()
        });
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
        let mut w: ApiVec<u64, &SyncArena> = ApiVec::new_in(&arena);
        w.push(1);
        drop(v);
        w.extend(2..10);
        assert_eq!(w.iter().sum::<u64>(), 45);
    }

    #[test]
    fn hash_maps_from_several_threads() {
        let arena = SyncArena::new();
        let maps: std::vec::Vec<hashbrown::HashMap<u32, u32, _, &SyncArena>> = thread::scope(|s| {
            let workers: std::vec::Vec<_> = (0..2u32)
                .map(|t| {
                    let arena = &arena;
                    s.spawn(move || {
                        let mut map = hashbrown::HashMap::new_in(arena);
                        for i in 0..scaled(200, 20) as u32 {
                            map.insert(i, i * t);
                        }
                        map
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert_eq!(maps[1][&7], 7);
        assert_eq!(maps[0][&7], 0);
    }
}
