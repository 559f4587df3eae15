//! The glossary: terms read from the glossary page, the first use of each on
//! a page linked with its definition as a tooltip, and `check`'s reports of
//! links to terms that do not exist and of terms no page uses.

use crate::serve::{Server, wait_for};
use crate::support::{Site, copy_dir, shared};

const GLOSSARY: &str = "# Glossary

## Container

A lightweight, isolated process that runs from an image.

## Container registry

A server that stores container images.

## Quota

A limit on how many resources a subscription may use.

## Virtual machine (VM)

A computer emulated in software.

## Object storage

*Also: blob storage, buckets*

Files kept whole and reached over HTTP.

## Élan

Style and <b>flair</b> \"quoted\".
";

/// A course with the glossary above and one page of `body`.
fn course(body: &str) -> Site {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/glossary.md", GLOSSARY)
        .file("content/page.md", body);
    site
}

/// The `href`s of the glossary links on a built page, in order.
fn glossary_links(site: &Site, rel: &str) -> Vec<String> {
    let html = site.content_of(rel);
    html.split("<a class=\"glossary-term\" href=\"/glossary/#")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn the_first_use_of_each_term_links_to_it_case_insensitively_and_as_whole_words() {
    let site = course(
        "# Page\n\nA Container is not containerisation, nor a subcontainer. \
         Each container again.\n\nPush to the container registry; mind the quotas.\n",
    );
    site.build_ok();
    assert_eq!(
        glossary_links(&site, "public/page/index.html"),
        ["container", "container-registry", "quota"]
    );
    let html = site.content_of("public/page/index.html");
    assert!(
        html.contains(
            "A <a class=\"glossary-term\" href=\"/glossary/#container\">Container</a> is"
        ),
        "{html}"
    );
    assert!(html.contains("Each container again."), "{html}");
}

#[test]
fn the_longest_term_wins_and_multi_word_terms_match() {
    let site = course("# Page\n\nThe Container Registry holds images.\n");
    site.file(
        "content/wrapped.md",
        "# Wrapped\n\nPush to the container\nregistry, as *quotas*\nallow.\n",
    );
    site.build_ok();
    assert_eq!(
        glossary_links(&site, "public/page/index.html"),
        ["container-registry"]
    );
    assert_eq!(
        glossary_links(&site, "public/wrapped/index.html"),
        ["container-registry", "quota"]
    );
    let html = site.content_of("public/wrapped/index.html");
    assert!(html.contains(">container\nregistry</a>"), "{html}");
}

#[test]
fn abbreviations_match_as_written_and_aliases_and_plurals_link_to_their_term() {
    let site = course("# Page\n\nA vm is not a VM. Two VMs.\n\nSome blob storage.\n");
    site.build_ok();
    assert_eq!(
        glossary_links(&site, "public/page/index.html"),
        ["virtual-machine-vm", "object-storage"]
    );
    let html = site.content_of("public/page/index.html");
    assert!(
        html.contains("A vm is not a <a class=\"glossary-term\""),
        "{html}"
    );
}

#[test]
fn letters_beyond_ascii_match_in_any_case() {
    let site = course("# Page\n\nWith ÉLAN and élan.\n");
    site.build_ok();
    assert_eq!(
        glossary_links(&site, "public/page/index.html"),
        ["%C3%A9lan"]
    );
}

#[test]
fn never_in_code_links_headings_html_math_or_the_glossary_itself() {
    let site = course(
        "# Page\n\n## Container basics\n\n`container` and $quota$\n\n```\ncontainer\n```\n\n\
         [a container](glossary.md) ![a container](x.png)\n\n<div>\ncontainer\n</div>\n\n\
         Wrapped: <span>container</span>. Then a quota.\n",
    );
    site.file("content/x.png", "");
    site.file("syllabus.toml", "title = \"T\"\n[markdown]\nmath = true\n");
    site.build_ok();
    assert_eq!(glossary_links(&site, "public/page/index.html"), ["quota"]);
    assert_eq!(
        glossary_links(&site, "public/glossary/index.html"),
        Vec::<String>::new()
    );
}

#[test]
fn a_page_can_turn_glossary_links_off_and_a_hand_made_link_counts_as_the_first_use() {
    let site = course("+++\nglossary = false\n+++\n# Page\n\nA container.\n");
    site.file(
        "content/other.md",
        "# Other\n\nA [quota](glossary.md#quota), another quota, a container.\n",
    );
    site.file(
        "content/deck.md",
        "---\nmarp: true\n---\n# Deck\n\nA container.\n\n---\n\nA quota.\n",
    );
    site.build_ok();
    assert_eq!(
        glossary_links(&site, "public/page/index.html"),
        Vec::<String>::new()
    );
    assert_eq!(
        glossary_links(&site, "public/other/index.html"),
        ["container"]
    );
    let deck = site.read("public/deck/index.html");
    assert!(
        deck.contains("A container.") && !deck.contains("glossary-term"),
        "{deck}"
    );
}

/// The site's definitions file, read as JSON.
fn definitions(site: &Site) -> serde_json::Value {
    let text = site.read("public/assets/glossary.json");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_definitions_are_one_file_of_first_paragraphs_as_text_not_copied_into_pages() {
    let site = course("# Page\n\nAn object storage and an élan.\n");
    site.build_ok();
    let html = site.read("public/page/index.html");
    assert!(!html.contains("Files kept whole"), "{html}");
    assert!(
        html.contains("data-definitions=\"/assets/glossary.json\""),
        "{html}"
    );
    let json = definitions(&site);
    assert_eq!(
        json["object-storage"],
        "Files kept whole and reached over HTTP."
    );
    assert_eq!(json["élan"], "Style and flair \"quoted\".");
    assert_eq!(json.as_object().map(|o| o.len()), Some(2), "{json}");
}

#[test]
fn terms_under_letter_groups_are_the_deeper_headings_and_a_marked_page_is_the_glossary() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\nA Spot VM, an egress, an E.\n")
        .file(
            "content/terms.md",
            "+++\nglossary = true\n+++\n# Terms\n\n## E\n\n### Egress\n\nData leaving.\n\n## S\n\n### Spot VM\n\nCheap.\n",
        );
    site.build_ok();
    let html = site.content_of("public/index.html");
    assert!(html.contains("href=\"/terms/#egress\""), "{html}");
    assert!(html.contains("href=\"/terms/#spot-vm\""), "{html}");
    assert!(!html.contains("href=\"/terms/#e\""), "{html}");
}

#[test]
fn check_reports_links_to_missing_terms_with_a_suggestion_and_unused_terms() {
    let site = course(
        "# Page\n\nA container.\n\nSee [quotas](glossary.md#quotas) and [the VM](glossary.md#vm).\n",
    );
    let out = site.run(&["check"]).fails();
    assert!(out.contains("error[E062]: broken anchor `#quotas`: the glossary `content/glossary.md` defines no term `quotas`\n  --> content/page.md:5:5\n  help: did you mean `#quota` (the term `Quota`)?"), "{out}");
    assert!(out.contains("--> content/page.md:5:38\n  help: did you mean `#virtual-machine-vm` (the term `Virtual machine`)?"), "{out}");
    assert!(out.contains("warning[W063]: glossary term `Container registry` is never used: no page mentions it\n  --> content/glossary.md:7:1"), "{out}");
    assert!(!out.contains("`Container` is never used"), "{out}");
    assert!(!out.contains("no heading or id"), "{out}");
}

#[test]
fn the_real_course_glossary_links_that_lead_nowhere_are_reported() {
    let Some(shared) = shared() else { return };
    let site = Site::new();
    std::fs::remove_file(site.path().join("syllabus.toml")).unwrap();
    copy_dir(
        &shared.join("corpora/msucloudfellowship.github.io"),
        site.path(),
    );
    let import = site.run_in_root(&["import", "mkdocs", "."]);
    assert_eq!(import.code, Some(0), "{}", import.all());
    let out = site.run(&["check"]).all();
    let missing: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("the glossary `docs/cloud_glossary.md` defines no term"))
        .collect();
    assert_eq!(missing.len(), 4, "{out}");
    assert!(out.contains("broken anchor `#resource_group`: the glossary `docs/cloud_glossary.md` defines no term `resource_group`\n  --> docs/session_how_to_cloud/azure_portal_walkthrough.md:10:91\n  help: did you mean `#resource-group` (the term `Resource Group`)?"), "{out}");
    assert!(
        out.contains("broken anchor `#VM`: the glossary")
            && out.contains("did you mean `#virtual-machine` (the term `Virtual Machine`)?"),
        "{out}"
    );
    assert!(
        out.contains("did you mean `#devops` (the term `DevOps`)?"),
        "{out}"
    );
}

#[test]
fn the_demo_course_links_its_glossary() {
    let site = Site::demo();
    let build = site.build_ok();
    assert!(!build.all().contains("warning"), "{}", build.all());
    let pages = [
        "index.html",
        "session_compute/vm_sizes/index.html",
        "session_storage/blob_storage/index.html",
        "session_security/identity_secrets/index.html",
        "session_serverless/intro_serverless_azure/index.html",
        "session_accounts/budgets_and_costs/index.html",
    ];
    for page in pages {
        let html = site.content_of(&format!("public/{page}"));
        assert!(
            html.contains("class=\"glossary-term\" href=\"/glossary/#"),
            "{page}: {html}"
        );
    }
    let run = site.run(&["check"]);
    assert!(!run.all().contains("glossary"), "{}", run.all());
}

#[test]
fn serve_shows_an_edited_definition_on_the_other_pages() {
    let site = course("# Page\n\nA container.\n");
    let server = Server::start(&site);
    server.wait_for_text("/assets/glossary.json", "A lightweight, isolated process");
    let text = site.read("content/glossary.md");
    site.file(
        "content/glossary.md",
        &text.replace("A lightweight, isolated", "A small, sealed"),
    );
    let changed = wait_for(std::time::Duration::from_secs(20), || {
        server
            .get("/assets/glossary.json")
            .text()
            .contains("A small, sealed process")
    });
    assert!(
        changed,
        "the tooltip kept the old definition:\n{}",
        server.log()
    );
}

#[test]
fn hostile_definitions_and_terms_stay_text_in_safe_mode() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\n[markdown]\nunsafe_html = false\n")
        .file("content/index.md", "# Home\n\nThe payload and the quote\"d term.\n")
        .file(
            "content/glossary.md",
            "# Glossary\n\n## Payload\n\nClick <img src=x onerror=alert(1)> here & \"there\" `<script>`.\n\n\
             ## Quote\"d term\n\nA term whose name \"breaks\" attributes.\n",
        );
    site.build_ok();
    let html = site.content_of("public/index.html");
    assert!(
        !html.contains("onerror") && !html.contains("<script"),
        "{html}"
    );
    assert_eq!(
        definitions(&site)["payload"],
        "Click here & \"there\" <script>."
    );
    assert!(html.contains("href=\"/glossary/#quoted-term\""), "{html}");
}

#[test]
fn headings_under_a_section_with_text_of_its_own_are_no_terms() {
    // As a real MkDocs course writes its glossary: the deepest headings under
    // `## Why?` are about the glossary; those under `## The Glossary` are terms.
    let site = Site::new();
    site.file("content/index.md", "# Home\n\nA container.\n")
        .file(
            "content/glossary.md",
            "# Glossary\n\n## Why?\n\nWhy this glossary.\n\n#### Other glossaries\n\n\
             https://example.org/terms\n\n## The Glossary\n\n#### Container\n\nAn isolated process.\n",
        );
    let out = site.run(&["check"]).all();
    assert!(!out.contains("never used"), "{out}");
    site.file("content/more.md", "# More\n\nSee other glossaries.\n");
    site.build_ok();
    let html = site.content_of("public/more/index.html");
    assert!(!html.contains("glossary-term"), "{html}");
    assert!(
        site.read("public/assets/glossary.json")
            .contains("\"container\"")
    );
}
