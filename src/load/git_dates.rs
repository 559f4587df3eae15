//! Last-updated dates of pages from Git: when the course is a Git repository
//! and `git` is installed, one `git log` pass gives each file's last commit
//! date. Without either, pages simply have no such date.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Last commit date (`YYYY-MM-DD`) of each file under `content_dir`, keyed by
/// its path relative to `content_dir`.
pub fn last_commit_dates(content_dir: &Path) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let Ok(out) = Command::new("git")
        .arg("-C")
        .arg(content_dir)
        .args([
            "log",
            "--format=%x00%cs",
            "--name-only",
            "--no-renames",
            "--relative",
            "--",
            ".",
        ])
        .output()
    else {
        return dates;
    };
    if !out.status.success() {
        return dates;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut current = "";
    for line in text.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = date;
        } else if !line.is_empty() && !current.is_empty() {
            // Newest commits come first: keep the first date seen.
            dates
                .entry(line.to_string())
                .or_insert_with(|| current.to_string());
        }
    }
    dates
}
