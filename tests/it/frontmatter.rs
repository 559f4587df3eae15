//! Front matter forms and their errors.

use crate::support::Site;

#[test]
fn toml_yaml_and_none() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/t.md", "+++\ntitle = \"Toml title\"\ndescription = \"About TOML\"\ndate = 2025-02-03\n[extra]\nduration = \"90 min\"\n+++\nBody\n")
        .file("content/y.md", "---\ntitle: Yaml title\ndescription: About YAML\nweight: 2\n---\nBody\n")
        .file("content/n.md", "# No front matter\nBody\n");
    site.build_ok();
    let t = site.read("public/t/index.html");
    assert!(
        t.contains("<title>Toml title") && t.contains("About TOML"),
        "{t}"
    );
    assert!(t.contains("2025-02-03"));
    let y = site.read("public/y/index.html");
    assert!(y.contains("<title>Yaml title") && y.contains("About YAML"));
    assert!(
        site.read("public/n/index.html")
            .contains("<title>No front matter")
    );
}

#[test]
fn malformed_toml_names_file_and_line() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/bad.md", "+++\ntitle = \"ok\"\nweight = = 3\n+++\n");
    let err = site.build().fails();
    assert!(
        err.contains("error[E021]: invalid TOML front matter"),
        "{err}"
    );
    assert!(err.contains("--> content/bad.md:3:"), "{err}");
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/bad.md", "---\ntitle: ok\ntags: [a, b\n---\n");
    let err = site.build().fails();
    assert!(
        err.contains("error[E021]: invalid YAML front matter"),
        "{err}"
    );
    assert!(err.contains("--> content/bad.md:"), "{err}");
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let site = Site::new();
    site.file("content/index.md", "+++\ntitle = \"x\"\n\n# Body\n");
    let err = site.build().fails();
    assert!(
        err.contains("front matter opened with `+++` is never closed"),
        "{err}"
    );
    assert!(err.contains("--> content/index.md:1:1"), "{err}");
}

#[test]
fn wrong_type_is_an_error_at_its_line() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "+++\ntitle = \"x\"\nweight = \"first\"\n+++\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("front matter `weight` must be a whole number"),
        "{err}"
    );
    assert!(err.contains("--> content/index.md:3:1"), "{err}");
}

#[test]
fn unknown_key_warns_with_the_closest_known_key() {
    let site = Site::new();
    site.file("content/index.md", "---\ntitle: x\ndescripton: typo\n---\n");
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("warning[W020]: unknown front matter key `descripton`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/index.md:3:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `description`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n");
    site.file(
        "content/win.md",
        "\u{feff}+++\r\ntitle = \"Windows file\"\r\n+++\r\n\r\nSome *text*.\r\n",
    );
    site.build_ok();
    let html = site.read("public/win/index.html");
    assert!(html.contains("<title>Windows file"), "{html}");
    assert!(html.contains("<em>text</em>"));
}

#[test]
fn dates_in_every_form_courses_write() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"Dates\"\nbase_url = \"https://example.org/\"\n",
    )
    .file("content/index.md", "# Home\n")
    .file("content/a.md", "+++\ndate = 2025-01-31\n+++\n# A\n")
    .file(
        "content/b.md",
        "+++\ndate = 2025-02-01T09:30:00+01:00\n+++\n# B\n",
    )
    .file(
        "content/c.md",
        "+++\ndate = 2025-02-02T10:00:00\n+++\n# C\n",
    )
    .file("content/d.md", "---\ndate: 2025-02-03\n---\n# D\n")
    .file(
        "content/e.md",
        "---\ndate: 2025-02-04 21:59:43.10 -5\n---\n# E\n",
    )
    .file(
        "content/f.md",
        "---\ndate: \"2025-02-05T08:00:00Z\"\n---\n# F\n",
    )
    .file("content/g.md", "+++\ndate = \"2025-02-06\"\n+++\n# G\n");
    site.build_ok();
    let shown = [
        ("a", "2025-01-31"),
        ("b", "2025-02-01T09:30:00+01:00"),
        ("c", "2025-02-02T10:00:00"),
        ("d", "2025-02-03"),
        ("e", "2025-02-04T21:59:43.1-05:00"),
        ("f", "2025-02-05T08:00:00Z"),
        ("g", "2025-02-06"),
    ];
    for (page, date) in shown {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(
            html.contains(&format!("<time datetime=\"{date}\">{date}</time>")),
            "{page}: {date}\n{html}"
        );
    }
    let feed = site.read("public/atom.xml");
    let updated: Vec<&str> = feed
        .split("<updated>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or(""))
        .collect();
    assert_eq!(
        updated,
        [
            "2025-02-06T00:00:00Z",
            "2025-02-06T00:00:00Z",
            "2025-02-05T08:00:00Z",
            "2025-02-04T21:59:43-05:00",
            "2025-02-03T00:00:00Z",
            "2025-02-02T10:00:00Z",
            "2025-02-01T09:30:00+01:00",
            "2025-01-31T00:00:00Z",
        ],
        "{feed}"
    );
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://example.org/e/</loc><lastmod>2025-02-04</lastmod>")
    );
}

#[test]
fn one_bad_front_matter_never_hides_the_other_problems() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\n[gone](missing.md)\n")
        .file(
            "content/ex.md",
            "---\ntitle: Exercise: Create an SMB share\n---\n\nSee [home](index.md) and [nothing](nowhere.md).\n",
        )
        .file("content/typed.md", "+++\nweight = \"first\"\n+++\n# Typed\n");
    let out = site.build().fails();
    assert!(
        out.contains("error[E022]: invalid YAML front matter: the value of `title` holds `: `"),
        "{out}"
    );
    assert!(out.contains("--> content/ex.md:2:16"), "{out}");
    assert!(
        out.contains("help: quote the value: `title: \"Exercise: Create an SMB share\"`"),
        "{out}"
    );
    assert!(
        out.contains("front matter `weight` must be a whole number"),
        "{out}"
    );
    // The pages' own problems are reported in the same run.
    assert!(out.contains("broken link `missing.md`"), "{out}");
    assert!(out.contains("broken link `nowhere.md`"), "{out}");
    assert!(out.contains("--> content/ex.md:5:"), "{out}");
}

#[test]
fn lenient_front_matter_reads_the_page_as_meant_and_warns() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[markdown]\ninvalid_front_matter = \"warn\"\n",
    )
    .file("content/index.md", "# Home\n\n[ex](ex.md) [odd](odd.md)\n")
    .file(
        "content/ex.md",
        "---\ntitle: Exercise: Create an SMB share\n---\n\nSteps.\n",
    )
    .file(
        "content/odd.md",
        "---\ntitle: [unclosed\n---\n\n# Odd page\n",
    );
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("warning[E022]: invalid YAML front matter: the value of `title` holds `: `"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/ex.md:2:16"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("public/ex/index.html")
            .contains("<title>Exercise: Create an SMB share"),
        "the title is read as if quoted"
    );
    assert!(
        run.stderr
            .contains("the page is built without it, as MkDocs does"),
        "{}",
        run.stderr
    );
    let odd = site.main_of("public/odd/index.html");
    assert!(
        odd.contains("Odd page") && !odd.contains("unclosed"),
        "{odd}"
    );
}

#[test]
fn a_date_that_is_not_a_date_is_an_error_at_its_line() {
    // Each once panicked (a byte index inside a character) or made an invalid atom.xml.
    let cases = [
        (
            "+++\ntitle = \"T\"\ndate = \"2025-01-3é\"\n+++\n",
            3,
            "2025-01-3é",
        ),
        (
            "+++\ndate = \"2025年1月31日です\"\n+++\n",
            2,
            "2025年1月31日です",
        ),
        ("+++\ndate = \"next week\"\n+++\n", 2, "next week"),
        ("---\ntitle: T\n\ndate: 2025-02-30\n---\n", 4, "2025-02-30"),
        ("---\ndate: 31/01/2025\n---\n", 2, "31/01/2025"),
        ("+++\ndate = 10:30:00\n+++\n", 2, "10:30:00"),
    ];
    for (front, line, shown) in cases {
        let site = Site::new();
        site.file("content/index.md", "# Home\n")
            .file("content/bad.md", &format!("{front}# Bad\n"));
        let err = site.build().fails();
        assert!(
            err.contains(&format!(
                "error[E024]: front matter `date` is not a date: `{shown}`"
            )),
            "{front}\n{err}"
        );
        assert!(
            err.contains(&format!("--> content/bad.md:{line}:1")),
            "{front}\n{err}"
        );
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        assert!(!site.exists("public/atom.xml"));
    }
    let site = Site::new();
    site.file("content/index.md", "+++\ndate = 2025\n+++\n");
    let err = site.build().fails();
    assert!(
        err.contains("front matter `date` must be a date such as 2025-01-31"),
        "{err}"
    );
}

#[test]
fn a_rule_a_line_and_a_rule_is_markdown_as_on_github() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\n[intro](intro.md)\n")
        .file(
            "content/intro.md",
            "---\nWelcome to the course\n---\n\nText.\n",
        );
    let run = site.build_ok();
    assert!(!run.stderr.contains("front matter"), "{}", run.stderr);
    let main = site.main_of("public/intro/index.html");
    assert!(main.contains("<hr />"), "{main}");
    assert!(main.contains("<h2 id=\"welcome-to-the-course\""), "{main}");
}
