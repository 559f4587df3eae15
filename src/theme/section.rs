//! The `section` of a section page's (and the home page's) template: its
//! pages and subsections. With `nav`, what the section's `nav` entry holds;
//! without, its folder's pages and the subfolders that hold pages.

use serde::Serialize;

use super::view::{PageInput, PageSummary};
use crate::model::{Course, NavNode, NavTarget, PageId, SectionId};

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    content: &'a str,
    pages: Vec<PageSummary<'a>>,
    subsections: Vec<SubsectionView<'a>>,
}

#[derive(Serialize)]
struct SubsectionView<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    pages: Vec<PageSummary<'a>>,
}

pub(super) fn section_context<'a>(input: &PageInput<'a>, id: SectionId) -> SectionView<'a> {
    let course = input.course;
    let s = &course.sections[id];
    let page = s.index.map(|p| &course.pages[p]);
    let (pages, subsections) = match &course.nav {
        // The home page's entries are the top level of `nav`.
        Some(nodes) if id == 0 => nav_section(input, nodes.iter().collect()),
        Some(nodes) => nav_section(
            input,
            s.index
                .map_or_else(Vec::new, |p| section_entries(course, nodes, p)),
        ),
        None => (
            s.pages.iter().map(|&p| input.summary(p)).collect(),
            folder_subsections(input, id),
        ),
    };
    SectionView {
        title: course.section_title(id),
        url: s.index.map_or("", |p| &input.index.urls[p]),
        description: page.and_then(|p| p.front.description.as_deref()),
        content: s.index.map_or("", |p| &input.rendered[p].html),
        pages,
        subsections,
    }
}

/// The subfolders of a folder as subsections; a subfolder without a Markdown
/// page of its own is no section: its subfolders stand in its place.
fn folder_subsections<'a>(input: &PageInput<'a>, id: SectionId) -> Vec<SubsectionView<'a>> {
    let course = input.course;
    let mut out = Vec::new();
    for &sub in &course.sections[id].subsections {
        let ss = &course.sections[sub];
        if !course.has_own_pages(sub) {
            out.extend(folder_subsections(input, sub));
            continue;
        }
        let first = ss.index.or_else(|| ss.pages.first().copied());
        out.push(SubsectionView {
            title: course.section_title(sub),
            url: first.map_or("", |p| &input.index.urls[p]),
            description: ss
                .index
                .and_then(|p| course.pages[p].front.description.as_deref()),
            pages: ss.pages.iter().map(|&p| input.summary(p)).collect(),
        });
    }
    out
}

/// With `nav`, a section holds what its entry holds (`children`): entries
/// without children are its pages, entries with children its subsections.
fn nav_section<'a>(
    input: &PageInput<'a>,
    children: Vec<&'a NavNode>,
) -> (Vec<PageSummary<'a>>, Vec<SubsectionView<'a>>) {
    let mut pages = Vec::new();
    let mut subsections = Vec::new();
    for child in children {
        if child.children.is_empty() {
            pages.extend(nav_summary(input, child));
            continue;
        }
        let first = nav_first_page(child);
        subsections.push(SubsectionView {
            title: &child.title,
            url: first.map_or("", |p| &input.index.urls[p]),
            description: match child.target {
                NavTarget::Page(p) => input.course.pages[p].front.description.as_deref(),
                _ => None,
            },
            pages: child
                .children
                .iter()
                .filter(|c| c.children.is_empty())
                .filter_map(|c| nav_summary(input, c))
                .collect(),
        });
    }
    (pages, subsections)
}

fn nav_summary<'a>(input: &PageInput<'a>, node: &'a NavNode) -> Option<PageSummary<'a>> {
    match &node.target {
        NavTarget::Page(p) => Some(PageSummary {
            title: &node.title,
            ..input.summary(*p)
        }),
        NavTarget::Url(u) => Some(PageSummary {
            title: &node.title,
            url: u,
            description: None,
            date: None,
        }),
        NavTarget::Group => None,
    }
}

/// The entries under the `nav` entry of section page `id`: its children; or,
/// when it opens a group without a page of its own whose other entries are
/// in its folder (MkDocs' way of giving a section its page), those entries.
fn section_entries<'a>(course: &Course, nodes: &'a [NavNode], id: PageId) -> Vec<&'a NavNode> {
    let folder = &course.pages[id].url_path;
    let inside = |n: &NavNode| {
        nav_first_page(n).is_some_and(|p| course.pages[p].url_path.starts_with(folder.as_str()))
    };
    for node in nodes {
        if node.target == NavTarget::Page(id) {
            return node.children.iter().collect();
        }
        let opens_group = node.target == NavTarget::Group
            && node
                .children
                .first()
                .is_some_and(|c| c.target == NavTarget::Page(id) && c.children.is_empty())
            && node.children[1..].iter().all(inside);
        if opens_group {
            return node.children[1..].iter().collect();
        }
        let found = section_entries(course, &node.children, id);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// An entry's own page, or the first page among its children.
fn nav_first_page(node: &NavNode) -> Option<PageId> {
    match node.target {
        NavTarget::Page(p) => Some(p),
        _ => node.children.iter().find_map(nav_first_page),
    }
}
