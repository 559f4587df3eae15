//! Cross-links: every link form resolved, every broken kind reported, the graph.

use crate::support::Site;

fn hrefs_in(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

fn check_link_forms(base_url: &str, prefix: &str) {
    let site = Site::fixture("links");
    site.file(
        "syllabus.toml",
        &format!("title = \"Links\"\nbase_url = \"{base_url}\"\n"),
    );
    site.build_ok();
    let home = site.main_of("public/index.html");
    let expected = [
        "s1/",
        "s2/",
        "s2/",
        "s1/reading/#second-part",
        "s3/notes/",
        "s1/reading/",
        "logo.svg",
        "s1/reading/?tab=2#second-part",
    ];
    let hrefs = hrefs_in(&home);
    for want in expected {
        let want = format!("{prefix}{want}");
        assert!(hrefs.contains(&want), "{want} not among {hrefs:?}");
    }
    assert!(
        hrefs.contains(&"https://example.org/a.md".to_string()),
        "external links stay"
    );
    assert!(hrefs.contains(&"mailto:someone@example.org".to_string()));
    assert!(
        hrefs.contains(&format!("{prefix}s2/")),
        "raw HTML href rewritten"
    );
    assert!(hrefs.contains(&"#links-below".to_string()));
    let s1 = site.main_of("public/s1/index.html");
    assert!(
        s1.contains(&format!("src=\"{prefix}s1/img/fig.svg\"")),
        "{s1}"
    );
    assert!(s1.contains(&format!("href=\"{prefix}s2/#setup\"")), "{s1}");
    assert!(
        s1.contains(&format!("href=\"{prefix}\"")),
        "link to the home page: {s1}"
    );
}

#[test]
fn every_link_form_resolves_without_a_base_path() {
    check_link_forms("/", "/");
}

#[test]
fn every_link_form_resolves_under_a_base_path() {
    check_link_forms("https://example.org/course/", "/course/");
}

#[test]
fn every_broken_kind_is_reported_in_one_run_with_position_and_suggestion() {
    let site = Site::fixture("broken_links");
    let run = site.run(&["check"]);
    let out = run.fails();
    let expected = [
        (
            "broken anchor `#instalation`: no heading or id `instalation` on `content/s1/setup.md`",
            "content/index.md:3:5",
            Some("did you mean `#installation`?"),
        ),
        (
            "broken link `setpu.md`: no page `s1/setpu.md`",
            "content/s1/setup.md:5:6",
            Some("did you mean `setup.md`?"),
        ),
        (
            "broken link `diagram.png`: no page or file `s1/diagram.png`",
            "content/s1/setup.md:6:6",
            Some("did you mean `diagrams.png`?"),
        ),
        (
            "broken link `Setup.md`: no page `s1/Setup.md`",
            "content/s1/setup.md:7:6",
            Some("did you mean `setup.md`?"),
        ),
        (
            "broken link `../../README.md`: it points outside the content folder",
            "content/s1/setup.md:8:4",
            None,
        ),
        (
            "broken link `wip.md`: `s1/wip.md` is a draft, left out of this build",
            "content/s1/setup.md:9:6",
            Some("build with `--drafts`"),
        ),
    ];
    let mut last = 0;
    for (message, at, help) in expected {
        let block = format!("error: {message}\n  --> {at}");
        let pos = out
            .find(&block)
            .unwrap_or_else(|| panic!("missing:\n{block}\nin:\n{out}"));
        assert!(pos >= last, "errors not sorted by file and line:\n{out}");
        last = pos;
        if let Some(help) = help {
            assert!(
                out[pos..].lines().nth(2).unwrap_or("").contains(help),
                "{help} after {message}:\n{out}"
            );
        }
    }
    assert_eq!(out.matches("error: ").count(), 6, "{out}");
    assert!(out.contains("check: 6 error(s), 0 warning(s)"));
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
        run.stderr.matches("warning: broken").count(),
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("::error file=content/s1/setup.md,line=5,col=6::broken link `setpu.md`: no page `s1/setpu.md` (help: did you mean `setup.md`?)"),
        "{stdout}"
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let problems: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let problems = problems.as_array().unwrap();
    assert_eq!(problems.len(), 6);
    assert_eq!(problems[0]["file"], "content/index.md");
    assert_eq!(problems[0]["line"], 3);
    assert_eq!(problems[0]["column"], 5);
    assert_eq!(problems[0]["severity"], "error");
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
        err.contains("error: the static file `week/index.html` and the URL of `content/week/index.md` need the same place in the site"),
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
