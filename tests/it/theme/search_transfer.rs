//! What a student's first query downloads on the benchmark course of
//! `../shared/bench/` (1,000 pages; `SYLLABUS_SEARCH_BENCH_PAGES=10000` for
//! the 10,000-page course), built with the release binary and measured in
//! headless Chromium from the browser's own transfer sizes. Printed, and at
//! most [`BUDGET`].

use std::path::PathBuf;
use std::process::Command;

use super::server::StaticServer;
use super::{Check, report, target_dir};
use crate::support;

/// The most the first query may transfer (issue 16).
const BUDGET: u64 = 300 * 1024;
/// A word of the benchmark's vocabulary, on most of its pages.
const QUERY: &str = "pipeline";

#[test]
fn first_query_on_the_benchmark_course_transfers_at_most_300_kb() {
    let Some(shared) = support::shared() else {
        return;
    };
    let generator = shared.join("bench/gen_corpus.py");
    let pages: u32 = std::env::var("SYLLABUS_SEARCH_BENCH_PAGES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let course = dir.path().join("course");
    let generated = Command::new("python3")
        .arg(&generator)
        .args(["--pages", &pages.to_string(), "--out"])
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
    let public = course.join("public");
    let server = StaticServer::start(public.clone());
    let Some(mut t) = Check::start(&server) else {
        return;
    };
    t.open("/");
    t.js("performance.setResourceTimingBufferSize(10000); performance.clearResourceTimings()");
    let found = t.results_for(QUERY);
    assert!(!found.is_empty(), "`{QUERY}` finds pages");
    let entries = t.js("return performance.getEntriesByType('resource')
            .map(e => [new URL(e.name).pathname, e.transferSize])");
    let mut parts: [(&str, u64, u64); 4] = [
        ("index.json", 0, 0),
        ("term shards", 0, 0),
        ("page shards", 0, 0),
        ("result pages (excerpts)", 0, 0),
    ];
    for e in entries.as_array().into_iter().flatten() {
        let path = e[0].as_str().unwrap_or("");
        let bytes = e[1].as_u64().unwrap_or(0);
        let part = match path.rsplit('/').next().unwrap_or("") {
            "index.json" => 0,
            name if name.starts_with('t') && name.ends_with(".bin") => 1,
            name if name.starts_with('p') && name.ends_with(".bin") => 2,
            _ => 3,
        };
        parts[part].1 += 1;
        parts[part].2 += bytes;
    }
    let total: u64 = parts.iter().map(|p| p.2).sum();
    let (files, size) = folder_size(&public.join("search"));
    report(&format!(
        "search, {pages}-page benchmark course: the first query (`{QUERY}`, typed) transferred {total} bytes ({} KiB): {}; the index is {files} files, {} KiB",
        total / 1024,
        parts
            .iter()
            .map(|(name, n, bytes)| format!("{name} {n} file(s) {bytes} B"))
            .collect::<Vec<_>>()
            .join(", "),
        size / 1024,
    ));
    assert!(
        total <= BUDGET,
        "the first query transferred {total} bytes, more than {BUDGET}"
    );
}

/// Files and bytes under a folder.
fn folder_size(dir: &std::path::Path) -> (u64, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(n, b), e| {
            (n + 1, b + e.metadata().map_or(0, |m| m.len()))
        })
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
