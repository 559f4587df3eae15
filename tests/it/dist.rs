//! Distribution: what `--version` says, the wheel and the static binary built
//! the way the release workflow builds them (`scripts/dist.py`), and the
//! container image.

use std::process::Command;

use crate::support::repo;

/// `git` in this checkout, when it is one (not in a source package).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo())
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn version_names_the_release_and_the_commit() {
    let out = Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let prefix = format!("syllabus {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&prefix), "{line}");
    let top = git(&["rev-parse", "--show-toplevel"]).map(std::path::PathBuf::from);
    if top.and_then(|t| t.canonicalize().ok()) == repo().canonicalize().ok() {
        let head = git(&["log", "-1", "--format=%H, %cs"]).unwrap();
        let (hash, date) = head.split_once(", ").unwrap();
        assert_eq!(line, format!("{prefix}{}, {date})", &hash[..12]));
    } else {
        assert_eq!(line, format!("{prefix}unknown)"), "no Git checkout here");
    }
    let short = Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(["build", "-V"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&short.stdout).trim(),
        line.replacen("syllabus", "syllabus-build", 1)
    );
}
