//! Random trees, printed with random spacing and redundant parentheses,
//! parse back and evaluate like a direct `i128` evaluation of the tree with
//! range checks; errors agree in kind and column.

use arena_pool::Arena;
use calc::{BinOp, EvalErrorKind};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Tree {
    Num(i64),
    Neg(Box<Tree>),
    Bin(BinOp, Box<Tree>, Box<Tree>),
}

/// What the model says an evaluation gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Value(i64),
    /// The column of the failing operator and what failed.
    Failed(usize, Failure),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    DivisionByZero,
    RemainderByZero,
    Overflow,
}

fn literal() -> impl Strategy<Value = i64> {
    prop_oneof![
        0..10i64,
        0..1_000_000i64,
        0..=i64::MAX,
        Just(i64::MAX),
        Just(1 << 32),
        Just(3_037_000_500), // about the square root of i64::MAX
    ]
}

fn op() -> impl Strategy<Value = BinOp> {
    prop::sample::select(BinOp::ALL.to_vec())
}

fn tree() -> impl Strategy<Value = Tree> {
    literal().prop_map(Tree::Num).prop_recursive(8, 96, 2, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|t| Tree::Neg(Box::new(t))),
            4 => (op(), inner.clone(), inner).prop_map(|(op, l, r)| Tree::Bin(op, Box::new(l), Box::new(r))),
        ]
    })
}

/// Prints a tree with spacing and extra parentheses chosen by `choices`,
/// and evaluates it alongside, in the order the evaluator does.
struct Printer {
    out: String,
    choices: Vec<u8>,
    next: usize,
}

impl Printer {
    fn choice(&mut self) -> u8 {
        let c = self.choices[self.next % self.choices.len()];
        self.next += 1;
        c
    }

    fn space(&mut self) {
        match self.choice() % 8 {
            0 => self.out.push(' '),
            1 => self.out.push_str("  "),
            2 => self.out.push('\t'),
            3 => self.out.push_str(" \t "),
            _ => {}
        }
    }

    fn column(&self) -> usize {
        self.out.len() + 1
    }

    fn print(&mut self, tree: &Tree, needs_parens: bool) -> Outcome {
        let extra = self.choice().is_multiple_of(5);
        let parens = needs_parens || extra;
        self.space();
        if parens {
            self.out.push('(');
            self.space();
        }
        if self.choice().is_multiple_of(7) {
            self.out.push('+');
            self.space();
        }
        let outcome = match tree {
            Tree::Num(value) => {
                if self.choice().is_multiple_of(9) {
                    self.out.push_str("00");
                }
                self.out.push_str(&value.to_string());
                Outcome::Value(*value)
            }
            Tree::Neg(operand) => {
                let column = self.column();
                self.out.push('-');
                let inner = self.print(operand, matches!(**operand, Tree::Bin(..)));
                match inner {
                    Outcome::Value(v) => range(column, -i128::from(v)),
                    failed => failed,
                }
            }
            Tree::Bin(op, lhs, rhs) => {
                let prec = op.precedence();
                let lhs_parens = matches!(**lhs, Tree::Bin(l, ..) if l.precedence() < prec);
                let rhs_parens = matches!(**rhs, Tree::Bin(r, ..) if r.precedence() <= prec);
                let left = self.print(lhs, lhs_parens);
                self.space();
                let column = self.column();
                self.out.push(op.symbol());
                let right = self.print(rhs, rhs_parens);
                match (left, right) {
                    (Outcome::Value(a), Outcome::Value(b)) => model(*op, a, b, column),
                    (Outcome::Value(_), failed) | (failed, _) => failed,
                }
            }
        };
        self.space();
        if parens {
            self.out.push(')');
            self.space();
        }
        outcome
    }
}

fn range(column: usize, value: i128) -> Outcome {
    match i64::try_from(value) {
        Ok(value) => Outcome::Value(value),
        Err(_) => Outcome::Failed(column, Failure::Overflow),
    }
}

/// `a op b` in `i128`, then checked against the range of `i64`. Remainder
/// fails whenever the matching division does, as in Rust.
fn model(op: BinOp, a: i64, b: i64, column: usize) -> Outcome {
    let (a, b) = (i128::from(a), i128::from(b));
    match op {
        BinOp::Add => range(column, a + b),
        BinOp::Sub => range(column, a - b),
        BinOp::Mul => range(column, a * b),
        BinOp::Div if b == 0 => Outcome::Failed(column, Failure::DivisionByZero),
        BinOp::Rem if b == 0 => Outcome::Failed(column, Failure::RemainderByZero),
        BinOp::Div => range(column, a / b),
        BinOp::Rem => match range(column, a / b) {
            Outcome::Value(_) => range(column, a % b),
            failed => failed,
        },
    }
}

fn actual(src: &str, arena: &Arena) -> Outcome {
    let tree = calc::parse(arena, src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    match tree.eval() {
        Ok(value) => Outcome::Value(value),
        Err(error) => {
            let failure = match error.kind() {
                EvalErrorKind::DivisionByZero => Failure::DivisionByZero,
                EvalErrorKind::RemainderByZero => Failure::RemainderByZero,
                EvalErrorKind::Overflow { .. } | EvalErrorKind::NegationOverflow => {
                    Failure::Overflow
                }
                kind => panic!("unknown error kind {kind:?}"),
            };
            Outcome::Failed(error.column(), failure)
        }
    }
}

/// Fewer cases under Miri, and no failure file (Miri has no file system).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 2_000 });
    if cfg!(miri) {
        config.failure_persistence = None;
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn printed_trees_evaluate_like_the_model(
        tree in tree(),
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let mut printer = Printer { out: String::new(), choices, next: 0 };
        let expected = printer.print(&tree, false);
        let src = printer.out;
        let arena = Arena::new();
        prop_assert_eq!(actual(&src, &arena), expected, "{}", src);
        // The tree printed back by the library parses to the same tree.
        let printed = calc::parse(&arena, &src).unwrap().to_string();
        let boxed = calc_fixtures::boxed::parse(&src).unwrap();
        prop_assert_eq!(boxed.to_string(), printed);
    }

    #[test]
    fn arbitrary_text_never_panics(src in "[0-9 +*/%()\\-\t]{0,40}|\\PC{0,20}") {
        let arena = Arena::new();
        let arena_result = calc::parse(&arena, &src).map(|tree| (tree.to_string(), tree.eval()));
        let box_result = calc_fixtures::boxed::parse(&src).map(|tree| (tree.to_string(), tree.eval()));
        prop_assert_eq!(&arena_result, &box_result);
        if let Err(error) = arena_result {
            prop_assert!(error.column() >= 1 && error.column() <= src.chars().count() + 1);
        }
    }
}
