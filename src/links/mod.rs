//! Stage 2: the URL index (every page's URL, known before rendering), and
//! stage 4: the link graph (anchors checked, backlinks, prev/next).

mod graph;
mod resolve;

pub use graph::{LinkGraph, build_graph};
pub use resolve::{Resolved, resolve, resolve_noted};

use std::collections::{HashMap, HashSet};

use crate::content::{Course, PageId};

/// Where each page, folder and file of the site will be.
#[derive(Debug, Default)]
pub struct UrlIndex {
    /// Base path of the site, `/` or `/course/`.
    pub base_path: String,
    /// The content folder's name, for repository-root links (`/content/x.md`).
    pub content_name: String,
    /// Page source path (relative to content) → page.
    pub by_source: HashMap<String, PageId>,
    /// Folder (relative to content, no trailing slash) → its section's page.
    pub by_dir: HashMap<String, PageId>,
    /// Folders that hold pages but have no page of their own.
    pub bare_dirs: HashSet<String>,
    /// URL path (decoded, `a/b/`) → page, for site-absolute links.
    pub by_url: HashMap<String, PageId>,
    /// Assets under content (relative paths).
    pub assets: HashSet<String>,
    /// Files of `static/` and the theme's `static/`, relative to the site root.
    pub static_files: HashSet<String>,
    /// Drafts left out of this build.
    pub drafts: HashSet<String>,
    /// URL of each page, encoded, with the base path (`/course/session_x/`).
    pub urls: Vec<String>,
    /// Source path of each page (relative to content).
    pub sources: Vec<String>,
    /// Source paths of the folders' own pages.
    pub section_pages: HashSet<String>,
}

impl UrlIndex {
    pub fn new(course: &Course, base_path: &str, static_files: HashSet<String>) -> UrlIndex {
        let mut index = UrlIndex {
            base_path: base_path.to_string(),
            content_name: course.content_name.clone(),
            static_files,
            assets: course.assets.iter().cloned().collect(),
            drafts: course.drafts.iter().cloned().collect(),
            ..UrlIndex::default()
        };
        for (id, page) in course.pages.iter().enumerate() {
            index.by_source.insert(page.source.clone(), id);
            index.by_url.insert(page.url_path.clone(), id);
            index.urls.push(index.url_for(&page.url_path));
            index.sources.push(page.source.clone());
            if page.is_index {
                index.section_pages.insert(page.source.clone());
            }
        }
        for section in &course.sections {
            match section.index {
                Some(p) => {
                    index.by_dir.insert(section.dir.clone(), p);
                }
                None => {
                    index.bare_dirs.insert(section.dir.clone());
                }
            }
        }
        index
    }

    /// Whether `source` is a folder's own page (its URL is its folder's).
    pub fn is_section_page(&self, source: &str) -> bool {
        self.section_pages.contains(source)
    }

    /// The site URL of a path relative to the site root, percent-encoded.
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{}", self.base_path, encode_path(path))
    }
}

/// Percent-encodes what may not stand in a URL path (spaces, quotes, non-ASCII …).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid escapes are kept as written.
pub fn decode_path(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode() {
        assert_eq!(encode_path("a b/é.png"), "a%20b/%C3%A9.png");
        assert_eq!(decode_path("a%20b/%C3%A9.png"), "a b/é.png");
        assert_eq!(decode_path("100%"), "100%");
        assert_eq!(decode_path("%zz"), "%zz");
    }
}
