//! Where figures come from: the machine, the date, the commit and the
//! command, for chart captions and README notes.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The circumstances of one report run.
#[derive(Clone, Debug)]
pub struct Provenance {
    /// The CPU model, as `/proc/cpuinfo` names it.
    pub cpu: String,
    /// Logical CPUs available to the process.
    pub cores: usize,
    /// The UTC date, `YYYY-MM-DD`.
    pub date: String,
    /// The short commit hash, with a note when the work tree differs.
    pub commit: String,
    /// The command that made the figures.
    pub command: String,
}

impl Provenance {
    /// Looks up the machine, today's date and the commit checked out at
    /// `root`; `command` is recorded as given.
    pub fn detect(root: &Path, command: String) -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|text| cpu_model(&text))
            .unwrap_or_else(|| format!("unknown {} CPU", std::env::consts::ARCH));
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self {
            cpu,
            cores,
            date: iso_date(secs),
            commit: git_commit(root),
            command,
        }
    }

    /// `CPU (N cores)`.
    pub fn machine(&self) -> String {
        let unit = if self.cores == 1 { "core" } else { "cores" };
        format!("{} ({} {unit})", self.cpu, self.cores)
    }

    /// One line naming machine, date and commit.
    pub fn caption(&self) -> String {
        format!(
            "{} · {} · commit {}",
            self.machine(),
            self.date,
            self.commit
        )
    }
}

/// The first `model name` (x86) or `Model`/`Processor` (Arm) value in the
/// text of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Model", "Processor", "cpu model"]
        .iter()
        .find_map(|key| {
            cpuinfo.lines().find_map(|line| {
                let (name, value) = line.split_once(':')?;
                (name.trim() == *key && !value.trim().is_empty()).then(|| value.trim())
            })
        })
        .map(|model| model.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The UTC calendar date of a Unix time, `YYYY-MM-DD`.
pub fn iso_date(unix_secs: u64) -> String {
    // Days since 1970-01-01 to a civil date, counting in 400-year eras that
    // start on 1 March so that leap days fall at the end of a year.
    let days = (unix_secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The short hash of `HEAD` at `root`, marked when tracked files differ from
/// it; `unknown` outside a git checkout.
fn git_commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(hash) if !hash.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|status| !status.is_empty());
            if dirty {
                format!("{hash} + local changes")
            } else {
                hash
            }
        }
        _ => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(951_782_400), "2000-02-29");
        assert_eq!(iso_date(1_709_251_199), "2024-02-29");
        assert_eq!(iso_date(1_709_251_200), "2024-03-01");
        assert_eq!(iso_date(1_735_689_599), "2024-12-31");
    }

    #[test]
    fn cpu_models() {
        let x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\n\
                   model name\t: Intel(R) Xeon(R)   CPU @ 2.20GHz\n";
        assert_eq!(
            cpu_model(x86).as_deref(),
            Some("Intel(R) Xeon(R) CPU @ 2.20GHz")
        );
        let arm = "processor\t: 0\nBogoMIPS\t: 48.00\n\nModel\t: Raspberry Pi 4 Model B\n";
        assert_eq!(cpu_model(arm).as_deref(), Some("Raspberry Pi 4 Model B"));
        assert_eq!(cpu_model("processor : 0\n"), None);
    }
}
