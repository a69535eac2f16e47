//! Bytes per slot of every pool kind and of its peers, measured: each
//! container is built with room for `N` values and then given `N` values,
//! and the heap bytes it holds (counted by a global allocator) are divided
//! by `N`. An inline `FixedPool` has no heap: its size is read instead.
//!
//! ```text
//! cargo run --release -p bench --bin slot_bytes
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes live on the heap.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` with the same arguments; the
// counter is only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `dealloc` is passed on as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        // SAFETY: the caller's contract for `realloc` is passed on as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Values per container.
const N: usize = 100_000;

/// The 48-byte value of the `pool` benchmarks' wide cases.
#[derive(Clone, Copy)]
#[allow(dead_code)] // Only its size matters.
struct Struct48([u64; 6]);

/// What the table needs of a value type.
trait Value: Copy + 'static {
    const NAME: &'static str;
    fn new(i: usize) -> Self;
}

impl Value for u32 {
    const NAME: &'static str = "u32";
    fn new(i: usize) -> Self {
        i as u32
    }
}

impl Value for u64 {
    const NAME: &'static str = "u64";
    fn new(i: usize) -> Self {
        i as u64
    }
}

impl Value for Struct48 {
    const NAME: &'static str = "48-byte struct";
    fn new(i: usize) -> Self {
        Self([i as u64; 6])
    }
}

/// Heap bytes per value held by what `build` returns.
fn per_slot<C>(build: impl FnOnce() -> C) -> f64 {
    let before = LIVE.load(Ordering::Relaxed);
    let container = black_box(build());
    let held = LIVE.load(Ordering::Relaxed) - before;
    drop(container);
    held as f64 / N as f64
}

/// Keys of a primary pool of `N` values, for the secondary pools.
fn pool_handles() -> Vec<arena_pool::Handle<()>> {
    let mut primary = arena_pool::Pool::with_capacity(N);
    (0..N).map(|_| primary.insert(())).collect()
}

fn slotmap_keys() -> Vec<slotmap::DefaultKey> {
    let mut primary = slotmap::SlotMap::with_capacity(N);
    (0..N).map(|_| primary.insert(())).collect()
}

fn rows<V: Value>() -> Vec<(String, f64)> {
    let handles = pool_handles();
    let keys = slotmap_keys();
    let mut rows = vec![
        (
            "arena-pool Pool".to_owned(),
            per_slot(|| {
                let mut p = arena_pool::Pool::with_capacity(N);
                for i in 0..N {
                    let _ = p.insert(V::new(i));
                }
                p
            }),
        ),
        (
            "arena-pool Pool::bounded".to_owned(),
            per_slot(|| {
                let mut p = arena_pool::Pool::bounded(N);
                for i in 0..N {
                    let _ = p.insert(V::new(i));
                }
                p
            }),
        ),
        (
            "arena-pool FixedPool (inline)".to_owned(),
            // The size of the pool itself, per slot, for a pool of 1024
            // (built on the stack, so smaller than `N`).
            size_of::<arena_pool::FixedPool<V, 1024>>() as f64 / 1024.0,
        ),
        (
            "arena-pool SecondaryPool".to_owned(),
            per_slot(|| {
                let mut s = arena_pool::SecondaryPool::with_capacity(N);
                for (i, &h) in handles.iter().enumerate() {
                    assert!(s.insert(h, V::new(i)).is_ok());
                }
                s
            }),
        ),
        (
            "arena-pool DensePool".to_owned(),
            per_slot(|| {
                let mut p = arena_pool::DensePool::with_capacity(N);
                for i in 0..N {
                    let _ = p.insert(V::new(i));
                }
                p
            }),
        ),
        (
            "arena-pool SparseSecondaryPool".to_owned(),
            per_slot(|| {
                let mut s = arena_pool::SparseSecondaryPool::with_capacity(N);
                for (i, &h) in handles.iter().enumerate() {
                    assert!(s.insert(h, V::new(i)).is_ok());
                }
                s
            }),
        ),
        (
            "slab Slab".to_owned(),
            per_slot(|| {
                let mut s = slab::Slab::with_capacity(N);
                for i in 0..N {
                    let _ = s.insert(V::new(i));
                }
                s
            }),
        ),
        (
            "slotmap SlotMap".to_owned(),
            per_slot(|| {
                let mut s = slotmap::SlotMap::with_capacity(N);
                for i in 0..N {
                    let _ = s.insert(V::new(i));
                }
                s
            }),
        ),
        (
            "slotmap HopSlotMap".to_owned(),
            // Deprecated in slotmap, but still what its users run.
            #[allow(deprecated)]
            per_slot(|| {
                let mut s = slotmap::HopSlotMap::with_capacity(N);
                for i in 0..N {
                    let _ = s.insert(V::new(i));
                }
                s
            }),
        ),
        (
            "slotmap DenseSlotMap".to_owned(),
            per_slot(|| {
                let mut s = slotmap::DenseSlotMap::with_capacity(N);
                for i in 0..N {
                    let _ = s.insert(V::new(i));
                }
                s
            }),
        ),
        (
            "slotmap SecondaryMap".to_owned(),
            per_slot(|| {
                let mut s = slotmap::SecondaryMap::with_capacity(N);
                for (i, &k) in keys.iter().enumerate() {
                    s.insert(k, V::new(i));
                }
                s
            }),
        ),
        (
            "slotmap SparseSecondaryMap".to_owned(),
            per_slot(|| {
                let mut s = slotmap::SparseSecondaryMap::with_capacity(N);
                for (i, &k) in keys.iter().enumerate() {
                    s.insert(k, V::new(i));
                }
                s
            }),
        ),
        (
            "thunderdome Arena".to_owned(),
            per_slot(|| {
                let mut a = thunderdome::Arena::with_capacity(N);
                for i in 0..N {
                    let _ = a.insert(V::new(i));
                }
                a
            }),
        ),
    ];
    for row in &mut rows {
        row.0 = format!("{} <{}>", row.0, V::NAME);
    }
    rows
}

fn main() {
    let (small, narrow, wide) = (rows::<u32>(), rows::<u64>(), rows::<Struct48>());
    println!("bytes per slot, {N} values in a container made with room for {N}");
    println!("| container | u64 | 48-byte struct | u32 |");
    println!("|---|---:|---:|---:|");
    for (((name, a), (_, b)), (_, c)) in narrow.iter().zip(&wide).zip(&small) {
        let name = name.trim_end_matches(" <u64>");
        println!("| {name} | {a:.1} | {b:.1} | {c:.1} |");
    }
}
