//! Files of the site beyond its pages: alias redirects, `sitemap.xml`,
//! `robots.txt` and an Atom feed (the search index is `outputs::search`).

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Course, PageDate, Redirect, RenderedPage, UrlIndex};
use crate::util::site_path;

/// File at the root of the output that marks the folder as made by syllabus.
pub const MARKER: &str = ".syllabus-output";

/// Files every build may write at fixed paths, besides pages, assets and static files.
pub const FIXED_FILES: &[&str] = &[
    "404.html",
    crate::outputs::search::INDEX_FILE,
    "sitemap.xml",
    "atom.xml",
    crate::outputs::calendar::FILE,
    "robots.txt",
    "assets/highlight.css",
    crate::outputs::glossary::FILE,
    crate::outputs::azure::CONFIG_FILE,
];

/// The file a redirect is written to, relative to the site root.
pub fn redirect_file(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// Who writes each file of the site, to refuse a second writer for a path.
/// Paths are compared by [`site_path::key`]: what a case-insensitive host sees as one file is one.
struct Layout {
    /// Key of a file → its path as written, and who writes it (`the URL of `content/a.md``).
    files: HashMap<String, (String, String)>,
    /// Key of every folder that holds a file → who needs it.
    folders: HashMap<String, String>,
}

/// Who already has the place of a file, and whether that owner spells its path differently.
struct Clash<'a> {
    owner: &'a str,
    other_spelling: Option<&'a str>,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            files: HashMap::new(),
            folders: HashMap::new(),
        }
    }

    /// Who already writes `file`, a file where one of its folders goes, or a folder where it goes.
    fn clash(&self, file: &str) -> Option<Clash<'_>> {
        let key = site_path::key(file);
        if let Some((path, owner)) = self.files.get(&key) {
            return Some(Clash {
                owner,
                other_spelling: (path != file).then_some(path.as_str()),
            });
        }
        let owner = self
            .folders
            .get(&key)
            .or_else(|| folders_of(&key).find_map(|d| self.files.get(d).map(|(_, o)| o)))?;
        Some(Clash {
            owner,
            other_spelling: None,
        })
    }

    fn claim(&mut self, file: &str, owner: String) {
        let key = site_path::key(file);
        for d in folders_of(&key) {
            self.folders
                .entry(d.to_string())
                .or_insert_with(|| owner.clone());
        }
        self.files.insert(key, (file.to_string(), owner));
    }
}

/// `a/b/c.html` → `a/b`, `a`.
fn folders_of(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').rev().map(|(i, _)| &file[..i])
}

/// The help for a clash, naming the other spelling when only case or Unicode form differ.
fn clash_help(start: &str, file: &str, clash: &Clash) -> String {
    match clash.other_spelling {
        Some(other) => format!(
            "{start}: `{file}` and `{other}` are one file on hosts and systems that ignore case or Unicode form (Azure Static Web Apps, macOS, Windows)"
        ),
        None => start.to_string(),
    }
}

/// Every page's aliases as redirects, and every clash between the files of the
/// site: an alias, a co-located file, a static file or a page's own file (a
/// notebook's output image) that would replace a page or another file, or
/// need a folder where a file goes (or the reverse), is an error. `content`
/// names the content folder as the user does.
pub fn aliases_and_clashes(
    course: &Course,
    index: &UrlIndex,
    rendered: &[RenderedPage],
    content: &str,
) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut layout = Layout::new();
    for p in &course.pages {
        layout.claim(
            &redirect_file(&p.url_path),
            format!("the URL of `{}`", p.file),
        );
    }
    for f in FIXED_FILES {
        layout.claim(f, format!("`{f}`, which every build writes"));
    }
    layout.claim(
        MARKER,
        format!("`{MARKER}`, the file that marks the output folder as made by syllabus"),
    );
    let mut diags = copied_file_clashes(course, index, rendered, content, &mut layout);
    let mut redirects = Vec::new();
    for (id, page) in course.pages.iter().enumerate() {
        for alias in &page.front.aliases {
            let path = match alias_path(alias, &index.base_path) {
                Ok(path) => path,
                Err(why) => {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidAlias,
                            &page.file,
                            format!("alias `{alias}` is not a usable URL path: {why}"),
                        )
                        .with_help("write aliases as site paths such as \"/old/page/\""),
                    );
                    continue;
                }
            };
            let file = redirect_file(&path);
            if let Some(clash) = layout.clash(&file) {
                let help = clash_help(
                    "remove the alias, or change it to a URL nothing else uses",
                    &file,
                    &clash,
                );
                diags.push(
                    Diagnostic::error(
                        Code::OutputClash,
                        &page.file,
                        format!(
                            "alias `{alias}` of `{}` is already {}",
                            page.file, clash.owner
                        ),
                    )
                    .with_help(help),
                );
                continue;
            }
            layout.claim(&file, format!("an alias of `{}`", page.file));
            redirects.push(Redirect {
                path,
                to: index.urls[id].clone(),
            });
        }
    }
    (redirects, diags)
}

/// Claims the places of co-located and static files; a clash with a page or another file is an error.
fn copied_file_clashes(
    course: &Course,
    index: &UrlIndex,
    rendered: &[RenderedPage],
    content: &str,
    layout: &mut Layout,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (page, r) in course.pages.iter().zip(rendered) {
        for (path, _) in &r.files {
            let owner = format!("the output image `{path}` of `{}`", page.file);
            match layout.clash(path) {
                Some(clash) => diags.push(
                    Diagnostic::error(
                        Code::OutputClash,
                        &page.file,
                        format!(
                            "{owner} and {} need the same place in the site",
                            clash.owner
                        ),
                    )
                    .with_help(clash_help(
                        "rename the other file or the notebook",
                        path,
                        &clash,
                    )),
                ),
                None => layout.claim(path, owner),
            }
        }
    }
    let mut static_files: Vec<&String> = index.static_files.iter().collect();
    static_files.sort();
    let others = course
        .assets
        .iter()
        .map(|f| (f, format!("{content}/{f}"), "the file"))
        .chain(
            static_files
                .into_iter()
                .map(|f| (f, f.clone(), "the static file")),
        );
    for (path, shown, kind) in others {
        // The course's own file may replace one the build writes (its own robots.txt).
        let replaces_generated = FIXED_FILES.contains(&path.as_str());
        match layout.clash(path) {
            Some(clash) if !replaces_generated => {
                let help = clash_help("rename one of them", path, &clash);
                diags.push(
                    Diagnostic::error(
                        Code::OutputClash,
                        &shown,
                        format!(
                            "{kind} `{shown}` and {} need the same place in the site",
                            clash.owner
                        ),
                    )
                    .with_help(help),
                );
            }
            _ => layout.claim(path, format!("{kind} `{shown}`")),
        }
    }
    diags
}

/// `/course/old/./page` → `old/page/`: the alias as a file path relative to the
/// site root (with a trailing slash unless it names an `.html` file); `""` is the home page.
fn alias_path(alias: &str, base_path: &str) -> Result<String, site_path::Unusable> {
    let mut path = site_path::clean_url_path(alias)?;
    if !path.is_empty() && !path.ends_with('/') && !path.ends_with(".html") {
        path.push('/');
    }
    let base = site_path::clean_url_path(base_path).unwrap_or_default();
    Ok(match path.strip_prefix(&base) {
        Some(rest) if !base.is_empty() => rest.to_string(),
        _ => path,
    })
}

/// The HTML of a redirect page (for hosts without redirect rules, and `serve`).
pub fn redirect_html(to: &str) -> String {
    let to = crate::util::html::escape(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Absolute form of a site URL (`/course/x/` → `https://example.org/course/x/`);
/// with a path-only `base_url` the URL stays relative.
fn absolute(origin: &str, url: &str, base_path: &str) -> String {
    let under_base = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    if origin.contains("://") {
        format!("{origin}/{under_base}")
    } else {
        url.to_string()
    }
}

/// `sitemap.xml`: every page, with its last-modified date when known.
pub fn sitemap(course: &Course, index: &UrlIndex, origin: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &p in &course.order {
        let page = &course.pages[p];
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            crate::util::html::xml_escape(&absolute(origin, &index.urls[p], &index.base_path))
        ));
        let day = page.front.date.map(|d| d.day());
        if let Some(date) = page.updated.as_ref().or(day.as_ref()) {
            xml.push_str(&format!(
                "<lastmod>{}</lastmod>",
                crate::util::html::xml_escape(date)
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be indexed; the sitemap is named when the URL is absolute.
pub fn robots(origin: &str) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if origin.contains("://") {
        text.push_str(&format!("Sitemap: {origin}/sitemap.xml\n"));
    }
    text
}

/// Most entries an Atom feed lists.
const FEED_ENTRIES: usize = 50;

/// `atom.xml`: the pages with a date, newest first.
pub fn feed(course: &Course, index: &UrlIndex, config: &crate::model::config::Config) -> String {
    let origin = config.site_origin_url();
    let mut dated: Vec<(PageDate, usize)> = course
        .order
        .iter()
        .filter_map(|&p| {
            let page = &course.pages[p];
            let updated = || page.updated.as_deref().and_then(PageDate::parse);
            page.front.date.or_else(updated).map(|d| (d, p))
        })
        .collect();
    // Newest first; the same instant keeps course order.
    dated.sort_by_key(|(d, _)| std::cmp::Reverse(d.instant()));
    dated.truncate(FEED_ENTRIES);
    let home = absolute(&origin, &index.base_path, &index.base_path);
    let updated = dated
        .first()
        .map_or("1970-01-01T00:00:00Z".to_string(), |d| d.0.rfc3339());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <generator>syllabus</generator>\n",
        crate::util::html::xml_escape(&config.title),
        crate::util::html::xml_escape(&home),
        crate::util::html::xml_escape(&absolute(
            &origin,
            &format!("{}atom.xml", index.base_path),
            &index.base_path
        )),
        crate::util::html::xml_escape(&home),
    );
    for (date, p) in dated {
        let page = &course.pages[p];
        let url =
            crate::util::html::xml_escape(&absolute(&origin, &index.urls[p], &index.base_path));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{}</updated>\n",
            crate::util::html::xml_escape(&page.title),
            date.rfc3339()
        ));
        if let Some(d) = &page.front.description {
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                crate::util::html::xml_escape(d)
            ));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
