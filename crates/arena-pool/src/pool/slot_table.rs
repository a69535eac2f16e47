//! [`SlotTable`]: a hash table from slot index to a generation and a value,
//! the storage of the sparse secondary pool.
//!
//! The entries sit side by side in a `Vec` (iteration is a slice walk); an
//! open-addressing index of `(slot index, position)` pairs finds them:
//! Fibonacci hashing of the slot index, linear probing, and backward-shift
//! deletion, so there are no tombstones. Memory follows the entries: the
//! index has at most twice as many buckets as entries once it grew, plus 8.

#![forbid(unsafe_code)]

use alloc::vec::Vec;

/// The slot index marking an empty bucket. No pool gives out a handle with
/// it: indices are below `u32::MAX`.
const EMPTY: u32 = u32::MAX;

/// One entry: the slot index, the generation attached, and the value.
#[derive(Clone, Debug)]
pub(crate) struct Entry<V> {
    pub(crate) index: u32,
    pub(crate) version: u32,
    pub(crate) value: V,
}

/// A bucket of the index: a slot index and the position of its entry, or
/// `EMPTY`.
#[derive(Clone, Copy)]
struct Bucket {
    index: u32,
    position: u32,
}

const VACANT: Bucket = Bucket {
    index: EMPTY,
    position: 0,
};

/// Entries keyed by slot index.
///
/// # Invariant
///
/// `buckets.len()` is zero or a power of two of at least 8, with `shift`
/// equal to 64 minus its log2; every entry's index is in exactly one
/// bucket, reachable by linear probing from its home bucket without
/// crossing an empty one, holding the entry's position; no other bucket is
/// full. None of it is needed for memory safety: a broken invariant would
/// only make lookups miss or panic.
#[derive(Clone)]
pub(crate) struct SlotTable<V> {
    entries: Vec<Entry<V>>,
    buckets: Vec<Bucket>,
    shift: u32,
}

impl<V> SlotTable<V> {
    /// An empty table; allocates nothing.
    pub(crate) const fn new() -> Self {
        Self {
            entries: Vec::new(),
            buckets: Vec::new(),
            shift: 64,
        }
    }

    /// An empty table with room for `capacity` entries.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let mut table = Self::new();
        table.reserve(capacity);
        table
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries, in no particular order.
    #[inline]
    pub(crate) fn entries(&self) -> &[Entry<V>] {
        &self.entries
    }

    /// The entries, mutably. Changing an index or a version here breaks
    /// the table's invariant; only values may change.
    #[inline]
    pub(crate) fn entries_mut(&mut self) -> &mut [Entry<V>] {
        &mut self.entries
    }

    /// The home bucket of `index`.
    #[inline(always)]
    fn home(&self, index: u32) -> usize {
        // Fibonacci hashing: the top bits of the product spread even
        // consecutive indices evenly. `shift` is 64 for an empty index,
        // which `checked_shr` turns into bucket 0 (never read then).
        (u64::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .checked_shr(self.shift)
            .unwrap_or(0) as usize
    }

    /// The bucket holding `index`, if any.
    #[inline]
    fn find_bucket(&self, index: u32) -> Option<usize> {
        if index == EMPTY || self.buckets.is_empty() {
            return None;
        }
        let mask = self.buckets.len() - 1;
        let mut at = self.home(index);
        loop {
            let bucket = self.buckets.get(at)?;
            if bucket.index == index {
                return Some(at);
            }
            if bucket.index == EMPTY {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// The position of the entry of `index`, if any.
    #[inline]
    pub(crate) fn position(&self, index: u32) -> Option<usize> {
        let bucket = self.find_bucket(index)?;
        Some(self.buckets[bucket].position as usize)
    }

    /// The entry of `index`, if any.
    #[inline]
    pub(crate) fn get(&self, index: u32) -> Option<&Entry<V>> {
        self.entries.get(self.position(index)?)
    }

    /// The entry of `index`, mutably, if any. Only its value may change.
    #[inline]
    pub(crate) fn get_mut(&mut self, index: u32) -> Option<&mut Entry<V>> {
        let position = self.position(index)?;
        self.entries.get_mut(position)
    }

    /// Makes room for `additional` more entries.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
        let wanted = self.entries.len().saturating_add(additional);
        if !self.fits(wanted) {
            self.rebuild(wanted);
        }
    }

    /// Whether `len` entries fit the index at most three quarters full.
    #[inline]
    fn fits(&self, len: usize) -> bool {
        len <= self.buckets.len() / 4 * 3
    }

    /// A new index for at least `len` entries, refilled from the entries.
    #[cold]
    #[inline(never)]
    fn rebuild(&mut self, len: usize) {
        let buckets = len
            .saturating_mul(4)
            .div_ceil(3)
            .max(8)
            .checked_next_power_of_two()
            .expect("capacity overflow");
        self.buckets.clear();
        self.buckets.resize(buckets, VACANT);
        self.shift = 64 - buckets.trailing_zeros();
        for position in 0..self.entries.len() {
            let index = self.entries[position].index;
            self.place(index, position as u32);
        }
    }

    /// Puts `(index, position)` in the first empty bucket from `index`'s
    /// home; `index` is in no bucket yet and an empty bucket exists.
    #[inline]
    fn place(&mut self, index: u32, position: u32) {
        let mask = self.buckets.len() - 1;
        let mut at = self.home(index);
        while self.buckets[at].index != EMPTY {
            at = (at + 1) & mask;
        }
        self.buckets[at] = Bucket { index, position };
    }

    /// Adds an entry for `index`, which has none.
    ///
    /// # Panics
    ///
    /// Panics when `index` is `u32::MAX` (callers refuse it first).
    #[inline]
    pub(crate) fn push(&mut self, index: u32, version: u32, value: V) {
        assert_ne!(index, EMPTY, "slot index u32::MAX is never given out");
        debug_assert!(self.find_bucket(index).is_none());
        if !self.fits(self.entries.len() + 1) {
            self.rebuild(self.entries.len() + 1);
        }
        // Room first, so that nothing fails once the bucket is taken.
        self.entries.reserve(1);
        // Fewer than u32::MAX distinct indices exist, so positions fit.
        let position = self.entries.len() as u32;
        self.place(index, position);
        self.entries.push(Entry {
            index,
            version,
            value,
        });
    }

    /// Removes and returns the entry of `index`; the last entry moves into
    /// its place.
    pub(crate) fn remove(&mut self, index: u32) -> Option<Entry<V>> {
        let bucket = self.find_bucket(index)?;
        let position = self.buckets[bucket].position as usize;
        self.unlink(bucket);
        let entry = self.entries.swap_remove(position);
        if let Some(moved) = self.entries.get(position) {
            let moved = moved.index;
            if let Some(at) = self.find_bucket(moved) {
                self.buckets[at].position = position as u32;
            }
        }
        Some(entry)
    }

    /// Empties `bucket`, shifting back the entries after it that would
    /// otherwise become unreachable.
    fn unlink(&mut self, bucket: usize) {
        let mask = self.buckets.len() - 1;
        let mut hole = bucket;
        let mut at = (bucket + 1) & mask;
        loop {
            let next = self.buckets[at];
            if next.index == EMPTY {
                break;
            }
            let home = self.home(next.index);
            // Move it into the hole when the hole lies between its home
            // and where it is now (cyclically).
            if (at.wrapping_sub(home) & mask) >= (at.wrapping_sub(hole) & mask) {
                self.buckets[hole] = next;
                hole = at;
            }
            at = (at + 1) & mask;
        }
        self.buckets[hole] = VACANT;
    }

    /// Keeps the entries `keep` accepts; each is visited once.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&mut Entry<V>) -> bool) {
        let mut position = 0;
        while let Some(entry) = self.entries.get_mut(position) {
            if keep(entry) {
                position += 1;
            } else {
                let index = entry.index;
                // The last entry moves to `position` and is looked at next.
                drop(self.remove(index));
            }
        }
    }

    /// Removes every entry. The index is emptied first, so a panicking
    /// `Drop` of a value leaves a consistent, empty table.
    pub(crate) fn clear(&mut self) {
        self.buckets.fill(VACANT);
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use alloc::collections::BTreeMap;

    use super::*;

    /// Every entry is found at its position, and no other bucket is full.
    fn check<V>(table: &SlotTable<V>) {
        for (position, entry) in table.entries.iter().enumerate() {
            assert_eq!(table.position(entry.index), Some(position));
        }
        let full = table.buckets.iter().filter(|b| b.index != EMPTY).count();
        assert_eq!(full, table.entries.len());
    }

    #[test]
    fn matches_an_ordered_map_under_churn() {
        let mut table = SlotTable::new();
        let mut model = BTreeMap::new();
        let mut x = 0x2545_f491_u32;
        for step in 0..if cfg!(miri) { 300 } else { 20_000 } {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            // Few distinct indices, some far apart, so probes collide.
            let index = if x & 1 == 0 { x % 97 } else { x % 7 * 1000 };
            if x & 6 == 0 {
                assert_eq!(table.remove(index).map(|e| e.value), model.remove(&index));
            } else if table.get(index).is_none() {
                table.push(index, 1, step);
                model.insert(index, step);
            } else {
                assert_eq!(
                    table.get(index).map(|e| e.value),
                    model.get(&index).copied()
                );
            }
            if step % 64 == 0 {
                check(&table);
            }
        }
        check(&table);
        table.retain(|e| e.index % 2 == 0);
        model.retain(|k, _| k % 2 == 0);
        check(&table);
        let mut all: Vec<_> = table.entries().iter().map(|e| (e.index, e.value)).collect();
        all.sort_unstable();
        assert_eq!(all, model.into_iter().collect::<Vec<_>>());
        table.clear();
        assert_eq!(table.len(), 0);
        check(&table);
    }

    #[test]
    fn the_empty_marker_is_never_found() {
        let mut table = SlotTable::new();
        assert!(table.get(EMPTY).is_none());
        table.push(3, 1, 'a');
        assert!(table.get(EMPTY).is_none());
        assert!(table.remove(EMPTY).is_none());
        assert_eq!(table.get(3).map(|e| e.value), Some('a'));
    }

    #[test]
    fn capacity_is_reserved_up_front() {
        let table = SlotTable::<u8>::with_capacity(100);
        assert!(table.buckets.len() >= 134);
        assert!(table.entries.capacity() >= 100);
    }
}
