//! `report`: runs every `compare` case, draws one chart per group under
//! `docs/bench/`, counts instructions per operation under callgrind (when
//! valgrind is installed), and rewrites the README's benchmark blocks.
//!
//! ```text
//! cargo run --release -p bench --bin report
//! cargo run --release -p bench --bin report -- --quick --filter arena/
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bench::report::{self, Options};

const USAGE: &str = "\
usage: report [--quick] [--filter SUBSTR] [--no-instructions] [--ops N]
              [--readme FILE] [--charts DIR]

Times every compare case (as `compare` does), writes one SVG chart per group
(DIR/GROUP.svg), counts instructions per operation of the fast-path cases
under callgrind when valgrind is installed, and rewrites the blocks between
`<!-- bench:KEY -->` and `<!-- /bench:KEY -->` in the README (adding missing
ones to its `## Benchmarks` section). Progress goes to stderr, figures to
stdout. A failing case is reported and the rest goes on; the exit status is
then 1.

  --filter SUBSTR     only cases whose name contains SUBSTR (the README
                      blocks rewritten then list only those cases)
  --quick             fewer rounds and smaller samples, for a fast check
  --no-instructions   skip the callgrind counts
  --ops N             operations of the first callgrind run (the second runs
                      2N; default 200000, 20000 with --quick)
  --readme FILE       the markdown file to rewrite (default README.md)
  --charts DIR        where the charts go (default docs/bench)
";

/// The workspace root: the nearest directory above the current one whose
/// `Cargo.toml` declares a workspace, or the one this crate was built in.
fn workspace_root() -> PathBuf {
    let declares_workspace = |dir: &Path| {
        std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]"))
    };
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            cwd.ancestors()
                .find(|d| declares_workspace(d))
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

fn parse(args: &[String]) -> Result<Options, String> {
    let root = workspace_root();
    let mut options = Options {
        quick: false,
        filter: None,
        skip_instructions: false,
        instruction_ops: None,
        readme: root.join("README.md"),
        charts: root.join("docs").join("bench"),
        root,
        command: String::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--filter" => options.filter = Some(value("--filter")?),
            "--no-instructions" => options.skip_instructions = true,
            "--ops" => {
                let text = value("--ops")?;
                let ops: u64 = text
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--ops needs a positive number, got {text:?}"))?;
                options.instruction_ops = Some(ops);
            }
            "--readme" => options.readme = PathBuf::from(value("--readme")?),
            "--charts" => options.charts = PathBuf::from(value("--charts")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// The command line as someone would type it to reproduce the figures.
fn command_line(args: &[String]) -> String {
    let mut command = "cargo run --release -p bench --bin report".to_owned();
    let shown: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .take_while(|a| !matches!(*a, "--readme" | "--charts"))
        .collect();
    if !shown.is_empty() {
        command.push_str(" --");
        for arg in shown {
            command.push(' ');
            command.push_str(arg);
        }
    }
    command
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = match parse(&args) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("report: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    options.command = command_line(&args);
    bench::harness::pin_allocator_tuning();
    if report::run(&options) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
