//! Drives `Pool` (growing and bounded) and `FixedPool` with random
//! operations and checks each against a `HashMap` model.

#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use arena_pool::{FixedPool, Handle, Pool};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Insert(u16),
    InsertWith(u16),
    Remove(u16),
    Get(u16),
    Append(u16),
    Swap(u16, u16),
    Retain(u8),
    Clear,
    Drain(u8),
    DrainBack(u8),
    Age(u32),
    Compact,
    InsertAt(u16, u16),
    BySlot(u16),
    HandleOf(u16),
}

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    bound: u8,
    ops: Vec<Op>,
}

/// What the model needs of each pool kind.
trait Subject {
    fn try_insert(&mut self, value: String) -> Result<Handle<String>, String>;
    fn insert_with(&mut self, value: String) -> Option<Handle<String>>;
    fn get(&self, h: Handle<String>) -> Option<&String>;
    fn get_mut(&mut self, h: Handle<String>) -> Option<&mut String>;
    fn remove(&mut self, h: Handle<String>) -> Option<String>;
    fn swap(&mut self, a: Handle<String>, b: Handle<String>) -> bool;
    fn retain(&mut self, keep: &mut dyn FnMut(Handle<String>, &mut String) -> bool);
    fn clear(&mut self);
    fn drain_first(&mut self, count: usize) -> Vec<(Handle<String>, String)>;
    fn drain_last(&mut self, count: usize) -> Vec<(Handle<String>, String)>;
    fn compact(&mut self) -> Vec<(Handle<String>, Handle<String>)>;
    fn insert_at(&mut self, h: Handle<String>, value: String) -> Result<Option<String>, String>;
    fn by_slot(&self, index: usize) -> Option<Handle<String>>;
    fn handle_of_value(&self, h: Handle<String>) -> Option<Handle<String>>;
    fn age(&mut self, target: u32);
    fn len(&self) -> usize;
    fn items(&self) -> Vec<(Handle<String>, String)>;
}

macro_rules! subject {
    ($($generics:tt)*) => {
        impl $($generics)* {
            fn try_insert(&mut self, value: String) -> Result<Handle<String>, String> {
                Self::try_insert(self, value).map_err(|full| full.into_value())
            }
            fn insert_with(&mut self, value: String) -> Option<Handle<String>> {
                Self::try_insert_with(self, |_| value).ok()
            }
            fn get(&self, h: Handle<String>) -> Option<&String> {
                Self::get(self, h)
            }
            fn get_mut(&mut self, h: Handle<String>) -> Option<&mut String> {
                Self::get_mut(self, h)
            }
            fn remove(&mut self, h: Handle<String>) -> Option<String> {
                Self::remove(self, h)
            }
            fn swap(&mut self, a: Handle<String>, b: Handle<String>) -> bool {
                match self.get_disjoint_mut([a, b]) {
                    Ok([x, y]) => {
                        std::mem::swap(x, y);
                        true
                    }
                    Err(_) => false,
                }
            }
            fn retain(&mut self, keep: &mut dyn FnMut(Handle<String>, &mut String) -> bool) {
                Self::retain(self, keep)
            }
            fn clear(&mut self) {
                Self::clear(self)
            }
            fn drain_first(&mut self, count: usize) -> Vec<(Handle<String>, String)> {
                self.drain().take(count).collect()
            }
            fn drain_last(&mut self, count: usize) -> Vec<(Handle<String>, String)> {
                self.drain().rev().take(count).collect()
            }
            fn compact(&mut self) -> Vec<(Handle<String>, Handle<String>)> {
                let mut moves = Vec::new();
                Self::compact(self, |old, new| moves.push((old, new)));
                moves
            }
            fn insert_at(
                &mut self,
                h: Handle<String>,
                value: String,
            ) -> Result<Option<String>, String> {
                Self::insert_at(self, h, value).map_err(|e| e.into_value())
            }
            fn by_slot(&self, index: usize) -> Option<Handle<String>> {
                self.get_by_slot(index).map(|(h, _)| h)
            }
            fn handle_of_value(&self, h: Handle<String>) -> Option<Handle<String>> {
                self.handle_of(Self::get(self, h)?)
            }
            fn age(&mut self, target: u32) {
                self.age_vacant_slots(target)
            }
            fn len(&self) -> usize {
                Self::len(self)
            }
            fn items(&self) -> Vec<(Handle<String>, String)> {
                self.iter().map(|(h, v)| (h, v.clone())).collect()
            }
        }
    };
}

subject!(Subject for Pool<String>);
subject!(<const N: usize> Subject for FixedPool<String, N>);

fn run(pool: &mut dyn Subject, ops: &[Op]) {
    let mut model: HashMap<Handle<String>, String> = HashMap::new();
    let mut seen: Vec<Handle<String>> = Vec::new();
    let pick = |seen: &Vec<Handle<String>>, i: u16| {
        (!seen.is_empty()).then(|| seen[usize::from(i) % seen.len()])
    };
    for op in ops {
        match *op {
            Op::Insert(v) => {
                if let Ok(h) = pool.try_insert(v.to_string()) {
                    assert!(!seen.contains(&h), "handle handed out twice");
                    model.insert(h, v.to_string());
                    seen.push(h);
                }
            }
            Op::InsertWith(v) => {
                if let Some(h) = pool.insert_with(v.to_string()) {
                    assert!(!seen.contains(&h), "handle handed out twice");
                    model.insert(h, v.to_string());
                    seen.push(h);
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
                    let ok = pool.swap(a, b);
                    assert_eq!(
                        ok,
                        a != b && model.contains_key(&a) && model.contains_key(&b)
                    );
                    if ok {
                        let va = model.remove(&a).unwrap();
                        let vb = model.insert(b, va).unwrap();
                        model.insert(a, vb);
                    }
                }
            }
            Op::Retain(m) => {
                let m = usize::from(m % 5) + 1;
                pool.retain(&mut |h, v| (h.index() + v.len()) % m != 0);
                model.retain(|h, v| (h.index() + v.len()) % m != 0);
            }
            Op::Clear => {
                pool.clear();
                model.clear();
            }
            Op::Drain(count) => {
                for (h, v) in pool.drain_first(usize::from(count)) {
                    assert_eq!(model.remove(&h), Some(v));
                }
                model.clear();
            }
            Op::Age(target) => pool.age(target),
            Op::DrainBack(count) => {
                for (h, v) in pool.drain_last(usize::from(count)) {
                    assert_eq!(model.remove(&h), Some(v));
                }
                model.clear();
            }
            Op::Compact => {
                for (old, new) in pool.compact() {
                    assert!(!seen.contains(&new), "compact reused a handle");
                    let value = model.remove(&old).expect("moved a live value");
                    model.insert(new, value);
                    seen.push(new);
                }
            }
            Op::InsertAt(i, v) => {
                if let Some(h) = pick(&seen, i) {
                    let live = model.contains_key(&h);
                    match pool.insert_at(h, v.to_string()) {
                        Ok(old) => {
                            assert!(live, "insert_at revived a dead handle");
                            assert_eq!(old, model.insert(h, v.to_string()));
                        }
                        Err(back) => {
                            assert!(!live);
                            assert_eq!(back, v.to_string());
                        }
                    }
                }
            }
            Op::BySlot(i) => {
                if let Some(h) = pick(&seen, i) {
                    match pool.by_slot(h.index()) {
                        Some(found) => assert!(model.contains_key(&found)),
                        None => assert!(!model.contains_key(&h)),
                    }
                }
            }
            Op::HandleOf(i) => {
                if let Some(h) = pick(&seen, i) {
                    let expected = model.contains_key(&h).then_some(h);
                    assert_eq!(pool.handle_of_value(h), expected);
                }
            }
        }
        assert_eq!(pool.len(), model.len());
    }
    for &h in &seen {
        assert_eq!(pool.get(h), model.get(&h));
    }
    assert_eq!(pool.items().into_iter().collect::<HashMap<_, _>>(), model);
}

fuzz_target!(|input: Input| {
    match input.kind % 3 {
        0 => run(&mut Pool::new(), &input.ops),
        1 => run(&mut Pool::bounded(usize::from(input.bound)), &input.ops),
        _ => run(&mut FixedPool::<String, 16>::new(), &input.ops),
    }
});
