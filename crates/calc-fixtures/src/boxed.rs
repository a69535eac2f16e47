//! The same syntax tree built from `Box`es: one heap allocation per node.
//!
//! It shares the parser and evaluator with the arena tree, and exists to
//! compare the two ways of allocating a tree.
//!
//! ```
//! let expr = calc_fixtures::boxed::parse("(1 + 2) * 3")?;
//! assert_eq!(expr.eval(), Ok(9));
//! assert_eq!(expr.to_string(), "(* (+ 1 2) 3)");
//! # Ok::<(), calc::ParseError>(())
//! ```

use std::fmt;
use std::mem;

use calc::{BinOp, EvalError, NodeBuilder, ParseError, Tree, View, parse_with};

/// A syntax tree node owning its children through `Box`.
///
/// The fields mean the same as [`Expr`](calc::Expr)'s. Dropping a tree
/// frees it with an explicit stack, so even a very deep one drops without
/// recursion.
///
/// ```
/// use calc::BinOp;
/// use calc_fixtures::boxed::BoxExpr;
///
/// let sum = BoxExpr::Binary {
///     op: BinOp::Add,
///     lhs: Box::new(BoxExpr::Num(1)),
///     rhs: Box::new(BoxExpr::Num(2)),
///     column: 3,
/// };
/// assert_eq!(sum.eval(), Ok(3));
/// ```
pub enum BoxExpr {
    /// An integer literal.
    Num(i64),
    /// Unary minus.
    Neg {
        /// The negated expression.
        operand: Box<BoxExpr>,
        /// The column of the `-`.
        column: u32,
    },
    /// A binary operation.
    Binary {
        /// The operator.
        op: BinOp,
        /// The left operand.
        lhs: Box<BoxExpr>,
        /// The right operand.
        rhs: Box<BoxExpr>,
        /// The column of the operator.
        column: u32,
    },
}

impl BoxExpr {
    /// Evaluates the tree; see [`Expr::eval`](calc::Expr::eval).
    ///
    /// # Errors
    ///
    /// Returns an [`EvalError`] on overflow or division by zero.
    ///
    /// ```
    /// assert_eq!(calc_fixtures::boxed::parse("7 % -2")?.eval(), Ok(1));
    /// assert!(calc_fixtures::boxed::parse("7 % 0")?.eval().is_err());
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    pub fn eval(&self) -> Result<i64, EvalError> {
        Tree::eval(self)
    }

    /// The number of nodes in the tree.
    ///
    /// ```
    /// assert_eq!(calc_fixtures::boxed::parse("-1 * 2")?.node_count(), 4);
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    #[must_use]
    pub fn node_count(&self) -> usize {
        Tree::node_count(self)
    }
}

/// How deep [`dismantle`] recurses before it leaves subtrees to the caller's
/// explicit stack.
const DROP_RECURSION: u32 = 64;

/// Takes `node` apart: moves each non-literal child's contents out of its
/// box (leaving a literal there) and frees them, recursing at most
/// [`DROP_RECURSION`] levels and pushing deeper subtrees on `deeper`.
fn dismantle(node: &mut BoxExpr, depth: u32, deeper: &mut Vec<BoxExpr>) {
    let mut visit = |child: &mut BoxExpr| {
        if matches!(child, BoxExpr::Num(_)) {
            return;
        }
        let mut inner = mem::replace(child, BoxExpr::Num(0));
        if depth < DROP_RECURSION {
            // `inner` drops at the end of this call, its children already
            // literals.
            dismantle(&mut inner, depth + 1, deeper);
        } else {
            deeper.push(inner);
        }
    };
    match node {
        BoxExpr::Num(_) => {}
        BoxExpr::Neg { operand, .. } => visit(operand),
        BoxExpr::Binary { lhs, rhs, .. } => {
            visit(lhs);
            visit(rhs);
        }
    }
}

impl Drop for BoxExpr {
    fn drop(&mut self) {
        let mut deeper = Vec::new();
        dismantle(self, 0, &mut deeper);
        while let Some(mut node) = deeper.pop() {
            // `node` drops at the end of this turn, its children already
            // literals.
            dismantle(&mut node, 0, &mut deeper);
        }
    }
}

impl Tree for BoxExpr {
    #[inline]
    fn view(&self) -> View<'_, Self> {
        match self {
            BoxExpr::Num(value) => View::Num(*value),
            BoxExpr::Neg { operand, column } => View::Neg(operand, *column),
            BoxExpr::Binary {
                op,
                lhs,
                rhs,
                column,
            } => View::Binary(*op, lhs, rhs, *column),
        }
    }
}

/// Writes the tree as an S-expression, like [`Expr`](calc::Expr)'s.
///
/// ```
/// assert_eq!(calc_fixtures::boxed::parse("-1 % 2")?.to_string(), "(% (- 1) 2)");
/// # Ok::<(), calc::ParseError>(())
/// ```
impl fmt::Display for BoxExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_sexpr(f)
    }
}

/// The same S-expression as `Display`.
///
/// ```
/// assert_eq!(format!("{:?}", calc_fixtures::boxed::parse("1+2")?), "(+ 1 2)");
/// # Ok::<(), calc::ParseError>(())
/// ```
impl fmt::Debug for BoxExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_sexpr(f)
    }
}

/// The [`NodeBuilder`] behind [`parse`]: one `Box` per node.
///
/// ```
/// use calc_fixtures::boxed::BoxBuilder;
///
/// let expr = calc::parse_with(&mut BoxBuilder, "2 * 21")?;
/// assert_eq!(expr.eval(), Ok(42));
/// # Ok::<(), calc::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct BoxBuilder;

impl NodeBuilder for BoxBuilder {
    type Node = Box<BoxExpr>;

    #[inline]
    fn number(&mut self, value: i64) -> Box<BoxExpr> {
        Box::new(BoxExpr::Num(value))
    }

    #[inline]
    fn negate(&mut self, operand: Box<BoxExpr>, column: u32) -> Box<BoxExpr> {
        Box::new(BoxExpr::Neg { operand, column })
    }

    #[inline]
    fn binary(
        &mut self,
        op: BinOp,
        lhs: Box<BoxExpr>,
        rhs: Box<BoxExpr>,
        column: u32,
    ) -> Box<BoxExpr> {
        Box::new(BoxExpr::Binary {
            op,
            lhs,
            rhs,
            column,
        })
    }
}

/// Parses `src` into a tree of `Box`es.
///
/// # Errors
///
/// The same [`ParseError`]s as [`parse`](calc::parse).
///
/// ```
/// assert_eq!(calc_fixtures::boxed::parse("1 +").unwrap_err().column(), 4);
/// ```
pub fn parse(src: &str) -> Result<Box<BoxExpr>, ParseError> {
    parse_with(&mut BoxBuilder, src)
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_trees_drop_without_recursion() {
        let depth = if cfg!(miri) { 1_000 } else { 1_000_000 };
        let src = format!("{}1", "-".repeat(depth));
        let expr = super::parse(&src).unwrap();
        assert_eq!(expr.node_count(), depth + 1);
        drop(expr);
        let src = format!("{}1{}", "(1+".repeat(depth), ")".repeat(depth));
        let expr = super::parse(&src).unwrap();
        assert_eq!(expr.eval(), Ok(i64::try_from(depth).unwrap() + 1));
    }
}
