//! `typed/*`: typed arenas that run destructors, against typed-arena,
//! bumpalo and `Vec<Box<T>>`.
//!
//! The values are a 24-byte struct with a `Drop`. bumpalo never runs `Drop`,
//! so it allocates the same struct as plain `Copy` data, and it has no
//! `typed/drop` entry: it would skip the work that case measures.
//!
//! - `typed/alloc`: `ops` single allocations into a new arena. Dropping the
//!   arena happens after the clock stops.
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

/// The indices of one `alloc_extend` call starting at `base`: the same
/// exact-size iterator for every contender.
#[inline(always)]
fn batch(base: u64, ops: u64) -> impl ExactSizeIterator<Item = u64> {
    let len = (ops - base).min(EXTEND_LEN) as usize;
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
    ]
}

fn extend() -> Vec<Contender> {
    vec![
        fresh!("arena-pool", arena_pool::TypedArena::new(), |arena, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                black_box(arena.alloc_extend(batch(base, ops).map(Item::new)));
            }
        }),
        fresh!("typed-arena", typed_arena::Arena::new(), |arena, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                black_box(arena.alloc_extend(batch(base, ops).map(Item::new)));
            }
        }),
        fresh!("bumpalo", bumpalo::Bump::new(), |arena, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                black_box(arena.alloc_slice_fill_iter(batch(base, ops).map(PlainItem::new)));
            }
        }),
        fresh!("box", Vec::new(), |held, ops| {
            for base in (0..ops).step_by(EXTEND_LEN as usize) {
                held.push(batch(base, ops).map(Item::new).collect::<Box<[Item]>>());
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
        Case::new("typed/extend", 1_000_000, extend()),
        Case::new("typed/drop", 1_000_000, drop_full()),
    ]
}
