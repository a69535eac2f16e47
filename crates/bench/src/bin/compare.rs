//! `compare`: every benchmark case for every contender, side by side.
//!
//! ```text
//! cargo run --release -p bench --bin compare -- [--filter SUBSTR] [--json] [--quick]
//! cargo run --release -p bench --bin compare -- --filter sync/ --threads 1,2,4,8,16
//! cargo run --release -p bench --bin compare -- --list
//! cargo run --release -p bench --bin compare -- --ops N --case NAME --contender NAME
//! ```

use std::process::ExitCode;

use bench::harness::{self, Measurement, Plan};

const USAGE: &str = "\
usage: compare [--filter SUBSTR] [--json] [--quick] [--threads LIST]
       compare --list
       compare --ops N --case NAME --contender NAME

Runs every benchmark case for every contender, interleaving contenders round
by round, and prints the median ns/op and the ratio to arena-pool (contender
time / arena-pool time: above 1 means arena-pool is faster).

  --filter SUBSTR   only cases whose name contains SUBSTR
  --json            one JSON object per line: case, contender, ns_per_op, ratio
  --quick           fewer rounds and smaller samples (under a minute in all)
  --list            print every case and contender, one `CASE CONTENDER` a line
  --ops N           run one contender's loop N times, untimed (for callgrind);
                    needs --case and --contender
  --threads LIST    also run the sync cases on each of these thread counts
                    (comma-separated, e.g. 1,2,4,8,16), as sync/threads-N
";

#[derive(Default)]
struct Options {
    filter: Option<String>,
    json: bool,
    quick: bool,
    list: bool,
    ops: Option<u64>,
    case: Option<String>,
    contender: Option<String>,
    threads: Option<Vec<usize>>,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--filter" => options.filter = Some(value("--filter")?),
            "--json" => options.json = true,
            "--quick" => options.quick = true,
            "--list" => options.list = true,
            "--ops" => {
                let text = value("--ops")?;
                let ops = text
                    .parse()
                    .map_err(|_| format!("--ops needs a number, got {text:?}"))?;
                options.ops = Some(ops);
            }
            "--case" => options.case = Some(value("--case")?),
            "--contender" => options.contender = Some(value("--contender")?),
            "--threads" => {
                let text = value("--threads")?;
                options.threads = Some(bench::cases::sync::parse_thread_counts(&text)?);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let mut options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("compare: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(threads) = options.threads.take() {
        bench::cases::sync::set_thread_counts(threads);
    }
    harness::pin_allocator_tuning();
    let cases = bench::cases::all();

    if options.list {
        for case in &cases {
            for contender in &case.contenders {
                println!("{} {}", case.name, contender.name);
            }
        }
        return ExitCode::SUCCESS;
    }

    if let Some(ops) = options.ops {
        let (Some(case_name), Some(contender_name)) = (&options.case, &options.contender) else {
            eprintln!("compare: --ops needs --case and --contender\n\n{USAGE}");
            return ExitCode::from(2);
        };
        let Some(case) = cases.iter().find(|c| &c.name == case_name) else {
            eprintln!("compare: no case named {case_name:?} (see --list)");
            return ExitCode::from(2);
        };
        let Some(contender) = case.contenders.iter().find(|c| c.name == contender_name) else {
            eprintln!("compare: case {case_name} has no contender {contender_name:?} (see --list)");
            return ExitCode::from(2);
        };
        harness::run_once(contender, ops);
        return ExitCode::SUCCESS;
    }

    let plan = Plan {
        rounds: if options.quick { 5 } else { 21 },
        quick: options.quick,
    };
    let selected: Vec<_> = cases
        .iter()
        .filter(|case| {
            options
                .filter
                .as_ref()
                .is_none_or(|f| case.name.contains(f.as_str()))
        })
        .collect();
    if selected.is_empty() {
        eprintln!("compare: no case matches the filter (see --list)");
        return ExitCode::from(2);
    }
    if !options.json {
        println!(
            "{:<30} {:<20} {:>12} {:>10}",
            "case", "contender", "ns/op", "ratio"
        );
    }
    for (index, case) in selected.iter().enumerate() {
        eprintln!("[{}/{}] {}", index + 1, selected.len(), case.name);
        for measurement in harness::measure(case, plan) {
            if options.json {
                println!("{}", to_json(&measurement));
            } else {
                println!("{}", to_row(&measurement));
            }
        }
    }
    ExitCode::SUCCESS
}

fn to_row(m: &Measurement) -> String {
    let ratio = m
        .ratio
        .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"));
    format!(
        "{:<30} {:<20} {:>12.3} {:>10}",
        m.case, m.contender, m.ns_per_op, ratio
    )
}

fn to_json(m: &Measurement) -> String {
    let ratio = m
        .ratio
        .map_or_else(|| "null".to_owned(), |r| format!("{r:.4}"));
    format!(
        "{{\"case\":\"{}\",\"contender\":\"{}\",\"ns_per_op\":{:.4},\"ratio\":{}}}",
        m.case, m.contender, m.ns_per_op, ratio
    )
}
