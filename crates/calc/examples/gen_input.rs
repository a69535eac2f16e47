//! Writes pseudo-random expression lines to standard output, for load tests:
//!
//! ```text
//! cargo run --release -p calc --example gen_input -- MEGABYTES [SEED] > input.txt
//! ```

use std::io::{self, Write};

use calc_fixtures::corpus::Lines;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let megabytes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let target = megabytes * 1_000_000;
    let mut out = io::BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let mut lines = Lines::new(seed);
    let mut line = String::new();
    let mut written = 0;
    while written < target {
        line.clear();
        lines.write_line(&mut line);
        line.push('\n');
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    out.flush()
}
