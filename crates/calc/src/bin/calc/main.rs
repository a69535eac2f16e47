//! `calc`: evaluates integer expressions given as an argument, typed at a
//! prompt, or read one a line from a file or a pipe.

mod batch;
mod line;
mod repl;

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser};

use crate::batch::Options;
use crate::line::{Evaluator, Totals};

/// Evaluates integer expressions: + - * / % on 64-bit signed integers,
/// unary minus and plus, parentheses.
///
/// With an EXPRESSION, prints its value. Otherwise reads expressions one a
/// line, from --file or standard input, and prints one line for each: the
/// value, `error: column N: message`, or a blank line for a blank line. With
/// no arguments and a terminal on standard input, starts an interactive
/// prompt with line editing and history.
///
/// Exit status: 0 when every expression evaluated, 1 when any gave an
/// error, 2 on a usage or I/O error.
#[derive(Parser, Debug)]
#[command(name = "calc", version, about, long_about, after_help = EXAMPLES)]
struct Cli {
    /// The expression to evaluate (a leading `-` is part of it)
    #[arg(allow_hyphen_values = true, conflicts_with = "file")]
    expression: Option<String>,

    /// Read expressions from PATH, one a line, instead of standard input
    #[arg(short, long, value_name = "PATH")]
    file: Option<PathBuf>,

    /// Evaluate on N threads, each with its own arena; output stays in
    /// input order
    #[arg(short, long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: u16,

    /// Print each expression's syntax tree (as an S-expression) instead of
    /// its value
    #[arg(long)]
    ast: bool,

    /// At the end, print to standard error the bytes read, lines, nodes,
    /// arena bytes used and throughput
    #[arg(long)]
    stats: bool,
}

const EXAMPLES: &str = "\
Examples:
  calc '(1+2)*3'                  prints 9
  calc --ast '-2 * 3'             prints (* (- 2) 3)
  calc --file exprs.txt --jobs 2  one result a line, on two threads
  printf '1+1\\n7/0\\n' | calc      prints 2, then error: column 2: division by zero";

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(flag) = cli.expression.as_deref().filter(|e| looks_like_a_flag(e)) {
        // The expression may start with `-`, but no expression holds a letter.
        Cli::command()
            .error(
                clap::error::ErrorKind::UnknownArgument,
                format!("unexpected argument '{flag}' found"),
            )
            .exit();
    }
    match run(&cli) {
        Ok(code) => code,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(2),
        Err(error) => {
            eprintln!("calc: {error}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> io::Result<ExitCode> {
    if let Some(expression) = &cli.expression {
        return Ok(one_expression(cli, expression));
    }
    let (input, size): (Box<dyn Read + Send>, Option<u64>) = match &cli.file {
        Some(path) => {
            let file = File::open(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            let size = regular_file_size(&file);
            (Box::new(file), size)
        }
        None => {
            let stdin = io::stdin();
            if stdin.is_terminal() {
                repl::run(cli.ast)?;
                return Ok(ExitCode::SUCCESS);
            }
            let size = stdin_file_size(&stdin);
            (Box::new(stdin), size)
        }
    };
    let options = Options {
        jobs: usize::from(cli.jobs),
        ast: cli.ast,
        count_nodes: cli.stats,
        progress_size: size.filter(|_| io::stderr().is_terminal()),
    };
    let start = Instant::now();
    let totals = batch::run(input, io::stdout().lock(), &options)?;
    if cli.stats {
        print_stats(&totals, start.elapsed().as_secs_f64());
    }
    Ok(if totals.errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Whether `arg` is a `-x` or `--xyz` option rather than an expression.
fn looks_like_a_flag(arg: &str) -> bool {
    arg.trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_alphabetic())
        && arg.starts_with('-')
}

/// The length of `file` if it is a regular file (not a pipe or terminal).
fn regular_file_size(file: &File) -> Option<u64> {
    file.metadata()
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
}

/// The length of standard input if it is redirected from a regular file.
#[cfg(unix)]
fn stdin_file_size(stdin: &io::Stdin) -> Option<u64> {
    use std::os::fd::AsFd;
    let fd = stdin.as_fd().try_clone_to_owned().ok()?;
    regular_file_size(&File::from(fd))
}

/// The length of standard input if it is redirected from a regular file.
#[cfg(windows)]
fn stdin_file_size(stdin: &io::Stdin) -> Option<u64> {
    use std::os::windows::io::AsHandle;
    let handle = stdin.as_handle().try_clone_to_owned().ok()?;
    regular_file_size(&File::from(handle))
}

/// Elsewhere the size is unknown, and the progress bar stays off.
#[cfg(not(any(unix, windows)))]
fn stdin_file_size(_stdin: &io::Stdin) -> Option<u64> {
    None
}

fn one_expression(cli: &Cli, expression: &str) -> ExitCode {
    let mut evaluator = Evaluator::new(cli.ast, cli.stats);
    let mut out = Vec::new();
    let start = Instant::now();
    let ok = evaluator.line(expression.as_bytes(), &mut out);
    let text = String::from_utf8_lossy(&out);
    if ok {
        print!("{text}");
    } else {
        eprint!("{text}");
    }
    if cli.stats {
        let mut totals = Totals::default();
        totals.add(&evaluator.take_totals(expression.len() as u64));
        print_stats(&totals, start.elapsed().as_secs_f64());
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_stats(totals: &Totals, seconds: f64) {
    let seconds = seconds.max(1e-9);
    let megabytes = totals.bytes as f64 / 1e6;
    eprintln!("bytes read:     {}", totals.bytes);
    eprintln!(
        "lines:          {} ({} errors, {} blank)",
        totals.lines, totals.errors, totals.blank
    );
    eprintln!("nodes:          {}", totals.nodes);
    eprintln!(
        "arena bytes:    {} in all, {} at most at once",
        totals.arena_bytes, totals.arena_peak
    );
    eprintln!("time:           {seconds:.3} s");
    eprintln!(
        "throughput:     {:.1} MB/s, {:.0} lines/s",
        megabytes / seconds,
        totals.lines as f64 / seconds
    );
}
