//! `sync-arena/*`: bump arenas shared by threads, against bumpalo-herd,
//! blink-alloc's `SyncBlinkAlloc`, one `bumpalo::Bump` per thread, and
//! arena-pool's own unshared `Arena` (`arena-pool-unshared`, one per thread:
//! the single-thread reference).
//!
//! Every contender does the same work: allocate `ops` values (`u64`s or
//! 48-byte structs) one by one and pass each reference through `black_box`.
//! The shared arenas are used the way their crates intend for a run of
//! allocations on one thread: each thread takes its handle once
//! (`SyncArena::local`, `Herd::get`, `SyncBlinkAlloc::local`) and allocates
//! through it. `one-thread` cases run on the calling thread; `two-threads`
//! cases split the operations evenly over two threads started together, and
//! the time covers both, so ns/op is the inverse of total throughput. The
//! `-no-handle` cases allocate through the shared arena itself, with no
//! per-thread handle: `SyncArena::alloc` (a thread-local lookup per call),
//! `SyncBlinkAlloc` through `Blink::new_in(&shared)` (its shared path), and
//! bumpalo-herd's `Herd::get` per allocation (its only way). Every
//! arena is reused: setup fills and resets it three times, and
//! each timed run starts with a reset.
//!
//! The `u64` and `struct48` cases with handles also time two references
//! that are not arenas: `vec-reserved` and `vec-reserved-rev` write each
//! thread's values into the slots of a buffer made before the clock starts
//! (and filled as often as the arenas are in setup), with no bump
//! bookkeeping: the same stores, at ascending addresses (as blink-alloc
//! bumps) and at descending ones (as arena-pool and bumpalo bump), with no
//! prefetching. Their gap is what the
//! direction of the stores alone costs on the machine at hand; arena-pool
//! beating both is what its prefetching of the page below its cursor buys.
//! Their two-thread time against their one-thread time is how far the
//! machine's memory lets two threads that only store scale: an arena's
//! scaling is bound by it, whatever the arena does.

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::sync::Barrier;

use crate::cases::arena::Struct48;
use crate::{Case, Contender, Run};

/// Fill-and-reset cycles run before timing, so every contender reaches its
/// steady state.
const WARM_CYCLES: usize = 3;

/// The `sync-arena` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new("sync-arena/u64-one-thread", 2_000_000, u64_contenders(1)),
        Case::new("sync-arena/u64-two-threads", 2_000_000, u64_contenders(2)),
        Case::new(
            "sync-arena/struct48-one-thread",
            1_000_000,
            struct48_contenders(1),
        ),
        Case::new(
            "sync-arena/struct48-two-threads",
            1_000_000,
            struct48_contenders(2),
        ),
        Case::new(
            "sync-arena/u64-one-thread-no-handle",
            2_000_000,
            no_handle_contenders(1),
        ),
        Case::new(
            "sync-arena/u64-two-threads-no-handle",
            2_000_000,
            no_handle_contenders(2),
        ),
    ]
}

/// Runs `body(state, ops_of_thread)` once per state, on one thread per
/// state started together (on the calling thread when there is one state),
/// splitting `ops` evenly.
fn split<S: Send>(states: &mut [S], ops: u64, body: impl Fn(&mut S, u64) + Sync) {
    let threads = states.len() as u64;
    if threads == 1 {
        body(&mut states[0], ops);
        return;
    }
    let barrier = Barrier::new(states.len());
    std::thread::scope(|s| {
        for (t, state) in states.iter_mut().enumerate() {
            let (barrier, body) = (&barrier, &body);
            let mine = ops / threads + u64::from((t as u64) < ops % threads);
            s.spawn(move || {
                barrier.wait();
                body(state, mine);
            });
        }
    });
}

/// One contender. `$shared` is the arena all threads share (`()` for the
/// per-thread ones), `$state` each thread's own (`()` for the shared ones);
/// per thread, `$handle` makes the allocating handle from both, and
/// `$alloc` allocates item `$i` through it. `$reset` resets both.
macro_rules! contender {
    ($name:literal, $threads:expr,
     shared: $shared:expr, state: $state:expr,
     reset: |$rs:ident, $rst:ident| $reset:expr,
     handle: |$hs:ident, $hst:ident| $handle:expr,
     alloc: |$h:ident, $i:ident| $alloc:expr) => {{
        let threads: usize = $threads;
        Contender::new($name, move |ops| {
            let mut shared = $shared;
            let mut states: Vec<_> = (0..threads).map(|_| $state).collect();
            let mut run = move || {
                {
                    let $rs = &mut shared;
                    for $rst in &mut states {
                        $reset;
                    }
                }
                let $hs = &shared;
                split(&mut states, ops, |$hst, ops| {
                    let $h = $handle;
                    for $i in 0..ops {
                        black_box($alloc);
                    }
                });
            };
            for _ in 0..WARM_CYCLES {
                run();
            }
            Box::new(run) as Run
        })
    }};
}

/// All contenders, allocating `$item` (made from `$i`).
macro_rules! contenders {
    ($threads:expr, |$i:ident| $item:expr) => {{
        let threads: usize = $threads;
        vec![
            contender!("arena-pool", threads,
                shared: arena_pool::SyncArena::new(), state: (),
                reset: |shared, _state| shared.reset(),
                handle: |shared, _state| shared.local(),
                alloc: |local, $i| local.alloc($item)),
            contender!("bumpalo-herd", threads,
                shared: bumpalo_herd::Herd::new(), state: (),
                reset: |shared, _state| shared.reset(),
                handle: |shared, _state| shared.get(),
                alloc: |member, $i| member.alloc($item)),
            contender!("blink-alloc", threads,
                shared: blink_alloc::SyncBlinkAlloc::new(), state: (),
                reset: |shared, _state| shared.reset(),
                handle: |shared, _state| blink_alloc::Blink::new_in(shared.local()),
                alloc: |blink, $i| blink.put_no_drop($item)),
            contender!("bumpalo", threads,
                shared: (), state: bumpalo::Bump::new(),
                reset: |_shared, state| state.reset(),
                handle: |_shared, state| &*state,
                alloc: |bump, $i| bump.alloc($item)),
            contender!("arena-pool-unshared", threads,
                shared: (), state: arena_pool::Arena::new(),
                reset: |_shared, state| state.reset(),
                handle: |_shared, state| &*state,
                alloc: |arena, $i| arena.alloc($item)),
        ]
    }};
}

fn u64_contenders(threads: usize) -> Vec<Contender> {
    let mut contenders = contenders!(threads, |i| i);
    contenders.push(stores_contender("vec-reserved", threads, false, |i| i));
    contenders.push(stores_contender("vec-reserved-rev", threads, true, |i| i));
    contenders
}

fn struct48_contenders(threads: usize) -> Vec<Contender> {
    let mut contenders = contenders!(threads, |i| Struct48::new(i));
    contenders.push(stores_contender(
        "vec-reserved",
        threads,
        false,
        Struct48::new,
    ));
    contenders.push(stores_contender(
        "vec-reserved-rev",
        threads,
        true,
        Struct48::new,
    ));
    contenders
}

/// A reference that only stores: each thread writes its values into a
/// buffer of its own, one slot after the other, in ascending address order
/// or (`descending`) in descending order, and passes each reference through
/// `black_box`. Setup fills the buffers as often as the arenas are filled,
/// so the same pages are touched and the same cache state is left.
fn stores_contender<T: Send + 'static>(
    name: &'static str,
    threads: usize,
    descending: bool,
    make: fn(u64) -> T,
) -> Contender {
    Contender::new(name, move |ops| {
        let per_thread = usize::try_from(ops.div_ceil(threads as u64)).expect("ops fit in memory");
        let mut states: Vec<Vec<MaybeUninit<T>>> = (0..threads)
            .map(|_| {
                std::iter::repeat_with(MaybeUninit::uninit)
                    .take(per_thread)
                    .collect()
            })
            .collect();
        let mut run = move || {
            split(&mut states, ops, |slots, ops| {
                let slots = &mut slots[..usize::try_from(ops).expect("ops fit in memory")];
                if descending {
                    for (i, slot) in (0..ops).zip(slots.iter_mut().rev()) {
                        black_box(slot.write(make(i)));
                    }
                } else {
                    for (i, slot) in (0..ops).zip(slots.iter_mut()) {
                        black_box(slot.write(make(i)));
                    }
                }
            });
        };
        for _ in 0..WARM_CYCLES {
            run();
        }
        Box::new(run) as Run
    })
}

/// The shared arenas, each allocating a `u64` through the shared object on
/// every call.
fn no_handle_contenders(threads: usize) -> Vec<Contender> {
    vec![
        contender!("arena-pool", threads,
            shared: arena_pool::SyncArena::new(), state: (),
            reset: |shared, _state| shared.reset(),
            handle: |shared, _state| shared,
            alloc: |arena, i| arena.alloc(i)),
        contender!("bumpalo-herd", threads,
            shared: bumpalo_herd::Herd::new(), state: (),
            reset: |shared, _state| shared.reset(),
            handle: |shared, _state| shared,
            alloc: |herd, i| herd.get().alloc(i)),
        contender!("blink-alloc", threads,
            shared: blink_alloc::SyncBlinkAlloc::new(), state: (),
            reset: |shared, _state| shared.reset(),
            handle: |shared, _state| blink_alloc::Blink::new_in(shared),
            alloc: |blink, i| blink.put_no_drop(i)),
    ]
}
