//! Files of the site beyond its pages: alias redirects, `sitemap.xml`,
//! `robots.txt` and an Atom feed (the search index is `outputs::search`).

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::{Course, Redirect, UrlIndex};

/// Files every build may write at fixed paths, besides pages, assets and static files.
pub const FIXED_FILES: &[&str] = &[
    "404.html",
    crate::outputs::search::INDEX_FILE,
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "assets/highlight.css",
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
struct Layout {
    /// File path → who writes it (`the URL of `content/a.md``).
    files: HashMap<String, String>,
    /// Every folder that holds a file.
    folders: HashMap<String, String>,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            files: HashMap::new(),
            folders: HashMap::new(),
        }
    }

    /// Who already writes `file`, a file where one of its folders goes, or a folder where it goes.
    fn clash(&self, file: &str) -> Option<&String> {
        self.files
            .get(file)
            .or_else(|| self.folders.get(file))
            .or_else(|| folders_of(file).find_map(|d| self.files.get(d)))
    }

    fn claim(&mut self, file: String, owner: String) {
        for d in folders_of(&file) {
            self.folders
                .entry(d.to_string())
                .or_insert_with(|| owner.clone());
        }
        self.files.insert(file, owner);
    }
}

/// `a/b/c.html` → `a/b`, `a`.
fn folders_of(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').rev().map(|(i, _)| &file[..i])
}

/// Every page's aliases as redirects, and every clash between the files of the
/// site: an alias, a co-located file or a static file that would replace a
/// page or another file, or need a folder where a file goes (or the reverse),
/// is an error. `content` names the content folder as the user does.
pub fn aliases_and_clashes(
    course: &Course,
    index: &UrlIndex,
    content: &str,
) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut layout = Layout::new();
    for p in &course.pages {
        layout.claim(
            redirect_file(&p.url_path),
            format!("the URL of `{}`", p.file),
        );
    }
    for f in FIXED_FILES {
        layout.claim(f.to_string(), format!("`{f}`, which every build writes"));
    }
    let mut diags = Vec::new();
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
            Some(other) if !replaces_generated => diags.push(
                Diagnostic::error(
                    &shown,
                    format!("{kind} `{shown}` and {other} need the same place in the site"),
                )
                .with_help("rename one of them"),
            ),
            _ => layout.claim(path.clone(), format!("{kind} `{shown}`")),
        }
    }
    let mut redirects = Vec::new();
    for (id, page) in course.pages.iter().enumerate() {
        for alias in &page.front.aliases {
            let path = alias_path(alias, &index.base_path);
            if path.is_empty() || path.split('/').any(|p| p == "..") {
                diags.push(
                    Diagnostic::error(
                        &page.file,
                        format!("alias `{alias}` is not a usable URL path"),
                    )
                    .with_help("write aliases as site paths such as \"/old/page/\""),
                );
                continue;
            }
            let file = redirect_file(&path);
            if let Some(other) = layout.clash(&file) {
                diags.push(
                    Diagnostic::error(
                        &page.file,
                        format!("alias `{alias}` of `{}` is already {other}", page.file),
                    )
                    .with_help("remove the alias, or change it to a URL nothing else uses"),
                );
                continue;
            }
            layout.claim(file, format!("an alias of `{}`", page.file));
            redirects.push(Redirect {
                path,
                to: index.urls[id].clone(),
            });
        }
    }
    (redirects, diags)
}

/// `/course/old/page` → `old/page/` (relative to the site root, with a trailing slash).
fn alias_path(alias: &str, base_path: &str) -> String {
    let a = alias.trim();
    let a = a
        .strip_prefix(base_path)
        .unwrap_or(a)
        .trim_start_matches('/');
    let a = crate::util::url::decode_path(a);
    if a.is_empty() || a.ends_with('/') || a.ends_with(".html") {
        a
    } else {
        format!("{a}/")
    }
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

fn xml_escape(s: &str) -> String {
    crate::util::html::escape(s).replace('\'', "&apos;")
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
            xml_escape(&absolute(origin, &index.urls[p], &index.base_path))
        ));
        if let Some(date) = page.updated.as_deref().or(page.front.date.as_deref()) {
            xml.push_str(&format!(
                "<lastmod>{}</lastmod>",
                xml_escape(&date[..date.len().min(10)])
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
    let mut dated: Vec<(&str, usize)> = course
        .order
        .iter()
        .filter_map(|&p| {
            let page = &course.pages[p];
            page.front
                .date
                .as_deref()
                .or(page.updated.as_deref())
                .map(|d| (&d[..d.len().min(10)], p))
        })
        .collect();
    dated.sort_by(|a, b| b.0.cmp(a.0));
    dated.truncate(FEED_ENTRIES);
    let home = absolute(&origin, &index.base_path, &index.base_path);
    let updated = dated.first().map_or("1970-01-01", |d| d.0);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <generator>syllabus</generator>\n",
        xml_escape(&config.title),
        xml_escape(&home),
        xml_escape(&absolute(
            &origin,
            &format!("{}atom.xml", index.base_path),
            &index.base_path
        )),
        xml_escape(&home),
    );
    for (date, p) in dated {
        let page = &course.pages[p];
        let url = xml_escape(&absolute(&origin, &index.urls[p], &index.base_path));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{date}T00:00:00Z</updated>\n",
            xml_escape(&page.title)
        ));
        if let Some(d) = &page.front.description {
            xml.push_str(&format!("    <summary>{}</summary>\n", xml_escape(d)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
