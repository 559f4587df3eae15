//! The workflows `syllabus init` writes and this repository uses: their
//! inputs (parsed as YAML) and the zizmor linter.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{self, repo};

/// A fresh `syllabus init` in a temporary folder.
fn initialised() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn workflow(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts what both workflows must do; returns the deploy step's inputs.
fn assert_workflow(wf: &Value, install: &str) {
    let on = &wf["on"];
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    assert_eq!(
        on["pull_request"]["types"],
        serde_json::json!(["opened", "synchronize", "reopened", "closed"])
    );
    assert_eq!(
        wf["permissions"],
        serde_json::json!({"contents": "read"}),
        "least privilege at the top"
    );
    let jobs = wf["jobs"].as_object().expect("jobs");
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["build_and_deploy", "check", "close"]
    );
    for (name, job) in jobs {
        for step in job["steps"].as_array().unwrap() {
            if step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
            {
                assert_eq!(step["with"]["persist-credentials"], false, "{name}");
            }
        }
    }
    let check = &jobs["check"];
    let steps = check["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .any(|s| s["run"].as_str().is_some_and(|r| r.contains(install))),
        "{steps:?}"
    );
    let check_step = steps
        .iter()
        .find(|s| s["run"] == "syllabus check")
        .expect("a syllabus check step");
    assert_eq!(check_step["env"]["GITHUB_ACTIONS"], "true");
    assert!(
        check.get("permissions").is_none(),
        "the check job needs nothing more than reading"
    );

    let build = &jobs["build_and_deploy"];
    assert_eq!(
        build["permissions"],
        serde_json::json!({"contents": "read", "pull-requests": "write"})
    );
    let steps = build["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains(install)), "{runs:?}");
    assert!(runs.contains(&"syllabus build"), "{runs:?}");
    let deploy = steps
        .iter()
        .find(|s| s["uses"] == "Azure/static-web-apps-deploy@v1")
        .expect("deploy step");
    assert_eq!(
        deploy["if"],
        "github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository",
        "forks build but do not deploy"
    );
    let with = &deploy["with"];
    assert_eq!(with["action"], "upload");
    assert_eq!(with["skip_app_build"], true);
    assert_eq!(with["app_location"], "public");
    assert_eq!(with["output_location"], "");
    assert_eq!(with["api_location"], "");
    assert_eq!(
        with["azure_static_web_apps_api_token"],
        "${{ secrets.AZURE_STATIC_WEB_APPS_API_TOKEN }}"
    );
    assert_eq!(with["repo_token"], "${{ secrets.GITHUB_TOKEN }}");
    assert_eq!(build["if"], "github.event.action != 'closed'");
    assert_eq!(check["if"], "github.event.action != 'closed'");

    let close = &jobs["close"];
    assert!(
        close["if"]
            .as_str()
            .unwrap()
            .contains("github.event.action == 'closed'")
    );
    assert_eq!(close["permissions"], serde_json::json!({}));
    let steps = close["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "no checkout needed to close");
    assert_eq!(steps[0]["with"]["action"], "close");
    assert_eq!(
        steps[0]["with"]["azure_static_web_apps_api_token"],
        "${{ secrets.AZURE_STATIC_WEB_APPS_API_TOKEN }}"
    );
}

/// The position and the step of the first step of `steps` that `pred` accepts.
fn step<'a>(steps: &'a [Value], what: &str, pred: impl Fn(&Value) -> bool) -> (usize, &'a Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| pred(s))
        .unwrap_or_else(|| panic!("no {what} step in {steps:?}"))
}

/// Asserts that `job` installs the released syllabus unless
/// `SYLLABUS_INSTALL` is "source", and otherwise restores a binary compiled
/// from source from its cache and compiles only on a cache miss; all before
/// `run`. Returns the job's steps and the position of the `run` step.
fn assert_cached_install<'a>(job: &'a Value, install: &str, run: &str) -> (&'a [Value], usize) {
    let steps = job["steps"].as_array().unwrap().as_slice();
    let (release_at, release) = step(steps, "install", |s| {
        s["run"].as_str().is_some_and(|r| r.contains(install))
    });
    assert_eq!(release["if"], "env.SYLLABUS_INSTALL != 'source'");
    let (cache_at, cache) = step(steps, "binary cache", |s| {
        s["with"]["path"] == "~/.cargo/bin/syllabus"
    });
    assert_eq!(cache["uses"], "actions/cache@v4", "pinned by release tag");
    assert_eq!(cache["id"], "syllabus-bin");
    assert_eq!(cache["if"], "env.SYLLABUS_INSTALL == 'source'");
    assert_eq!(
        cache["with"]["key"],
        "syllabus-bin-${{ runner.os }}-${{ env.SYLLABUS_VERSION }}"
    );
    let (compile_at, compile) = step(steps, "compile", |s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.starts_with("cargo install"))
    });
    assert_eq!(
        compile["run"],
        "cargo install --locked --version \"${SYLLABUS_VERSION}\" syllabus"
    );
    assert_eq!(
        compile["if"],
        "env.SYLLABUS_INSTALL == 'source' && steps.syllabus-bin.outputs.cache-hit != 'true'",
        "compiled only when asked, and only on a cache miss"
    );
    let (run_at, _) = step(steps, run, |s| s["run"] == run);
    assert!(
        release_at < run_at && cache_at < compile_at && compile_at < run_at,
        "{steps:?}"
    );
    (steps, run_at)
}

/// The workflow `init` writes keeps the syllabus binary and the highlight
/// cache between runs (this repository's own workflow builds syllabus from the
/// checkout, so it has no binary of a release to keep).
fn assert_caches(wf: &Value, install: &str) {
    let jobs = &wf["jobs"];
    assert_cached_install(&jobs["check"], install, "syllabus check");
    let (steps, build_at) =
        assert_cached_install(&jobs["build_and_deploy"], install, "syllabus build");
    let (highlight_at, highlight) = step(steps, "highlight cache", |s| {
        s["with"]["path"] == ".syllabus-cache"
    });
    assert_eq!(
        highlight["uses"], "actions/cache@v4",
        "pinned by release tag"
    );
    assert_eq!(
        highlight["with"]["key"],
        "syllabus-highlight-${{ env.SYLLABUS_VERSION }}-${{ hashFiles('**/*.md') }}"
    );
    assert_eq!(
        highlight["with"]["restore-keys"], "syllabus-highlight-${{ env.SYLLABUS_VERSION }}-",
        "changed pages restore the newest earlier cache"
    );
    assert!(highlight_at < build_at, "restored before the build");
}

#[test]
fn workflows_have_the_expected_inputs() {
    let dir = initialised();
    let init = workflow(
        &dir.path()
            .join(".github/workflows/azure-static-web-apps.yml"),
    );
    let install =
        "pipx install --pip-args='--only-binary=:all:' \"syllabus-ssg==${SYLLABUS_VERSION}\"";
    assert_workflow(&init, install);
    assert_caches(&init, install);
    assert_eq!(init["env"]["SYLLABUS_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_eq!(init["env"]["SYLLABUS_INSTALL"], "release");
    let own = workflow(&repo().join(".github/workflows/azure-static-web-apps.yml"));
    assert_workflow(&own, "cargo install --locked --path .");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".github/zizmor.yml")).unwrap(),
        std::fs::read_to_string(repo().join(".github/zizmor.yml")).unwrap(),
        "one policy for the linter in both places"
    );
}

#[test]
fn workflows_pass_zizmor() {
    if !support::have("zizmor", &["--version"]) {
        support::skip("zizmor (the GitHub Actions linter)", "pip install zizmor");
        return;
    }
    let dir = initialised();
    for root in [dir.path(), repo().as_path()] {
        let out = Command::new("zizmor")
            .args(["--offline", ".github/workflows/"])
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "zizmor on {}:\n{}{}",
            root.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The repository's own CI runs the tests as `.ci/run` does, with CI=true (so
/// a missing tool or snapshot fails), and the formatting and Clippy checks.
#[test]
fn ci_workflow_runs_the_tests_formatting_and_clippy() {
    let wf = workflow(&repo().join(".github/workflows/ci.yml"));
    assert_eq!(wf["on"]["push"]["branches"], serde_json::json!(["main"]));
    assert!(wf["on"].get("pull_request").is_some(), "{:?}", wf["on"]);
    assert_eq!(wf["permissions"], serde_json::json!({"contents": "read"}));
    let runs = |job: &str| -> Vec<String> {
        wf["jobs"][job]["steps"]
            .as_array()
            .unwrap_or_else(|| panic!("no steps in job {job}"))
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_string))
            .collect()
    };
    assert!(runs("test").contains(&".ci/run".to_string()));
    assert_eq!(wf["jobs"]["test"]["env"]["CI"], "true");
    let lint = runs("lint");
    assert!(lint.contains(&"cargo fmt --check".to_string()), "{lint:?}");
    assert!(
        lint.contains(&"cargo clippy --locked --all-targets -- -D warnings".to_string()),
        "{lint:?}"
    );
}
