//! `collections/*`: vectors, strings, formatting and boxes in an arena,
//! against bumpalo's `collections`, `boxed` and `format!`, bump-scope's
//! `BumpVec`, `BumpString`, `BumpBox` and `bump_format!`,
//! `allocator_api2::vec::Vec<T, &bumpalo::Bump>` (`bumpalo-api2`), and
//! `std`'s `Vec`, `String` and `Box`.
//!
//! - `collections/vec-push-fresh`: push `ops` `u64`s one by one into an
//!   empty vector in a new arena (made and dropped in the timed part).
//! - `collections/vec-push-reused`: the same in an arena that already did the
//!   work three times; the timed part resets it first.
//! - `collections/format`: `ops` short strings made with each crate's
//!   formatting macro and frozen into `&str`s (`std` drops each `String`),
//!   in a reused arena.
//! - `collections/collect-slice`: `ops` items collected [`COLLECT_LEN`] at a
//!   time from an exact-size iterator into a vector frozen into a slice
//!   (`std`: a `Box<[u64]>`), in a reused arena.
//! - `collections/box-drop`: `ops` times, box a 48-byte value with a `Drop`
//!   and drop the box, in a reused arena. `vec-reserved` is not an arena: it
//!   writes each value into the next slot of a buffer made (and its pages
//!   touched) before the clock starts and drops it there, the same stores
//!   with no bump bookkeeping and no prefetching, to show what the memory
//!   traffic costs when the processor's own prefetchers are left to it.

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::ptr;

use bump_scope::{BumpBox, BumpVec, bump_format};

use crate::{Case, Contender, Run};

/// Items per collected slice in `collections/collect-slice`.
pub const COLLECT_LEN: u64 = 1000;

/// Fill-and-reset cycles before a reused arena is timed.
const WARM_CYCLES: usize = 3;

/// A 48-byte value with a `Drop`.
pub struct Droppy {
    pub words: [u64; 6],
}

impl Droppy {
    #[inline(always)]
    fn new(i: u64) -> Self {
        Self { words: [i; 6] }
    }
}

impl Drop for Droppy {
    #[inline]
    fn drop(&mut self) {
        black_box(self.words[0]);
    }
}

/// An arena contender: `$new` makes an arena with a `reset`; `$work` does
/// the case's work in `$arena` (a shared reference). Fresh, the timed part
/// makes and drops the arena; reused, it resets an arena warmed up with
/// [`WARM_CYCLES`] rounds of the same work.
macro_rules! arena_contender {
    ($name:literal, $new:expr, $fresh:expr, |$arena:ident, $ops:ident| $work:block) => {{
        let fresh: bool = $fresh;
        Contender::new($name, move |$ops| {
            let mut warm = (!fresh).then(|| {
                let mut arena = $new;
                for _ in 0..WARM_CYCLES {
                    {
                        let $arena = &arena;
                        $work
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
                $work
                drop(fresh_arena);
            }) as Run
        })
    }};
}

/// A contender with no arena.
macro_rules! heap_contender {
    ($name:literal, |$ops:ident| $work:block) => {
        Contender::new($name, move |$ops| Box::new(move || $work) as Run)
    };
}

fn vec_push(fresh: bool) -> Vec<Contender> {
    vec![
        arena_contender!(
            "arena-pool",
            arena_pool::Arena::new(),
            fresh,
            |arena, ops| {
                let mut v = arena_pool::collections::Vec::new_in(arena);
                for i in 0..ops {
                    v.push(black_box(i));
                }
                black_box(v.as_slice());
            }
        ),
        arena_contender!("bumpalo", bumpalo::Bump::new(), fresh, |arena, ops| {
            let mut v = bumpalo::collections::Vec::new_in(arena);
            for i in 0..ops {
                v.push(black_box(i));
            }
            black_box(v.as_slice());
        }),
        arena_contender!(
            "bump-scope",
            <bump_scope::Bump>::new(),
            fresh,
            |arena, ops| {
                let mut v = BumpVec::new_in(arena);
                for i in 0..ops {
                    v.push(black_box(i));
                }
                black_box(v.as_slice());
            }
        ),
        arena_contender!("bumpalo-api2", bumpalo::Bump::new(), fresh, |arena, ops| {
            let mut v = allocator_api2::vec::Vec::new_in(arena);
            for i in 0..ops {
                v.push(black_box(i));
            }
            black_box(v.as_slice());
        }),
        heap_contender!("std", |ops| {
            let mut v = Vec::new();
            for i in 0..ops {
                v.push(black_box(i));
            }
            black_box(v.as_slice());
        }),
    ]
}

fn format() -> Vec<Contender> {
    vec![
        arena_contender!(
            "arena-pool",
            arena_pool::Arena::new(),
            false,
            |arena, ops| {
                for i in 0..ops {
                    black_box(arena_pool::format!(in arena, "node{}", i).into_str());
                }
            }
        ),
        arena_contender!("bumpalo", bumpalo::Bump::new(), false, |arena, ops| {
            for i in 0..ops {
                black_box(bumpalo::format!(in arena, "node{}", i).into_bump_str());
            }
        }),
        arena_contender!(
            "bump-scope",
            <bump_scope::Bump>::new(),
            false,
            |arena, ops| {
                for i in 0..ops {
                    black_box(bump_format!(in arena, "node{}", i).into_str());
                }
            }
        ),
        heap_contender!("std", |ops| {
            for i in 0..ops {
                black_box(std::format!("node{}", i));
            }
        }),
    ]
}

/// The items from `base`, [`COLLECT_LEN`] of them or up to `ops`: the same
/// exact-size iterator for every contender.
#[inline(always)]
fn batch(base: u64, ops: u64) -> impl ExactSizeIterator<Item = u64> {
    let len = (ops - base).min(COLLECT_LEN) as usize;
    (0..len).map(move |j| base + j as u64)
}

fn collect_slice() -> Vec<Contender> {
    vec![
        arena_contender!(
            "arena-pool",
            arena_pool::Arena::new(),
            false,
            |arena, ops| {
                for base in (0..ops).step_by(COLLECT_LEN as usize) {
                    let v: arena_pool::collections::Vec<u64> =
                        arena_pool::collections::CollectIn::collect_in(batch(base, ops), arena);
                    black_box(v.into_slice());
                }
            }
        ),
        arena_contender!("bumpalo", bumpalo::Bump::new(), false, |arena, ops| {
            for base in (0..ops).step_by(COLLECT_LEN as usize) {
                let v: bumpalo::collections::Vec<u64> =
                    bumpalo::collections::CollectIn::collect_in(batch(base, ops), arena);
                black_box(v.into_bump_slice_mut());
            }
        }),
        arena_contender!(
            "bump-scope",
            <bump_scope::Bump>::new(),
            false,
            |arena, ops| {
                for base in (0..ops).step_by(COLLECT_LEN as usize) {
                    black_box(BumpVec::from_iter_in(batch(base, ops), arena).into_slice());
                }
            }
        ),
        arena_contender!("bumpalo-api2", bumpalo::Bump::new(), false, |arena, ops| {
            for base in (0..ops).step_by(COLLECT_LEN as usize) {
                let mut v = allocator_api2::vec::Vec::new_in(arena);
                v.extend(batch(base, ops));
                black_box(v.leak());
            }
        }),
        heap_contender!("std", |ops| {
            for base in (0..ops).step_by(COLLECT_LEN as usize) {
                black_box(batch(base, ops).collect::<Box<[u64]>>());
            }
        }),
    ]
}

fn box_drop() -> Vec<Contender> {
    vec![
        arena_contender!(
            "arena-pool",
            arena_pool::Arena::new(),
            false,
            |arena, ops| {
                for i in 0..ops {
                    let boxed = arena_pool::collections::Box::new_in(Droppy::new(i), arena);
                    drop(black_box(boxed));
                }
            }
        ),
        arena_contender!("bumpalo", bumpalo::Bump::new(), false, |arena, ops| {
            for i in 0..ops {
                let boxed = bumpalo::boxed::Box::new_in(Droppy::new(i), arena);
                drop(black_box(boxed));
            }
        }),
        arena_contender!(
            "bump-scope",
            <bump_scope::Bump>::new(),
            false,
            |arena, ops| {
                for i in 0..ops {
                    let boxed: BumpBox<Droppy> = arena.alloc(Droppy::new(i));
                    drop(black_box(boxed));
                }
            }
        ),
        Contender::new("vec-reserved", |ops| {
            let mut slots: Vec<MaybeUninit<Droppy>> = Vec::with_capacity(ops as usize);
            // Touch every page now, as the warm-up does for a reused arena.
            slots.resize_with(ops as usize, || MaybeUninit::new(Droppy::new(0)));
            Box::new(move || {
                for (i, slot) in (0..ops).zip(slots.iter_mut()) {
                    let value: *mut Droppy = slot.write(Droppy::new(i));
                    // SAFETY: the value was just written and is dropped once;
                    // the slot is only written again after this.
                    unsafe { ptr::drop_in_place(black_box(value)) };
                }
            }) as Run
        }),
        heap_contender!("std", |ops| {
            for i in 0..ops {
                drop(black_box(Box::new(Droppy::new(i))));
            }
        }),
    ]
}

/// The `collections` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new("collections/vec-push-fresh", 1_000_000, vec_push(true)),
        Case::new("collections/vec-push-reused", 1_000_000, vec_push(false)),
        Case::new("collections/format", 100_000, format()),
        Case::new("collections/collect-slice", 1_000_000, collect_slice()),
        Case::new("collections/box-drop", 1_000_000, box_drop()),
    ]
}
