//! Evaluation and printing of trees, without recursion.
//!
//! Every tree kind (the arena [`Expr`](crate::Expr), and any other tree built
//! through [`NodeBuilder`](crate::NodeBuilder)) shows its nodes through
//! [`Tree`], so one evaluator serves them all.

use std::fmt;

use crate::error::{EvalError, EvalErrorKind};
use crate::expr::BinOp;
use crate::scratch;

/// One node seen from outside: its kind, its children and the 1-based
/// column of its operator.
///
/// ```
/// use arena_pool::Arena;
/// use calc::{BinOp, Tree, View};
///
/// let arena = Arena::new();
/// let expr = calc::parse(&arena, "1 + 2")?;
/// assert!(matches!(expr.view(), View::Binary(BinOp::Add, _, _, 3)));
/// # Ok::<(), calc::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub enum View<'n, N> {
    /// An integer literal.
    Num(i64),
    /// Unary minus: the operand and the column of the `-`.
    Neg(&'n N, u32),
    /// A binary operation: the operator, the operands and the operator's
    /// column.
    Binary(BinOp, &'n N, &'n N, u32),
}

/// A syntax tree that the crate's evaluator and printer can walk, without
/// recursion, whatever its depth: [`Expr`](crate::Expr), or a tree of your
/// own built through [`NodeBuilder`](crate::NodeBuilder).
///
/// ```
/// use calc::{BinOp, Tree, View};
///
/// /// A tree that owns its nodes.
/// enum Node {
///     Num(i64),
///     Add(Box<Node>, Box<Node>),
/// }
///
/// impl Tree for Node {
///     fn view(&self) -> View<'_, Self> {
///         match self {
///             Node::Num(value) => View::Num(*value),
///             Node::Add(lhs, rhs) => View::Binary(BinOp::Add, lhs, rhs, 3),
///         }
///     }
/// }
///
/// let sum = Node::Add(Box::new(Node::Num(40)), Box::new(Node::Num(2)));
/// assert_eq!(sum.eval(), Ok(42));
/// assert_eq!(sum.node_count(), 3);
/// ```
pub trait Tree: Sized {
    /// This node's kind, children and column.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use calc::{Tree, View};
    ///
    /// let arena = Arena::new();
    /// assert!(matches!(calc::parse(&arena, "7")?.view(), View::Num(7)));
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    fn view(&self) -> View<'_, Self>;

    /// Evaluates the tree; see [`Expr::eval`](crate::Expr::eval).
    ///
    /// # Errors
    ///
    /// Returns an [`EvalError`] on overflow or division by zero.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use calc::Tree;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(Tree::eval(calc::parse(&arena, "6 * 7")?), Ok(42));
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    fn eval(&self) -> Result<i64, EvalError> {
        eval(self)
    }

    /// The number of nodes in the tree.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use calc::Tree;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(Tree::node_count(calc::parse(&arena, "-1 * 2")?), 4);
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    fn node_count(&self) -> usize {
        node_count(self)
    }

    /// Writes the tree as an S-expression, as `Expr`'s `Display` does:
    /// `(* (+ 1 2) (- 3))`.
    ///
    /// # Errors
    ///
    /// Fails only if the formatter does.
    ///
    /// ```
    /// use std::fmt;
    ///
    /// use arena_pool::Arena;
    /// use calc::Tree;
    ///
    /// struct Sexpr<'a, T>(&'a T);
    ///
    /// impl<T: Tree> fmt::Display for Sexpr<'_, T> {
    ///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    ///         self.0.write_sexpr(f)
    ///     }
    /// }
    ///
    /// let arena = Arena::new();
    /// let expr = calc::parse(&arena, "1 - -2")?;
    /// assert_eq!(Sexpr(expr).to_string(), "(- 1 (- 2))");
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    fn write_sexpr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_sexpr(self, f)
    }
}

/// Work left to do after the current subtree's value is known.
enum Task<'n, N> {
    /// Save the value as a left operand and evaluate this right operand.
    Right(&'n N),
    /// Negate the value.
    Neg(u32),
    /// Combine the saved left operand with the value.
    Apply(BinOp, u32),
    /// Combine the value with this literal right operand.
    ApplyNum(BinOp, u32, i64),
}

#[inline]
fn apply(op: BinOp, lhs: i64, rhs: i64, column: u32) -> Result<i64, EvalError> {
    match op.checked_apply(lhs, rhs) {
        Some(value) => Ok(value),
        None => Err(EvalError::new(column as usize, failure(op, lhs, rhs))),
    }
}

#[cold]
fn failure(op: BinOp, lhs: i64, rhs: i64) -> EvalErrorKind {
    match (op, rhs) {
        (BinOp::Div, 0) => EvalErrorKind::DivisionByZero,
        (BinOp::Rem, 0) => EvalErrorKind::RemainderByZero,
        _ => EvalErrorKind::Overflow { op, lhs, rhs },
    }
}

/// How deep [`eval`] recurses before it hands a subtree to the explicit-stack
/// evaluator: deep enough for every ordinary expression, shallow enough
/// (a few kilobytes of stack) for any thread.
const RECURSION: u32 = 128;

/// Evaluates `root`, recursing while the tree is shallow (the fast path) and
/// switching to [`eval_deep`] below [`RECURSION`] levels. Either way, the
/// first failing operation in post-order (left, right, operator) is the one
/// reported.
pub(crate) fn eval<N: Tree>(root: &N) -> Result<i64, EvalError> {
    eval_shallow(root, RECURSION)
}

fn eval_shallow<N: Tree>(node: &N, budget: u32) -> Result<i64, EvalError> {
    match node.view() {
        View::Num(value) => Ok(value),
        View::Neg(operand, column) => {
            let value = operand_value(operand, budget)?;
            value.checked_neg().ok_or(EvalError::new(
                column as usize,
                EvalErrorKind::NegationOverflow,
            ))
        }
        View::Binary(op, lhs, rhs, column) => {
            let lhs = operand_value(lhs, budget)?;
            let rhs = operand_value(rhs, budget)?;
            apply(op, lhs, rhs, column)
        }
    }
}

#[inline(always)]
fn operand_value<N: Tree>(node: &N, budget: u32) -> Result<i64, EvalError> {
    match node.view() {
        View::Num(value) => Ok(value),
        _ if budget == 0 => eval_deep(node),
        _ => eval_shallow(node, budget - 1),
    }
}

/// Evaluates `root` without recursion: descends each left spine, leaving
/// the rest of the work on an explicit task stack and left operands on a
/// value stack.
#[inline(never)]
pub(crate) fn eval_deep<N: Tree>(root: &N) -> Result<i64, EvalError> {
    let mut tasks: Vec<Task<'_, N>> = scratch::take(&scratch::EVAL);
    let mut saved: Vec<i64> = scratch::take(&scratch::VALUES);
    let result = run(root, &mut tasks, &mut saved);
    scratch::give(&scratch::EVAL, tasks);
    scratch::give(&scratch::VALUES, saved);
    result
}

fn run<'n, N: Tree>(
    root: &'n N,
    tasks: &mut Vec<Task<'n, N>>,
    saved: &mut Vec<i64>,
) -> Result<i64, EvalError> {
    let mut node = root;
    loop {
        let mut value = loop {
            match node.view() {
                View::Num(value) => break value,
                View::Neg(operand, column) => {
                    tasks.push(Task::Neg(column));
                    node = operand;
                }
                View::Binary(op, lhs, rhs, column) => {
                    match rhs.view() {
                        View::Num(value) => tasks.push(Task::ApplyNum(op, column, value)),
                        _ => {
                            tasks.push(Task::Apply(op, column));
                            tasks.push(Task::Right(rhs));
                        }
                    }
                    node = lhs;
                }
            }
        };
        loop {
            match tasks.pop() {
                None => return Ok(value),
                Some(Task::Right(rhs)) => {
                    saved.push(value);
                    node = rhs;
                    break;
                }
                Some(Task::Neg(column)) => {
                    value = value.checked_neg().ok_or(EvalError::new(
                        column as usize,
                        EvalErrorKind::NegationOverflow,
                    ))?;
                }
                Some(Task::Apply(op, column)) => {
                    // Every `Apply` sits below the `Right` that saved its
                    // left operand.
                    let lhs = saved.pop().unwrap_or_default();
                    value = apply(op, lhs, value, column)?;
                }
                Some(Task::ApplyNum(op, column, rhs)) => {
                    value = apply(op, value, rhs, column)?;
                }
            }
        }
    }
}

/// The number of nodes under (and including) `root`. Shallow trees (almost
/// every line) are counted by bounded recursion and deeper ones on the
/// thread's reused work stack, so counting allocates nothing per line.
pub(crate) fn node_count<N: Tree>(root: &N) -> usize {
    count_shallow(root, RECURSION)
}

fn count_shallow<N: Tree>(node: &N, budget: u32) -> usize {
    match node.view() {
        View::Num(_) => 1,
        _ if budget == 0 => count_deep(node),
        View::Neg(operand, _) => 1 + count_shallow(operand, budget - 1),
        View::Binary(_, lhs, rhs, _) => {
            1 + count_shallow(lhs, budget - 1) + count_shallow(rhs, budget - 1)
        }
    }
}

#[inline(never)]
fn count_deep<N: Tree>(root: &N) -> usize {
    let mut pending: Vec<&N> = scratch::take(&scratch::EVAL);
    pending.push(root);
    let mut count = 0;
    while let Some(node) = pending.pop() {
        count += 1;
        match node.view() {
            View::Num(_) => {}
            View::Neg(operand, _) => pending.push(operand),
            View::Binary(_, lhs, rhs, _) => {
                pending.push(rhs);
                pending.push(lhs);
            }
        }
    }
    scratch::give(&scratch::EVAL, pending);
    count
}

/// Writes `root` as an S-expression: `(+ 1 (- 2))`.
pub(crate) fn write_sexpr<N: Tree>(root: &N, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    enum Item<'n, N> {
        Node(&'n N),
        Text(&'static str),
    }
    let mut pending = vec![Item::Node(root)];
    while let Some(item) = pending.pop() {
        match item {
            Item::Text(text) => f.write_str(text)?,
            Item::Node(node) => match node.view() {
                View::Num(value) => write!(f, "{value}")?,
                View::Neg(operand, _) => {
                    f.write_str("(- ")?;
                    pending.push(Item::Text(")"));
                    pending.push(Item::Node(operand));
                }
                View::Binary(op, lhs, rhs, _) => {
                    write!(f, "({op} ")?;
                    pending.push(Item::Text(")"));
                    pending.push(Item::Node(rhs));
                    pending.push(Item::Text(" "));
                    pending.push(Item::Node(lhs));
                }
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use arena_pool::Arena;

    fn eval(src: &str) -> Result<i64, String> {
        let arena = Arena::new();
        let expr = crate::parse(&arena, src).unwrap();
        expr.eval().map_err(|e| e.to_string())
    }

    #[test]
    fn arithmetic() {
        assert_eq!(eval("1 + 2 * 3"), Ok(7));
        assert_eq!(eval("(1 + 2) * 3"), Ok(9));
        assert_eq!(eval("-7 / 2"), Ok(-3));
        assert_eq!(eval("-7 % 2"), Ok(-1));
        assert_eq!(eval("7 % -2"), Ok(1));
        assert_eq!(eval("100 / 10 / 5"), Ok(2));
        assert_eq!(eval("2 * (3 - (4 / (5 % 3)))"), Ok(2));
        assert_eq!(eval("-9223372036854775807 - 1"), Ok(i64::MIN));
    }

    #[test]
    fn errors_carry_the_operator_column() {
        assert_eq!(eval("7 / 0"), Err("column 3: division by zero".into()));
        assert_eq!(
            eval("1 + 7 % (2 - 2)"),
            Err("column 7: remainder by zero".into())
        );
        assert_eq!(
            eval("(-9223372036854775807 - 1) / -1"),
            Err("column 28: overflow in division: -9223372036854775808 / (-1) does not fit in 64 bits".into())
        );
        assert_eq!(
            eval("(-9223372036854775807 - 1) % -1"),
            Err("column 28: overflow in remainder: -9223372036854775808 % (-1) does not fit in 64 bits".into())
        );
        assert_eq!(
            eval("1 - -(-9223372036854775807 - 1)"),
            Err(
                "column 5: overflow in negation: -(-9223372036854775808) does not fit in 64 bits"
                    .into()
            )
        );
        // The left operand's error comes first.
        assert_eq!(
            eval("(1 / 0) + (1 % 0)"),
            Err("column 4: division by zero".into())
        );
    }

    #[test]
    fn deep_and_shallow_evaluation_agree() {
        let arena = Arena::new();
        for src in [
            "1 + 2 * 3 - -4 % 3",
            "(1 / 0) + (1 % 0)",
            "1 - -(-9223372036854775807 - 1)",
            "((((7)))) * -(2 - 5) / 2",
            "9223372036854775807 + 1 - 1",
        ] {
            let tree = crate::parse(&arena, src).unwrap();
            assert_eq!(super::eval_deep(tree), tree.eval(), "{src}");
        }
        // Past the recursion budget, on both sides of a node.
        let n = 3 * super::RECURSION as usize;
        let left = format!("{}1{}", "(".repeat(n), " + 1)".repeat(n));
        let right = format!("{}1{}", "1 + (".repeat(n), ")".repeat(n));
        let failing = format!("{}1 / 0{}", "2 * (".repeat(n), ")".repeat(n));
        for src in [left, right, failing] {
            let tree = crate::parse(&arena, &src).unwrap();
            assert_eq!(super::eval_deep(tree), tree.eval());
        }
    }

    #[test]
    fn node_counts() {
        let arena = Arena::new();
        assert_eq!(crate::parse(&arena, "1").unwrap().node_count(), 1);
        assert_eq!(
            crate::parse(&arena, "(1 + 2) * -3").unwrap().node_count(),
            6
        );
        // Past the recursion budget, on both sides of a node and under
        // negations: `n` additions of 1 (2 nodes each) around one leaf, and
        // `n` negations (1 node each) around one leaf.
        let n = 3 * super::RECURSION as usize;
        let left = format!("{}1{}", "(".repeat(n), " + 1)".repeat(n));
        let right = format!("{}1{}", "1 + (".repeat(n), ")".repeat(n));
        let negated = format!("{}1", "-".repeat(n));
        for (src, nodes) in [(left, 2 * n + 1), (right, 2 * n + 1), (negated, n + 1)] {
            let tree = crate::parse(&arena, &src).unwrap();
            assert_eq!(tree.node_count(), nodes);
            assert_eq!(super::count_deep(tree), nodes);
        }
    }
}
