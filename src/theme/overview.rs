//! The course overview: the sessions in course order with their descriptions
//! and sizes, the other top-level pages, and how many pages the site has.
//! The default theme shows it on the home page only when the page asks for it
//! (`overview = true`); any template may use it (`overview`).
//!
//! A session is what the author says it is. With `nav`: a top-level entry
//! that holds entries is a group; a group without a page of its own is a
//! heading and each of its entries is a session, a group with one is a
//! session. A `nav` without groups makes each top-level entry that leads to
//! a folder's own page (`session_1/index.md`) a session. Without `nav`: each
//! top-level folder that holds a Markdown page is a session; a folder without
//! one is a heading over its subfolders' sessions. Every other top-level page
//! or link is listed with the other pages. Folders of assets, and pages `nav`
//! does not list, are never sessions.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{Course, NavNode, NavTarget, PageId, SectionId, UrlIndex};

/// The overview of the whole course, serialised once per build.
#[derive(Serialize, Debug, Default, PartialEq)]
pub struct Overview {
    /// In course order.
    pub sessions: Vec<Session>,
    /// Top-level pages and links that are not sessions, in course order.
    pub pages: Vec<OverviewLink>,
    /// How many pages the site publishes (what `build` reports), home included.
    pub page_count: usize,
}

/// One session of the overview.
#[derive(Serialize, Debug, PartialEq)]
pub struct Session {
    pub title: String,
    /// Its own page, or its first page when it has none.
    pub url: String,
    pub description: Option<String>,
    /// How many pages it holds, its own page included: with `nav`, the pages
    /// its entries list; without, the pages of its folder and subfolders.
    pub pages: usize,
    /// The heading it is listed under (a `nav` group or a folder without a
    /// page of its own); empty when it stands at the top level.
    pub group: String,
    /// Its own page, which holds its date, place and description.
    #[serde(skip)]
    pub page: Option<PageId>,
}

/// A top-level page or link that is not a session.
#[derive(Serialize, Debug, PartialEq)]
pub struct OverviewLink {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    /// Whether it leads off the site (a `url` entry of `nav`).
    pub external: bool,
}

/// The overview of `course`, following `nav` when there is one.
pub fn overview(course: &Course, index: &UrlIndex) -> Overview {
    let mut out = Overview {
        page_count: course.pages.len(),
        ..Overview::default()
    };
    let source = Source { course, index };
    match &course.nav {
        Some(nodes) => source.follow_nav(nodes, &mut out),
        None => source.follow_folders(&mut out),
    }
    out
}

struct Source<'a> {
    course: &'a Course,
    index: &'a UrlIndex,
}

impl Source<'_> {
    fn follow_nav(&self, nodes: &[NavNode], out: &mut Overview) {
        // Groups, when the author made some, say where the sessions are;
        // otherwise the folders' own pages do.
        let grouped = nodes.iter().any(|n| !n.children.is_empty());
        for node in nodes {
            if node.target == NavTarget::Group {
                for child in &node.children {
                    self.nav_entry(child, &node.title, true, out);
                }
                continue;
            }
            let session = match node.target {
                _ if !node.children.is_empty() => true,
                NavTarget::Page(id) => !grouped && self.is_folder_page(id),
                _ => false,
            };
            self.nav_entry(node, "", session, out);
        }
    }

    /// A session (when `session` and the entry holds a page) or a link among
    /// the other pages.
    fn nav_entry(&self, node: &NavNode, group: &str, session: bool, out: &mut Overview) {
        let mut pages = Vec::new();
        nav_pages(node, &mut pages, &mut BTreeSet::new());
        let own = match node.target {
            NavTarget::Page(id) => Some(id),
            _ => None,
        };
        if session && let Some(&first) = pages.first() {
            out.sessions.push(Session {
                title: node.title.clone(),
                url: self.index.urls[own.unwrap_or(first)].clone(),
                description: own.and_then(|id| self.description(id)),
                pages: pages.len(),
                group: group.to_string(),
                page: own,
            });
            return;
        }
        let (url, external) = match &node.target {
            NavTarget::Page(id) => (self.index.urls[*id].clone(), false),
            NavTarget::Url(u) => (u.clone(), true),
            NavTarget::Group => match pages.first() {
                Some(&p) => (self.index.urls[p].clone(), false),
                None => return,
            },
        };
        out.pages.push(OverviewLink {
            title: node.title.clone(),
            url,
            description: own.and_then(|id| self.description(id)),
            external,
        });
    }

    fn follow_folders(&self, out: &mut Overview) {
        let root = &self.course.sections[0];
        for &p in &root.pages {
            out.pages.push(OverviewLink {
                title: self.course.pages[p].title.clone(),
                url: self.index.urls[p].clone(),
                description: self.description(p),
                external: false,
            });
        }
        for &sub in &root.subsections {
            self.folder(sub, "", out);
        }
    }

    /// A folder with a Markdown page is a session; one without is a heading
    /// over the sessions of its subfolders.
    fn folder(&self, id: SectionId, group: &str, out: &mut Overview) {
        let course = self.course;
        let section = &course.sections[id];
        if !course.has_own_pages(id) {
            for &sub in &section.subsections {
                self.folder(sub, &section.label, out);
            }
            return;
        }
        let mut pages = Vec::new();
        folder_pages(course, id, &mut pages);
        let Some(&first) = pages.first() else { return };
        out.sessions.push(Session {
            title: course.section_title(id).to_string(),
            url: self.index.urls[section.index.unwrap_or(first)].clone(),
            description: section.index.and_then(|p| self.description(p)),
            pages: pages.len(),
            group: group.to_string(),
            page: section.index,
        });
    }

    /// Whether a page is the own page of a folder below the content root.
    fn is_folder_page(&self, id: PageId) -> bool {
        let page = &self.course.pages[id];
        page.is_index && page.section != 0
    }

    fn description(&self, id: PageId) -> Option<String> {
        self.course.pages[id].front.description.clone()
    }
}

/// The distinct pages an entry and its children list, in order.
fn nav_pages(node: &NavNode, out: &mut Vec<PageId>, seen: &mut BTreeSet<PageId>) {
    if let NavTarget::Page(id) = node.target
        && seen.insert(id)
    {
        out.push(id);
    }
    for child in &node.children {
        nav_pages(child, out, seen);
    }
}

/// The pages of a folder and its subfolders, in course order.
fn folder_pages(course: &Course, id: SectionId, out: &mut Vec<PageId>) {
    let s = &course.sections[id];
    out.extend(s.index);
    out.extend(&s.pages);
    for &sub in &s.subsections {
        folder_pages(course, sub, out);
    }
}
