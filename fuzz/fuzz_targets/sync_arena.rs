//! Drives a `SyncArena` with arbitrary allocations on the fuzzing thread,
//! through `local` handles and on a second thread, with limits and resets,
//! checking that every block keeps its contents and that the byte count is
//! exact.

#![no_main]

use std::alloc::Layout;

use arbitrary::Arbitrary;
use arena_pool::SyncArena;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Bytes { len: u16, byte: u8 },
    Local { len: u16, byte: u8 },
    Layout { size: u16, align_shift: u8 },
    Thread(Vec<(u16, u8)>),
    Limit(Option<u16>),
    Reset,
}

fuzz_target!(|ops: Vec<Op>| {
    let mut arena = SyncArena::new();
    for segment in ops.split(|op| matches!(op, Op::Reset)) {
        let mut handed_out = 0usize;
        {
            let arena = &arena;
            let mut blocks: Vec<(&[u8], u8)> = Vec::new();
            for op in segment {
                match *op {
                    Op::Bytes { len, byte } => {
                        if let Ok(block) = arena.try_alloc_slice_fill_with(len.into(), |_| byte) {
                            handed_out = handed_out.saturating_add(block.len());
                            blocks.push((block, byte));
                        }
                    }
                    Op::Local { len, byte } => {
                        if let Ok(block) =
                            arena.local().try_alloc_slice_fill_with(len.into(), |_| byte)
                        {
                            handed_out = handed_out.saturating_add(block.len());
                            blocks.push((block, byte));
                        }
                    }
                    Op::Layout { size, align_shift } => {
                        let align = 1usize << (align_shift % 13);
                        let layout = Layout::from_size_align(size.into(), align).unwrap();
                        if let Ok(ptr) = arena.try_alloc_layout(layout) {
                            assert_eq!(ptr.as_ptr().addr() % align, 0);
                            // Alignment padding is counted too.
                            handed_out = usize::MAX;
                        }
                    }
                    Op::Thread(ref list) => {
                        let made: Vec<(&[u8], u8)> = std::thread::scope(|s| {
                            s.spawn(|| {
                                list.iter()
                                    .filter_map(|&(len, byte)| {
                                        let block =
                                            arena.try_alloc_slice_fill_with(len.into(), |_| byte);
                                        block.ok().map(|block| (&*block, byte))
                                    })
                                    .collect()
                            })
                            .join()
                            .unwrap()
                        });
                        if handed_out != usize::MAX {
                            handed_out += made.iter().map(|(b, _)| b.len()).sum::<usize>();
                        }
                        blocks.extend(made);
                    }
                    Op::Limit(limit) => arena.set_allocation_limit(limit.map(usize::from)),
                    Op::Reset => unreachable!(),
                }
            }
            for (block, byte) in &blocks {
                assert!(block.iter().all(|b| b == byte));
            }
        }
        if handed_out != usize::MAX {
            assert_eq!(arena.allocated_bytes(), handed_out);
        }
        arena.reset();
        assert_eq!(arena.allocated_bytes(), 0);
    }
});
