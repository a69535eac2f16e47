//! The syntax tree and its operators.

use std::fmt;

use crate::error::EvalError;
use crate::eval::{self, Tree, View};

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`, truncating toward zero.
    Div,
    /// `%`, with the sign of the dividend.
    Rem,
}

impl BinOp {
    /// Every operator, in the order of the enum.
    ///
    /// ```
    /// assert_eq!(calc::BinOp::ALL.len(), 5);
    /// ```
    pub const ALL: [BinOp; 5] = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Rem];

    /// The operator's character in the source text.
    ///
    /// ```
    /// assert_eq!(calc::BinOp::Rem.symbol(), '%');
    /// ```
    #[must_use]
    pub const fn symbol(self) -> char {
        match self {
            BinOp::Add => '+',
            BinOp::Sub => '-',
            BinOp::Mul => '*',
            BinOp::Div => '/',
            BinOp::Rem => '%',
        }
    }

    /// The operator written as `byte`, if any.
    ///
    /// ```
    /// use calc::BinOp;
    ///
    /// assert_eq!(BinOp::from_byte(b'*'), Some(BinOp::Mul));
    /// assert_eq!(BinOp::from_byte(b'^'), None);
    /// ```
    #[must_use]
    pub const fn from_byte(byte: u8) -> Option<BinOp> {
        match byte {
            b'+' => Some(BinOp::Add),
            b'-' => Some(BinOp::Sub),
            b'*' => Some(BinOp::Mul),
            b'/' => Some(BinOp::Div),
            b'%' => Some(BinOp::Rem),
            _ => None,
        }
    }

    /// Binding strength: 1 for `+ -`, 2 for `* / %`.
    ///
    /// ```
    /// use calc::BinOp;
    ///
    /// assert!(BinOp::Mul.precedence() > BinOp::Sub.precedence());
    /// ```
    #[must_use]
    pub const fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Div | BinOp::Rem => 2,
        }
    }

    /// The operator's name in error messages (`"addition"`, ...).
    ///
    /// ```
    /// assert_eq!(calc::BinOp::Mul.name(), "multiplication");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            BinOp::Add => "addition",
            BinOp::Sub => "subtraction",
            BinOp::Mul => "multiplication",
            BinOp::Div => "division",
            BinOp::Rem => "remainder",
        }
    }

    /// `lhs op rhs` with Rust's `checked_*` semantics: `None` on overflow
    /// (including `i64::MIN / -1` and `i64::MIN % -1`) and on division or
    /// remainder by zero.
    ///
    /// ```
    /// use calc::BinOp;
    ///
    /// assert_eq!(BinOp::Div.checked_apply(-7, 2), Some(-3));
    /// assert_eq!(BinOp::Rem.checked_apply(i64::MIN, -1), None);
    /// assert_eq!(BinOp::Add.checked_apply(i64::MAX, 1), None);
    /// ```
    #[inline]
    #[must_use]
    pub const fn checked_apply(self, lhs: i64, rhs: i64) -> Option<i64> {
        match self {
            BinOp::Add => lhs.checked_add(rhs),
            BinOp::Sub => lhs.checked_sub(rhs),
            BinOp::Mul => lhs.checked_mul(rhs),
            BinOp::Div => lhs.checked_div(rhs),
            BinOp::Rem => lhs.checked_rem(rhs),
        }
    }
}

impl fmt::Display for BinOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.symbol())
    }
}

/// A node of a syntax tree whose children live in an arena with lifetime
/// `'a`.
///
/// `column` fields hold the 1-based column of the operator's character in
/// the source (saturating at `u32::MAX` on lines longer than that); errors
/// from evaluating the node report it.
///
/// Trees can be built by [`parse`](crate::parse) or by hand:
///
/// ```
/// use arena_pool::Arena;
/// use calc::{BinOp, Expr};
///
/// let arena = Arena::new();
/// let one = arena.alloc(Expr::Num(1));
/// let two = arena.alloc(Expr::Num(2));
/// let sum = arena.alloc(Expr::Binary { op: BinOp::Add, lhs: one, rhs: two, column: 3 });
/// let three = arena.alloc(Expr::Num(3));
/// let product = Expr::Binary { op: BinOp::Mul, lhs: sum, rhs: three, column: 7 };
/// assert_eq!(product.eval(), Ok(9));
/// ```
///
/// The tree's `Debug`, `Display` and [`eval`](Expr::eval) walk it with an
/// explicit stack, so a tree a million levels deep is no problem for them.
#[derive(Clone, Copy)]
pub enum Expr<'a> {
    /// An integer literal. The parser only produces non-negative values;
    /// a minus sign is a [`Neg`](Expr::Neg) node.
    Num(i64),
    /// Unary minus.
    Neg {
        /// The negated expression.
        operand: &'a Expr<'a>,
        /// The column of the `-`.
        column: u32,
    },
    /// A binary operation.
    Binary {
        /// The operator.
        op: BinOp,
        /// The left operand.
        lhs: &'a Expr<'a>,
        /// The right operand.
        rhs: &'a Expr<'a>,
        /// The column of the operator.
        column: u32,
    },
}

impl<'a> Expr<'a> {
    /// Evaluates the tree.
    ///
    /// # Errors
    ///
    /// Returns an [`EvalError`] with the column of the first operation (in
    /// evaluation order: left operand, right operand, operator) that
    /// overflows `i64` or divides by zero.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(calc::parse(&arena, "-(2 + 3) * 4")?.eval(), Ok(-20));
    /// let error = calc::parse(&arena, "1 + 5 % 0")?.eval().unwrap_err();
    /// assert_eq!((error.column(), error.to_string().as_str()), (7, "column 7: remainder by zero"));
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    pub fn eval(&self) -> Result<i64, EvalError> {
        eval::eval(self)
    }

    /// The number of nodes in the tree.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(calc::parse(&arena, "-(1 + 2)")?.node_count(), 4);
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    #[must_use]
    pub fn node_count(&self) -> usize {
        eval::node_count(self)
    }

    /// The 1-based column of the node's operator, or `None` for a literal.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(calc::parse(&arena, "1 +  2")?.column(), Some(3));
    /// assert_eq!(calc::parse(&arena, "7")?.column(), None);
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    #[must_use]
    pub fn column(&self) -> Option<usize> {
        match *self {
            Expr::Num(_) => None,
            Expr::Neg { column, .. } | Expr::Binary { column, .. } => Some(column as usize),
        }
    }
}

impl<'a> Tree for Expr<'a> {
    #[inline]
    fn view(&self) -> View<'_, Self> {
        match *self {
            Expr::Num(value) => View::Num(value),
            Expr::Neg { operand, column } => View::Neg(operand, column),
            Expr::Binary {
                op,
                lhs,
                rhs,
                column,
            } => View::Binary(op, lhs, rhs, column),
        }
    }
}

/// Writes the tree as an S-expression: `(* (+ 1 2) (- 3))`.
///
/// ```
/// use arena_pool::Arena;
///
/// let arena = Arena::new();
/// assert_eq!(calc::parse(&arena, "1 - -2 % 3")?.to_string(), "(- 1 (% (- 2) 3))");
/// # Ok::<(), calc::ParseError>(())
/// ```
impl fmt::Display for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        eval::write_sexpr(self, f)
    }
}

/// The same S-expression as `Display`.
///
/// ```
/// use arena_pool::Arena;
///
/// let arena = Arena::new();
/// assert_eq!(format!("{:?}", calc::parse(&arena, "4")?), "4");
/// # Ok::<(), calc::ParseError>(())
/// ```
impl fmt::Debug for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        eval::write_sexpr(self, f)
    }
}
