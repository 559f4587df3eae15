//! Where each page, folder and file of the site will be: known before any
//! page is rendered, so links can be resolved while rendering.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::course::{Course, PageId};
use crate::util::url::encode_path;

/// Where the generated key points page goes, under the site's base path.
pub const KEYPOINTS_PATH: &str = "keypoints/";

/// The folder of the instructor view, under the site's base path.
pub const INSTRUCTOR_DIR: &str = "instructor/";

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

    /// A hash of everything a link may resolve to: same fingerprint, same
    /// resolution of every link.
    pub fn fingerprint(&self) -> u64 {
        fn sorted<'a>(items: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
            let mut v: Vec<&String> = items.collect();
            v.sort();
            v
        }
        let mut h = DefaultHasher::new();
        (
            &self.base_path,
            &self.content_name,
            &self.urls,
            &self.sources,
        )
            .hash(&mut h);
        let mut dirs: Vec<(&String, &PageId)> = self.by_dir.iter().collect();
        dirs.sort();
        dirs.hash(&mut h);
        for set in [
            &self.bare_dirs,
            &self.assets,
            &self.static_files,
            &self.drafts,
            &self.section_pages,
        ] {
            sorted(set.iter()).hash(&mut h);
        }
        h.finish()
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
