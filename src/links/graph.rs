//! Stage 4: with every page rendered, fragments are checked against the ids
//! each page returned, and backlinks and previous/next are computed.

use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::model::{Course, Glossary, PageId, RenderedPage};

use crate::util::url::decode_path;

/// A page that links to another, with the text of its first such link.
#[derive(Debug, Clone)]
pub struct Backlink {
    pub from: PageId,
    pub text: String,
}

/// How pages connect: backlinks and reading order.
#[derive(Debug, Default)]
pub struct LinkGraph {
    pub backlinks: Vec<Vec<Backlink>>,
    pub prev: Vec<Option<PageId>>,
    pub next: Vec<Option<PageId>>,
}

/// Checks anchors and connects pages; `rendered[i]` belongs to `course.pages[i]`.
pub fn build_graph(
    course: &Course,
    rendered: &[RenderedPage],
    severity: Severity,
    glossary: Option<&Glossary>,
) -> (LinkGraph, Vec<Diagnostic>) {
    let n = course.pages.len();
    let mut graph = LinkGraph {
        backlinks: vec![Vec::new(); n],
        prev: vec![None; n],
        next: vec![None; n],
    };
    let mut diags = Vec::new();
    for (from, page) in rendered.iter().enumerate() {
        for link in &page.links {
            let target = link.target.unwrap_or(from);
            if let Some(fragment) = link.fragment.as_deref().filter(|f| !f.is_empty()) {
                let fragment = decode_path(fragment);
                let ids = &rendered[target].ids;
                let into_glossary = glossary.filter(|g| g.page == target);
                if let Some(g) =
                    into_glossary.filter(|_| !ids.contains(&fragment) && fragment != "top")
                {
                    diags.push(super::glossary::missing_term(
                        course, g, from, link, &fragment, severity,
                    ));
                } else if !ids.contains(&fragment) && fragment != "top" {
                    let on = if target == from {
                        "this page".to_string()
                    } else {
                        format!("`{}`", course.pages[target].file)
                    };
                    let help = diagnostics::closest(&fragment, ids.iter().map(String::as_str))
                        .map(|c| format!("did you mean `#{c}`?"));
                    let message = format!(
                        "broken anchor `#{fragment}`: no heading or id `{fragment}` on {on}"
                    );
                    let d = Diagnostic::new(
                        severity,
                        Code::MissingAnchor,
                        &course.pages[from].file,
                        message,
                    );
                    diags.push(d.at(link.line, link.column).with_help_opt(help));
                }
            }
            if target != from && !graph.backlinks[target].iter().any(|b| b.from == from) {
                graph.backlinks[target].push(Backlink {
                    from,
                    text: link.text.clone(),
                });
            }
        }
    }
    // Backlinks in reading order; pages outside it (not in an explicit nav) last.
    let mut rank = vec![usize::MAX; n];
    for (i, &p) in course.order.iter().enumerate() {
        rank[p] = i;
    }
    for backlinks in &mut graph.backlinks {
        backlinks.sort_by_key(|b| (rank[b.from], b.from));
    }
    if course.nav.is_some() {
        let in_nav: std::collections::HashSet<PageId> = course.order.iter().copied().collect();
        for (id, page) in course.pages.iter().enumerate() {
            if !in_nav.contains(&id) && graph.backlinks[id].is_empty() {
                diags.push(
                    Diagnostic::warning(Code::OrphanPage, &page.file, "orphan page: no link and no `nav` entry leads to it")
                        .with_help("add it to `nav` in syllabus.toml, link to it from another page, or mark it `draft = true`"),
                );
            }
        }
    }
    for pair in course.order.windows(2) {
        graph.next[pair[0]] = Some(pair[1]);
        graph.prev[pair[1]] = Some(pair[0]);
    }
    (graph, diags)
}
