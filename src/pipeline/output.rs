//! The output folder: safety rules, a staging folder beside it, and the swap.
//!
//! A build writes into `.<name>.staging` next to the output and swaps it in
//! only when everything was written; a failed or killed build leaves the
//! previous site in place. Only a folder syllabus made (it holds [`MARKER`])
//! or an empty one is ever replaced or removed: the output, and the staging
//! and previous folders beside it. One writer at a time holds the output's
//! [`lock`](super::lock).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::lock::{self, OutputLock, Writer};
pub use crate::outputs::site_files::MARKER;

/// A validated output location, locked for one writer while this value lives.
#[derive(Debug)]
pub struct Output {
    /// Absolute path of the live site folder.
    pub dir: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    _lock: OutputLock,
}

/// Checks that the output folder may be written, and locks it for `writer`;
/// `Err` says why it may not.
pub fn check(root: &Path, output: &Path, protected: &[PathBuf], writer: Writer) -> Result<Output> {
    let root = fs::canonicalize(root)
        .with_context(|| format!("cannot open the project folder `{}`", root.display()))?;
    let output = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    };
    let output = resolve(&output);
    let Some(name) = output.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        bail!(
            "refusing to write the site to `{}`: choose a folder of its own, such as `public`",
            output.display()
        );
    };
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| resolve(&h));
    let mut guarded: Vec<(PathBuf, String)> = vec![(root.clone(), "the project folder".into())];
    for p in protected {
        let p = resolve(&if p.is_absolute() {
            p.clone()
        } else {
            root.join(p)
        });
        guarded.push((
            p.clone(),
            format!("`{}`", p.strip_prefix(&root).unwrap_or(&p).display()),
        ));
    }
    if let Some(h) = &home {
        guarded.push((h.clone(), "your home folder".into()));
    }
    guarded.push((PathBuf::from("/"), "the file system root".into()));
    for (path, what) in &guarded {
        if path.starts_with(&output) {
            bail!(
                "refusing to write the site to `{}`: it is or contains {what}, which a build would replace\n  help: set `output_dir` (or `--output`) to a folder of its own, such as `public`",
                output.display()
            );
        }
    }
    for (path, what) in guarded.iter().skip(1).take(protected.len()) {
        if output.starts_with(path) {
            bail!(
                "refusing to write the site to `{}`: it is inside {what}, which holds your sources\n  help: set `output_dir` (or `--output`) to a folder outside it, such as `public`",
                output.display()
            );
        }
    }
    let parent = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.clone());
    // Locked before anything is removed: another build may be using the staging folder.
    let lock = lock::acquire(&parent.join(format!(".{name}.lock")), &output, writer)?;
    let out = Output {
        staging: parent.join(format!(".{name}.staging")),
        previous: parent.join(format!(".{name}.previous")),
        dir: output,
        _lock: lock,
    };
    out.recover()?;
    if out.dir.exists() {
        if !out.dir.is_dir() {
            bail!(
                "refusing to write the site to `{}`: it is a file, not a folder",
                out.dir.display()
            );
        }
        let empty = fs::read_dir(&out.dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.dir.join(MARKER).is_file() {
            bail!(
                "refusing to replace `{}`: it is not empty and was not made by syllabus (no `{MARKER}` in it)\n  help: move it away, or choose another output folder with `--output`",
                out.dir.display()
            );
        }
    }
    Ok(out)
}

/// Canonical form of a path that may not exist yet: its longest existing ancestor is canonicalised.
fn resolve(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = fs::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return normalize(&out);
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return normalize(path),
        }
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl Output {
    /// Puts back a site left aside by a build that was killed during the swap,
    /// and clears a staging folder it left.
    fn recover(&self) -> Result<()> {
        if !self.dir.exists() && self.previous.join(MARKER).is_file() {
            fs::rename(&self.previous, &self.dir)
                .with_context(|| format!("cannot restore `{}`", self.dir.display()))?;
        }
        remove_owned(&self.staging, STAGING_USE)?;
        remove_owned(&self.previous, PREVIOUS_USE)
    }

    /// A fresh, empty staging folder.
    pub fn start(&self) -> Result<&Path> {
        remove_owned(&self.staging, STAGING_USE)?;
        fs::create_dir_all(&self.staging)
            .with_context(|| format!("cannot create `{}`", self.staging.display()))?;
        fs::write(
            self.staging.join(MARKER),
            "This folder is written by syllabus; it is replaced on every build.\n",
        )
        .with_context(|| format!("cannot write in `{}`", self.staging.display()))?;
        Ok(&self.staging)
    }

    /// Swaps the staging folder in as the live site.
    pub fn commit(&self) -> Result<()> {
        if self.dir.exists() {
            fs::rename(&self.dir, &self.previous).with_context(|| {
                format!(
                    "cannot move the previous site `{}` aside",
                    self.dir.display()
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.dir) {
            let _ = fs::rename(&self.previous, &self.dir);
            return Err(e).with_context(|| {
                format!("cannot move the new site into `{}`", self.dir.display())
            });
        }
        remove_owned(&self.previous, PREVIOUS_USE)
    }

    /// Removes the staging folder after a failed build.
    pub fn abandon(&self) {
        let _ = remove_owned(&self.staging, STAGING_USE);
    }
}

const STAGING_USE: &str = "the site being built";
const PREVIOUS_USE: &str = "the previous site while the new one is swapped in";

/// Removes `dir` and what it holds if syllabus made it (it holds [`MARKER`])
/// or it is empty; refuses anything else. `used_for` says what syllabus keeps there.
fn remove_owned(dir: &Path, used_for: &str) -> Result<()> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", dir.display())),
    };
    let refuse = |what: &str| {
        anyhow::anyhow!(
            "refusing to remove `{}`: it is {what}\n  help: move it away; syllabus keeps {used_for} under this name",
            dir.display()
        )
    };
    if meta.is_symlink() {
        return Err(refuse("a symbolic link, which syllabus never makes"));
    }
    if !meta.is_dir() {
        return Err(refuse("a file, not a folder syllabus made"));
    }
    let empty = fs::read_dir(dir)
        .with_context(|| format!("cannot read `{}`", dir.display()))?
        .next()
        .is_none();
    if !empty && !dir.join(MARKER).is_file() {
        return Err(refuse(&format!(
            "not empty and was not made by syllabus (no `{MARKER}` in it)"
        )));
    }
    remove_marked(dir).with_context(|| format!("cannot remove `{}`", dir.display()))
}

/// Removes a folder with its marker last, so that a removal cut short (a
/// killed build) leaves a folder that is still marked, or empty.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}
