//! The MkDocs course of ../shared/corpora, imported with `syllabus import
//! mkdocs` and built with no hand edits, in headless Chromium: what a new
//! user sees first. The home page's first screen shows the course's own
//! title and picture, the sidebar and the overview (when asked for) follow
//! `nav`, no title shows a file name's `_`, and the theme's code blocks,
//! table of contents and heading anchors behave on its long pages.
//! Screenshots go to `target/screenshots/` (docs/img holds copies, next to
//! MkDocs-Material's, made by scripts/screenshots_mkdocs.sh).

mod images;

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::mkdocs::corpus;
use crate::support::Site;
use crate::theme::server::StaticServer;
use crate::theme::{WIDTHS, report, target_dir};
use syllabus::model::config::{Config, NavEntry};

/// The pages the screenshots show: the home page, a session, a page with a table.
const PAGES: [(&str, &str); 3] = [
    ("home", "/"),
    ("session", "/session_cloud_storage/"),
    (
        "table",
        "/session_datasystems/table_of_responsibilties_by_service_level/",
    ),
];
/// A long page with long code lines.
const CODE_PAGE: &str = "/session_organization/exercise_vm_via_cli/";
/// A page whose table of contents is longer than a laptop's screen.
const LONG_TOC_PAGE: &str = "/cloud_glossary/";
const WAIT: Duration = Duration::from_secs(10);

#[test]
fn the_imported_mkdocs_course_in_chromium() {
    let Some(site) = corpus() else { return };
    let run = site.run_in_root(&["import", "mkdocs"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    site.build_ok();
    no_title_has_an_underscore(&site.path().join("public"));
    // Served with the policy Azure would send, fitted to the course's images.
    let config: Value =
        serde_json::from_str(&site.read("public/staticwebapp.config.json")).unwrap();
    let csp = config["globalHeaders"]["Content-Security-Policy"]
        .as_str()
        .unwrap()
        .to_string();
    let server = StaticServer::start_with_csp(site.path().join("public"), &csp);
    let Some(browser) = Browser::start() else {
        return;
    };
    let t = Check {
        browser,
        origin: server.origin.clone(),
    };
    let (title, picture) = home_title_and_picture(&site);
    for (width, height) in WIDTHS {
        t.browser.set_window_size(width, height);
        t.first_screen(&title, &picture, width);
        t.screenshots(width);
    }
    t.browser.set_window_size(1280, 900);
    t.sidebar_follows_nav(&site);
    t.copy_buttons_leave_code_visible();
    t.contents_list_stays_beside_the_footer();
    t.heading_anchors_show_on_focus_only();
    t.every_image_loads(&site.path().join("public"), &csp);

    // Asked for, the overview follows nav too.
    let home = site.read("docs/index.md");
    site.file(
        "docs/index.md",
        &home.replacen("---\n", "---\noverview: true\n", 1),
    );
    site.build_ok();
    t.overview_follows_nav(&site);
}

struct Check {
    browser: Browser,
    origin: String,
}

impl Check {
    fn open(&self, path: &str) {
        self.browser.goto(&format!("{}{path}", self.origin));
        self.wait_for(path, "document.readyState === 'complete'");
    }

    fn js(&self, script: &str) -> Value {
        self.browser.execute(script, &[])
    }

    fn wait_for(&self, what: &str, condition: &str) {
        let script = format!("return {condition}");
        let held = self
            .browser
            .wait_until(WAIT, |b| b.execute(&script, &[]) == Value::Bool(true));
        assert!(held, "waited {WAIT:?} on {what} for `{condition}`");
    }

    /// The first screen of the home page shows the page's own title as its
    /// one `<h1>` and the start of its picture, loaded; nothing generated
    /// comes before them.
    fn first_screen(&self, title: &str, picture: &str, width: u32) {
        self.open("/");
        self.wait_for(
            "the home page's images",
            "Array.from(document.images).every(i => i.complete)",
        );
        let seen = self.browser.execute(
            "var h = document.querySelectorAll('h1');
             var img = Array.from(document.querySelectorAll('main img'))
                 .find(i => i.getAttribute('src').endsWith(arguments[0]));
             var r = h[0].getBoundingClientRect();
             return {
               h1s: h.length, h1: h[0].textContent.trim(),
               h1_on_screen: r.top >= 0 && r.bottom <= innerHeight,
               picture: !!img,
               picture_top: img ? img.getBoundingClientRect().top : -1,
               loaded: img ? img.naturalWidth > 0 : false,
               screen: innerHeight,
               generated: document.querySelectorAll('main .hero, main .session-card').length,
             }",
            &[json!(picture)],
        );
        let at = format!("home page at {width}px: {seen}");
        assert_eq!(seen["h1s"], json!(1), "{at}");
        assert_eq!(seen["h1"], json!(title), "{at}");
        assert_eq!(seen["h1_on_screen"], json!(true), "{at}");
        assert_eq!(seen["picture"], json!(true), "{at}");
        assert_eq!(seen["loaded"], json!(true), "{at}");
        let top = seen["picture_top"].as_f64().unwrap_or(-1.0);
        let screen = seen["screen"].as_f64().unwrap_or(0.0);
        assert!(
            top >= 0.0 && top < screen - 100.0,
            "the picture starts on the first screen: {at}"
        );
        assert_eq!(seen["generated"], json!(0), "{at}");
    }

    fn screenshots(&self, width: u32) {
        let dir = target_dir().join("screenshots");
        for (name, path) in PAGES {
            self.open(path);
            self.wait_for(path, "Array.from(document.images).every(i => i.complete)");
            let file = dir.join(format!("mkdocs-course-{name}-{width}.png"));
            self.browser.screenshot(&file);
            report(&format!("screenshot: {}", file.display()));
        }
    }

    /// The sidebar lists nav's entries with nav's titles, in nav's order.
    fn sidebar_follows_nav(&self, site: &Site) {
        self.open("/");
        let shown = self.js(
            "return Array.from(document.querySelectorAll('#sy-sidebar .level-1')).map(li => [
               li.querySelector('.nav-row .nav-link').textContent.trim(),
               Array.from(li.querySelectorAll('.level-2 > .nav-row .nav-link')).map(a => a.textContent.trim())
             ])",
        );
        let expected: Vec<Value> = nav(site)
            .iter()
            .filter(|e| entry_page(e) != Some("index.md"))
            .map(|e| {
                let children: Vec<String> = match e {
                    NavEntry::Entry(t) => t.children.iter().map(entry_title).collect(),
                    NavEntry::Page(_) => Vec::new(),
                };
                json!([entry_title(e), children])
            })
            .collect();
        assert_eq!(shown, Value::Array(expected), "the sidebar follows nav");
    }

    /// No code block's copy button lies over the text of its first line.
    fn copy_buttons_leave_code_visible(&self) {
        for (width, height) in WIDTHS {
            self.browser.set_window_size(width, height);
            self.open(CODE_PAGE);
            let covered = self.js(
                "return Array.from(document.querySelectorAll('.code-block')).flatMap((block, i) => {
                   var button = block.querySelector('.copy-btn');
                   var code = block.querySelector('pre code') || block.querySelector('pre');
                   if (!button) return ['block ' + i + ' has no copy button'];
                   var range = document.createRange();
                   range.selectNodeContents(code);
                   var walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), n;
                   while ((n = walk.nextNode())) {
                     var end = n.data.indexOf('\\n');
                     if (end >= 0) { range.setEnd(n, end); break; }
                   }
                   var b = button.getBoundingClientRect();
                   var over = Array.from(range.getClientRects()).some(r =>
                     r.width > 0 && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top);
                   return over ? ['block ' + i + ': ' + code.textContent.split('\\n')[0]] : [];
                 })",
            );
            assert_eq!(
                covered,
                json!([]),
                "{CODE_PAGE} at {width}px: copy buttons over code"
            );
            let long = self.js(
                "return Array.from(document.querySelectorAll('pre code')).some(c =>
                   c.textContent.split('\\n')[0].length > 80)",
            );
            assert_eq!(
                long,
                json!(true),
                "{CODE_PAGE} has a long first line to test with"
            );
        }
        self.browser.set_window_size(1280, 900);
    }

    /// Scrolled to the bottom of a long page, the table of contents and the
    /// footer do not overlap.
    fn contents_list_stays_beside_the_footer(&self) {
        self.open(LONG_TOC_PAGE);
        let geometry = self.js(
            "window.scrollTo(0, document.documentElement.scrollHeight);
             var t = document.querySelector('.toc-aside').getBoundingClientRect();
             var f = document.querySelector('.site-footer').getBoundingClientRect();
             return { toc: [t.left, t.top, t.right, t.bottom], footer: [f.left, f.top, f.right, f.bottom],
                      taller: document.querySelector('.toc-aside').scrollHeight > innerHeight - 60 }",
        );
        let rect = |k: &str| -> Vec<f64> {
            geometry[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let (t, f) = (rect("toc"), rect("footer"));
        let overlap = t[0] < f[2] && t[2] > f[0] && t[1] < f[3] && t[3] > f[1];
        assert_eq!(
            geometry["taller"],
            json!(true),
            "{LONG_TOC_PAGE}'s contents are longer than the screen"
        );
        assert!(
            !overlap,
            "{LONG_TOC_PAGE}: the table of contents runs into the footer: {geometry}"
        );
    }

    /// The `#` after a heading is invisible until the heading is hovered or
    /// the anchor has keyboard focus, as on GitHub (headless Chromium has no
    /// hover, like a touch screen).
    fn heading_anchors_show_on_focus_only(&self) {
        self.open(LONG_TOC_PAGE);
        let opacity =
            "return getComputedStyle(document.querySelector('.prose h2 .heading-anchor')).opacity";
        assert_eq!(
            self.js(opacity),
            json!("0"),
            "the # shows before any hover or focus"
        );
        self.js(
            "document.querySelector('.prose h2 .heading-anchor').focus({ focusVisible: true })",
        );
        self.wait_for(
            "the focused anchor",
            "getComputedStyle(document.querySelector('.prose h2 .heading-anchor')).opacity === '1'",
        );
    }

    /// With `overview: true`, the cards are nav's sessions in nav's order.
    fn overview_follows_nav(&self, site: &Site) {
        self.open("/");
        let cards = self.js(
            "return Array.from(document.querySelectorAll('.session-card')).map(c => [
               c.querySelector('.session-title').textContent.trim(),
               c.querySelector('a').getAttribute('href'),
               c.querySelector('.session-meta').textContent.trim()])",
        );
        let sessions: Vec<String> = nav(site)
            .iter()
            .find_map(|e| match e {
                NavEntry::Entry(t) if t.page.is_none() && !t.children.is_empty() => {
                    Some(t.children.iter().map(entry_title).collect())
                }
                _ => None,
            })
            .expect("a nav group of sessions");
        let cards = cards.as_array().expect("cards");
        let titles: Vec<&str> = cards.iter().map(|c| c[0].as_str().unwrap()).collect();
        assert_eq!(titles, sessions, "the overview follows nav");
        for card in cards {
            assert!(
                !card[1].as_str().unwrap().is_empty(),
                "a card without a link: {card}"
            );
            assert!(
                !card[2].as_str().unwrap().starts_with("0 "),
                "an empty session: {card}"
            );
        }
        assert_eq!(
            self.js("return document.querySelectorAll('h1').length"),
            json!(1)
        );
    }
}

fn nav(site: &Site) -> Vec<NavEntry> {
    Config::parse(&site.read("syllabus.toml"))
        .expect("imported syllabus.toml")
        .nav
        .expect("the imported nav")
}

fn entry_page(entry: &NavEntry) -> Option<&str> {
    match entry {
        NavEntry::Page(p) => Some(p),
        NavEntry::Entry(t) => t.page.as_deref(),
    }
}

fn entry_title(entry: &NavEntry) -> String {
    match entry {
        NavEntry::Entry(t) => t.title.clone().unwrap_or_default().trim().to_string(),
        NavEntry::Page(p) => p.clone(),
    }
}

/// The home page's front matter `title` and the file of its first picture.
fn home_title_and_picture(site: &Site) -> (String, String) {
    let home = site.read("docs/index.md");
    let title = home
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .expect("a title in the home page's front matter")
        .trim()
        .to_string();
    let picture = home
        .split("![")
        .nth(1)
        .and_then(|s| s.split_once("](")?.1.split_once(')'))
        .map(|(src, _)| src.rsplit('/').next().unwrap_or(src).to_string())
        .expect("a picture on the home page");
    (title, picture)
}

/// No page's `<title>`, `<h1>` or navigation label shows a `_` of a file name.
fn no_title_has_an_underscore(public: &Path) {
    let mut bad = Vec::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.expect("walk the site");
        if entry.file_name() != "index.html" {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(entry.path()).expect("a page");
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|s| s.split("</title>").next())
            .unwrap_or("");
        if title.contains('_') {
            bad.push(format!("{}: <title>{title}", entry.path().display()));
        }
        for label in html
            .split("class=\"nav-link")
            .skip(1)
            .chain(html.split("<h1").skip(1))
        {
            let text = label.split_once('>').map_or("", |(_, t)| t);
            let text = &text[..text.find("</").unwrap_or(text.len())];
            if text.contains('_') && !text.contains('<') {
                bad.push(format!("{}: {text}", entry.path().display()));
            }
        }
    }
    assert!(pages >= 72, "only {pages} pages under {}", public.display());
    assert!(
        bad.is_empty(),
        "titles with a file name's `_`:\n{}",
        bad.join("\n")
    );
}
