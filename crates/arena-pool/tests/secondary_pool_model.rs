//! Model-based test: a `SecondaryPool` attached to a `Pool`, driven by
//! random operations and checked against a `HashMap<Handle, V>` plus the
//! newest generation attached at each slot.

use std::collections::HashMap;

use arena_pool::{Handle, InsertAtError, Pool, SecondaryPool, SparseSecondaryPool};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    PrimaryInsert,
    PrimaryRemove(usize),
    Attach(usize, u16),
    Detach(usize),
    Get(usize),
    Bump(usize),
    Retain(u8),
    Clear,
    Walk,
    /// Through `entry`: appends `?` to the attached value or attaches one.
    Upsert(usize, u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::PrimaryInsert),
        2 => any::<usize>().prop_map(Op::PrimaryRemove),
        5 => (any::<usize>(), any::<u16>()).prop_map(|(i, v)| Op::Attach(i, v)),
        2 => any::<usize>().prop_map(Op::Detach),
        3 => any::<usize>().prop_map(Op::Get),
        1 => any::<usize>().prop_map(Op::Bump),
        1 => (1u8..4).prop_map(Op::Retain),
        1 => Just(Op::Clear),
        1 => Just(Op::Walk),
        3 => (any::<usize>(), any::<u16>()).prop_map(|(i, v)| Op::Upsert(i, v)),
    ]
}

type V = String;

/// What both secondary kinds share, for the model to drive.
trait Attach: Default {
    /// Whether a slot with nothing attached forgets the generations it saw.
    const FORGETS: bool;
    fn insert(&mut self, h: Handle<()>, value: V) -> Result<Option<V>, InsertAtError<V>>;
    fn get(&self, h: Handle<()>) -> Option<&V>;
    fn get_mut(&mut self, h: Handle<()>) -> Option<&mut V>;
    fn contains(&self, h: Handle<()>) -> bool;
    fn remove(&mut self, h: Handle<()>) -> Option<V>;
    fn retain(&mut self, keep: &mut dyn FnMut(Handle<()>, &mut V) -> bool);
    fn clear(&mut self);
    fn len(&self) -> usize;
    fn items(&self) -> Vec<(Handle<()>, V)>;
    fn items_back(&self) -> Vec<(Handle<()>, V)>;
    fn count_mut_back(&mut self) -> usize;
    /// Through `entry`, where the kind has one: appends `?` or attaches
    /// `value`; `None` when `entry` refuses or the kind has no entries.
    fn upsert(&mut self, h: Handle<()>, value: V) -> Option<Option<bool>>;
}

macro_rules! attach {
    ($ty:ty, $forgets:expr, |$s:ident, $h:ident, $v:ident| $upsert:expr) => {
        impl Attach for $ty {
            const FORGETS: bool = $forgets;
            fn insert(&mut self, h: Handle<()>, value: V) -> Result<Option<V>, InsertAtError<V>> {
                <$ty>::insert(self, h, value)
            }
            fn get(&self, h: Handle<()>) -> Option<&V> {
                <$ty>::get(self, h)
            }
            fn get_mut(&mut self, h: Handle<()>) -> Option<&mut V> {
                <$ty>::get_mut(self, h)
            }
            fn contains(&self, h: Handle<()>) -> bool {
                <$ty>::contains(self, h)
            }
            fn remove(&mut self, h: Handle<()>) -> Option<V> {
                <$ty>::remove(self, h)
            }
            fn retain(&mut self, keep: &mut dyn FnMut(Handle<()>, &mut V) -> bool) {
                <$ty>::retain(self, keep)
            }
            fn clear(&mut self) {
                <$ty>::clear(self)
            }
            fn len(&self) -> usize {
                <$ty>::len(self)
            }
            fn items(&self) -> Vec<(Handle<()>, V)> {
                let iter = self.iter();
                assert_eq!(iter.len(), self.len());
                let items: Vec<_> = iter.map(|(h, v)| (h, v.clone())).collect();
                // `fold` and `values` take paths of their own.
                let folded = self.iter().fold(Vec::new(), |mut all, (h, v)| {
                    all.push((h, v.clone()));
                    all
                });
                assert_eq!(folded, items);
                let values = self.values();
                assert_eq!(values.len(), self.len());
                let values: Vec<V> = values.cloned().collect();
                let folded: Vec<V> = self.values().fold(Vec::new(), |mut all, v| {
                    all.push(v.clone());
                    all
                });
                let mut back: Vec<V> = self.values().rev().cloned().collect();
                back.reverse();
                let expected: Vec<V> = items.iter().map(|(_, v)| v.clone()).collect();
                assert_eq!((&values, &folded, &back), (&expected, &expected, &expected));
                items
            }
            fn items_back(&self) -> Vec<(Handle<()>, V)> {
                let mut back: Vec<_> = self.iter().rev().map(|(h, v)| (h, v.clone())).collect();
                back.reverse();
                back
            }
            fn count_mut_back(&mut self) -> usize {
                self.iter_mut().rev().count()
            }
            fn upsert(&mut self, h: Handle<()>, value: V) -> Option<Option<bool>> {
                let ($s, $h, $v) = (self, h, value);
                $upsert
            }
        }
    };
}

attach!(SecondaryPool<(), V>, false, |pool, h, value| Some({
    let entry = pool.entry(h);
    entry.map(|entry| {
        assert_eq!(entry.handle(), h);
        let live = pool_is_live(&entry);
        entry.and_modify(|x| x.push('?')).or_insert(value);
        live
    })
}));
attach!(SparseSecondaryPool<(), V>, true, |pool, h, value| {
    let _ = (pool, h, value);
    None
});

fn pool_is_live(entry: &arena_pool::pool::SecondaryEntry<'_, (), V>) -> bool {
    matches!(entry, arena_pool::pool::SecondaryEntry::Occupied(_))
}

fn run<S: Attach>(ops: &[Op]) {
    let mut primary: Pool<()> = Pool::new();
    let mut extra = S::default();
    let mut model: HashMap<Handle<()>, String> = HashMap::new();
    let mut newest: HashMap<usize, u32> = HashMap::new();
    let mut seen: Vec<Handle<()>> = Vec::new();
    let pick = |seen: &Vec<Handle<()>>, i: usize| (!seen.is_empty()).then(|| seen[i % seen.len()]);
    for op in ops {
        match *op {
            Op::PrimaryInsert => seen.push(primary.insert(())),
            Op::PrimaryRemove(i) => {
                if let Some(h) = pick(&seen, i) {
                    primary.remove(h);
                }
            }
            Op::Attach(i, v) => {
                if let Some(h) = pick(&seen, i) {
                    let value = v.to_string();
                    let result = extra.insert(h, value.clone());
                    let newer = newest.get(&h.index()).is_some_and(|&g| g > h.generation());
                    if model.contains_key(&h) {
                        assert_eq!(result, Ok(model.insert(h, value)));
                    } else if newer {
                        assert_eq!(result, Err(InsertAtError::Stale { value }));
                    } else {
                        assert_eq!(result, Ok(None));
                        model.retain(|k, _| k.index() != h.index());
                        model.insert(h, value);
                        newest.insert(h.index(), h.generation());
                    }
                }
            }
            Op::Upsert(i, v) => {
                if let Some(h) = pick(&seen, i) {
                    let newer = newest.get(&h.index()).is_some_and(|&g| g > h.generation());
                    let value = v.to_string();
                    match extra.upsert(h, value.clone()) {
                        None => {}
                        Some(None) => assert!(newer && !model.contains_key(&h)),
                        Some(Some(live)) => {
                            assert!(!newer);
                            assert_eq!(live, model.contains_key(&h));
                            if live {
                                model.get_mut(&h).unwrap().push('?');
                            } else {
                                model.retain(|k, _| k.index() != h.index());
                                model.insert(h, value);
                                newest.insert(h.index(), h.generation());
                            }
                        }
                    }
                }
            }
            Op::Detach(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(extra.remove(h), model.remove(&h));
                }
            }
            Op::Get(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(extra.get(h), model.get(&h));
                    assert_eq!(extra.contains(h), model.contains_key(&h));
                }
            }
            Op::Bump(i) => {
                if let Some(h) = pick(&seen, i) {
                    if let Some(v) = extra.get_mut(h) {
                        v.push('!');
                    }
                    if let Some(v) = model.get_mut(&h) {
                        v.push('!');
                    }
                }
            }
            Op::Retain(m) => {
                let m = usize::from(m);
                extra.retain(&mut |h, v| (h.index() + v.len()) % m != 0);
                model.retain(|h, v| (h.index() + v.len()) % m != 0);
            }
            Op::Clear => {
                extra.clear();
                model.clear();
            }
            Op::Walk => {
                let forward = extra.items();
                assert_eq!(forward, extra.items_back());
                if !S::FORGETS {
                    // The dense kind iterates in slot order; the sparse
                    // kind's hash table in none.
                    assert!(forward.windows(2).all(|w| w[0].0.index() < w[1].0.index()));
                }
                assert_eq!(extra.count_mut_back(), model.len());
            }
        }
        if S::FORGETS {
            newest.retain(|index, _| model.keys().any(|k| k.index() == *index));
        }
        assert_eq!(extra.len(), model.len());
    }
    let all: HashMap<_, _> = extra.items().into_iter().collect();
    assert_eq!(all, model);
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 3 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn secondary_pool_matches_a_hash_map(
        ops in prop::collection::vec(op(), 0..if cfg!(miri) { 40 } else { 300 })
    ) {
        run::<SecondaryPool<(), V>>(&ops);
    }

    #[test]
    fn sparse_secondary_pool_matches_a_hash_map(
        ops in prop::collection::vec(op(), 0..if cfg!(miri) { 40 } else { 300 })
    ) {
        run::<SparseSecondaryPool<(), V>>(&ops);
    }
}

#[test]
fn stale_handles_never_see_the_next_occupants_values() {
    let mut primary = Pool::new();
    let mut extra = SecondaryPool::new();
    let old = primary.insert(());
    extra.insert(old, "old").unwrap();
    primary.remove(old);
    let new = primary.insert(());
    assert_eq!(new.index(), old.index());
    extra.insert(new, "new").unwrap();
    assert_eq!(extra.get(old), None);
    assert_eq!(extra.remove(old), None);
    assert_eq!(extra.len(), 1);
    assert!(extra.insert(old, "again").is_err());
    assert_eq!(extra[new], "new");
}

#[test]
fn send_and_sync_follow_the_attached_values() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SecondaryPool<std::rc::Rc<u8>, String>>();
    assert_send_sync::<SecondaryPool<std::cell::Cell<u8>, u64>>();
}

#[test]
fn sparse_pool_refuses_the_index_no_pool_gives_out() {
    let mut extra = SparseSecondaryPool::<(), u8>::new();
    let forged = Handle::<()>::from_bits(u64::MAX).unwrap();
    assert_eq!(
        extra.insert(forged, 1),
        Err(InsertAtError::OutOfBounds {
            value: 1,
            slots: u32::MAX as usize
        })
    );
    assert_eq!(extra.get(forged), None);
    assert_eq!(extra.remove(forged), None);
    let near = Handle::<()>::from_bits(u64::MAX - 1).unwrap();
    extra.insert(near, 2).unwrap();
    assert_eq!(extra[near], 2);
    assert_eq!(extra.get(forged), None);
}
