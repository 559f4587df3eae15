//! Cross-links: every link form resolved, every broken kind reported, the graph.

use crate::support::Site;

/// Builds the links fixture under `base_url` and snapshots the content of the
/// home page (every link form, in the order written) and of `s1/`.
fn check_link_forms(base_url: &str, prefix: &str, name: &str) {
    let site = Site::fixture("links");
    site.file(
        "syllabus.toml",
        &format!("title = \"Links\"\nbase_url = \"{base_url}\"\n"),
    );
    site.build_ok();
    let home = site.content_of("public/index.html");
    // The raw HTML `<a href="s2/README.md">` is rewritten like a Markdown link.
    assert!(
        home.contains(&format!("<a href=\"{prefix}s2/\">raw html link</a>")),
        "{home}"
    );
    insta::assert_snapshot!(format!("link_forms_home_{name}"), home);
    insta::assert_snapshot!(
        format!("link_forms_s1_{name}"),
        site.content_of("public/s1/index.html")
    );
}

#[test]
fn every_link_form_resolves_without_a_base_path() {
    check_link_forms("/", "/", "root");
}

#[test]
fn every_link_form_resolves_under_a_base_path() {
    check_link_forms("https://example.org/course/", "/course/", "base_path");
}

#[test]
fn every_broken_kind_is_reported_in_one_run_with_position_and_suggestion() {
    let site = Site::fixture("broken_links");
    let run = site.run(&["check"]);
    run.fails();
    insta::assert_snapshot!(site.transcript(&run));
    assert!(!site.exists("public"), "check wrote output");
}

#[test]
fn broken_links_can_be_downgraded_to_warnings() {
    let site = Site::fixture("broken_links");
    site.file(
        "syllabus.toml",
        "title = \"x\"\n[links]\nbroken = \"warn\"\n",
    );
    let run = site.build_ok();
    assert_eq!(
        run.stderr.matches("warning[E060]: broken link").count()
            + run.stderr.matches("warning[E061]: broken anchor").count(),
        6,
        "{}",
        run.stderr
    );
}

#[test]
fn check_prints_github_annotations_and_json() {
    let site = Site::fixture("broken_links");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("syllabus"));
    let out = cmd
        .args(["check", "--root"])
        .arg(site.path())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    insta::assert_snapshot!("github_annotations", annotations.join("\n"));
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    serde_json::from_str::<serde_json::Value>(&run.stdout).expect("json");
    insta::assert_snapshot!("json_diagnostics", run.stdout);
}

#[test]
fn check_passes_on_a_good_site_and_writes_nothing() {
    let site = Site::fixture("links");
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("check: 0 error(s), 0 warning(s)"));
    assert!(!site.exists("public"));
}

#[test]
fn backlinks_and_prev_next_reach_templates() {
    let site = Site::fixture("links");
    site.file("templates/page.html", "<main>prev={% if page.prev %}{{ page.prev.url }}{% endif %} next={% if page.next %}{{ page.next.url }}{% endif %} back={% for b in page.backlinks %}{{ b.url }};{% endfor %}</main>");
    site.build_ok();
    // Course order: home, s1 (weight 1), s1/reading, s2 (weight 2), then s3/notes (s3 has no page of its own).
    assert_eq!(
        site.read("public/s1/reading/index.html"),
        "<main>prev=/s1/ next=/s2/ back=/;/s1/;/s2/;</main>"
    );
    assert_eq!(
        site.read("public/s3/notes/index.html"),
        "<main>prev=/s2/ next= back=/;</main>"
    );
}

#[test]
fn aliases_never_replace_a_file_of_the_site() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/week/figure.png", "png")
        .file("content/week/index.md", "# Week\n")
        .file("static/handout.pdf", "pdf")
        .file("static/week/index.html", "a static page where a page goes")
        .file(
            "content/moved.md",
            "+++\naliases = [\"/404.html\", \"/robots.txt\", \"/handout.pdf\", \
             \"/week/figure.png\", \"/week/index.html\", \"/fine/\"]\n+++\n# Moved\n",
        );
    let err = site.build().fails();
    for (alias, what) in [
        ("/404.html", "`404.html`, which every build writes"),
        ("/robots.txt", "`robots.txt`, which every build writes"),
        ("/handout.pdf", "the static file `handout.pdf`"),
        ("/week/figure.png", "the file `content/week/figure.png`"),
        ("/week/index.html", "the URL of `content/week/index.md`"),
    ] {
        let message = format!("alias `{alias}` of `content/moved.md` is already {what}");
        assert!(err.contains(&message), "missing {message:?} in:\n{err}");
    }
    assert!(!err.contains("/fine/"), "{err}");
    assert!(
        err.contains("error[E081]: the static file `week/index.html` and the URL of `content/week/index.md` need the same place in the site"),
        "{err}"
    );
    assert!(!site.exists("public"), "a failed build wrote a site");
}

#[test]
fn aliases_redirect_and_collisions_name_both_files() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n").file(
        "content/new.md",
        "+++\naliases = [\"/old/page/\", \"/older.html\"]\n+++\n# New\n",
    );
    site.build_ok();
    let redirect = site.read("public/old/page/index.html");
    assert!(
        redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=/new/\">"),
        "{redirect}"
    );
    assert!(site.read("public/older.html").contains("url=/new/"));
    site.file(
        "content/other.md",
        "+++\naliases = [\"/new/\"]\n+++\n# Other\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("alias `/new/` of `content/other.md` is already the URL of `content/new.md`"),
        "{err}"
    );
}

/// A placeholder link (`[x](#)`, `[x]()`) leads nowhere: a warning at its
/// position, in Markdown only (raw HTML `href="#"` is often a script's hook).
#[test]
fn empty_links_are_reported_where_they_are() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\nSee the [resource manager](#) and [x]().\n\n![]() <a href=\"#\">top</a>\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let out = run.all();
    for (what, at) in [
        ("empty link `(#)`", "content/index.md:3:9"),
        ("empty link `()`", "content/index.md:3:35"),
        ("empty image source `()`", "content/index.md:5:1"),
    ] {
        let shown = format!("warning[W062]: {what}: it leads nowhere\n  --> {at}\n");
        assert!(out.contains(&shown), "{shown}\nnot in:\n{out}");
    }
    assert_eq!(out.matches("warning[W062]: empty").count(), 3, "{out}");
}

#[test]
fn links_inside_html_comments_are_neither_checked_nor_rewritten() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\nText <!-- [inline](gone1.md) <img src=\"gone2.png\"> --> after [real](p.md).\n\n<!--\n[block](gone3.md)\n\n<a href=\"gone4.md\">x</a>\n-->\n\nPara <!-- spans\n<a href=\"gone5.md\">y</a>\n--> end <a href=\"p.md\">z</a>.\n",
    )
    .file("content/p.md", "# P\n");
    let run = site.build_ok();
    assert!(!run.stderr.contains("gone"), "{}", run.stderr);
    let main = site.main_of("public/index.html");
    assert!(
        main.contains("<!-- [inline](gone1.md) <img src=\"gone2.png\"> -->"),
        "{main}"
    );
    assert!(
        main.contains("<a href=\"/p/\">z</a>"),
        "a link after a comment is still rewritten: {main}"
    );
}
