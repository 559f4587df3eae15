//! Code blocks: highlighting classes, fence options, unknown languages, the stylesheet.

use crate::support::Site;

#[test]
fn fence_options_and_the_stylesheet() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n```python {title=\"app.py\", linenos=true, hl_lines=[2, \"3-4\"]}\nimport os\nx = 1 < 2\ny = \"&\"\nprint(x)\n```\n",
    );
    site.build_ok();
    let html = site.content_of("public/index.html");
    // Title, line numbers, highlighted lines 2 to 4, escaped code, highlight classes.
    insta::assert_snapshot!(html);
    // Line numbers come from CSS (data-line), so the text of the block, which a
    // reader copies, is exactly the code.
    let pre = &html[html.find("<pre").unwrap()..html.find("</pre>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in pre.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    assert_eq!(
        text,
        "import os\nx = 1 &lt; 2\ny = &quot;&amp;&quot;\nprint(x)\n"
    );
    let page = site.read("public/index.html");
    assert!(
        page.contains("assets/highlight.css"),
        "a page with code links the stylesheet"
    );
    let css = site.read("public/assets/highlight.css");
    assert!(
        css.contains(".hl-")
            && css.contains("[data-theme=dark] .hd-")
            && css.contains("prefers-color-scheme: dark")
    );
}

#[test]
fn unknown_language_is_plain_with_one_warning_per_language() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n```cobolx\nA <b>\n```\n\n```cobolx\nB\n```\n\n```\nno language\n```\n",
    )
    .file("content/a.md", "# A\n\n```cobolx\nC\n```\n");
    let run = site.build_ok();
    assert_eq!(
        run.stderr
            .matches("no syntax highlighting for language `cobolx` (3 block(s))")
            .count(),
        1,
        "{}",
        run.stderr
    );
    let html = site.main_of("public/index.html");
    assert!(
        html.contains("<code class=\"language-cobolx\">A &lt;b&gt;\n</code>"),
        "{html}"
    );
    assert!(!html.contains("<span class=\"hl"), "{html}");
}

#[test]
fn a_site_without_code_has_no_highlight_stylesheet_and_highlighting_can_be_off() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\nNo code here.\n");
    site.build_ok();
    assert!(!site.exists("public/assets/highlight.css"));
    assert!(!site.read("public/index.html").contains("highlight.css"));
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[highlight]\nenabled = false\n",
    )
    .file("content/index.md", "# Home\n\n```python\nx = 1\n```\n");
    site.build_ok();
    assert!(
        !site
            .main_of("public/index.html")
            .contains("<span class=\"hl")
    );
}

#[test]
fn the_cache_gives_the_same_html() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n",
    );
    site.build_ok();
    let first = site.read("public/index.html");
    assert!(site.exists(".syllabus-cache/highlight.bin"));
    site.build_ok();
    assert_eq!(site.read("public/index.html"), first);
    assert_eq!(site.run(&["build", "--no-cache"]).code, Some(0));
    assert_eq!(site.read("public/index.html"), first);
}

#[test]
fn unknown_highlight_theme_is_an_error() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[highlight]\ndark_theme = \"Nope\"\n",
    )
    .file("content/index.md", "```python\nx\n```\n");
    let err = site.build().fails();
    assert!(err.contains("unknown highlight theme `Nope`"), "{err}");
    // check does not highlight, but still validates the themes.
    let err = site.run(&["check"]).fails();
    assert!(err.contains("unknown highlight theme `Nope`"), "{err}");
}

#[test]
fn check_reports_unknown_languages_without_highlighting() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n```cobolx\nA\n```\n\n```python\nx = 1\n```\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout
            .contains("no syntax highlighting for language `cobolx`"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("python"), "{}", run.stdout);
    assert!(!site.exists(".syllabus-cache"), "check writes nothing");
}
