//! `arena/*`: bump allocation against bumpalo, bump-scope, blink-alloc,
//! typed-arena and `Box`.
//!
//! Every contender does the same work: allocate `ops` values (or slices, or
//! strings) one by one and pass each reference through `black_box`. A
//! `-fresh` case starts from a new, empty arena and includes dropping it; a
//! `-reused` case starts from an arena that already went through the same
//! work three times (fill, then reset), and includes its reset.

use std::hint::black_box;

use crate::{Case, Contender, Run};

/// A 48-byte value with no `Drop`.
#[derive(Clone, Copy)]
pub struct Struct48 {
    pub words: [u64; 6],
}

impl Struct48 {
    /// The value for item `i`.
    #[inline(always)]
    pub fn new(i: u64) -> Self {
        Self { words: [i; 6] }
    }
}

/// The short strings of the `str` cases: 4 to 27 bytes, cycled.
fn short_strings() -> Vec<String> {
    (0..64u64)
        .map(|i| {
            "abcdefghijklmnopqrstuvwxyz"
                .chars()
                .take(4 + (i * 7 % 24) as usize)
                .collect()
        })
        .collect()
}

const SLICE_LEN: usize = 100;

/// Fill-and-reset cycles run before a `-reused` case is timed, so that every
/// contender reaches its steady state: most keep one chunk on reset, so the
/// first cycle may leave it too small, and the second may not yet have
/// touched all of its pages (bumping downwards fills a chunk top first).
const WARM_CYCLES: usize = 3;

/// One bump arena contender: `$new` makes an arena with a `reset`, and
/// `$alloc` allocates item `$i` in `$arena`. Fresh, the timed part makes a
/// new arena and drops it; reused, it resets one that setup warmed up with
/// [`WARM_CYCLES`] fills.
macro_rules! bump_contender {
    ($name:literal, $new:expr, $fresh:expr,
     |$arena:ident, $i:ident, $data:ident| $alloc:expr, $make_data:expr) => {{
        let fresh: bool = $fresh;
        Contender::new($name, move |ops| {
            let $data = $make_data;
            let mut warm = (!fresh).then(|| {
                let mut arena = $new;
                for _ in 0..WARM_CYCLES {
                    let $arena = &arena;
                    for $i in 0..ops {
                        black_box($alloc);
                    }
                    arena.reset();
                }
                arena
            });
            Box::new(move || {
                let mut fresh_arena = None;
                let $arena = match warm.as_mut() {
                    Some(arena) => {
                        arena.reset();
                        &*arena
                    }
                    None => fresh_arena.insert($new),
                };
                for $i in 0..ops {
                    black_box($alloc);
                }
                drop(fresh_arena);
            }) as Run
        })
    }};
}

/// Contenders for one kind of item, as fresh and reused variants.
macro_rules! bump_contenders {
    ($fresh:expr, |$arena:ident, $i:ident, $data:ident| {
        arena_pool: $ours:expr,
        bumpalo: $bumpalo:expr,
        bump_scope: $bump_scope:expr,
        blink: $blink:expr,
        $(typed_arena($ty:ty): $typed:expr,)?
        boxed: $boxed:expr,
    }, $make_data:expr) => {{
        let fresh: bool = $fresh;
        #[allow(unused_mut)]
        let mut list = vec![
            bump_contender!("arena-pool", arena_pool::Arena::new(), fresh,
                |$arena, $i, $data| $ours, $make_data),
            bump_contender!("bumpalo", bumpalo::Bump::new(), fresh,
                |$arena, $i, $data| $bumpalo, $make_data),
            bump_contender!("bump-scope", <bump_scope::Bump>::new(), fresh,
                |$arena, $i, $data| $bump_scope, $make_data),
            bump_contender!("blink-alloc", blink_alloc::Blink::new(), fresh,
                |$arena, $i, $data| $blink, $make_data),
            Contender::new("box", move |ops| {
                let $data = $make_data;
                let mut held = Vec::with_capacity(ops as usize);
                Box::new(move || {
                    for $i in 0..ops { held.push(black_box($boxed)); }
                    held.clear();
                }) as Run
            }),
        ];
        $(
            list.push(Contender::new("typed-arena", move |ops| {
                let $data = $make_data;
                // typed-arena has no reset: a reused arena is approximated
                // by one sized up front with `with_capacity`.
                Box::new(move || {
                    let $arena: typed_arena::Arena<$ty> = if fresh {
                        typed_arena::Arena::new()
                    } else {
                        typed_arena::Arena::with_capacity(ops as usize)
                    };
                    for $i in 0..ops { black_box($typed); }
                    drop($arena);
                }) as Run
            }));
        )?
        list
    }};
}

fn u64_contenders(fresh: bool) -> Vec<Contender> {
    bump_contenders!(fresh, |arena, i, _data| {
        arena_pool: arena.alloc(i),
        bumpalo: arena.alloc(i),
        bump_scope: arena.alloc(i).into_mut(),
        blink: arena.put_no_drop(i),
        typed_arena(u64): arena.alloc(i),
        boxed: Box::new(i),
    }, ())
}

fn struct48_contenders(fresh: bool) -> Vec<Contender> {
    bump_contenders!(fresh, |arena, i, _data| {
        arena_pool: arena.alloc(Struct48::new(i)),
        bumpalo: arena.alloc(Struct48::new(i)),
        bump_scope: arena.alloc(Struct48::new(i)).into_mut(),
        blink: arena.put_no_drop(Struct48::new(i)),
        typed_arena(Struct48): arena.alloc(Struct48::new(i)),
        boxed: Box::new(Struct48::new(i)),
    }, ())
}

fn slice_contenders(fresh: bool) -> Vec<Contender> {
    bump_contenders!(fresh, |arena, i, data| {
        arena_pool: arena.alloc_slice_copy(&data[(i % 8) as usize..][..SLICE_LEN]),
        bumpalo: arena.alloc_slice_copy(&data[(i % 8) as usize..][..SLICE_LEN]),
        bump_scope: arena.alloc_slice_copy(&data[(i % 8) as usize..][..SLICE_LEN]).into_mut(),
        blink: arena.copy_slice(&data[(i % 8) as usize..][..SLICE_LEN]),
        typed_arena(u8): arena.alloc_extend(data[(i % 8) as usize..][..SLICE_LEN].iter().copied()),
        boxed: Box::<[u8]>::from(&data[(i % 8) as usize..][..SLICE_LEN]),
    }, (0..SLICE_LEN as u8 + 8).collect::<Vec<u8>>())
}

fn str_contenders(fresh: bool) -> Vec<Contender> {
    bump_contenders!(fresh, |arena, i, data| {
        arena_pool: arena.alloc_str(&data[(i % 64) as usize]),
        bumpalo: arena.alloc_str(&data[(i % 64) as usize]),
        bump_scope: arena.alloc_str(&data[(i % 64) as usize]).into_mut(),
        blink: arena.copy_str(&data[(i % 64) as usize]),
        typed_arena(u8): arena.alloc_str(&data[(i % 64) as usize]),
        boxed: Box::<str>::from(data[(i % 64) as usize].as_str()),
    }, short_strings())
}

/// Values allocated between two resets in `arena/reset-refill`.
const REFILL: u64 = 1000;

/// `ops` allocations of `u64`, reset every [`REFILL`].
fn reset_refill() -> Vec<Contender> {
    macro_rules! refill {
        ($name:literal, $new:expr, |$arena:ident, $i:ident| $alloc:expr) => {
            Contender::new($name, move |ops| {
                let mut $arena = $new;
                for $i in 0..REFILL {
                    black_box($alloc);
                }
                Box::new(move || {
                    for round in 0..ops / REFILL {
                        $arena.reset();
                        for $i in round..round + REFILL {
                            black_box($alloc);
                        }
                    }
                }) as Run
            })
        };
    }
    vec![
        refill!("arena-pool", arena_pool::Arena::new(), |arena, i| arena
            .alloc(i)),
        refill!("bumpalo", bumpalo::Bump::new(), |arena, i| arena.alloc(i)),
        refill!("bump-scope", <bump_scope::Bump>::new(), |arena, i| arena
            .alloc(i)
            .into_mut()),
        refill!("blink-alloc", blink_alloc::Blink::new(), |arena, i| arena
            .put_no_drop(i)),
    ]
}

/// The `arena` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new("arena/u64-fresh", 1_000_000, u64_contenders(true)),
        Case::new("arena/u64-reused", 1_000_000, u64_contenders(false)),
        Case::new("arena/struct48-fresh", 1_000_000, struct48_contenders(true)),
        Case::new(
            "arena/struct48-reused",
            1_000_000,
            struct48_contenders(false),
        ),
        Case::new("arena/slice100-fresh", 100_000, slice_contenders(true)),
        Case::new("arena/slice100-reused", 100_000, slice_contenders(false)),
        Case::new("arena/str-fresh", 1_000_000, str_contenders(true)),
        Case::new("arena/str-reused", 1_000_000, str_contenders(false)),
        Case::new("arena/reset-refill", 1_000_000, reset_refill()),
    ]
}
