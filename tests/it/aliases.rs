//! Aliases and the files of the site: whatever its spelling (dot segments,
//! repeated slashes, percent-encoding, case, Unicode form), no alias or file
//! replaces another, and a refused one leaves the published site as it was.

use crate::support::Site;

const NFC: &str = "caf\u{e9}";
const NFD: &str = "cafe\u{301}";

/// A home page, a section `a/` and a page `café/`, built once.
fn course() -> Site {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a/index.md", "# Section A\n")
        .file(&format!("content/{NFC}.md"), "# Café\n")
        .file("static/handout.pdf", "pdf");
    site.build_ok();
    site
}

fn with_aliases(site: &Site, aliases: &[&str]) {
    // TOML literal strings: the alias exactly as written, backslashes included.
    let list: Vec<String> = aliases.iter().map(|a| format!("'{a}'")).collect();
    site.file(
        "content/b.md",
        &format!("+++\naliases = [{}]\n+++\n# B\n", list.join(", ")),
    );
}

#[test]
fn an_alias_never_replaces_a_page_however_it_is_spelt() {
    let site = course();
    let home = site.read("public/index.html");
    let section = site.read("public/a/index.html");
    let nfd_alias = format!("/{NFD}/");
    let cases = [
        ("/./", "the URL of `content/index.md`"),
        ("//", "the URL of `content/index.md`"),
        ("/index.html", "the URL of `content/index.md`"),
        ("/Index.HTML", "the URL of `content/index.md`"),
        ("/a/./", "the URL of `content/a/index.md`"),
        ("/./a/", "the URL of `content/a/index.md`"),
        ("/a//", "the URL of `content/a/index.md`"),
        ("//a", "the URL of `content/a/index.md`"),
        ("/a/.", "the URL of `content/a/index.md`"),
        ("/%61/", "the URL of `content/a/index.md`"),
        ("/%2E/a/", "the URL of `content/a/index.md`"),
        ("/A/", "the URL of `content/a/index.md`"),
        (nfd_alias.as_str(), "the URL of `content/café.md`"),
    ];
    for (alias, what) in cases {
        with_aliases(&site, &[alias]);
        let message = format!("alias `{alias}` of `content/b.md` is already {what}");
        for command in ["build", "check"] {
            let out = site.run(&[command]).fails();
            assert!(out.contains(&message), "{command} {alias}: {out}");
        }
        assert_eq!(site.read("public/index.html"), home, "{alias}");
        assert_eq!(site.read("public/a/index.html"), section, "{alias}");
    }
}

#[test]
fn a_clash_in_case_names_both_spellings() {
    let site = course();
    with_aliases(&site, &["/A/"]);
    let out = site.build().fails();
    assert!(
        out.contains("`A/index.html` and `a/index.html` are one file on hosts and systems that ignore case or Unicode form"),
        "{out}"
    );
}

#[test]
fn an_alias_never_replaces_a_generated_static_or_aliased_file() {
    let site = course();
    site.file("content/a/Figure.png", "png").file(
        "content/aa.md",
        "+++\naliases = [\"/old/\"]\n+++\n# Moved\n",
    );
    let cases = [
        ("/Robots.txt", "`robots.txt`, which every build writes"),
        ("/./sitemap.xml", "`sitemap.xml`, which every build writes"),
        (
            "/STATICWEBAPP.config.json",
            "`staticwebapp.config.json`, which every build writes",
        ),
        ("/Handout.PDF", "the static file `handout.pdf`"),
        ("/a/figure.png", "the file `content/a/Figure.png`"),
        ("/Old/./", "an alias of `content/aa.md`"),
        ("/old//", "an alias of `content/aa.md`"),
    ];
    for (alias, what) in cases {
        with_aliases(&site, &[alias]);
        let message = format!("alias `{alias}` of `content/b.md` is already {what}");
        let out = site.build().fails();
        assert!(out.contains(&message), "{alias}: {out}");
    }
    // Two spellings of one alias in one page are one file too.
    with_aliases(&site, &["/new/", "/NEW/"]);
    let out = site.build().fails();
    assert!(
        out.contains("alias `/NEW/` of `content/b.md` is already an alias of `content/b.md`"),
        "{out}"
    );
}

#[test]
fn an_alias_on_the_output_marker_gets_a_real_message() {
    let site = course();
    with_aliases(&site, &["/.syllabus-output"]);
    let out = site.build().fails();
    assert!(
        out.contains("alias `/.syllabus-output` of `content/b.md` is already `.syllabus-output`, the file that marks the output folder as made by syllabus"),
        "{out}"
    );
    assert!(!out.contains("cannot create folder"), "{out}");
    assert!(site.exists("public/.syllabus-output"));
}

#[test]
fn unusable_alias_paths_are_refused_with_the_reason() {
    let site = course();
    let cases = [
        ("/a/../b/", "it has a `..` segment"),
        ("/%2e%2e/b/", "it has a `..` segment"),
        ("/old?page=2", "it has a `?` or `#`"),
        ("/old\\page/", "it has a backslash"),
        ("/old%00/", "it has a control character"),
        ("/old%FF/", "its percent-encoded bytes are not UTF-8"),
        ("", "it is empty"),
    ];
    for (alias, why) in cases {
        with_aliases(&site, &[alias]);
        let message = format!("alias `{alias}` is not a usable URL path: {why}");
        let out = site.build().fails();
        assert!(out.contains(&message), "{alias}: {out}");
    }
}

#[test]
fn an_alias_is_written_where_its_normalised_path_goes() {
    let site = course();
    with_aliases(&site, &["/x/./y//", "/old%20notes/", "/course/./gone.html"]);
    let config = "title = \"Test course\"\nbase_url = \"https://example.org/course/\"\n";
    site.file("syllabus.toml", config);
    site.build_ok();
    assert!(
        site.read("public/x/y/index.html")
            .contains("url=/course/b/")
    );
    assert!(
        site.read("public/old notes/index.html")
            .contains("url=/course/b/")
    );
    assert!(site.read("public/gone.html").contains("url=/course/b/"));
    let azure = site.read("public/staticwebapp.config.json");
    assert!(azure.contains("\"/x/y/index.html\""), "{azure}");
    assert!(azure.contains("\"/old%20notes/index.html\""), "{azure}");
    // Under a base path, the base path itself normalised is the home page.
    with_aliases(&site, &["/course/./"]);
    let out = site.build().fails();
    assert!(
        out.contains(
            "alias `/course/./` of `content/b.md` is already the URL of `content/index.md`"
        ),
        "{out}"
    );
}

#[test]
fn nfc_and_nfd_spellings_of_a_file_are_one_page() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file(&format!("content/{NFC}.md"), "# One\n")
        .file(&format!("content/{NFD}.md"), "# Two\n");
    let out = site.build().fails();
    assert!(
        out.contains("differ only in Unicode form (NFC and NFD spellings of one name)"),
        "{out}"
    );
    assert!(!site.exists("public"));
}

#[test]
fn co_located_files_that_differ_in_case_or_form_clash() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/img/Plot.png", "one")
        .file("content/img/plot.png", "two")
        .file(&format!("content/{NFC}.csv"), "one")
        .file(&format!("content/{NFD}.csv"), "two");
    let out = site.build().fails();
    assert!(
        out.contains("the file `content/img/plot.png` and the file `content/img/Plot.png` need the same place in the site"),
        "{out}"
    );
    assert!(
        out.contains(&format!("the file `content/{NFC}.csv` and the file `content/{NFD}.csv` need the same place in the site")),
        "{out}"
    );
}

#[test]
fn a_backslash_in_a_file_name_is_named() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a\\b.md", "# B\n");
    let out = site.build().fails();
    assert!(
        out.contains("error[E015]: file name has a backslash (`\\`)\n  --> content/a\\b.md"),
        "{out}"
    );
    assert!(!out.contains("cannot read"), "{out}");
}
