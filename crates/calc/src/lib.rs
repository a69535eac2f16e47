//! Integer-expression parsing and evaluation on an arena.
//!
//! The language: 64-bit signed integers in decimal; binary `+ - * / %` with
//! the usual precedence, left-associative; any number of unary `-` and `+`,
//! binding tighter than `*`; parentheses; spaces and tabs between tokens.
//! Division and remainder truncate toward zero. Every intermediate result must
//! fit in `i64`: overflow and division or remainder by zero are errors.
//!
//! [`parse`] builds the syntax tree in an [`Arena`]: every node is one bump
//! allocation, and the whole tree goes away at once when the arena is reset or
//! dropped. [`Expr::eval`] evaluates it. Neither the parser nor the evaluator
//! recurses, so any nesting depth that fits in memory parses and evaluates.
//!
//! ```
//! use arena_pool::Arena;
//!
//! let arena = Arena::new();
//! let expr = calc::parse(&arena, "(1 + 2) * -3")?;
//! assert_eq!(expr.eval()?, -9);
//! assert_eq!(expr.to_string(), "(* (+ 1 2) (- 3))");
//! # Ok::<(), calc::Error>(())
//! ```
//!
//! Errors carry the 1-based column, in characters, of the offending token:
//!
//! ```
//! use arena_pool::Arena;
//!
//! let arena = Arena::new();
//! let error = calc::parse(&arena, "1 + * 2").unwrap_err();
//! assert_eq!(error.column(), 5);
//! assert_eq!(
//!     error.to_string(),
//!     "column 5: expected a number, '(' or a sign, found '*'"
//! );
//!
//! let error = calc::parse(&arena, "7 / (3 - 3)")?.eval().unwrap_err();
//! assert_eq!(error.to_string(), "column 3: division by zero");
//! # Ok::<(), calc::ParseError>(())
//! ```
//!
//! The same parser can build other trees through [`NodeBuilder`], and the
//! same evaluator and printer walk any tree that implements [`Tree`].

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod eval;
mod expr;
mod parse;
mod scratch;

pub use arena_pool::Arena;
pub use error::{Error, EvalError, EvalErrorKind, Found, ParseError, ParseErrorKind};
pub use eval::{Tree, View};
pub use expr::{BinOp, Expr};
pub use parse::{ArenaBuilder, NodeBuilder, parse_with};

use std::cell::RefCell;

/// Parses `src` into a syntax tree allocated in `arena`.
///
/// Every node is allocated in `arena`; the parser's own working stacks are
/// reused from one call to the next on the same thread.
///
/// # Errors
///
/// Returns a [`ParseError`] with the column of the first token that does not
/// fit the grammar: an unknown character, a missing operand or operator, an
/// unbalanced parenthesis, or a literal above `i64::MAX`.
///
/// ```
/// use arena_pool::Arena;
///
/// let arena = Arena::new();
/// let expr = calc::parse(&arena, "2 * (3 + 4)")?;
/// assert_eq!(expr.eval(), Ok(14));
/// assert!(calc::parse(&arena, "2 * (3 + 4").is_err());
/// # Ok::<(), calc::ParseError>(())
/// ```
pub fn parse<'a>(arena: &'a Arena, src: &str) -> Result<&'a Expr<'a>, ParseError> {
    parse_with(&mut ArenaBuilder::new(arena), src)
}

thread_local! {
    static EVAL_ARENA: RefCell<Arena> = const { RefCell::new(Arena::new()) };
}

/// Parses and evaluates `src` in one step, using an arena kept for this
/// thread (and reset after each call).
///
/// # Errors
///
/// Returns [`Error::Parse`] if `src` is not a well-formed expression and
/// [`Error::Eval`] if evaluating it overflows or divides by zero.
///
/// ```
/// assert_eq!(calc::evaluate("-7 / 2"), Ok(-3));
/// assert_eq!(calc::evaluate("-7 % 2"), Ok(-1));
/// let error = calc::evaluate("9223372036854775807 + 1").unwrap_err();
/// assert_eq!(error.column(), 21);
/// ```
pub fn evaluate(src: &str) -> Result<i64, Error> {
    EVAL_ARENA.with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            let result = eval_in(&arena, src);
            arena.reset();
            result
        }
        // Only reachable if evaluation re-entered itself on this thread.
        Err(_) => eval_in(&Arena::new(), src),
    })
}

fn eval_in(arena: &Arena, src: &str) -> Result<i64, Error> {
    Ok(parse(arena, src)?.eval()?)
}
