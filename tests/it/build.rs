//! The core build: pages, sections, URLs, titles, order, drafts, assets.

use crate::support::Site;

#[test]
fn builds_one_html_per_page_with_pretty_urls_and_a_summary() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/session_1/index.md", "# Session one\n")
        .file("content/session_1/reading.md", "# A reading\n")
        .file("content/about.md", "About us.\n");
    let run = site.build_ok();
    for page in [
        "public/index.html",
        "public/session_1/index.html",
        "public/session_1/reading/index.html",
        "public/about/index.html",
        "public/404.html",
    ] {
        assert!(site.exists(page), "{page} missing");
    }
    assert!(
        run.stdout.starts_with("Built 4 pages and 0 assets in "),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(site.exists("public/.syllabus-output"));
}

#[test]
fn quiet_prints_nothing_on_success() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n");
    let run = site.run(&["build", "--quiet"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (Some(0), "", "")
    );
}

#[test]
fn section_index_variants_and_conflicts() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a/README.md", "# A by readme\n")
        .file("content/b/_index.md", "# B by underscore\n")
        .file("content/c/index.md", "# C index\n");
    site.build_ok();
    assert!(site.main_of("public/a/index.html").contains("A by readme"));
    assert!(
        site.main_of("public/b/index.html")
            .contains("B by underscore")
    );

    site.file("content/c/README.md", "# C readme\n");
    let err = site.build().fails();
    assert!(
        err.contains("two pages claim the folder `c`: `index.md` and `README.md`"),
        "{err}"
    );
    assert!(err.contains("--> content/c/README.md"), "{err}");
}

#[test]
fn a_page_and_a_folder_with_the_same_url_are_an_error() {
    let site = Site::new();
    site.file("content/x.md", "# X\n")
        .file("content/x/index.md", "# X folder\n");
    let err = site.build().fails();
    assert!(err.contains("would both be published at `/x/`"), "{err}");
}

#[test]
fn title_comes_from_front_matter_then_first_h1_then_file_name() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file(
            "content/s/index.md",
            "+++\ntitle = \"From front matter\"\n+++\n# Heading\n",
        )
        .file("content/s/a.md", "Intro\n\n# The *first* H1\n\n# Second\n")
        .file("content/s/plain_name.md", "Just text.\n");
    site.build_ok();
    assert!(
        site.read("public/s/index.html")
            .contains("<title>From front matter")
    );
    assert!(
        site.read("public/s/a/index.html")
            .contains("<title>The first H1")
    );
    assert!(
        site.read("public/s/plain_name/index.html")
            .contains("<title>Plain name")
    );
}

#[test]
fn empty_page_is_built_with_a_warning() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/notes.md", "");
    let run = site.build_ok();
    assert!(
        run.stderr.contains("warning[W010]: empty page"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/notes.md"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("public/notes/index.html")
            .contains("<title>Notes")
    );
}

/// Order: weight first, unweighted after, then natural file-name order.
#[test]
fn sections_and_pages_follow_weight_then_natural_order() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/session_10/index.md", "# Ten\n")
        .file("content/session_2/index.md", "# Two\n")
        .file(
            "content/session_1/index.md",
            "+++\nweight = 99\n+++\n# One (weight 99)\n",
        )
        .file(
            "content/session_x/index.md",
            "+++\nweight = 5\n+++\n# X (weight 5)\n",
        )
        .file("content/session_2/b.md", "# B\n")
        .file("content/session_2/a10.md", "# A10\n")
        .file("content/session_2/a9.md", "# A9\n")
        .file(
            "content/session_2/z.md",
            "+++\nweight = 1\n+++\n# Z first\n",
        );
    site.build_ok();
    let home = site.read("public/index.html");
    let pos = |s: &str| home.find(s).unwrap_or_else(|| panic!("{s} not in nav"));
    assert!(pos("X (weight 5)") < pos("One (weight 99)"));
    assert!(pos("One (weight 99)") < pos(">Two<"));
    assert!(pos(">Two<") < pos(">Ten<"));
    assert!(
        pos("Z first") < pos(">A9<") && pos(">A9<") < pos(">A10<") && pos(">A10<") < pos(">B<")
    );
    // prev/next follow the same order. Only the pager's links: the sidebar of
    // every page links to a9 whatever comes next.
    site.file(
        "templates/page.html",
        "prev={% if page.prev %}{{ page.prev.url }}{% endif %} \
         next={% if page.next %}{{ page.next.url }}{% endif %}",
    );
    site.build_ok();
    assert_eq!(
        site.read("public/session_2/z/index.html"),
        "prev=/session_2/ next=/session_2/a9/"
    );
    assert_eq!(
        site.read("public/session_2/a10/index.html"),
        "prev=/session_2/a9/ next=/session_2/b/"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n").file(
        "content/wip.md",
        "+++\ndraft = true\n+++\n# Work in progress\n",
    );
    site.build_ok();
    assert!(!site.exists("public/wip/index.html"));
    assert!(!site.read("public/index.html").contains("Work in progress"));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(site.exists("public/wip/index.html"));
}

#[test]
fn assets_are_copied_next_to_their_page_and_dot_files_skipped() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n![flow](s/img/flow.svg)\n")
        .file(
            "content/s/index.md",
            "# S\n![diagram](diagram.png) [data](data/results.csv)\n",
        )
        .file("content/s/diagram.png", "PNG")
        .file("content/s/data/results.csv", "a,b\n1,2\n")
        .file("content/s/img/flow.svg", "<svg/>")
        .file("content/.notes.md", "# secret notes\n")
        .file("content/.hidden/x.md", "# hidden\n")
        .file("static/robots.txt", "User-agent: *\n");
    let run = site.build_ok();
    assert!(run.stdout.contains("and 3 assets"), "{}", run.stdout);
    assert_eq!(site.read("public/s/diagram.png"), "PNG");
    assert_eq!(site.read("public/s/data/results.csv"), "a,b\n1,2\n");
    assert_eq!(site.read("public/robots.txt"), "User-agent: *\n");
    assert!(!site.exists("public/.notes/index.html") && !site.exists("public/.hidden"));
    let s = site.main_of("public/s/index.html");
    assert!(s.contains("src=\"/s/diagram.png\""), "{s}");
    assert!(s.contains("href=\"/s/data/results.csv\""), "{s}");
    assert!(
        site.main_of("public/index.html")
            .contains("src=\"/s/img/flow.svg\"")
    );
}

#[test]
fn missing_config_says_how_to_create_one() {
    let site = Site::new();
    std::fs::remove_file(site.path().join("syllabus.toml")).unwrap();
    let err = site.build().fails();
    assert!(err.contains("no `syllabus.toml`"), "{err}");
    assert!(err.contains("syllabus init"), "{err}");
}

#[test]
fn unknown_config_key_names_the_closest() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\nbase_ulr = \"/\"\n")
        .file("content/index.md", "# Home\n");
    let err = site.build().fails();
    assert!(err.contains("error[E003]: unknown key `base_ulr`"), "{err}");
    assert!(err.contains("--> syllabus.toml:2:1"), "{err}");
    assert!(err.contains("help: did you mean `base_url`?"), "{err}");
}

#[test]
fn every_unknown_config_key_is_reported_at_its_line_in_any_table() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\n\
         [search]\n\
         title = true\n\
         [markdown]\n\
         math = true\n\
         autolnk = false\n\
         [highlight]\n\
         dark_theme = \"Coldark-Dark\"\n\
         light = \"x\"\n\
         [[azure.routes]]\n\
         route = \"/old\"\n\
         status = 301\n\
         [extra]\n\
         free = \"any key goes here\"\n",
    )
    .file("content/index.md", "# Home\n");
    let run = site.run(&["check"]);
    run.fails();
    insta::assert_snapshot!(site.transcript(&run));
}

#[test]
fn invalid_utf8_is_an_error_with_a_line() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n");
    std::fs::write(
        site.path().join("content/bad.md"),
        b"# Fine\n\nthen \xff\xfe bad\n",
    )
    .unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("error[E011]: file is not valid UTF-8"),
        "{err}"
    );
    assert!(err.contains("--> content/bad.md:3:6"), "{err}");
}

#[test]
fn missing_content_folder_is_a_clear_error() {
    let site = Site::new();
    let err = site.build().fails();
    assert!(
        err.contains("the content folder `content` does not exist"),
        "{err}"
    );
}

#[test]
fn base_url_path_prefixes_every_link() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\nbase_url = \"https://example.org/course/\"\n",
    )
    .file("content/index.md", "# Home\n[s](s/index.md)\n")
    .file("content/s/index.md", "# S\n");
    site.build_ok();
    let home = site.main_of("public/index.html");
    assert!(home.contains("href=\"/course/s/\""), "{home}");
}

/// This repository's own course: every page built, no broken link, graph shown.
#[test]
fn demo_course_builds_one_page_per_markdown_file_with_no_broken_links() {
    let site = Site::demo();
    let run = site.build_ok();
    assert!(!run.stderr.contains("broken"), "{}", run.stderr);
    let mut sources = 0;
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(site.path().join("content"))
            .unwrap()
            .to_string_lossy()
            .to_string();
        // Markdown files and notebooks are pages.
        let Some(stem) = rel
            .strip_suffix(".md")
            .or_else(|| rel.strip_suffix(".ipynb"))
        else {
            continue;
        };
        if std::fs::read_to_string(entry.path())
            .unwrap()
            .contains("draft = true")
        {
            assert!(
                !site.exists(&format!("public/{stem}/index.html")),
                "draft {rel} published"
            );
            continue;
        }
        sources += 1;
        let out = match stem.strip_suffix("index") {
            Some(dir) => format!("public/{dir}index.html"),
            None => format!("public/{stem}/index.html"),
        };
        assert!(site.exists(&out), "{out} missing for {rel}");
    }
    assert!(sources >= 20, "{sources}");
    assert!(
        run.stdout.starts_with(&format!("Built {sources} pages")),
        "{}",
        run.stdout
    );
}

#[test]
fn sitemap_robots_and_feed() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"Course & Co\"\nbase_url = \"https://example.org/course/\"\n",
    )
    .file("content/index.md", "# Home\n")
    .file(
        "content/old.md",
        "+++\ndate = 2024-01-05\ndescription = \"Older <news>\"\n+++\n# Old\n",
    )
    .file("content/new.md", "+++\ndate = 2025-03-01\n+++\n# New\n")
    .file("content/undated.md", "# Undated\n");
    site.build_ok();
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/course/old/</loc><lastmod>2024-01-05</lastmod>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/course/undated/</loc></url>"),
        "{sitemap}"
    );
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/course/sitemap.xml\n"
    );
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<title>Course &amp; Co</title>"), "{feed}");
    let (new, old) = (
        feed.find("<title>New</title>").unwrap(),
        feed.find("<title>Old</title>").unwrap(),
    );
    assert!(new < old, "newest first");
    assert!(feed.contains("<summary>Older &lt;news&gt;</summary>"));
    assert!(
        !feed.contains("Undated"),
        "pages without a date are not in the feed"
    );
    assert!(
        site.read("public/index.html")
            .contains("href=\"/course/atom.xml\"")
    );
    // A robots.txt of the course's own wins.
    site.file("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build_ok();
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn last_updated_comes_from_git_when_the_course_is_a_repository() {
    if !crate::support::have("git", &["--version"]) {
        crate::support::skip("git", "apt-get install git");
        return;
    }
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a.md", "# A\n");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(site.path())
            .env("GIT_COMMITTER_DATE", "2024-02-03T10:00:00Z")
            .env("GIT_AUTHOR_DATE", "2024-02-03T10:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.org",
        "add",
        ".",
    ]);
    git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-q",
        "-m",
        "x",
    ]);
    site.build_ok();
    assert!(
        site.read("public/sitemap.xml")
            .contains("<lastmod>2024-02-03</lastmod>")
    );
    assert!(
        site.read("public/a/index.html").contains("2024-02-03"),
        "last updated shown"
    );
}
