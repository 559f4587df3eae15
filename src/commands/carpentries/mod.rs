//! `syllabus import carpentries`: a Carpentries lesson → `syllabus.toml`, so
//! that the lesson builds as it is. A Workbench lesson (`config.yaml`) is read
//! as it stands; a lesson in the older Jekyll "styles" format (`_config.yml`,
//! `_episodes/`) has its pages converted to the Workbench's Markdown first
//! (where Git can give them back), with a report of what was converted.
//!
//! The lesson folder is the content folder; what in it is not lesson content
//! (its README, build folders, the Jekyll theme) goes to `exclude`.

mod kramdown;
mod styles;
mod workbench;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::import::{ignore_build_files, quote, refuse_existing_config, write_config};
use crate::diagnostics::{Code, Diagnostic};

/// What a lesson's configuration gives `syllabus.toml`.
#[derive(Debug, Default)]
pub struct Lesson {
    pub title: String,
    pub repo_url: Option<String>,
    pub branch: Option<String>,
    pub language: Option<String>,
    pub base_url: Option<String>,
    /// `[extra]` values: the lesson's carpentry, life cycle, contact …
    pub extra: Vec<(String, String)>,
    /// The navigation: groups of pages (paths from the lesson folder).
    pub nav: Vec<NavGroup>,
    /// What was not carried over, each with what to do instead.
    pub unmapped: Vec<String>,
    /// Pages of a folder its list in `config.yaml` leaves out: not published.
    pub unlisted: Vec<String>,
    /// Pages the Workbench links from every page's footer (title, path).
    pub footer: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct NavGroup {
    pub title: String,
    pub pages: Vec<String>,
}

/// Which format the lesson is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Workbench,
    Styles,
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Replace an existing `syllabus.toml`; convert pages with uncommitted changes.
    pub force: bool,
}

/// What an import did, for the report.
#[derive(Debug)]
pub struct Imported {
    pub format: Format,
    pub written: PathBuf,
    pub gitignore: Vec<String>,
    pub unmapped: Vec<String>,
    pub excluded: Vec<String>,
    /// `.Rmd` pages, shown with their chunks as code.
    pub r_markdown: Vec<String>,
    /// Styles format: each converted page and what changed in it.
    pub converted: Vec<(String, kramdown::Converted)>,
}

/// Imports the lesson in the folder `path`. `Ok(Err(..))`: problems in the
/// lesson's files (nothing was written); `Err`: the environment failed, or an
/// existing `syllabus.toml` or uncommitted pages were in the way.
pub fn import(path: &Path, options: ImportOptions) -> Result<Result<Imported, Vec<Diagnostic>>> {
    let root = if path.is_file() {
        path.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        path.to_path_buf()
    };
    let (format, config_name) = if root.join(workbench::CONFIG).is_file() {
        (Format::Workbench, workbench::CONFIG)
    } else if root.join(styles::CONFIG).is_file() && root.join("_episodes").is_dir() {
        (Format::Styles, styles::CONFIG)
    } else {
        return Ok(Err(vec![
            Diagnostic::error(Code::NoLesson, workbench::CONFIG, format!("no lesson here: `{}` has no config.yaml", root.display()))
                .with_help("run the command in a Carpentries lesson's folder (a Workbench lesson has config.yaml; an older one has _config.yml and _episodes/), or give that folder"),
        ]));
    };
    refuse_existing_config(&root, options.force)?;
    let config_path = root.join(config_name);
    let text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read `{}`", config_path.display()))?;
    let read = match format {
        Format::Workbench => workbench::read(&root, &text),
        Format::Styles => styles::read(&root, &text),
    };
    let lesson = match read {
        Ok(lesson) => lesson,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let mut converted = Vec::new();
    if format == Format::Styles {
        let changes = styles::convert_pages(&root, &lesson, &text)?;
        if !options.force && !changes.is_empty() {
            let paths: Vec<PathBuf> = changes.iter().map(|c| root.join(&c.path)).collect();
            let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
            super::rewrite::refuse_uncommitted(&root, &paths)?;
        }
        for change in changes {
            let path = root.join(&change.path);
            std::fs::write(&path, &change.text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            converted.push((change.path, change.converted));
        }
    }
    let mut excluded = excluded(&root, format)?;
    excluded.extend(lesson.unlisted.iter().cloned());
    excluded.sort();
    let mut lesson = lesson;
    for (title, page) in [
        ("Code of Conduct", "CODE_OF_CONDUCT.md"),
        ("License", "LICENSE.md"),
    ] {
        if root.join(page).is_file() {
            lesson.footer.push((title.to_string(), page.to_string()));
        }
    }
    let r_markdown: Vec<String> = lesson
        .nav
        .iter()
        .flat_map(|g| g.pages.iter())
        .filter(|p| p.to_ascii_lowercase().ends_with(".rmd"))
        .cloned()
        .collect();
    let links = match format {
        Format::Workbench => "links.md",
        Format::Styles => "_includes/links.md",
    };
    let links = root.join(links).is_file().then_some(links);
    let config = settings(&lesson, format, &excluded, links, !r_markdown.is_empty());
    let written = write_config(&root, &config)?;
    let gitignore = ignore_build_files(&root.join(".gitignore"))?;
    Ok(Ok(Imported {
        format,
        written,
        gitignore,
        unmapped: lesson.unmapped,
        excluded,
        r_markdown,
        converted,
    }))
}

/// What the lesson site is made of, at the top of the lesson folder;
/// everything else there is excluded.
fn lesson_parts(format: Format) -> &'static [&'static str] {
    match format {
        Format::Workbench => &[
            "index.md",
            "episodes",
            "learners",
            "instructors",
            "profiles",
            "LICENSE.md",
            "CODE_OF_CONDUCT.md",
        ],
        Format::Styles => &[
            "index.md",
            "setup.md",
            "reference.md",
            "_episodes",
            "_extras",
            "fig",
            "data",
            "files",
            "code",
            "LICENSE.md",
            "CODE_OF_CONDUCT.md",
        ],
    }
}

/// The top-level files and folders of `root` that are not part of the lesson site.
fn excluded(root: &Path, format: Format) -> Result<Vec<String>> {
    let keep = lesson_parts(format);
    let mut out: Vec<String> = std::fs::read_dir(root)
        .with_context(|| format!("cannot read `{}`", root.display()))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && !keep.contains(&n.as_str()))
        .filter(|n| n != crate::model::config::FILE_NAME && n != "public")
        .collect();
    out.sort();
    Ok(out)
}

/// The text of `syllabus.toml`.
fn settings(
    lesson: &Lesson,
    format: Format,
    excluded: &[String],
    links: Option<&str>,
    r_markdown: bool,
) -> String {
    let source = match format {
        Format::Workbench => workbench::CONFIG,
        Format::Styles => styles::CONFIG,
    };
    let mut out = format!("# Imported from {source} by `syllabus import carpentries`.\n");
    let _ = writeln!(out, "title = {}", quote(&lesson.title));
    if let Some(url) = &lesson.base_url {
        let _ = writeln!(out, "base_url = {}", quote(url));
    }
    let _ = writeln!(
        out,
        "# The lesson folder is the content folder.\ncontent_dir = \".\""
    );
    if let Some(repo) = &lesson.repo_url {
        let _ = writeln!(out, "repo_url = {}", quote(repo.trim_end_matches('/')));
    }
    if let Some(branch) = &lesson.branch {
        let _ = writeln!(out, "branch = {}", quote(branch));
    }
    if let Some(lang) = &lesson.language {
        let _ = writeln!(out, "language = {}", quote(lang));
    }
    out.push_str("# Files of the repository that are not lesson pages.\nexclude = [\n");
    for path in excluded {
        let _ = writeln!(out, "    {},", quote(path));
    }
    out.push_str("]\n\n# The navigation, in the order of the lesson's configuration.\nnav = [\n");
    for group in lesson.nav.iter().filter(|g| !g.pages.is_empty()) {
        let _ = writeln!(out, "    {{ title = {}, children = [", quote(&group.title));
        for page in &group.pages {
            let _ = writeln!(out, "        {},", quote(page));
        }
        out.push_str("    ] },\n");
    }
    for (title, page) in &lesson.footer {
        let _ = writeln!(
            out,
            "    {{ title = {}, page = {} }},",
            quote(title),
            quote(page)
        );
    }
    out.push_str("]\n");
    out.push_str(concat!(
        "\n[links]\n",
        "# The Workbench does not check links; broken ones are warnings here until\n",
        "# fixed (`syllabus check` lists them), then make them errors.\n",
        "broken = \"warn\"\n",
    ));
    if format == Format::Styles {
        out.push_str(concat!(
            "# Jekyll lessons link pages by their URL (`../02-filedir/`): such links are\n",
            "# read from the page's URL when the file has no such neighbour.\n",
            "relative_to = \"url\"\n",
        ));
    }
    let pandoc = format == Format::Workbench;
    if links.is_some() || r_markdown || pandoc {
        out.push_str("\n[markdown]\n");
    }
    if pandoc {
        out.push_str(concat!(
            "# Pandoc's attributes, which the Workbench reads: glossary anchors written\n",
            "# as bracketed spans (`[pipe]{#pipe}`), `{#id}` after headings and links.\n",
            "attributes = true\n",
        ));
    }
    if let Some(links) = links {
        let _ = writeln!(
            out,
            "# Link reference definitions every page may use.\nlink_definitions = {}",
            quote(links)
        );
    }
    if r_markdown {
        out.push_str("# R Markdown episodes: their chunks are shown as code; nothing is run.\nr_markdown = true\n");
    }
    if !lesson.extra.is_empty() {
        out.push_str("\n[extra]\n");
        for (key, value) in &lesson.extra {
            let _ = writeln!(out, "{key} = {}", quote(value));
        }
    }
    out
}

/// The report `import carpentries` prints.
pub fn summary(imported: &Imported) -> String {
    let mut out =
        super::import::summary(&imported.written, &imported.gitignore, &imported.unmapped);
    if !imported.excluded.is_empty() {
        let _ = writeln!(
            out,
            "Not lesson pages (`exclude`): {}",
            imported.excluded.join(", ")
        );
    }
    if !imported.r_markdown.is_empty() {
        let _ = writeln!(
            out,
            "R Markdown: {} is shown with its code chunks as code; nothing is run, so their output and plots do not appear.",
            imported.r_markdown.join(", ")
        );
    }
    if imported.format == Format::Styles {
        out.push_str(&conversion_report(&imported.converted));
    }
    out.push_str("Next: `syllabus check` lists the links and anchors to fix; `syllabus build` builds the site.\n");
    out
}

fn conversion_report(files: &[(String, kramdown::Converted)]) -> String {
    if files.is_empty() {
        return "Jekyll lesson: no page needed converting.\n".into();
    }
    let mut out = format!(
        "Converted {} page(s) from the Jekyll lesson format:\n",
        files.len()
    );
    for (path, c) in files {
        let mut parts: Vec<String> = c
            .blocks
            .iter()
            .map(|(class, n)| format!("{n} {class}"))
            .collect();
        if c.code > 0 {
            parts.push(format!("{} code block(s)", c.code));
        }
        if c.liquid > 0 {
            parts.push(format!("{} Liquid tag(s)", c.liquid));
        }
        for (class, n) in &c.dropped {
            parts.push(format!("{n} `{{: .{class}}}` removed (no such block)"));
        }
        if !c.includes.is_empty() {
            parts.push(format!("{} theme include(s) removed", c.includes.len()));
        }
        let _ = writeln!(out, "  {path}: {}", parts.join(", "));
        for include in &c.includes {
            let _ = writeln!(
                out,
                "    removed `{include}`: the Jekyll theme's text is not carried over"
            );
        }
        for (line, text) in &c.left {
            let _ = writeln!(
                out,
                "    {path}:{line}: Liquid left as it is; edit it by hand: {text}"
            );
        }
    }
    out.push_str("Review the changes with `git diff`.\n");
    out
}
