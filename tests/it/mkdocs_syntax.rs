//! MkDocs-Material syntax: an imported course (`tests/fixtures/mkdocs_material`,
//! written from the constructs real Material courses use) builds with
//! `import mkdocs && build` and no hand edits; each construct's rendering is
//! a snapshot of the page's content; native courses get the same; safe mode
//! stays safe; problems point into the file; tabs work with the keyboard in
//! Chromium under a strict Content-Security-Policy.

use crate::safe_mode::oracle;
use crate::support::Site;

/// The imported and built fixture course, and what the build printed.
fn built_fixture() -> (Site, crate::support::Run) {
    let site = Site::fixture("mkdocs_material");
    let import = site.run_in_root(&["import", "mkdocs"]);
    assert_eq!(import.code, Some(0), "{}", import.all());
    let run = site.build_ok();
    (site, run)
}

/// A page's content, from its first element of `start` to the fixture's last line.
fn content(site: &Site, page: &str, start: &str) -> String {
    let main = site.main_of(&format!("public/{page}index.html"));
    let from = main
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {page}:\n{main}"));
    let end = main[from..]
        .find("End of page.</p>")
        .map(|e| from + e + "End of page.</p>".len())
        .unwrap_or_else(|| panic!("no end in {page}:\n{main}"));
    main[from..end].to_string()
}

#[test]
fn each_construct_renders_as_the_snapshot_shows() {
    let (site, _) = built_fixture();
    for (name, page, start) in [
        ("admonitions", "admonitions/", "<h1"),
        ("content_tabs", "tabs/", "<h1"),
        ("md_in_html", "html/", "<h1"),
        ("abbreviations", "abbreviations/", "<h1"),
        ("snippets", "snippets/", "<h1"),
        ("front_matter_with_a_colon", "exercises/smb/", "<p>"),
        ("rule_line_rule", "intro/", "<hr"),
    ] {
        insta::assert_snapshot!(name, content(&site, page, start));
    }
}

#[test]
fn the_imported_fixture_builds_with_only_the_warnings_that_need_the_author() {
    let (site, run) = built_fixture();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning["))
        .collect();
    assert_eq!(warnings.len(), 4, "{}", run.stderr);
    for (what, at) in [
        (
            "`:fontawesome-solid-ship:` is an icon of Material for MkDocs",
            "docs/index.md:12:2",
        ),
        (
            "invalid YAML front matter: the value of `title` holds `: `",
            "docs/exercises/smb.md:2:16",
        ),
        (
            "`--8<-- \"includes/glossary.md\"` includes a file",
            "docs/snippets.md:5:1",
        ),
        (
            "link `session_1` leads to `docs/y2021/session_1/index.md`",
            "docs/y2021.md:3:4",
        ),
    ] {
        assert!(run.stderr.contains(what), "{what}:\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {at}")),
            "{at}:\n{}",
            run.stderr
        );
    }
    assert!(
        site.read("public/exercises/smb/index.html")
            .contains("<title>Exercise: Create an SMB share"),
        "the title is read as meant"
    );
    // Nothing MkDocs-specific is left as text on any page.
    for page in [
        "",
        "admonitions/",
        "tabs/",
        "html/",
        "abbreviations/",
        "snippets/",
        "exercises/smb/",
        "intro/",
    ] {
        let main = site.main_of(&format!("public/{page}index.html"));
        for raw in [
            "!!!",
            "???",
            "=== \"",
            "*[",
            "--8<--",
            "markdown=",
            "title: Exercise",
        ] {
            assert!(!main.contains(raw), "`{raw}` shown on /{page}:\n{main}");
        }
    }
    let home = site.main_of("public/index.html");
    assert!(
        home.contains("class=\"md-button\">The course poster</a>"),
        "{home}"
    );
    // Links inside md_in_html are resolved; those in comments are not reported.
    let html = site.main_of("public/html/index.html");
    assert!(html.contains("href=\"/tabs/\""), "{html}");
    assert!(html.contains("src=\"/img/ship.png\""), "{html}");
    assert!(!run.stderr.contains("old_exercise"), "{}", run.stderr);
    // Last year's link leads where it led on the MkDocs site.
    assert!(
        site.main_of("public/y2021/index.html")
            .contains("href=\"/y2021/session_1/\"")
    );
    // The tabs' script is loaded where there are tabs, and only there.
    assert!(
        site.read("public/tabs/index.html")
            .contains("assets/tabs.js")
    );
    assert!(
        !site
            .read("public/admonitions/index.html")
            .contains("assets/tabs.js")
    );
    assert!(site.exists("public/assets/tabs.js"));
}

#[test]
fn native_courses_get_the_same_rendering() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n!!! tip \"Try it\"\n    Run `ls`.\n\n=== \"A\"\n    a\n=== \"B\"\n    b\n\n<div markdown>\n*em*\n</div>\n\nThe CLI.\n\n*[CLI]: Command-line interface\n",
    );
    site.build_ok();
    let main = site.main_of("public/index.html");
    for want in [
        "<div class=\"admonition tip markdown-alert markdown-alert-tip\">",
        "<p class=\"admonition-title markdown-alert-title\">Try it</p>",
        "<div class=\"tabbed-set\">",
        "<summary class=\"tabbed-label\">B</summary>",
        "<p><em>em</em></p>",
        "<abbr title=\"Command-line interface\">CLI</abbr>",
    ] {
        assert!(main.contains(want), "{want}:\n{main}");
    }
}

#[test]
fn problems_inside_the_constructs_point_into_the_file() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n!!! note \"See [x](gone1.md)\"\n    Text [y](gone2.md).\n\n    === \"Tab\"\n        In a tab [z](gone3.md).\n\n<div markdown=\"1\">\n  Grid [w](gone4.md)\n</div>\n\n*[HTML]: markup\n\nHTML [v](gone5.md)\n",
    );
    let out = site.build().fails();
    for (link, at) in [
        ("gone1.md", "3:15"),
        ("gone2.md", "4:10"),
        ("gone3.md", "7:18"),
        ("gone4.md", "10:8"),
        ("gone5.md", "15:6"),
    ] {
        assert!(
            out.contains(&format!(
                "broken link `{link}`: no page `{link}`\n  --> content/index.md:{at}"
            )),
            "{link} at {at}:\n{out}"
        );
    }
}

#[test]
fn safe_mode_stays_safe_in_every_construct() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[markdown]\nunsafe_html = false\n[links]\nbroken = \"warn\"\n",
    )
    .file(
        "templates/page.html",
        "<!doctype html>\n<title>{{ page.title }}</title>\n<main>{{ page.content | safe }}</main>\n",
    )
    .file("content/index.md", "# Home\n\n[x](x.md)\n")
    .file(
        "content/x.md",
        concat!(
            "# X\n\n",
            "!!! note \"<img src=x onerror=alert(1)>[a](javascript:alert(2))\"\n    <script>alert(3)</script>\n\n",
            "??? x-\"><script>alert(4)</script>\n    text\n\n",
            "!!! danger onmouseover \"t\"\n    <a href=\"javascript:alert(5)\">a</a>\n\n",
            "=== \"<svg onload=alert(6)>\"\n    <iframe src=\"https://evil.example/\"></iframe>\n\n",
            "<div markdown=\"1\" onclick=\"alert(7)\">\n[b](javascript:alert(8))\n</div>\n\n",
            "<p markdown=\"span\" style=\"x\">*y* <img src=y onerror=alert(9)></p>\n\n",
            "HTML and XSS.\n\n*[HTML]: \"><script>alert(10)</script>\n*[XSS]: <img src=z onerror=alert(11)>\n",
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let main = site.main_of("public/x/index.html");
    if let Some(what) = oracle::unsafe_markup(&main) {
        panic!("{what}:\n{main}");
    }
    assert!(main.contains("markdown-alert"), "{main}");
    assert!(
        main.contains(
            "<abbr title=\"&quot;&gt;&lt;script&gt;alert(10)&lt;/script&gt;\">HTML</abbr>"
        ),
        "{main}"
    );
}

/// `git` in the site's folder, with an identity of its own.
fn git(site: &Site, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

/// The fixture course, committed to a new Git repository.
fn committed_fixture() -> Option<Site> {
    if !crate::support::have("git", &["--version"]) {
        crate::support::skip("git", "apt-get install git");
        return None;
    }
    let site = Site::fixture("mkdocs_material");
    git(&site, &["init", "-q"]);
    git(&site, &["add", "."]);
    git(&site, &["commit", "-q", "-m", "course"]);
    Some(site)
}

/// The words a reader sees in a page's Markdown: of an admonition's or tab's
/// opening line, only its title (or, without one, its type, the default title);
/// no `markdown` attribute.
fn words(text: &str) -> Vec<String> {
    let text = text
        .replace(" markdown=\"1\"", "")
        .replace(" markdown=\"span\"", "")
        .replace(" markdown>", ">");
    let mut shown = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        let opener = ["!!!", "???+", "???", "==="]
            .iter()
            .find_map(|m| t.strip_prefix(m));
        match opener {
            Some(rest) => match rest.split_once('"') {
                Some((_, title)) => shown.push_str(title),
                None => shown.push_str(rest.split_whitespace().next().unwrap_or("")),
            },
            None => shown.push_str(line),
        }
        shown.push('\n');
    }
    shown
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn rewrite_turns_the_syntax_into_githubs_and_loses_no_text() {
    let Some(site) = committed_fixture() else {
        return;
    };
    let before: Vec<(String, String)> = ["admonitions.md", "tabs.md", "html.md"]
        .iter()
        .map(|p| (p.to_string(), site.read(&format!("docs/{p}"))))
        .collect();
    let run = site.run_in_root(&["import", "mkdocs", "--rewrite"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout.contains("Wrote ./syllabus.toml"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Rewrote 3 file(s)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("docs/admonitions.md: 4 admonition(s) → GitHub alert, 2 admonition(s) → quote with a bold title, 2 collapsible block(s) → <details>"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("docs/tabs.md:"), "{}", run.stdout);
    for (page, old) in &before {
        let new = site.read(&format!("docs/{page}"));
        for raw in ["!!!", "???", "=== \"", "markdown=", " markdown>"] {
            assert!(!new.contains(raw), "{raw} left in {page}:\n{new}");
        }
        // Every word is still there, in the same order.
        let new_words = words(&new);
        let mut at = 0;
        for w in words(old) {
            match new_words[at..].iter().position(|n| *n == w) {
                Some(p) => at += p + 1,
                None => panic!("`{w}` of {page} lost or moved:\n{new}"),
            }
        }
    }
    let admonitions = site.read("docs/admonitions.md");
    assert!(
        admonitions.contains("> [!CAUTION]\n> **Important**\n>\n> Run this part"),
        "{admonitions}"
    );
    assert!(
        admonitions.contains("<details>\n<summary>Answer</summary>\n\n```sh\ndocker image ls\n```"),
        "{admonitions}"
    );
    // The rewritten course builds, and looks as before: callouts, details, tabs.
    site.build_ok();
    let main = site.main_of("public/admonitions/index.html");
    assert!(
        main.contains("markdown-alert markdown-alert-caution"),
        "{main}"
    );
    assert!(
        main.contains("<details>\n<summary>Answer</summary>"),
        "{main}"
    );
    let tabs = site.read("public/tabs/index.html");
    assert!(
        tabs.contains("<div class=\"tabbed-set\">") && tabs.contains("assets/tabs.js"),
        "{tabs}"
    );
    // A second run has nothing left to do.
    let again = site.run_in_root(&["import", "mkdocs", "--rewrite", "--force"]);
    assert!(
        again.stdout.contains("nothing to rewrite"),
        "{}",
        again.all()
    );
}

#[test]
fn rewrite_refuses_uncommitted_files_and_courses_outside_git() {
    let Some(site) = committed_fixture() else {
        return;
    };
    site.file(
        "docs/tabs.md",
        &format!("{}\nAn edit.\n", site.read("docs/tabs.md")),
    );
    let original = site.read("docs/admonitions.md");
    let out = site.run_in_root(&["import", "mkdocs", "--rewrite"]).fails();
    assert!(out.contains("changes Git has not committed"), "{out}");
    assert!(out.contains("docs/tabs.md"), "{out}");
    assert_eq!(
        site.read("docs/admonitions.md"),
        original,
        "nothing is rewritten"
    );
    // A dry run says what would change and writes nothing.
    let dry = site.run_in_root(&["import", "mkdocs", "--rewrite", "--dry-run"]);
    assert_eq!(dry.code, Some(0), "{}", dry.all());
    assert!(
        dry.stdout.contains("Would rewrite 3 file(s)"),
        "{}",
        dry.stdout
    );
    assert_eq!(site.read("docs/admonitions.md"), original);
    assert!(!site.exists("syllabus.toml"));
    // --force rewrites anyway.
    let forced = site.run_in_root(&["import", "mkdocs", "--rewrite", "--force"]);
    assert_eq!(forced.code, Some(0), "{}", forced.all());
    assert_ne!(site.read("docs/admonitions.md"), original);
    // Outside Git: refused without --force.
    let plain = Site::fixture("mkdocs_material");
    let out = plain
        .run_in_root(&["import", "mkdocs", "--rewrite"])
        .fails();
    assert!(out.contains("is not in a Git repository"), "{out}");
}

/// WebDriver key codes.
const ARROW_RIGHT: &str = "\u{E014}";
const ARROW_LEFT: &str = "\u{E012}";
const HOME: &str = "\u{E011}";
const END: &str = "\u{E010}";

#[test]
fn tabs_work_with_the_keyboard_under_a_strict_csp() {
    use crate::browser::Browser;
    use crate::theme::server::StaticServer;
    use serde_json::{Value, json};

    let (site, _) = built_fixture();
    let server = StaticServer::start(site.path().join("public"));
    let Some(browser) = Browser::start() else {
        return;
    };
    let js = |script: &str| browser.execute(script, &[]);
    let wait = |what: &str, script: &str| {
        let ok = browser.wait_until(std::time::Duration::from_secs(10), |b| {
            b.execute(script, &[]) == Value::Bool(true)
        });
        assert!(ok, "waited for {what}");
    };
    browser.goto(&format!("{}/tabs/", server.origin));
    wait(
        "tabs",
        "return document.querySelectorAll('.tabbed-set.is-tabbed').length === 3",
    );
    let selected = |set: usize| {
        js(&format!(
            "var s = document.querySelectorAll('.tabbed-set')[{set}];
             var t = s.querySelector('[role=tab][aria-selected=true]');
             var shown = [].filter.call(s.querySelectorAll(':scope > [role=tabpanel]'), p => !p.hidden);
             return [t.textContent, shown.length, shown[0].getAttribute('aria-labelledby') === t.id,
                     document.activeElement === t]"
        ))
    };
    assert_eq!(selected(0), json!(["Windows", 1, true, false]));
    // The `+` tab is selected in the nested set.
    assert_eq!(selected(2)[0], json!("Python"));
    // Only the selected tab is in the Tab order; arrows, Home and End move the selection.
    assert_eq!(
        js(
            "return [].map.call(document.querySelectorAll('.tabbed-set')[0].querySelectorAll('[role=tab]'), t => t.tabIndex)"
        ),
        json!([0, -1, -1])
    );
    browser.send_keys("#sy-tabs-1-tab-0", ARROW_RIGHT);
    assert_eq!(selected(0), json!(["macOS", 1, true, true]));
    // The other set with the same labels follows.
    assert_eq!(selected(1)[0], json!("macOS"));
    browser.send_keys("#sy-tabs-1-tab-1", END);
    assert_eq!(selected(0)[0], json!("Linux"));
    browser.send_keys("#sy-tabs-1-tab-2", ARROW_RIGHT);
    assert_eq!(selected(0)[0], json!("Windows"), "wraps around");
    browser.send_keys("#sy-tabs-1-tab-0", ARROW_LEFT);
    assert_eq!(selected(0)[0], json!("Linux"));
    browser.send_keys("#sy-tabs-1-tab-2", HOME);
    assert_eq!(selected(0), json!(["Windows", 1, true, true]));
    browser.click("#sy-tabs-2-tab-2");
    assert_eq!(selected(1)[0], json!("Linux"));
    // A collapsible admonition opens from its title.
    browser.goto(&format!("{}/admonitions/", server.origin));
    wait("the page", "return document.readyState === 'complete'");
    assert_eq!(
        js("return document.querySelector('details.admonition').open"),
        json!(false)
    );
    browser.click("details.admonition > summary");
    assert_eq!(
        js("return document.querySelector('details.admonition').open"),
        json!(true)
    );
    let problems: Vec<String> = browser
        .console_logs()
        .iter()
        .filter(|e| {
            e["level"] == "SEVERE"
                || e["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Content Security Policy")
        })
        .map(|e| e["message"].to_string())
        .collect();
    assert!(problems.is_empty(), "console: {problems:?}");
    // No serious accessibility problem on either page.
    let Some(axe) = crate::theme::axe_source() else {
        return;
    };
    for page in ["/tabs/", "/admonitions/"] {
        browser.goto(&format!("{}{page}", server.origin));
        wait("the page", "return document.readyState === 'complete'");
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
