//! Jupyter's heading anchors (`#Learning-Objectives`: the heading's text, case
//! and punctuation kept, spaces as `-`) lead to the heading on a notebook's
//! page at every heading level, from the notebook itself and from Markdown
//! pages, while the heading keeps its GitHub id; a fragment that is neither
//! stays a broken anchor.

use super::fixtures::*;
use super::prose;
use crate::support::Site;

/// A notebook whose first cell is a table of contents as Jupyter's `toc`
/// extension writes it (raw HTML links), followed by headings of every level.
fn lesson() -> Site {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"Lesson\"\n");
    site.file(
        "content/index.md",
        "# Lesson\n\n[The objectives](nb.ipynb#Learning-Objectives), [the facets](nb.ipynb#Facets-and-wraps).\n",
    );
    site.file(
        "content/nb.ipynb",
        &notebook(vec![
            md("# Table of Contents\n<div><a href=\"#Learning-Objectives\">1 Learning Objectives</a></div>\n"),
            md("# Learning Objectives #\n\nSee [the facets](#Facets-and-wraps).\n"),
            md("##### Facets and wraps\n\nBack to [the objectives](#Learning-Objectives).\n"),
        ]),
    );
    site
}

#[test]
fn jupyter_anchors_lead_to_headings_of_every_level() {
    let site = lesson();
    let out = site.build_ok().all();
    assert!(!out.contains("E061"), "{out}");
    let nb = prose(&site, "public/nb/index.html");
    for expected in [
        // The heading keeps its GitHub id; Jupyter's anchor is an id inside it.
        "<h1 id=\"learning-objectives\"><span id=\"Learning-Objectives\"></span>Learning Objectives",
        "<h5 id=\"facets-and-wraps\"><span id=\"Facets-and-wraps\"></span>Facets and wraps",
        "<a href=\"#Learning-Objectives\">1 Learning Objectives</a>",
        "<a href=\"#Facets-and-wraps\">the facets</a>",
    ] {
        assert!(nb.contains(expected), "missing {expected}:\n{nb}");
    }
    let home = prose(&site, "public/index.html");
    assert!(
        home.contains("href=\"/nb/#Learning-Objectives\"")
            && home.contains("href=\"/nb/#Facets-and-wraps\""),
        "{home}"
    );
}

#[test]
fn a_fragment_that_is_neither_id_is_still_a_broken_anchor() {
    let site = lesson();
    // Jupyter's anchors keep the heading's case: `Learning-objectives` is no anchor.
    site.file(
        "content/nb.ipynb",
        &notebook(vec![
            md("# Learning Objectives\n\n[Wrong case](#Learning-objectives), [gone](#Nowhere).\n"),
            md("##### Facets and wraps\n"),
        ]),
    );
    let out = site.build().fails();
    assert!(!out.contains("`#Facets-and-wraps`"), "{out}");
    let text = site.read("content/nb.ipynb");
    let line = text
        .lines()
        .position(|l| l.contains("[Wrong case]"))
        .expect("line")
        + 1;
    for (fragment, column) in [("Learning-objectives", 6), ("Nowhere", 42)] {
        let expected = format!(
            "broken anchor `#{fragment}`: no heading or id `{fragment}` on this page\n  --> content/nb.ipynb:{line}:{column}"
        );
        assert!(out.contains(&expected), "missing {expected}:\n{out}");
    }
}

#[test]
fn jupyter_anchors_keep_punctuation_and_unicode() {
    let site = lesson();
    site.file(
        "content/nb.ipynb",
        &notebook(vec![
            md("# What's new? Café & `plot()`\n\n[Here](#What's-new?-Café-&-plot()), [encoded](#What's-new?-Caf%C3%A9-&-plot()).\n"),
            md("###### Étape  2: fin\n\n[Step](#Étape--2:-fin)\n"),
        ]),
    );
    site.file(
        "content/index.md",
        "# Lesson\n\n[New](nb.ipynb#What's-new?-Café-&-plot())\n",
    );
    let out = site.build_ok().all();
    assert!(!out.contains("E061"), "{out}");
    let nb = prose(&site, "public/nb/index.html");
    for expected in [
        "<h1 id=\"whats-new-café--plot\"><span id=\"What's-new?-Café-&amp;-plot()\"></span>",
        "<h6 id=\"étape--2-fin\"><span id=\"Étape--2:-fin\"></span>",
    ] {
        assert!(nb.contains(expected), "missing {expected}:\n{nb}");
    }
}
