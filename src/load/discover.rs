//! Walks the content folder, reads every page in parallel and assembles sections.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::frontmatter;
use super::order;
use super::titles;
use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::model::{Course, Page, PageKind, Section, SectionId};

/// What discovery needs to know beyond the folder.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub include_drafts: bool,
    /// The project folder: symbolic links under content may not lead out of it
    /// (nor into its dot-folders, such as `.git`). `None`: links are followed anywhere.
    pub project_root: Option<PathBuf>,
    /// How front matter that cannot be read is reported (`[markdown] invalid_front_matter`);
    /// either way the page is built without it.
    pub invalid_front_matter: Severity,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            include_drafts: false,
            project_root: None,
            invalid_front_matter: Severity::Error,
        }
    }
}

/// Index file names, in order of preference.
const INDEX_NAMES: &[&str] = &["index.md", "readme.md", "_index.md"];

fn index_rank(file_name: &str) -> Option<usize> {
    let lower = file_name.to_ascii_lowercase();
    INDEX_NAMES.iter().position(|n| *n == lower)
}

/// Reads the course under `content_dir`; `content_name` is how messages name it.
pub fn load(
    content_dir: &Path,
    content_name: &str,
    options: &LoadOptions,
) -> (Course, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut course = Course {
        content_dir: content_dir.to_path_buf(),
        content_name: content_name.to_string(),
        ..Course::default()
    };
    if !content_dir.is_dir() {
        let what = if content_dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        diags.push(
            Diagnostic::error(
                Code::ContentFolderMissing,
                content_name,
                format!("the content folder `{content_name}` {what}"),
            )
            .with_help("create it with your Markdown pages, or set `content_dir` in syllabus.toml"),
        );
        return (course, diags);
    }
    let boundary = options
        .project_root
        .as_ref()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()));
    let (markdown, assets) = walk(content_dir, content_name, boundary.as_deref(), &mut diags);
    course.assets = assets;
    if markdown.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::NoPages,
                content_name,
                format!("the content folder `{content_name}` has no Markdown pages"),
            )
            .with_help(format!(
                "add `{content_name}/index.md`, the course's home page"
            )),
        );
    }

    let loaded: Vec<Result<(Page, Vec<Diagnostic>), Diagnostic>> = markdown
        .par_iter()
        .map(|rel| read_page(content_dir, content_name, rel, options.invalid_front_matter))
        .collect();
    let mut pages = Vec::with_capacity(loaded.len());
    for item in loaded {
        match item {
            Ok((page, warnings)) => {
                diags.extend(warnings);
                if page.front.draft && !options.include_drafts {
                    course.drafts.push(page.source.clone());
                } else {
                    pages.push(page);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    assemble(&mut course, pages, &mut diags);
    order::sort_course(&mut course);
    (course, diags)
}

/// Lists pages (Markdown files and notebooks) and assets (relative,
/// `/`-separated), skipping dot-files; a notebook is both.
fn walk(
    content_dir: &Path,
    content_name: &str,
    boundary: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<String>) {
    let (mut markdown, mut assets) = (Vec::new(), Vec::new());
    let mut walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display_path(content_dir, content_name, p))
                    .unwrap_or_else(|| content_name.into());
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    )
                };
                diags.push(
                    Diagnostic::error(Code::UnreadableFile, path, message)
                        .with_help("remove the link or fix the file's permissions"),
                );
                continue;
            }
        };
        if let Some(root) = boundary
            && entry.path_is_symlink()
            && let Some(problem) = link_escapes(entry.path(), root)
        {
            diags.push(
                Diagnostic::error(Code::LinkOutsideProject, display_path(content_dir, content_name, entry.path()), problem)
                    .with_help("copy the file into the content folder instead: a build follows links only to files of the project outside its hidden folders, so a pull request cannot publish files of the machine that builds it"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let Some(rel) = slash_path(rel) else {
            diags.push(
                Diagnostic::error(
                    Code::InvalidFileName,
                    display_path(content_dir, content_name, entry.path()),
                    "file name is not valid UTF-8",
                )
                .with_help("rename the file"),
            );
            continue;
        };
        if rel.contains('\\') {
            diags.push(
                Diagnostic::error(Code::InvalidFileName, format!("{content_name}/{rel}"), "file name has a backslash (`\\`)")
                    .with_help("rename the file: browsers and Windows read `\\` as a folder separator, so no URL would reach it"),
            );
            continue;
        }
        let lower = rel.to_ascii_lowercase();
        if lower.ends_with(".md") {
            markdown.push(rel);
        } else if lower.ends_with(".ipynb") {
            // A notebook is a page, and its file stays in the site to download.
            markdown.push(rel.clone());
            assets.push(rel);
        } else {
            assets.push(rel);
        }
    }
    (markdown, assets)
}

/// A relative path with `/` between its names (whatever the system's separator);
/// `None` when a name is not UTF-8.
fn slash_path(rel: &Path) -> Option<String> {
    let names: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    names.map(|n| n.join("/"))
}

/// Why a symbolic link may not be followed: it leads out of the project `root`
/// (canonical) or into one of its dot-folders; `None` when it may.
pub(crate) fn link_escapes(link: &Path, root: &Path) -> Option<String> {
    let Ok(target) = std::fs::canonicalize(link) else {
        return None;
    };
    match target.strip_prefix(root) {
        Err(_) => Some(format!(
            "symbolic link to `{}`, outside the project",
            target.display()
        )),
        Ok(rel)
            if rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.')) =>
        {
            Some(format!(
                "symbolic link to `{}`, a hidden file or folder of the project",
                rel.display()
            ))
        }
        Ok(_) => None,
    }
}

fn display_path(content_dir: &Path, content_name: &str, p: &Path) -> String {
    match p.strip_prefix(content_dir) {
        Ok(rel) => format!(
            "{content_name}/{}",
            rel.to_string_lossy().replace('\\', "/")
        ),
        Err(_) => p.display().to_string(),
    }
}

fn read_page(
    content_dir: &Path,
    content_name: &str,
    rel: &str,
    invalid_front_matter: Severity,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let file = format!("{content_name}/{rel}");
    let bytes = std::fs::read(content_dir.join(rel))
        .map_err(|e| Diagnostic::error(Code::UnreadableFile, &file, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, col) = diagnostics::line_col(
            std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or(""),
            valid,
        );
        Diagnostic::error(Code::NotUtf8, &file, "file is not valid UTF-8")
            .at(line, col)
            .with_help("save the file as UTF-8 in your editor")
    })?;
    if is_notebook(rel) {
        return read_notebook(file, rel, text);
    }
    // CommonMark: U+0000 is replaced, for security, by U+FFFD.
    let text = if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    };
    let split = frontmatter::split(&file, &text, invalid_front_matter);
    let mut warnings = split.diagnostics;
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let is_index = index_rank(file_name).is_some();
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let url_path = if is_index {
        if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        }
    } else {
        let stem = &rel[..rel.len() - 3];
        format!("{stem}/")
    };
    let kind = if is_html_document(split.body) {
        PageKind::HtmlDocument
    } else if split.front.marp {
        PageKind::SlideDeck
    } else {
        PageKind::Markdown
    };
    let from_body = match kind {
        PageKind::HtmlDocument => html_title(split.body),
        _ => first_h1(split.body),
    };
    let title = match split.front.title.clone().or(from_body) {
        Some(t) => t,
        None => {
            if split.body.trim().is_empty() && split.front == Default::default() {
                warnings.push(
                    Diagnostic::warning(Code::EmptyPage, &file, "empty page").with_help(
                        "it is published with its file name as title; add content or delete it",
                    ),
                );
            }
            titles::from_path(rel, is_index)
        }
    };
    let page = Page {
        source: rel.to_string(),
        file,
        url_path,
        title,
        front: split.front,
        body: split.body.to_string(),
        body_line_offset: split.body_line_offset,
        section: 0,
        is_index,
        kind,
        updated: None,
    };
    Ok((page, warnings))
}

fn is_notebook(rel: &str) -> bool {
    rel.to_ascii_lowercase().ends_with(".ipynb")
}

/// A notebook's page: read (a JSON or nbformat error stops here, positioned)
/// but kept as text, rendered later like any page. Never a folder's own page.
fn read_notebook(
    file: String,
    rel: &str,
    text: String,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    // Editors on Windows may save a byte order mark, which JSON does not allow.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let notebook = super::notebook::parse(&file, &text)?;
    let from_cells = || {
        notebook
            .cells
            .iter()
            .filter(|c| c.cell_type == "markdown")
            .find_map(|c| first_h1(&c.source.text()))
    };
    let title = notebook
        .title
        .clone()
        .or_else(from_cells)
        .unwrap_or_else(|| titles::from_path(rel, false));
    drop(notebook);
    let stem = &rel[..rel.len() - ".ipynb".len()];
    let page = Page {
        source: rel.to_string(),
        file,
        url_path: format!("{stem}/"),
        title,
        front: crate::model::FrontMatter::default(),
        body: text,
        body_line_offset: 0,
        section: 0,
        is_index: false,
        kind: PageKind::Notebook,
        updated: None,
    };
    Ok((page, Vec::new()))
}

/// Whether a page's text is a whole HTML document rather than Markdown.
fn is_html_document(body: &str) -> bool {
    let start: String = body
        .trim_start()
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The text of an HTML document's `<title>`.
pub fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let end = open_end + lower[open_end..].find("</title>")?;
    let title = html[open_end..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

/// The text of the first `# ` heading outside code fences, with inline markup stripped.
fn first_h1(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if line.len() - t.len() < 4
            && let Some(rest) = t.strip_prefix("# ").or_else(|| (t == "#").then_some(""))
        {
            let text = strip_inline(rest.trim().trim_end_matches('#').trim());
            if !text.is_empty() {
                return Some(text);
            }
        }
    }
    None
}

/// Plain text of a heading line: the text of links, without emphasis or code marks.
fn strip_inline(s: &str) -> String {
    let parser = pulldown_cmark::Parser::new(s);
    let mut out = String::new();
    for event in parser {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Creates sections for every folder that holds pages and files each page in one.
fn assemble(course: &mut Course, mut pages: Vec<Page>, diags: &mut Vec<Diagnostic>) {
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    drop_competing_indexes(&mut pages, diags);
    let mut dirs: BTreeMap<String, SectionId> = BTreeMap::new();
    course.sections.push(Section::default());
    dirs.insert(String::new(), 0);
    // Keyed as hosts compare paths: pages that differ only in case or Unicode
    // form collide on macOS and Windows file systems and on Azure.
    let mut by_url: HashMap<String, (String, String)> = HashMap::new();
    for mut page in pages {
        let key = crate::util::site_path::key(&page.url_path);
        if let Some((url, other)) = by_url.get(&key)
            && *url != page.url_path
        {
            let how = if url.to_lowercase() == page.url_path.to_lowercase() {
                "in case"
            } else {
                "in Unicode form (NFC and NFD spellings of one name)"
            };
            diags.push(
                Diagnostic::error(
                    Code::PageClash,
                    &page.file,
                    format!("`{}` and `{other}` differ only {how}", page.file),
                )
                .with_help("rename one of them: on macOS, Windows and case-insensitive hosts they are the same file and URL"),
            );
            continue;
        }
        if let Some((_, other)) = by_url.get(&key) {
            diags.push(
                Diagnostic::error(
                    Code::PageClash,
                    &page.file,
                    format!(
                        "`{}` and `{other}` would both be published at `/{}`",
                        page.file, page.url_path
                    ),
                )
                .with_help("rename one of them, or make one the folder's index.md"),
            );
            continue;
        }
        by_url.insert(key, (page.url_path.clone(), page.file.clone()));
        let sid = ensure_section(course, &mut dirs, dir_of(&page.source));
        page.section = sid;
        let id = course.pages.len();
        if page.is_index {
            course.sections[sid].index = Some(id);
        } else {
            course.sections[sid].pages.push(id);
        }
        course.pages.push(page);
    }
}

/// Keeps one index page per folder (index.md, then README.md, then _index.md); the others are errors.
fn drop_competing_indexes(pages: &mut Vec<Page>, diags: &mut Vec<Diagnostic>) {
    let mut chosen: HashMap<&str, &Page> = HashMap::new();
    for page in pages.iter().filter(|p| p.is_index) {
        let slot = chosen.entry(dir_of(&page.source)).or_insert(page);
        if index_rank(file_name(&page.source)) < index_rank(file_name(&slot.source)) {
            *slot = page;
        }
    }
    let keep: std::collections::HashSet<String> =
        chosen.values().map(|p| p.source.clone()).collect();
    pages.retain(|p| {
        if !p.is_index || keep.contains(&p.source) {
            return true;
        }
        let winner = pages_index_file(&keep, dir_of(&p.source));
        diags.push(
            Diagnostic::error(Code::TwoIndexPages, &p.file, format!("two pages claim the folder `{}`: `{}` and `{}`", display_dir(dir_of(&p.source)), winner, file_name(&p.source)))
                .with_help("keep one of index.md, README.md or _index.md per folder; rename or merge the other"),
        );
        false
    });
}

fn pages_index_file(keep: &std::collections::HashSet<String>, dir: &str) -> String {
    keep.iter()
        .find(|s| dir_of(s) == dir)
        .map(|s| file_name(s).to_string())
        .unwrap_or_default()
}

fn dir_of(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(d, _)| d)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn display_dir(dir: &str) -> String {
    if dir.is_empty() {
        "content root".into()
    } else {
        dir.to_string()
    }
}

fn ensure_section(
    course: &mut Course,
    dirs: &mut BTreeMap<String, SectionId>,
    dir: &str,
) -> SectionId {
    if let Some(&id) = dirs.get(dir) {
        return id;
    }
    let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
    let parent = ensure_section(course, dirs, parent_dir);
    let id = course.sections.len();
    course.sections.push(Section {
        dir: dir.to_string(),
        label: titles::readable(file_name(dir)),
        parent: Some(parent),
        ..Section::default()
    });
    course.sections[parent].subsections.push(id);
    dirs.insert(dir.to_string(), id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_h1_skips_code_and_strips_markup() {
        assert_eq!(
            first_h1("```\n# not\n```\n# The *real* `title`\n").as_deref(),
            Some("The real title")
        );
        assert_eq!(first_h1("## h2\ntext").as_deref(), None);
        assert_eq!(first_h1("    # indented code\n").as_deref(), None);
    }

    #[test]
    fn index_names() {
        assert_eq!(index_rank("index.md"), Some(0));
        assert_eq!(index_rank("README.md"), Some(1));
        assert_eq!(index_rank("_index.md"), Some(2));
        assert_eq!(index_rank("intro.md"), None);
    }
}
