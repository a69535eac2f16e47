//! One input line in, one output line out.

use std::fmt::Display;
use std::io::Write;

use calc::Arena;

/// The arena is reset once it holds more than this: often enough to bound
/// memory and keep the trees' memory in cache, seldom enough that resetting
/// costs nothing measurable.
const RESET_AT: usize = 16 * 1024;

/// Counters for `--stats`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    /// Input bytes.
    pub bytes: u64,
    /// Input lines, blank ones included.
    pub lines: u64,
    /// Lines that gave an error.
    pub errors: u64,
    /// Blank lines.
    pub blank: u64,
    /// Syntax-tree nodes built (counted only when asked for).
    pub nodes: u64,
    /// Arena bytes allocated, summed over every reset.
    pub arena_bytes: u64,
    /// The most arena bytes in use at once.
    pub arena_peak: u64,
}

impl Totals {
    /// Adds `other`'s counts to these (and keeps the larger peak).
    pub fn add(&mut self, other: &Totals) {
        self.bytes += other.bytes;
        self.lines += other.lines;
        self.errors += other.errors;
        self.blank += other.blank;
        self.nodes += other.nodes;
        self.arena_bytes += other.arena_bytes;
        self.arena_peak = self.arena_peak.max(other.arena_peak);
    }
}

/// Evaluates lines in an arena of its own, resetting it as it fills.
pub struct Evaluator {
    arena: Arena,
    ast: bool,
    count_nodes: bool,
    totals: Totals,
}

impl Evaluator {
    pub fn new(ast: bool, count_nodes: bool) -> Self {
        Self {
            arena: Arena::new(),
            ast,
            count_nodes,
            totals: Totals::default(),
        }
    }

    /// Evaluates one line (a trailing `\n` or `\r\n` is ignored) and appends
    /// exactly one output line to `out`: the value (or tree, with `--ast`),
    /// `error: column N: message`, or nothing for a blank line. Returns
    /// whether the line was free of errors.
    pub fn line(&mut self, line: &[u8], out: &mut Vec<u8>) -> bool {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.totals.lines += 1;
        if line.iter().all(|&b| b == b' ' || b == b'\t') {
            self.totals.blank += 1;
            out.push(b'\n');
            return true;
        }
        let text = String::from_utf8_lossy(line);
        let ok = match calc::parse(&self.arena, &text) {
            Ok(tree) => {
                if self.count_nodes {
                    self.totals.nodes += tree.node_count() as u64;
                }
                if self.ast {
                    // Writing to a `Vec` cannot fail.
                    let _ = writeln!(out, "{tree}");
                    true
                } else {
                    match tree.eval() {
                        Ok(value) => {
                            write_int(out, value);
                            true
                        }
                        Err(error) => write_error(out, error),
                    }
                }
            }
            Err(error) => write_error(out, error),
        };
        if !ok {
            self.totals.errors += 1;
        }
        if self.arena.allocated_bytes() > RESET_AT {
            self.reset_arena();
        }
        ok
    }

    fn reset_arena(&mut self) {
        let used = self.arena.allocated_bytes() as u64;
        self.totals.arena_bytes += used;
        self.totals.arena_peak = self.totals.arena_peak.max(used);
        self.arena.reset();
    }

    /// The counts so far (with `bytes` as the input size), starting afresh.
    pub fn take_totals(&mut self, bytes: u64) -> Totals {
        self.reset_arena();
        let mut totals = std::mem::take(&mut self.totals);
        totals.bytes = bytes;
        totals
    }
}

/// Appends `error: column N: message` and a newline; returns `false`.
fn write_error(out: &mut Vec<u8>, error: impl Display) -> bool {
    // `Display` of both error types is `column N: message`.
    let _ = writeln!(out, "error: {error}");
    false
}

/// Appends `value` in decimal and a newline, without the formatting
/// machinery.
fn write_int(out: &mut Vec<u8>, value: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = value.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> (String, Totals) {
        let mut evaluator = Evaluator::new(false, true);
        let mut out = Vec::new();
        for line in lines {
            evaluator.line(line.as_bytes(), &mut out);
        }
        (String::from_utf8(out).unwrap(), evaluator.take_totals(0))
    }

    #[test]
    fn one_output_line_per_input_line() {
        let (out, totals) = run(&[
            "1+1\n",
            "\n",
            " \t\r\n",
            "7/0\r\n",
            "-9223372036854775807 - 1",
            "0",
        ]);
        assert_eq!(
            out,
            "2\n\n\nerror: column 2: division by zero\n-9223372036854775808\n0\n"
        );
        assert_eq!((totals.lines, totals.blank, totals.errors), (6, 2, 1));
        assert_eq!(totals.nodes, 3 + 3 + 4 + 1);
        assert!(totals.arena_bytes > 0 && totals.arena_peak > 0);
    }

    #[test]
    fn invalid_utf8_is_an_unexpected_character() {
        let mut evaluator = Evaluator::new(false, false);
        let mut out = Vec::new();
        assert!(!evaluator.line(b"1 + \xff", &mut out));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error: column 5: unexpected character '\u{fffd}'\n"
        );
    }

    #[test]
    fn integers_print_like_display() {
        for value in [0, 1, -1, 10, -10, i64::MAX, i64::MIN, 1234567890] {
            let mut out = Vec::new();
            write_int(&mut out, value);
            assert_eq!(out, format!("{value}\n").into_bytes());
        }
    }
}
