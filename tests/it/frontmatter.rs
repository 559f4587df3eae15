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
    assert!(err.contains("error: invalid TOML front matter"), "{err}");
    assert!(err.contains("--> content/bad.md:3:"), "{err}");
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/bad.md", "---\ntitle: ok\ntags: [a, b\n---\n");
    let err = site.build().fails();
    assert!(err.contains("error: invalid YAML front matter"), "{err}");
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
            .contains("warning: unknown front matter key `descripton`"),
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
        out.contains("error: invalid YAML front matter: the value of `title` holds `: `"),
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
            .contains("warning: invalid YAML front matter: the value of `title` holds `: `"),
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
