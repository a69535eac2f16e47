//! `calc/*` cases: parsing and evaluating integer expressions.
//!
//! `calc/parse-eval`: one operation is one line of a generated corpus of
//! mixed expressions (about 110 bytes and 38 syntax-tree nodes a line on
//! average, some of them dividing by zero or overflowing), parsed and
//! evaluated. A full run walks about 100 MB of lines per sample; `--quick`
//! about 2 MB. The corpus is generated once, untimed, and shared by every
//! contender.
//!
//! - `arena-pool`: `calc::parse` building the tree in an `Arena`, reset
//!   after each line (so the tree's memory is reused while still in cache);
//! - `box`: the same parser (through `calc::parse_with`) building a tree of
//!   `Box`es, dropped after each line;
//! - `evalexpr`: `evalexpr::eval` on the same line.

use std::cell::RefCell;
use std::hint::black_box;
use std::ops::Range;
use std::rc::Rc;

use arena_pool::Arena;
use calc_fixtures::corpus::Lines;

use crate::{Case, Contender, Run};

/// Lines per sample in a full run: about 100 MB.
const FULL_LINES: u64 = 900_000;

/// Lines per sample with `--quick`: about 2 MB.
const QUICK_LINES: u64 = 18_000;

/// The generated lines, in one string.
pub struct Corpus {
    text: String,
    lines: Vec<Range<usize>>,
}

impl Corpus {
    /// The first `count` lines of the corpus.
    pub fn generate(count: usize) -> Self {
        let mut text = String::new();
        let mut lines = Vec::with_capacity(count);
        let mut generator = Lines::new(0x5EED);
        for _ in 0..count {
            let start = text.len();
            generator.write_line(&mut text);
            lines.push(start..text.len());
        }
        Self { text, lines }
    }

    /// Line `i`, cycling when `i` is past the end.
    #[inline]
    pub fn line(&self, i: u64) -> &str {
        let range = &self.lines[(i % self.lines.len() as u64) as usize];
        &self.text[range.clone()]
    }

    /// The total length of the lines, in bytes.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }
}

thread_local! {
    static CORPUS: RefCell<Option<Rc<Corpus>>> = const { RefCell::new(None) };
}

/// The corpus for samples of `ops` lines: a quick run's lines, or a full
/// run's when `ops` needs more (its size depends on nothing else, so
/// instruction counts at two values of `ops` differ by the timed work
/// alone). Generated on first use and kept for later samples.
fn corpus(ops: u64) -> Rc<Corpus> {
    let wanted = if ops <= QUICK_LINES {
        QUICK_LINES
    } else {
        FULL_LINES
    } as usize;
    CORPUS.with(|cell| {
        let mut cached = cell.borrow_mut();
        match &*cached {
            Some(corpus) if corpus.lines.len() >= wanted => Rc::clone(corpus),
            _ => {
                let corpus = Rc::new(Corpus::generate(wanted));
                *cached = Some(Rc::clone(&corpus));
                corpus
            }
        }
    })
}

fn arena_pool(ops: u64) -> Run {
    let corpus = corpus(ops);
    let mut arena = Arena::new();
    Box::new(move || {
        for i in 0..ops {
            let result = calc::parse(&arena, corpus.line(i)).map(|tree| tree.eval());
            black_box(result.ok());
            arena.reset();
        }
    })
}

fn boxed(ops: u64) -> Run {
    let corpus = corpus(ops);
    Box::new(move || {
        for i in 0..ops {
            let result = calc_fixtures::boxed::parse(corpus.line(i)).map(|tree| tree.eval());
            black_box(result.ok());
        }
    })
}

fn evalexpr(ops: u64) -> Run {
    let corpus = corpus(ops);
    Box::new(move || {
        for i in 0..ops {
            black_box(evalexpr::eval(corpus.line(i)).ok());
        }
    })
}

/// The `calc` group.
pub fn cases() -> Vec<Case> {
    vec![
        Case::new(
            "calc/parse-eval",
            FULL_LINES,
            vec![
                Contender::new("arena-pool", arena_pool),
                Contender::new("box", boxed),
                Contender::new("evalexpr", evalexpr),
            ],
        )
        .quick_ops(QUICK_LINES),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contender_computes_the_same_results() {
        let corpus = Corpus::generate(3_000);
        let arena = Arena::new();
        let mut errors = 0;
        for i in 0..corpus.lines.len() as u64 {
            let line = corpus.line(i);
            let ours = calc::parse(&arena, line).unwrap().eval().ok();
            let boxed = calc_fixtures::boxed::parse(line).unwrap().eval().ok();
            let theirs = evalexpr::eval(line)
                .ok()
                .map(|value| value.as_int().unwrap());
            assert_eq!(ours, boxed, "{line}");
            assert_eq!(ours, theirs, "{line}");
            errors += usize::from(ours.is_none());
        }
        // Mostly values, with some errors in the mix.
        assert!(
            errors > 0 && errors < corpus.lines.len() / 5,
            "{errors} errors"
        );
    }

    #[test]
    fn a_full_sample_is_about_100_megabytes() {
        let sample = Corpus::generate(FULL_LINES as usize / 100);
        let full = sample.bytes() * 100;
        assert!((90_000_000..=115_000_000).contains(&full), "{full} bytes");
    }
}
