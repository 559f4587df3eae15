//! Pandoc's bracketed spans (`[pipe]{#pipe}`) with `[markdown] attributes =
//! true`: a `<span>` whose id is an anchor other pages link to; never in code,
//! never over a link; hostile lists in safe mode and huge inputs; and the
//! `alt` of an image's list, as Workbench lessons describe their figures.

use crate::hostile::run_bounded;
use crate::support::Site;

const ON: &str = "title = \"T\"\n[markdown]\nattributes = true\n";

/// A glossary with span anchors, and a page linking them.
fn glossary(config: &str) -> Site {
    let site = Site::new();
    site.file("syllabus.toml", config)
        .file("content/index.md", "# Home\n\nA [pipe](reference.md#pipe) joins commands; see the [path](reference.md#absolute-path).\n")
        .file(
            "content/reference.md",
            "# Reference\n\n[pipe]{#pipe}\n:   joins two commands.\n\n[absolute path]{#absolute-path .term}\n:   a path from the root.\n\n## Pipe\n",
        );
    site
}

#[test]
fn a_span_id_is_an_anchor_other_pages_link_to() {
    let site = glossary(ON);
    let run = site.build_ok();
    assert!(!run.all().contains("E061"), "{}", run.all());
    let html = site.main_of("public/reference/index.html");
    assert!(html.contains("<span id=\"pipe\">pipe</span>"), "{html}");
    assert!(
        html.contains("<span id=\"absolute-path\" class=\"term\">absolute path</span>"),
        "{html}"
    );
    assert!(!html.contains("{#"), "{html}");
    // The span took the id first: the heading gets the next one, as after `## Title {#pipe}`.
    assert!(html.contains("<h2 id=\"pipe-1\""), "{html}");
    let index = site.main_of("public/index.html");
    assert!(index.contains("href=\"/reference/#pipe\""), "{index}");
}

#[test]
fn off_by_default_the_span_is_text_as_on_github() {
    let site = glossary("title = \"T\"\n[links]\nbroken = \"warn\"\n");
    let run = site.build_ok();
    assert!(run.stderr.contains("E061"), "{}", run.stderr);
    let html = site.main_of("public/reference/index.html");
    assert!(html.contains("[pipe]{#pipe}"), "{html}");
}

#[test]
fn links_code_and_escapes_are_left_alone() {
    let site = Site::new();
    site.file("syllabus.toml", ON).file(
        "content/index.md",
        "# Home\n\n[a](https://x.org){#x} and `[b]{#y}` and \\[c]{#z} and [**d** e]{.k} and *[f*]{#w}.\n\n```\n[g]{#v}\n```\n",
    );
    site.build_ok();
    let html = site.main_of("public/index.html");
    assert!(
        html.contains("<a href=\"https://x.org\" id=\"x\">a</a>"),
        "{html}"
    );
    assert!(html.contains("<code>[b]{#y}</code>"), "{html}");
    assert!(html.contains("[c]{#z}"), "{html}");
    assert!(
        html.contains("<span class=\"k\"><strong>d</strong> e</span>"),
        "{html}"
    );
    // A span does not cross the end of emphasis.
    assert!(html.contains("<em>[f</em>]{#w}"), "{html}");
    assert!(html.contains("[g]{#v}\n</code>"), "{html}");
    assert!(
        !html.contains("id=\"y\"") && !html.contains("id=\"v\""),
        "{html}"
    );
}

#[test]
fn safe_mode_drops_a_hostile_attribute_with_a_positioned_warning() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\n[markdown]\nattributes = true\nunsafe_html = false\n",
    )
    .file(
        "content/index.md",
        "# Home\n\nSee [here]{#h onclick=alert(1) .c} now.\n",
    );
    let run = site.build_ok();
    let html = site.main_of("public/index.html");
    assert!(!html.contains("onclick"), "{html}");
    assert!(html.contains("<span id=\"h\""), "{html}");
    assert!(
        run.stderr.contains("attribute(s) onclick not applied"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/index.md:3:"), "{}", run.stderr);
}

#[test]
fn many_brackets_build_in_bounded_time() {
    let cases = [
        ("brackets", "[".repeat(100_000)),
        ("open lists", "[a]{".repeat(100_000)),
        ("closers", "]{".repeat(100_000)),
        ("spans", "[a]{#x}".repeat(100_000)),
        (
            "nested",
            format!("{}a{}", "[".repeat(50_000), "]{.c}".repeat(50_000)),
        ),
    ];
    for (what, body) in cases {
        let site = Site::new();
        site.file("syllabus.toml", ON)
            .file("content/index.md", &format!("# Home\n\n{body}\n"));
        let t = run_bounded(&site, &["build", "--quiet"], what);
        assert_eq!(t.run.code, Some(0), "{what}: {}", t.run.all());
        assert!(
            t.cpu.as_secs_f64() < 10.0,
            "{what}: {:.2} s of processor time",
            t.cpu.as_secs_f64()
        );
    }
}

#[test]
fn an_alt_in_an_image_list_replaces_the_markdown_alt() {
    // The Workbench's way to give a figure its description: `![](x.svg){alt='…'}`.
    let site = Site::new();
    site.file("syllabus.toml", ON)
        .file(
            "content/index.md",
            "# Home\n\n![](fs.svg){alt='The root holds bin and tmp'}\n\n![Old](fs.svg){alt=\"New\" .wide}\n",
        )
        .file("content/fs.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build_ok();
    let html = site.main_of("public/index.html");
    assert!(
        html.contains("<img src=\"/fs.svg\" alt=\"The root holds bin and tmp\">"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"/fs.svg\" alt=\"New\" class=\"wide\">"),
        "{html}"
    );
    assert_eq!(html.matches("alt=").count(), 2, "{html}");
}
