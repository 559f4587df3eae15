//! Template view models: borrowed, serialisable shapes of the course for Tera.
//! The site-wide ones (config, nav) are built once; per-page ones are small.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use crate::links::LinkGraph;
use crate::model::config::Config;
use crate::model::{
    Course, NavNode, NavTarget, Page, PageDate, PageId, PageKind, SectionId, UrlIndex,
};
use crate::model::{RenderedPage, TocEntry};

#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

/// One entry of the course navigation tree.
#[derive(Serialize, Debug, Clone)]
pub struct NavItem {
    pub title: String,
    /// Empty for a folder without its own page.
    pub url: String,
    pub description: Option<String>,
    pub is_section: bool,
    /// Whether `url` leads off the site (an explicit nav's `url` entry).
    pub external: bool,
    /// A key unique in the tree (`2.3`), matched against a page's `nav_trail`.
    pub key: String,
    pub children: Vec<NavItem>,
}

/// The navigation tree in course order, without the home page: the explicit
/// `nav` when there is one, otherwise the sections and pages.
pub fn nav_tree(course: &Course, index: &UrlIndex) -> Vec<NavItem> {
    let mut items = match &course.nav {
        Some(nodes) => explicit(course, index, nodes),
        None => section_children(course, index, 0),
    };
    number(&mut items, "");
    items
}

fn explicit(course: &Course, index: &UrlIndex, nodes: &[NavNode]) -> Vec<NavItem> {
    nodes
        .iter()
        .map(|n| {
            let (url, description, external) = match &n.target {
                NavTarget::Page(p) => (
                    index.urls[*p].clone(),
                    course.pages[*p].front.description.clone(),
                    false,
                ),
                NavTarget::Url(u) => (u.clone(), None, true),
                NavTarget::Group => (String::new(), None, false),
            };
            NavItem {
                title: n.title.clone(),
                url,
                description,
                is_section: !n.children.is_empty(),
                external,
                key: String::new(),
                children: explicit(course, index, &n.children),
            }
        })
        .collect()
}

fn number(items: &mut [NavItem], prefix: &str) {
    for (i, item) in items.iter_mut().enumerate() {
        item.key = format!("{prefix}{}", i + 1);
        let prefix = format!("{}.", item.key);
        number(&mut item.children, &prefix);
    }
}

/// For each page URL, the keys of the nav entries that lead to it (outermost
/// first): the sidebar opens those branches.
pub fn nav_trails(nav: &[NavItem]) -> HashMap<String, Vec<String>> {
    fn walk(items: &[NavItem], trail: &mut Vec<String>, out: &mut HashMap<String, Vec<String>>) {
        for item in items {
            trail.push(item.key.clone());
            if !item.url.is_empty() && !item.external {
                out.entry(item.url.clone()).or_insert_with(|| trail.clone());
            }
            walk(&item.children, trail, out);
            trail.pop();
        }
    }
    let mut out = HashMap::new();
    walk(nav, &mut Vec::new(), &mut out);
    out
}

/// How many entries the navigation tree has at all levels.
pub fn nav_size(nav: &[NavItem]) -> usize {
    nav.iter().map(|i| 1 + nav_size(&i.children)).sum()
}

fn section_children(course: &Course, index: &UrlIndex, id: SectionId) -> Vec<NavItem> {
    let s = &course.sections[id];
    let mut items: Vec<NavItem> = s
        .pages
        .iter()
        .map(|&p| NavItem {
            title: course.pages[p].title.clone(),
            url: index.urls[p].clone(),
            description: course.pages[p].front.description.clone(),
            is_section: false,
            external: false,
            key: String::new(),
            children: Vec::new(),
        })
        .collect();
    for &sub in &s.subsections {
        let page = course.sections[sub].index;
        items.push(NavItem {
            title: course.section_title(sub).to_string(),
            url: page.map(|p| index.urls[p].clone()).unwrap_or_default(),
            description: page.and_then(|p| course.pages[p].front.description.clone()),
            is_section: true,
            external: false,
            key: String::new(),
            children: section_children(course, index, sub),
        });
    }
    items
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    permalink: String,
    content: &'a str,
    toc: &'a [TocEntry],
    date: Option<&'a PageDate>,
    /// When and where, for a page with a `date` (a session's page).
    session: Option<super::session::SessionView>,
    updated: Option<&'a str>,
    weight: Option<i64>,
    draft: bool,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    word_count: usize,
    reading_time: usize,
    edit_url: Option<String>,
    source: &'a str,
    section: Option<LinkView<'a>>,
    ancestors: Vec<LinkView<'a>>,
    prev: Option<LinkView<'a>>,
    next: Option<LinkView<'a>>,
    backlinks: Vec<LinkView<'a>>,
    /// The table of contents has two entries or more (at any level): worth showing.
    has_toc: bool,
    has_code: bool,
    has_math: bool,
    is_section: bool,
    /// Front matter `overview`: the page asks for the course overview.
    overview: bool,
    nav_trail: &'a [String],
    /// Minutes of teaching and exercises: the page's own (front matter), and
    /// on a section's page the sums over the section with its subsections.
    teaching: Option<u32>,
    exercises: Option<u32>,
    teaching_total: Option<u32>,
    exercises_total: Option<u32>,
    /// On a session's page: its all-in-one page for printing, if it has one.
    print_url: Option<String>,
    /// For a notebook's page: where to download and open it.
    notebook: Option<NotebookView>,
}

#[derive(Serialize)]
struct NotebookView {
    /// The `.ipynb` file in the site.
    download: String,
    /// "Open in …" links, as `[notebooks] open_in` lists them.
    open_in: Vec<OpenLink>,
}

#[derive(Serialize)]
struct OpenLink {
    name: &'static str,
    url: String,
}

/// The download and "Open in …" links of a notebook's page.
fn notebook_view(config: &Config, index: &UrlIndex, page: &Page) -> NotebookView {
    use crate::model::config::OpenIn;
    use crate::util::url::{encode_component, encode_path};
    let open_in = match config.github_repo() {
        Some((owner, repo)) => {
            let branch = encode_path(&config.branch);
            let path = encode_path(&page.file);
            config
                .notebooks
                .open_in
                .iter()
                .map(|service| match service {
                    OpenIn::Binder => OpenLink {
                        name: "Binder",
                        url: format!(
                            "{}/v2/gh/{owner}/{repo}/{branch}?labpath={}",
                            config.notebooks.binder_url.trim_end_matches('/'),
                            encode_component(&page.file)
                        ),
                    },
                    OpenIn::Colab => OpenLink {
                        name: "Colab",
                        url: format!(
                            "https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/{path}"
                        ),
                    },
                    OpenIn::Codespaces => OpenLink {
                        name: "GitHub Codespaces",
                        url: format!(
                            "https://codespaces.new/{owner}/{repo}/tree/{branch}?quickstart=1"
                        ),
                    },
                })
                .collect()
        }
        None => Vec::new(),
    };
    NotebookView {
        download: index.url_for(&page.source),
        open_in,
    }
}

#[derive(Serialize)]
pub(super) struct PageSummary<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) date: Option<&'a PageDate>,
}

/// Everything about the site a page template may need.
pub struct PageInput<'a> {
    pub config: &'a Config,
    pub course: &'a Course,
    pub index: &'a UrlIndex,
    pub rendered: &'a [RenderedPage],
    pub graph: &'a LinkGraph,
    /// Page URL → keys of the nav entries leading to it ([`nav_trails`]).
    pub nav_trails: &'a HashMap<String, Vec<String>>,
    /// Whether sessions have an all-in-one page for printing.
    pub print_pages: bool,
    /// The course's `timezone`, which session times are shown in.
    pub time_zone: Option<&'a jiff::tz::TimeZone>,
    /// The sessions' own pages, in course order: their `date` is when they take place.
    pub sessions: &'a [PageId],
}

impl<'a> PageInput<'a> {
    fn link(&self, p: PageId) -> LinkView<'a> {
        LinkView {
            title: &self.course.pages[p].title,
            url: &self.index.urls[p],
        }
    }

    pub(super) fn summary(&self, p: PageId) -> PageSummary<'a> {
        let page = &self.course.pages[p];
        PageSummary {
            title: &page.title,
            url: &self.index.urls[p],
            description: page.front.description.as_deref(),
            date: page.front.date.as_ref(),
        }
    }

    fn section_link(&self, s: SectionId) -> Option<LinkView<'a>> {
        self.course.sections[s].index.map(|p| self.link(p))
    }
}

/// The sum of some minutes over a section's pages and its subsections' (`None`: no page gives any).
fn minutes(
    course: &Course,
    section: SectionId,
    of: impl Fn(&crate::model::FrontMatter) -> Option<u32> + Copy,
) -> Option<u32> {
    let s = &course.sections[section];
    let own = s
        .index
        .iter()
        .chain(&s.pages)
        .filter_map(|&p| of(&course.pages[p].front));
    let subs = s
        .subsections
        .iter()
        .filter_map(|&sub| minutes(course, sub, of));
    own.chain(subs).reduce(|a, b| a.saturating_add(b))
}

/// How many entries a table of contents has at all levels.
fn toc_entries(toc: &[TocEntry]) -> usize {
    toc.iter().map(|e| 1 + toc_entries(&e.children)).sum()
}

/// The context of a page template (`page`, and `section` for a section's page).
pub fn page_context(input: &PageInput, id: PageId) -> Context {
    page_context_for(input, id, false)
}

/// The context of a page's copy in the instructor view: the page with its
/// `instructor` blocks, and `instructor_view` set for the templates.
pub fn instructor_page_context(input: &PageInput, id: PageId) -> Context {
    page_context_for(input, id, true)
}

fn page_context_for(input: &PageInput, id: PageId, instructor: bool) -> Context {
    let course = input.course;
    let page = &course.pages[id];
    let rendered = &input.rendered[id];
    let copy = rendered.instructor.as_deref().filter(|_| instructor);
    let (content, toc) = copy.map_or((&rendered.html, &rendered.toc), |c| (&c.html, &c.toc));
    let url = &input.index.urls[id];
    let mut ancestors = Vec::new();
    let own_section = page.section;
    let mut cursor = if page.is_index {
        course.sections[own_section].parent
    } else {
        Some(own_section)
    };
    while let Some(s) = cursor {
        ancestors.extend(input.section_link(s));
        cursor = course.sections[s].parent;
    }
    ancestors.reverse();
    let section = if page.is_index {
        course.sections[own_section]
            .parent
            .and_then(|p| input.section_link(p))
    } else {
        input.section_link(own_section)
    };
    let edit_url = input.config.repo_url.as_ref().map(|repo| {
        format!(
            "{}/edit/{}/{}",
            repo.trim_end_matches('/'),
            input.config.branch,
            page.file
        )
    });
    let view = PageView {
        title: &page.title,
        description: page.front.description.as_deref(),
        url,
        permalink: format!(
            "{}{}",
            input.config.site_origin_url(),
            url.strip_prefix(&input.index.base_path)
                .map_or(url.to_string(), |u| format!("/{u}"))
        ),
        content,
        toc,
        date: page.front.date.as_ref(),
        session: input
            .sessions
            .contains(&id)
            .then(|| super::session::session_view(&page.front, input.time_zone))
            .flatten(),
        updated: page.updated.as_deref(),
        weight: page.front.weight,
        draft: page.front.draft,
        extra: &page.front.extra,
        word_count: rendered.word_count,
        reading_time: rendered.word_count.div_ceil(200).max(1),
        edit_url,
        source: &page.file,
        section,
        ancestors,
        prev: input.graph.prev[id].map(|p| input.link(p)),
        next: input.graph.next[id].map(|p| input.link(p)),
        backlinks: input.graph.backlinks[id]
            .iter()
            .map(|b| input.link(b.from))
            .collect(),
        has_toc: toc_entries(toc) > 1,
        has_code: rendered.has_code,
        has_math: rendered.has_math,
        is_section: page.is_index,
        overview: page.front.overview,
        nav_trail: input
            .nav_trails
            .get(url.as_str())
            .map_or(&[], Vec::as_slice),
        notebook: (page.kind == PageKind::Notebook)
            .then(|| notebook_view(input.config, input.index, page)),
        print_url: page
            .is_index
            .then_some(())
            .filter(|_| input.print_pages)
            .and_then(|_| super::print_path(course, input.index, own_section))
            .map(|p| input.index.url_for(&p)),
        teaching: page.front.teaching,
        exercises: page.front.exercises,
        teaching_total: page
            .is_index
            .then(|| minutes(course, own_section, |f| f.teaching))
            .flatten(),
        exercises_total: page
            .is_index
            .then(|| minutes(course, own_section, |f| f.exercises))
            .flatten(),
    };
    let mut context = Context::new();
    context.insert("page", &view);
    context.insert("current_url", url);
    context.insert("nav_trail", &view.nav_trail);
    if instructor {
        context.insert("instructor_view", &true);
        context.insert("learner_url", url);
    }
    if page.is_index {
        context.insert(
            "section",
            &super::section::section_context(input, own_section),
        );
    }
    context
}
