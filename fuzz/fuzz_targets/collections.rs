//! Drives the arena collections (`Vec`, `String`, `Box`, `format!`) with
//! arbitrary operations, in a growing or fixed arena and in scopes, against
//! `std`'s `Vec` and `String`. The fallible (`try_*`) calls must never
//! panic: a fixed arena makes them fail often.

#![no_main]

use arbitrary::Arbitrary;
use arena_pool::Arena;
use arena_pool::collections::{Box, CollectIn, String, Vec};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Push(u16),
    TryPush(u16),
    Pop,
    Insert(u8, u16),
    Remove(u8),
    Truncate(u8),
    Drain(u8, u8),
    Retain(u8),
    Dedup,
    ExtendLying { count: u8, hint: usize },
    TryReserve(usize),
    ShrinkToFit,
    SplitOff(u8),
    Other(u16),
    PushStr(std::string::String),
    TryPushStr(std::string::String),
    PopChar,
    Format(u32),
    Boxed(u16),
    Freeze,
}

#[derive(Arbitrary, Debug)]
struct Input {
    fixed: Option<u16>,
    in_scope: bool,
    ops: std::vec::Vec<Op>,
}

/// Runs `ops`; the panicking calls only where the arena grows (`growing`),
/// the `try_*` calls everywhere.
fn run(arena: &Arena, growing: bool, ops: &[Op]) {
    let mut model: std::vec::Vec<u16> = std::vec::Vec::new();
    let mut ours: Vec<u16> = Vec::new_in(arena);
    let mut text = std::string::String::new();
    let mut string = String::new_in(arena);
    for op in ops {
        match op {
            Op::Push(v) => {
                if growing && ours.try_reserve(1).is_ok() {
                    ours.push(*v);
                    model.push(*v);
                }
            }
            Op::TryPush(v) => {
                if ours.try_push(*v).is_ok() {
                    model.push(*v);
                }
            }
            Op::Pop => assert_eq!(ours.pop(), model.pop()),
            Op::Insert(i, v) => {
                if ours.try_reserve(1).is_ok() {
                    let i = usize::from(*i) % (model.len() + 1);
                    ours.insert(i, *v);
                    model.insert(i, *v);
                }
            }
            Op::Remove(i) if !model.is_empty() => {
                let i = usize::from(*i) % model.len();
                assert_eq!(ours.remove(i), model.remove(i));
            }
            Op::Remove(_) => {}
            Op::Truncate(n) => {
                ours.truncate(usize::from(*n));
                model.truncate(usize::from(*n));
            }
            Op::Drain(a, b) => {
                let len = model.len() + 1;
                let (a, b) = (usize::from(*a) % len, usize::from(*b) % len);
                let (a, b) = (a.min(b), a.max(b));
                let theirs: std::vec::Vec<u16> = model.drain(a..b).collect();
                let mine: std::vec::Vec<u16> = ours.drain(a..b).collect();
                assert_eq!(mine, theirs);
            }
            Op::Retain(m) => {
                let m = u16::from(*m).max(1);
                ours.retain(|x| x % m == 0);
                model.retain(|x| x % m == 0);
            }
            Op::Dedup => {
                ours.dedup();
                model.dedup();
            }
            Op::ExtendLying { count, hint } => {
                // A size hint that lies must not panic or over-allocate; on
                // a fixed arena, stop before the room runs out.
                let room = ours.capacity() - ours.len();
                let count = if growing {
                    usize::from(*count)
                } else {
                    usize::from(*count).min(room)
                };
                let items = Lying {
                    left: count,
                    hint: *hint,
                };
                let before = model.len();
                ours.extend(items);
                model.extend(std::iter::repeat_n(0, count));
                assert_eq!(ours.len(), before + count);
            }
            Op::TryReserve(n) => {
                // Fixed arenas see any size; growing ones a size the test
                // machine can hold (a huge one is the caller's own request).
                let n = if growing { *n % (1 << 20) } else { *n };
                let _ = ours.try_reserve(n);
            }
            Op::ShrinkToFit => ours.shrink_to_fit(),
            Op::SplitOff(at) => {
                if growing {
                    let at = usize::from(*at) % (model.len() + 1);
                    let mut tail = ours.split_off(at);
                    let mut theirs = model.split_off(at);
                    assert_eq!(tail, theirs.as_slice());
                    ours.append(&mut tail);
                    model.append(&mut theirs);
                }
            }
            Op::Other(size) => {
                let _ = arena.try_alloc_bytes_zeroed(usize::from(*size));
            }
            Op::PushStr(s) => {
                if growing {
                    string.push_str(s);
                    text.push_str(s);
                }
            }
            Op::TryPushStr(s) => {
                if string.try_push_str(s).is_ok() {
                    text.push_str(s);
                }
            }
            Op::PopChar => assert_eq!(string.pop(), text.pop()),
            Op::Format(n) => {
                if growing {
                    let s = arena_pool::format!(in arena, "{n}/{}", text.len());
                    assert_eq!(s.as_str(), format!("{n}/{}", text.len()));
                }
            }
            Op::Boxed(v) => {
                if let Ok(b) = Box::try_new_in(
                    std::string::String::from("x").repeat(usize::from(*v % 8)),
                    arena,
                ) {
                    assert_eq!(b.len(), usize::from(*v % 8));
                }
            }
            Op::Freeze => {
                if growing {
                    let frozen: &[u16] = model
                        .iter()
                        .copied()
                        .collect_in::<Vec<u16>>(arena)
                        .into_slice();
                    assert_eq!(frozen, model.as_slice());
                }
            }
        }
        assert_eq!(ours.as_slice(), model.as_slice());
        assert_eq!(string.as_str(), text.as_str());
    }
}

/// Yields `left` items with an arbitrary lower size hint.
struct Lying {
    left: usize,
    hint: usize,
}

impl Iterator for Lying {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        (self.left > 0).then(|| {
            self.left -= 1;
            0
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.hint, None)
    }
}

fuzz_target!(|input: Input| {
    let mut arena = match input.fixed {
        Some(bytes) => Arena::fixed(usize::from(bytes)),
        None => Arena::new(),
    };
    let growing = input.fixed.is_none();
    if input.in_scope {
        arena.scope(|scope| {
            let _ = scope.try_alloc(1u8);
            run(
                arena_pool::collections::ArenaRef::arena(&*scope),
                growing,
                &input.ops,
            );
        });
    } else {
        run(&arena, growing, &input.ops);
    }
});
