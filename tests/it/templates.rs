//! Theme resolution, site overrides and template errors.

use crate::support::Site;

#[test]
fn site_templates_override_the_theme() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a.md", "# Page A\nHello.\n")
        .file(
            "templates/page.html",
            "<main>OVERRIDE {{ page.title }} {{ config.title }} {{ page.content | safe }}</main>",
        );
    site.build_ok();
    let a = site.read("public/a/index.html");
    assert!(a.starts_with("<main>OVERRIDE Page A Test course"), "{a}");
    assert!(a.contains("<p>Hello.</p>"));
    // Other templates still come from the built-in theme.
    assert!(site.read("public/index.html").contains("<!DOCTYPE html>"));
}

#[test]
fn autoescaping_is_on() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "+++\ntitle = \"<script>alert(1)</script>\"\n+++\n",
    )
    .file("templates/index.html", "<main>{{ page.title }}</main>");
    site.build_ok();
    assert_eq!(
        site.read("public/index.html"),
        "<main>&lt;script&gt;alert(1)&lt;/script&gt;</main>"
    );
}

#[test]
fn front_matter_template_selects_a_template() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file(
            "content/a.md",
            "+++\ntemplate = \"special.html\"\n+++\n# A\n",
        )
        .file("content/b.md", "+++\ntemplate = \"nope.html\"\n+++\n# B\n")
        .file("templates/special.html", "SPECIAL {{ page.title }}");
    let err = site.build().fails();
    assert!(err.contains("template `nope.html` does not exist"), "{err}");
    assert!(err.contains("--> content/b.md"), "{err}");
    site.file("content/b.md", "# B\n");
    site.build_ok();
    assert_eq!(site.read("public/a/index.html"), "SPECIAL A");
}

#[test]
fn syntax_error_names_template_line_and_column() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("templates/page.html", "<main>\n{{ page.title }\n</main>\n");
    let run = site.build();
    run.fails();
    insta::assert_snapshot!(site.transcript(&run));
}

#[test]
fn render_error_names_template_line_and_page() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a.md", "# A\n")
        .file(
            "templates/page.html",
            "<main>\nok\n{{ page.no_such_field.x }}\n</main>\n",
        );
    // Not a snapshot: the message lists every field of `page`, which grows.
    let err = site.build().fails();
    assert!(
        err.contains("error[E071]: template error: Field `no_such_field` is not defined."),
        "{err}"
    );
    assert!(
        err.contains("(while rendering `content/a.md`)\n  --> templates/page.html:3:9\n"),
        "{err}"
    );
}

#[test]
fn unknown_theme_is_an_error() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\ntheme = \"fancy\"\n")
        .file("content/index.md", "# Home\n");
    let err = site.build().fails();
    assert!(err.contains("theme `fancy` not found"), "{err}");
}

#[test]
fn a_theme_folder_is_used_and_must_be_complete() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\ntheme = \"mine\"\n")
        .file("content/index.md", "# Home\n")
        .file("themes/mine/templates/index.html", "MINE");
    let err = site.build().fails();
    assert!(
        err.contains("the theme has no `page.html` template"),
        "{err}"
    );
    for t in ["base.html", "page.html", "section.html", "404.html"] {
        site.file(&format!("themes/mine/templates/{t}"), "x");
    }
    site.file("themes/mine/static/style.css", "body{}");
    site.build_ok();
    assert_eq!(site.read("public/index.html"), "MINE");
    assert_eq!(site.read("public/style.css"), "body{}");
}
