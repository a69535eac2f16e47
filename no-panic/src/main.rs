//! Calls every fallible (`try_*`) method of arena-pool's `Arena`, `Scope`,
//! `Vec`, `String` and `Box`, with sizes, hints and iterators chosen at run
//! time, so that no check can be folded away. In an optimised build the
//! panic handler refers to a symbol defined nowhere: the binary links only
//! if no panic can be reached from these calls.

#![no_std]
#![no_main]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};
use core::hint::black_box;

use arena_pool::Arena;
use arena_pool::collections::{Box, String, Vec};

/// The C library's allocator, the one heap a `no_std` binary has here.
struct Malloc;

#[link(name = "c")]
unsafe extern "C" {
    fn malloc(size: usize) -> *mut u8;
    fn free(ptr: *mut u8);
    fn aligned_alloc(align: usize, size: usize) -> *mut u8;
}

// SAFETY: `malloc` and `aligned_alloc` return blocks of at least the size
// asked for, aligned as asked (`malloc` to 16 bytes), or null; `free` takes
// any of them back.
unsafe impl GlobalAlloc for Malloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= 16 {
            // SAFETY: any size may be asked of `malloc`.
            unsafe { malloc(layout.size()) }
        } else {
            // `aligned_alloc` wants a multiple of the alignment.
            let size = layout.size().next_multiple_of(layout.align());
            // SAFETY: the alignment is a power of two and the size a
            // multiple of it.
            unsafe { aligned_alloc(layout.align(), size) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _: Layout) {
        // SAFETY: `ptr` came from `alloc` above.
        unsafe { free(ptr) }
    }
}

#[global_allocator]
static HEAP: Malloc = Malloc;

#[cfg(not(debug_assertions))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    unsafe extern "C" {
        /// Defined nowhere: a panic reachable from `main` fails the link.
        fn a_try_method_of_arena_pool_can_panic() -> !;
    }
    // SAFETY: never runs: the binary does not link if this is reachable.
    unsafe { a_try_method_of_arena_pool_can_panic() }
}

/// Unoptimised builds keep panics the optimiser would remove; they only
/// check that this crate compiles.
#[cfg(debug_assertions)]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

/// The unwinding tables of the prebuilt `core` name a personality routine,
/// which only an unoptimised build keeps; nothing unwinds (panics abort), so
/// it is never called.
#[cfg(debug_assertions)]
#[unsafe(no_mangle)]
extern "C" fn rust_eh_personality() {}

/// An iterator whose length and hint are whatever the caller says: a liar.
struct Hinted {
    left: usize,
    hint: (usize, Option<usize>),
}

impl Iterator for Hinted {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        self.left = self.left.checked_sub(1)?;
        Some(self.left as u64)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.hint
    }
}

/// Every `try_*` method of `Arena` (and so of `Scope`, which shares them).
#[inline(never)]
fn arena(arena: &Arena, len: usize, hint: usize, align: usize, text: &str) -> usize {
    let mut ok = 0;
    ok += usize::from(arena.try_alloc(len).is_ok());
    ok += usize::from(arena.try_alloc_with(|| [len; 4]).is_ok());
    ok += usize::from(
        arena
            .try_alloc_try_with(|| if len > 3 { Ok(len) } else { Err(len) })
            .is_ok(),
    );
    ok += usize::from(arena.try_alloc_default::<[u64; 8]>().is_ok());
    ok += usize::from(arena.try_alloc_uninit::<[u64; 4]>().is_ok());
    ok += usize::from(arena.try_alloc_uninit_slice::<u32>(len).is_ok());
    let words = [len as u64; 5];
    ok += usize::from(arena.try_alloc_slice_copy(&words[..len % 6]).is_ok());
    ok += usize::from(arena.try_alloc_slice_clone(&words[..len % 6]).is_ok());
    ok += usize::from(arena.try_alloc_slice_fill_with(len, |i| i as u32).is_ok());
    ok += usize::from(
        arena
            .try_alloc_slice_fill_iter(Hinted {
                left: len,
                hint: (hint, Some(hint)),
            })
            .is_ok(),
    );
    ok += usize::from(
        arena
            .try_alloc_slice_fill_iter(Hinted {
                left: len % 1000,
                hint: (hint, None),
            })
            .is_ok(),
    );
    ok += usize::from(arena.try_alloc_str(text).is_ok());
    ok += usize::from(arena.try_alloc_bytes_zeroed(len).is_ok());
    if let Ok(layout) = Layout::from_size_align(len, align) {
        ok += usize::from(arena.try_alloc_layout(layout).is_ok());
    }
    // Zero-sized and over-aligned types take other branches.
    ok += usize::from(arena.try_alloc_slice_fill_with(len, |_| ()).is_ok());
    ok += usize::from(arena.try_alloc_uninit_slice::<Wide>(len).is_ok());
    ok += usize::from(
        arena
            .try_alloc_with(|| Wide([len as u8; 64]))
            .is_ok_and(|w| w.0[63] == 1),
    );
    ok
}

/// A type aligned more than any chunk.
#[repr(align(4096))]
struct Wide([u8; 64]);

/// Every `try_*` method of `Scope`.
#[inline(never)]
fn scope(arena: &mut Arena, len: usize, hint: usize, align: usize, text: &str) -> usize {
    arena.scope(|s| {
        let mut ok = 0;
        ok += usize::from(s.try_alloc(len).is_ok());
        ok += usize::from(s.try_alloc_with(|| [len; 4]).is_ok());
        ok += usize::from(
            s.try_alloc_try_with(|| if len > 3 { Ok(len) } else { Err(len) })
                .is_ok(),
        );
        ok += usize::from(s.try_alloc_default::<[u64; 8]>().is_ok());
        ok += usize::from(s.try_alloc_uninit::<[u64; 4]>().is_ok());
        ok += usize::from(s.try_alloc_uninit_slice::<u32>(len).is_ok());
        let words = [len as u64; 5];
        ok += usize::from(s.try_alloc_slice_copy(&words[..len % 6]).is_ok());
        ok += usize::from(s.try_alloc_slice_clone(&words[..len % 6]).is_ok());
        ok += usize::from(s.try_alloc_slice_fill_with(len, |i| i as u32).is_ok());
        ok += usize::from(
            s.try_alloc_slice_fill_iter(Hinted {
                left: len,
                hint: (hint, Some(hint)),
            })
            .is_ok(),
        );
        ok += usize::from(
            s.try_alloc_slice_fill_iter(Hinted {
                left: len % 1000,
                hint: (hint, None),
            })
            .is_ok(),
        );
        ok += usize::from(s.try_alloc_str(text).is_ok());
        ok += usize::from(s.try_alloc_bytes_zeroed(len).is_ok());
        if let Ok(layout) = Layout::from_size_align(len, align) {
            ok += usize::from(s.try_alloc_layout(layout).is_ok());
        }
        ok
    })
}

/// Every `try_*` method of the collections.
#[inline(never)]
fn collections(arena: &Arena, len: usize, text: &str) -> usize {
    let mut ok = 0;
    if let Ok(mut vec) = Vec::<u64>::try_with_capacity_in(len, arena) {
        ok += usize::from(vec.try_reserve(len).is_ok());
        ok += usize::from(vec.try_reserve_exact(len).is_ok());
        ok += usize::from(vec.try_push(len as u64).is_ok());
    }
    if let Ok(mut string) = String::try_with_capacity_in(len, arena) {
        ok += usize::from(string.try_reserve(len).is_ok());
        ok += usize::from(string.try_push_str(text).is_ok());
    }
    ok += usize::from(Box::try_new_in([len; 3], arena).is_ok());
    if let Ok(mut units) = Vec::<()>::try_with_capacity_in(len, arena) {
        ok += usize::from(units.try_push(()).is_ok());
        ok += usize::from(units.try_reserve(len).is_ok());
    }
    ok
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: i32, _argv: *const *const u8) -> i32 {
    // Run-time values: with no arguments, one hostile set after another.
    let seed = black_box(argc as usize);
    let text = black_box("arena-pool");
    let mut ok = 0;
    for (len, hint, align, fixed) in [
        (seed, seed, 8, 64),
        (usize::MAX - seed, usize::MAX, 1 << 40, 64),
        (usize::MAX / 2, usize::MAX / 2, 4096, 64),
        (seed << 20, 0, 3, 1 << 20),
    ] {
        let (len, hint, align) = black_box((len, hint, align));
        if let Ok(fixed) = Arena::try_fixed(black_box(fixed)) {
            ok += arena(&fixed, len, hint, align, text);
            ok += collections(&fixed, len, text);
        }
        if let Ok(mut growing) = Arena::try_with_capacity(black_box(len)) {
            ok += arena(&growing, len, hint, align, text);
            ok += collections(&growing, len, text);
            ok += scope(&mut growing, len, hint, align, text);
        }
    }
    black_box(ok);
    0
}
