//! Model-based test of `SyncArena`: random allocations through the arena,
//! through `local` handles and from other threads, overwrites, limits and
//! resets, against a model that knows every block's contents. After every
//! step, every live block holds what was last written to it, blocks are
//! disjoint, and `allocated_bytes` equals the bytes the model handed out.

use std::thread;

use arena_pool::SyncArena;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// A byte slice through the arena (the thread-local lookup).
    Direct {
        len: usize,
        byte: u8,
    },
    /// A byte slice through a fresh `local` handle.
    Local {
        len: usize,
        byte: u8,
    },
    /// Byte slices made on another thread at once.
    Thread(Vec<(usize, u8)>),
    /// Overwrite a live block.
    Write {
        block: usize,
        byte: u8,
    },
    /// Set the shared limit (bytes of chunk capacity) or lift it.
    Limit(Option<usize>),
    Reset,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..600, any::<u8>()).prop_map(|(len, byte)| Op::Direct { len, byte }),
        3 => (0usize..600, any::<u8>()).prop_map(|(len, byte)| Op::Local { len, byte }),
        2 => prop::collection::vec((0usize..300, any::<u8>()), 0..6).prop_map(Op::Thread),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(block, byte)| Op::Write { block, byte }),
        1 => prop::option::of(0usize..20_000).prop_map(Op::Limit),
        1 => Just(Op::Reset),
    ]
}

/// Checks every block against the model's byte and that no two overlap.
fn check(blocks: &[(&mut [u8], u8)]) {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (block, byte) in blocks {
        assert!(block.iter().all(|b| b == byte), "a block changed");
        if !block.is_empty() {
            let start = block.as_ptr().addr();
            spans.push((start, start + block.len()));
        }
    }
    spans.sort_unstable();
    assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "blocks overlap");
}

fn run(ops: &[Op]) {
    let mut arena = SyncArena::new();
    // Split at resets: blocks live from one reset to the next.
    for segment in ops.split(|op| matches!(op, Op::Reset)) {
        let mut handed_out = 0;
        {
            let arena = &arena;
            let mut blocks: Vec<(&mut [u8], u8)> = Vec::new();
            for op in segment {
                match op {
                    Op::Direct { len, byte } => {
                        if let Ok(block) = arena.try_alloc_slice_fill_with(*len, |_| *byte) {
                            handed_out += len;
                            blocks.push((block, *byte));
                        }
                    }
                    Op::Local { len, byte } => {
                        let local = arena.local();
                        if let Ok(block) = local.try_alloc_slice_fill_with(*len, |_| *byte) {
                            handed_out += len;
                            blocks.push((block, *byte));
                        }
                    }
                    Op::Thread(list) => {
                        let made: Vec<(&mut [u8], u8)> = thread::scope(|s| {
                            s.spawn(|| {
                                list.iter()
                                    .filter_map(|&(len, byte)| {
                                        arena
                                            .try_alloc_slice_fill_with(len, |_| byte)
                                            .ok()
                                            .map(|block| (block, byte))
                                    })
                                    .collect()
                            })
                            .join()
                            .unwrap()
                        });
                        handed_out += made.iter().map(|(b, _)| b.len()).sum::<usize>();
                        blocks.extend(made);
                    }
                    Op::Write { block, byte } => {
                        if !blocks.is_empty() {
                            let at = block % blocks.len();
                            blocks[at].0.fill(*byte);
                            blocks[at].1 = *byte;
                        }
                    }
                    Op::Limit(limit) => {
                        let before = arena.capacity();
                        arena.set_allocation_limit(*limit);
                        // Chunks are only added while under the limit.
                        if let Some(limit) = limit {
                            let _ = arena.try_alloc_slice_fill_with(100, |_| 0u8).map(|b| {
                                handed_out += b.len();
                                blocks.push((b, 0));
                            });
                            assert!(arena.capacity() <= before.max(*limit));
                        }
                    }
                    Op::Reset => unreachable!(),
                }
                check(&blocks);
            }
        }
        assert_eq!(arena.allocated_bytes(), handed_out);
        arena.reset();
        assert_eq!(arena.allocated_bytes(), 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn matches_the_model(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 12 } else { 60 })) {
        run(&ops);
    }
}
