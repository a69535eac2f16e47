//! Parse and evaluation errors, each with the column it happened at.

use std::error::Error as StdError;
use std::fmt;

use crate::expr::BinOp;

/// What the parser found where it expected something else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// One of the language's punctuation characters.
    Char(char),
    /// An integer literal.
    Number,
    /// The end of the input.
    End,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Char(c) => write!(f, "'{}'", c.escape_debug()),
            Found::Number => f.write_str("a number"),
            Found::End => f.write_str("end of input"),
        }
    }
}

/// What went wrong while parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A character that is no part of the language.
    UnexpectedChar(char),
    /// A number, `(` or sign was expected.
    ExpectedOperand(Found),
    /// A binary operator was expected (or `)` inside parentheses, or the end
    /// of the input outside them).
    ExpectedOperator {
        /// What came instead.
        found: Found,
        /// Whether a `(` was still open.
        in_parens: bool,
    },
    /// A `)` with no `(` to close.
    UnmatchedClose,
    /// The input ended with a `(` still open.
    Unclosed {
        /// The column of the innermost unclosed `(`.
        open_column: usize,
    },
    /// A literal above `i64::MAX`.
    LiteralTooLarge,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParseErrorKind::UnexpectedChar(c) => {
                write!(f, "unexpected character '{}'", c.escape_debug())
            }
            ParseErrorKind::ExpectedOperand(found) => {
                write!(f, "expected a number, '(' or a sign, found {found}")
            }
            ParseErrorKind::ExpectedOperator { found, in_parens } => {
                let or = if in_parens { "')'" } else { "end of input" };
                write!(f, "expected an operator or {or}, found {found}")
            }
            ParseErrorKind::UnmatchedClose => f.write_str("unmatched ')'"),
            ParseErrorKind::Unclosed { open_column } => write!(
                f,
                "expected ')' to close the '(' at column {open_column}, found end of input"
            ),
            ParseErrorKind::LiteralTooLarge => {
                write!(f, "number too large: the largest is {}", i64::MAX)
            }
        }
    }
}

/// A syntax error: where (1-based column, in characters) and what.
///
/// `Display` writes `column N: message`.
///
/// ```
/// use arena_pool::Arena;
/// use calc::{Found, ParseErrorKind};
///
/// let arena = Arena::new();
/// let error = calc::parse(&arena, "(1 + 2").unwrap_err();
/// assert_eq!(error.column(), 7);
/// assert_eq!(error.kind(), ParseErrorKind::Unclosed { open_column: 1 });
///
/// let error = calc::parse(&arena, "1 2").unwrap_err();
/// assert_eq!(
///     error.kind(),
///     ParseErrorKind::ExpectedOperator { found: Found::Number, in_parens: false }
/// );
/// assert_eq!(error.to_string(), "column 3: expected an operator or end of input, found a number");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseError {
    column: usize,
    kind: ParseErrorKind,
}

impl ParseError {
    /// An error of `kind` at `column`.
    ///
    /// ```
    /// use calc::{ParseError, ParseErrorKind};
    ///
    /// let error = ParseError::new(4, ParseErrorKind::UnmatchedClose);
    /// assert_eq!(error.to_string(), "column 4: unmatched ')'");
    /// ```
    #[must_use]
    pub const fn new(column: usize, kind: ParseErrorKind) -> Self {
        Self { column, kind }
    }

    /// The 1-based column, counted in characters.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let arena = Arena::new();
    /// assert_eq!(calc::parse(&arena, "é + 1").unwrap_err().column(), 1);
    /// assert_eq!(calc::parse(&arena, "1 + é").unwrap_err().column(), 5);
    /// ```
    #[must_use]
    pub const fn column(&self) -> usize {
        self.column
    }

    /// What went wrong.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use calc::ParseErrorKind;
    ///
    /// let arena = Arena::new();
    /// let error = calc::parse(&arena, "1 + 2)").unwrap_err();
    /// assert_eq!(error.kind(), ParseErrorKind::UnmatchedClose);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> ParseErrorKind {
        self.kind
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.kind)
    }
}

impl StdError for ParseError {}

/// What went wrong while evaluating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// `x / 0`.
    DivisionByZero,
    /// `x % 0`.
    RemainderByZero,
    /// A binary operation whose result does not fit in `i64`.
    Overflow {
        /// The operator.
        op: BinOp,
        /// Its left operand's value.
        lhs: i64,
        /// Its right operand's value.
        rhs: i64,
    },
    /// Negating `i64::MIN`.
    NegationOverflow,
}

impl fmt::Display for EvalErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EvalErrorKind::DivisionByZero => f.write_str("division by zero"),
            EvalErrorKind::RemainderByZero => f.write_str("remainder by zero"),
            EvalErrorKind::Overflow { op, lhs, rhs } => {
                let (open, close) = if rhs < 0 { ("(", ")") } else { ("", "") };
                write!(
                    f,
                    "overflow in {}: {lhs} {op} {open}{rhs}{close} does not fit in 64 bits",
                    op.name()
                )
            }
            EvalErrorKind::NegationOverflow => write!(
                f,
                "overflow in negation: -({}) does not fit in 64 bits",
                i64::MIN
            ),
        }
    }
}

/// An evaluation error: the column of the operator that failed, and why.
///
/// `Display` writes `column N: message`.
///
/// ```
/// use arena_pool::Arena;
/// use calc::{BinOp, EvalErrorKind};
///
/// let arena = Arena::new();
/// let error = calc::parse(&arena, "1 + 9223372036854775807")?.eval().unwrap_err();
/// assert_eq!(error.column(), 3);
/// assert_eq!(
///     error.kind(),
///     EvalErrorKind::Overflow { op: BinOp::Add, lhs: 1, rhs: i64::MAX }
/// );
/// assert_eq!(
///     error.to_string(),
///     "column 3: overflow in addition: 1 + 9223372036854775807 does not fit in 64 bits"
/// );
/// # Ok::<(), calc::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalError {
    column: usize,
    kind: EvalErrorKind,
}

impl EvalError {
    /// An error of `kind` at `column`.
    ///
    /// ```
    /// use calc::{EvalError, EvalErrorKind};
    ///
    /// let error = EvalError::new(3, EvalErrorKind::DivisionByZero);
    /// assert_eq!(error.to_string(), "column 3: division by zero");
    /// ```
    #[must_use]
    pub const fn new(column: usize, kind: EvalErrorKind) -> Self {
        Self { column, kind }
    }

    /// The 1-based column of the failing operator.
    ///
    /// ```
    /// assert_eq!(calc::evaluate("1 + 1/0").unwrap_err().column(), 6);
    /// ```
    #[must_use]
    pub const fn column(&self) -> usize {
        self.column
    }

    /// What went wrong.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use calc::EvalErrorKind;
    ///
    /// let arena = Arena::new();
    /// let error = calc::parse(&arena, "-(-9223372036854775807 - 1)")?.eval().unwrap_err();
    /// assert_eq!(error.kind(), EvalErrorKind::NegationOverflow);
    /// # Ok::<(), calc::ParseError>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> EvalErrorKind {
        self.kind
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.kind)
    }
}

impl StdError for EvalError {}

/// Either kind of error, from [`evaluate`](crate::evaluate).
///
/// ```
/// let error = calc::evaluate("2 * (3").unwrap_err();
/// assert!(matches!(error, calc::Error::Parse(_)));
/// assert_eq!(error.column(), 7);
/// assert_eq!(
///     error.to_string(),
///     "column 7: expected ')' to close the '(' at column 5, found end of input"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The input is not a well-formed expression.
    Parse(ParseError),
    /// Evaluating the expression failed.
    Eval(EvalError),
}

impl Error {
    /// The 1-based column the error points at.
    ///
    /// ```
    /// assert_eq!(calc::evaluate("1 % 0").unwrap_err().column(), 3);
    /// ```
    #[must_use]
    pub const fn column(&self) -> usize {
        match self {
            Error::Parse(error) => error.column(),
            Error::Eval(error) => error.column(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(error) => error.fmt(f),
            Error::Eval(error) => error.fmt(f),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Parse(error) => Some(error),
            Error::Eval(error) => Some(error),
        }
    }
}

impl From<ParseError> for Error {
    fn from(error: ParseError) -> Self {
        Error::Parse(error)
    }
}

impl From<EvalError> for Error {
    fn from(error: EvalError) -> Self {
        Error::Eval(error)
    }
}
