//! Fixture sites in temporary folders, the binary, and tools tests may need.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// `../shared` beside the repository: `None` (with a message) on a user's clone, a failure in CI.
pub fn shared() -> Option<PathBuf> {
    let dir = repo().join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    skip("../shared is not beside the repository");
    None
}

/// Says a test was skipped because `what`; in CI, fails instead.
pub fn skip(what: &str) {
    if in_ci() {
        panic!("required in CI: {what}");
    }
    eprintln!("SKIPPED: {what}");
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
