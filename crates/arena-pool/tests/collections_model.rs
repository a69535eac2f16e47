//! Model-based tests: random operation sequences on the arena `Vec` and
//! `String` against `std`'s, with other arena allocations in between so that
//! both in-place growth and copying growth happen. Values own heap memory, so
//! Miri reports any value dropped twice or never.

use arena_pool::Arena;
use arena_pool::collections::{String, Vec};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum VecOp {
    Push(u16),
    Pop,
    Insert(usize, u16),
    Remove(usize),
    SwapRemove(usize),
    Truncate(usize),
    Clear,
    RetainEven,
    Drain(usize, usize),
    SplitOffAppend(usize),
    Dedup,
    Resize(usize, u16),
    ExtendFromSlice(std::vec::Vec<u16>),
    Reserve(usize),
    /// Another allocation, so the vector is no longer the last block.
    Other(usize),
    Clone,
    ShrinkToFit,
}

fn vec_op() -> impl Strategy<Value = VecOp> {
    prop_oneof![
        8 => any::<u16>().prop_map(VecOp::Push),
        2 => Just(VecOp::Pop),
        2 => (any::<usize>(), any::<u16>()).prop_map(|(i, v)| VecOp::Insert(i, v)),
        2 => any::<usize>().prop_map(VecOp::Remove),
        1 => any::<usize>().prop_map(VecOp::SwapRemove),
        1 => (0usize..40).prop_map(VecOp::Truncate),
        1 => Just(VecOp::Clear),
        1 => Just(VecOp::RetainEven),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| VecOp::Drain(a, b)),
        1 => any::<usize>().prop_map(VecOp::SplitOffAppend),
        1 => Just(VecOp::Dedup),
        1 => (0usize..60, any::<u16>()).prop_map(|(n, v)| VecOp::Resize(n, v)),
        2 => proptest::collection::vec(0u16..4, 0..20).prop_map(VecOp::ExtendFromSlice),
        1 => (0usize..100).prop_map(VecOp::Reserve),
        3 => (1usize..600).prop_map(VecOp::Other),
        1 => Just(VecOp::Clone),
        1 => Just(VecOp::ShrinkToFit),
    ]
}

/// A value that owns heap memory.
fn item(v: u16) -> std::string::String {
    (v % 7).to_string()
}

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(if cfg!(miri) { 5 } else { 512 });
    if cfg!(miri) {
        config.failure_persistence = None;
    }
    config
}

fn ops_len() -> std::ops::Range<usize> {
    if cfg!(miri) { 0..40 } else { 0..200 }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn vec_matches_std(ops in proptest::collection::vec(vec_op(), ops_len()), fixed in any::<bool>()) {
        let arena = if fixed { Arena::fixed(1 << 16) } else { Arena::new() };
        let mut model: std::vec::Vec<std::string::String> = std::vec::Vec::new();
        let mut ours: Vec<std::string::String> = Vec::new_in(&arena);
        for op in ops {
            match op {
                VecOp::Push(v) => {
                    model.push(item(v));
                    ours.push(item(v));
                }
                VecOp::Pop => prop_assert_eq!(ours.pop(), model.pop()),
                VecOp::Insert(i, v) => {
                    let i = i % (model.len() + 1);
                    model.insert(i, item(v));
                    ours.insert(i, item(v));
                }
                VecOp::Remove(i) if !model.is_empty() => {
                    let i = i % model.len();
                    prop_assert_eq!(ours.remove(i), model.remove(i));
                }
                VecOp::SwapRemove(i) if !model.is_empty() => {
                    let i = i % model.len();
                    prop_assert_eq!(ours.swap_remove(i), model.swap_remove(i));
                }
                VecOp::Remove(_) | VecOp::SwapRemove(_) => {}
                VecOp::Truncate(n) => {
                    model.truncate(n);
                    ours.truncate(n);
                }
                VecOp::Clear => {
                    model.clear();
                    ours.clear();
                }
                VecOp::RetainEven => {
                    model.retain(|s| s.parse::<u8>().unwrap() % 2 == 0);
                    ours.retain(|s| s.parse::<u8>().unwrap() % 2 == 0);
                }
                VecOp::Drain(a, b) => {
                    let (a, b) = (a % (model.len() + 1), b % (model.len() + 1));
                    let (a, b) = (a.min(b), a.max(b));
                    let theirs: std::vec::Vec<_> = model.drain(a..b).collect();
                    let mut drain = ours.drain(a..b);
                    // Yield only some values; the rest drop with the drain.
                    let first = drain.next();
                    prop_assert_eq!(first.as_ref(), theirs.first());
                    prop_assert_eq!(drain.as_slice(), theirs.get(1..).unwrap_or(&[]));
                }
                VecOp::SplitOffAppend(at) => {
                    let at = at % (model.len() + 1);
                    let mut theirs = model.split_off(at);
                    let mut tail = ours.split_off(at);
                    prop_assert_eq!(tail.as_slice(), theirs.as_slice());
                    arena.alloc(0u8);
                    ours.append(&mut tail);
                    model.append(&mut theirs);
                    prop_assert!(tail.is_empty());
                }
                VecOp::Dedup => {
                    model.dedup();
                    ours.dedup();
                }
                VecOp::Resize(n, v) => {
                    model.resize(n, item(v));
                    ours.resize(n, item(v));
                }
                VecOp::ExtendFromSlice(values) => {
                    let values: std::vec::Vec<_> = values.into_iter().map(item).collect();
                    model.extend_from_slice(&values);
                    ours.extend_from_slice(&values);
                }
                VecOp::Reserve(n) => {
                    ours.reserve(n);
                    prop_assert!(ours.capacity() >= ours.len() + n);
                }
                VecOp::Other(size) => {
                    arena.alloc_slice_fill_with(size, |i| i as u8);
                }
                VecOp::ShrinkToFit => {
                    ours.shrink_to_fit();
                    ours.reserve(1);
                }
                VecOp::Clone => {
                    let copy = ours.clone();
                    prop_assert_eq!(copy.as_slice(), model.as_slice());
                }
            }
            prop_assert_eq!(ours.as_slice(), model.as_slice());
            prop_assert!(ours.len() <= ours.capacity());
        }
        let frozen = ours.into_slice();
        prop_assert_eq!(&*frozen, model.as_slice());
        // Frozen values are never dropped; drop them here so Miri's leak
        // check sees only real leaks.
        for value in frozen.iter_mut() {
            drop(std::mem::take(value));
        }
    }
}

#[derive(Clone, Debug)]
enum StringOp {
    Push(char),
    PushStr(std::string::String),
    InsertStr(usize, std::string::String),
    Pop,
    Remove(usize),
    Truncate(usize),
    RetainAscii,
    SplitOff(usize),
    Other(usize),
    Format(u32),
}

fn string_op() -> impl Strategy<Value = StringOp> {
    prop_oneof![
        6 => any::<char>().prop_map(StringOp::Push),
        4 => "[a-zé€😀]{0,12}".prop_map(StringOp::PushStr),
        2 => (any::<usize>(), "[a-zé]{0,5}").prop_map(|(i, s)| StringOp::InsertStr(i, s)),
        2 => Just(StringOp::Pop),
        1 => any::<usize>().prop_map(StringOp::Remove),
        1 => any::<usize>().prop_map(StringOp::Truncate),
        1 => Just(StringOp::RetainAscii),
        1 => any::<usize>().prop_map(StringOp::SplitOff),
        2 => (1usize..300).prop_map(StringOp::Other),
        2 => any::<u32>().prop_map(StringOp::Format),
    ]
}

/// The character boundary at or before `i % (len + 1)`.
fn boundary(s: &str, i: usize) -> usize {
    let mut i = i % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn string_matches_std(ops in proptest::collection::vec(string_op(), ops_len())) {
        use std::fmt::Write as _;
        let arena = Arena::new();
        let mut model = std::string::String::new();
        let mut ours = String::new_in(&arena);
        for op in ops {
            match op {
                StringOp::Push(c) => {
                    model.push(c);
                    ours.push(c);
                }
                StringOp::PushStr(s) => {
                    model.push_str(&s);
                    ours.push_str(&s);
                }
                StringOp::InsertStr(i, s) => {
                    let i = boundary(&model, i);
                    model.insert_str(i, &s);
                    ours.insert_str(i, &s);
                }
                StringOp::Pop => prop_assert_eq!(ours.pop(), model.pop()),
                StringOp::Remove(i) if !model.is_empty() => {
                    let mut i = boundary(&model, i);
                    if i == model.len() {
                        i = boundary(&model, i - 1);
                    }
                    prop_assert_eq!(ours.remove(i), model.remove(i));
                }
                StringOp::Remove(_) => {}
                StringOp::Truncate(i) => {
                    let i = boundary(&model, i);
                    model.truncate(i);
                    ours.truncate(i);
                }
                StringOp::RetainAscii => {
                    model.retain(|c| c.is_ascii());
                    ours.retain(|c| c.is_ascii());
                }
                StringOp::SplitOff(i) => {
                    let i = boundary(&model, i);
                    let theirs = model.split_off(i);
                    let tail = ours.split_off(i);
                    prop_assert_eq!(tail.as_str(), theirs.as_str());
                    ours.push_str(&tail);
                    model.push_str(&theirs);
                }
                StringOp::Other(size) => {
                    arena.alloc_slice_fill_with(size, |i| i as u8);
                }
                StringOp::Format(n) => {
                    write!(model, "<{n:x}>").unwrap();
                    write!(ours, "<{n:x}>").unwrap();
                    let formatted = arena_pool::format!(in &arena, "{n}:{model}");
                    prop_assert_eq!(formatted.as_str(), std::format!("{n}:{model}"));
                }
            }
            prop_assert_eq!(ours.as_str(), model.as_str());
        }
        prop_assert_eq!(ours.into_str(), model.as_str());
    }
}
