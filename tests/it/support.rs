//! Fixture sites in temporary folders, the binary, and tools tests may need.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

/// A course folder in a temporary directory.
pub struct Site {
    pub dir: TempDir,
}

impl Site {
    /// An empty course with a minimal `syllabus.toml`.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.file("syllabus.toml", "title = \"Test course\"\n");
        site
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        copy_dir(&repo().join("tests/fixtures").join(name), site.path());
        site
    }

    /// A copy of this repository's own course (content, themes, static, config).
    pub fn demo() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for dir in ["content", "themes", "static"] {
            if repo().join(dir).exists() {
                copy_dir(&repo().join(dir), &site.path().join(dir));
            }
        }
        std::fs::copy(
            repo().join("syllabus.toml"),
            site.path().join("syllabus.toml"),
        )
        .expect("copy config");
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file, creating its folders.
    pub fn file(&self, rel: &str, text: &str) -> &Site {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// `syllabus <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::cargo_bin("syllabus").expect("binary");
        cmd.args(args).arg("--root").arg(self.path());
        Run::of(cmd)
    }

    /// `syllabus <args>` run inside the site's folder (for commands without `--root`).
    pub fn run_in_root(&self, args: &[&str]) -> Run {
        let mut cmd = Command::cargo_bin("syllabus").expect("binary");
        cmd.args(args).current_dir(self.path());
        Run::of(cmd)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds and fails the test unless the build succeeds.
    pub fn build_ok(&self) -> Run {
        let run = self.build();
        assert_eq!(
            run.code,
            Some(0),
            "build failed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        run
    }

    /// The `<main>` … `</main>` part of a built page, where the page's content is.
    pub fn main_of(&self, rel: &str) -> String {
        let html = self.read(rel);
        let start = html
            .find("<main")
            .unwrap_or_else(|| panic!("no <main> in {rel}"));
        let end = html.rfind("</main>").map_or(html.len(), |e| e + 7);
        html[start..end].to_string()
    }

    /// The page's own content: the theme's `<div class="prose">` inside `<main>`,
    /// without the layout around it, so that a theme tweak does not rewrite snapshots.
    pub fn content_of(&self, rel: &str) -> String {
        let html = self.read(rel);
        let open = "<div class=\"prose\">";
        let start = html
            .find(open)
            .unwrap_or_else(|| panic!("no {open} in {rel}"));
        let mut depth = 0;
        let mut at = start;
        while let Some(next) = html[at..]
            .find("<div")
            .into_iter()
            .chain(html[at..].find("</div>"))
            .min()
        {
            at += next;
            if html[at..].starts_with("</div>") {
                depth -= 1;
                at += "</div>".len();
                if depth == 0 {
                    return html[start..at].to_string();
                }
            } else {
                depth += 1;
                at += "<div".len();
            }
        }
        panic!("{open} is not closed in {rel}")
    }

    /// What a run printed, for a snapshot: exit code, stdout and stderr, with
    /// this site's temporary folder written as `[site]`.
    pub fn transcript(&self, run: &Run) -> String {
        let site = self.path().display().to_string();
        format!(
            "exit code: {:?}\n--- stdout\n{}--- stderr\n{}",
            run.code,
            run.stdout.replace(&site, "[site]"),
            run.stderr.replace(&site, "[site]")
        )
    }
}

/// What a run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `cmd` outside GitHub Actions and collects what it printed.
    fn of(mut cmd: Command) -> Run {
        let out = cmd
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("run syllabus");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Asserts exit code 1 and returns everything printed.
    pub fn fails(&self) -> String {
        assert_eq!(self.code, Some(1), "expected exit 1:\n{}", self.all());
        assert!(!self.all().contains("panicked"), "panic:\n{}", self.all());
        self.all()
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `../shared` beside the repository: `None` (said where the user sees it) on a
/// user's clone, a failure in CI unless `SYLLABUS_NO_SHARED=1` says the folder
/// cannot be there (a CI service that checks out only this repository).
pub fn shared() -> Option<PathBuf> {
    let dir = repo().join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    let what =
        "the reference files of ../shared (real courses, Azure's schema, the benchmark generator)";
    let how = "put the project's shared folder beside the repository";
    if std::env::var("SYLLABUS_NO_SHARED").is_ok_and(|v| v == "1") {
        say_skipped(what, how);
    } else {
        skip(what, how);
    }
    None
}

/// Says that tests needing `what` were skipped and how to `install` it, once a run,
/// where the person running the tests sees it; in CI (`CI=true`), fails instead.
///
/// `cargo test` keeps what a passing test prints with `eprintln!` to itself, so a
/// test that checked nothing would look like a pass.
pub fn skip(what: &str, install: &str) {
    if in_ci() {
        panic!("required in CI: {what} (install: {install})");
    }
    say_skipped(what, install);
}

/// Says once a run that part of a test cannot be checked here and why (the
/// user is root, say); unlike [`skip`] this is no failure in CI.
pub fn skip_part(why: &str) {
    say_once(why, &format!("SKIPPED: {why}\n"));
}

fn say_skipped(what: &str, install: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    say_once(
        what,
        &format!(
            "SKIPPED: what needs {what} was not checked (first in {test})\n  install: {install}\n"
        ),
    );
}

/// Writes `message` to the terminal (or, without one, to stderr, which cargo
/// does not capture when written to directly), unless this run said `key` before.
fn say_once(key: &str, message: &str) {
    static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());
    {
        let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
        if said.iter().any(|k| k == key) {
            return;
        }
        said.push(key.to_string());
    }
    let tty = std::fs::OpenOptions::new().write(true).open("/dev/tty");
    let written = tty.and_then(|mut t| t.write_all(message.as_bytes()));
    if written.is_err() {
        let _ = std::io::stderr().lock().write_all(message.as_bytes());
    }
}

/// Whether `program --version` (or the given probe) runs.
pub fn have(program: &str, probe: &[&str]) -> bool {
    Command::new(program)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
