//! `syllabus init [DIR]`: a new course repository, ready to build and to
//! publish on Azure Static Web Apps.
//!
//! Writes `syllabus.toml`, a home page, one sample session with a reading,
//! `.gitignore`, the GitHub Actions workflow and the default theme (under
//! `themes/default/`, to adapt). It refuses to overwrite a file unless
//! `--force`, and never deletes anything.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::Args;

use crate::commands::workflow;

mod default_theme {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// `syllabus init` arguments.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the course in (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files that already exist (nothing is ever deleted).
    #[arg(long)]
    pub force: bool,
    /// How the Azure workflow gets syllabus: `release` (its prebuilt binary,
    /// from PyPI) or `source` (compiled with `cargo install`, minutes).
    #[arg(long, default_value = "release", value_parser = parse_install)]
    pub install: workflow::Install,
}

fn parse_install(text: &str) -> Result<workflow::Install, String> {
    match text {
        "release" => Ok(workflow::Install::Release),
        "source" => Ok(workflow::Install::Source),
        _ => Err(format!("`{text}` is not `release` or `source`")),
    }
}

/// The output folder the new course builds into.
const OUTPUT: &str = "public";

/// Creates the course and prints what was written and what to do next.
pub fn run(args: &InitArgs) -> Result<()> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        bail!(
            "cannot create a course in `{}`: it is a file",
            dir.display()
        );
    }
    let title = course_title(dir);
    let files = course_files(&title, args.install);
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| dir.join(p).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() && !args.force {
        let shown: Vec<String> = existing.iter().take(5).map(|p| format!("`{p}`")).collect();
        let more = if existing.len() > 5 {
            format!(" and {} more", existing.len() - 5)
        } else {
            String::new()
        };
        bail!(
            "refusing to overwrite {} existing file(s) in `{}`: {}{more}\n  help: run `syllabus init` in a new or empty folder, or add `--force` to overwrite them (nothing else is touched)",
            existing.len(),
            dir.display(),
            shown.join(", ")
        );
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create folder `{}`", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    println!("{}", summary(dir, &files, existing.len()));
    Ok(())
}

/// A title from the folder's name: `cloud-computing` → `Cloud computing`.
fn course_title(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = absolute
        .components()
        .rev()
        .find_map(|c| match c {
            std::path::Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .unwrap_or("");
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "My course".into(),
    }
}

/// Every file of a new course: (path relative to the course folder, bytes).
pub fn course_files(title: &str, install: workflow::Install) -> Vec<(String, Vec<u8>)> {
    let quoted = toml::Value::String(title.to_string()).to_string();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "syllabus.toml".into(),
            CONFIG.replace("@TITLE@", &quoted).into_bytes(),
        ),
        (".gitignore".into(), GITIGNORE.into()),
        (
            "content/index.md".into(),
            HOME.replace("@TITLE@", title).into_bytes(),
        ),
        ("content/session_1/index.md".into(), SESSION.into()),
        ("content/session_1/writing_pages.md".into(), READING.into()),
        (
            workflow::PATH.into(),
            workflow::course_workflow(OUTPUT, install).into_bytes(),
        ),
        (workflow::ZIZMOR_PATH.into(), workflow::ZIZMOR_POLICY.into()),
    ];
    files.extend(
        default_theme::FILES
            .iter()
            .map(|(p, b)| (format!("themes/default/{p}"), b.to_vec())),
    );
    files
}

fn summary(dir: &Path, files: &[(String, Vec<u8>)], overwritten: usize) -> String {
    let mut out = format!("Created a course in `{}`:\n", dir.display());
    let theme_files = files
        .iter()
        .filter(|(p, _)| p.starts_with("themes/"))
        .count();
    for (path, _) in files.iter().filter(|(p, _)| !p.starts_with("themes/")) {
        out.push_str(&format!("  {path}\n"));
    }
    out.push_str(&format!(
        "  themes/default/ ({theme_files} files: the default theme, yours to adapt)\n"
    ));
    if overwritten > 0 {
        out.push_str(&format!("({overwritten} existing file(s) overwritten)\n"));
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    out.push_str(&format!(
        "\nNext steps:\n\
         1. Preview: {cd}syllabus build  (the site is written to {OUTPUT}/)\n\
         2. Put the folder in a new GitHub repository and push the branch `main`.\n\
         3. In the Azure portal, create a Static Web App with deployment source \"Other\"\n   \
            and copy its deployment token.\n\
         4. In the GitHub repository, add the token as the Actions secret\n   \
            {}  (Settings > Secrets and variables > Actions).\n\
         5. Push: the workflow publishes the site, and every pull request gets a preview.",
        workflow::TOKEN_SECRET
    ));
    out
}

const CONFIG: &str = r#"# Settings of this course; syllabus's README describes every key.
title = @TITLE@
description = "Sessions, readings and exercises."
base_url = "/"
# repo_url = "https://github.com/OWNER/REPOSITORY"   # adds "Edit this page" links
branch = "main"

[markdown]
# Raw HTML in pages is sanitised, so a pull request cannot add scripts to the site.
unsafe_html = false

[azure]
# The Azure Static Web Apps plan whose limits `syllabus build` checks: "free" or "standard".
plan = "free"
"#;

pub(crate) const GITIGNORE: &str = "# Written by `syllabus build`: the site, its staging folders and lock, the highlight cache\n/public/\n/.public.*/\n/.public.lock\n/.syllabus-cache/\n";

const HOME: &str = r#"# @TITLE@

Welcome. This site is built from the Markdown files in the `content/` folder
of the course repository: every `.md` file is a page, and every folder with an
`index.md` is a session.

## Sessions

- [Session 1: First steps](session_1/index.md): how the course is organised
  and how to write a page.

## Contributing

Spotted a typo or a broken example? Edit the page on GitHub and open a pull
request: it is checked automatically and gets a preview site of its own.
"#;

const SESSION: &str = r#"+++
title = "Session 1: First steps"
description = "How the course is organised, and how to write a page."
weight = 1
+++

# Session 1: First steps

This session is a sample: keep it as a model for your own sessions, or
replace it.

A session is a folder under `content/`. Its `index.md` is the page you are
reading; the other Markdown files in the folder are its readings and
exercises, listed below in the order of their `weight`.

## Goals

- [ ] Know where the pages of the course live.
- [ ] Write a page with a title, links and code.

Start with the reading [Writing pages](writing_pages.md).
"#;

const READING: &str = r#"+++
title = "Writing pages"
description = "Titles, links, code and notes in a course page."
weight = 10
+++

# Writing pages

A page is plain Markdown, the flavour GitHub uses, so it looks the same when
someone reads or edits it on GitHub.

## Titles and order

The optional block at the top of this file, between `+++` lines, sets the
page's title, a one-line description and its `weight`: pages with a smaller
weight come first.

```toml
+++
title = "Writing pages"
weight = 10
+++
```

Without it, the first heading is the title and pages follow their file names.

## Links

Link to another page by its file, relative to this one, as you would on
GitHub: [the session overview](index.md), or a section of a page such as
[titles and order](#titles-and-order). A path from the root of the
repository works too: [the home page](/content/index.md). A link to a page or
heading that does not exist stops the build with the file and line of the
mistake, so broken links never reach students.

Images and data files sit next to the page that uses them and are linked the
same way.

## Code

Fenced code is highlighted when the site is built:

```python
def mean(values):
    return sum(values) / len(values)
```

## Notes

> [!TIP]
> Run `syllabus build` before you push: it reports every problem at once.

| You write | Readers see |
|---|---|
| `**bold**` | **bold** |
| `` `code` `` | `code` |
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_folder_names() {
        assert_eq!(
            course_title(Path::new("/tmp/cloud-computing")),
            "Cloud computing"
        );
        assert_eq!(course_title(Path::new("/tmp/stats_101/")), "Stats 101");
        assert_eq!(course_title(Path::new("/")), "My course");
    }

    #[test]
    fn config_parses_and_quotes_the_title() {
        let files = course_files("Data \"Science\"", workflow::Install::Release);
        let config = String::from_utf8(files[0].1.clone()).unwrap();
        let parsed = crate::model::config::Config::parse(&config).unwrap();
        assert_eq!(parsed.title, "Data \"Science\"");
        assert!(!parsed.markdown.unsafe_html);
        assert!(
            files
                .iter()
                .any(|(p, _)| p == "themes/default/templates/base.html")
        );
    }
}
