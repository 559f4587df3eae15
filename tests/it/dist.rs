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

/// Whether a Docker daemon answers (the client alone is not enough).
fn docker_runs() -> bool {
    crate::support::have("docker", &["info", "--format", "{{.ServerVersion}}"])
}

/// The release recipe on this machine (`scripts/dist.py`): a release build
/// with the C library linked statically, the wheel maturin packs it in, both
/// checked by building the demo course, and the container image when Docker
/// runs. A release build takes minutes, so this runs in CI (`CI=true`) or
/// when `SYLLABUS_TEST_DIST=1` asks; otherwise it says it was skipped.
#[test]
fn release_artifacts_build_the_demo_course() {
    let asked = std::env::var("SYLLABUS_TEST_DIST").is_ok_and(|v| v == "1");
    if !(crate::support::in_ci() || asked) {
        crate::support::skip_part(
            "dist::release_artifacts_build_the_demo_course: a release build takes minutes; \
             run it with SYLLABUS_TEST_DIST=1 (needs `pip install maturin`), as CI does",
        );
        return;
    }
    if !crate::support::have("maturin", &["--version"]) {
        crate::support::skip("maturin", "pip install maturin");
        return;
    }
    let out_dir = tempfile::tempdir().unwrap();
    let mut args = vec!["scripts/dist.py".to_string(), "--out".to_string()];
    args.push(out_dir.path().display().to_string());
    if docker_runs() {
        args.push("--docker".into());
    } else {
        // Docker is optional even in CI: the image is built by the release
        // workflow, and a machine may have the client without a daemon.
        crate::support::skip_part(
            "the container image check: no Docker daemon answers `docker info`",
        );
    }
    let started = std::time::Instant::now();
    let run = Command::new("python3")
        .args(&args)
        .current_dir(repo())
        .output()
        .expect("run python3 scripts/dist.py");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "scripts/dist.py failed:\n{printed}");
    eprintln!(
        "dist: release recipe checked in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        printed.contains("statically linked") || printed.contains("static-pie linked"),
        "`file` does not call the binary static:\n{printed}"
    );
    for expected in [
        "binary: syllabus ",
        "installed into a fresh virtual environment",
        "wheel: syllabus ",
        "dist: ok",
    ] {
        assert!(
            printed.contains(expected),
            "`{expected}` not printed:\n{printed}"
        );
    }
    let version = env!("CARGO_PKG_VERSION");
    let names: Vec<String> = walk(out_dir.path());
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("syllabus-{version}-")) && n.ends_with(".tar.gz")),
        "{names:?}"
    );
    assert!(
        names.iter().any(
            |n| n.starts_with(&format!("syllabus_ssg-{version}-py3-none-")) && n.ends_with(".whl")
        ),
        "{names:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}
