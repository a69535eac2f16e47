//! `typed/*`: typed arenas that run destructors, against typed-arena,
//! bumpalo and `Vec<Box<T>>`.
//!
//! The values are a 24-byte struct with a `Drop`. bumpalo never runs `Drop`,
//! so it allocates the same struct as plain `Copy` data, and it has no
//! `typed/drop` entry: it would skip the work that case measures.
//!
//! - `typed/alloc`: `ops` single allocations into a new arena. Dropping the
//!   arena happens after the clock stops. `vec-reserved` is not an arena: it
//!   pushes the values into a `Vec` made with room for all of them, one
//!   allocation and no chunk changes, to show what storing a million values
//!   in new memory costs without an arena.
//! - `typed/alloc-small`: `ops` single allocations into arenas of
//!   [`SMALL_ARENA_LEN`] values, each made, filled and dropped (destructors
//!   included) before the next, as a server might use one per request. From
//!   the second arena on, the allocator hands back memory the first one
//!   paged in, so this case times the allocation path rather than page
//!   faults.
//! - `typed/extend`: `ops` values into a new arena, [`EXTEND_LEN`] at a time
//!   from an iterator. Dropping happens after the clock stops.
//! - `typed/drop`: dropping an arena that holds `ops` values, filled before
//!   the clock starts.
//!
//! The harness settles the heap just before every timed sample (see
//! `harness::time_once`), which matters here: each sample allocates and
//! frees a million values, and every page it touches first costs a fault.

use std::hint::black_box;

use crate::{Case, Contender, Run};

/// A 24-byte value with a `Drop`.
pub struct Item {
    pub words: [u64; 3],
}

impl Item {
    #[inline(always)]
    fn new(i: u64) -> Self {
        Self {
            words: [i, i ^ 0xff, i.wrapping_mul(3)],
        }
    }
}

impl Drop for Item {
    #[inline]
    fn drop(&mut self) {
        black_box(self.words[0]);
    }
}

/// [`Item`]'s data without the `Drop`, for arenas that never drop.
#[derive(Clone, Copy)]
pub struct PlainItem {
    pub words: [u64; 3],
}

impl PlainItem {
    #[inline(always)]
    fn new(i: u64) -> Self {
        Self {
            words: [i, i ^ 0xff, i.wrapping_mul(3)],
        }
    }
}

/// Values per `alloc_extend` call in `typed/extend`.
pub const EXTEND_LEN: u64 = 1000;

/// Values per arena in `typed/alloc-small`.
pub const SMALL_ARENA_LEN: u64 = 1000;

/// The indices from `base` up to `len` of them, stopping at `ops`: the same
/// exact-size iterator for every contender.
#[inline(always)]
fn batch(base: u64, len: u64, ops: u64) -> impl ExactSizeIterator<Item = u64> {
    let len = (ops - base).min(len) as usize;
    (0..len).map(move |j| base + j as u64)
}

/// A contender that builds a fresh structure in the timed part and drops it
/// after the clock stops.
macro_rules! fresh {
    ($name:literal, $new:expr, |$arena:ident, $ops:ident| $fill:block) => {
        Contender::new($name, |$ops| {
            let mut kept = Vec::with_capacity(1);
            Box::new(move || {
                #[allow(unused_mut)]
                let mut $arena = $new;
                $fill
                // Dropped when the run is, after the clock stops.
                kept.push($arena);
            }) as Run
        })
    };
}

fn alloc() -> Vec<Contender> {
    vec![
        fresh!("arena-pool", arena_pool::TypedArena::new(), |arena, ops| {
            for i in 0..ops {
                black_box(arena.alloc(Item::new(i)));
            }
        }),
        fresh!("typed-arena", typed_arena::Arena::new(), |arena, ops| {
            for i in 0..ops {
                black_box(arena.alloc(Item::new(i)));
            }
        }),
        fresh!("bumpalo", bumpalo::Bump::new(), |arena, ops| {
            for i in 0..ops {
                black_box(arena.alloc(PlainItem::new(i)));
            }
        }),
        fresh!("box", Vec::new(), |held, ops| {
            for i in 0..ops {
                held.push(Box::new(Item::new(i)));
                black_box(held.last_mut());
            }
        }),
        fresh!(
            "vec-reserved",
            Vec::with_capacity(ops as usize),
            |held, ops| {
                for i in 0..ops {
                    held.push(Item::new(i));
                    black_box(held.last_mut());
                }
            }
        ),
    ]
}

/// A contender that makes, fills and drops one structure after another in
/// the timed part, [`SMALL_ARENA_LEN`] values each.
macro_rules! one_after_another {
    ($name:literal, $new:expr, |$arena:ident, $values:ident| $fill:block) => {
        Contender::new($name, |ops| {
            Box::new(move || {
                for base in (0..ops).step_by(SMALL_ARENA_LEN as usize) {
                    #[allow(unused_mut)]
                    let mut $arena = $new;
                    let $values = batch(base, SMALL_ARENA_LEN, ops);
                    $fill
                    drop(black_box($arena));
                }
            }) as Run
        })
    };
}

fn alloc_small() -> Vec<Contender> {
    vec![
        one_after_another!(
            "arena-pool",
            arena_pool::TypedArena::new(),
            |arena, values| {
                for i in values {
                    black_box(arena.alloc(Item::new(i)));
                }
            }
        ),
        one_after_another!("typed-arena", typed_arena::Arena::new(), |arena, values| {
            for i in values {
                black_box(arena.alloc(Item::new(i)));
            }
        }),
        one_after_another!("bumpalo", bumpalo::Bump::new(), |arena, values| {
            for i in values {
                black_box(arena.alloc(PlainItem::new(i)));
            }
        }),
        one_after_another!("box", Vec::new(), |held, values| {
            for i in values {
                held.push(Box::new(Item::new(i)));
                black_box(held.last_mut());
            }
        }),
    ]
}

fn extend() -> Vec<Contender> {
    vec![
        fresh!("arena-pool", arena_pool::TypedArena::new(), |arena, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                black_box(arena.alloc_extend(batch(base, EXTEND_LEN, ops).map(Item::new)));
            }
        }),
        fresh!("typed-arena", typed_arena::Arena::new(), |arena, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                black_box(arena.alloc_extend(batch(base, EXTEND_LEN, ops).map(Item::new)));
            }
        }),
        fresh!("bumpalo", bumpalo::Bump::new(), |arena, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                black_box(
                    arena.alloc_slice_fill_iter(batch(base, EXTEND_LEN, ops).map(PlainItem::new)),
                );
            }
        }),
        fresh!("box", Vec::new(), |held, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                held.push(
                    batch(base, EXTEND_LEN, ops)
                        .map(Item::new)
                        .collect::<Box<[Item]>>(),
                );
                black_box(held.last_mut());
            }
        }),
    ]
}

/// A contender that fills a structure before the clock starts and drops it
/// in the timed part.
macro_rules! dropping {
    ($name:literal, $new:expr, |$arena:ident, $ops:ident| $fill:block) => {
        Contender::new($name, |$ops| {
            #[allow(unused_mut)]
            let mut $arena = $new;
            $fill
            let mut full = Some($arena);
            Box::new(move || drop(black_box(full.take()))) as Run
        })
    };
}

fn drop_full() -> Vec<Contender> {
    vec![
        dropping!("arena-pool", arena_pool::TypedArena::new(), |arena, ops| {
            for i in 0..ops {
                arena.alloc(Item::new(i));
            }
        }),
        dropping!("typed-arena", typed_arena::Arena::new(), |arena, ops| {
            for i in 0..ops {
                arena.alloc(Item::new(i));
            }
        }),
        dropping!("box", Vec::new(), |held, ops| {
            for i in 0..ops {
                held.push(Box::new(Item::new(i)));
            }
        }),
    ]
}

/// The `typed` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new("typed/alloc", 1_000_000, alloc()),
        Case::new("typed/alloc-small", 1_000_000, alloc_small()),
        Case::new("typed/extend", 1_000_000, extend()),
        Case::new("typed/drop", 1_000_000, drop_full()),
    ]
}
