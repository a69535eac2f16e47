//! The library against the shared sample, deep nesting, and errors.

use arena_pool::Arena;
use calc::{Error, EvalErrorKind, ParseErrorKind};

/// The sample file: one `expression<TAB>expected` a line, where expected is
/// a value or `error`.
fn sample() -> Vec<(String, Option<i64>)> {
    let text = include_str!("data/sample.tsv");
    text.lines()
        .map(|line| {
            let (expr, expected) = line.split_once('\t').expect("a tab on every line");
            let expected = match expected {
                "error" => None,
                value => Some(value.parse().expect("a value or `error`")),
            };
            (expr.to_owned(), expected)
        })
        // Under Miri, the very long lines (up to 200,000 characters) would
        // take too long; every other line still runs.
        .filter(|(expr, _)| !cfg!(miri) || expr.len() <= 2_000)
        .collect()
}

#[test]
fn sample_passes_in_full() {
    let lines = sample();
    assert!(lines.len() > 390);
    let mut arena = Arena::new();
    for (expr, expected) in &lines {
        let result = calc::parse(&arena, expr)
            .map_err(Error::from)
            .and_then(|tree| Ok(tree.eval()?));
        match (expected, result) {
            (Some(want), Ok(got)) => assert_eq!(*want, got, "{expr}"),
            (None, Err(error)) => assert!(error.column() >= 1, "{expr}"),
            (want, got) => panic!("{expr:.80}: expected {want:?}, got {got:?}"),
        }
        arena.reset();
    }
}

#[test]
fn sample_agrees_with_the_box_tree() {
    let arena = Arena::new();
    for (expr, _) in sample() {
        let boxed = calc_fixtures::boxed::parse(&expr).map(|tree| tree.eval());
        let arena = calc::parse(&arena, &expr).map(|tree| tree.eval());
        assert_eq!(boxed, arena, "{expr:.80}");
    }
}

fn depth() -> usize {
    if cfg!(miri) { 500 } else { 1_000_000 }
}

#[test]
fn a_million_parentheses() {
    let n = depth();
    let src = format!("{}42{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(calc::evaluate(&src), Ok(42));
    let unbalanced = format!("{}42{}", "(".repeat(n), ")".repeat(n - 1));
    let error = calc::evaluate(&unbalanced).unwrap_err();
    assert_eq!(error.column(), 2 * n + 2);
    assert!(matches!(
        error,
        Error::Parse(e) if e.kind() == ParseErrorKind::Unclosed { open_column: 1 }
    ));
}

#[test]
fn a_million_unary_minuses() {
    let n = depth();
    let even = format!("{}7", "-".repeat(n));
    assert_eq!(calc::evaluate(&even), Ok(7));
    let odd = format!("-{even}");
    assert_eq!(calc::evaluate(&odd), Ok(-7));
    let mixed = format!("{}(2)", "-+".repeat(n));
    assert_eq!(calc::evaluate(&mixed), Ok(2));
}

#[test]
fn a_sum_of_a_million_terms() {
    let n = depth();
    let sum = vec!["1"; n].join(" + ");
    assert_eq!(calc::evaluate(&sum), Ok(n as i64));
    let right = format!("{}1{}", "1 - (".repeat(n), ")".repeat(n));
    // 1 - (1 - (1 - ... (1 - 1))): alternates.
    assert_eq!(calc::evaluate(&right), Ok(i64::from(n.is_multiple_of(2))));
    let product = vec!["1"; n].join("*-");
    let sign = if (n - 1).is_multiple_of(2) { 1 } else { -1 };
    assert_eq!(calc::evaluate(&product), Ok(sign));
}

#[test]
fn deep_trees_print_and_count_without_recursion() {
    let n = depth();
    let arena = Arena::new();
    let tree = calc::parse(&arena, &format!("{}1", "-".repeat(n))).unwrap();
    assert_eq!(tree.node_count(), n + 1);
    let printed = tree.to_string();
    assert_eq!(printed.len(), 3 * n + 1 + n);
}

#[test]
fn errors_deep_inside_report_their_column() {
    let n = if cfg!(miri) { 100 } else { 10_000 };
    let src = format!("{}1 / 0{}", "(".repeat(n), ")".repeat(n));
    let error = calc::evaluate(&src).unwrap_err();
    assert_eq!(error.column(), n + 3);
    assert!(matches!(error, Error::Eval(e) if e.kind() == EvalErrorKind::DivisionByZero));
}

#[test]
fn unicode_columns_count_characters() {
    let arena = Arena::new();
    for (src, column) in [("ä", 1), ("1 + ä", 5), ("(1 +\t€)", 6), ("1 2 ü", 3)] {
        assert_eq!(
            calc::parse(&arena, src).unwrap_err().column(),
            column,
            "{src}"
        );
    }
}

#[test]
fn types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<calc::Expr<'static>>();
    assert_send_sync::<calc_fixtures::boxed::BoxExpr>();
    assert_send_sync::<calc::Error>();
}
