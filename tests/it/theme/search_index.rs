//! The size of `search-index.json` for the 1,000-page benchmark course of
//! `../shared/bench/`, built with the release binary: printed, not asserted.

use std::path::PathBuf;
use std::process::Command;

use super::{report, target_dir};
use crate::support;

/// The size of `search-index.json` for the 1,000-page benchmark course, built
/// with the release binary. A report, not an assertion of a number.
#[test]
fn search_index_size_for_the_benchmark_course() {
    let Some(shared) = support::shared() else {
        return;
    };
    let generator = shared.join("bench/gen_corpus.py");
    let dir = tempfile::tempdir().expect("temp dir");
    let course = dir.path().join("course");
    let generated = Command::new("python3")
        .arg(&generator)
        .args(["--pages", "1000", "--out"])
        .arg(&course)
        .output()
        .expect("run gen_corpus.py");
    assert!(
        generated.status.success(),
        "gen_corpus.py failed: {}",
        String::from_utf8_lossy(&generated.stderr)
    );
    std::fs::write(course.join("syllabus.toml"), "title = \"Bench\"\n").expect("config");

    let built = Command::new(release_binary())
        .args(["build", "--root"])
        .arg(&course)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("run syllabus");
    assert!(
        built.status.success(),
        "build of the benchmark course failed: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let index = course.join("public/search-index.json");
    let bytes = std::fs::metadata(&index).expect("search-index.json").len();
    let gzip = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&index)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or(String::new(), |o| {
            format!(", {} KiB gzipped", o.stdout.len() / 1024)
        });
    report(&format!(
        "search-index.json of the 1,000-page benchmark course: {bytes} bytes ({} KiB{gzip}, {} bytes a page)",
        bytes / 1024,
        bytes / 1000
    ));
}

/// `target/release/syllabus`, built (or found up to date) by cargo.
fn release_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "--bin",
            "syllabus",
        ])
        .arg("--manifest-path")
        .arg(support::repo().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir())
        .status()
        .expect("run cargo build --release");
    assert!(status.success(), "cargo build --release failed");
    target_dir().join("release/syllabus")
}
