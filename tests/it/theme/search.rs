//! Full-text search in headless Chromium, as a student uses it: on the demo
//! course (every page found by its title; the opened result scrolls to the
//! hit, marked, and Escape clears it) and on the real MkDocs course of
//! `../shared/corpora` once imported (ranking, the last paragraph of a page,
//! code blocks when `[search] code` is on).

use std::path::Path;

use serde_json::{Value, json};

use super::server::StaticServer;
use super::{Check, get, http_agent};
use crate::browser::{Browser, KEY_ENTER, KEY_ESCAPE};
use crate::support::Site;

/// A word of the demo course's `docker_basics.md`, on one line far down the page and nowhere else.
const DEEP_WORD: &str = "apptainer";
const DEEP_PAGE: &str = "/session_containers/docker_basics/";

/// Starts a browser on the built `public/` of a site; `None` when Chromium is missing.
fn browse(site: &Site) -> Option<(Check, StaticServer)> {
    let server = StaticServer::start(site.path().join("public"));
    let browser = Browser::start()?;
    let check = Check {
        browser,
        origin: server.origin.clone(),
        console: Vec::new(),
    };
    Some((check, server))
}

impl Check {
    /// Types `query` into an empty search box and waits for its results and
    /// their excerpts; returns each result's path and text.
    pub(super) fn results_for(&self, query: &str) -> Vec<(String, String)> {
        self.js("var i = document.getElementById('sy-search-input');
             i.value = ''; i.dispatchEvent(new Event('input'));");
        self.search(query);
        self.wait_for(
            &format!("the results for `{query}`"),
            &format!(
                "var l = document.getElementById('sy-search-results');
                 return l.getAttribute('data-query') === {} && !l.hasAttribute('aria-busy')",
                json!(query)
            ),
        );
        let found = self.js(
            "return Array.from(document.querySelectorAll('#sy-search-results a'))
                .map(a => [a.pathname, a.textContent])",
        );
        found
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r[0].as_str().unwrap_or("").to_string(),
                    r[1].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// Asserts that the console reported no problem of search (or none at all, with `all`):
    /// an imported course's own pages may break the policy with inline styles.
    fn assert_console_clean(&mut self, all: bool) {
        self.collect_console();
        let problems: Vec<&String> = self
            .console
            .iter()
            .filter(|m| all || m.contains("search"))
            .collect();
        assert!(
            problems.is_empty(),
            "the browser console reported problems:\n{problems:#?}"
        );
    }
}

/// Path and title of every page of the built demo, from its sitemap and each page's `og:title`.
fn pages_of(site: &Site, origin: &str) -> Vec<(String, String)> {
    let agent = http_agent();
    let sitemap = site.read("public/sitemap.xml");
    sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|path| {
            assert!(
                path.starts_with('/'),
                "the demo's base URL is a path: {path}"
            );
            let (_, html) = get(&agent, &format!("{origin}{path}"));
            let title = html
                .split("<meta property=\"og:title\" content=\"")
                .nth(1)
                .and_then(|t| t.split('"').next())
                .unwrap_or_else(|| panic!("no og:title on {path}"))
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            (path.to_string(), title)
        })
        .collect()
}

#[test]
fn every_demo_page_is_found_by_its_title_and_opens_at_the_hit() {
    let site = Site::demo();
    site.build_ok();
    let Some((mut t, _server)) = browse(&site) else {
        return;
    };
    t.open("/");
    let pages = pages_of(&site, &t.origin);
    assert!(pages.len() > 20, "the demo has its pages: {pages:?}");
    let mut missing = Vec::new();
    for (path, title) in &pages {
        let found = t.results_for(title);
        if !found.iter().any(|(p, _)| p == path) {
            missing.push(format!("{title} ({path}): {found:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "pages not found by their title:\n{}",
        missing.join("\n")
    );

    let shots = super::target_dir().join("screenshots");
    t.results_for("container image");
    t.browser.screenshot(&shots.join("search-results-1280.png"));
    let found = t.results_for(DEEP_WORD);
    assert_eq!(
        found.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        [DEEP_PAGE],
        "{found:?}"
    );
    assert!(
        found[0].1.to_lowercase().contains("formerly singularity"),
        "the excerpt is the sentence around the hit: {:?}",
        found[0].1
    );
    t.browser.send_keys("#sy-search-input", KEY_ENTER);
    t.wait_for(
        "the result to open",
        &format!(
            "return location.pathname === '{DEEP_PAGE}' && document.readyState === 'complete'"
        ),
    );
    t.wait_for(
        "the hit to be marked",
        "return document.querySelectorAll('mark.search-hit').length > 0",
    );
    let seen = t.js("var m = document.querySelector('mark.search-hit-current');
         var r = m.getBoundingClientRect();
         return [m.textContent, r.top >= 0 && r.bottom <= window.innerHeight, window.scrollY]");
    t.browser.screenshot(&shots.join("search-hit-1280.png"));
    assert_eq!(
        seen[0].as_str().map(str::to_lowercase),
        Some(DEEP_WORD.into())
    );
    assert_eq!(seen[1], Value::Bool(true), "the hit is on screen: {seen}");
    assert!(
        seen[2].as_f64().unwrap_or(0.0) > 300.0,
        "the page scrolled down to the hit: {seen}"
    );
    t.browser.send_keys("#sy-main", KEY_ESCAPE);
    t.wait_for(
        "Escape to clear the marks",
        "return document.querySelectorAll('mark.search-hit').length === 0
            && !location.search.includes('highlight')",
    );
    t.assert_console_clean(true);
}

/// The imported MkDocs course, built with `[search] code` as given.
fn imported_course(code: bool) -> Option<Site> {
    let site = crate::mkdocs::corpus()?;
    let imported = site.run_in_root(&["import", "mkdocs"]);
    assert_eq!(imported.code, Some(0), "{}", imported.all());
    let config = site.read("syllabus.toml");
    site.file(
        "syllabus.toml",
        &format!("{config}\n[search]\ncode = {code}\n"),
    );
    site.build_ok();
    Some(site)
}

/// Whether `word` (lower case) occurs in `text`, as a word.
fn has_word(text: &str, word: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

/// The files of the course that hold `text` (lower case), in any case.
fn files_with(dir: &Path, text: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            String::from_utf8_lossy(&bytes)
                .to_lowercase()
                .contains(text)
        })
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn search_on_the_imported_mkdocs_course() {
    let Some(site) = imported_course(false) else {
        return;
    };
    let Some((mut t, _server)) = browse(&site) else {
        return;
    };
    t.open("/");
    let found = t.results_for("docker");
    let tutorial = "/session_serverless/docker_tutorial_for_researchers/";
    let position = found.iter().position(|(p, _)| p == tutorial);
    assert!(
        matches!(position, Some(0 | 1)),
        "\"docker\" lists the Docker tutorial first or second: {found:#?}"
    );
    assert!(
        found.len() >= 5,
        "\"docker\" finds at least 5 pages: {found:#?}"
    );

    // A word of the last paragraph of a long page, and of no other file (nor
    // any other word of its stem).
    let docs = site.path().join("docs");
    let projects = site.read("docs/projects.md").to_lowercase();
    let (rest, last) = projects.trim_end().rsplit_once("\n\n").unwrap_or_default();
    assert!(last.contains("advisor") && !rest.contains("advis"));
    assert!(rest.len() > 3000, "a long page: {} bytes", projects.len());
    assert_eq!(
        files_with(&docs, "advis"),
        [docs.join("projects.md").to_string_lossy()]
    );
    let found = t.results_for("advisor");
    assert_eq!(
        found.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["/projects/"],
        "{found:?}"
    );

    // A word only in a code block: not found while code is not indexed.
    assert_eq!(
        files_with(&docs, "daemon"),
        [docs
            .join("session_serverless/docker_tutorial_for_researchers.md")
            .to_string_lossy()]
    );
    assert!(t.results_for("daemon").is_empty());
    t.assert_console_clean(false);
}

#[test]
fn code_blocks_are_searchable_when_the_course_asks() {
    let Some(site) = imported_course(true) else {
        return;
    };
    let Some((mut t, _server)) = browse(&site) else {
        return;
    };
    let tutorial = site.read("docs/session_serverless/docker_tutorial_for_researchers.md");
    let prose: String = tutorial.split("```").step_by(2).collect();
    assert!(has_word(&tutorial, "daemon") && !has_word(&prose, "daemon"));
    t.open("/");
    let found = t.results_for("daemon");
    assert_eq!(
        found.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["/session_serverless/docker_tutorial_for_researchers/"],
        "{found:?}"
    );
    assert!(
        found[0].1.to_lowercase().contains("daemon"),
        "the excerpt shows the code line: {:?}",
        found[0].1
    );
    t.assert_console_clean(false);
}

/// Markup in a title, a heading and the text is shown as text in the results
/// and on the opened page, a crafted `?highlight=` adds nothing but marks, and
/// reading a result page for its excerpt reports nothing to the
/// Content-Security-Policy (the page's own handlers are the page's business).
#[test]
fn markup_in_pages_and_addresses_stays_text() {
    let site = Site::new();
    let payload = "<img src=x onerror=\"window.pwned=1\">";
    site.file("content/index.md", "# Home\n\nWelcome.\n").file(
        "content/zanzibar.md",
        &format!(
            "+++\ntitle = '{payload} Zanzibar'\n+++\n\n## Heading {payload} zanzibar\n\nZanzibar &lt;img src=x onerror=\"window.pwned=2\"&gt; text.\n"
        ),
    );
    site.build_ok();
    let Some((mut t, _server)) = browse(&site) else {
        return;
    };
    t.open("/");
    let found = t.results_for("zanzibar");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains("<img src=x"),
        "shown as text: {found:?}"
    );
    assert_eq!(
        t.js("return document.querySelectorAll('#sy-search-results img').length"),
        json!(0)
    );
    // The heading's raw HTML is the author's (raw HTML is on): the marks add no element to it.
    let images = "return document.querySelectorAll('main img').length";
    t.open("/zanzibar/");
    let before = t.js(images);
    t.open("/zanzibar/?highlight=%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D3%3E+zanzibar");
    t.wait_for(
        "the hits to be marked",
        "return document.querySelectorAll('mark.search-hit').length > 0",
    );
    assert_eq!(t.js(images), before);
    assert_eq!(
        t.js("return document.querySelector('main h1').textContent.includes('<img src=x')"),
        json!(true)
    );
    t.assert_console_clean(false);
}
