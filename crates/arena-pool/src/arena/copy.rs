//! Copying the bytes of a slice into fresh arena room.
//!
//! Arenas copy many short runs: identifiers, small strings, short slices. For
//! those, a call to the C library's `memcpy` costs more than the copy: the
//! call, its size dispatch and the return. Runs of up to 32 bytes are
//! copied here inline as two possibly overlapping blocks of one width (the
//! widest of 16, 8 and 4 bytes that fits), picked by three comparisons;
//! longer runs go to `memcpy`, whose call costs little next to their copy.

use core::mem::MaybeUninit;
use core::ptr;

/// The longest run copied inline.
pub(crate) const INLINE_MAX: usize = 32;

/// Copies `len` bytes from `src` to `dst`.
///
/// # Safety
///
/// `src` is valid for reads and `dst` for writes of `len` bytes, and the two
/// ranges do not overlap.
#[inline(always)]
pub(crate) unsafe fn copy_bytes(src: *const u8, dst: *mut u8, len: usize) {
    if len > INLINE_MAX {
        // SAFETY: the caller's contract.
        unsafe { ptr::copy_nonoverlapping(src, dst, len) };
        return;
    }
    // SAFETY: `len <= INLINE_MAX`; the caller's contract covers `len` bytes.
    unsafe { copy_short(src, dst, len) }
}

/// Copies `len <= INLINE_MAX` bytes: the first and the last `W` bytes for
/// the widest `W` (16, 8 or 4) with `W <= len`, so the two copies
/// cover the run between them; 1 to 3 bytes one by one.
///
/// # Safety
///
/// As for [`copy_bytes`], and `len <= INLINE_MAX`.
#[inline(always)]
unsafe fn copy_short(src: *const u8, dst: *mut u8, len: usize) {
    /// Copies `W` bytes at offset 0 and at `len - W` (`W <= len`); both
    /// values are loaded before either is stored.
    ///
    /// # Safety
    ///
    /// As for [`copy_bytes`], and `W <= len`.
    #[inline(always)]
    unsafe fn ends<const W: usize>(src: *const u8, dst: *mut u8, len: usize) {
        // The blocks are copied as `MaybeUninit` bytes, not as `[u8; W]`:
        // the values may hold pointers (a slice of `&str`), and only an
        // untyped copy keeps their provenance (and any padding) intact.
        type Block<const W: usize> = MaybeUninit<[u8; W]>;
        // SAFETY: `0..W` and `len - W..len` lie inside the `len` bytes both
        // ranges are valid for; unaligned accesses need no alignment.
        unsafe {
            let head = src.cast::<Block<W>>().read_unaligned();
            let tail = src.add(len - W).cast::<Block<W>>().read_unaligned();
            dst.cast::<Block<W>>().write_unaligned(head);
            dst.add(len - W).cast::<Block<W>>().write_unaligned(tail);
        }
    }
    // SAFETY: each arm's width is at most `len`, and the single bytes of
    // the last arm are below `len`.
    unsafe {
        if len >= 16 {
            ends::<16>(src, dst, len);
        } else if len >= 8 {
            ends::<8>(src, dst, len);
        } else if len >= 4 {
            ends::<4>(src, dst, len);
        } else if len > 0 {
            // 1 to 3 bytes: the first, the last and the middle one.
            let (src, dst) = (src.cast::<MaybeUninit<u8>>(), dst.cast::<MaybeUninit<u8>>());
            *dst = *src;
            *dst.add(len - 1) = *src.add(len - 1);
            *dst.add(len / 2) = *src.add(len / 2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values that hold pointers keep them usable through an inline copy
    /// (under Miri, a copy that dropped their provenance would be caught).
    #[test]
    fn pointers_survive_the_copy() {
        let (one, two, three) = (alloc::string::String::from("one"), 2u64, 3u8);
        let words: [&str; 2] = [&one, "two"];
        let mut copied: [&str; 2] = ["", ""];
        // SAFETY: both arrays hold two `&str`s (32 bytes) and are distinct;
        // a byte copy of `Copy` values is a valid copy.
        unsafe {
            copy_bytes(
                words.as_ptr().cast(),
                copied.as_mut_ptr().cast(),
                size_of_val(&words),
            );
        }
        assert_eq!(copied, ["one", "two"]);
        let refs: (&u64, &u8, &u64) = (&two, &three, &two);
        let mut target: (&u64, &u8, &u64) = (&0, &0, &0);
        // SAFETY: as above, for 24 bytes of references.
        unsafe {
            copy_bytes(
                ptr::from_ref(&refs).cast(),
                ptr::from_mut(&mut target).cast(),
                size_of_val(&refs),
            );
        }
        assert_eq!((*target.0, *target.1, *target.2), (2, 3, 2));
    }

    /// Every length up to past the inline limit, at every offset within a
    /// word on both sides, copies exactly the run and nothing around it.
    #[test]
    fn copies_exactly_the_run() {
        let source: [u8; 160] = core::array::from_fn(|i| i as u8 + 1);
        let offsets = if cfg!(miri) { 0..2 } else { 0..8 };
        for len in 0..=INLINE_MAX + 8 {
            for from in offsets.clone() {
                for to in offsets.clone() {
                    let mut target = [0u8; 160];
                    // SAFETY: both arrays hold 160 bytes, more than
                    // `to + len` and `from + len`; they are distinct.
                    unsafe {
                        copy_bytes(source.as_ptr().add(from), target.as_mut_ptr().add(to), len);
                    }
                    assert_eq!(&target[to..to + len], &source[from..from + len]);
                    assert!(target[..to].iter().all(|&b| b == 0), "wrote before");
                    assert!(target[to + len..].iter().all(|&b| b == 0), "wrote after");
                }
            }
        }
    }
}
