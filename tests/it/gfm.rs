//! Markdown as GitHub renders it: the seed page, and a differential test
//! against cmark-gfm (GitHub's renderer) on every page of the demo course and
//! of the real course in ../shared/corpora.

use std::path::Path;
use std::process::Command;

use syllabus::diagnostics::Severity;
use syllabus::load::{LoadOptions, load};
use syllabus::markdown::{Highlighter, RenderContext, render};
use syllabus::model::config::Config;
use syllabus::model::{PageKind, UrlIndex};

use crate::support::{Site, have, repo, shared, skip};

/// Renders every Markdown page of a content folder with syllabus; returns (file, markdown, html).
/// Notebooks are compared with nbconvert instead (`notebook::nbconvert`).
fn render_all(content: &Path, config: &Config) -> Vec<(String, String, String)> {
    let (course, _) = load(content, "content", &LoadOptions::default());
    let index = UrlIndex::new(&course, "/", Default::default());
    let highlighter = Highlighter::new(&config.highlight, None);
    let ctx = RenderContext {
        index: &index,
        highlighter: &highlighter,
        options: &config.markdown,
        broken: Severity::Warning,
        relative_to: Default::default(),
        glossary: None,
    };
    course
        .pages
        .iter()
        .filter(|p| p.kind != PageKind::Notebook)
        .map(|p| (p.file.clone(), p.body.clone(), render(p, &ctx).html))
        .collect()
}

/// Runs the comparison script; returns its report, or `None` when cmarkgfm is missing.
fn compare(
    label: &str,
    pages: Vec<(String, String, String)>,
    allow: Option<&Path>,
) -> Option<(bool, String)> {
    if !have("python3", &["-c", "import cmarkgfm"]) {
        skip(
            "the Python package cmarkgfm (GitHub's Markdown renderer)",
            "pip install cmarkgfm",
        );
        return None;
    }
    let json: Vec<serde_json::Value> = pages
        .into_iter()
        .map(|(file, md, html)| serde_json::json!({"file": file, "markdown": md, "html": html}))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(format!("{label}.json"));
    std::fs::write(&input, serde_json::to_vec(&json).unwrap()).unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("tests/support/gfm_diff.py"))
        .arg(&input);
    if let Some(a) = allow {
        cmd.arg(a);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{label}: {}", text.lines().last().unwrap_or(""));
    Some((out.status.success(), text))
}

#[test]
fn seed_page_renders_as_github_does() {
    let Some(shared) = shared() else { return };
    let seed = std::fs::read_dir(shared.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/session_serverless/index.md", "# Session 7\n");
    std::fs::copy(
        &seed,
        site.path()
            .join("content/session_serverless/serverless_overview.md"),
    )
    .unwrap();
    site.build_ok();
    let html = site.main_of("public/session_serverless/serverless_overview/index.html");
    // The link to the session is rewritten to its URL.
    assert!(
        html.contains("<a href=\"/session_serverless/\">Session 7: Overview of Serverless</a>"),
        "{html}"
    );
    // The bare URL is a link, and the italic line with a trailing space stays literal.
    assert!(html.contains("<p>*Graphic credit: Instana <a href=\"https://www.instana.com/blog/introduction-to-serverless-computing/\">https://www.instana.com/blog/introduction-to-serverless-computing/</a> *</p>"), "{html}");
    // Indented lines after `**Server Process**:` stay paragraph text, not code.
    assert!(
        html.contains("<p><strong>Server Process</strong>:\nprovission machine --&gt; install OS"),
        "{html}"
    );
    assert!(!html.contains("<pre"), "{html}");
    let markdown = std::fs::read_to_string(&seed).unwrap();
    let config = Config::default();
    let ctx_pages = render_all(&site.path().join("content"), &config);
    let page = ctx_pages
        .into_iter()
        .find(|p| p.0.ends_with("serverless_overview.md"))
        .unwrap();
    assert_eq!(page.1, markdown);
    if let Some((ok, report)) = compare("seed", vec![page], None) {
        assert!(ok, "{report}");
    }
}

#[test]
fn demo_course_matches_github_rendering() {
    let config = Config::load(&repo()).expect("demo config");
    let pages = render_all(&repo().join("content"), &config);
    assert!(pages.len() >= 20);
    if let Some((ok, report)) = compare(
        "demo",
        pages,
        Some(&repo().join("tests/support/gfm_known_differences.txt")),
    ) {
        assert!(ok, "{report}");
    }
}

#[test]
fn real_course_matches_github_rendering() {
    let Some(shared) = shared() else { return };
    let docs = shared.join("corpora/msucloudfellowship.github.io/docs");
    let pages = render_all(&docs, &Config::default());
    assert!(pages.len() >= 70, "{}", pages.len());
    if let Some((ok, report)) = compare(
        "corpus",
        pages,
        Some(&repo().join("tests/support/gfm_known_differences.txt")),
    ) {
        assert!(ok, "{report}");
    }
}

/// What a reader saw differ from GitHub after the whole-spec comparison:
/// `ftp://` links, e-mail addresses, heading ids of scripts with combining
/// marks, superscripts and images in headings, and `---`, text, `---` at the
/// top of a page. Expected HTML is what cmark-gfm and github-slugger give.
#[test]
fn github_parity_leftovers() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\nGet ftp://ftp.example.org/pub/data.csv, or write to ta@example.org.\n\n\
         ## தமிழ் மொழி\n\n## x²\n\n## ![logo](logo.png) Intro\n\n\
         [Tamil](#தமிழ்-மொழி), [x](#x), [intro](#-intro), [rules](rules.md#a-line-of-text)\n",
    )
    .file("content/logo.png", "png")
    .file("content/rules.md", "---\nA line of text\n---\n\nBody.\n");
    let run = site.build_ok();
    assert!(!run.all().contains("warning"), "{}", run.all());
    let home = site.content_of("public/index.html");
    for want in [
        "<a href=\"ftp://ftp.example.org/pub/data.csv\">ftp://ftp.example.org/pub/data.csv</a>,",
        "<a href=\"mailto:ta@example.org\">ta@example.org</a>.",
        "<h2 id=\"தமிழ்-மொழி\">",
        "<h2 id=\"x\">",
        "<h2 id=\"-intro\">",
    ] {
        assert!(home.contains(want), "{want} missing in:\n{home}");
    }
    let rules = site.content_of("public/rules/index.html");
    assert!(
        rules.contains("<hr />\n<h2 id=\"a-line-of-text\">A line of text"),
        "{rules}"
    );
}
