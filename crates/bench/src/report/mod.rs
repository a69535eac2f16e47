//! The `report` binary: runs every `compare` case, draws one chart per group
//! under `docs/bench/`, counts instructions per operation under callgrind,
//! and rewrites the README's benchmark blocks.
//!
//! Every step goes on when one case fails: the failure is shown in the
//! tables and charts, and the run ends with a non-zero status.

pub mod chart;
pub mod instructions;
pub mod provenance;
pub mod readme;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::Case;
use crate::harness::{self, Measurement, Plan};
use provenance::Provenance;

/// The contender every ratio is relative to.
pub const BASELINE: &str = "arena-pool";

/// Operations per callgrind run (the second run does twice as many).
pub const INSTRUCTION_OPS: u64 = 200_000;
/// As [`INSTRUCTION_OPS`], with `--quick`.
pub const QUICK_INSTRUCTION_OPS: u64 = 20_000;

/// What to run and where to write.
#[derive(Clone, Debug)]
pub struct Options {
    /// Smaller samples and fewer rounds.
    pub quick: bool,
    /// Only cases whose name contains this.
    pub filter: Option<String>,
    /// Skip the callgrind counts.
    pub skip_instructions: bool,
    /// Operations of the first callgrind run of each contender.
    pub instruction_ops: Option<u64>,
    /// The markdown file whose blocks are rewritten.
    pub readme: PathBuf,
    /// Where the charts go.
    pub charts: PathBuf,
    /// The repository root (for the commit).
    pub root: PathBuf,
    /// The command line, for the notes.
    pub command: String,
}

/// One case's outcome.
pub struct CaseResult {
    pub case: String,
    pub outcome: Result<Vec<Measurement>, String>,
}

/// One contender's instruction count, or why there is none.
pub struct InstructionResult {
    pub case: String,
    pub contender: String,
    pub per_op: Result<f64, String>,
}

/// The group of a case: its name up to the first `/`.
pub fn group_of(case: &str) -> &str {
    case.split_once('/').map_or(case, |(group, _)| group)
}

/// What a group measures, for chart titles and README text.
pub fn group_title(group: &str) -> String {
    match group {
        "arena" => "bump arenas".to_owned(),
        "typed" => "typed arenas".to_owned(),
        "pool" => "object pools".to_owned(),
        "sync" => "concurrent pools".to_owned(),
        "calc" => "arena-backed expression evaluator".to_owned(),
        "sync-arena" => "bump arenas shared by threads".to_owned(),
        "static-pool" => "pools in a static, without a heap".to_owned(),
        other => other.to_owned(),
    }
}

/// `1m05s`, `42.0s`.
pub fn elapsed(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        format!(
            "{}m{:02}s",
            duration.as_secs() / 60,
            duration.as_secs() % 60
        )
    }
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panicked".to_owned())
}

/// Runs the whole report. Returns whether everything succeeded.
pub fn run(options: &Options) -> bool {
    let started = Instant::now();
    let provenance = Provenance::detect(&options.root, options.command.clone());
    let cases: Vec<Case> = crate::cases::all()
        .into_iter()
        .filter(|case| {
            options
                .filter
                .as_deref()
                .is_none_or(|f| case.name.contains(f))
        })
        .collect();
    if cases.is_empty() {
        eprintln!("report: no case matches the filter (see `compare --list`)");
        return false;
    }
    eprintln!(
        "report: {} cases on {}, commit {}",
        cases.len(),
        provenance.machine(),
        provenance.commit
    );

    let results = time_cases(&cases, options.quick, started);
    let mut ok = results.iter().all(|r| r.outcome.is_ok());

    let mut groups: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
    let mut order = Vec::new();
    for result in &results {
        let group = group_of(&result.case).to_owned();
        if !groups.contains_key(&group) {
            order.push(group.clone());
        }
        groups.entry(group).or_default().push(result);
    }

    let mut blocks: Vec<(String, String, readme::Placement)> = Vec::new();
    if let Err(e) = std::fs::create_dir_all(&options.charts) {
        eprintln!("report: cannot create {}: {e}", options.charts.display());
        ok = false;
    }
    for group in &order {
        let group_results = &groups[group];
        let path = options.charts.join(format!("{group}.svg"));
        match write_chart(&path, group, group_results, &provenance, options.quick) {
            Ok(()) => eprintln!("report: wrote {}", path.display()),
            Err(e) => {
                eprintln!("report: chart for {group} failed: {e}");
                ok = false;
            }
        }
        let link = chart_link(&options.readme, &path);
        let body = group_block(group, group_results, &link, &provenance, options.quick);
        blocks.push((group.clone(), body, readme::Placement::Last));
    }

    if options.skip_instructions {
        eprintln!("report: instruction counts skipped (--no-instructions)");
    } else if !instructions::valgrind_available() {
        eprintln!("report: valgrind is not on PATH: skipping the instruction counts");
    } else {
        let ops = options.instruction_ops.unwrap_or(if options.quick {
            QUICK_INSTRUCTION_OPS
        } else {
            INSTRUCTION_OPS
        });
        match count_instructions(&cases, ops, &options.root, started) {
            Ok(counts) if counts.is_empty() => {
                eprintln!("report: no fast-path case selected: no instruction counts");
            }
            Ok(counts) => {
                ok &= counts.iter().all(|c| c.per_op.is_ok());
                let body = instructions_block(&counts, ops, &provenance);
                blocks.push(("instructions".to_owned(), body, readme::Placement::First));
            }
            Err(e) => {
                eprintln!("report: skipping the instruction counts: {e}");
                ok = false;
            }
        }
    }

    match update_readme(&options.readme, &blocks) {
        Ok(()) => eprintln!(
            "report: rewrote {} block(s) of {}",
            blocks.len(),
            options.readme.display()
        ),
        Err(e) => {
            eprintln!("report: {}: {e}", options.readme.display());
            ok = false;
        }
    }
    let failures = results.iter().filter(|r| r.outcome.is_err()).count();
    eprintln!(
        "report: done in {}{}",
        elapsed(started.elapsed()),
        if failures > 0 {
            format!(", {failures} case(s) failed")
        } else {
            String::new()
        }
    );
    ok
}

/// Times every case, one after the other, showing progress; a case that
/// panics is recorded as failed.
fn time_cases(cases: &[Case], quick: bool, started: Instant) -> Vec<CaseResult> {
    let plan = Plan {
        rounds: if quick { 5 } else { 21 },
        quick,
    };
    let mut results = Vec::with_capacity(cases.len());
    for (index, case) in cases.iter().enumerate() {
        eprintln!(
            "[{}/{}] {} ({} left after this, {} elapsed)",
            index + 1,
            cases.len(),
            case.name,
            cases.len() - index - 1,
            elapsed(started.elapsed())
        );
        let outcome = catch_unwind(AssertUnwindSafe(|| harness::measure(case, plan)))
            .map_err(|payload| format!("panicked: {}", panic_message(&*payload)));
        match &outcome {
            Ok(measurements) => {
                for m in measurements {
                    let ratio = m
                        .ratio
                        .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"));
                    println!(
                        "{:<32} {:<20} {:>12.3} {:>8}",
                        m.case, m.contender, m.ns_per_op, ratio
                    );
                }
            }
            Err(e) => eprintln!("report: {} failed: {e}", case.name),
        }
        results.push(CaseResult {
            case: case.name.clone(),
            outcome,
        });
    }
    results
}

/// Counts instructions per operation for every contender of every
/// fast-path case in `cases`.
fn count_instructions(
    cases: &[Case],
    ops: u64,
    root: &Path,
    started: Instant,
) -> Result<Vec<InstructionResult>, String> {
    let jobs: Vec<(&str, &str)> = cases
        .iter()
        .filter(|case| instructions::is_fast_path(&case.name))
        .flat_map(|case| case.contenders.iter().map(|c| (case.name.as_str(), c.name)))
        .collect();
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    eprintln!("report: building compare for the instruction counts");
    let compare = instructions::build_compare(root)?;
    let mut out = Vec::with_capacity(jobs.len());
    for (index, (case, contender)) in jobs.iter().enumerate() {
        eprintln!(
            "[callgrind {}/{}] {case} {contender} ({} left after this, {} elapsed)",
            index + 1,
            jobs.len(),
            jobs.len() - index - 1,
            elapsed(started.elapsed())
        );
        let per_op = instructions::count(&compare, ops, case, contender).and_then(|small| {
            let large = instructions::count(&compare, 2 * ops, case, contender)?;
            Ok(instructions::per_op(small, large, ops))
        });
        match &per_op {
            Ok(n) => println!("{case:<32} {contender:<20} {n:>12.2} instr/op"),
            Err(e) => eprintln!("report: callgrind on {case} {contender} failed: {e}"),
        }
        out.push(InstructionResult {
            case: (*case).to_owned(),
            contender: (*contender).to_owned(),
            per_op,
        });
    }
    Ok(out)
}

fn write_chart(
    path: &Path,
    group: &str,
    results: &[&CaseResult],
    provenance: &Provenance,
    quick: bool,
) -> Result<(), String> {
    let clusters: Vec<chart::Cluster> = results
        .iter()
        .map(|result| match &result.outcome {
            Ok(measurements) if measurements.iter().all(|m| m.ratio.is_some()) => chart::Cluster {
                case: result.case.clone(),
                bars: measurements
                    .iter()
                    .map(|m| chart::Bar {
                        contender: m.contender.to_owned(),
                        ratio: m.ratio.unwrap_or(f64::NAN),
                    })
                    .collect(),
                note: None,
            },
            Ok(_) => chart::Cluster {
                case: result.case.clone(),
                bars: Vec::new(),
                note: Some(format!("no {BASELINE} contender: no ratios")),
            },
            Err(e) => chart::Cluster {
                case: result.case.clone(),
                bars: Vec::new(),
                note: Some(format!("failed: {e}")),
            },
        })
        .collect();
    let title = format!(
        "{group}: {}, time relative to {BASELINE}",
        group_title(group)
    );
    let lines = [
        format!(
            "Median time per operation over arena-pool's, from one run{}: above 1 is slower than arena-pool.",
            if quick { " (--quick)" } else { "" }
        ),
        provenance.caption(),
    ];
    chart::render(
        path,
        &clusters,
        &chart::Caption {
            title: &title,
            lines: &lines,
        },
    )
}

/// The path of `chart` as a link from the directory of `readme`.
fn chart_link(readme: &Path, chart: &Path) -> String {
    let base = readme.parent().unwrap_or(Path::new(""));
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let dir = chart.parent().unwrap_or(Path::new(""));
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = chart.file_name().unwrap_or_default();
    let full = dir.join(name);
    full.strip_prefix(&base)
        .unwrap_or(&full)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `12.3`, `0.912`, `1234`: three significant figures, at least.
pub fn format_ns(ns: f64) -> String {
    if ns >= 100.0 {
        format!("{ns:.0}")
    } else if ns >= 10.0 {
        format!("{ns:.1}")
    } else if ns >= 1.0 {
        format!("{ns:.2}")
    } else {
        format!("{ns:.3}")
    }
}

fn how_made(provenance: &Provenance, what: &str) -> String {
    format!(
        "<sub>{what} Made by `{}` on {}, {}, commit `{}`.</sub>",
        provenance.command,
        provenance.machine(),
        provenance.date,
        provenance.commit
    )
}

/// The README block of one group: the chart and a table of medians and
/// ratios.
pub fn group_block(
    group: &str,
    results: &[&CaseResult],
    chart_link: &str,
    provenance: &Provenance,
    quick: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### `{group}/*`: {}\n", group_title(group));
    let _ = writeln!(
        out,
        "![{group}: time of each contender relative to {BASELINE}]({chart_link})\n"
    );
    out.push_str("| case | contender | median ns/op | ratio |\n|---|---|---:|---:|\n");
    for result in results {
        match &result.outcome {
            Ok(measurements) => {
                for m in measurements {
                    let ratio = m
                        .ratio
                        .map_or_else(|| "–".to_owned(), |r| format!("{r:.2}"));
                    let name = if m.contender == BASELINE {
                        format!("**{}**", m.contender)
                    } else {
                        m.contender.to_owned()
                    };
                    let _ = writeln!(
                        out,
                        "| `{}` | {name} | {} | {ratio} |",
                        m.case,
                        format_ns(m.ns_per_op)
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "| `{}` | – | failed: {} | – |",
                    result.case,
                    e.replace('|', "\\|")
                );
            }
        }
    }
    let rounds = if quick {
        "5 rounds of small samples (`--quick`)"
    } else {
        "21 rounds"
    };
    let what = format!(
        "Medians of {rounds} from one run, the contenders interleaved round by round; \
         ratio = contender time / {BASELINE} time (above 1: {BASELINE} is faster). \
         Other machines give other times; ratios move less."
    );
    out.push('\n');
    out.push_str(&how_made(provenance, &what));
    out
}

/// The README block of instruction counts.
pub fn instructions_block(
    counts: &[InstructionResult],
    ops: u64,
    provenance: &Provenance,
) -> String {
    let mut out = String::from("### Instructions per operation\n\n");
    out.push_str(
        "The numbers that do not move with machine noise: instructions executed per \
         operation, counted by callgrind in the timed part of each contender only.\n\n",
    );
    out.push_str("| case | contender | instructions/op | ratio |\n|---|---|---:|---:|\n");
    let mut baselines: BTreeMap<&str, f64> = BTreeMap::new();
    for c in counts {
        if let (BASELINE, Ok(n)) = (c.contender.as_str(), &c.per_op) {
            baselines.insert(&c.case, *n);
        }
    }
    for c in counts {
        let name = if c.contender == BASELINE {
            format!("**{}**", c.contender)
        } else {
            c.contender.clone()
        };
        match &c.per_op {
            Ok(n) => {
                let ratio = baselines
                    .get(c.case.as_str())
                    .filter(|base| **base > 0.0)
                    .map_or_else(|| "–".to_owned(), |base| format!("{:.2}", n / base));
                let _ = writeln!(out, "| `{}` | {name} | {n:.1} | {ratio} |", c.case);
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "| `{}` | {name} | failed: {} | – |",
                    c.case,
                    e.replace('|', "\\|")
                );
            }
        }
    }
    let what = format!(
        "Each contender ran `compare --ops N --case C --contender X` under \
         `valgrind --tool=callgrind --toggle-collect='*measured_region*'` with N = {ops} and \
         N = {}; instructions/op = (count at 2N − count at N) / N, which cancels setup and \
         teardown. Ratio = contender count / {BASELINE} count, from one run.",
        2 * ops
    );
    out.push('\n');
    out.push_str(&how_made(provenance, &what));
    out
}

/// Rewrites `blocks` (key, body, placement) of the markdown file at `path`.
fn update_readme(
    path: &Path,
    blocks: &[(String, String, readme::Placement)],
) -> Result<(), String> {
    if blocks.is_empty() {
        return Ok(());
    }
    let mut text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    for (key, body, placement) in blocks {
        text = readme::replace_block(&text, key, body, *placement)?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            cpu: "Test CPU".into(),
            cores: 2,
            date: "2026-01-02".into(),
            commit: "abc123".into(),
            command: "cargo run --release -p bench --bin report".into(),
        }
    }

    #[test]
    fn groups() {
        assert_eq!(group_of("arena/u64-fresh"), "arena");
        assert_eq!(group_of("sync/threads-4"), "sync");
        assert_eq!(group_of("plain"), "plain");
        assert_eq!(group_title("pool"), "object pools");
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(elapsed(Duration::from_millis(4_250)), "4.2s");
        assert_eq!(elapsed(Duration::from_secs(65)), "1m05s");
        assert_eq!(format_ns(1234.4), "1234");
        assert_eq!(format_ns(12.34), "12.3");
        assert_eq!(format_ns(1.234), "1.23");
        assert_eq!(format_ns(0.1234), "0.123");
    }

    #[test]
    fn group_block_lists_every_measurement_and_failure() {
        let ok = CaseResult {
            case: "pool/a".into(),
            outcome: Ok(vec![
                Measurement {
                    case: "pool/a".into(),
                    contender: "arena-pool",
                    ns_per_op: 2.0,
                    ratio: Some(1.0),
                },
                Measurement {
                    case: "pool/a".into(),
                    contender: "slab",
                    ns_per_op: 3.0,
                    ratio: Some(1.5),
                },
            ]),
        };
        let failed = CaseResult {
            case: "pool/b".into(),
            outcome: Err("panicked: a|b".into()),
        };
        let block = group_block(
            "pool",
            &[&ok, &failed],
            "docs/bench/pool.svg",
            &provenance(),
            false,
        );
        assert!(block.contains(
            "![pool: time of each contender relative to arena-pool](docs/bench/pool.svg)"
        ));
        assert!(block.contains("| `pool/a` | **arena-pool** | 2.00 | 1.00 |"));
        assert!(block.contains("| `pool/a` | slab | 3.00 | 1.50 |"));
        assert!(block.contains("| `pool/b` | – | failed: panicked: a\\|b | – |"));
        assert!(block.contains("Test CPU (2 cores), 2026-01-02, commit `abc123`"));
        assert!(block.contains("one run"));
    }

    #[test]
    fn instructions_block_has_ratios_to_the_baseline() {
        let counts = [
            InstructionResult {
                case: "arena/a".into(),
                contender: "arena-pool".into(),
                per_op: Ok(4.0),
            },
            InstructionResult {
                case: "arena/a".into(),
                contender: "bumpalo".into(),
                per_op: Ok(6.0),
            },
            InstructionResult {
                case: "arena/a".into(),
                contender: "box".into(),
                per_op: Err("exit 1".into()),
            },
        ];
        let block = instructions_block(&counts, 100, &provenance());
        assert!(block.starts_with("### Instructions per operation"));
        assert!(block.contains("| `arena/a` | **arena-pool** | 4.0 | 1.00 |"));
        assert!(block.contains("| `arena/a` | bumpalo | 6.0 | 1.50 |"));
        assert!(block.contains("| `arena/a` | box | failed: exit 1 | – |"));
        assert!(block.contains("N = 100 and N = 200"));
    }

    #[test]
    fn a_panicking_case_is_recorded_and_the_next_one_runs() {
        use crate::Contender;
        fn boom() {
            panic!("boom");
        }
        let cases = [
            Case::new(
                "test/panics",
                1,
                vec![Contender::new("arena-pool", |_| Box::new(boom))],
            ),
            Case::new(
                "test/runs",
                1,
                vec![Contender::new("arena-pool", |_| Box::new(|| {}))],
            ),
        ];
        let results = time_cases(&cases, true, Instant::now());
        assert_eq!(results.len(), 2);
        let error = results[0]
            .outcome
            .as_ref()
            .expect_err("the first case failed");
        assert!(error.contains("boom"), "{error}");
        assert_eq!(results[1].outcome.as_ref().map(Vec::len), Ok(1));
    }

    #[test]
    fn chart_links_are_relative_to_the_readme() {
        let dir = std::env::temp_dir().join(format!("bench-report-link-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("docs/bench")).unwrap();
        let link = chart_link(&dir.join("README.md"), &dir.join("docs/bench/arena.svg"));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(link, "docs/bench/arena.svg");
    }
}
