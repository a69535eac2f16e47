//! Drives an `Arena` with arbitrary allocations, scopes and resets, and the
//! pure bump arithmetic with arbitrary numbers, checking every result.

#![no_main]

use std::alloc::Layout;
use std::rc::Rc;

use arbitrary::Arbitrary;
use arena_pool::{Arena, Scope};
use libfuzzer_sys::fuzz_target;

/// The arena's bump arithmetic, private to the library, compiled here from
/// the library's own source file so that it can be driven with raw numbers.
#[allow(dead_code)]
#[path = "../../crates/arena-pool/src/arena/bump.rs"]
mod bump;

#[derive(Arbitrary, Debug)]
enum Op {
    Alloc { size: u16, align_shift: u8, byte: u8 },
    Str(String),
    Slice(Vec<u32>),
    /// A slice of `len` counted values made by a closure (or an iterator of
    /// unknown length) that fails at `fail_at`: on failure every value made
    /// is dropped once and the room given back.
    TryFill { len: u16, fail_at: u16, iter: bool },
    Scope(Vec<Op>),
    Reset,
    Limit(Option<u16>),
    /// Checks the bump arithmetic on raw numbers.
    Bump { cursor: usize, back: u32, size: usize, align_shift: u8 },
}

#[derive(Arbitrary, Debug)]
struct Input {
    fixed: Option<u16>,
    ops: Vec<Op>,
}

/// Makes the `i`-th value of a slice, or fails.
type Maker<'m> = dyn FnMut(usize) -> Result<Rc<u64>, ()> + 'm;

/// Allocates through an arena or a scope.
trait Allocate {
    fn layout(&self, layout: Layout) -> Option<std::ptr::NonNull<u8>>;
    fn str(&self, s: &str) -> Option<&str>;
    fn slice(&self, s: &[u32]) -> Option<&[u32]>;
    fn arena_bytes(&self) -> usize;
    fn room_left(&self) -> usize;
    fn try_fill(&self, len: usize, f: &mut Maker<'_>, iter: bool) -> Option<&mut [Rc<u64>]>;
}

impl Allocate for Arena {
    fn layout(&self, layout: Layout) -> Option<std::ptr::NonNull<u8>> {
        self.try_alloc_layout(layout).ok()
    }
    fn str(&self, s: &str) -> Option<&str> {
        self.try_alloc_str(s).ok().map(|s| &*s)
    }
    fn slice(&self, s: &[u32]) -> Option<&[u32]> {
        self.try_alloc_slice_copy(s).ok().map(|s| &*s)
    }
    fn arena_bytes(&self) -> usize {
        self.allocated_bytes()
    }
    fn room_left(&self) -> usize {
        self.remaining_capacity()
    }
    fn try_fill(&self, len: usize, f: &mut Maker<'_>, iter: bool) -> Option<&mut [Rc<u64>]> {
        if iter {
            self.alloc_slice_try_fill_iter((0..len).filter(|_| true).map(f)).ok()
        } else {
            self.alloc_slice_try_fill_with(len, f).ok()
        }
    }
}

impl Allocate for Scope<'_> {
    fn layout(&self, layout: Layout) -> Option<std::ptr::NonNull<u8>> {
        self.try_alloc_layout(layout).ok()
    }
    fn str(&self, s: &str) -> Option<&str> {
        self.try_alloc_str(s).ok().map(|s| &*s)
    }
    fn slice(&self, s: &[u32]) -> Option<&[u32]> {
        self.try_alloc_slice_copy(s).ok().map(|s| &*s)
    }
    fn arena_bytes(&self) -> usize {
        self.allocated_bytes()
    }
    fn room_left(&self) -> usize {
        // A scope does not say how much room its arena has left: its fills
        // are left to the unit and Miri tests.
        0
    }
    fn try_fill(&self, len: usize, f: &mut Maker<'_>, iter: bool) -> Option<&mut [Rc<u64>]> {
        if iter {
            self.alloc_slice_try_fill_iter((0..len).filter(|_| true).map(f)).ok()
        } else {
            self.alloc_slice_try_fill_with(len, f).ok()
        }
    }
}

fn check_bump(cursor: usize, back: u32, size: usize, align_shift: u8) {
    let align = 1usize << (align_shift % 24);
    let start = cursor.saturating_sub(back as usize);
    if Layout::from_size_align(size, align).is_err() {
        return;
    }
    let model = cursor
        .checked_sub(size)
        .map(|end| end & !(align - 1))
        .filter(|&new| new >= start);
    assert_eq!(bump::bump_down(cursor, start, size, align), model);
}

fn apply(arena: &impl Allocate, op: &Op) {
    match op {
        Op::Alloc { size, align_shift, byte } => {
            let layout = Layout::from_size_align(*size as usize, 1 << (align_shift % 13)).unwrap();
            if let Some(ptr) = arena.layout(layout) {
                assert_eq!(ptr.as_ptr().addr() % layout.align(), 0);
                // SAFETY: the arena handed out `size` writable bytes.
                unsafe { ptr.as_ptr().write_bytes(*byte, layout.size()) };
            }
        }
        Op::Str(s) => {
            if let Some(copy) = arena.str(s) {
                assert_eq!(copy, s);
            }
        }
        Op::Slice(s) => {
            if let Some(copy) = arena.slice(s) {
                assert_eq!(copy, &s[..]);
            }
        }
        Op::TryFill { len, fail_at, iter } => {
            let (len, fail_at) = (usize::from(*len % 2048), usize::from(*fail_at));
            // These methods panic if the arena cannot allocate, so they run
            // only where the current chunk has room for the slice, or for
            // the doubling buffer that collects it.
            if arena.room_left() < 32 * len + 64 {
                return;
            }
            let counted = Rc::new(0u64);
            let before = arena.arena_bytes();
            let mut make = |i: usize| {
                if i == fail_at { Err(()) } else { Ok(Rc::clone(&counted)) }
            };
            let made = arena.try_fill(len, &mut make, *iter);
            assert_eq!(made.is_some(), fail_at >= len);
            if let Some(made) = made {
                // Values frozen in the arena are never dropped by it.
                assert_eq!(Rc::strong_count(&counted), len + 1);
                // SAFETY: the values are dropped once here and never used
                // again.
                unsafe { std::ptr::drop_in_place(made) };
            } else {
                assert_eq!(Rc::strong_count(&counted), 1, "each made value dropped once");
                // A collecting buffer keeps the padding that aligned it.
                let slack = if *iter { align_of::<Rc<u64>>() - 1 } else { 0 };
                assert!(arena.arena_bytes() <= before + slack, "room given back");
            }
        }
        Op::Bump { cursor, back, size, align_shift } => check_bump(*cursor, *back, *size, *align_shift),
        Op::Scope(_) | Op::Reset | Op::Limit(_) => {}
    }
}

fn run_scope(scope: &mut Scope<'_>, ops: &[Op], depth: usize) {
    for op in ops {
        match op {
            Op::Scope(inner) if depth < 8 => scope.scope(|s| run_scope(s, inner, depth + 1)),
            op => apply(scope, op),
        }
    }
}

fuzz_target!(|input: Input| {
    let mut arena = match input.fixed {
        Some(capacity) => Arena::fixed(capacity as usize),
        None => Arena::new(),
    };
    for op in &input.ops {
        match op {
            Op::Scope(inner) => {
                let before = arena.allocated_bytes();
                arena.scope(|s| run_scope(s, inner, 1));
                assert_eq!(arena.allocated_bytes(), before);
            }
            Op::Reset => {
                arena.reset();
                assert_eq!(arena.allocated_bytes(), 0);
            }
            Op::Limit(limit) => arena.set_allocation_limit(limit.map(usize::from)),
            op => apply(&arena, op),
        }
        assert!(arena.allocated_bytes() <= arena.capacity());
    }
});
