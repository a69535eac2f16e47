//! The parser: operator precedence over bytes, with an explicit stack.
//!
//! The parser alternates between two states. Expecting an operand, it takes
//! signs and `(` (pushing them on the stack) until a literal completes an
//! operand. Expecting an operator, it first applies the pending unary minuses
//! on top of the stack (they bind tightest), then on a binary operator folds
//! every stacked operator of equal or higher precedence into the operand
//! (left associativity) and pushes the new one with its left operand; on `)`
//! it folds down to the matching `(`, which completes another operand.
//!
//! The stack holds at most one frame per input byte and no frame is ever
//! handled by recursion, so nesting depth is limited by memory alone.

use arena_pool::Arena;

use crate::error::{Found, ParseError, ParseErrorKind};
use crate::expr::{BinOp, Expr};
use crate::scratch;

/// Builds the nodes of a syntax tree for [`parse_with`].
///
/// The parser calls these in post-order: children before their parent.
/// Columns are 1-based and count characters; they saturate at `u32::MAX`.
///
/// A builder that computes values instead of nodes turns the parser into a
/// one-pass evaluator (without overflow checks, here):
///
/// ```
/// use calc::{BinOp, NodeBuilder};
///
/// struct Wrapping;
///
/// impl NodeBuilder for Wrapping {
///     type Node = i64;
///     fn number(&mut self, value: i64) -> i64 {
///         value
///     }
///     fn negate(&mut self, operand: i64, _column: u32) -> i64 {
///         operand.wrapping_neg()
///     }
///     fn binary(&mut self, op: BinOp, lhs: i64, rhs: i64, _column: u32) -> i64 {
///         match op {
///             BinOp::Add => lhs.wrapping_add(rhs),
///             BinOp::Sub => lhs.wrapping_sub(rhs),
///             BinOp::Mul => lhs.wrapping_mul(rhs),
///             BinOp::Div => lhs.checked_div(rhs).unwrap_or(0),
///             BinOp::Rem => lhs.checked_rem(rhs).unwrap_or(0),
///         }
///     }
/// }
///
/// assert_eq!(calc::parse_with(&mut Wrapping, "2 + 3 * -4"), Ok(-10));
/// ```
pub trait NodeBuilder {
    /// A built (sub)tree.
    type Node;

    /// A literal; always non-negative.
    fn number(&mut self, value: i64) -> Self::Node;

    /// Unary minus applied to `operand`; `column` is that of the `-`.
    fn negate(&mut self, operand: Self::Node, column: u32) -> Self::Node;

    /// `lhs op rhs`; `column` is that of the operator.
    fn binary(&mut self, op: BinOp, lhs: Self::Node, rhs: Self::Node, column: u32) -> Self::Node;
}

/// The [`NodeBuilder`] behind [`parse`](crate::parse): allocates each
/// [`Expr`] node in an [`Arena`].
///
/// ```
/// use arena_pool::Arena;
/// use calc::ArenaBuilder;
///
/// let arena = Arena::new();
/// let expr = calc::parse_with(&mut ArenaBuilder::new(&arena), "6 / 4")?;
/// assert_eq!(expr.eval(), Ok(1));
/// # Ok::<(), calc::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ArenaBuilder<'a> {
    arena: &'a Arena,
}

impl<'a> ArenaBuilder<'a> {
    /// A builder allocating in `arena`.
    ///
    /// ```
    /// use arena_pool::Arena;
    /// use calc::{ArenaBuilder, NodeBuilder};
    ///
    /// let arena = Arena::new();
    /// let mut builder = ArenaBuilder::new(&arena);
    /// let seven = builder.number(7);
    /// assert_eq!(builder.negate(seven, 1).eval(), Ok(-7));
    /// ```
    #[must_use]
    pub const fn new(arena: &'a Arena) -> Self {
        Self { arena }
    }
}

impl<'a> NodeBuilder for ArenaBuilder<'a> {
    type Node = &'a Expr<'a>;

    #[inline]
    fn number(&mut self, value: i64) -> &'a Expr<'a> {
        self.arena.alloc(Expr::Num(value))
    }

    #[inline]
    fn negate(&mut self, operand: &'a Expr<'a>, column: u32) -> &'a Expr<'a> {
        self.arena.alloc(Expr::Neg { operand, column })
    }

    #[inline]
    fn binary(
        &mut self,
        op: BinOp,
        lhs: &'a Expr<'a>,
        rhs: &'a Expr<'a>,
        column: u32,
    ) -> &'a Expr<'a> {
        self.arena.alloc(Expr::Binary {
            op,
            lhs,
            rhs,
            column,
        })
    }
}

/// A pending piece of the expression on the parser's stack.
enum Frame<N> {
    /// A `(` at this byte offset.
    Open(usize),
    /// A unary `-` at this column.
    Neg(u32),
    /// A binary operator at this column, with its left operand.
    Bin(BinOp, u32, N),
}

/// An error located by byte offset; turned into a [`ParseError`] (with a
/// character column) only when parsing fails.
struct Located {
    offset: usize,
    kind: ParseErrorKind,
}

impl Located {
    fn new(offset: usize, kind: ParseErrorKind) -> Self {
        Self { offset, kind }
    }

    fn into_error(self, src: &str) -> ParseError {
        let prefix = src.get(..self.offset).unwrap_or(src);
        let kind = match self.kind {
            ParseErrorKind::UnexpectedChar(_) => ParseErrorKind::UnexpectedChar(
                src.get(self.offset..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or(char::REPLACEMENT_CHARACTER),
            ),
            kind => kind,
        };
        ParseError::new(prefix.chars().count() + 1, kind)
    }
}

/// The column of byte offset `offset` in a prefix made of ASCII only (every
/// byte the parser accepted is ASCII), saturating.
#[inline]
fn column_of(offset: usize) -> u32 {
    u32::try_from(offset + 1).unwrap_or(u32::MAX)
}

/// The offset of the first byte at or after `i` that is not a space or tab.
#[inline(always)]
fn skip_spaces(src: &[u8], mut i: usize) -> usize {
    // One space between tokens is the common case: step over it without a
    // branch, then loop for any more.
    i += usize::from(matches!(src.get(i), Some(b' ' | b'\t')));
    while let Some(b' ' | b'\t') = src.get(i) {
        i += 1;
    }
    i
}

/// `10^n` for the digit counts of one eight-byte step.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// Reads the decimal literal starting at `start` (a digit). Returns its value,
/// `None` if it is above `i64::MAX`, and the offset just after it.
///
/// Eight bytes at a time: the first non-digit among them is found with
/// bitwise arithmetic, and the digits before it are combined in three
/// multiply-add steps, so a literal costs no branch per digit.
#[inline]
fn literal(src: &[u8], start: usize) -> (Option<i64>, usize) {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = start;
    let mut value = Some(0u64);
    while let Some(chunk) = src.get(i..i + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        // Per byte (the first byte lowest): `byte - '0'`, which is 0..=9 for
        // digits. A byte is no digit if it is above 0x7F, below '0' (the
        // subtraction wraps to 0x80 or more) or above '9' (adding 0x46 reaches
        // 0x80). Borrows and carries only travel upward from a non-digit, so
        // the lowest flagged byte is the first non-digit.
        let digits = word.wrapping_sub(ZEROS);
        let non_digit = (word | digits | word.wrapping_add(0x4646_4646_4646_4646)) & HIGH;
        let len = (non_digit.trailing_zeros() / 8) as usize;
        if len == 0 {
            break;
        }
        // Keep the `len` digits, moved to the top so that the bytes below
        // read as leading zeros.
        let step = combine_digits(digits << (8 * (8 - len)));
        value = value
            .and_then(|v| v.checked_mul(POW10[len]))
            .and_then(|v| v.checked_add(step));
        i += len;
        if len < 8 {
            return (value.and_then(|v| i64::try_from(v).ok()), i);
        }
    }
    while let Some(&digit @ b'0'..=b'9') = src.get(i) {
        value = value
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(digit - b'0')));
        i += 1;
    }
    (value.and_then(|v| i64::try_from(v).ok()), i)
}

/// The number written by eight decimal digit values, one a byte, the most
/// significant in the lowest byte.
#[inline(always)]
const fn combine_digits(digits: u64) -> u64 {
    let pairs = digits.wrapping_mul(10).wrapping_add(digits >> 8) & 0x00FF_00FF_00FF_00FF;
    let quads = pairs.wrapping_mul(100).wrapping_add(pairs >> 16) & 0x0000_FFFF_0000_FFFF;
    quads.wrapping_mul(10_000).wrapping_add(quads >> 32) & 0xFFFF_FFFF
}

/// Parses `src`, building the tree with `builder`.
///
/// [`parse`](crate::parse) is this with an [`ArenaBuilder`]; a builder of
/// `Box`es makes a tree of `Box`es, which the crate evaluates and prints
/// once it implements [`Tree`](crate::Tree).
///
/// # Errors
///
/// Returns a [`ParseError`] at the first token that does not fit the grammar.
/// Nodes already built are dropped.
///
/// ```
/// use arena_pool::Arena;
/// use calc::ArenaBuilder;
///
/// let arena = Arena::new();
/// let error = calc::parse_with(&mut ArenaBuilder::new(&arena), "1 +").unwrap_err();
/// assert_eq!(error.to_string(), "column 4: expected a number, '(' or a sign, found end of input");
/// ```
pub fn parse_with<B: NodeBuilder>(builder: &mut B, src: &str) -> Result<B::Node, ParseError> {
    let mut stack: Vec<Frame<B::Node>> = scratch::take(&scratch::PARSE);
    let result = run(builder, src.as_bytes(), &mut stack);
    scratch::give(&scratch::PARSE, stack);
    result.map_err(|located| located.into_error(src))
}

// The dispatch below is written as `if` chains, most frequent case first,
// rather than `match`es that compile to jump tables: on random input an
// indirect jump mispredicts far more often than a few conditional branches.
fn run<B: NodeBuilder>(
    builder: &mut B,
    src: &[u8],
    stack: &mut Vec<Frame<B::Node>>,
) -> Result<B::Node, Located> {
    let mut i = 0;
    loop {
        // Expecting an operand.
        let mut node = loop {
            let Some(&byte) = src.get(i) else {
                return Err(Located::new(i, ParseErrorKind::ExpectedOperand(Found::End)));
            };
            if byte.is_ascii_digit() {
                let (value, end) = literal(src, i);
                let Some(value) = value else {
                    return Err(Located::new(i, ParseErrorKind::LiteralTooLarge));
                };
                i = end;
                break builder.number(value);
            } else if byte == b'(' {
                stack.push(Frame::Open(i));
            } else if byte == b' ' || byte == b'\t' || byte == b'+' {
                // Spaces, and unary plus, which changes nothing.
            } else if byte == b'-' {
                stack.push(Frame::Neg(column_of(i)));
            } else {
                let kind = if matches!(byte, b')' | b'*' | b'/' | b'%') {
                    ParseErrorKind::ExpectedOperand(Found::Char(char::from(byte)))
                } else {
                    ParseErrorKind::UnexpectedChar('\0')
                };
                return Err(Located::new(i, kind));
            }
            i += 1;
        };
        // Expecting an operator.
        loop {
            while let Some(&Frame::Neg(column)) = stack.last() {
                stack.pop();
                node = builder.negate(node, column);
            }
            i = skip_spaces(src, i);
            let Some(&byte) = src.get(i) else {
                return finish(builder, stack, node, i);
            };
            if let Some(op) = BinOp::from_byte(byte) {
                let precedence = op.precedence();
                while let Some(Frame::Bin(top, ..)) = stack.last()
                    && top.precedence() >= precedence
                {
                    if let Some(Frame::Bin(top, column, lhs)) = stack.pop() {
                        node = builder.binary(top, lhs, node, column);
                    }
                }
                stack.push(Frame::Bin(op, column_of(i), node));
                i += 1;
                break;
            } else if byte == b')' {
                node = close(builder, stack, node, i)?;
                i += 1;
            } else {
                let kind = if byte.is_ascii_digit() || byte == b'(' {
                    let found = if byte == b'(' {
                        Found::Char('(')
                    } else {
                        Found::Number
                    };
                    let in_parens = stack.iter().any(|frame| matches!(frame, Frame::Open(_)));
                    ParseErrorKind::ExpectedOperator { found, in_parens }
                } else {
                    ParseErrorKind::UnexpectedChar('\0')
                };
                return Err(Located::new(i, kind));
            }
        }
    }
}

/// Folds the stack down to the innermost `(` (for a `)` at offset `at`).
#[inline]
fn close<B: NodeBuilder>(
    builder: &mut B,
    stack: &mut Vec<Frame<B::Node>>,
    mut node: B::Node,
    at: usize,
) -> Result<B::Node, Located> {
    loop {
        // A `Neg` never sits right above a `Bin` (operators are pushed only
        // after the pending minuses are applied), so `Bin` frames and then the
        // `(` are all that can be found here.
        let Some(frame) = stack.pop() else {
            return Err(Located::new(at, ParseErrorKind::UnmatchedClose));
        };
        if let Frame::Bin(op, column, lhs) = frame {
            node = builder.binary(op, lhs, node, column);
        } else if let Frame::Neg(column) = frame {
            node = builder.negate(node, column);
        } else {
            return Ok(node);
        }
    }
}

/// Folds the whole stack at the end of the input (offset `end`).
fn finish<B: NodeBuilder>(
    builder: &mut B,
    stack: &mut Vec<Frame<B::Node>>,
    mut node: B::Node,
    end: usize,
) -> Result<B::Node, Located> {
    while let Some(frame) = stack.pop() {
        node = match frame {
            Frame::Bin(op, column, lhs) => builder.binary(op, lhs, node, column),
            Frame::Neg(column) => builder.negate(node, column),
            Frame::Open(offset) => {
                let kind = ParseErrorKind::Unclosed {
                    open_column: offset + 1,
                };
                return Err(Located::new(end, kind));
            }
        };
    }
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(src: &str) -> (usize, String) {
        let arena = Arena::new();
        let error = crate::parse(&arena, src).unwrap_err();
        (error.column(), error.kind().to_string())
    }

    fn tree(src: &str) -> String {
        let arena = Arena::new();
        crate::parse(&arena, src).unwrap().to_string()
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(tree("1 + 2 * 3"), "(+ 1 (* 2 3))");
        assert_eq!(tree("1 * 2 + 3"), "(+ (* 1 2) 3)");
        assert_eq!(tree("1 - 2 - 3"), "(- (- 1 2) 3)");
        assert_eq!(tree("8 / 4 % 3 * 2"), "(* (% (/ 8 4) 3) 2)");
        assert_eq!(tree("-2 * 3"), "(* (- 2) 3)");
        assert_eq!(tree("2 * -3"), "(* 2 (- 3))");
        assert_eq!(tree("-(1 + 2)"), "(- (+ 1 2))");
        assert_eq!(tree("--+-1"), "(- (- (- 1)))");
        assert_eq!(tree("((1))"), "1");
        assert_eq!(tree("1 - (2 - 3)"), "(- 1 (- 2 3))");
        assert_eq!(tree("\t007 "), "7");
    }

    #[test]
    fn columns_of_nodes() {
        let arena = Arena::new();
        let expr = crate::parse(&arena, "  1 *-2").unwrap();
        let Expr::Binary { column, rhs, .. } = *expr else {
            panic!("expected a binary node, got {expr}");
        };
        assert_eq!(column, 5);
        assert_eq!(rhs.column(), Some(6));
    }

    #[test]
    fn syntax_errors() {
        let operand = "expected a number, '(' or a sign, found";
        assert_eq!(error(""), (1, format!("{operand} end of input")));
        assert_eq!(error("   "), (4, format!("{operand} end of input")));
        assert_eq!(error("("), (2, format!("{operand} end of input")));
        assert_eq!(error(")"), (1, format!("{operand} ')'")));
        assert_eq!(error("()"), (2, format!("{operand} ')'")));
        assert_eq!(error("1 +* 2"), (4, format!("{operand} '*'")));
        assert_eq!(error("* 2"), (1, format!("{operand} '*'")));
        assert_eq!(
            error("1 2"),
            (
                3,
                "expected an operator or end of input, found a number".into()
            )
        );
        assert_eq!(
            error("(1 2)"),
            (4, "expected an operator or ')', found a number".into())
        );
        assert_eq!(
            error("2(3)"),
            (2, "expected an operator or end of input, found '('".into())
        );
        assert_eq!(error("1 + 2)"), (6, "unmatched ')'".into()));
        assert_eq!(
            error("((1 + 2)"),
            (
                9,
                "expected ')' to close the '(' at column 1, found end of input".into()
            )
        );
        assert_eq!(error("1 $ 2"), (3, "unexpected character '$'".into()));
        assert_eq!(error("1.5"), (2, "unexpected character '.'".into()));
        assert_eq!(error("abc"), (1, "unexpected character 'a'".into()));
        assert_eq!(error("1\r"), (2, "unexpected character '\\r'".into()));
        assert_eq!(error("12 + ü"), (6, "unexpected character 'ü'".into()));
        assert_eq!(error("💥"), (1, "unexpected character '💥'".into()));
        assert_eq!(
            error("1 + 9223372036854775808 * 0"),
            (
                5,
                "number too large: the largest is 9223372036854775807".into()
            )
        );
        assert_eq!(error("-9223372036854775808").0, 2);
    }

    #[test]
    fn literals_of_every_length_and_ending() {
        for digits in 1..=25 {
            let text: String = (0..digits)
                .map(|d: usize| char::from(b'0' + ((d * 7 + 3) % 10) as u8))
                .collect();
            let expected = text.parse::<i64>().ok();
            for suffix in ["", " ", "+1", ")", "x", "é", "        ", "9"] {
                let src = format!("{text}{suffix}");
                let (value, end) = literal(src.as_bytes(), 0);
                let all_digits = suffix == "9";
                let want = if all_digits {
                    format!("{text}9").parse::<i64>().ok()
                } else {
                    expected
                };
                assert_eq!(value, want, "{src:?}");
                assert_eq!(end, digits + usize::from(all_digits), "{src:?}");
            }
            // The same literal later in the input, after other bytes.
            let src = format!("1 + {text} * 2");
            assert_eq!(literal(src.as_bytes(), 4), (expected, 4 + digits));
        }
    }

    #[test]
    fn every_byte_ends_a_literal_unless_a_digit() {
        for byte in 0..=255u8 {
            let src = [b'4', b'2', byte, b'0', b'0', b'0', b'0', b'0', b'0', b'0'];
            let (value, end) = literal(&src, 0);
            if byte.is_ascii_digit() {
                assert_eq!(end, 10);
            } else {
                assert_eq!((value, end), (Some(42), 2), "byte {byte:#x}");
            }
        }
    }

    #[test]
    fn literals_at_the_limit() {
        let arena = Arena::new();
        let max = crate::parse(&arena, "9223372036854775807").unwrap();
        assert_eq!(max.eval(), Ok(i64::MAX));
        let padded = crate::parse(&arena, "0000000000000000000009223372036854775807").unwrap();
        assert_eq!(padded.eval(), Ok(i64::MAX));
        assert!(crate::parse(&arena, "99999999999999999999999").is_err());
    }
}
