//! The home page is the author's page; the course overview is something the
//! author asks for (`overview = true`), and its sessions, their order, counts
//! and titles follow `nav` or, without one, the folders that hold pages.

use crate::support::Site;

/// The text of every element that opens with `open` (up to its closing `</…>`).
fn texts_after(html: &str, open: &str) -> Vec<String> {
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let rest = &rest[rest.find('>').map_or(0, |g| g + 1)..];
            strip_tags(&rest[..rest.find("</").unwrap_or(rest.len())])
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'").trim().to_string()
}

/// Each session card's (title, link, page count) on a built home page.
fn cards(html: &str) -> Vec<(String, String, String)> {
    html.split("<li class=\"session-card\">")
        .skip(1)
        .map(|card| {
            let card = &card[..card.find("</li>").unwrap_or(card.len())];
            let href = card
                .split("href=\"")
                .nth(1)
                .map(|h| h[..h.find('"').unwrap()].to_string())
                .unwrap_or_default();
            let title = texts_after(card, "<h3 class=\"session-title\"")[0].clone();
            let meta = texts_after(card, "<p class=\"session-meta\"")[0].clone();
            (title, href, meta)
        })
        .collect()
}

/// The hero's counts as a screen reader reads them (the `·` is hidden from it).
fn hero_meta(html: &str) -> String {
    let start = html.find("<p class=\"hero-meta\">").expect("hero counts");
    let end = start + html[start..].find("</p>").expect("end of the counts");
    strip_tags(&html[start..end]).replace(" · , ", ", ")
}

fn owned(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn the_home_page_is_the_authors_page_unless_it_asks_for_the_overview() {
    let site = Site::fixture("home_nav");
    site.file(
        "content/index.md",
        "---\ntitle: Nav course\n---\n\n![Clouds](img/clouds.svg)\n\nWelcome to the nav course.\n",
    );
    site.build_ok();
    let html = site.read("public/index.html");
    let main = site.main_of("public/index.html");
    for generated in ["class=\"hero", "session-card", "Also in this course"] {
        assert!(
            !main.contains(generated),
            "{generated} on the home page:\n{main}"
        );
    }
    assert_eq!(
        texts_after(&html, "<h1"),
        ["Nav course"],
        "one <h1>, the page's title"
    );
    let picture = main
        .find("src=\"/img/clouds.svg\"")
        .expect("the author's picture");
    assert!(main.find("Welcome to the nav course").unwrap() > picture);

    // A home page with its own `# H1`: that heading is the page's one <h1>.
    site.file("content/index.md", "# Welcome, fellows\n\nText.\n");
    site.build_ok();
    let html = site.read("public/index.html");
    assert_eq!(texts_after(&html, "<h1"), ["Welcome, fellows#"]);
}

#[test]
fn with_nav_the_overview_sections_and_order_follow_nav() {
    let site = Site::fixture("home_nav");
    site.build_ok();
    let home = site.main_of("public/index.html");
    assert_eq!(
        cards(&home),
        owned(&[
            ("· Introduction", "/session_intro/", "1 page"),
            ("· Data", "/session_data/", "1 page"),
            ("· Storage", "/session_storage/", "2 pages"),
            ("· Mini-project", "/miniproject/", "1 page"),
        ]),
        "{home}"
    );
    assert_eq!(
        texts_after(&home, "<h2 class=\"home-heading\""),
        ["Sessions", "Also in this course"]
    );
    let more = &home[home.find("class=\"more-list\"").expect("other pages")..];
    assert_eq!(texts_after(more, "<li><a href"), ["Contact", "References"]);
    // 11 pages are published; the folders of assets and of pages outside nav are no sessions.
    assert_eq!(hero_meta(&home), "4 sessions, 11 pages");
    for absent in [
        "href=\"\"",
        "0 pages",
        "Exercises",
        "Moving data",
        "Cold storage",
        "Img",
    ] {
        assert!(!home.contains(absent), "{absent} in the overview:\n{home}");
    }

    // Previous/next follow nav, not the folders.
    let intro = site.read("public/session_intro/index.html");
    assert!(intro.contains("href=\"/contact/\" rel=\"prev\""), "{intro}");
    assert!(
        intro.contains("href=\"/session_data/\" rel=\"next\""),
        "{intro}"
    );
    // A section's page lists the entries nav puts under it, not its folder.
    assert!(!intro.contains("In this section"), "{intro}");
    let storage = site.main_of("public/session_storage/index.html");
    assert_eq!(
        texts_after(&storage, "<a class=\"page-item-title\""),
        ["Storage pricing"]
    );
    assert!(!storage.contains("Cold storage"), "{storage}");
}

#[test]
fn without_nav_folders_with_pages_are_the_sessions() {
    let site = Site::fixture("home_folders");
    let run = site.build_ok();
    assert!(run.stdout.starts_with("Built 9 pages"), "{}", run.stdout);
    let html = site.read("public/index.html");
    let home = site.main_of("public/index.html");
    assert_eq!(
        cards(&home),
        owned(&[
            (
                "Last year's first session",
                "/archive/old_session/",
                "1 page"
            ),
            ("Moving data", "/moving_data/command_line_tools/", "2 pages"),
            ("Session two", "/session_2/", "3 pages"),
            ("Session ten", "/session_10/", "1 page"),
        ]),
        "{home}"
    );
    // A folder without a Markdown page of its own is a heading, not a session.
    assert_eq!(
        texts_after(&home, "<h2 class=\"home-heading\""),
        ["Archive", "Sessions", "Also in this course"]
    );
    assert_eq!(hero_meta(&home), "4 sessions, 9 pages");
    assert_eq!(
        texts_after(&html, "<h1"),
        ["Folders course"],
        "one <h1>: the overview's"
    );
    assert!(!home.contains("href=\"\""), "{home}");
    // The page's own content follows the overview.
    assert!(
        home.find("session-card").unwrap() < home.find("Welcome to the folders course").unwrap()
    );
}

#[test]
fn titles_from_file_and_folder_names_are_readable() {
    let site = Site::fixture("home_folders");
    site.build_ok();
    let page =
        site.read("public/moving_data/table_of_responsibilities_by_service_level/index.html");
    assert!(
        page.contains("<title>Table of responsibilities by service level — Folders course</title>"),
        "{page}"
    );
    let sidebar = site.read("public/index.html");
    assert!(
        sidebar.contains("<span class=\"nav-link nav-group\">Moving data</span>"),
        "{sidebar}"
    );
    assert!(sidebar.contains(">Command line tools</a>"), "{sidebar}");
}

#[test]
fn overview_must_be_true_or_false() {
    let site = Site::fixture("home_folders");
    site.file(
        "content/index.md",
        "+++\ntitle = \"Home\"\noverview = \"yes\"\n+++\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("front matter `overview` must be true or false"),
        "{err}"
    );
    assert!(err.contains("--> content/index.md:3:1"), "{err}");
}

/// The demo course asks for its overview, keeps one `<h1>`, and builds without a warning.
#[test]
fn the_demo_home_asks_for_its_overview_and_builds_without_warnings() {
    let site = Site::demo();
    let run = site.build_ok();
    assert!(!run.all().contains("warning"), "{}", run.all());
    let html = site.read("public/index.html");
    assert_eq!(
        texts_after(&html, "<h1"),
        ["Cloud Computing for Researchers"]
    );
    let home = site.main_of("public/index.html");
    assert_eq!(cards(&home).len(), 10, "{home}");
    assert!(home.contains("Welcome! This course is for researchers"));
}

/// Markup in a nav group's title and a session's title and description is
/// shown as text in the overview, never run; an odd folder name is encoded.
#[test]
fn the_overview_escapes_what_authors_write() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\nnav = [\n  { title = \"<img src=x onerror=alert(1)>\", children = [\"s/index.md\", \"<b>/a.md\"] },\n]\n",
    )
    .file("content/index.md", "+++\noverview = true\n+++\nHello.\n")
    .file(
        "content/s/index.md",
        "+++\ntitle = \"<script>alert(2)</script>\"\ndescription = \"<svg onload=alert(3)>\"\n+++\n",
    )
    .file("content/<b>/a.md", "Text.\n");
    site.build_ok();
    let home = site.main_of("public/index.html");
    for raw in ["<img src=x", "<script>alert", "<svg onload", "<b>"] {
        assert!(!home.contains(raw), "{raw} unescaped:\n{home}");
    }
    assert!(
        home.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{home}"
    );
    assert!(
        home.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{home}"
    );
    assert!(
        home.contains("href=\"/%3Cb%3E/a/\""),
        "the odd folder's URL is encoded:\n{home}"
    );
}
