//! Safe mode (`[markdown] unsafe_html = false`, `--safe`): an XSS payload list
//! built one payload per page, then a strict, parser-free check of each page's
//! `<main>`; and the positive side: links, images, ids and harmless formatting
//! still work.

use crate::support::{Run, Site};

#[path = "../support/unsafe_markup.rs"]
pub(crate) mod oracle;
use oracle::{unsafe_markup, unsafe_markup_but};

/// Payloads from the well-known classes: script elements and obfuscated tags,
/// event handlers, script URLs (case, entities, control characters, unquoted),
/// embedding elements, namespace confusion (SVG, MathML), comment and raw-text
/// tricks, attributes split across Markdown blocks, and Markdown's own links,
/// images, autolinks and reference definitions.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<script\n>alert(1)</script\n>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert(1)\">",
    "<img src=javascript:alert(1)>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">a</a>",
    "<a href=\"jav&#x61;script:alert(1)\">a</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">a</a>",
    "<a href=\"java&#x09;script:alert(1)\">a</a>",
    "<a href=\"java\tscript:alert(1)\">a</a>",
    "<a href=\" &#14; javascript:alert(1)\">a</a>",
    "<a href=\"javascript&colon;alert(1)\">a</a>",
    "<a href=javascript:alert(1)>unquoted</a>",
    "<a href='vbscript:msgbox(1)'>a</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">a</a>",
    "<a href=\"#\" onclick=\"alert(1)\">a</a>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<span OnMouseOver=alert(1)>x</span>",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<input autofocus onfocus=alert(1)>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"1\" y=\"1\">x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=alert(1)></annotation-xml></math>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<object data=\"evil.swf\"></object>",
    "<embed src=\"evil.swf\">",
    "<style>body { display: none }</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<form action=\"https://evil.example/\"><input name=p><button>Go</button></form>",
    "<button formaction=\"javascript:alert(1)\">b</button>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>m</marquee>",
    "<base href=\"javascript:/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<table background=\"javascript:alert(1)\"><tr><td>t</td></tr></table>",
    "<isindex action=javascript:alert(1) type=image>",
    "<frameset onload=alert(1)>",
    "<template><script>alert(1)</script></template>",
    "<x-widget onclick=alert(1)>custom</x-widget>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<img src=\"x\"\nonerror=\"alert(1)\">",
    "<div>\n\n<img src=x onerror=alert(1)>\n\n</div>",
    "<div title=\"\n\n\" onmouseover=\"alert(1)\" x=\"\">t</div>",
    "<img src=x onerror=alert(1)",
    "<a href=\"javascript:alert(1)\"",
    "[md link](javascript:alert(1))",
    "[md upper](JAVASCRIPT:alert(1))",
    "[md entity](&#106;avascript:alert(1))",
    "[md angle](<javascript:alert(1)>)",
    "[md vb](vbscript:msgbox(1))",
    "[md data](data:text/html;base64,PHNjcmlwdD4=)",
    "<javascript:alert(1)>",
    "![md image](javascript:alert(1))",
    "[ref link][r]\n\n[r]: javascript:alert(1)",
    "[title](/ \"t\\\" onmouseover=\\\"alert(1)\")",
    "$a</annotation><img src=x onerror=alert(1)>b$",
    "```x\"onmouseover=\"alert(1)\nx\n```",
    "## Heading {#x\" onclick=\"alert(1) .c}",
    "## Heading {/onclick=alert(1) x/onmouseover=alert(2) data-/onfocus=alert(3)}",
    "![i](x.png){/onerror=alert(1)} [l](x.md){title=t /onclick=alert(1)}",
    "Note[^<img src=x onerror=alert(1)>]\n\n[^<img src=x onerror=alert(1)>]: f",
];

/// A template whose `<main>` is exactly the page's content.
const BARE_PAGE: &str =
    "<!doctype html>\n<title>{{ page.title }}</title>\n<main>{{ page.content | safe }}</main>\n";

/// A course with one page per payload (`content/xss/pNN.md`), shown by a bare template.
fn payload_site(config: &str) -> Site {
    let site = Site::new();
    site.file("syllabus.toml", config);
    site.file("templates/page.html", BARE_PAGE);
    site.file("content/index.md", "# Home\n\n[XSS](xss/)\n");
    site.file("content/xss/index.md", "# Payloads\n");
    for (n, payload) in PAYLOADS.iter().enumerate() {
        site.file(
            &format!("content/xss/p{n:02}.md"),
            &format!("# Payload {n}\n\nbefore\n\n{payload}\n\nafter\n"),
        );
    }
    site
}

/// Every payload page whose `<main>` has something that could run script.
fn surviving(site: &Site) -> Vec<String> {
    (0..PAYLOADS.len())
        .filter_map(|n| {
            let main = site.main_of(&format!("public/xss/p{n:02}/index.html"));
            unsafe_markup(&main)
                .map(|what| format!("payload {n} {:?}: {what}\n{main}\n", PAYLOADS[n]))
        })
        .collect()
}

fn assert_none_survive(site: &Site) {
    let left = surviving(site);
    assert!(
        left.is_empty(),
        "{} payload(s) survived:\n{}",
        left.len(),
        left.join("\n")
    );
}

fn build(site: &Site, args: &[&str]) -> Run {
    let run = site.run(args);
    assert_eq!(run.code, Some(0), "build failed:\n{}", run.all());
    run
}

#[test]
fn payload_list_is_long_enough() {
    assert!(PAYLOADS.len() >= 40, "{} payloads", PAYLOADS.len());
}

#[test]
fn no_payload_survives_with_unsafe_html_false() {
    let site = payload_site(
        "title = \"XSS\"\n[links]\nbroken = \"warn\"\n[markdown]\nunsafe_html = false\n",
    );
    let run = build(&site, &["build"]);
    assert_none_survive(&site);
    for n in 0..PAYLOADS.len() {
        let main = site.main_of(&format!("public/xss/p{n:02}/index.html"));
        assert!(
            main.contains("before") && main.contains(&format!("Payload {n}")),
            "page {n} lost its content:\n{main}"
        );
    }
    assert!(
        run.all()
            .contains("safe mode removed a link to a `javascript:` URL"),
        "{}",
        run.all()
    );
}

#[test]
fn no_payload_survives_with_attribute_lists_on() {
    let site = payload_site(
        "title = \"XSS\"\n[links]\nbroken = \"warn\"\n[markdown]\nunsafe_html = false\nattributes = true\n",
    );
    build(&site, &["build"]);
    assert_none_survive(&site);
}

#[test]
fn default_theme_shows_no_payload() {
    let site = payload_site("title = \"XSS\"\n[links]\nbroken = \"warn\"\n");
    std::fs::remove_dir_all(site.path().join("templates")).expect("remove templates");
    for (n, payload) in PAYLOADS.iter().enumerate() {
        // In headings too: titles, the table of contents and breadcrumbs come from them.
        site.file(
            &format!("content/xss/p{n:02}.md"),
            &format!("# P{n} {payload}\n\n## {payload}\n\n{payload}\n"),
        );
    }
    build(&site, &["build", "--safe"]);
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let html = site.read(&format!("public/xss/p{n:02}/index.html"));
        let main = site.main_of(&format!("public/xss/p{n:02}/index.html"));
        let head = &html[..html.find("<main").expect("main")];
        for (part, text) in [("main", &main), ("head", &head.to_string())] {
            if let Some(what) = unsafe_markup_but(text, &["svg", "script", "meta", "link", "style"])
            {
                panic!("payload {n} {payload:?} in {part}: {what}\n{text}");
            }
        }
        assert!(!main.to_ascii_lowercase().contains("<script"), "{main}");
    }
}

#[test]
fn html_documents_and_slide_decks_are_sanitised() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"Docs\"\n[markdown]\nunsafe_html = false\n",
    );
    site.file("content/index.md", "# Home\n");
    site.file(
        "content/doc.md",
        "<!DOCTYPE html>\n<html><head><title>Doc</title><script>alert(1)</script></head>\n<body><p onclick=\"alert(1)\">Hello <a href=\"javascript:alert(1)\">x</a></p><iframe src=\"https://e.org/\"></iframe></body></html>\n",
    );
    site.file(
        "content/deck.md",
        "---\nmarp: true\n---\n# One\n\n<img src=x onerror=alert(1)>\n\n---\n\n# Two\n\n<sty<style>x</style>le>body{}</style>\n",
    );
    site.build_ok();
    let doc = site.read("public/doc/index.html");
    assert_eq!(unsafe_markup(&doc), None, "{doc}");
    assert!(doc.contains("Hello"), "{doc}");
    let deck = site.read("public/deck/index.html");
    let slides = &deck[deck.find("<section class=\"slide\"").expect("slides")..];
    let slides = &slides[..slides.rfind("</section>").expect("end")];
    assert_eq!(unsafe_markup(slides), None, "{slides}");
}

#[test]
fn safe_flag_overrides_the_config() {
    let site = payload_site(
        "title = \"XSS\"\n[links]\nbroken = \"warn\"\n[markdown]\nunsafe_html = true\n",
    );
    build(&site, &["build"]);
    let trusted = surviving(&site);
    // The check is strict enough to see the payloads when HTML is trusted.
    assert!(trusted.len() >= 40, "only {} flagged", trusted.len());
    build(&site, &["build", "--safe"]);
    assert_none_survive(&site);
}

#[test]
fn check_accepts_safe_flag() {
    let site = payload_site("title = \"XSS\"\n[links]\nbroken = \"warn\"\n");
    let run = site.run(&["check", "--safe"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.all().contains("safe mode removed a link"),
        "{}",
        run.all()
    );
}

const GOOD_PAGE: &str = r##"# Good page

A [reading](s1/reading.md), an [anchor](s1/reading.md#part-two), an
[outside link](https://example.org/ "Example"), mail <a@b.org>, and
![flow diagram](s1/img/flow.png "Flow").

<a href="s1/reading.md" title="raw">raw link</a> and <img src="s1/img/flow.png" alt="raw image" width="100" height="50">
and <a href="#box">to the box</a>.

Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; H<sub>2</sub>O and x<sup>2</sup>; <span id="here" class="k">a span</span>.

<div class="note" id="box">

A **bold** note in a box.

</div>

<details>
<summary>Answer</summary>

It is **42**, see [the reading](s1/reading.md).

</details>

<table><tr><th>Head</th></tr><tr><td>Cell</td></tr></table>

| a | b |
|:--|--:|
| 1 | $x^2$ |

```python
print("hi")
```

- [x] task

Footnote[^1].

[^1]: The note.
"##;

fn good_site(config: &str) -> Site {
    let site = Site::new();
    site.file("syllabus.toml", config);
    site.file("content/index.md", GOOD_PAGE);
    site.file(
        "content/s1/reading.md",
        "# Reading\n\n## Part two\n\n[home](../index.md#here)\n",
    );
    site.file("content/s1/img/flow.png", "not really a png");
    site
}

#[test]
fn links_images_ids_and_formatting_keep_working() {
    let site = good_site("title = \"Good\"\n[markdown]\nunsafe_html = false\n");
    let run = site.build_ok();
    assert!(!run.all().contains("warning"), "{}", run.all());
    let main = site.main_of("public/index.html");
    assert_eq!(unsafe_markup(&main), None);
    for expected in [
        "<a href=\"/s1/reading/\">reading</a>",
        "<a href=\"/s1/reading/#part-two\">anchor</a>",
        "<a href=\"https://example.org/\" title=\"Example\">outside link</a>",
        "<a href=\"mailto:a@b.org\">",
        "<img src=\"/s1/img/flow.png\" alt=\"flow diagram\" title=\"Flow\">",
        "<a href=\"/s1/reading/\" title=\"raw\">raw link</a>",
        "<img src=\"/s1/img/flow.png\" alt=\"raw image\" width=\"100\" height=\"50\">",
        "<a href=\"#box\">to the box</a>",
        "<kbd>Ctrl</kbd>",
        "H<sub>2</sub>O",
        "x<sup>2</sup>",
        "<span id=\"here\" class=\"k\">a span</span>",
        "<div class=\"note\" id=\"box\">",
        "<summary>Answer</summary>",
        "<th>Head</th>",
        "<td>Cell</td>",
        "<td align=\"left\">1</td>",
        "<math",
        "<figure class=\"code-block\"",
        "type=\"checkbox\"",
        "class=\"heading-anchor\"",
        "class=\"footnotes\"",
    ] {
        assert!(main.contains(expected), "missing {expected}:\n{main}");
    }
    // Markdown inside a raw <details> stays inside it.
    let details = &main[main.find("<details>").expect("details")..];
    let end = details.find("</details>").expect("</details>");
    assert!(details[..end].contains("<strong>42</strong>"), "{details}");
    let boxed = &main[main.find("<div class=\"note\"").expect("box")..];
    assert!(
        boxed.find("<strong>bold</strong>") < boxed.find("</div>"),
        "{boxed}"
    );
    // A raw HTML id is a link target for other pages.
    assert!(
        site.read("public/s1/reading/index.html")
            .contains("href=\"/#here\"")
    );
}

#[test]
fn links_are_still_checked_in_safe_mode() {
    let site = good_site("title = \"Good\"\n[markdown]\nunsafe_html = false\n");
    site.file(
        "content/s1/broken.md",
        "# Broken\n\n[gone](missing.md) and <a href=\"../index.md#nowhere\">raw</a>\n",
    );
    let out = site.build().fails();
    assert!(out.contains("content/s1/broken.md:3:"), "{out}");
    assert!(out.contains("missing.md"), "{out}");
    assert!(out.contains("nowhere"), "{out}");
}

#[test]
fn trusted_mode_passes_raw_html_through() {
    let site = good_site("title = \"Good\"\n[markdown]\nunsafe_html = true\n");
    site.file(
        "content/s1/embed.md",
        "# Embed\n\n<iframe src=\"https://example.org/\"></iframe>\n",
    );
    site.build_ok();
    assert!(
        site.main_of("public/s1/embed/index.html")
            .contains("<iframe src=\"https://example.org/\">")
    );
}

#[test]
fn config_key_is_validated() {
    let site = good_site("title = \"Good\"\n[markdown]\nunsafe_html = \"no\"\n");
    let out = site.build().fails();
    assert!(out.contains("syllabus.toml:3"), "{out}");
    assert!(out.contains("expected a boolean"), "{out}");
}

#[test]
fn a_new_course_is_safe_by_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let course = dir.path().join("course");
    let init = std::process::Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .arg("init")
        .arg(&course)
        .output()
        .expect("run syllabus init");
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    std::fs::write(
        course.join("content/xss.md"),
        "# XSS\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n",
    )
    .expect("write page");
    let site = Site { dir };
    let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(["build", "--root"])
        .arg(&course)
        .output()
        .expect("run syllabus build");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let main = site.main_of("course/public/xss/index.html");
    assert_eq!(unsafe_markup_but(&main, &["svg"]), None, "{main}");
    assert!(main.contains("<img src=\"x\">"), "{main}");
}
