//! Model-based test of `Arena`: random allocations of random sizes and
//! alignments, writes, nested scopes and resets. After every step, every live
//! block must be aligned, inside the arena, disjoint from every other block,
//! and still hold what was written to it.

use std::alloc::Layout;
use std::ptr::NonNull;

use arena_pool::{Arena, Scope};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// Raw memory through `alloc_layout`.
    Layout {
        size: usize,
        align_shift: u32,
        byte: u8,
    },
    /// A byte slice through the safe slice API.
    Slice {
        len: usize,
        byte: u8,
    },
    /// A `u64` through `alloc`.
    Value(u64),
    /// Overwrite a live block.
    Write {
        block: usize,
        byte: u8,
    },
    ScopeBegin,
    ScopeEnd,
    Reset,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..700, 0u32..=12, any::<u8>())
            .prop_map(|(size, align_shift, byte)| Op::Layout { size, align_shift, byte }),
        3 => (0usize..300, any::<u8>()).prop_map(|(len, byte)| Op::Slice { len, byte }),
        3 => any::<u64>().prop_map(Op::Value),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(block, byte)| Op::Write { block, byte }),
        1 => Just(Op::ScopeBegin),
        1 => Just(Op::ScopeEnd),
        1 => Just(Op::Reset),
    ]
}

/// A block the model expects to be live.
struct Block {
    ptr: NonNull<u8>,
    len: usize,
    align: usize,
    /// Every byte of the block holds this value.
    byte: u8,
    /// Scope depth the block was allocated at (0 for the arena itself).
    depth: usize,
}

impl Block {
    fn bytes(&self) -> &[u8] {
        // SAFETY: the model only keeps blocks whose arena memory is still
        // allocated (blocks are dropped from the model at reset and at the
        // end of their scope), and no other reference to them is live.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    fn fill(&mut self, byte: u8) {
        // SAFETY: as in `bytes`; the block is valid for writes of `len` bytes.
        unsafe { self.ptr.as_ptr().write_bytes(byte, self.len) };
        self.byte = byte;
    }
}

/// What the model needs from an arena or a scope.
trait Allocate {
    fn layout(&self, layout: Layout) -> NonNull<u8>;
    fn slice(&self, len: usize, byte: u8) -> NonNull<u8>;
    fn value(&self, value: u64) -> NonNull<u8>;
}

impl Allocate for Arena {
    fn layout(&self, layout: Layout) -> NonNull<u8> {
        self.alloc_layout(layout)
    }
    fn slice(&self, len: usize, byte: u8) -> NonNull<u8> {
        NonNull::from(self.alloc_slice_fill_with(len, |_| byte)).cast()
    }
    fn value(&self, value: u64) -> NonNull<u8> {
        NonNull::from(self.alloc(value)).cast()
    }
}

impl Allocate for Scope<'_> {
    fn layout(&self, layout: Layout) -> NonNull<u8> {
        self.alloc_layout(layout)
    }
    fn slice(&self, len: usize, byte: u8) -> NonNull<u8> {
        NonNull::from(self.alloc_slice_fill_with(len, |_| byte)).cast()
    }
    fn value(&self, value: u64) -> NonNull<u8> {
        NonNull::from(self.alloc(value)).cast()
    }
}

fn apply(arena: &impl Allocate, op: &Op, live: &mut Vec<Block>, depth: usize) {
    match *op {
        Op::Layout {
            size,
            align_shift,
            byte,
        } => {
            let layout = Layout::from_size_align(size, 1 << align_shift).unwrap();
            let ptr = arena.layout(layout);
            let mut block = Block {
                ptr,
                len: size,
                align: layout.align(),
                byte,
                depth,
            };
            block.fill(byte);
            live.push(block);
        }
        Op::Slice { len, byte } => {
            let ptr = arena.slice(len, byte);
            live.push(Block {
                ptr,
                len,
                align: 1,
                byte,
                depth,
            });
        }
        Op::Value(value) => {
            let ptr = arena.value(value);
            // Overwritten with one repeated byte so that it is checked like
            // every other block.
            let byte = value as u8;
            let mut block = Block {
                ptr,
                len: size_of::<u64>(),
                // 4 on some 32-bit targets, i686 among them.
                align: align_of::<u64>(),
                byte,
                depth,
            };
            block.fill(byte);
            live.push(block);
        }
        Op::Write { block, byte } => {
            if !live.is_empty() {
                let index = block % live.len();
                live[index].fill(byte);
            }
        }
        Op::ScopeBegin | Op::ScopeEnd | Op::Reset => unreachable!("handled by the caller"),
    }
}

fn check(live: &[Block]) {
    for block in live {
        assert_eq!(
            block.ptr.as_ptr().addr() % block.align,
            0,
            "misaligned block"
        );
        assert!(
            block.bytes().iter().all(|&b| b == block.byte),
            "block lost its contents"
        );
    }
    let mut ranges: Vec<(usize, usize)> = live
        .iter()
        .filter(|b| b.len > 0)
        .map(|b| (b.ptr.as_ptr().addr(), b.ptr.as_ptr().addr() + b.len))
        .collect();
    ranges.sort_unstable();
    for pair in ranges.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "blocks overlap: {pair:?}");
    }
}

fn check_inside(arena: &Arena, live: &[Block]) {
    for block in live.iter().filter(|b| b.len > 0) {
        assert!(arena.contains(block.bytes()), "block outside the arena");
    }
}

fn run_scope(
    scope: &mut Scope<'_>,
    ops: &[Op],
    next: &mut usize,
    live: &mut Vec<Block>,
    depth: usize,
) {
    while let Some(op) = ops.get(*next) {
        *next += 1;
        match op {
            Op::ScopeEnd => return,
            Op::ScopeBegin => {
                scope.scope(|inner| run_scope(inner, ops, next, live, depth + 1));
                live.retain(|b| b.depth <= depth);
            }
            // A reset needs the whole arena; inside a scope it is skipped.
            Op::Reset => {}
            op => apply(scope, op, live, depth),
        }
        check(live);
    }
}

fn run(arena: &mut Arena, ops: &[Op]) {
    let mut live = Vec::new();
    let mut next = 0;
    while let Some(op) = ops.get(next) {
        next += 1;
        match op {
            Op::Reset => {
                live.clear();
                arena.reset();
                assert_eq!(arena.allocated_bytes(), 0);
            }
            Op::ScopeBegin => {
                let before = arena.allocated_bytes();
                arena.scope(|scope| run_scope(scope, ops, &mut next, &mut live, 1));
                live.retain(|b| b.depth == 0);
                assert_eq!(arena.allocated_bytes(), before, "scope did not rewind");
            }
            Op::ScopeEnd => {}
            op => apply(&*arena, op, &mut live, 0),
        }
        check(&live);
        check_inside(arena, &live);
        let requested: usize = live.iter().map(|b| b.len).sum();
        assert!(arena.allocated_bytes() >= requested);
        assert!(arena.capacity() >= arena.allocated_bytes());
    }
}

/// `cases` random cases, far fewer under Miri, where failures are not
/// persisted to disk (Miri isolates the test from the file system).
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(if cfg!(miri) { 5 } else { cases });
    if cfg!(miri) {
        config.failure_persistence = None;
    }
    config
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn growing_arena_matches_model(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 40 } else { 200 })) {
        run(&mut Arena::new(), &ops);
    }

    #[test]
    fn arena_with_small_first_chunk_matches_model(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 40 } else { 200 })) {
        run(&mut Arena::with_capacity(16), &ops);
    }

    /// A fixed arena must fail cleanly when full; every successful block
    /// still obeys the model.
    #[test]
    fn fixed_arena_fails_cleanly(sizes in prop::collection::vec((1usize..200, 0u32..=6), 0..60)) {
        let arena = Arena::fixed(1024);
        let mut live = Vec::new();
        for (size, shift) in sizes {
            let layout = Layout::from_size_align(size, 1 << shift).unwrap();
            match arena.try_alloc_layout(layout) {
                Ok(ptr) => {
                    let mut block = Block { ptr, len: size, align: layout.align(), byte: size as u8, depth: 0 };
                    block.fill(size as u8);
                    live.push(block);
                }
                Err(err) => prop_assert!(err.requested_size() == Some(size)),
            }
            check(&live);
            check_inside(&arena, &live);
        }
        prop_assert!(arena.allocated_bytes() <= 1024);
        prop_assert_eq!(arena.chunk_count(), 1);
    }
}
