//! Build-time facts the binary embeds:
//!
//! 1. the `default` theme, so that a course without a `themes/` folder (an
//!    imported MkDocs course, a fresh clone of a course repo) still builds;
//! 2. what identifies this exact build, for `syllabus --version` and the key of
//!    the on-disk highlight cache: the Git commit (from Git, from the
//!    `.cargo_vcs_info.json` of a crates.io package, or from
//!    `SYLLABUS_BUILD_COMMIT`; "unknown" when none has it), and a fingerprint
//!    of the highlighting data (the locked grammar and theme packages and our
//!    highlighting code).
//!
//! Sets `SYLLABUS_VERSION_LINE`, `SYLLABUS_GIT_COMMIT` and
//! `SYLLABUS_HIGHLIGHT_DATA` for the compiler.

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Packages whose contents decide how code is highlighted: syntect's engine and
/// two-face's precompiled grammars and themes, with the regex engine.
const HIGHLIGHT_PACKAGES: &[&str] = &["syntect", "two-face", "onig", "onig_sys", "fancy-regex"];

/// Our own code that turns tokens into the cached HTML.
const HIGHLIGHT_SOURCES: &[&str] = &["src/markdown/highlight.rs"];

fn main() {
    // Read at run time: a build script binary may be reused for another checkout.
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    embed_default_theme(&manifest);

    let commit = commit(&manifest);
    let hash = commit.as_ref().map_or("unknown", |c| c.hash.as_str());
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let line = match &commit {
        Some(Commit {
            hash,
            date: Some(date),
        }) => format!("{version} (commit {}, {date})", short(hash)),
        Some(Commit { hash, date: None }) => format!("{version} (commit {})", short(hash)),
        None => format!("{version} (commit unknown)"),
    };
    println!("cargo:rustc-env=SYLLABUS_VERSION_LINE={line}");
    println!("cargo:rustc-env=SYLLABUS_GIT_COMMIT={hash}");
    println!(
        "cargo:rustc-env=SYLLABUS_HIGHLIGHT_DATA={:016x}",
        highlight_fingerprint(&manifest)
    );
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

struct Commit {
    hash: String,
    /// The commit date (`YYYY-MM-DD`), known only from Git itself.
    date: Option<String>,
}

/// The commit this source was built from, from the first source that knows it.
fn commit(manifest: &Path) -> Option<Commit> {
    println!("cargo:rerun-if-env-changed=SYLLABUS_BUILD_COMMIT");
    if let Ok(hash) = std::env::var("SYLLABUS_BUILD_COMMIT") {
        let hash = hash.trim();
        if !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Some(Commit {
                hash: hash.to_string(),
                date: None,
            });
        }
    }
    git_commit(manifest).or_else(|| packaged_commit(manifest))
}

fn git(manifest: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(manifest)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// HEAD of the Git checkout this package is the root of. A package unpacked
/// inside some other repository (a registry cache in a versioned home folder)
/// must not take that repository's commit, hence the top-level check.
fn git_commit(manifest: &Path) -> Option<Commit> {
    let dirs = git(
        manifest,
        &[
            "rev-parse",
            "--path-format=absolute",
            "--show-toplevel",
            "--git-dir",
            "--git-common-dir",
            "--symbolic-full-name",
            "HEAD",
        ],
    )?;
    let lines: Vec<&str> = dirs.lines().collect();
    let [top, git_dir, common, head_ref] = lines[..] else {
        return None;
    };
    let same = |a: &Path, b: &Path| a.canonicalize().ok() == b.canonicalize().ok();
    if !same(Path::new(top), manifest) {
        return None;
    }
    // Rebuild when HEAD moves (a commit, a checkout), whether its branch is a
    // loose or a packed ref; the reflog catches a commit on a packed branch.
    // Only this checkout's files: other branches' commits change nothing here.
    let (git_dir, common) = (Path::new(git_dir), Path::new(common));
    let mut watched = vec![git_dir.join("HEAD"), git_dir.join("logs/HEAD")];
    if head_ref.starts_with("refs/") {
        watched.extend([common.join(head_ref), common.join("packed-refs")]);
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let log = git(manifest, &["log", "-1", "--format=%H %cs"])?;
    let (hash, date) = log.split_once(' ')?;
    Some(Commit {
        hash: hash.to_string(),
        date: Some(date.to_string()),
    })
}

/// The commit `cargo package` recorded in a crates.io package.
fn packaged_commit(manifest: &Path) -> Option<Commit> {
    let path = manifest.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    let end = start + after[start..].find('"')?;
    let hash = &after[start..end];
    hash.bytes().all(|b| b.is_ascii_hexdigit()).then(|| Commit {
        hash: hash.to_string(),
        date: None,
    })
}

/// A hash of the locked versions and checksums of the highlighting packages
/// (a crate's checksum covers its embedded grammar and theme dumps) and of our
/// highlighting code, so that cached HTML from other highlighting data is
/// never reused, even by a build of the same commit with other dependencies.
fn highlight_fingerprint(manifest: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let lock = manifest.join("Cargo.lock");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        println!("cargo:rerun-if-changed={}", lock.display());
        for block in text.split("[[package]]") {
            let name = block
                .lines()
                .find_map(|l| l.strip_prefix("name = "))
                .map(|n| n.trim_matches('"'));
            if name.is_some_and(|n| HIGHLIGHT_PACKAGES.contains(&n)) {
                block.trim().hash(&mut hasher);
            }
        }
    }
    for rel in HIGHLIGHT_SOURCES {
        let path = manifest.join(rel);
        println!("cargo:rerun-if-changed={}", path.display());
        std::fs::read(&path).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}

fn embed_default_theme(manifest: &Path) {
    let root = manifest.join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Files of the built-in default theme: (path inside the theme, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),").expect("writing to a String");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_theme.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
