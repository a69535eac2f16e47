//! The `compare` harness: side-by-side benchmark cases of arena-pool and its
//! peer crates.
//!
//! A [`Case`] names one workload (`GROUP/what`) and lists its
//! [`Contender`]s, each doing the same work with a different crate. Every
//! contender is a `prepare` function: given the number of operations, it does
//! the untimed setup and returns the timed part as a closure that performs
//! exactly that many operations once. The `compare` binary times those
//! closures, round by round; `--ops N --case C --contender X` runs one of them
//! untimed, for instruction counting under callgrind.

pub mod cases;
pub mod harness;
pub mod report;

pub use harness::{Case, Contender, Run};
