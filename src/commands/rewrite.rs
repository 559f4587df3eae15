//! `syllabus import mkdocs --rewrite`: the MkDocs-Material syntax of every
//! page (admonitions, collapsible blocks, content tabs, `markdown` attributes)
//! rewritten into Markdown that GitHub renders too (see `markdown::github`),
//! with a summary of what changed in each file.
//!
//! Files are rewritten only where Git can give them back: a file with
//! uncommitted changes, or a course outside Git, is refused unless `--force`.
//! Front matter is left as it is; only the Markdown after it is rewritten.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::diagnostics::Severity;
use crate::load::frontmatter;
use crate::markdown::github::{self, Changes};

/// How to rewrite.
#[derive(Debug, Clone, Copy, Default)]
pub struct RewriteOptions {
    /// Rewrite files with uncommitted changes, or outside Git, too.
    pub force: bool,
    /// Say what would change; write nothing.
    pub dry_run: bool,
}

/// One file the rewrite changes.
#[derive(Debug)]
pub struct FileChange {
    /// Path relative to the course folder, with `/`.
    pub path: String,
    pub changes: Changes,
    pub lines_before: usize,
    pub lines_after: usize,
}

/// Rewrites the pages under `content_dir` (inside `root`); returns what changed.
pub fn rewrite_pages(
    root: &Path,
    content_dir: &Path,
    options: RewriteOptions,
) -> Result<Vec<FileChange>> {
    let mut planned: Vec<(PathBuf, String, FileChange)> = Vec::new();
    for path in markdown_files(&root.join(content_dir)) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // Not UTF-8: not a page syllabus reads either; `build` reports it.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
        };
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let split = frontmatter::split(&rel, &text, Severity::Warning);
        let head = &text[..text.len() - split.body.len()];
        let Some((body, changes)) = github::rewrite(split.body) else {
            continue;
        };
        let new_text = format!("{head}{body}");
        let change = FileChange {
            path: rel,
            changes,
            lines_before: text.lines().count(),
            lines_after: new_text.lines().count(),
        };
        planned.push((path, new_text, change));
    }
    if !options.force && !options.dry_run && !planned.is_empty() {
        let paths: Vec<&Path> = planned.iter().map(|(p, _, _)| p.as_path()).collect();
        refuse_uncommitted(root, &paths)?;
    }
    let mut done = Vec::with_capacity(planned.len());
    for (path, text, change) in planned {
        if !options.dry_run {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
        done.push(change);
    }
    Ok(done)
}

/// `.md` files under `dir`, outside dot-folders, in name order.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(".md")
        })
        .map(|e| e.into_path())
        .collect()
}

/// Fails when any of `paths` has changes Git has not committed, or Git cannot tell.
pub(crate) fn refuse_uncommitted(root: &Path, paths: &[&Path]) -> Result<()> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--untracked-files=all", "--"])
        .args(paths)
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        _ => bail!(
            "`{}` is not in a Git repository, so the rewrite could not be undone\n  help: commit the course to Git first, or pass `--force` to rewrite the files anyway",
            root.display()
        ),
    };
    let dirty = String::from_utf8_lossy(&output.stdout);
    if dirty.trim().is_empty() {
        return Ok(());
    }
    let mut message =
        String::from("these files have changes Git has not committed; not rewriting anything:\n");
    for line in dirty.lines().take(20) {
        let _ = writeln!(message, "  {line}");
    }
    message.push_str("  help: commit (or stash) them first, so that `git diff` shows the rewrite alone; or pass `--force`");
    bail!(message)
}

/// The summary `import mkdocs --rewrite` prints.
pub fn summary(files: &[FileChange], dry_run: bool) -> String {
    let verb = if dry_run { "Would rewrite" } else { "Rewrote" };
    if files.is_empty() {
        return "No page uses MkDocs-Material syntax that GitHub does not render; nothing to rewrite.\n".into();
    }
    let mut total = Changes::default();
    for f in files {
        total.add(&f.changes);
    }
    let mut out = format!("{verb} {} file(s): {}\n", files.len(), describe(&total));
    for f in files {
        let _ = writeln!(
            out,
            "  {}: {} ({} → {} lines)",
            f.path,
            describe(&f.changes),
            f.lines_before,
            f.lines_after
        );
    }
    if !dry_run {
        out.push_str(
            "Review the changes with `git diff`; `syllabus build` shows the pages as before.\n",
        );
    }
    out
}

fn describe(c: &Changes) -> String {
    let parts = [
        (c.alerts, "admonition(s) → GitHub alert"),
        (c.quotes, "admonition(s) → quote with a bold title"),
        (c.details, "collapsible block(s) → <details>"),
        (c.tab_sets, "tab set(s) → <details> in a tab set"),
        (c.markdown_elements, "`markdown` attribute(s) → blank lines"),
    ];
    parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
}
