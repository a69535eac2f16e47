//! Fixtures shared by `calc`'s tests, the benchmarks and the fuzz targets,
//! kept out of `calc`'s public API:
//!
//! - [`boxed`]: the syntax tree built from `Box`es by `calc`'s own parser and
//!   walked by its own evaluator, to compare with the arena tree;
//! - [`corpus`]: deterministic pseudo-random expression lines.
//!
//! ```
//! use calc_fixtures::{boxed, corpus::Lines};
//!
//! for line in Lines::new(5).take(10) {
//!     let arena = calc::Arena::new();
//!     let arena_tree = calc::parse(&arena, &line)?;
//!     assert_eq!(boxed::parse(&line)?.eval(), arena_tree.eval());
//! }
//! # Ok::<(), calc::ParseError>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod boxed;
pub mod corpus;
