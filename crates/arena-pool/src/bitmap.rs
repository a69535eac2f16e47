//! A free set: one bit per index, set while the index is free, in atomic
//! words of the pointer's width (the widest atomic every target with
//! compare-and-swap has).
//!
//! A thread takes indices with one `fetch_and` that clears bits it saw set,
//! and owns exactly the bits that the returned value shows it cleared; it
//! gives indices back with one `fetch_or` per word. A count of the set
//! indices is reserved from before any bit is cleared, so a take that gets a
//! reservation always finds its bits, and a take fails exactly when the
//! count is zero (a set of one word needs no count: the word is one).
//! Ownership is decided by
//! the value a read-modify-write returns, never by a value read earlier, so
//! there is no ABA problem to defend against: a stalled thread whose view is
//! stale at worst clears bits that are already clear, and gets nothing for
//! them. No tag, no counter that could wrap, no links. All of it is safe
//! code.
//!
//! No step waits for another thread's progress: a take that interrupts
//! another take or give (an interrupt handler on the same core) finds the
//! bits its reservation counted without that one running on. The words are
//! any `AsRef<[AtomicUsize]>`: a boxed slice for [`SyncPool`](crate::SyncPool),
//! an array in a `static` for [`StaticPool`](crate::StaticPool).

#![forbid(unsafe_code)]

#[cfg(feature = "std")]
use alloc::boxed::Box;

use crate::sync::{AtomicUsize, Ordering};

/// Bits per word.
const BITS: usize = usize::BITS as usize;

/// How many words hold `capacity` bits.
pub(crate) const fn word_count(capacity: usize) -> usize {
    capacity.div_ceil(BITS)
}

/// The word and the bit in it of `index`.
#[inline(always)]
const fn place(index: u32) -> (usize, u32) {
    (index as usize / BITS, index % BITS as u32)
}

/// The lowest `max` set bits of `bits` (all of them if fewer are set).
#[inline]
const fn lowest(bits: usize, max: u32) -> usize {
    if bits.count_ones() <= max {
        return bits;
    }
    let mut rest = bits;
    let mut taken = 0;
    let mut count = 0;
    while count < max {
        let low = rest & rest.wrapping_neg();
        taken |= low;
        rest &= !low;
        count += 1;
    }
    taken
}

/// The take of a set of one word: up to `max` of its set bits, found by a
/// load and cleared by a `fetch_and`, retried with the bits that returns
/// while they are not zero. Returns 0 exactly when a load or `fetch_and`
/// saw the word empty.
#[inline]
fn take_from_only_word(word: &AtomicUsize, max: u32, mut out: impl FnMut(u32)) -> u32 {
    let mut bits = word.load(Ordering::Relaxed);
    if max == 1 {
        // One bit, tested alone after the `fetch_and`: x86 does this in one
        // `lock btr`. A bit taken meanwhile sends it back to a fresh load.
        while bits != 0 {
            let bit = bits.trailing_zeros();
            let mask = 1 << bit;
            // Acquire: as below.
            if word.fetch_and(!mask, Ordering::Acquire) & mask != 0 {
                out(bit);
                return 1;
            }
            bits = word.load(Ordering::Relaxed);
        }
        return 0;
    }
    while bits != 0 {
        let mask = lowest(bits, max);
        // Acquire: pairs with the release of the `give` that set these
        // bits, so the indices' last use is visible.
        let before = word.fetch_and(!mask, Ordering::Acquire);
        let mut mine = before & mask;
        if mine != 0 {
            let got = mine.count_ones();
            while mine != 0 {
                out(mine.trailing_zeros());
                mine &= mine - 1;
            }
            return got;
        }
        // Every bit tried was taken meanwhile; `before` holds the rest.
        bits = before;
    }
    0
}

/// The bits of word `word` of a set over `0..capacity`: those of indices
/// below `capacity` if `full`, none otherwise.
const fn initial_bits(capacity: usize, word: usize, full: bool) -> usize {
    let bits_here = capacity.saturating_sub(word * BITS);
    if !full || bits_here == 0 {
        0
    } else if bits_here >= BITS {
        usize::MAX
    } else {
        (1 << bits_here) - 1
    }
}

/// The words `0..count` holding `capacity` bits, all set if `full`, all
/// clear otherwise.
#[cfg(feature = "std")]
fn words(capacity: usize, full: bool) -> Box<[AtomicUsize]> {
    (0..word_count(capacity))
        .map(|word| AtomicUsize::new(initial_bits(capacity, word, full)))
        .collect()
}

/// A set of indices in `0..capacity`, shared by all threads.
///
/// Invariants: bit `i % BITS` of `words[i / BITS]` is set exactly when index `i`
/// is in the set, and no bit at or above `capacity` is ever set; `hint` is
/// below `words.len()` (or 0 when there are no words). `len` never exceeds
/// the number of set bits less the bits reserved by takes in flight: a
/// give sets its bits before it adds to `len`, and a take subtracts from
/// `len` (never below zero) before it clears bits.
///
/// A set of one word is its own count: takes and gives touch only the
/// word (a take fails exactly when it loads the word as zero), and `len`
/// and `hint` stay unused. That halves the read-modify-writes of a take
/// and a give for the small sets that fit one word.
#[derive(Debug)]
pub(crate) struct FreeBitmap<W: ?Sized> {
    /// The word a search starts at: the last one found holding free bits or
    /// given bits to. Only a hint; any value below `words.len()` is correct.
    hint: AtomicUsize,
    /// How many set bits no take has reserved.
    len: AtomicUsize,
    /// Last, so that `FreeBitmap<[AtomicUsize; K]>` coerces to
    /// `FreeBitmap<[AtomicUsize]>`.
    words: W,
}

/// The free set of a pool whose capacity is chosen at run time.
#[cfg(feature = "std")]
pub(crate) type BoxedBitmap = FreeBitmap<Box<[AtomicUsize]>>;

#[cfg(feature = "std")]
impl BoxedBitmap {
    /// A set over `0..capacity`, holding all of them if `full`, none
    /// otherwise.
    pub(crate) fn new(capacity: usize, full: bool) -> Self {
        Self {
            words: words(capacity, full),
            hint: AtomicUsize::new(0),
            len: AtomicUsize::new(if full { capacity } else { 0 }),
        }
    }
}

impl<const K: usize> FreeBitmap<[AtomicUsize; K]> {
    /// A set holding all of `0..capacity`, in `K` words; `K` must be
    /// `word_count(capacity)`, and `capacity` at most `u32::MAX`.
    #[cfg(not(loom))]
    pub(crate) const fn full(capacity: usize) -> Self {
        assert!(K == word_count(capacity) && capacity <= u32::MAX as usize);
        let mut words = [const { AtomicUsize::new(0) }; K];
        let mut word = 0;
        while word < K {
            words[word] = AtomicUsize::new(initial_bits(capacity, word, true));
            word += 1;
        }
        Self {
            hint: AtomicUsize::new(0),
            len: AtomicUsize::new(capacity),
            words,
        }
    }

    /// As above; loom's atomics are built at run time.
    #[cfg(loom)]
    pub(crate) fn full(capacity: usize) -> Self {
        assert!(K == word_count(capacity) && capacity <= u32::MAX as usize);
        Self {
            hint: AtomicUsize::new(0),
            len: AtomicUsize::new(capacity),
            words: core::array::from_fn(|word| {
                AtomicUsize::new(initial_bits(capacity, word, true))
            }),
        }
    }
}

impl<W: ?Sized + AsRef<[AtomicUsize]>> FreeBitmap<W> {
    /// Takes up to `max` (at least 1) indices and passes each to `out`;
    /// returns how many. 0 means the set was empty when this call reserved
    /// its count (in a set of one word: when it loaded the word).
    ///
    /// After reserving, the search looks at words from the hint on, with
    /// one load per word and one `fetch_and` per attempt on a word seen
    /// non-empty; the reserved bits exist, so it finds them, in one pass
    /// unless other threads move bits behind it meanwhile.
    pub(crate) fn take(&self, max: u32, mut out: impl FnMut(u32)) -> u32 {
        debug_assert!(max >= 1);
        if let [word] = self.words.as_ref() {
            return take_from_only_word(word, max, out);
        }
        let want = self.reserve(max);
        if want == 0 {
            return 0;
        }
        let words = self.words.as_ref();
        let count = words.len();
        let start = self.hint.load(Ordering::Relaxed);
        let mut at = start;
        let mut got = 0;
        loop {
            let word = &words[at];
            let mut bits = word.load(Ordering::Relaxed);
            while bits != 0 && got < want {
                let mask = lowest(bits, want - got);
                // Acquire: pairs with the release of the `give` that set
                // these bits, so the indices' last use is visible.
                let before = word.fetch_and(!mask, Ordering::Acquire);
                let mut mine = before & mask;
                got += mine.count_ones();
                while mine != 0 {
                    out((at * BITS) as u32 + mine.trailing_zeros());
                    mine &= mine - 1;
                }
                // Bits taken meanwhile are gone; try the others still set.
                bits = before & !mask;
            }
            if got == want {
                if at != start {
                    self.hint.store(at, Ordering::Relaxed);
                }
                return want;
            }
            at += 1;
            if at == count {
                at = 0;
            }
        }
    }

    /// Reserves up to `max` of the set's indices: returns how many (0 when
    /// the set is empty).
    fn reserve(&self, max: u32) -> u32 {
        let mut len = self.len.load(Ordering::Relaxed);
        loop {
            if len == 0 {
                return 0;
            }
            let want = len.min(max as usize);
            match self.len.compare_exchange_weak(
                len,
                len - want,
                // Acquire: pairs with the release of the `give` whose count
                // this reads, so its bits are visible to the search.
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return want as u32,
                Err(now) => len = now,
            }
        }
    }

    /// Takes one index.
    pub(crate) fn take_one(&self) -> Option<u32> {
        let mut index = None;
        self.take(1, |i| index = Some(i));
        index
    }

    /// Puts `indices` back (each must be below the capacity and held by the
    /// caller); runs of indices in the same word go back in one update.
    pub(crate) fn give<I>(&self, indices: I)
    where
        I: IntoIterator<Item = u32>,
        I::IntoIter: Clone + ExactSizeIterator,
    {
        let indices = indices.into_iter();
        let given = indices.len();
        if let [word] = self.words.as_ref() {
            let mask = indices.fold(0, |mask, index| {
                debug_assert!((index as usize) < BITS);
                mask | 1 << index
            });
            // Release: publishes the indices' last use to the thread that
            // takes them.
            let before = word.fetch_or(mask, Ordering::Release);
            debug_assert_eq!(before & mask, 0, "an index given back twice");
            return;
        }
        // Indices freed together are often neighbours: when they all share
        // the first one's word, a pass that only gathers their bits finds
        // it and they go back in one update.
        let mut rest = indices.clone();
        let Some(first) = rest.next() else {
            return;
        };
        let (mut mask, mut spread) = (1 << place(first).1, 0);
        for index in rest {
            mask |= 1 << place(index).1;
            spread |= index ^ first;
        }
        if spread < BITS as u32 {
            let at = place(first).0;
            self.set(at, mask);
            self.hint.store(at, Ordering::Relaxed);
            // Release: the bits are set before they are counted.
            self.len.fetch_add(given, Ordering::Release);
            return;
        }
        let mut current: Option<(usize, usize)> = None;
        for index in indices {
            let (word, bit) = place(index);
            match &mut current {
                Some((at, mask)) if *at == word => *mask |= 1 << bit,
                _ => {
                    if let Some((at, mask)) = current {
                        self.set(at, mask);
                    }
                    current = Some((word, 1 << bit));
                }
            }
        }
        if let Some((at, mask)) = current {
            self.set(at, mask);
            self.hint.store(at, Ordering::Relaxed);
        }
        // Release: the bits are set before they are counted.
        self.len.fetch_add(given, Ordering::Release);
    }

    /// Sets `mask` in word `at`.
    #[inline]
    fn set(&self, at: usize, mask: usize) {
        // Release: publishes the indices' last use to the thread that takes
        // them.
        let before = self.words.as_ref()[at].fetch_or(mask, Ordering::Release);
        debug_assert_eq!(before & mask, 0, "an index given back twice");
    }

    /// How many indices the set holds, less those that takes in flight
    /// have reserved.
    pub(crate) fn len(&self) -> usize {
        if let [word] = self.words.as_ref() {
            return word.load(Ordering::Relaxed).count_ones() as usize;
        }
        self.len.load(Ordering::Relaxed)
    }

    /// Every index in the set, in increasing order, removed from it. Needs
    /// exclusive access.
    #[cfg(feature = "std")]
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = u32> + '_ {
        self.len.store(0, Ordering::Relaxed);
        self.words
            .as_ref()
            .iter()
            .enumerate()
            .flat_map(|(at, word)| {
                let mut rest = word.swap(0, Ordering::Acquire);
                core::iter::from_fn(move || {
                    if rest == 0 {
                        return None;
                    }
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    Some((at * BITS) as u32 + bit)
                })
            })
    }
}

#[cfg(all(test, feature = "std", not(loom)))]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn take_all(set: &BoxedBitmap, max: u32) -> Vec<u32> {
        let mut out = Vec::new();
        while set.take(max, |i| out.push(i)) != 0 {}
        out
    }

    #[test]
    fn lowest_bits() {
        assert_eq!(lowest(0, 3), 0);
        assert_eq!(lowest(0b1011_0110, 2), 0b0000_0110);
        assert_eq!(lowest(0b1011_0110, 4), 0b0011_0110);
        assert_eq!(lowest(0b1011_0110, 9), 0b1011_0110);
        assert_eq!(lowest(usize::MAX, 16), 0xffff);
        assert_eq!(lowest(1 << (BITS - 1), 1), 1 << (BITS - 1));
    }

    #[test]
    fn full_set_holds_exactly_its_capacity() {
        for capacity in [0, 1, 63, 64, 65, 130] {
            let set = BoxedBitmap::new(capacity, true);
            assert_eq!(set.len(), capacity);
            let mut taken = take_all(&set, 16);
            taken.sort_unstable();
            assert!(taken.iter().copied().eq(0..capacity as u32), "{capacity}");
            assert_eq!(set.len(), 0);
            assert_eq!(set.take_one(), None);
        }
        let empty = BoxedBitmap::new(100, false);
        assert_eq!(empty.take_one(), None);
        assert_eq!(empty.len(), 0);
    }

    #[test]
    fn takes_at_most_max_lowest_first() {
        let set = BoxedBitmap::new(130, true);
        let mut got = Vec::new();
        assert_eq!(set.take(5, |i| got.push(i)), 5);
        assert_eq!(got, [0, 1, 2, 3, 4]);
        assert_eq!(set.len(), 125);
        set.give([3, 1]);
        assert_eq!(set.len(), 127);
        got.clear();
        assert_eq!(set.take(3, |i| got.push(i)), 3);
        assert_eq!(got, [1, 3, 5]);
    }

    #[test]
    fn gives_across_words_and_searches_from_the_hint() {
        let set = BoxedBitmap::new(200, false);
        set.give([150, 2, 3, 70]);
        assert_eq!(set.len(), 4);
        // The hint is the last word given to.
        assert_eq!(set.take_one(), Some(70));
        let mut rest = take_all(&set, 2);
        rest.sort_unstable();
        assert_eq!(rest, [2, 3, 150]);
        assert_eq!(set.take_one(), None);
    }

    /// A batch in one word goes back in one update; one whose last index
    /// leaves that word goes back word by word, every index counted.
    #[test]
    fn gives_a_word_at_once_or_word_by_word() {
        let set = BoxedBitmap::new(200, false);
        set.give([70, 65, 127]);
        assert_eq!(set.len(), 3);
        set.give([64, 66, 128]);
        assert_eq!(set.len(), 6);
        set.give(Vec::new());
        assert_eq!(set.len(), 6);
        let mut all = take_all(&set, 4);
        all.sort_unstable();
        assert_eq!(all, [64, 65, 66, 70, 127, 128]);
        assert_eq!(set.take_one(), None);
    }

    #[test]
    fn takes_across_words() {
        let set = BoxedBitmap::new(200, false);
        set.give([63]);
        set.give([64, 65]);
        set.give([199]);
        let mut got = Vec::new();
        assert_eq!(set.take(4, |i| got.push(i)), 4);
        got.sort_unstable();
        assert_eq!(got, [63, 64, 65, 199]);
        assert_eq!(set.take(4, |_| {}), 0);
    }

    #[test]
    fn arrays_hold_their_capacity_and_coerce_to_slices() {
        let set: FreeBitmap<[AtomicUsize; 2]> = FreeBitmap::full(BITS + 1);
        let set: &FreeBitmap<[AtomicUsize]> = &set;
        assert_eq!(set.len(), BITS + 1);
        let mut taken = Vec::new();
        while let Some(i) = set.take_one() {
            taken.push(i);
        }
        taken.sort_unstable();
        assert!(taken.iter().copied().eq(0..=BITS as u32));
        set.give([BITS as u32]);
        assert_eq!(set.take_one(), Some(BITS as u32));
        let none: FreeBitmap<[AtomicUsize; 0]> = FreeBitmap::full(0);
        assert_eq!((none.len(), none.take_one()), (0, None));
        assert_eq!(
            (
                word_count(0),
                word_count(1),
                word_count(BITS),
                word_count(BITS + 1)
            ),
            (0, 1, 1, 2)
        );
    }

    #[test]
    fn drain_empties_the_set() {
        let mut set = BoxedBitmap::new(70, true);
        assert_eq!(set.take(2, |_| {}), 2);
        let drained: Vec<u32> = set.drain().collect();
        assert_eq!(drained, (2..70).collect::<Vec<_>>());
        assert_eq!(set.len(), 0);
        assert_eq!(set.take_one(), None);
        set.give(vec![5]);
        assert_eq!(set.take_one(), Some(5));
    }
}

/// Model checks: no index ever has two owners, whatever the interleaving
/// (there is no tag whose wrap this relies on).
#[cfg(all(test, feature = "std", loom))]
mod loom_tests {
    use super::*;
    use alloc::vec::Vec;
    use loom::sync::Arc;
    use loom::thread;

    /// Two threads take (two, then one) and give back, over the three
    /// indices of `set`; no index ever has two owners, and all three are
    /// in the set at the end.
    fn race(set: BoxedBitmap, indices: [u32; 3]) {
        let set = Arc::new(set);
        let owners: Arc<Vec<crate::sync::AtomicU32>> = Arc::new(
            (0..=indices[2])
                .map(|_| crate::sync::AtomicU32::new(0))
                .collect(),
        );
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (set, owners) = (Arc::clone(&set), Arc::clone(&owners));
                thread::spawn(move || {
                    for max in [2, 1] {
                        let mut mine = Vec::new();
                        set.take(max, |i| mine.push(i));
                        for &i in &mine {
                            let before = owners[i as usize].swap(1, Ordering::Relaxed);
                            assert_eq!(before, 0, "index {i} has two owners");
                        }
                        for &i in &mine {
                            owners[i as usize].store(0, Ordering::Relaxed);
                        }
                        set.give(mine);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(set.len(), 3);
        let mut all = Vec::new();
        while let Some(i) = set.take_one() {
            all.push(i);
        }
        all.sort_unstable();
        assert_eq!(all, indices);
    }

    /// A set of one word, which is its own count.
    #[test]
    fn racing_takes_and_gives_never_share_an_index() {
        loom::model(|| race(BoxedBitmap::new(3, true), [0, 1, 2]));
    }

    /// A set of two words, with a count and a search hint: the free indices
    /// straddle the words.
    #[test]
    fn racing_takes_and_gives_across_words_never_share_an_index() {
        let last = BITS as u32;
        loom::model(move || {
            let set = BoxedBitmap::new(BITS + 1, false);
            set.give([last - 1]);
            set.give([0, last]);
            race(set, [0, last - 1, last]);
        });
    }
}
