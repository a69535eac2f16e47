//! `static-pool/*`: pools that live in a `static` and need no heap, on one
//! thread, against heapless's `box_pool!`, with `Box` (the system
//! allocator) for reference.
//!
//! Every operation is the same for every contender: drop the oldest held
//! 64-byte object, then allocate one and write it. `alloc-drop` holds one
//! object; `alloc-drop-32-live` holds 32 and cycles through them. Both pools
//! have 64 slots; heapless's is given its 64 blocks once, the first time a
//! run is prepared.

use std::hint::black_box;
use std::sync::Once;

use heapless::box_pool;
use heapless::pool::boxed::BoxBlock;

use crate::{Case, Contender, Run};

/// The 64-byte object.
type Obj = [u64; 8];

/// Slots in every pool.
const CAPACITY: usize = 64;

arena_pool::static_pool!(static OURS: [Obj; CAPACITY]);

box_pool!(Theirs: Obj);

/// Gives heapless's pool its blocks, once per process.
fn manage_theirs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        static mut BLOCKS: [BoxBlock<Obj>; CAPACITY] = [const { BoxBlock::new() }; CAPACITY];
        // SAFETY: this runs once per process, so the blocks are borrowed
        // mutably here only, and handed to the pool for good.
        let blocks: &'static mut [BoxBlock<Obj>; CAPACITY] =
            unsafe { (&raw mut BLOCKS).as_mut() }.expect("a static is not null");
        for block in blocks {
            Theirs.manage(block);
        }
    });
}

/// The `static-pool` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new("static-pool/alloc-drop", 2_000_000, contenders(1)),
        Case::new("static-pool/alloc-drop-32-live", 2_000_000, contenders(32)),
    ]
}

/// One contender: each run keeps `live` held objects in a ring and, per
/// operation, drops the oldest, then allocates and writes one (`$take`).
macro_rules! contender {
    ($name:expr, $live:expr, setup: $setup:expr, take: |$i:ident| $take:expr) => {{
        let live: usize = $live;
        Contender::new($name, move |ops| {
            let () = $setup;
            Box::new(move || {
                let mut ring: Vec<_> = (0..live as u64).map(|$i| Some($take)).collect();
                let mut slot = 0;
                for $i in 0..ops {
                    drop(ring[slot].take());
                    ring[slot] = Some(black_box($take));
                    slot += 1;
                    if slot == live {
                        slot = 0;
                    }
                }
                drop(ring);
            }) as Run
        })
    }};
}

fn contenders(live: usize) -> Vec<Contender> {
    vec![
        contender!("arena-pool", live, setup: (),
            take: |i| OURS.alloc([i; 8])),
        contender!("heapless", live, setup: manage_theirs(),
            take: |i| Theirs.alloc([i; 8]).expect("heapless pool empty")),
        contender!("box", live, setup: (),
            take: |i| Box::new([i; 8])),
    ]
}
