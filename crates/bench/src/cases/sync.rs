//! `sync/*`: object pools shared between threads, against object-pool,
//! opool, lifeguard, crossbeam-queue's `ArrayQueue` used as a pool,
//! sharded-slab, `Mutex<slab::Slab>` (named `slab`) and `Box`.
//!
//! Every operation is the same for every contender: give back one held
//! 64-byte object, take one, and write it. `single-thread` holds one object;
//! `single-thread-1000-live` holds 1,000 and cycles through them;
//! `two-threads` (and `threads-N`, for each count given to `compare
//! --threads`) splits the operations evenly over that many threads, each
//! holding one object, started together; the time covers all of them, so
//! ns/op is the inverse of total throughput. lifeguard's pool is
//! single-threaded and runs only in the single-thread cases.
//!
//! `recycler-single-thread` and `recycler-two-threads` measure the same
//! operation on pools that hand out recycled objects and make one when none
//! is idle (`Recycler::pull`, object-pool's `pull`, opool's `get`,
//! lifeguard's `new`), each starting empty: the first pulls make the
//! objects, every later one reuses a returned one.
//!
//! `single-thread-growing` and `growing-1000-live` do the `single-thread`
//! operation (holding one object, or 1,000) on pools that start empty and
//! grow: `SyncPool::new` against the bounded `SyncPool` of 1,024 slots
//! (`arena-pool-bounded`), object-pool's `pull` with a fallback, and
//! sharded-slab's `Pool` (`create_with`, then `clear` by key).
//!
//! The cases on several threads also run `arena-pool-per-thread`, a
//! reference that gives each thread its own `SyncPool`: the same work with
//! nothing shared, which is as well as a second thread can scale here.

use std::hint::black_box;
use std::sync::{Arc, Barrier, Mutex, OnceLock};

use crate::{Case, Contender, Run};

/// The 64-byte object.
pub type Obj = [u64; 8];

/// Slots in every pool: room for 1,000 live objects plus the threads'.
const CAPACITY: usize = 1024;

static THREAD_COUNTS: OnceLock<Vec<usize>> = OnceLock::new();

/// Adds a `sync/threads-N` case for each of `counts` (set once, before
/// [`cases`] is called; `compare --threads 1,2,4` does this).
pub fn set_thread_counts(counts: Vec<usize>) {
    let _ = THREAD_COUNTS.set(counts);
}

/// Parses a `--threads` list: comma-separated counts of at least 1.
///
/// # Errors
///
/// Names the first item that is not a positive number.
pub fn parse_thread_counts(text: &str) -> Result<Vec<usize>, String> {
    text.split(',')
        .map(|item| match item.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("--threads needs positive counts, got {item:?}")),
        })
        .collect()
}

/// The `sync` group.
pub fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case::new("sync/single-thread", 2_000_000, contenders(1, 1, true)),
        Case::new(
            "sync/single-thread-1000-live",
            2_000_000,
            contenders(1, 1000, true),
        ),
        Case::new("sync/two-threads", 2_000_000, contenders(2, 1, false)),
        Case::new(
            "sync/recycler-single-thread",
            2_000_000,
            recycler_contenders(1, true),
        ),
        Case::new(
            "sync/recycler-two-threads",
            2_000_000,
            recycler_contenders(2, false),
        ),
        Case::new(
            "sync/single-thread-growing",
            2_000_000,
            growing_contenders(1),
        ),
        Case::new(
            "sync/growing-1000-live",
            2_000_000,
            growing_contenders(1000),
        ),
    ];
    for &threads in THREAD_COUNTS.get().map_or(&[][..], Vec::as_slice) {
        cases.push(Case::new(
            format!("sync/threads-{threads}"),
            2_000_000,
            contenders(threads, 1, false),
        ));
    }
    cases
}

/// Runs `body(thread, ops_of_thread)` on `threads` threads (the calling one
/// alone when 1), started together.
pub(crate) fn on_threads(threads: usize, ops: u64, body: impl Fn(usize, u64) + Sync) {
    if threads == 1 {
        body(0, ops);
        return;
    }
    let barrier = Barrier::new(threads);
    let per_thread = ops / threads as u64;
    let extra = ops % threads as u64;
    std::thread::scope(|s| {
        for t in 0..threads {
            let (barrier, body) = (&barrier, &body);
            let mine = per_thread + u64::from((t as u64) < extra);
            s.spawn(move || {
                barrier.wait();
                body(t, mine);
            });
        }
    });
}

/// One contender: `$setup` builds the shared structure (untimed), then each
/// thread keeps `live` held objects in a ring and, per operation, drops the
/// oldest (`$give`, or a plain drop), then takes and writes one (`$take`).
macro_rules! contender {
    ($name:expr, $threads:expr, $live:expr, setup: || $setup:expr,
     take: |$pool:ident, $i:ident| $take:expr, give: |$p2:ident, $held:ident| $give:expr) => {{
        let (threads, live): (usize, usize) = ($threads, $live);
        Contender::new($name, move |ops| {
            #[allow(clippy::redundant_closure_call)]
            let shared = Arc::new($setup);
            Box::new(move || {
                let shared = &shared;
                on_threads(threads, ops, |_, ops| {
                    let $pool = &**shared;
                    let mut ring: Vec<_> = (0..live as u64).map(|$i| Some($take)).collect();
                    let mut slot = 0;
                    for $i in 0..ops {
                        let held = ring[slot].take().unwrap();
                        let $p2 = $pool;
                        let $held = held;
                        $give;
                        ring[slot] = Some(black_box($take));
                        slot += 1;
                        if slot == live {
                            slot = 0;
                        }
                    }
                    drop(ring);
                });
            }) as Run
        })
    }};
}

struct Alloc64;

impl opool::PoolAllocator<Obj> for Alloc64 {
    fn allocate(&self) -> Obj {
        [0; 8]
    }
}

struct Recyclable(Obj);

impl lifeguard::Recycleable for Recyclable {
    fn new() -> Self {
        Self([0; 8])
    }
    fn reset(&mut self) {}
}

fn contenders(threads: usize, live: usize, single: bool) -> Vec<Contender> {
    let mut list = vec![
        contender!("arena-pool", threads, live,
            setup: || arena_pool::SyncPool::<Obj>::bounded(CAPACITY),
            take: |pool, i| pool.alloc([i; 8]),
            give: |_pool, held| drop(held)),
        contender!("object-pool", threads, live,
        setup: || object_pool::Pool::<Obj>::new(CAPACITY, || [0; 8]),
        take: |pool, i| {
            let mut obj = pool.try_pull().expect("pool empty");
            *obj = [i; 8];
            obj
        },
        give: |_pool, held| drop(held)),
        contender!("opool", threads, live,
        setup: || opool::Pool::new_prefilled(CAPACITY, Alloc64),
        take: |pool, i| {
            let mut obj = pool.get();
            *obj = [i; 8];
            obj
        },
        give: |_pool, held| drop(held)),
        contender!("crossbeam-queue", threads, live,
            setup: || {
                let queue = crossbeam_queue::ArrayQueue::<Box<Obj>>::new(CAPACITY);
                for _ in 0..CAPACITY {
                    let _ = queue.push(Box::new([0; 8]));
                }
                queue
            },
            take: |pool, i| {
                let mut obj = pool.pop().expect("queue empty");
                *obj = [i; 8];
                obj
            },
            give: |pool, held| { let _ = pool.push(held); }),
        contender!("sharded-slab", threads, live,
            setup: || sharded_slab::Slab::<Obj>::new(),
            take: |pool, i| pool.insert([i; 8]).expect("slab full"),
            give: |pool, held| { black_box(pool.take(held)); }),
        contender!("slab", threads, live,
            setup: || Mutex::new(slab::Slab::<Obj>::with_capacity(CAPACITY)),
            take: |pool, i| pool.lock().unwrap().insert([i; 8]),
            give: |pool, held| { black_box(pool.lock().unwrap().remove(held)); }),
        contender!("box", threads, live,
            setup: || (),
            take: |_pool, i| Box::new([i; 8]),
            give: |_pool, held| drop(held)),
    ];
    if threads > 1 {
        list.push(per_thread_reference(threads, live));
    }
    if single {
        list.insert(
            3,
            Contender::new("lifeguard", move |ops| {
                let pool = lifeguard::pool::<Recyclable>()
                    .with(lifeguard::StartingSize(CAPACITY))
                    .with(lifeguard::MaxSize(CAPACITY))
                    .build();
                Box::new(move || {
                    let mut ring: Vec<_> = (0..live).map(|_| Some(pool.new())).collect();
                    let mut slot = 0;
                    for i in 0..ops {
                        drop(ring[slot].take());
                        let mut fresh = pool.new();
                        fresh.0 = [i; 8];
                        ring[slot] = Some(black_box(fresh));
                        slot += 1;
                        if slot == live {
                            slot = 0;
                        }
                    }
                }) as Run
            }),
        );
    }
    list
}

/// A reference for the cases on several threads: arena-pool's operation
/// with a bounded `SyncPool` per thread, so no two threads share a pool.
/// Its time against `arena-pool` shows what sharing one pool costs, and its
/// time against the single-thread case what this machine gives a second
/// thread doing work that shares nothing.
fn per_thread_reference(threads: usize, live: usize) -> Contender {
    Contender::new("arena-pool-per-thread", move |ops| {
        let pools: Arc<Vec<arena_pool::SyncPool<Obj>>> = Arc::new(
            (0..threads)
                .map(|_| arena_pool::SyncPool::bounded(CAPACITY))
                .collect(),
        );
        Box::new(move || {
            on_threads(threads, ops, |t, ops| {
                let pool = &pools[t];
                let mut ring: Vec<_> = (0..live as u64).map(|i| Some(pool.alloc([i; 8]))).collect();
                let mut slot = 0;
                for i in 0..ops {
                    drop(ring[slot].take().unwrap());
                    ring[slot] = Some(black_box(pool.alloc([i; 8])));
                    slot += 1;
                    if slot == live {
                        slot = 0;
                    }
                }
                drop(ring);
            });
        }) as Run
    })
}

/// The contenders of the `recycler-*` cases: pools that make an object when
/// none is idle, each thread holding one object.
fn recycler_contenders(threads: usize, single: bool) -> Vec<Contender> {
    let mut list = vec![
        contender!("arena-pool", threads, 1,
            setup: || arena_pool::Recycler::<Obj>::with_max_idle(CAPACITY, || [0; 8]),
            take: |pool, i| {
                let mut obj = pool.pull();
                *obj = [i; 8];
                obj
            },
            give: |_pool, held| drop(held)),
        contender!("object-pool", threads, 1,
            setup: || object_pool::Pool::<Obj>::new(0, || [0; 8]),
            take: |pool, i| {
                let mut obj = pool.pull(|| [0; 8]);
                *obj = [i; 8];
                obj
            },
            give: |_pool, held| drop(held)),
        contender!("opool", threads, 1,
            setup: || opool::Pool::new(CAPACITY, Alloc64),
            take: |pool, i| {
                let mut obj = pool.get();
                *obj = [i; 8];
                obj
            },
            give: |_pool, held| drop(held)),
    ];
    if single {
        list.push(Contender::new("lifeguard", move |ops| {
            let pool = lifeguard::pool::<Recyclable>()
                .with(lifeguard::StartingSize(0))
                .with(lifeguard::MaxSize(CAPACITY))
                .build();
            Box::new(move || {
                let mut held = Some(pool.new());
                for i in 0..ops {
                    drop(held.take());
                    let mut fresh = pool.new();
                    fresh.0 = [i; 8];
                    held = Some(black_box(fresh));
                }
            }) as Run
        }));
    }
    list
}

/// The 64-byte object for sharded-slab's `Pool`, which needs `Clear`.
#[derive(Default)]
struct Cleared(Obj);

impl sharded_slab::Clear for Cleared {
    fn clear(&mut self) {}
}

/// The contenders of the `*growing*` cases: pools that start empty and grow,
/// one thread holding `live` objects.
fn growing_contenders(live: usize) -> Vec<Contender> {
    vec![
        contender!("arena-pool", 1, live,
            setup: || arena_pool::SyncPool::<Obj>::new(),
            take: |pool, i| pool.alloc([i; 8]),
            give: |_pool, held| drop(held)),
        contender!("arena-pool-bounded", 1, live,
            setup: || arena_pool::SyncPool::<Obj>::bounded(CAPACITY),
            take: |pool, i| pool.alloc([i; 8]),
            give: |_pool, held| drop(held)),
        contender!("object-pool", 1, live,
            setup: || object_pool::Pool::<Obj>::new(0, || [0; 8]),
            take: |pool, i| {
                let mut obj = pool.pull(|| [0; 8]);
                *obj = [i; 8];
                obj
            },
            give: |_pool, held| drop(held)),
        contender!("sharded-slab-pool", 1, live,
            setup: || sharded_slab::Pool::<Cleared>::new(),
            take: |pool, i| pool.create_with(|obj| obj.0 = [i; 8]).expect("pool full"),
            give: |pool, held| { black_box(pool.clear(held)); }),
    ]
}
