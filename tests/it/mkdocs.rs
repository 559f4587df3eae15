//! Real courses: the MkDocs course in ../shared/corpora imported and built,
//! and the compatibility features it needs, each on a small fixture.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{Site, copy_dir, shared};

/// A writable copy of the corpus, or `None` (with a message) without ../shared.
pub(crate) fn corpus() -> Option<Site> {
    let shared = shared()?;
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    copy_dir(
        &shared.join("corpora/msucloudfellowship.github.io"),
        site.path(),
    );
    Some(site)
}

fn files_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect()
}

fn flatten_mkdocs(items: &[serde_json::Value], out: &mut Vec<(String, String)>) {
    for item in items {
        match item {
            serde_json::Value::String(page) => out.push((String::new(), page.clone())),
            serde_json::Value::Object(map) => {
                for (title, target) in map {
                    match target {
                        serde_json::Value::String(page) => {
                            out.push((title.trim().to_string(), page.trim().to_string()))
                        }
                        serde_json::Value::Array(children) => {
                            out.push((title.trim().to_string(), String::new()));
                            flatten_mkdocs(children, out);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn flatten_syllabus(items: &[syllabus::model::config::NavEntry], out: &mut Vec<(String, String)>) {
    for item in items {
        match item {
            syllabus::model::config::NavEntry::Page(p) => out.push((String::new(), p.clone())),
            syllabus::model::config::NavEntry::Entry(t) => {
                out.push((
                    t.title.clone().unwrap_or_default(),
                    t.page.clone().or(t.url.clone()).unwrap_or_default(),
                ));
                flatten_syllabus(&t.children, out);
            }
        }
    }
}

#[test]
fn import_keeps_the_mkdocs_nav_in_order() {
    let Some(site) = corpus() else { return };
    let run = site.run_in_root(&["import", "mkdocs"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("Not carried over"), "{}", run.stdout);
    assert!(
        run.stdout.contains("theme"),
        "unmapped theme named: {}",
        run.stdout
    );
    let yaml: serde_json::Value = serde_saphyr::from_str(&site.read("mkdocs.yml")).unwrap();
    let mut want = Vec::new();
    flatten_mkdocs(yaml["nav"].as_array().unwrap(), &mut want);
    let config = syllabus::model::config::Config::parse(&site.read("syllabus.toml")).unwrap();
    let mut got = Vec::new();
    flatten_syllabus(config.nav.as_ref().unwrap(), &mut got);
    assert_eq!(got, want);
    assert_eq!(config.content_dir, Path::new("docs"));
    assert!(config.markdown.attributes, "attr_list maps to attributes");
    // A second import does not replace the file without --force.
    let again = site.run_in_root(&["import", "mkdocs"]);
    assert!(again.fails().contains("already exists"));
    assert_eq!(
        site.run_in_root(&["import", "mkdocs", "--force"]).code,
        Some(0)
    );
}

#[test]
fn the_imported_course_builds_every_page_and_asset() {
    let Some(site) = corpus() else { return };
    assert_eq!(site.run_in_root(&["import", "mkdocs"]).code, Some(0));
    let run = site.build_ok();
    let docs = site.path().join("docs");
    let public = site.path().join("public");
    let mut pages = 0;
    for rel in files_under(&docs) {
        let src = docs.join(&rel);
        if let Some(stem) = rel.strip_suffix(".md") {
            pages += 1;
            let name = stem.rsplit('/').next().unwrap().to_ascii_lowercase();
            let out = if ["index", "readme", "_index"].contains(&name.as_str()) {
                public
                    .join(stem.rsplit_once('/').map_or("", |(d, _)| d))
                    .join("index.html")
            } else {
                public.join(stem).join("index.html")
            };
            assert!(out.is_file(), "no page for {rel}: {}", out.display());
        } else {
            let copied = std::fs::read(public.join(&rel))
                .unwrap_or_else(|_| panic!("asset {rel} not copied"));
            assert_eq!(copied, std::fs::read(&src).unwrap(), "{rel} changed");
        }
    }
    assert_eq!(pages, 72);
    assert!(run.stdout.starts_with("Built 72 pages"), "{}", run.stdout);
    // The HTML slide decks' own images are where the decks look for them.
    let decks: Vec<String> = files_under(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html") && !f.ends_with("index.html") && f != "404.html")
        .collect();
    assert!(decks.len() >= 8, "{decks:?}");
    let mut images = 0;
    for deck in &decks {
        let html = std::fs::read_to_string(public.join(deck)).unwrap();
        let dir = public.join(deck).parent().unwrap().to_path_buf();
        for src in html
            .split("src=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
        {
            if src.contains("://") || src.starts_with("data:") || src.starts_with("//") {
                continue;
            }
            images += 1;
            assert!(dir.join(src).exists(), "{deck}: image {src} missing");
        }
    }
    assert!(images > 0);
    // A whole HTML document saved as .md is published as it is.
    let doc = "session_datasystems/data_servers_intro_for_researchers_edited_with_typora";
    assert_eq!(
        site.read(&format!("public/{doc}/index.html")),
        site.read(&format!("docs/{doc}.md"))
    );
    // A Marp deck becomes slides, without its <style> or directives.
    let deck = site.read(
        "public/session_introduction/lecture_introduction_to_cloud_computing_research/index.html",
    );
    assert!(deck.matches("<section class=\"slide\"").count() > 20);
    assert!(
        !deck.contains("font-size: 0.8em") && !deck.contains("_class: lead"),
        "Marp styles leaked"
    );
}

/// Every broken link and anchor the corpus really has (each checked against the
/// files: the target exists neither relative to the file nor relative to the
/// page's URL as MkDocs serves it, or the anchor is no heading id there). Links
/// inside HTML comments are not links.
const BROKEN: &[(&str, usize, &str, &str)] = &[
    ("cloud_glossary.md", 46, "anchor", "#blob-storage"),
    ("cloud_glossary.md", 56, "anchor", "#VM"),
    ("cloud_glossary.md", 56, "anchor", "#DevOps"),
    (
        "index2021/session_how_to_cloud/azure_portal_walkthrough.md",
        9,
        "link",
        "../cloud_glossary.md",
    ),
    (
        "index2021/session_how_to_cloud/azure_portal_walkthrough.md",
        10,
        "link",
        "../cloud_glossary.md#resource",
    ),
    (
        "index2021/session_how_to_cloud/azure_portal_walkthrough.md",
        10,
        "link",
        "../cloud_glossary.md#resource_group",
    ),
    (
        "index2021/session_how_to_cloud/azure_portal_walkthrough.md",
        10,
        "link",
        "../references",
    ),
    (
        "index2021/session_how_to_cloud/azure_portal_walkthrough.md",
        29,
        "link",
        "../contact.md",
    ),
    (
        "index2021/session_how_to_cloud/azure_vm_walkthrough.md",
        25,
        "link",
        "cloud_glossary/#client-server",
    ),
    (
        "index2021/session_how_to_cloud/azure_vm_walkthrough.md",
        84,
        "link",
        "../cloud_glossary/#cpu",
    ),
    (
        "index2021/session_how_to_cloud/azure_vm_walkthrough.md",
        176,
        "link",
        "../cloud_glossary/#cpu",
    ),
    (
        "index2021/session_how_to_cloud/azure_vm_walkthrough.md",
        243,
        "link",
        "../cloud_glossary/#ip-address",
    ),
    (
        "index2021/session_how_to_cloud/azure_windows_vm_walkthrough.md",
        86,
        "link",
        "../cloud_glossary/#cpu",
    ),
    (
        "index2021/session_how_to_cloud/azure_windows_vm_walkthrough.md",
        142,
        "link",
        "../cloud_glossary/#ip-address",
    ),
    (
        "index2021/session_how_to_cloud/costs/azure_cloud_cost_basics.md",
        9,
        "link",
        "../session_how_to_cloud",
    ),
    (
        "index2021/session_how_to_cloud/costs/azure_cloud_cost_basics.md",
        25,
        "link",
        "azure_organization",
    ),
    (
        "index2021/session_how_to_cloud/costs/azure_cloud_cost_basics.md",
        31,
        "link",
        "cloud_glossary/#tags",
    ),
    (
        "index2021/session_how_to_cloud/intro_to_cloud_interfaces.md",
        93,
        "link",
        "../references",
    ),
    (
        "index2021/session_introduction/index.md",
        4,
        "link",
        "../img/facing_the_atlantic_clouds_psbills_2021.gif",
    ),
    (
        "index2021/session_introduction/index.md",
        38,
        "link",
        "../contact.md",
    ),
    (
        "index2021/session_introduction/index.md",
        44,
        "link",
        "../references/DRAFT_cloud_computing_for_academic_research_parvizi_2021.pdf",
    ),
    (
        "index2021/session_introduction/index.md",
        76,
        "link",
        "../index.md#syllabus",
    ),
    (
        "index2021/session_introduction/index.md",
        101,
        "anchor",
        "#Activties",
    ),
    (
        "index2021/session_introduction/lecture_introduction_to_cloud_computing_research.md",
        89,
        "link",
        "../contact.md",
    ),
    (
        "session_how_to_cloud/azure_portal_walkthrough.md",
        10,
        "anchor",
        "#resource_group",
    ),
    (
        "session_how_to_cloud/azure_portal_walkthrough.md",
        126,
        "link",
        "intro_to_cloud_interfaces.md",
    ),
    (
        "session_how_to_cloud/azure_vm_walkthrough.md",
        23,
        "link",
        "msu-cloud-fellowship21-session2.pdf",
    ),
    (
        "session_how_to_cloud/azure_vm_walkthrough.md",
        25,
        "link",
        "cloud_glossary/#client-server",
    ),
    (
        "session_how_to_cloud/azure_windows_vm_walkthrough.md",
        14,
        "link",
        "msu-cloud-fellowship21-session2.pdf",
    ),
    (
        "session_introduction/index.md",
        6,
        "link",
        "../img/facing_the_atlantic_clouds_psbills_2021.gif",
    ),
    ("session_introduction/index.md", 81, "anchor", "#syllabus"),
    ("session_introduction/index.md", 144, "anchor", "#Activties"),
    (
        "session_organization/costs/azure_cloud_cost_basics.md",
        9,
        "link",
        "../session_how_to_cloud",
    ),
    (
        "session_organization/costs/azure_cloud_cost_basics.md",
        25,
        "link",
        "azure_organization",
    ),
    (
        "session_organization/costs/azure_cloud_cost_basics.md",
        31,
        "link",
        "cloud_glossary/#tags",
    ),
    (
        "session_organization/moving_data/how_to_hpc_and_cloudstorage.md",
        102,
        "link",
        "../session_cloud_storage/index.md",
    ),
    (
        "session_organization/moving_data/index.md",
        10,
        "link",
        "how_to_azure_files.md",
    ),
    (
        "session_organization/moving_data/moving_data_with_url_activity.md",
        41,
        "link",
        "../img/activities/storage_sas_url_form.png",
    ),
    (
        "session_serverless/docker_tutorial_for_researchers.md",
        9,
        "link",
        "docs/session_serverless/linux_containers_and_the_cloud.md",
    ),
];

#[test]
fn check_lists_the_real_broken_links_and_anchors() {
    let Some(site) = corpus() else { return };
    assert_eq!(site.run_in_root(&["import", "mkdocs"]).code, Some(0));
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        run.code,
        Some(0),
        "imported courses warn about broken links, as MkDocs does: {}",
        run.stderr
    );
    let problems: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let got: BTreeSet<(String, usize, String, String)> = problems
        .iter()
        .filter(|p| p["message"].as_str().unwrap().starts_with("broken"))
        .map(|p| {
            let message = p["message"].as_str().unwrap();
            let kind = if message.starts_with("broken anchor") {
                "anchor"
            } else {
                "link"
            };
            let dest = message.split('`').nth(1).unwrap().to_string();
            (
                p["file"].as_str().unwrap()[5..].to_string(),
                p["line"].as_u64().unwrap() as usize,
                kind.to_string(),
                dest,
            )
        })
        .collect();
    let want: BTreeSet<(String, usize, String, String)> = BROKEN
        .iter()
        .map(|(f, l, k, d)| (f.to_string(), *l, k.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(BROKEN.iter().filter(|b| b.2 == "link").count(), 32);
    assert_eq!(BROKEN.iter().filter(|b| b.2 == "anchor").count(), 7);
    // Some come with a suggestion (a close page or heading exists).
    let helped = problems
        .iter()
        .filter(|p| p["message"].as_str().unwrap().starts_with("broken") && p["help"].is_string())
        .count();
    assert!(helped >= 5, "{helped}");
}

#[test]
fn links_that_work_only_the_mkdocs_way_resolve_with_a_warning() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/glossary.md", "# Glossary\n\n## CPU\n")
        .file(
            "content/s1/index.md",
            "# S1\n[cpu](../glossary/#cpu) [cpu again](../glossary.md#cpu)\n",
        )
        .file(
            "content/s1/page.md",
            "# Page\n![g](../img/g.png) [s2](s2_page)\n",
        )
        .file("content/s1/img/g.png", "PNG")
        .file("content/s1/s2_page.md", "# S2 page\n");
    let run = site.build_ok();
    let s1 = site.main_of("public/s1/index.html");
    assert!(s1.contains("href=\"/glossary/#cpu\""), "{s1}");
    let page = site.main_of("public/s1/page/index.html");
    assert!(page.contains("src=\"/s1/img/g.png\""), "{page}");
    assert!(page.contains("href=\"/s1/s2_page/\""), "{page}");
    assert!(run.stderr.contains("warning[W061]: link `../img/g.png` works only relative to the page's URL (as MkDocs serves it)"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("write `img/g.png` so that it works on GitHub too"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/s1/page.md:2:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn attribute_lists_apply_to_images_links_and_headings() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"T\"\n[markdown]\nattributes = true\n")
        .file("content/index.md", "# Home\n\n![Photo](p.png){ align=right } Text.\n\n[Docs](https://x.org){:target=\"_blank\"}\n\n## Setup {: #install .big }\n\n![X](p.png){ onerror=alert(1) }\n\n## Steps {data-step=2 onclick=go()}\n")
        .file("content/p.png", "PNG");
    let run = site.build_ok();
    let html = site.main_of("public/index.html");
    assert!(
        html.contains("<img src=\"/p.png\" alt=\"Photo\" align=\"right\"> Text."),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://x.org\" target=\"_blank\">Docs</a>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"install\" class=\"big\">Setup<a"),
        "{html}"
    );
    assert!(!html.contains("{") && !html.contains("onerror"), "{html}");
    assert!(
        run.stderr.contains("attribute(s) onerror not applied"),
        "{}",
        run.stderr
    );
    assert!(
        html.contains("<h2 id=\"steps\" data-step=\"2\">Steps<a"),
        "{html}"
    );
    assert!(
        run.stderr
            .contains("attribute(s) onclick not applied: only id, class,"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/index.md:11:1"),
        "{}",
        run.stderr
    );
    // Off (the default, as on GitHub), the list stays text.
    site.file("syllabus.toml", "title = \"T\"\n");
    site.build_ok();
    assert!(
        site.main_of("public/index.html")
            .contains("{ align=right }")
    );
}

#[test]
fn pseudo_tags_in_prose_are_warned_about() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Home\n\nName it ccf22_<netid>_budget, or `ccf22_<netid>` in code.\n",
    );
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("warning[W045]: `<netid>` is not an HTML element"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/index.md:3:15"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("<netid>` is not").count(),
        1,
        "code spans are not warned about"
    );
}

#[test]
fn html_documents_and_marp_decks() {
    let site = Site::new();
    site.file("content/index.md", "# Home\n[deck](deck.md) [doc](doc.md)\n")
        .file("content/doc.md", "<!DOCTYPE html>\n<html><head><title>Old slides</title></head><body>Hi</body></html>\n")
        .file("content/deck.md", "---\nmarp: true\ntheme: gaia\nstyle: |\n  h1 { color: red }\n---\n<style>li { font-size: 2em }</style>\n\n# First\n<!-- _class: lead -->\n\n---\n\n## Second\n\n[home](index.md)\n\n---\n\n## Third [bad](nope.md)\n");
    let err = site.build().fails();
    assert!(err.contains("broken link `nope.md`"), "{err}");
    assert!(
        err.contains("--> content/deck.md:20:10"),
        "line numbers count the whole file: {err}"
    );
    site.file(
        "content/deck.md",
        &site.read("content/deck.md").replace("[bad](nope.md)", ""),
    );
    let run = site.build_ok();
    assert!(
        !run.stderr.contains("unknown front matter key"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.read("public/doc/index.html"),
        site.read("content/doc.md")
    );
    assert!(
        site.read("public/index.html").contains("Old slides"),
        "title from <title>"
    );
    let deck = site.read("public/deck/index.html");
    assert_eq!(
        deck.matches("<section class=\"slide\"").count(),
        3,
        "{deck}"
    );
    assert!(deck.contains("assets/slides.js"));
    assert!(
        !deck.contains("font-size: 2em")
            && !deck.contains("_class")
            && !deck.contains("color: red"),
        "{deck}"
    );
}

#[test]
fn explicit_nav_orders_pages_and_reports_problems() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\nnav = [\n  \"index.md\",\n  { title = \"Week 2\", page = \"b.md\" },\n  { title = \"Extras\", children = [\"a.md\", { title = \"Web\", url = \"https://x.org\" }] },\n]\n",
    )
    .file("content/index.md", "# Home\n")
    .file("content/a.md", "# A\n")
    .file("content/b.md", "# B\n")
    .file("content/unlisted.md", "# Unlisted\n");
    let run = site.build_ok();
    assert!(
        run.stderr.contains("warning[W060]: orphan page"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/unlisted.md"),
        "{}",
        run.stderr
    );
    assert!(
        site.exists("public/unlisted/index.html"),
        "unlisted pages are still built"
    );
    let b = site.read("public/b/index.html");
    let (week2, extras, a) = (
        b.find(">Week 2<").unwrap(),
        b.find(">Extras<").unwrap(),
        b.find(">A<").unwrap(),
    );
    assert!(week2 < extras && extras < a, "sidebar follows nav");
    assert!(b.contains("href=\"https://x.org\""));
    let a_page = site.read("public/a/index.html");
    assert!(
        a_page.contains("href=\"/b/\""),
        "prev of a is b, in nav order"
    );
    site.file("syllabus.toml", "title = \"T\"\nnav = [\n  \"index.md\",\n  \"c.md\",\n  { titel = \"x\", page = \"a.md\" },\n]\n");
    let err = site.build().fails();
    assert!(err.contains("unknown key `titel` in `[nav]`"), "{err}");
    site.file(
        "syllabus.toml",
        "title = \"T\"\nnav = [\n  \"index.md\",\n  \"c.md\",\n]\n",
    );
    let err = site.build().fails();
    assert!(
        err.contains("nav lists `c.md`, which is not a page of `content`"),
        "{err}"
    );
    assert!(err.contains("--> syllabus.toml:4"), "{err}");
    assert!(
        err.contains("did you mean `a.md`?") || err.contains("did you mean `b.md`?"),
        "{err}"
    );
}

/// `import mkdocs` carries `site_url` and `site_description` over, names the
/// `meta` extension it drops, and adds what `build` writes to `.gitignore`
/// once, however often it runs.
#[test]
fn import_fills_gitignore_once_and_carries_the_site_settings() {
    let site = Site::new();
    site.file(
        "mkdocs.yml",
        "site_name: Course\nsite_url: https://example.github.io/course/\nsite_description: A course on clouds.\nmarkdown_extensions:\n  - meta\n",
    )
    .file(".gitignore", "site/\npublic");
    let run = site.run_in_root(&["import", "mkdocs", "--force"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout
            .contains("Added to .gitignore: /.public.*/, /.public.lock, /.syllabus-cache/"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("meta → front matter is read between `---` lines"),
        "{}",
        run.stdout
    );
    let gitignore = site.read(".gitignore");
    assert!(gitignore.starts_with("site/\npublic\n\n# "), "{gitignore}");
    assert!(
        gitignore.ends_with("\n/.public.*/\n/.public.lock\n/.syllabus-cache/\n"),
        "{gitignore}"
    );
    let config = syllabus::model::config::Config::parse(&site.read("syllabus.toml")).unwrap();
    assert_eq!(config.base_url, "https://example.github.io/course/");
    assert_eq!(config.description, "A course on clouds.");

    let again = site.run_in_root(&["import", "mkdocs", "--force"]);
    assert!(!again.stdout.contains(".gitignore"), "{}", again.stdout);
    assert_eq!(site.read(".gitignore"), gitignore);

    std::fs::remove_file(site.path().join(".gitignore")).unwrap();
    site.run_in_root(&["import", "mkdocs", "--force"]);
    assert_eq!(
        site.read(".gitignore")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        [
            "/public/",
            "/.public.*/",
            "/.public.lock",
            "/.syllabus-cache/"
        ]
    );
}

/// Last year's schedule `y2021.md` (served at `/y2021/`) links `session_1`: on
/// the MkDocs site, last year's session; on GitHub, this year's.
fn two_year_course(relative_to: &str) -> Site {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        &format!("title = \"T\"\n[links]\nrelative_to = \"{relative_to}\"\n"),
    )
    .file(
        "content/index.md",
        "# Home\n\n[this year](session_1/index.md) [last year](y2021.md)\n",
    )
    .file("content/session_1/index.md", "# Session 1 (2022)\n")
    .file(
        "content/y2021.md",
        "# 2021\n\n[Session 1](session_1) and [its files](session_1/index.md)\n",
    )
    .file(
        "content/y2021/session_1/index.md",
        "# Session 1 (2021)\n\n[home](../../index.md)\n",
    );
    site
}

#[test]
fn relative_to_url_keeps_the_links_of_the_mkdocs_site() {
    let site = two_year_course("url");
    let run = site.build_ok();
    let main = site.main_of("public/y2021/index.html");
    assert!(
        main.contains("href=\"/y2021/session_1/\">Session 1</a>"),
        "{main}"
    );
    // A link to a `.md` file is read from the file by MkDocs too.
    assert!(
        main.contains("href=\"/session_1/\">its files</a>"),
        "{main}"
    );
    assert!(
        run.stderr.contains("warning[W061]: link `session_1` leads to `content/y2021/session_1/index.md` from the page's URL"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("on GitHub, which reads it from the file, to `content/session_1/index.md`; write `y2021/session_1/index.md`"),
        "{}",
        run.stderr
    );
    for mode in ["url", "file"] {
        let site = two_year_course(mode);
        let check = site.run(&["check"]);
        assert_eq!(check.code, Some(0), "{}", check.all());
        assert_eq!(
            check.stdout.matches("link `session_1`").count(),
            1,
            "each ambiguous link once ({mode}):\n{}",
            check.stdout
        );
        assert_eq!(
            check.stdout.matches("warning[W061]:").count(),
            1,
            "{}",
            check.stdout
        );
    }
}

#[test]
fn relative_to_file_is_the_default_and_names_the_mkdocs_target() {
    let site = two_year_course("file");
    let run = site.build_ok();
    let main = site.main_of("public/y2021/index.html");
    assert!(
        main.contains("href=\"/session_1/\">Session 1</a>"),
        "{main}"
    );
    assert!(
        run.stderr.contains("syllabus uses `content/session_1/index.md`; write `session_1/index.md` to keep it, or `y2021/session_1/index.md` for the MkDocs target"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_corpus_keeps_its_mkdocs_links_and_has_nothing_to_rewrite() {
    let Some(site) = corpus() else { return };
    let run = site.run_in_root(&["import", "mkdocs", "--rewrite"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("nothing to rewrite"), "{}", run.stdout);
    site.build_ok();
    // Last year's schedule leads to last year's sessions, as on the MkDocs site.
    let schedule = site.main_of("public/index2021/index.html");
    for session in [
        "session_introduction",
        "session_how_to_cloud",
        "session_cloud_storage",
        "session_moving_data",
        "session_bigdata",
        "session_datasystems",
        "session_serverless",
    ] {
        assert!(
            schedule.contains(&format!("href=\"/index2021/{session}/\"")),
            "{session}: {schedule}"
        );
    }
}
