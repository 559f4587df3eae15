//! Jupyter notebooks as pages: every kind of cell and output on a built page,
//! links between a notebook and Markdown pages, safe mode, positioned errors
//! for bad notebooks, the files the page writes, and a 50 MB notebook.

mod anchors;
mod big;
mod browser;
pub mod fixtures;
mod nbconvert;
mod serve;

use fixtures::*;
use serde_json::json;

use crate::safe_mode::oracle;
use crate::support::Site;

pub(super) const HOME: &str = "# Course\n\n## Notebooks\n\nThe [worked example](every.ipynb) and [its results](every.ipynb#results).\n";

/// A course of a home page and the notebook with every output.
pub fn course(config: &str) -> Site {
    let site = Site::new();
    site.file("syllabus.toml", config);
    site.file("content/index.md", HOME);
    site.file("content/every.ipynb", &every_output());
    site
}

/// The page's content: the theme's `<div class="prose">`, without the
/// theme's own markup around it (its icons are SVG).
pub(super) fn prose(site: &Site, rel: &str) -> String {
    let main = site.main_of(rel);
    let start = main.find("<div class=\"prose\">").expect("prose");
    let rest = &main[start..];
    let end = rest
        .find("\n</div>\n\n<p class=\"page-meta\">")
        .or_else(|| rest.find("</article>"))
        .expect("end of the article");
    rest[..end].to_string()
}

#[test]
fn every_cell_and_output_is_on_the_page() {
    let site = course("title = \"NB\"\n");
    let run = site.build_ok();
    let html = site.read("public/every/index.html");
    assert!(
        html.contains("<title>Every output"),
        "title from the first heading"
    );
    let p = prose(&site, "public/every/index.html");
    for expected in [
        // Markdown cells: heading ids, links resolved, math, attachments as files.
        "<h1 id=\"every-output\">",
        "<a href=\"/#notebooks\">the course</a>",
        "<math",
        "<img src=\"/every/cell1-square.png\" alt=\"a red square\"",
        "<h2 id=\"results\">",
        "<a href=\"#results\">the results</a>",
        // Code cells: highlighted Python with execution counts.
        "<span class=\"nb-prompt\">In [1]:</span>",
        "<code class=\"language-python\">",
        // Streams, one block per stream, ANSI colours as classes.
        "<div class=\"nb-output nb-stream nb-stdout\" data-mime-type=\"application/vnd.jupyter.stdout\"><pre class=\"nb-text\">hello from stdout</pre>",
        "<div class=\"nb-output nb-stream nb-stderr\" data-mime-type=\"application/vnd.jupyter.stderr\"><pre class=\"nb-text\"><span class=\"ansi-red-fg\">warning</span> in red</pre>",
        // Results with their prompt; each image type as a file.
        "<span class=\"nb-prompt\">Out[2]:</span><pre class=\"nb-text\">42</pre>",
        "<img src=\"/every/output-5-1.png\" alt=\"Output of cell 5\" loading=\"lazy\">",
        "<img src=\"/every/output-6-1.svg\"",
        "<img src=\"/every/output-7-1.jpg\"",
        "<img src=\"/every/output-8-1.gif\"",
        // HTML (trusted here), Markdown with its link resolved, LaTeX as MathML.
        "<td>Bergen</td>",
        "See <strong>the</strong> <a href=\"/\">course</a>.",
        "<div class=\"nb-latex\"><math display=\"block\">",
        // Script outputs are notes, never run.
        "This output is JavaScript, which this site does not run",
        "This output is an interactive widget",
        "IntSlider(value=0)",
        // The traceback, ANSI and 256 colours as classes.
        "<div class=\"nb-output nb-error\" data-mime-type=\"application/vnd.jupyter.stderr\"><pre class=\"nb-text\"><span class=\"ansi-red-fg\">",
        "<span class=\"ansi-red-fg\">ZeroDivisionError</span>: division by zero",
        // Long output collapsed after 40 lines.
        "step 40</pre>\n<details class=\"nb-more\"><summary>Show 60 more lines</summary>",
        "<p class=\"raw\">A raw HTML cell.</p>",
        // Jupyter's anchors lead to the headings too; `ipython` fences are Python.
        "<h2 id=\"the-end\"><span id=\"The-end\"></span>The end",
        "<a href=\"#The-end\">the end as Jupyter links it</a>",
        "<code class=\"language-ipython\"><span class=",
    ] {
        assert!(p.contains(expected), "missing {expected}:\n{p}");
    }
    assert!(!p.contains("alert('javascript output')"), "{p}");
    assert!(
        !html.contains("data:image"),
        "images are files, not data URLs"
    );
    for (file, base64) in [
        ("output-5-1.png", PNG),
        ("output-7-1.jpg", JPEG),
        ("output-8-1.gif", GIF),
        ("cell1-square.png", PNG),
    ] {
        let bytes = std::fs::read(site.path().join("public/every").join(file)).expect(file);
        assert_eq!(bytes, decode(base64), "{file}");
    }
    assert_eq!(site.read("public/every/output-6-1.svg"), SVG);
    // The notebook itself stays in the site, for the download link.
    assert_eq!(site.read("public/every.ipynb"), every_output());
    assert!(
        html.contains("<a class=\"notebook-action\" href=\"/every.ipynb\" download>"),
        "{html}"
    );
    // The only warning: the HTML output's script and handler cannot run on Azure.
    let all = run.all();
    let warnings: Vec<&str> = all.lines().filter(|l| l.starts_with("warning")).collect();
    assert_eq!(
        warnings,
        [
            "warning[W083]: on Azure, the site's Content-Security-Policy blocks this page's inline scripts or `on…` handlers (`script-src`)"
        ],
        "{all}"
    );
}

pub(super) fn decode(base64: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(base64)
        .expect("base64")
}

#[test]
fn attachments_with_names_a_file_cannot_hold_get_files_of_their_own() {
    let site = course("title = \"NB\"\n");
    let mut cell =
        md("![one](attachment:a%20b.png) ![two](attachment:a-b.png) ![three](attachment:x.html)\n");
    cell["attachments"] = json!({
        "a b.png": {"image/png": PNG},
        "a-b.png": {"image/gif": GIF},
        "x.html": {"image/png": PNG, "text/html": "<script>alert(1)</script>"}
    });
    site.file(
        "content/att.ipynb",
        &notebook(vec![md("# Attached\n"), cell]),
    );
    site.build_ok();
    let p = prose(&site, "public/att/index.html");
    for expected in [
        "<img src=\"/att/cell2-a-b.png\" alt=\"one\"",
        "<img src=\"/att/cell2-a-b.gif\" alt=\"two\"",
        // The extension comes from the image type, never from the name.
        "<img src=\"/att/cell2-x.png\" alt=\"three\"",
    ] {
        assert!(p.contains(expected), "missing {expected}:\n{p}");
    }
    // Two names that make the same file name: the second is numbered.
    let mut again = md("![one](attachment:a%20b.png) ![two](attachment:a-b.png)\n");
    again["attachments"] = json!({"a b.png": {"image/png": PNG}, "a-b.png": {"image/png": PNG}});
    site.file("content/att.ipynb", &notebook(vec![again]));
    site.build_ok();
    let p = prose(&site, "public/att/index.html");
    assert!(p.contains("src=\"/att/cell1-a-b.png\" alt=\"one\""), "{p}");
    assert!(
        p.contains("src=\"/att/cell1-a-b-2.png\" alt=\"two\""),
        "{p}"
    );
}

#[test]
fn a_notebook_is_in_links_search_sitemap_and_reading_order() {
    let site = course("title = \"NB\"\n");
    site.file(
        "content/later.md",
        "# Later\n\nBack to [the example](every.ipynb#the-end).\n",
    );
    site.build_ok();
    let home = site.main_of("public/index.html");
    assert!(
        home.contains("<a href=\"/every/\">worked example</a>"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/every/#results\">its results</a>"),
        "{home}"
    );
    let page = site.read("public/every/index.html");
    // Backlinks, previous and next like any page; the table of contents from its headings.
    assert!(page.contains("rel=\"prev\""), "{page}");
    assert!(page.contains("href=\"/later/\" rel=\"next\""), "{page}");
    assert!(page.contains("<a href=\"#results\">Results</a>"), "{page}");
    // The search index's shards (gzip JSON): the notebook's URL, title and words.
    let mut search = String::new();
    for entry in std::fs::read_dir(site.path().join("public/search")).expect("search files") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "bin") {
            let bytes = std::fs::read(&path).expect("shard");
            std::io::Read::read_to_string(
                &mut flate2::read::GzDecoder::new(&bytes[..]),
                &mut search,
            )
            .expect("a gzip file");
        }
    }
    assert!(search.contains("\"/every/\""), "{search}");
    assert!(search.contains("Every output"), "{search}");
    assert!(search.contains("formula"), "{search}");
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>/every/</loc>")
    );
    // With an explicit nav, as a page path.
    site.file(
        "syllabus.toml",
        "title = \"NB\"\nnav = [\"index.md\", { title = \"Lab\", page = \"every.ipynb\" }, \"later.md\"]\n",
    );
    site.build_ok();
    assert!(
        site.read("public/later/index.html")
            .contains("href=\"/every/\"")
    );
}

#[test]
fn broken_links_and_anchors_are_positioned_in_the_notebook() {
    let site = course("title = \"NB\"\n");
    site.file(
        "content/bad.ipynb",
        &notebook(vec![
            md("# Bad\n"),
            md("## Part\n\nSee \"[gone](missing.md)\" and [a part](every.ipynb#no-such-part).\n"),
        ]),
    );
    site.file(
        "content/index.md",
        &format!("{HOME}\n[no heading](every.ipynb#nope)\n"),
    );
    let out = site.build().fails();
    // The link's line in the .ipynb: the source line `    "See \"[gone](missing.md)\" …`,
    // whose `[` comes after the indent, the opening quote and an escaped quote;
    // the anchor link after a second escaped quote.
    let text = site.read("content/bad.ipynb");
    let line = text
        .lines()
        .position(|l| l.contains("[gone]"))
        .expect("line")
        + 1;
    assert!(
        out.contains(&format!(
            "broken link `missing.md`: no page `missing.md`\n  --> content/bad.ipynb:{line}:12"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "no heading or id `no-such-part` on `content/every.ipynb`\n  --> content/bad.ipynb:{line}:37"
        )),
        "{out}"
    );
    assert!(out.contains("--> content/index.md:7:1"), "{out}");
}

#[test]
fn safe_mode_strips_script_from_outputs_and_trusted_mode_keeps_it() {
    let site = course("title = \"NB\"\n[markdown]\nunsafe_html = false\n");
    site.build_ok();
    let p = prose(&site, "public/every/index.html");
    assert_eq!(oracle::unsafe_markup(&p), None, "{p}");
    assert!(p.contains("Rendered <b>HTML</b>"), "{p}");
    assert!(p.contains("<td>Bergen</td>"), "{p}");
    // Trusted, HTML outputs pass through as raw HTML does.
    let trusted = course("title = \"NB\"\n");
    trusted.build_ok();
    let p = prose(&trusted, "public/every/index.html");
    assert!(p.contains("<script>alert('html output')</script>"), "{p}");
}

#[test]
fn svg_that_could_run_script_is_left_out_in_safe_mode() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"4\" height=\"4\"/></svg>";
    let site = Site::new();
    site.file("syllabus.toml", "title = \"NB\"\n");
    site.file("content/index.md", "# Home\n");
    site.file(
        "content/svg.ipynb",
        &notebook(vec![code(
            Some(1),
            "draw()",
            vec![display(
                json!({"image/svg+xml": lines(svg), "image/png": PNG}),
            )],
        )]),
    );
    let run = site.run(&["build", "--safe"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.all()
            .contains("safe mode left out an SVG image that has an event handler attribute"),
        "{}",
        run.all()
    );
    assert!(
        run.all().contains("--> content/svg.ipynb:"),
        "{}",
        run.all()
    );
    assert!(!site.exists("public/svg/output-1-1.svg"));
    assert!(
        site.exists("public/svg/output-1-1.png"),
        "the next type is shown"
    );
    site.run(&["build"]);
    assert!(site.exists("public/svg/output-1-1.svg"), "trusted: written");
}

#[test]
fn bad_notebooks_are_errors_at_their_line_and_column() {
    let site = course("title = \"NB\"\n");
    site.file(
        "content/broken.ipynb",
        "{\n \"cells\": [\n  {\"cell_type\": \"markdown\", \"source\": \"# x\"}\n  {\"cell_type\": \"code\"}\n ]\n}\n",
    );
    site.file(
        "content/old.ipynb",
        "{\n \"metadata\": {},\n \"nbformat\": 3,\n \"nbformat_minor\": 0,\n \"worksheets\": []\n}\n",
    );
    site.file(
        "content/cell.ipynb",
        &notebook(vec![json!({"cell_type": "code", "execution_count": "one", "metadata": {}, "outputs": [], "source": []})]),
    );
    let out = site.build().fails();
    assert!(
        out.contains(
            "error[E030]: invalid notebook: expected `,` or `]`\n  --> content/broken.ipynb:4:3"
        ),
        "{out}"
    );
    assert!(out.contains("notebook format 3 is too old"), "{out}");
    assert!(out.contains("--> content/old.ipynb:3:2"), "{out}");
    assert!(out.contains("nbconvert --to notebook"), "{out}");
    assert!(
        out.contains("invalid notebook cell: invalid type: string \"one\""),
        "{out}"
    );
    assert!(out.contains("--> content/cell.ipynb:"), "{out}");
    // An output is read when the page is rendered: its problems are positioned too.
    for fixed in ["broken", "old", "cell"] {
        site.file(
            &format!("content/{fixed}.ipynb"),
            &notebook(vec![md("# Fixed\n")]),
        );
    }
    let bad_stream = notebook(vec![code(
        Some(1),
        "print(1)",
        vec![json!({"output_type": "stream", "name": "stdout", "text": 5})],
    )]);
    site.file("content/stream.ipynb", &bad_stream);
    let out = site.build().fails();
    let line = bad_stream
        .lines()
        .position(|l| l.contains("\"text\": 5"))
        .expect("line")
        + 1;
    assert!(
        out.contains(&format!(
            "invalid notebook output: `text` must be text (a string or a list of strings)\n  --> content/stream.ipynb:{line}:"
        )),
        "{out}"
    );
}

#[test]
fn titles_come_from_metadata_then_the_first_heading_then_the_file_name() {
    let site = course("title = \"NB\"\n");
    let mut metadata = python();
    metadata["title"] = json!("Lab one");
    site.file(
        "content/meta.ipynb",
        &notebook_with(vec![md("# Ignored heading\n")], metadata),
    );
    site.file(
        "content/heading.ipynb",
        &notebook(vec![
            md("Intro.\n"),
            md("## Not a title\n\n# The *real* title\n"),
        ]),
    );
    site.file(
        "content/plain_name.ipynb",
        &notebook(vec![code(Some(1), "1", vec![])]),
    );
    site.build_ok();
    for (page, title) in [
        ("meta", "Lab one"),
        ("heading", "The real title"),
        ("plain_name", "Plain name"),
    ] {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(
            html.contains(&format!("<title>{title}")),
            "{page}: {html:.400}"
        );
    }
}

#[test]
fn unknown_outputs_and_cells_are_warnings() {
    let site = course("title = \"NB\"\n");
    site.file(
        "content/odd.ipynb",
        &notebook(vec![
            json!({"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Old"]}),
            code(
                Some(1),
                "x",
                vec![
                    json!({"output_type": "pyout", "data": {}}),
                    display(json!({"application/vnd.plotly.v1+json": {"data": []}})),
                    display(json!({"image/png": "PGh0bWw+"})),
                ],
            ),
        ]),
    );
    let run = site.build_ok();
    let out = run.all();
    for expected in [
        "unknown cell type `heading`",
        "unknown output type `pyout`",
        "an image of type `image/png` is not valid base64 png data",
    ] {
        assert!(out.contains(expected), "missing {expected}:\n{out}");
    }
    assert!(out.contains("--> content/odd.ipynb:"), "{out}");
    let p = prose(&site, "public/odd/index.html");
    assert!(
        p.contains(
            "This output (<code>application/vnd.plotly.v1+json</code>) cannot be shown here"
        ),
        "{p}"
    );
    assert!(!site.exists("public/odd/output-2-3.png"), "HTML is no PNG");
}

#[test]
fn open_in_links_follow_the_repository() {
    let site = course(
        "title = \"NB\"\nrepo_url = \"https://github.com/org/course\"\nbranch = \"spring 2026\"\n[notebooks]\nopen_in = [\"binder\", \"colab\", \"codespaces\"]\n",
    );
    site.file(
        "content/labs/week 1.ipynb",
        &notebook(vec![md("# Week 1\n"), code(Some(1), "1 + 1", vec![])]),
    );
    site.build_ok();
    let html = site.read("public/labs/week 1/index.html");
    for expected in [
        "href=\"https://mybinder.org/v2/gh/org/course/spring%202026?labpath=content%2Flabs%2Fweek%201.ipynb\"",
        "href=\"https://colab.research.google.com/github/org/course/blob/spring%202026/content/labs/week%201.ipynb\"",
        "href=\"https://codespaces.new/org/course/tree/spring%202026?quickstart=1\"",
        "Open in GitHub Codespaces</a>",
        "href=\"/labs/week%201.ipynb\" download>",
    ] {
        assert!(html.contains(expected), "missing {expected}:\n{html}");
    }
    assert!(
        !site
            .read("public/every/index.html")
            .contains("<a href=\"https://mybinder.org"),
        "only the configured links"
    );
}

#[test]
fn output_images_are_files_of_the_site_checked_like_others() {
    let site = course("title = \"NB\"\n");
    site.build_ok();
    let files = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    // One file fewer than the site has: the images count toward the quota.
    site.file(
        "syllabus.toml",
        &format!(
            "title = \"NB\"\n[azure]\nplan = \"free\"\nmax_files = {}\n",
            files - 1
        ),
    );
    let out = site.build().fails();
    assert!(out.contains(&format!("{files} files")), "{out}");
    // A course file where an output image goes is a clash, not an overwrite.
    site.file("syllabus.toml", "title = \"NB\"\n");
    site.file("content/every/output-5-1.png", "mine");
    let out = site.build().fails();
    assert!(
        out.contains("the file `content/every/output-5-1.png` and the output image `every/output-5-1.png` of `content/every.ipynb` need the same place"),
        "{out}"
    );
}
