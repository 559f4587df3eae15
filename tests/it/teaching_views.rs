//! The other views of a course with teaching blocks: a session's page for
//! printing is one valid document (ids unique, links between its pages
//! within it), a notebook's `instructor` blocks reach the instructor view,
//! the site's Content-Security-Policy lets that view load what they embed,
//! and the demo course shows each kind of block without a warning.

use crate::notebook::fixtures::{code, md, notebook};
use crate::support::Site;

/// The position of `needle` in `haystack`, or a failure naming both.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in:\n{haystack}"))
}

/// The values of an attribute (` name="…"`) in a document, in order.
fn values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!(" {name}=\"");
    html.match_indices(&open)
        .map(|(i, _)| {
            let start = i + open.len();
            let end = html[start..].find('"').map_or(html.len(), |e| start + e);
            &html[start..end]
        })
        .collect()
}

#[test]
fn a_print_page_is_one_document_its_ids_unique_and_its_links_within_it() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\n[Session one](s1/index.md)\n")
        .file(
            "content/s1/index.md",
            "# Session one\n\nSee [below](#setup), [the later setup](later.md#setup) and [later](later.md).\n\n## Setup\n\n::: challenge\n## Try\nA note[^n].\n:::\n\n[^n]: First note.\n",
        )
        .file(
            "content/s1/later.md",
            "# Later\n\n## Setup\n\nAgain[^n], [up](#setup), [back](index.md#try).\n\n## Try\n\n[^n]: Second note.\n",
        );
    site.build_ok();
    let html = site.read("public/s1/print/index.html");
    let ids = values(&html, "id");
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(
            seen.insert(*id),
            "id `{id}` twice on the print page:\n{html}"
        );
    }
    // Every link to a fragment leads to an id of the document.
    for href in values(&html, "href") {
        if let Some(fragment) = href.strip_prefix('#') {
            assert!(seen.contains(fragment), "`{href}` leads nowhere:\n{html}");
        }
    }
    let main = site.main_of("public/s1/print/index.html");
    // Links between the pages on it stay on it, to the page or to its heading.
    at(&main, "<a href=\"#p2-setup\">the later setup</a>");
    at(&main, "<a href=\"#p2\">later</a>");
    at(&main, "<a href=\"#p1-try\">back</a>");
    at(&main, "<a href=\"#p1-setup\">below</a>");
    at(&main, "<section class=\"print-page prose\" id=\"p2\"");
    // The pages themselves keep their own ids and links.
    let page = site.main_of("public/s1/index.html");
    at(&page, "<h2 id=\"setup\">");
    at(&page, "href=\"/s1/later/#setup\"");
}

#[test]
fn a_notebooks_instructor_blocks_are_in_its_copy_in_the_instructor_view() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\nThe [lab](lab.ipynb).\n")
        .file(
            "content/lab.ipynb",
            &notebook(vec![
                md(
                    "# Lab\n\n::: instructor\nXylophonic pacing note.\n:::\n\n::: keypoints\n- Notebooks have key points.\n:::\n",
                ),
                code(Some(1), "print(1)", vec![]),
                md("## Next\n\nSee [home](index.md)."),
            ]),
        );
    site.build_ok();
    let learner = site.read("public/lab/index.html").to_lowercase();
    assert!(!learner.contains("xylophon"), "{learner}");
    let copy = site.main_of("public/instructor/lab/index.html");
    at(&copy, "Xylophonic pacing note.");
    at(&copy, "<h2 id=\"next\">");
    // Its links stay in the instructor view, like a Markdown page's.
    at(&copy, "href=\"/instructor/\"");
    // The notebook's key points join the course's.
    at(
        &site.main_of("public/keypoints/index.html"),
        "<li>Notebooks have key points.</li>",
    );
}

#[test]
fn the_generated_policy_allows_what_instructor_blocks_embed() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\n::: instructor\n![map](https://img.example.org/map.png)\n:::\n",
    );
    site.build_ok();
    let config = site.read("public/staticwebapp.config.json");
    let policy = config
        .split("\"Content-Security-Policy\": \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no policy in:\n{config}"));
    let img_src = policy
        .split(';')
        .find(|d| d.trim().starts_with("img-src"))
        .unwrap_or_else(|| panic!("no img-src in `{policy}`"));
    at(img_src, "https://img.example.org");
}

#[test]
fn the_demo_course_shows_its_teaching_blocks_and_builds_without_warnings() {
    let site = Site::demo();
    let run = site.build_ok();
    assert!(!run.all().contains("warning"), "{}", run.all());
    let page = site.main_of("public/session_storage/data_transfer/index.html");
    at(&page, "teach-objectives");
    at(&page, "teach-challenge");
    // The solution is there, closed.
    at(&page, "<details class=\"teach teach-solution");
    assert!(!page.contains("teach-solution markdown-alert markdown-alert-tip\" open"));
    at(&page, "teach-keypoints");
    assert!(!page.contains("Give the challenge five minutes"), "{page}");
    at(
        &site.main_of("public/instructor/session_storage/data_transfer/index.html"),
        "Give the challenge five minutes",
    );
    at(
        &site.main_of("public/keypoints/index.html"),
        "A checksum manifest made before the upload",
    );
    // Each session's print page holds every id once.
    let sessions = std::fs::read_dir(site.path().join("public")).unwrap();
    let mut print_pages = 0;
    for session in sessions {
        let print = session.unwrap().path().join("print/index.html");
        let Ok(html) = std::fs::read_to_string(&print) else {
            continue;
        };
        print_pages += 1;
        let mut seen = std::collections::HashSet::new();
        for id in values(&html, "id") {
            assert!(seen.insert(id), "id `{id}` twice in {}", print.display());
        }
    }
    assert!(print_pages >= 10, "{print_pages} print pages");
}
