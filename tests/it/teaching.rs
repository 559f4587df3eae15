//! Teaching blocks (Carpentries fenced divs): every class in
//! `tests/fixtures/teaching`, nesting, a challenge in a list, unbalanced
//! fences as positioned errors, the instructor view and that nothing of an
//! `instructor` block reaches a learner's file, safe mode, and in Chromium:
//! solutions start closed, open with the keyboard and print open.

use std::io::Read;
use std::path::Path;

use crate::support::Site;

fn built() -> Site {
    let site = Site::fixture("teaching");
    site.build_ok();
    site
}

/// The position of `needle` in `haystack`, or a failure naming both.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in:\n{haystack}"))
}

#[test]
fn every_class_renders_in_its_shape() {
    let site = built();
    let main = site.content_of("public/session_1/index.html");
    for shape in [
        "<section class=\"teach-card teach teach-questions",
        "<section class=\"teach-card teach teach-objectives",
        "<div class=\"teach teach-prereq",
        "<div class=\"teach teach-challenge",
        "<details class=\"teach teach-hint",
        "<details class=\"teach teach-solution",
        "<details class=\"teach teach-spoiler",
        "<div class=\"teach teach-callout",
        "<div class=\"teach teach-checklist",
        "<div class=\"teach teach-discussion",
        "<div class=\"teach teach-testimonial",
        "<section class=\"teach-card teach teach-keypoints",
        // An unknown class is a plain block titled with its name.
        "<div class=\"teach teach-flashcard markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Flashcard</p>",
    ] {
        at(&main, shape);
    }
    // Collapsed blocks start closed; a heading right after the fence is the summary.
    assert!(!main.contains(
        "<details class=\"teach teach-solution markdown-alert markdown-alert-tip\" open"
    ));
    at(
        &main,
        "<summary class=\"markdown-alert-title\">The address</summary>",
    );
    at(
        &main,
        "<summary class=\"markdown-alert-title\">Hint</summary>",
    );
    // Three levels: challenge > solution > spoiler, closed innermost first.
    let challenge = at(&main, "teach-challenge");
    let solution = at(&main, "teach-solution");
    let spoiler = at(&main, "teach-spoiler");
    assert!(challenge < solution && solution < spoiler);
    let tail = &main[spoiler..];
    at(tail, "host name.</p>\n</details>\n</details>\n</div>\n<ol>");
    // A challenge inside a list item stays in the item.
    at(
        &main,
        "<p>Upload one file.</p>\n<div class=\"teach teach-challenge",
    );
    // Tabs from `###` headings, the first selected; the script that makes them tabs is loaded.
    at(
        &main,
        "<details class=\"tabbed-block\" open>\n<summary class=\"tabbed-label\">Portal</summary>",
    );
    assert!(
        site.read("public/session_1/index.html")
            .contains("assets/tabs.js")
    );
    // The challenge's heading is a heading of the page: in its table of contents, linkable.
    at(&main, "<h2 id=\"find-the-endpoint\">");
}

#[test]
fn an_unknown_class_is_a_warning_at_its_line() {
    let site = Site::fixture("teaching");
    let run = site.build_ok();
    at(
        &run.stderr,
        "warning[W050]: `flashcard` is not a class of teaching block",
    );
    at(&run.stderr, "--> content/session_1/index.md:78:1");
}

#[test]
fn unbalanced_fences_are_errors_with_position_and_help() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n  ::: challenge\nNever closed.\n",
    )
    .file("content/b.md", "# B\n\ntext\n\n:::\n");
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.all());
    let err = &run.stderr;
    at(
        err,
        "error[E041]: the `challenge` block opened here is never closed\n  --> content/index.md:3:3\n  help: close it with a line of three or more colons",
    );
    at(
        err,
        "error[E042]: this closing `:::` has no open block to close\n  --> content/b.md:5:1\n  help: remove it",
    );
    assert!(!err.contains("panicked"));
}

/// Every file of the learner's site (all but `instructor/`), as text; gzip files unpacked.
fn learner_files(public: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![public.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "instructor" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let mut text = String::new();
            if flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .is_err()
            {
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            out.push((rel, text.to_lowercase()));
        }
    }
    out
}

#[test]
fn instructor_blocks_appear_only_in_the_instructor_view() {
    let site = built();
    let public = site.path().join("public");
    let files = learner_files(&public);
    for must in [
        "sitemap.xml",
        "atom.xml",
        "404.html",
        "search/index.json",
        "session_1/index.html",
    ] {
        assert!(files.iter().any(|(r, _)| r == must), "no {must} to check");
    }
    assert!(
        files
            .iter()
            .any(|(r, _)| r.starts_with("search/") && r.ends_with(".bin"))
    );
    for (rel, text) in &files {
        for secret in [
            "xylophon",
            "setting up the demo account",
            "setting-up-the-demo-account",
            "/instructor/",
        ] {
            assert!(!text.contains(secret), "`{secret}` leaks into {rel}");
        }
    }
    // The link inside the instructor block makes no backlink on the learner's home page.
    assert!(!site.read("public/index.html").contains("backlinks"));
    // The instructor's copy has the block, its heading in the table of contents, and links
    // that stay in the instructor view; search engines are asked to leave it alone.
    let copy = site.read("public/instructor/session_1/index.html");
    at(
        &copy,
        "<aside class=\"teach teach-instructor markdown-alert markdown-alert-caution\" aria-label=\"Instructor note\">",
    );
    at(&copy, "Xylophonic timing note");
    at(&copy, "href=\"#setting-up-the-demo-account\"");
    at(
        &copy,
        "<meta name=\"robots\" content=\"noindex, nofollow\">",
    );
    at(&copy, "href=\"/instructor/session_1/later/\"");
    at(&copy, "<a data-view=\"learner\" href=\"/session_1/\">");
    // Every page has its copy, with or without instructor blocks.
    assert!(site.exists("public/instructor/index.html"));
    assert!(site.exists("public/instructor/session_1/later/index.html"));
}

#[test]
fn a_course_without_instructor_blocks_has_no_instructor_view() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\n::: challenge\nTry.\n:::\n");
    site.build_ok();
    assert!(!site.exists("public/instructor"));
}

#[test]
fn a_folder_named_instructor_clashes_with_the_instructor_view() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\n::: instructor\nNote.\n:::\n")
        .file("content/instructor/notes.md", "# Notes\n");
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.all());
    at(
        &run.stderr,
        "error[E081]: the page's URL is under `/instructor/`, where the instructor view of the course goes\n  --> content/instructor/notes.md",
    );
}

#[test]
fn safe_mode_escapes_classes_and_titles() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\n[markdown]\nunsafe_html = false\n")
        .file(
            "templates/page.html",
            "<!doctype html>\n<title>{{ page.title }}</title>\n<main>{{ page.content | safe }}</main>\n",
        )
        .file(
            "templates/index.html",
            "<!doctype html>\n<title>{{ page.title }}</title>\n<main>{{ page.content | safe }}</main>\n",
        )
        .file(
            "content/index.md",
            concat!(
                "# Home\n\n",
                "::: {.x-\"><script>alert(1)</script>}\nnot a block\n\n",
                "::: {.solution onclick=alert(2)}\n## <img src=x onerror=alert(3)> title\nbody <script>alert(4)</script>\n:::\n\n",
                "::: keypoints\n- <img src=y onerror=alert(5)>\n:::\n",
            ),
        );
    let run = site.build();
    assert_eq!(run.code, Some(0), "{}", run.all());
    let main = site.main_of("public/index.html");
    if let Some(what) = crate::safe_mode::oracle::unsafe_markup(&main) {
        panic!("{what}:\n{main}");
    }
    at(&main, "<details class=\"teach teach-solution");
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 5_000;
    let body = format!(
        "# Deep\n\n{}x\n\n{}",
        "::: challenge\n".repeat(depth),
        ":::\n".repeat(depth)
    );
    let site = Site::new();
    site.file("content/index.md", &body);
    let run = site.build();
    assert_eq!(run.code, Some(0), "{}", run.all());
    at(
        &run.stderr,
        "warning[W042]: teaching blocks nested more than 16 deep are shown as text",
    );
    let main = site.main_of("public/index.html");
    assert_eq!(main.matches("teach-challenge").count(), 16);
}

#[test]
fn solutions_start_closed_open_with_the_keyboard_and_print_open() {
    use crate::browser::{Browser, KEY_ENTER};
    use crate::theme::server::StaticServer;
    use serde_json::{Value, json};

    let site = built();
    let server = StaticServer::start(site.path().join("public"));
    let Some(browser) = Browser::start() else {
        return;
    };
    let js = |script: &str| browser.execute(script, &[]);
    browser.goto(&format!("{}/session_1/", server.origin));
    let ready = browser.wait_until(std::time::Duration::from_secs(10), |b| {
        b.execute("return document.readyState === 'complete'", &[]) == Value::Bool(true)
    });
    assert!(ready, "the page loads");
    let state = "var d = document.querySelector('details.teach-solution');
         var p = d.querySelector(':scope > p');
         return [d.open, p.checkVisibility()]";
    assert_eq!(js(state), json!([false, false]), "closed at first");
    // Printed (print media emulated), its content shows though it is closed.
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    assert_eq!(js(state), json!([false, true]), "shown in print");
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
    assert_eq!(js(state), json!([false, false]));
    // The summary is reached with Tab and opened with Enter.
    js("document.querySelector('details.teach-solution > summary').focus()");
    assert_eq!(
        js(
            "return document.activeElement === document.querySelector('details.teach-solution > summary')"
        ),
        json!(true)
    );
    browser.send_keys("details.teach-solution > summary", KEY_ENTER);
    assert_eq!(js(state), json!([true, true]), "opened with Enter");
    let Some(axe) = crate::theme::axe_source() else {
        return;
    };
    for page in ["/session_1/", "/instructor/session_1/"] {
        browser.goto(&format!("{}{page}", server.origin));
        browser.wait_until(std::time::Duration::from_secs(10), |b| {
            b.execute("return document.readyState === 'complete'", &[]) == Value::Bool(true)
        });
        browser.execute(&format!("{axe}\n;return typeof axe"), &[]);
        let found = browser.execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(
               r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .flatMap(v => v.nodes.map(n => v.id + ' ' + n.target.join(' ')))),
               e => done(['axe failed: ' + e]))",
            &[],
        );
        assert_eq!(found, json!([]), "axe on {page}");
    }
}

#[test]
fn the_key_points_page_lists_every_pages_key_points_in_course_order() {
    let site = built();
    let main = site.main_of("public/keypoints/index.html");
    let first = at(&main, "<a href=\"/session_1/\">Object storage</a>");
    let second = at(&main, "<a href=\"/session_1/later/\">Later</a>");
    assert!(first < second, "{main}");
    at(&main, "<li>A container is a folder of blobs.</li>");
    at(&main, "<li>Later pages have key points too.</li>");
    // Each key points card leads to the page.
    at(
        &site.content_of("public/session_1/later/index.html"),
        "<a href=\"/keypoints/\">All key points of the course</a>",
    );
    // A course without key points has no such page.
    let plain = Site::new();
    plain.file("content/index.md", "# Home\n");
    plain.build_ok();
    assert!(!plain.exists("public/keypoints"));
}

#[test]
fn teaching_and_exercise_minutes_show_on_the_page_and_add_up_per_session() {
    let site = built();
    let page = site.read("public/session_1/later/index.html");
    at(&page, "Teaching: 15 min</span>");
    at(&page, "Exercises: 5 min</span>");
    let session = site.read("public/session_1/index.html");
    at(&session, "This session: 35 min teaching, 15 min exercises");
    // The instructor view shows the timings too.
    at(
        &site.read("public/instructor/session_1/index.html"),
        "This session: 35 min teaching, 15 min exercises",
    );
    let bad = Site::new();
    bad.file("content/index.md", "+++\nteaching = \"ten\"\n+++\n# Home\n");
    let run = bad.build();
    at(
        &run.stderr,
        "error[E023]: front matter `teaching` must be a whole number of minutes",
    );
}

#[test]
fn each_session_has_an_all_in_one_page_for_printing() {
    let site = built();
    let main = site.main_of("public/session_1/print/index.html");
    let first = at(
        &main,
        "<p class=\"print-source\"><a href=\"/session_1/\">Object storage</a></p>",
    );
    let second = at(
        &main,
        "<p class=\"print-source\"><a href=\"/session_1/later/\">Later</a></p>",
    );
    assert!(first < second);
    at(&main, "<details class=\"teach teach-solution");
    assert!(
        !main.to_lowercase().contains("xylophon"),
        "no instructor notes"
    );
    at(
        &site.read("public/session_1/index.html"),
        "<a class=\"print-link\" href=\"/session_1/print/\">",
    );
    // No all-in-one page for the home page, nor in a course without teaching blocks.
    assert!(!site.exists("public/print"));
    let plain = Site::new();
    plain
        .file("content/index.md", "# Home\n")
        .file("content/s/index.md", "# S\n");
    plain.build_ok();
    assert!(!plain.exists("public/s/print"));
}

#[test]
fn links_inside_blocks_are_checked_at_their_place() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n::: challenge\n:::: solution\nSee [x](nope.md).\n::::\n:::\n\n::: instructor\nAnd [y](gone.md#z).\n:::\n",
    );
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.all());
    at(
        &run.stderr,
        "broken link `nope.md`: no page `nope.md`\n  --> content/index.md:5:5",
    );
    at(&run.stderr, "broken link `gone.md#z`");
    at(&run.stderr, "--> content/index.md:10:5");
}

#[test]
fn serve_writes_the_teaching_pages_build_writes_and_keeps_them_current() {
    use crate::serve::{Server, assert_disk_matches};

    let site = Site::fixture("teaching");
    let server = Server::start(&site);
    server.wait_for_text("/instructor/session_1/", "Xylophonic timing note");
    server.wait_for_text("/keypoints/", "A container is a folder of blobs.");
    server.wait_for_text("/session_1/print/", "Later pages have key points too.");
    // An edit of an instructor note reaches the instructor view, and only it.
    let page = site.read("content/session_1/index.md");
    site.file(
        "content/session_1/index.md",
        &page.replace("Xylophonic timing note", "Xylophonic revised note"),
    );
    server.wait_for_text("/instructor/session_1/", "Xylophonic revised note");
    assert!(
        !server
            .get("/session_1/")
            .text()
            .to_lowercase()
            .contains("xylophon")
    );
    assert_disk_matches(&server, &site);
}

#[test]
fn blocks_and_admonitions_nest_both_ways() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n::: challenge\n!!! note \"Inside\"\n    a note\n\n:::\n\n!!! tip\n    ::: solution\n    hidden\n    :::\n",
    );
    site.build_ok();
    let main = site.content_of("public/index.html");
    let challenge = at(&main, "teach-challenge");
    let note = at(&main, "admonition note");
    let tip = at(&main, "admonition tip");
    let solution = at(&main, "<details class=\"teach teach-solution");
    assert!(challenge < note && note < tip && tip < solution, "{main}");
    assert!(!main.contains(":::"), "{main}");
}
