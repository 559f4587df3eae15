//! The default theme in headless Chromium, on the demo course: screenshots,
//! navigation links, the copy button, search, dark mode, axe-core and a strict
//! Content-Security-Policy (the acceptance of the default theme).
//!
//! The built `public/` is served by a tiny static server of the test's own that
//! sends `Content-Security-Policy: default-src 'self'` on every response, as the
//! site's Azure configuration does; one browser session runs every check in turn.
//! Search as a student uses it is in `search`; what its first query downloads
//! on the benchmark course, in `search_transfer`.

mod glossary;
mod search;
mod search_index;
mod search_transfer;
pub(crate) mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::browser::{Browser, KEY_ARROW_DOWN, KEY_ENTER, KEY_ESCAPE};
use crate::support::{self, Site};
use server::{CSP, StaticServer};

const HOME: &str = "/";
/// A session's landing page: table of contents, previous/next, backlinks.
const SESSION: &str = "/session_containers/";
/// A page with highlighted code, line numbers and a title on one block.
const CODE_PAGE: &str = "/session_containers/docker_basics/";
/// The Markdown of [`CODE_PAGE`], and the opening fence of its block with line numbers.
const CODE_SOURCE: &str = "content/session_containers/docker_basics.md";
const CODE_FENCE: &str = "```dockerfile";
/// A page with display maths, wider than a phone.
const MATH_PAGE: &str = "/session_accounts/budgets_and_costs/";
/// A word of [`SESSION`]'s first sentence ("the oldest excuse in computing") and of no other page.
const SEARCH_WORD: &str = "excuse";
/// A word of many pages, to check the look of a full results list.
const COMMON_WORD: &str = "azure";
/// [`CODE_PAGE`] opened from a search result: its hits marked.
const HIGHLIGHTED: &str = "/session_containers/docker_basics/?highlight=apptainer+docker";
/// The longest any single thing in the page may take to happen.
const WAIT: Duration = Duration::from_secs(10);

/// Phone and laptop widths (CSS pixels), with a window height for each.
pub(crate) const WIDTHS: [(u32, u32); 2] = [(375, 812), (1280, 900)];

#[test]
fn default_theme_in_chromium() {
    let site = Site::demo();
    site.build_ok();
    let server = StaticServer::start(site.path().join("public"));
    let Some(mut t) = Check::start(&server) else {
        return;
    };

    t.screenshots();
    t.navigation_links();
    t.drawer_on_phones();
    t.copy_button(&site);
    t.search_by_click();
    t.search_by_keyboard();
    t.dark_mode();
    t.axe();

    assert!(
        t.console.is_empty(),
        "the browser console reported problems (CSP `{CSP}`):\n{}",
        t.console.join("\n")
    );
}

/// The browser, the site's origin, and what the console said on the way.
struct Check {
    browser: Browser,
    origin: String,
    /// Errors and Content-Security-Policy reports, each with the page it came from.
    console: Vec<String>,
}

impl Check {
    /// Headless Chromium on a served site; `None` (skipped visibly) without Chromium.
    fn start(server: &StaticServer) -> Option<Check> {
        Some(Check {
            browser: Browser::start()?,
            origin: server.origin.clone(),
            console: Vec::new(),
        })
    }

    /// Opens a page of the site, waits for the theme's scripts to have run,
    /// and keeps what the console said about the page before it.
    fn open(&mut self, path: &str) {
        self.collect_console();
        self.browser.goto(&format!("{}{path}", self.origin));
        self.wait_for(
            "the page to load",
            "return document.readyState === 'complete'",
        );
        self.collect_console();
    }

    /// Keeps console errors and any message about the Content-Security-Policy.
    fn collect_console(&mut self) {
        let page = self.path();
        for entry in self.browser.console_logs() {
            let level = entry["level"].as_str().unwrap_or("");
            let message = entry["message"].as_str().unwrap_or("");
            let csp = message.contains("Content Security Policy")
                || message.contains("Content-Security-Policy");
            if level == "SEVERE" || csp {
                self.console.push(format!("{page}: {level} {message}"));
            }
        }
    }

    fn js(&self, script: &str) -> Value {
        self.browser.execute(script, &[])
    }

    fn path(&self) -> String {
        self.js("return location.pathname")
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Polls a script until it returns true.
    fn wait_for(&self, what: &str, script: &str) {
        let held = self
            .browser
            .wait_until(WAIT, |b| b.execute(script, &[]) == Value::Bool(true));
        assert!(held, "waited {WAIT:?} for {what} on {}", self.path());
    }

    /// Screenshots of the home and a session page at phone and laptop widths,
    /// kept in `target/screenshots/` for people to look at (not compared).
    fn screenshots(&mut self) {
        let dir = target_dir().join("screenshots");
        for (width, height) in WIDTHS {
            self.browser.set_window_size(width, height);
            for (name, path) in [("home", HOME), ("session", SESSION)] {
                self.open(path);
                let inner = self.js("return window.innerWidth");
                assert_eq!(inner, json!(width), "viewport width");
                let file = dir.join(format!("theme-{name}-{width}.png"));
                self.browser.screenshot(&file);
                report(&format!("screenshot: {}", file.display()));
            }
        }
    }

    /// Sidebar, table of contents, previous/next, backlinks and breadcrumbs are
    /// there on a session page, and each of their links leads to a page that exists.
    fn navigation_links(&mut self) {
        self.browser.set_window_size(1280, 900);
        self.open(SESSION);
        let parts = [
            ("sidebar", "#sy-sidebar a[href]", 10),
            ("table of contents", ".toc-aside .toc-list a[href]", 2),
            ("previous", ".pager a[rel=prev]", 1),
            ("next", ".pager a[rel=next]", 1),
            ("backlinks", ".backlinks a[href]", 1),
            ("breadcrumbs", ".breadcrumbs a[href]", 1),
        ];
        let mut targets = Vec::new();
        for (name, selector, at_least) in parts {
            let links = self.browser.execute(
                "return Array.from(document.querySelectorAll(arguments[0]))
                    .filter(a => a.getClientRects().length > 0)
                    .map(a => a.href)",
                &[json!(selector)],
            );
            let links: Vec<String> = links
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            assert!(
                links.len() >= at_least,
                "{SESSION}: expected at least {at_least} visible {name} link(s) (`{selector}`), found {links:?}"
            );
            targets.extend(links.into_iter().map(|l| (name, l)));
        }
        let current = self.js(
            "var a = document.querySelector('#sy-sidebar [aria-current=page]'); return a && a.pathname",
        );
        assert_eq!(
            current,
            json!(SESSION),
            "the sidebar marks the current page"
        );

        let agent = http_agent();
        for (name, href) in targets {
            let (page, fragment) = href.split_once('#').unwrap_or((&href, ""));
            if !page.starts_with(&self.origin) {
                continue;
            }
            let (status, html) = get(&agent, page);
            assert_eq!(status, 200, "{name} link {href} on {SESSION}");
            if !fragment.is_empty() {
                assert!(
                    html.contains(&format!("id=\"{fragment}\"")),
                    "{name} link {href} on {SESSION}: no element with id `{fragment}` there"
                );
            }
        }
    }

    /// Below 900 px the sidebar is a drawer that the menu button opens and Escape closes.
    fn drawer_on_phones(&mut self) {
        self.browser.set_window_size(375, 812);
        self.open(SESSION);
        let visible = "var r = document.getElementById('sy-sidebar').getBoundingClientRect();
                       return r.right > 0 && r.left < window.innerWidth";
        assert_eq!(self.js(visible), json!(false), "sidebar hidden on a phone");
        self.browser.click(".menu-btn");
        self.wait_for("the navigation drawer to open", visible);
        self.wait_for(
            "focus in the drawer",
            "return document.getElementById('sy-sidebar').contains(document.activeElement)",
        );
        self.browser
            .send_keys(".nav-link[aria-current=page]", KEY_ESCAPE);
        self.wait_for(
            "Escape to close the drawer",
            "return !document.documentElement.classList.contains('nav-open')",
        );
        self.browser.set_window_size(1280, 900);
    }

    /// The copy button puts the code on the clipboard exactly as written in the
    /// Markdown: no line numbers, no trailing newline. Chromium's real clipboard is
    /// used, with the page granted clipboard access through DevTools.
    fn copy_button(&mut self, site: &Site) {
        self.open(CODE_PAGE);
        self.browser.cdp(
            "Browser.grantPermissions",
            json!({
                "origin": self.origin,
                "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
            }),
        );
        assert_eq!(
            self.js("return document.querySelectorAll('pre.linenos .line[data-line]').length > 0"),
            json!(true),
            "{CODE_PAGE} shows a block with line numbers"
        );
        let button = ".code-block:has(pre.linenos) .copy-btn";
        self.browser.click(button);
        self.wait_for(
            "the copy button to say it copied",
            &format!("return document.querySelector('{button}').textContent.trim() === 'Copied'"),
        );
        let copied = self.browser.execute_async(
            "var done = arguments[arguments.length - 1];
             navigator.clipboard.readText().then(done, e => done('clipboard: ' + e))",
            &[],
        );
        let expected = fenced_block(&site.read(CODE_SOURCE), CODE_FENCE);
        assert_eq!(
            copied.as_str(),
            Some(expected.as_str()),
            "the copy button on {CODE_PAGE} copies the code as written"
        );
    }

    /// Types a word from one session page into the search box; the result for
    /// that page is listed and a click on it opens the page.
    fn search_by_click(&mut self) {
        self.browser.set_window_size(1280, 900);
        self.open(HOME);
        self.search(SEARCH_WORD);
        let result = self.wait_for_result();
        self.browser
            .click(&format!("#sy-search-results li:nth-child({result}) a"));
        self.wait_for(
            "the search result to open its page",
            &format!("return location.pathname === '{SESSION}'"),
        );
        self.collect_console();
    }

    /// The same on a phone, with the keyboard: the search button opens the
    /// field, arrows pick the result, Enter opens it.
    fn search_by_keyboard(&mut self) {
        self.browser.set_window_size(375, 812);
        self.open(HOME);
        self.search(SEARCH_WORD);
        let result = self.wait_for_result();
        let keys = KEY_ARROW_DOWN.repeat(result) + KEY_ENTER;
        self.browser.send_keys("#sy-search-input", &keys);
        self.wait_for(
            "Enter on the search result to open its page",
            &format!("return location.pathname === '{SESSION}'"),
        );
        self.collect_console();
        self.browser.set_window_size(1280, 900);
    }

    /// Types `query` into the search box; on a phone, opens the box with the search button first.
    fn search(&self, query: &str) {
        let phone =
            "return getComputedStyle(document.querySelector('.search-toggle')).display !== 'none'";
        if self.js(phone) == Value::Bool(true) {
            self.browser.click(".search-toggle");
        } else {
            self.browser.click("#sy-search-input");
        }
        self.wait_for(
            "the search field to take focus",
            "return document.activeElement && document.activeElement.id === 'sy-search-input'",
        );
        self.browser.send_keys("#sy-search-input", query);
    }

    /// Waits until the results list [`SESSION`]; its position, from 1.
    fn wait_for_result(&self) -> usize {
        let position =
            "var items = Array.from(document.querySelectorAll('#sy-search-results li a'));
            return items.findIndex(a => a.pathname === arguments[0]) + 1";
        let mut found = 0;
        let listed = self.browser.wait_until(WAIT, |b| {
            found = b.execute(position, &[json!(SESSION)]).as_u64().unwrap_or(0) as usize;
            found > 0
        });
        let shown = self.browser.text("#sy-search-results").unwrap_or_default();
        assert!(
            listed,
            "searching `{SEARCH_WORD}` does not list {SESSION}; the results were:\n{shown}"
        );
        found
    }

    /// The toggle switches `data-theme` and the page's colours; the choice
    /// survives a reload.
    fn dark_mode(&mut self) {
        self.open(SESSION);
        self.js("localStorage.removeItem('syllabus-theme')");
        self.open(SESSION);
        let theme = "return document.documentElement.getAttribute('data-theme')";
        let background = "return getComputedStyle(document.body).backgroundColor";
        assert_eq!(self.js(theme), Value::Null, "no theme chosen yet");
        let light = self.js(background);

        self.browser.click(".theme-toggle");
        self.wait_for(
            "the toggle to choose dark",
            "return document.documentElement.getAttribute('data-theme') === 'dark'",
        );
        let dark = self.js(background);
        assert_ne!(light, dark, "the background changes with the theme");
        assert_eq!(
            self.js("return document.querySelector('.theme-toggle').getAttribute('aria-pressed')"),
            json!("true")
        );

        self.open(SESSION);
        assert_eq!(self.js(theme), json!("dark"), "dark mode survives a reload");
        assert_eq!(self.js(background), dark);

        self.browser.click(".theme-toggle");
        self.wait_for(
            "the toggle to choose light",
            "return document.documentElement.getAttribute('data-theme') === 'light'",
        );
        assert_eq!(self.js(background), light);
        self.js("localStorage.removeItem('syllabus-theme')");
    }

    /// axe-core finds nothing serious or critical on the home page, a session
    /// page, a page with code, one with maths, one with search hits marked, the
    /// schedule, and in the open search results,
    /// in light and dark, at both widths. No rule is disabled.
    fn axe(&mut self) {
        let Some(axe) = axe_source() else {
            return;
        };
        let mut violations = Vec::new();
        for (width, height) in WIDTHS {
            self.browser.set_window_size(width, height);
            for theme in ["light", "dark"] {
                self.open(HOME);
                self.browser.execute(
                    "localStorage.setItem('syllabus-theme', arguments[0])",
                    &[json!(theme)],
                );
                for path in [
                    HOME,
                    SESSION,
                    CODE_PAGE,
                    MATH_PAGE,
                    HIGHLIGHTED,
                    "/schedule/",
                    "search",
                ] {
                    if path == "search" {
                        self.open(HOME);
                        self.search(COMMON_WORD);
                        self.wait_for(
                            "search results",
                            "return document.querySelectorAll('#sy-search-results [role=option]').length > 1",
                        );
                    } else {
                        self.open(path);
                    }
                    assert_eq!(
                        self.js("return document.documentElement.getAttribute('data-theme')"),
                        json!(theme)
                    );
                    for v in self.run_axe(&axe) {
                        violations.push(format!("{path} at {width}px, {theme}: {v}"));
                    }
                }
            }
        }
        self.js("localStorage.removeItem('syllabus-theme')");
        self.browser.set_window_size(1280, 900);
        assert!(
            violations.is_empty(),
            "axe-core found serious or critical problems:\n{}",
            violations.join("\n")
        );
    }

    /// Injects axe-core (WebDriver's scripts are not subject to the page's CSP)
    /// and returns its serious and critical violations, one line per element.
    fn run_axe(&self, axe: &str) -> Vec<String> {
        self.browser
            .execute(&format!("{axe}\n;return typeof axe"), &[]);
        let result = self.browser.execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(
               r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .flatMap(v => v.nodes.map(n =>
                   v.id + ' (' + v.impact + ') ' + n.target.join(' ') + ': ' +
                   n.failureSummary.replace(/\\s+/g, ' ')))),
               e => done(['axe failed: ' + e]))",
            &[],
        );
        result
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }
}

/// Prints past the test harness's capture, so the line shows in `cargo test`'s output.
pub(crate) fn report(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `target/` of this build (beside `target/debug/syllabus`).
pub(crate) fn target_dir() -> PathBuf {
    let binary = assert_cmd::cargo::cargo_bin("syllabus");
    binary
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| support::repo().join("target"), Path::to_path_buf)
}

/// axe-core's `axe.min.js` from `target/node-tools` (installed by `.ci/run`).
pub(crate) fn axe_source() -> Option<String> {
    let path = support::repo().join("target/node-tools/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            support::skip(
                "axe-core (accessibility checks)",
                "npm install --prefix target/node-tools --no-save axe-core@4",
            );
            None
        }
    }
}

/// The code of the fenced block that opens with `fence` (a line prefix), as written.
fn fenced_block(markdown: &str, fence: &str) -> String {
    let mut lines = markdown.lines().skip_while(|l| !l.starts_with(fence));
    assert!(lines.next().is_some(), "no ```{fence} block");
    lines
        .take_while(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn http_agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(WAIT))
            .build(),
    )
}

/// Status and body of a GET.
fn get(agent: &ureq::Agent, url: &str) -> (u16, String) {
    let mut response = agent
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (response.status().as_u16(), body)
}

/// CSS cannot share one rule between a selector (`[data-theme="dark"]`, the
/// reader's choice) and a media query (the system's), so the dark palette is
/// written twice in the stylesheet: the two copies must stay the same.
#[test]
fn both_dark_palettes_are_the_same() {
    let css = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/assets/syllabus.css"),
    )
    .expect("theme stylesheet");
    let block = |opening: &str| -> Vec<String> {
        let start = css.find(opening).unwrap_or_else(|| panic!("no {opening}")) + opening.len();
        let end = start + css[start..].find('}').expect("closing brace");
        css[start..end]
            .split(';')
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty())
            .collect()
    };
    let chosen = block(":root[data-theme=\"dark\"] {");
    let system = block(":root:not([data-theme=\"light\"]) {");
    assert!(chosen.len() > 20, "{chosen:?}");
    assert_eq!(chosen, system);
}

/// The sidebar of `page`, from its `<nav>` to its end.
fn sidebar_of(site: &Site, page: &str) -> String {
    let html = site.read(page);
    let start = html.find("<nav id=\"sy-sidebar\"").expect("a sidebar");
    let end = start + html[start..].find("</nav>").expect("closed");
    html[start..end].to_string()
}

#[test]
fn a_long_section_shows_the_pages_around_the_current_one() {
    // A large course (over 150 entries): one section of 200 pages and a
    // subsection of 80. Each page lists 21 entries of a long branch, the
    // current one in the middle, and links its section for the rest.
    let site = Site::new();
    site.file("content/index.md", "# Home\n");
    site.file("content/s/index.md", "# Session\n");
    for i in 0..200 {
        site.file(&format!("content/s/p{i:03}.md"), &format!("# Page {i}\n"));
    }
    site.file("content/s/sub/index.md", "# Sub\n");
    for i in 0..80 {
        site.file(
            &format!("content/s/sub/q{i:02}.md"),
            &format!("# Leaf {i}\n"),
        );
    }
    site.build_ok();
    let shows = |nav: &str, url: &str| nav.contains(&format!("href=\"{url}\""));
    let entries = |nav: &str| nav.matches("<li class=\"nav-item level-2").count();

    let nav = sidebar_of(&site, "public/s/p100/index.html");
    assert!(
        nav.contains("<a class=\"nav-link\" href=\"/s/p100/\" aria-current=\"page\">"),
        "{nav}"
    );
    assert!(shows(&nav, "/s/p090/") && shows(&nav, "/s/p110/"), "{nav}");
    assert!(
        !shows(&nav, "/s/p089/") && !shows(&nav, "/s/p111/"),
        "{nav}"
    );
    assert!(
        nav.contains("href=\"/s/\">90 earlier in Session</a>"),
        "{nav}"
    );
    assert!(nav.contains("href=\"/s/\">90 more in Session</a>"), "{nav}");
    assert_eq!(entries(&nav), 23, "21 pages and two links");

    // At either end the window keeps its size.
    let first = sidebar_of(&site, "public/s/p000/index.html");
    assert!(shows(&first, "/s/p020/") && !shows(&first, "/s/p021/"));
    assert!(!first.contains("earlier in"), "{first}");
    assert!(first.contains(">180 more in Session<"), "{first}");
    let section = sidebar_of(&site, "public/s/index.html");
    assert!(shows(&section, "/s/p020/") && !shows(&section, "/s/p021/"));
    let last = sidebar_of(&site, "public/s/p199/index.html");
    assert!(
        shows(&last, "/s/p180/") && shows(&last, "/s/sub/"),
        "{last}"
    );
    assert!(last.contains(">180 earlier in Session<") && !last.contains("more in"));

    // Three levels: a window of the subsection's pages inside the window of the section's.
    let leaf = sidebar_of(&site, "public/s/sub/q40/index.html");
    assert!(
        shows(&leaf, "/s/sub/q30/") && shows(&leaf, "/s/sub/q50/"),
        "{leaf}"
    );
    assert!(
        !shows(&leaf, "/s/sub/q29/") && !shows(&leaf, "/s/sub/q51/"),
        "{leaf}"
    );
    assert!(
        leaf.contains("href=\"/s/sub/\">30 earlier in Sub</a>"),
        "{leaf}"
    );
    assert!(
        leaf.contains("href=\"/s/sub/\">29 more in Sub</a>"),
        "{leaf}"
    );
    assert!(
        shows(&leaf, "/s/p199/") && !shows(&leaf, "/s/p179/"),
        "{leaf}"
    );
    // The section's own page still lists every page.
    let listed = site.main_of("public/s/index.html");
    assert!(listed.contains("href=\"/s/p000/\"") && listed.contains("href=\"/s/p199/\""));
}
