//! The `calc` program: arguments, batch output, exit codes, threads.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn calc() -> Command {
    Command::cargo_bin("calc").expect("the calc binary is built")
}

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample.tsv")
}

/// The sample's expressions (one a line) and expected results.
fn sample() -> (String, Vec<String>) {
    let text = fs::read_to_string(sample_path()).unwrap();
    let mut input = String::new();
    let mut expected = Vec::new();
    for line in text.lines() {
        let (expr, want) = line.split_once('\t').unwrap();
        input.push_str(expr);
        input.push('\n');
        expected.push(want.to_owned());
    }
    (input, expected)
}

#[test]
fn one_expression_argument() {
    calc().arg("(1+2)*3").assert().success().stdout("9\n");
    calc().arg("-2 * 3").assert().success().stdout("-6\n");
    calc()
        .args(["--", "-7 / 2"])
        .assert()
        .success()
        .stdout("-3\n");
    calc()
        .arg("1 +* 2")
        .assert()
        .code(1)
        .stdout("")
        .stderr("error: column 4: expected a number, '(' or a sign, found '*'\n");
    calc()
        .arg("9223372036854775807 + 1")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: column 21: overflow in addition",
        ));
}

#[test]
fn batch_output_has_one_line_per_input_line() {
    calc()
        .write_stdin("1+1\n\n7 / 0\n \t\n(1\n3\r\n  4  ")
        .assert()
        .code(1)
        .stdout(
            "2\n\nerror: column 3: division by zero\n\n\
             error: column 3: expected ')' to close the '(' at column 1, found end of input\n3\n4\n",
        );
}

#[test]
fn exit_status_is_zero_when_every_line_evaluates() {
    calc()
        .write_stdin("1\n\n2 * 3\n")
        .assert()
        .success()
        .stdout("1\n\n6\n");
    calc().write_stdin("").assert().success().stdout("");
}

#[test]
fn usage_and_io_errors_exit_with_two() {
    calc().arg("--no-such-flag").assert().code(2);
    calc().arg("-x").assert().code(2);
    calc()
        .args(["--jobs", "0"])
        .write_stdin("1\n")
        .assert()
        .code(2);
    calc().args(["1", "--file", "x"]).assert().code(2);
    calc()
        .args(["--file", "/nonexistent/calc-input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/calc-input"));
}

#[test]
fn help_follows_clap_conventions() {
    calc()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Usage: calc [OPTIONS] [EXPRESSION]",
        ))
        .stdout(predicate::str::contains("--jobs <N>"))
        .stdout(predicate::str::contains("--file <PATH>"));
}

#[test]
fn sample_passes_through_the_binary() {
    let (input, expected) = sample();
    for jobs in ["1", "2"] {
        let output = calc()
            .args(["--jobs", jobs])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "the sample has error lines");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), expected.len());
        for (got, want) in lines.iter().zip(&expected) {
            if want == "error" {
                assert!(got.starts_with("error: column "), "{got}");
            } else {
                assert_eq!(got, want);
            }
        }
    }
}

#[test]
fn file_option_reads_the_file() {
    let dir = std::env::temp_dir().join(format!("calc-cli-test-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("input.txt");
    fs::write(&path, "6 * 7\n-1 - -1\n").unwrap();
    calc()
        .arg("--file")
        .arg(&path)
        .assert()
        .success()
        .stdout("42\n0\n");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn jobs_keep_the_input_order() {
    let lines = 100_000;
    let input: String = (0..lines).map(|i| format!("{i} + {i} * 0\n")).collect();
    let expected: String = (0..lines).map(|i| format!("{i}\n")).collect();
    for jobs in ["1", "2", "4"] {
        calc()
            .args(["--jobs", jobs])
            .write_stdin(input.clone())
            .assert()
            .success()
            .stdout(expected.clone());
    }
}

#[test]
fn errors_report_columns_in_characters() {
    calc()
        .write_stdin("ä + 1\n1 + €\n(1 +\t2)) \n")
        .assert()
        .code(1)
        .stdout(
            "error: column 1: unexpected character 'ä'\n\
             error: column 5: unexpected character '€'\n\
             error: column 8: unmatched ')'\n",
        );
}

#[test]
fn ast_prints_trees() {
    calc()
        .arg("--ast")
        .write_stdin("1 + 2 * -3\n\n(4)\n")
        .assert()
        .success()
        .stdout("(+ 1 (* 2 (- 3)))\n\n4\n");
}

#[test]
fn stats_go_to_standard_error() {
    calc()
        .arg("--stats")
        .write_stdin("1 + 2\n3\n\n")
        .assert()
        .success()
        .stdout("3\n3\n\n")
        .stderr(predicate::str::contains("bytes read:     9"))
        .stderr(predicate::str::contains(
            "lines:          3 (0 errors, 1 blank)",
        ))
        .stderr(predicate::str::contains("nodes:          4"))
        .stderr(predicate::str::contains("arena bytes:"))
        .stderr(predicate::str::contains("throughput:"));
}

#[test]
fn no_progress_bar_on_a_pipe() {
    let input = "1 + 1\n".repeat(4_000_000);
    let output = calc().write_stdin(input).output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty());
    assert_eq!(output.stdout.len(), 2 * 4_000_000);
}

#[test]
fn deep_lines_evaluate() {
    let depth = 100_000;
    let input = format!(
        "{}1{}\n{}5\n{}\n",
        "(".repeat(depth),
        ")".repeat(depth),
        "-".repeat(depth + 1),
        vec!["2"; depth].join("+")
    );
    calc()
        .write_stdin(input)
        .assert()
        .success()
        .stdout(format!("1\n-5\n{}\n", 2 * depth));
}
