//! An explicit `nav` from syllabus.toml (MkDocs-style): which pages the
//! navigation shows, in which order and under which titles. Pages it does not
//! list are still built and reachable by links, as with MkDocs, but are not
//! part of the reading order.

use crate::diagnostics::{self, Code, Diagnostic};
use crate::model::config::{FILE_NAME, NavEntry};
use crate::model::{Course, NavNode, NavTarget, PageId};

/// Resolves `entries` against the course, stores the tree in `course.nav` and
/// makes the reading order follow it. `config_text` locates problems.
pub fn apply(course: &mut Course, entries: &[NavEntry], config_text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let nodes = resolve_all(course, entries, config_text, &mut diags);
    let home = course.sections[0].index;
    let mut order: Vec<PageId> = home.into_iter().collect();
    let mut seen: std::collections::HashSet<PageId> = order.iter().copied().collect();
    collect_pages(&nodes, &mut order, &mut seen);
    course.order = order;
    course.nav = Some(nodes);
    diags
}

fn resolve_all(
    course: &Course,
    entries: &[NavEntry],
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NavNode> {
    let home = course.sections[0].index;
    let mut nodes = Vec::new();
    for entry in entries {
        let (title, page, url, children) = match entry {
            NavEntry::Page(p) => (None, Some(p.as_str()), None, &[][..]),
            NavEntry::Entry(t) => (
                t.title.as_deref(),
                t.page.as_deref(),
                t.url.as_deref(),
                t.children.as_slice(),
            ),
        };
        let target = match (page, url) {
            (Some(p), _) => match find_page(course, p) {
                Some(id) => NavTarget::Page(id),
                None => {
                    diags.push(missing(course, p, text));
                    continue;
                }
            },
            (None, Some(u)) => NavTarget::Url(u.to_string()),
            (None, None) => NavTarget::Group,
        };
        // The theme links the home page on its own.
        if target == NavTarget::Page(home.unwrap_or(usize::MAX)) && children.is_empty() {
            continue;
        }
        let title = match (title, &target) {
            (Some(t), _) => t.trim().to_string(),
            (None, NavTarget::Page(id)) => course.pages[*id].title.clone(),
            (None, NavTarget::Url(u)) => u.clone(),
            (None, NavTarget::Group) => String::new(),
        };
        let children = resolve_all(course, children, text, diags);
        nodes.push(NavNode {
            title,
            target,
            children,
        });
    }
    nodes
}

/// A page by its path relative to content; a folder path means its section's page.
fn find_page(course: &Course, path: &str) -> Option<PageId> {
    let path = path.trim().trim_start_matches("./").trim_start_matches('/');
    let dir = path.trim_end_matches('/');
    course
        .pages
        .iter()
        .position(|p| p.source == path)
        .or_else(|| {
            course
                .sections
                .iter()
                .find(|s| s.dir == dir)
                .and_then(|s| s.index)
        })
}

fn missing(course: &Course, path: &str, text: &str) -> Diagnostic {
    let line = text
        .lines()
        .position(|l| l.contains(&format!("\"{path}\"")))
        .map_or(0, |i| i + 1);
    let help = diagnostics::closest(path, course.pages.iter().map(|p| p.source.as_str()))
        .map(|c| format!("did you mean `{c}`?"))
        .unwrap_or_else(|| {
            format!(
                "nav pages are paths inside `{}`, such as `session_1/index.md`",
                course.content_name
            )
        });
    let draft = course.drafts.iter().any(|d| d == path);
    let message = if draft {
        format!("nav lists `{path}`, a draft left out of this build")
    } else {
        format!(
            "nav lists `{path}`, which is not a page of `{}`",
            course.content_name
        )
    };
    Diagnostic::error(Code::NavMissingPage, FILE_NAME, message)
        .at(line, 0)
        .with_help(help)
}

fn collect_pages(
    nodes: &[NavNode],
    order: &mut Vec<PageId>,
    seen: &mut std::collections::HashSet<PageId>,
) {
    for node in nodes {
        if let NavTarget::Page(id) = node.target
            && seen.insert(id)
        {
            order.push(id);
        }
        collect_pages(&node.children, order, seen);
    }
}
