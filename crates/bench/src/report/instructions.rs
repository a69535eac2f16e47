//! Instructions per operation, counted by callgrind inside the measured
//! region only, with the `compare` binary's `--ops N --case C --contender X`
//! mode: each contender runs with N and with 2N operations, and the
//! difference of the two counts over N cancels setup and teardown.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Whether `case` is on a fast path whose instruction count is worth
/// tabulating: every arena and pool case, typed-arena allocation and the
/// single-thread concurrent-pool cases. Multi-thread cases (whose counts
/// depend on scheduling) and the evaluator are left out.
pub fn is_fast_path(case: &str) -> bool {
    case.starts_with("arena/")
        || case == "typed/alloc"
        || case == "typed/alloc-small"
        || case.starts_with("pool/")
        || case.starts_with("sync/single-thread")
}

/// Whether `valgrind` can be run.
pub fn valgrind_available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Builds the `compare` binary (release profile, in the target directory of
/// the running binary) and returns its path.
///
/// # Errors
///
/// When the build fails or the binary cannot be found after it.
pub fn build_compare(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "--quiet",
            "--release",
            "-p",
            "bench",
            "--bin",
            "compare",
        ])
        .current_dir(root);
    // Build into the target directory this binary came from, so that a
    // `CARGO_TARGET_DIR` given to `cargo run` is honoured.
    let target_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()));
    if let Some(dir) = &target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo build --release --bin compare` failed ({status})"
        ));
    }
    let dir = target_dir.unwrap_or_else(|| root.join("target"));
    let binary = dir
        .join("release")
        .join(format!("compare{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("{} is missing after the build", binary.display()))
    }
}

/// Instructions executed in the measured region of one run of `contender`
/// on `case` with `ops` operations.
///
/// # Errors
///
/// When valgrind fails to run, the run fails, or callgrind's output has no
/// count.
pub fn count(compare: &Path, ops: u64, case: &str, contender: &str) -> Result<u64, String> {
    let output = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--toggle-collect=*measured_region*",
            "--callgrind-out-file=/dev/null",
        ])
        .arg(compare)
        .args([
            "--ops",
            &ops.to_string(),
            "--case",
            case,
            "--contender",
            contender,
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("exit {}: {}", output.status, last.trim()));
    }
    collected(&stderr).ok_or_else(|| "no `Collected :` line in callgrind's output".to_owned())
}

/// The count in callgrind's `==PID== Collected : N` line.
pub fn collected(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let (_, rest) = line.split_once("Collected :")?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Instructions per operation from the counts at `ops` and `2 * ops`
/// operations.
pub fn per_op(at_ops: u64, at_twice: u64, ops: u64) -> f64 {
    (at_twice as f64 - at_ops as f64) / ops as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths() {
        for case in [
            "arena/u64-fresh",
            "typed/alloc",
            "typed/alloc-small",
            "pool/get-random",
            "sync/single-thread",
            "sync/single-thread-1000-live",
        ] {
            assert!(is_fast_path(case), "{case}");
        }
        for case in [
            "typed/drop",
            "sync/two-threads",
            "sync/threads-4",
            "calc/parse-eval",
        ] {
            assert!(!is_fast_path(case), "{case}");
        }
    }

    #[test]
    fn parses_callgrind_output() {
        let stderr = "==12== Callgrind, a call-graph generating cache profiler\n\
                      ==12== Events    : Ir\n==12== Collected : 4000123\n==12==\n\
                      ==12== I   refs:      9,999,999\n";
        assert_eq!(collected(stderr), Some(4_000_123));
        assert_eq!(collected("==1== Events : Ir\n"), None);
        assert_eq!(per_op(1_000_500, 2_000_500, 100_000), 10.0);
    }
}
