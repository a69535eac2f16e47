//! Model-based tests: random operation sequences on `Pool`, a bounded
//! `Pool` and `FixedPool`, checked against a `HashMap<Handle, T>`.

use std::collections::HashMap;

use arena_pool::pool::Entry;
use arena_pool::{FixedPool, Handle, InsertAtError, Pool};
use proptest::prelude::*;

type V = String;

/// The operations every pool kind shares, for the model to drive.
trait Subject {
    const BOUND: Option<usize>;
    fn make() -> Self;
    fn try_insert(&mut self, value: V) -> Result<Handle<V>, V>;
    fn insert_with(&mut self, value: V) -> Result<Handle<V>, V>;
    fn get(&self, h: Handle<V>) -> Option<&V>;
    fn get_mut(&mut self, h: Handle<V>) -> Option<&mut V>;
    fn remove(&mut self, h: Handle<V>) -> Option<V>;
    fn contains(&self, h: Handle<V>) -> bool;
    fn len(&self) -> usize;
    fn retain(&mut self, keep: &mut dyn FnMut(Handle<V>, &mut V) -> bool);
    fn clear(&mut self);
    fn drain_first(&mut self, count: usize) -> Vec<(Handle<V>, V)>;
    fn items(&self) -> Vec<(Handle<V>, V)>;
    fn bump_all(&mut self);
    fn swap_pair(&mut self, a: Handle<V>, b: Handle<V>) -> bool;
    fn next_handle(&self) -> Option<Handle<V>>;
    fn drain_last(&mut self, count: usize) -> Vec<(Handle<V>, V)>;
    /// The items walked backwards, and the keys and values walked both
    /// ways, checked against `items`.
    fn check_walks(&mut self);
    /// Replaces the pool with a copy made by `clone_from` into a pool that
    /// held other values.
    fn recopy(&mut self);
    /// Replaces the pool with what a JSON round trip gives.
    fn round_trip(&mut self);
    /// Shrinks and then reserves exactly `extra` (where the kind can).
    fn resize(&mut self, extra: usize);
    fn get_by_slot(&self, index: usize) -> Option<(Handle<V>, &V)>;
    /// The handle `handle_of` finds for the value `h` reaches.
    fn handle_of_value(&self, h: Handle<V>) -> Option<Handle<V>>;
    fn compact(&mut self) -> Vec<(Handle<V>, Handle<V>)>;
    fn vacant_insert(&mut self, value: V) -> Option<Handle<V>>;
    fn insert_at(&mut self, h: Handle<V>, value: V) -> Result<Option<V>, InsertAtError<V>>;
    /// Through `entry`: appends `?` to the value `h` reaches, or inserts
    /// `value` under `h` when its slot is free; `None` when `entry` refuses.
    fn upsert(&mut self, h: Handle<V>, value: V) -> Option<bool>;
}

/// What every pool kind's walks must agree on.
macro_rules! walks {
    ($pool:expr) => {{
        let pool = $pool;
        let items: Vec<(Handle<V>, V)> = pool.iter().map(|(h, v)| (h, v.clone())).collect();
        let mut back: Vec<(Handle<V>, V)> =
            pool.iter().rev().map(|(h, v)| (h, v.clone())).collect();
        back.reverse();
        assert_eq!(back, items);
        let keys: Vec<Handle<V>> = pool.keys().collect();
        assert_eq!(pool.keys().len(), items.len());
        assert_eq!(keys, items.iter().map(|(h, _)| *h).collect::<Vec<_>>());
        let mut keys_back: Vec<Handle<V>> = pool.keys().rev().collect();
        keys_back.reverse();
        assert_eq!(keys_back, keys);
        let values: Vec<&V> = pool.values().collect();
        assert_eq!(values, items.iter().map(|(_, v)| v).collect::<Vec<_>>());
        assert_eq!(pool.values().rev().count(), items.len());
        assert_eq!(pool.values_mut().len(), items.len());
        assert_eq!(pool.iter_mut().rev().count(), items.len());
    }};
}

macro_rules! subject {
    ($ty:ty, $bound:expr, $make:expr, $resize:expr) => {
        impl Subject for $ty {
            const BOUND: Option<usize> = $bound;
            fn make() -> Self {
                $make
            }
            fn try_insert(&mut self, value: V) -> Result<Handle<V>, V> {
                <$ty>::try_insert(self, value).map_err(|full| full.into_value())
            }
            fn insert_with(&mut self, value: V) -> Result<Handle<V>, V> {
                let mut seen = None;
                let result = <$ty>::try_insert_with(self, |h| {
                    seen = Some(h);
                    value
                });
                match result {
                    Ok(h) => {
                        assert_eq!(seen, Some(h));
                        Ok(h)
                    }
                    Err(full) => Err(full.into_value()(Handle::from_bits(1 << 32).unwrap())),
                }
            }
            fn get(&self, h: Handle<V>) -> Option<&V> {
                <$ty>::get(self, h)
            }
            fn get_mut(&mut self, h: Handle<V>) -> Option<&mut V> {
                <$ty>::get_mut(self, h)
            }
            fn remove(&mut self, h: Handle<V>) -> Option<V> {
                <$ty>::remove(self, h)
            }
            fn contains(&self, h: Handle<V>) -> bool {
                <$ty>::contains(self, h)
            }
            fn len(&self) -> usize {
                <$ty>::len(self)
            }
            fn retain(&mut self, keep: &mut dyn FnMut(Handle<V>, &mut V) -> bool) {
                <$ty>::retain(self, keep)
            }
            fn clear(&mut self) {
                <$ty>::clear(self)
            }
            fn drain_first(&mut self, count: usize) -> Vec<(Handle<V>, V)> {
                self.drain().take(count).collect()
            }
            fn items(&self) -> Vec<(Handle<V>, V)> {
                let iter = self.iter();
                assert_eq!(iter.len(), self.len());
                iter.map(|(h, v)| (h, v.clone())).collect()
            }
            fn bump_all(&mut self) {
                for (_, v) in self.iter_mut() {
                    v.push('+');
                }
            }
            fn swap_pair(&mut self, a: Handle<V>, b: Handle<V>) -> bool {
                match self.get_disjoint_mut([a, b]) {
                    Ok([x, y]) => {
                        std::mem::swap(x, y);
                        true
                    }
                    Err(_) => false,
                }
            }
            fn next_handle(&self) -> Option<Handle<V>> {
                <$ty>::next_handle(self)
            }
            fn drain_last(&mut self, count: usize) -> Vec<(Handle<V>, V)> {
                self.drain().rev().take(count).collect()
            }
            fn check_walks(&mut self) {
                walks!(self)
            }
            fn recopy(&mut self) {
                let mut copy = <$ty>::make();
                let _ = Subject::try_insert(&mut copy, String::from("old"));
                copy.clone_from(self);
                *self = copy;
            }
            fn round_trip(&mut self) {
                let json = serde_json::to_string(&*self).unwrap();
                *self = serde_json::from_str(&json).unwrap();
            }
            fn resize(&mut self, extra: usize) {
                $resize(self, extra)
            }
            fn get_by_slot(&self, index: usize) -> Option<(Handle<V>, &V)> {
                <$ty>::get_by_slot(self, index)
            }
            fn handle_of_value(&self, h: Handle<V>) -> Option<Handle<V>> {
                self.handle_of(<$ty>::get(self, h)?)
            }
            fn compact(&mut self) -> Vec<(Handle<V>, Handle<V>)> {
                let mut moves = Vec::new();
                <$ty>::compact(self, |old, new| moves.push((old, new)));
                moves
            }
            fn vacant_insert(&mut self, value: V) -> Option<Handle<V>> {
                let entry = self.vacant_entry()?;
                let h = entry.handle();
                assert_eq!(*entry.insert(value.clone()), value);
                Some(h)
            }
            fn insert_at(&mut self, h: Handle<V>, value: V) -> Result<Option<V>, InsertAtError<V>> {
                <$ty>::insert_at(self, h, value)
            }
            fn upsert(&mut self, h: Handle<V>, value: V) -> Option<bool> {
                let entry = self.entry(h)?;
                assert_eq!(entry.handle(), h);
                let was_occupied = matches!(entry, Entry::Occupied(_));
                entry.and_modify(|v| v.push('?')).or_insert(value);
                Some(was_occupied)
            }
        }
    };
}

fn resize_pool(pool: &mut Pool<V>, extra: usize) {
    let bound = pool.is_bounded().then(|| pool.capacity());
    pool.shrink_to_fit();
    let before = pool.capacity();
    pool.reserve_exact(extra);
    let free = pool.capacity() - pool.len();
    if bound.is_none() {
        assert!(free == extra || pool.capacity() == before && free >= extra);
    }
}

fn resize_fixed(_: &mut FixedPool<V, 12>, _: usize) {}

subject!(Pool<V>, None, Pool::new(), resize_pool);
subject!(FixedPool<V, 12>, Some(12), FixedPool::new(), resize_fixed);

/// A bounded `Pool`, wrapped so it gets its own bound.
struct Bounded(Pool<V>);

impl Subject for Bounded {
    const BOUND: Option<usize> = Some(9);
    fn make() -> Self {
        Bounded(Pool::bounded(9))
    }
    fn try_insert(&mut self, value: V) -> Result<Handle<V>, V> {
        Subject::try_insert(&mut self.0, value)
    }
    fn insert_with(&mut self, value: V) -> Result<Handle<V>, V> {
        Subject::insert_with(&mut self.0, value)
    }
    fn get(&self, h: Handle<V>) -> Option<&V> {
        self.0.get(h)
    }
    fn get_mut(&mut self, h: Handle<V>) -> Option<&mut V> {
        self.0.get_mut(h)
    }
    fn remove(&mut self, h: Handle<V>) -> Option<V> {
        self.0.remove(h)
    }
    fn contains(&self, h: Handle<V>) -> bool {
        self.0.contains(h)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn retain(&mut self, keep: &mut dyn FnMut(Handle<V>, &mut V) -> bool) {
        Subject::retain(&mut self.0, keep)
    }
    fn clear(&mut self) {
        self.0.clear()
    }
    fn drain_first(&mut self, count: usize) -> Vec<(Handle<V>, V)> {
        Subject::drain_first(&mut self.0, count)
    }
    fn items(&self) -> Vec<(Handle<V>, V)> {
        Subject::items(&self.0)
    }
    fn bump_all(&mut self) {
        Subject::bump_all(&mut self.0)
    }
    fn swap_pair(&mut self, a: Handle<V>, b: Handle<V>) -> bool {
        Subject::swap_pair(&mut self.0, a, b)
    }
    fn next_handle(&self) -> Option<Handle<V>> {
        self.0.next_handle()
    }
    fn drain_last(&mut self, count: usize) -> Vec<(Handle<V>, V)> {
        Subject::drain_last(&mut self.0, count)
    }
    fn check_walks(&mut self) {
        Subject::check_walks(&mut self.0)
    }
    fn recopy(&mut self) {
        let mut copy = Pool::bounded(9);
        copy.insert(String::from("old"));
        copy.clone_from(&self.0);
        assert!(copy.is_bounded());
        self.0 = copy;
    }
    fn round_trip(&mut self) {
        Subject::round_trip(&mut self.0);
        assert!(self.0.is_bounded());
    }
    fn resize(&mut self, extra: usize) {
        Subject::resize(&mut self.0, extra)
    }
    fn get_by_slot(&self, index: usize) -> Option<(Handle<V>, &V)> {
        self.0.get_by_slot(index)
    }
    fn handle_of_value(&self, h: Handle<V>) -> Option<Handle<V>> {
        Subject::handle_of_value(&self.0, h)
    }
    fn compact(&mut self) -> Vec<(Handle<V>, Handle<V>)> {
        Subject::compact(&mut self.0)
    }
    fn vacant_insert(&mut self, value: V) -> Option<Handle<V>> {
        Subject::vacant_insert(&mut self.0, value)
    }
    fn insert_at(&mut self, h: Handle<V>, value: V) -> Result<Option<V>, InsertAtError<V>> {
        self.0.insert_at(h, value)
    }
    fn upsert(&mut self, h: Handle<V>, value: V) -> Option<bool> {
        Subject::upsert(&mut self.0, h, value)
    }
}

#[derive(Clone, Debug)]
enum Op {
    Insert(u16),
    InsertWith(u16),
    /// Picks among every handle seen so far, live or stale.
    Remove(usize),
    Get(usize),
    Append(usize),
    Swap(usize, usize),
    Retain(u8),
    Clear,
    Drain(usize),
    DrainBack(usize),
    BumpAll,
    Walks,
    Recopy,
    RoundTrip,
    Resize(usize),
    BySlot(usize),
    HandleOf(usize),
    Compact,
    VacantInsert(u16),
    /// Puts a value back under a handle seen before.
    InsertAt(usize, u16),
    /// Puts a value under a handle no pool gave out, `k` slots past the
    /// highest index seen.
    InsertAtFresh(usize, u16),
    /// Through `entry`, on a handle seen before or the next one.
    Upsert(usize, bool, u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => any::<u16>().prop_map(Op::Insert),
        2 => any::<u16>().prop_map(Op::InsertWith),
        5 => any::<usize>().prop_map(Op::Remove),
        4 => any::<usize>().prop_map(Op::Get),
        2 => any::<usize>().prop_map(Op::Append),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Swap(a, b)),
        1 => (1u8..5).prop_map(Op::Retain),
        1 => Just(Op::Clear),
        1 => (0usize..4).prop_map(Op::Drain),
        1 => Just(Op::BumpAll),
        1 => (0usize..4).prop_map(Op::DrainBack),
        1 => Just(Op::Walks),
        1 => Just(Op::Recopy),
        1 => Just(Op::RoundTrip),
        1 => (0usize..6).prop_map(Op::Resize),
        1 => any::<usize>().prop_map(Op::BySlot),
        1 => any::<usize>().prop_map(Op::HandleOf),
        1 => Just(Op::Compact),
        2 => any::<u16>().prop_map(Op::VacantInsert),
        2 => (any::<usize>(), any::<u16>()).prop_map(|(i, v)| Op::InsertAt(i, v)),
        1 => (0usize..3, any::<u16>()).prop_map(|(k, v)| Op::InsertAtFresh(k, v)),
        2 => (any::<usize>(), any::<bool>(), any::<u16>()).prop_map(|(i, n, v)| Op::Upsert(i, n, v)),
    ]
}

fn run<S: Subject>(ops: &[Op]) {
    let mut pool = S::make();
    let mut model: HashMap<Handle<V>, V> = HashMap::new();
    let mut seen: Vec<Handle<V>> = Vec::new();
    let pick = |seen: &Vec<Handle<V>>, i: usize| (!seen.is_empty()).then(|| seen[i % seen.len()]);
    for op in ops {
        match *op {
            Op::Insert(v) | Op::InsertWith(v) => {
                let value = v.to_string();
                let next = pool.next_handle();
                let result = if matches!(op, Op::Insert(_)) {
                    pool.try_insert(value.clone())
                } else {
                    pool.insert_with(value.clone())
                };
                match result {
                    Ok(h) => {
                        assert_eq!(next, Some(h), "next_handle foretold another handle");
                        assert!(!seen.contains(&h), "handle {h:?} handed out twice");
                        assert!(model.insert(h, value).is_none());
                        seen.push(h);
                    }
                    Err(back) => {
                        assert_eq!(next, None);
                        assert_eq!(back, value);
                        assert_eq!(Some(model.len()), S::BOUND, "refused while not full");
                    }
                }
            }
            Op::Remove(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(pool.remove(h), model.remove(&h));
                }
            }
            Op::Get(i) => {
                if let Some(h) = pick(&seen, i) {
                    assert_eq!(pool.get(h), model.get(&h));
                    assert_eq!(pool.contains(h), model.contains_key(&h));
                }
            }
            Op::Append(i) => {
                if let Some(h) = pick(&seen, i) {
                    if let Some(v) = pool.get_mut(h) {
                        v.push('!');
                    }
                    if let Some(v) = model.get_mut(&h) {
                        v.push('!');
                    }
                }
            }
            Op::Swap(a, b) => {
                if let (Some(a), Some(b)) = (pick(&seen, a), pick(&seen, b)) {
                    let ok = pool.swap_pair(a, b);
                    let expected = a != b && model.contains_key(&a) && model.contains_key(&b);
                    assert_eq!(ok, expected);
                    if ok {
                        let va = model.remove(&a).unwrap();
                        let vb = model.insert(b, va).unwrap();
                        model.insert(a, vb);
                    }
                }
            }
            Op::Retain(m) => {
                let m = usize::from(m);
                let mut visited = 0;
                pool.retain(&mut |h, v| {
                    visited += 1;
                    assert_eq!(model.get(&h), Some(&*v));
                    (h.index() + v.len()) % m != 0
                });
                assert_eq!(visited, model.len());
                model.retain(|h, v| (h.index() + v.len()) % m != 0);
            }
            Op::Clear => {
                pool.clear();
                model.clear();
            }
            Op::Drain(count) => {
                let drained = pool.drain_first(count);
                assert!(drained.len() <= count);
                let mut last = None;
                for (h, v) in drained {
                    assert!(last < Some(h.index()), "drain goes in slot order");
                    last = Some(h.index());
                    assert_eq!(model.remove(&h), Some(v));
                }
                model.clear();
            }
            Op::BumpAll => {
                pool.bump_all();
                model.values_mut().for_each(|v| v.push('+'));
            }
            Op::DrainBack(count) => {
                let drained = pool.drain_last(count);
                assert!(drained.len() <= count);
                let mut last = None;
                for (h, v) in drained {
                    assert!(
                        last.is_none_or(|l| l > h.index()),
                        "backwards in slot order"
                    );
                    last = Some(h.index());
                    assert_eq!(model.remove(&h), Some(v));
                }
                model.clear();
            }
            Op::Walks => pool.check_walks(),
            Op::Recopy => pool.recopy(),
            Op::RoundTrip => pool.round_trip(),
            Op::Resize(extra) => pool.resize(extra),
            Op::BySlot(i) => {
                if let Some(h) = pick(&seen, i) {
                    match pool.get_by_slot(h.index()) {
                        Some((found, v)) => assert_eq!(model.get(&found), Some(v)),
                        None => assert!(model.keys().all(|k| k.index() != h.index())),
                    }
                    if model.contains_key(&h) {
                        assert_eq!(pool.get_by_slot(h.index()).map(|(k, _)| k), Some(h));
                    }
                }
            }
            Op::HandleOf(i) => {
                if let Some(h) = pick(&seen, i) {
                    let expected = model.contains_key(&h).then_some(h);
                    assert_eq!(pool.handle_of_value(h), expected);
                }
            }
            Op::Compact => {
                for (old, new) in pool.compact() {
                    assert!(new.index() < old.index(), "values move towards the start");
                    assert!(!seen.contains(&new), "compact reused handle {new:?}");
                    let value = model.remove(&old).expect("moved a live value");
                    model.insert(new, value);
                    seen.push(new);
                }
            }
            Op::VacantInsert(v) => {
                let value = v.to_string();
                match pool.vacant_insert(value.clone()) {
                    Some(h) => {
                        assert!(!seen.contains(&h), "handle {h:?} handed out twice");
                        model.insert(h, value);
                        seen.push(h);
                    }
                    None => assert_eq!(Some(model.len()), S::BOUND),
                }
            }
            Op::InsertAt(i, v) => {
                if let Some(h) = pick(&seen, i) {
                    let value = v.to_string();
                    match pool.insert_at(h, value.clone()) {
                        Ok(old) => {
                            assert_eq!(old, model.insert(h, value));
                            assert!(old.is_some(), "revived the dead handle {h:?}");
                        }
                        Err(InsertAtError::Stale { value: back }) => {
                            assert_eq!(back, value);
                            assert!(!model.contains_key(&h));
                        }
                        Err(other) => panic!("{other}"),
                    }
                }
            }
            Op::Upsert(i, next, v) => {
                let h = if next {
                    pool.next_handle()
                } else {
                    pick(&seen, i)
                };
                if let Some(h) = h {
                    let value = v.to_string();
                    match pool.upsert(h, value.clone()) {
                        Some(true) => model.get_mut(&h).expect("was live").push('?'),
                        Some(false) => {
                            assert!(!seen.contains(&h), "entry revived {h:?}");
                            model.insert(h, value);
                            seen.push(h);
                        }
                        None => assert!(!model.contains_key(&h) && seen.contains(&h)),
                    }
                }
            }
            Op::InsertAtFresh(k, v) => {
                let index = seen.iter().map(|h| h.index() + 1).max().unwrap_or(0) + k;
                let h = Handle::from_bits(1 << 32 | index as u64).unwrap();
                let value = v.to_string();
                match pool.insert_at(h, value.clone()) {
                    Ok(old) => {
                        assert_eq!(old, None);
                        assert!(S::BOUND.is_none_or(|bound| index < bound));
                        model.insert(h, value);
                        seen.push(h);
                    }
                    Err(InsertAtError::OutOfBounds { .. }) => {
                        assert!(S::BOUND.is_some_and(|bound| index >= bound));
                    }
                    Err(other) => panic!("{other}"),
                }
            }
        }
        assert_eq!(pool.len(), model.len());
    }
    for &h in &seen {
        assert_eq!(pool.get(h), model.get(&h));
    }
    let items = pool.items();
    assert!(items.windows(2).all(|w| w[0].0.index() < w[1].0.index()));
    assert_eq!(items.into_iter().collect::<HashMap<_, _>>(), model);
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 3 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 0..if cfg!(miri) { 30 } else { 300 })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn growing_pool_matches_a_hash_map(ops in ops()) {
        run::<Pool<V>>(&ops);
    }

    #[test]
    fn bounded_pool_matches_a_hash_map(ops in ops()) {
        run::<Bounded>(&ops);
    }

    #[test]
    fn fixed_pool_matches_a_hash_map(ops in ops()) {
        run::<FixedPool<V, 12>>(&ops);
    }
}
