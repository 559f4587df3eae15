//! Files of the site beyond its pages: the search index and alias redirects.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::Course;
use crate::diagnostics::Diagnostic;
use crate::links::UrlIndex;
use crate::markdown::RenderedPage;

/// Distinct words of page text kept per page in the search index, to keep it small:
/// titles and headings are always searchable, the body by its first distinct words.
const SEARCH_TEXT_WORDS: usize = 120;

#[derive(Serialize)]
struct SearchIndex<'a> {
    v: u32,
    pages: Vec<SearchEntry<'a>>,
}

#[derive(Serialize)]
struct SearchEntry<'a> {
    t: &'a str,
    u: &'a str,
    s: &'a str,
    h: &'a [(String, String)],
    x: String,
}

/// `search-index.json`: titles, headings and the start of each page's text.
pub fn search_index(course: &Course, rendered: &[RenderedPage], index: &UrlIndex) -> Vec<u8> {
    let pages = course
        .order
        .iter()
        .map(|&p| {
            let page = &course.pages[p];
            let section = if page.is_index {
                ""
            } else {
                course.section_title(page.section)
            };
            SearchEntry {
                t: &page.title,
                u: &index.urls[p],
                s: section,
                h: &rendered[p].headings,
                x: search_words(&rendered[p].text),
            }
        })
        .collect();
    serde_json::to_vec(&SearchIndex { v: 1, pages }).unwrap_or_default()
}

/// The first distinct words (lower case, three letters or more) of a page's text.
fn search_words(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_') {
        let word = word.trim_matches(|c| c == '-' || c == '_').to_lowercase();
        if word.chars().count() >= 3 && seen.insert(word.clone()) {
            words.push(word);
            if words.len() == SEARCH_TEXT_WORDS {
                break;
            }
        }
    }
    words.join(" ")
}

/// A redirect to publish: its path under the site root and the page URL it points to.
pub struct Redirect {
    pub path: String,
    pub to: String,
}

/// Every page's aliases as redirects; an alias that collides with a page or another alias is an error.
pub fn aliases(course: &Course, index: &UrlIndex) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut taken: HashMap<String, &str> = course
        .pages
        .iter()
        .map(|p| (p.url_path.clone(), p.file.as_str()))
        .collect();
    let mut redirects = Vec::new();
    let mut diags = Vec::new();
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
            if let Some(other) = taken.get(&path) {
                diags.push(
                    Diagnostic::error(
                        &page.file,
                        format!(
                            "alias `{alias}` of `{}` is already the URL of `{other}`",
                            page.file
                        ),
                    )
                    .with_help("remove the alias from one of the two pages"),
                );
                continue;
            }
            taken.insert(path.clone(), &page.file);
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
    let a = crate::links::decode_path(a);
    if a.is_empty() || a.ends_with('/') || a.ends_with(".html") {
        a
    } else {
        format!("{a}/")
    }
}

/// The HTML of a redirect page (for hosts without redirect rules, and `serve`).
pub fn redirect_html(to: &str) -> String {
    let to = crate::markdown::highlight::escape(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
}
