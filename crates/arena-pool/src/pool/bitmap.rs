//! Occupancy bitmaps: one bit a slot, set while the slot holds a value (and,
//! in a pool, for its free-list head), so iteration skips 64 vacant slots
//! with one comparison.

/// The words a bitmap needs for `slots` slots.
#[inline]
pub(crate) const fn words_for(slots: usize) -> usize {
    slots.div_ceil(64)
}

/// Sets bit `index` (nothing beyond the end).
#[inline]
#[cfg_attr(not(any(test, feature = "serde")), allow(dead_code))]
pub(crate) fn set(words: &mut [u64], index: usize) {
    if let Some(word) = words.get_mut(index / 64) {
        *word |= 1 << (index % 64);
    }
}

/// Sets bit `index`, without a bounds check.
///
/// # Safety
///
/// `index / 64 < words.len()`.
#[inline(always)]
pub(crate) unsafe fn set_unchecked(words: &mut [u64], index: usize) {
    debug_assert!(index / 64 < words.len());
    // SAFETY: the word is in bounds (the caller's contract).
    let word = unsafe { words.get_unchecked_mut(index / 64) };
    *word |= 1 << (index % 64);
}

/// Clears bit `index`, without a bounds check.
///
/// # Safety
///
/// `index / 64 < words.len()`.
#[inline(always)]
pub(crate) unsafe fn clear_unchecked(words: &mut [u64], index: usize) {
    debug_assert!(index / 64 < words.len());
    // SAFETY: the word is in bounds (the caller's contract).
    let word = unsafe { words.get_unchecked_mut(index / 64) };
    *word &= !(1 << (index % 64));
}

/// The lowest set bit at or above `from`, if any.
#[inline]
pub(crate) fn next_set(words: &[u64], from: usize) -> Option<usize> {
    let mut word_index = from / 64;
    let mut word = *words.get(word_index)? & (u64::MAX << (from % 64));
    while word == 0 {
        word_index += 1;
        word = *words.get(word_index)?;
    }
    Some(word_index * 64 + word.trailing_zeros() as usize)
}

/// The indices of the set bits, in increasing order, leaving out one
/// chosen bit.
#[derive(Clone, Debug)]
pub(crate) struct Ones<'a> {
    words: core::slice::Iter<'a, u64>,
    /// The bits of the current word not yet yielded.
    current: u64,
    /// The index of the current word's bit 0.
    base: usize,
    /// The index of bit 0 of the word holding the bit left out.
    skip_base: usize,
    /// The bit left out, within that word (`0` when none is).
    skip_mask: u64,
}

impl<'a> Ones<'a> {
    /// The set bits of `words`, except bit `skip` (if any).
    pub(crate) fn new(words: &'a [u64], skip: Option<usize>) -> Self {
        let (skip_base, skip_mask) = match skip {
            Some(index) => (index - index % 64, 1 << (index % 64)),
            None => (usize::MAX, 0),
        };
        let mut words = words.iter();
        let mut current = words.next().copied().unwrap_or(0);
        if skip_base == 0 {
            current &= !skip_mask;
        }
        Self {
            words,
            current,
            base: 0,
            skip_base,
            skip_mask,
        }
    }
}

impl Iterator for Ones<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.current == 0 {
            let word = *self.words.next()?;
            self.base += 64;
            self.current = if self.base == self.skip_base {
                word & !self.skip_mask
            } else {
                word
            };
        }
        let bit = self.current.trailing_zeros() as usize;
        self.current &= self.current - 1;
        Some(self.base + bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn set_clear_and_scan() {
        let mut words = vec![0u64; words_for(200)];
        assert_eq!(words.len(), 4);
        for i in [0, 5, 63, 64, 130, 199] {
            set(&mut words, i);
        }
        set(&mut words, 256);
        // SAFETY: every index is below 200, so its word is below 4.
        unsafe {
            clear_unchecked(&mut words, 5);
            set_unchecked(&mut words, 131);
            clear_unchecked(&mut words, 131);
            set_unchecked(&mut words, 197);
            clear_unchecked(&mut words, 197);
        }
        assert_eq!(
            Ones::new(&words, None).collect::<Vec<_>>(),
            [0, 63, 64, 130, 199]
        );
        assert_eq!(
            Ones::new(&words, Some(130)).collect::<Vec<_>>(),
            [0, 63, 64, 199]
        );
        assert_eq!(
            Ones::new(&words, Some(0)).collect::<Vec<_>>(),
            [63, 64, 130, 199]
        );
        assert_eq!(
            Ones::new(&words, Some(5)).collect::<Vec<_>>(),
            [0, 63, 64, 130, 199]
        );
        assert_eq!(next_set(&words, 0), Some(0));
        assert_eq!(next_set(&words, 1), Some(63));
        assert_eq!(next_set(&words, 65), Some(130));
        assert_eq!(next_set(&words, 200), None);
        assert_eq!(next_set(&words, 1000), None);
        assert_eq!(Ones::new(&[], None).next(), None);
        assert_eq!(Ones::new(&[], Some(3)).next(), None);
    }
}
