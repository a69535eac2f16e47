//! Deterministic pseudo-random expression lines, for benchmarks and load
//! tests.
//!
//! The mix: about a fifth are single numbers or one operation, two thirds
//! are expressions of 8 to 24 numbers, about one in eight has 40 to 80
//! numbers, and a few divide by zero or overflow. Lines average about 100
//! bytes, use no unary `+` (so other evaluators read them the same way) and
//! are the same for the same seed on every platform.
//!
//! ```
//! use calc_fixtures::corpus::Lines;
//!
//! let lines: Vec<String> = Lines::new(7).take(100).collect();
//! assert_eq!(lines, Lines::new(7).take(100).collect::<Vec<_>>());
//! assert!(lines.iter().all(|line| calc_fixtures::boxed::parse(line).is_ok()));
//! ```

/// An endless iterator of expression lines (without newlines).
///
/// ```
/// let line = calc_fixtures::corpus::Lines::new(3).next().unwrap();
/// assert!(!line.contains('\n'));
/// ```
#[derive(Clone, Debug)]
pub struct Lines {
    state: u64,
}

impl Lines {
    /// The lines for `seed`.
    ///
    /// ```
    /// let mut lines = calc_fixtures::corpus::Lines::new(1);
    /// assert!(!lines.next().unwrap().is_empty());
    /// ```
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Appends the next line to `out`, without a newline.
    ///
    /// ```
    /// let mut lines = calc_fixtures::corpus::Lines::new(2);
    /// let mut text = String::new();
    /// lines.write_line(&mut text);
    /// text.push('\n');
    /// lines.write_line(&mut text);
    /// assert_eq!(text.lines().count(), 2);
    /// ```
    pub fn write_line(&mut self, out: &mut String) {
        let roll = self.below(100);
        if roll < 98 {
            let leaves = if roll < 20 {
                1 + self.below(2)
            } else if roll < 86 {
                8 + self.below(17)
            } else {
                40 + self.below(41)
            };
            self.expression(out, leaves as u32, 0, false);
        } else if roll == 98 {
            out.push('(');
            self.expression(out, 6, 0, false);
            out.push_str(") / (7 - 7)");
        } else {
            out.push_str("9223372036854775807 + (");
            self.expression(out, 4, 0, false);
            out.push_str(") * 0 + 1");
        }
    }

    /// SplitMix64.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn space(&mut self, out: &mut String) {
        if self.below(3) == 0 {
            out.push(' ');
        }
    }

    fn literal(&mut self, out: &mut String) {
        let roll = self.below(100);
        let value = if roll < 80 {
            self.below(1_000)
        } else if roll < 99 {
            self.below(100_000)
        } else {
            self.below(1_000_000_000_000)
        };
        if self.below(10) == 0 {
            out.push('-');
        }
        out.push_str(&value.to_string());
    }

    /// Writes an expression of `leaves` numbers, in parentheses when its
    /// operator binds less tightly than its parent's `outer` precedence
    /// requires (or sometimes just because).
    fn expression(&mut self, out: &mut String, leaves: u32, outer: u8, right: bool) {
        if leaves <= 1 {
            self.literal(out);
            return;
        }
        let op = match self.below(20) {
            0..=7 => '+',
            8..=14 => '-',
            15..=17 => '*',
            18 => '/',
            _ => '%',
        };
        let precedence = if matches!(op, '+' | '-') { 1 } else { 2 };
        let parens = precedence < outer || (right && precedence == outer) || self.below(10) == 0;
        let negated = parens && self.below(8) == 0;
        if negated {
            out.push('-');
        }
        if parens {
            out.push('(');
        }
        let left = 1 + self.below(u64::from(leaves - 1)) as u32;
        self.expression(out, left, precedence, false);
        self.space(out);
        out.push(op);
        self.space(out);
        self.expression(out, leaves - left, precedence, true);
        if parens {
            out.push(')');
        }
    }
}

impl Iterator for Lines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        let mut line = String::new();
        self.write_line(&mut line);
        Some(line)
    }
}
