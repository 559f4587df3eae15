//! The fuzz targets, shared by the libFuzzer entry points (`fuzz_targets/`)
//! and the stable driver (`src/bin/drive.rs`).
//!
//! Each target takes arbitrary bytes, runs one parser of syllabus on them, and
//! panics when the result breaks an invariant (besides any panic of its own):
//! - [`frontmatter`]: the body is a suffix of the page and its line offset is right;
//! - [`markdown`]: link positions are inside the page; in safe mode no script,
//!   event handler, `javascript:` URL or embedding element survives;
//! - [`math`]: one formula renders to MathML only (no HTML element, handler
//!   or script URL) or is refused with a reason; the renderer never fails;
//! - [`config`]: a parsed config has a usable base path;
//! - [`aliases`]: no alias of a small site replaces another of its files;
//! - [`notebook`]: problems are inside the file, the page's files are in its
//!   folder with an image extension; in safe mode nothing can run script.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

use syllabus::diagnostics::Severity;
use syllabus::load::frontmatter;
use syllabus::markdown::{self, RenderContext};
use syllabus::model::config::{Config, MarkdownConfig, RelativeTo};
use syllabus::pipeline::{BuildOptions, Site};

mod aliases;
pub use aliases::aliases;

#[path = "../../tests/support/unsafe_markup.rs"]
mod oracle;
pub use oracle::unsafe_markup;

/// Bytes as text: valid UTF-8 as is, anything else with replacement characters.
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// `frontmatter::split` on a page's text.
pub fn frontmatter(data: &[u8]) {
    let text = text(data);
    let lines = text.matches('\n').count() + 1;
    let split = frontmatter::split("content/x.md", &text, Severity::Error);
    assert!(
        text.ends_with(split.body),
        "body is not a suffix of the page"
    );
    let before = &text[..text.len() - split.body.len()];
    assert_eq!(
        split.body_line_offset,
        before.matches('\n').count(),
        "wrong body line offset"
    );
    for d in &split.diagnostics {
        assert!(d.line <= lines, "diagnostic line {} of {lines}", d.line);
    }
}

/// A small course for links to resolve against, written once to a temporary
/// folder and loaded the way a build loads it: a home page, a section with a
/// page and an image, a folder with spaces and non-ASCII names, a data file,
/// a static file. One site per base path (`/` and `/course/`).
fn sites() -> [Site; 2] {
    course(
        "syllabus-fuzz",
        &[
            ("syllabus.toml", "title = \"Fuzz\"\n"),
            ("content/index.md", "# Home\n"),
            ("content/s1/index.md", "# Section\n## Part one\n"),
            ("content/s1/reading.md", "# Reading\n"),
            ("content/s1/img/flow.png", "png"),
            ("content/s 2/über.md", "# Über\n"),
            ("content/data.csv", "a,b\n"),
            ("static/img/logo.png", "png"),
        ],
        false,
    )
}

/// A course of `files` written once to a temporary folder named after
/// `name`, loaded the way a build (or, with `validate_only`, a `check`) loads
/// it: one site per base path (`/` and `/course/`).
pub(crate) fn course(name: &str, files: &[(&str, &str)], validate_only: bool) -> [Site; 2] {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the fuzz course");
        std::fs::write(path, text).expect("write the fuzz course");
    }
    let load = |base: &str| {
        let options = BuildOptions {
            root: dir.clone(),
            base_url: Some(base.into()),
            validate_only,
            ..BuildOptions::default()
        };
        match Site::load(&options, None) {
            Ok((site, _)) => site,
            Err(d) => panic!("the fuzz course does not load: {d:?}"),
        }
    };
    [load("/"), load("/course/")]
}

static SITES: LazyLock<[Site; 2]> = LazyLock::new(sites);

/// `markdown::render` of the page `s1/reading.md`; the first byte picks the options.
pub fn markdown(data: &[u8]) {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    // Options added later get their defaults.
    #[allow(clippy::needless_update)]
    let options = MarkdownConfig {
        unsafe_html: flags & 1 != 0,
        math: flags & 2 == 0,
        autolink: flags & 4 == 0,
        attributes: flags & 8 == 0,
        smart_punctuation: flags & 16 != 0,
        ..MarkdownConfig::default()
    };
    let site = &SITES[usize::from(flags & 32 != 0)];
    let ctx = RenderContext {
        index: &site.index,
        highlighter: site.highlighter(),
        options: &options,
        broken: if flags & 64 == 0 {
            Severity::Error
        } else {
            Severity::Warning
        },
        relative_to: if flags & 128 == 0 {
            RelativeTo::File
        } else {
            RelativeTo::Url
        },
    };
    let reading = site.index.by_source["s1/reading.md"];
    let mut page = site.course.pages[reading].clone();
    page.body = text(body);
    page.body_line_offset = usize::from(flags >> 7) * 3;
    let rendered = markdown::render(&page, &ctx);
    let last_line = page.body.matches('\n').count() + 1 + page.body_line_offset;
    for link in &rendered.links {
        assert!(
            link.line >= 1 && link.line <= last_line,
            "link at line {}",
            link.line
        );
    }
    for d in &rendered.diagnostics {
        assert!(
            d.line <= last_line,
            "diagnostic at line {} of {last_line}",
            d.line
        );
    }
    if !options.unsafe_html
        && let Some(problem) = unsafe_markup(&rendered.html)
    {
        panic!(
            "safe mode let through {problem}\n--- html ---\n{}",
            rendered.html
        );
    }
}

/// How the `math` target's inputs ended, for the driver's summary: rendered,
/// refused as invalid TeX, refused by a limit, unbalanced MathML, and a
/// pulldown-latex panic that syllabus caught; the first inputs of the last
/// two kinds are kept, with the kind.
pub static MATH_OUTCOMES: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];
pub static MATH_KEPT: Mutex<Vec<(&str, Vec<u8>)>> = Mutex::new(Vec::new());

fn keep(kind: &'static str, data: &[u8]) {
    let mut kept = MATH_KEPT.lock().unwrap_or_else(|e| e.into_inner());
    if kept.iter().filter(|(k, _)| *k == kind).count() < 10 {
        kept.push((kind, data.to_vec()));
    }
}

/// `markdown::render_formula` on one formula; the first byte picks display
/// or inline, and safe or trusted mode. Fails when MathML carries anything
/// but MathML, or markup outside the allowlist reached the renderer's output;
/// a caught panic of pulldown-latex is counted, not failed (the formula is
/// shown as written, with a warning).
pub fn math(data: &[u8]) {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let tex = text(body);
    let (display, safe) = (flags & 1 != 0, flags & 2 == 0);
    let outcome = match markdown::render_formula(&tex, display, safe) {
        Ok(html) => {
            check_mathml(&html, safe);
            0
        }
        Err(m) if m.contains("outside the MathML") => panic!("{m}"),
        Err(m) if m.contains("renderer failed") => {
            keep("caught", data);
            4
        }
        Err(m) if m.contains("unbalanced") => {
            keep("unbalanced", data);
            3
        }
        Err(m) if m.starts_with("cannot") => 1,
        Err(_) => 2,
    };
    MATH_OUTCOMES[outcome].fetch_add(1, Ordering::Relaxed);
}

fn check_mathml(html: &str, safe: bool) {
    assert!(
        html.starts_with("<math display=") && html.ends_with("</math>"),
        "not one <math> element: {html}"
    );
    if let Some(problem) = unsafe_markup(html) {
        panic!("math let through {problem}\n--- html ---\n{html}");
    }
    for tag in html.split('<').skip(1) {
        let name = tag.trim_start_matches('/');
        assert!(
            name.starts_with('m')
                || name.starts_with("semantics")
                || name.starts_with("annotation"),
            "not MathML: <{tag}\n--- html ---\n{html}"
        );
    }
    assert!(
        !safe || !html.contains(" style="),
        "style kept in safe mode"
    );
}

/// `markdown::render` of a notebook page `s1/lab.ipynb`. The first byte picks
/// safe mode (bit 1), the base path (bit 2) and what the rest is (bit 3): the
/// notebook's JSON as it is, or the texts of a valid notebook's cells and
/// outputs (separated by 0xFF bytes), so that mutations reach the renderer
/// rather than stop at the JSON parser.
pub fn notebook(data: &[u8]) {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let json;
    let body = if flags & 4 != 0 {
        json = notebook_of_parts(body);
        json.as_bytes()
    } else {
        body
    };
    let options = MarkdownConfig {
        unsafe_html: flags & 1 != 0,
        ..MarkdownConfig::default()
    };
    let site = &SITES[usize::from(flags & 2 != 0)];
    let ctx = RenderContext {
        index: &site.index,
        highlighter: site.highlighter(),
        options: &options,
        broken: Severity::Warning,
        relative_to: RelativeTo::File,
    };
    let reading = site.index.by_source["s1/reading.md"];
    let mut page = site.course.pages[reading].clone();
    page.source = "s1/lab.ipynb".into();
    page.file = "content/s1/lab.ipynb".into();
    page.kind = syllabus::model::PageKind::Notebook;
    page.body = text(body);
    let rendered = markdown::render(&page, &ctx);
    let last_line = page.body.matches('\n').count() + 1;
    for link in &rendered.links {
        assert!(
            link.line >= 1 && link.line <= last_line,
            "link at line {}",
            link.line
        );
    }
    for d in &rendered.diagnostics {
        assert!(
            d.line <= last_line,
            "diagnostic at line {} of {last_line}",
            d.line
        );
    }
    for (path, _) in &rendered.files {
        let name = path
            .strip_prefix("s1/lab/")
            .unwrap_or_else(|| panic!("file {path} outside the page"));
        assert!(
            !name.contains('/') && !name.starts_with('.'),
            "file name {name}"
        );
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        assert!(["png", "jpg", "gif", "svg"].contains(&ext), "file {path}");
    }
    if !options.unsafe_html
        && let Some(problem) = unsafe_markup(&rendered.html)
    {
        panic!(
            "safe mode let through {problem}\n--- html ---\n{}",
            rendered.html
        );
    }
}

/// A valid notebook whose cells and outputs hold the texts of `data`.
fn notebook_of_parts(data: &[u8]) -> String {
    let parts: Vec<String> = data.split(|&b| b == 0xFF).map(text).collect();
    let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM8oaHBwMDAxMDAwMDAAAAN6gEcJJUQNAAAAABJRU5ErkJggg==";
    serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": part(0),
             "attachments": {part(7): {"image/png": png, "image/svg+xml": part(5)}}},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": part(1), "outputs": [
                {"output_type": "stream", "name": "stdout", "text": part(2)},
                {"output_type": "display_data", "metadata": {}, "data": {"text/html": part(3)}},
                {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": part(4), "text/plain": part(2)}},
                {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": part(5), "text/latex": part(6)}},
                {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/latex": part(6), "application/javascript": part(3)}},
                {"output_type": "error", "ename": part(7), "evalue": part(2), "traceback": [part(2), part(6)]}
            ]},
            {"cell_type": "raw", "metadata": {"raw_mimetype": "text/html"}, "source": part(3)},
            {"cell_type": "raw", "metadata": {"format": "text/markdown"}, "source": part(4)}
        ],
        "metadata": {"kernelspec": {"language": part(7)}},
        "nbformat": 4,
        "nbformat_minor": 5
    })
    .to_string()
}

/// `Config::parse` on the text of a `syllabus.toml`.
pub fn config(data: &[u8]) {
    let text = text(data);
    if let Ok(config) = Config::parse(&text) {
        let base = config.base_path();
        assert!(
            base.starts_with('/') && base.ends_with('/'),
            "base path {base:?}"
        );
        let _ = config.site_origin_url();
        let _ = toml::to_string(&config);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_sees_what_a_browser_would_run() {
        assert!(unsafe_markup("<p>a &lt;script&gt; b</p>").is_none());
        assert!(unsafe_markup("<a href=\"/s1/\">x</a><img src=\"a.png\">").is_none());
        assert!(unsafe_markup("<SCRIPT>").is_some());
        assert!(unsafe_markup("<img src=x onerror=alert(1)>").is_some());
        assert!(unsafe_markup("<a href=\"jav&#x61;script:x\">").is_some());
        assert!(unsafe_markup("<a title='x' href = 'JAVASCRIPT:x'>").is_some());
        assert!(unsafe_markup("<a href=\" \x01java\tscript:x\">").is_some());
        // A space inside the scheme leaves a relative URL, which runs nothing.
        assert!(unsafe_markup("<a href=\"javascript :x\">").is_none());
    }

    #[test]
    fn targets_run_on_samples() {
        frontmatter(b"+++\ntitle = \"x\"\n+++\nbody");
        markdown(b"\0# T\n[a](../index.md) <span>x</span>");
        math(b"\0\\operatorname{<img src=x onerror=alert(1)>}");
        math(b"\x03\\color{red}{x}");
        config(b"title = \"x\"\n[markdown]\nunsafe_html = false\n");
        notebook(b"\0{\"cells\": [{\"cell_type\": \"markdown\", \"source\": \"# T [a](reading.md)\"}], \"nbformat\": 4}");
    }
}
