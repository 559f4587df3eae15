//! Faults: a build killed at random moments never leaves a half-written site
//! live and never touches sources; a write failure is a clear error and the
//! previous site stays; output safety holds for symlinked and relative paths.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

/// Every file under `dir` (relative path → bytes); empty when `dir` does not exist.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            (
                rel.display().to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// A hash of every source file: content, config and templates.
fn sources_hash(site: &Site) -> u64 {
    let mut h = DefaultHasher::new();
    for dir in ["content", "templates"] {
        snapshot(&site.path().join(dir)).hash(&mut h);
    }
    std::fs::read(site.path().join("syllabus.toml"))
        .expect("config")
        .hash(&mut h);
    h.finish()
}

const PAGES: usize = 2_000;

/// About 2,000 pages in 40 sections; `version` shows in the home page title,
/// and so in the navigation of every page.
fn large_course(site: &Site, version: usize) {
    site.file(
        "content/index.md",
        &format!("# Course, version {version}\n\nWelcome.\n"),
    );
    for s in 0..40 {
        site.file(
            &format!("content/s{s:02}/index.md"),
            &format!("# Session {s}\n\nOverview.\n"),
        );
        for p in 0..PAGES / 40 - 1 {
            site.file(
                &format!("content/s{s:02}/p{p:02}.md"),
                &format!(
                    "# Page {s}.{p}\n\n## Part one\n\nText of version {version}, see [the session](index.md) \
                     and [the next part](#part-two).\n\n## Part two\n\n```python\nprint({p})\n```\n"
                ),
            );
        }
    }
}

fn syllabus(site: &Site, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("syllabus"));
    cmd.args(args)
        .arg("--root")
        .arg(site.path())
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// A full build that must succeed within a minute; returns how long it took.
fn build_ok(site: &Site) -> Duration {
    let start = Instant::now();
    let mut child = syllabus(site, &["build", "--quiet"])
        .spawn()
        .expect("run syllabus");
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            assert!(
                status.success(),
                "build failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            return start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("build did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Deterministic delays spread over the length of a build.
fn delays(build: Duration, count: usize) -> Vec<Duration> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Spread over the whole build, the random part moving each one within its slot.
            let slot = (i as f64 + (state % 1000) as f64 / 1000.0) / count as f64;
            build.mul_f64(0.02 + slot * 1.1)
        })
        .collect()
}

#[test]
fn killed_builds_never_leave_a_half_written_site() {
    let site = Site::new();
    large_course(&site, 0);
    let first = build_ok(&site);
    let public = site.path().join("public");
    let mut live = snapshot(&public);
    assert!(live.len() > PAGES, "{} files", live.len());
    // The same sources give the same bytes, so "complete" can be checked exactly.
    build_ok(&site);
    assert!(
        snapshot(&public) == live,
        "two builds of the same sources differ"
    );
    let tries = 10;
    let (mut old, mut new, mut absent) = (0, 0, 0);
    for (i, delay) in delays(first, tries).into_iter().enumerate() {
        large_course(&site, i + 1);
        let sources = sources_hash(&site);
        let mut child = syllabus(&site, &["build", "--quiet"])
            .spawn()
            .expect("run syllabus");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let after_kill = snapshot(&public);
        assert_eq!(
            sources,
            sources_hash(&site),
            "try {i}: the killed build changed sources"
        );
        build_ok(&site);
        let next = snapshot(&public);
        assert!(next.contains_key(".syllabus-output"), "try {i}: no marker");
        if after_kill.is_empty() {
            // Killed between moving the old site aside and moving the new one in:
            // the next build put the old one back first (and then replaced it).
            absent += 1;
        } else if after_kill == live {
            old += 1;
        } else if after_kill == next {
            new += 1;
        } else {
            let missing = live.keys().filter(|k| !after_kill.contains_key(*k)).count();
            panic!(
                "try {i} (killed after {delay:?}): the live site is neither the previous nor the next one \
                 ({} files, {missing} of the previous missing)",
                after_kill.len()
            );
        }
        assert_eq!(
            sources,
            sources_hash(&site),
            "try {i}: the next build changed sources"
        );
        for leftover in [".public.staging", ".public.previous"] {
            assert!(!site.exists(leftover), "try {i}: {leftover} left behind");
        }
        live = next;
    }
    eprintln!(
        "killed builds: {tries} of {tries} left a complete site ({old} previous, {new} new, \
         {absent} moved aside and restored); a full build took {first:?}"
    );
}

fn small_course() -> Site {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\n[A](a.md)\n");
    site.file("content/a.md", "# A\n");
    site
}

#[test]
fn a_file_where_a_folder_must_go_is_a_clear_error() {
    let site = small_course();
    site.build_ok();
    let before = snapshot(&site.path().join("public"));
    // The page `a.md` needs the folder `a/`; an asset file `a` is copied to the same place.
    site.file("content/a", "an asset without an extension");
    let sources = sources_hash(&site);
    let out = site.build().fails();
    assert!(
        out.contains(
            "error[E081]: the file `content/a` and the URL of `content/a.md` need the same place in the site"
        ),
        "{out}"
    );
    assert!(out.contains("help: rename one of them"), "{out}");
    assert_eq!(
        before,
        snapshot(&site.path().join("public")),
        "the previous site changed"
    );
    assert!(
        !site.exists(".public.staging"),
        "staging folder left behind"
    );
    assert_eq!(sources, sources_hash(&site));
}

#[cfg(unix)]
#[test]
fn a_read_only_output_parent_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_course();
    std::fs::create_dir_all(site.path().join("site")).expect("mkdir");
    let run = site.run(&["build", "--output", "site/public"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let before = snapshot(&site.path().join("site/public"));
    site.file("content/b.md", "# B\n");
    let parent = site.path().join("site");
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let blocked = std::fs::write(parent.join("probe"), "").is_err();
    if !blocked {
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        crate::support::skip_part(
            "a read-only folder does not stop this user (root) from writing; a file where a folder must go covers write failures",
        );
        return;
    }
    let out = site.run(&["build", "--output", "site/public"]).fails();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert!(out.contains("error: cannot"), "{out}");
    assert!(out.contains("Permission denied"), "{out}");
    assert_eq!(before, snapshot(&site.path().join("site/public")));
}

#[cfg(unix)]
#[test]
fn output_safety_holds_for_symlinked_and_relative_paths() {
    let site = small_course();
    std::fs::create_dir_all(site.path().join("work")).expect("mkdir");
    let link = |target: &Path, name: &str| {
        std::os::unix::fs::symlink(target, site.path().join(name)).expect("symlink")
    };
    link(site.path(), "to_root");
    link(&site.path().join("content"), "to_content");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(elsewhere.path().join("thesis.tex"), "precious").expect("write");
    link(elsewhere.path(), "to_foreign");
    let before = snapshot(site.path());
    let cases = [
        ("to_root", "is or contains the project folder"),
        ("to_content", "is or contains `content`"),
        ("to_content/public", "is inside `content`"),
        ("work/../content", "is or contains `content`"),
        ("./content/./x/..", "is or contains `content`"),
        ("work/../../", "is or contains the project folder"),
        ("to_foreign", "was not made by syllabus"),
    ];
    for (out, why) in cases {
        let err = site.run(&["build", "--output", out]).fails();
        assert!(err.contains("refus"), "{out}: {err}");
        assert!(err.contains(why), "{out}: {err}");
    }
    assert_eq!(
        before,
        snapshot(site.path()),
        "a refused build touched the project"
    );
    assert!(elsewhere.path().join("thesis.tex").exists());
    // A relative output of its own, written the long way, is fine.
    let run = site.run(&["build", "--output", "work/../work/site"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(site.exists("work/site/a/index.html"));
}
