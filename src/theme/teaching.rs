//! The course's generated teaching pages: the key points page (every page's
//! `keypoints` blocks, in course order, each under a link to its page) and
//! each session's all-in-one page for printing, whose pages get ids of
//! their own ([`print_ids`]).

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::print_ids;

use crate::model::{Course, PageId, RenderedPage, SectionId, UrlIndex};

pub use crate::model::url_index::KEYPOINTS_PATH;

#[derive(Serialize)]
struct KeypointsEntry<'a> {
    title: &'a str,
    url: &'a str,
    /// The HTML of the page's `keypoints` blocks.
    content: &'a str,
}

/// The context of `keypoints.html`, or `None` when no page has key points or
/// a page of the course already has the page's URL (the author's page wins).
pub fn keypoints_context(
    course: &Course,
    index: &UrlIndex,
    rendered: &[RenderedPage],
) -> Option<Context> {
    if index.by_url.contains_key(KEYPOINTS_PATH) {
        return None;
    }
    let entries: Vec<KeypointsEntry> = course
        .order
        .iter()
        .filter(|&&p| !rendered[p].keypoints.is_empty())
        .map(|&p| KeypointsEntry {
            title: &course.pages[p].title,
            url: &index.urls[p],
            content: &rendered[p].keypoints,
        })
        .collect();
    if entries.is_empty() {
        return None;
    }
    let mut context = Context::new();
    context.insert("keypoints", &entries);
    context.insert("current_url", &index.url_for(KEYPOINTS_PATH));
    Some(context)
}

/// The folder of a session's all-in-one page for printing, under the session's URL.
pub const PRINT_DIR: &str = "print/";

/// Where a section's all-in-one page goes (relative to the output root), or
/// `None`: the home, a folder without a page of its own, or a page of the
/// course already at that URL (the author's page wins).
pub fn print_path(course: &Course, index: &UrlIndex, section: SectionId) -> Option<String> {
    let page = course.sections[section].index.filter(|_| section != 0)?;
    let url_path = format!("{}{PRINT_DIR}", course.pages[page].url_path);
    (!index.by_url.contains_key(&url_path)).then_some(url_path)
}

#[derive(Serialize)]
struct PrintEntry<'a> {
    title: &'a str,
    url: &'a str,
    /// The id of the page's section ([`print_ids::page_anchor`]).
    anchor: String,
    /// The page's HTML with ids of its own ([`print_ids::scope_ids`]).
    content: String,
}

/// The all-in-one pages of the sessions: (document path, context of
/// `session_print.html`) for each section that has one ([`print_path`]).
pub fn print_contexts(
    course: &Course,
    index: &UrlIndex,
    rendered: &[RenderedPage],
) -> Vec<(String, Context)> {
    (0..course.sections.len())
        .filter_map(|s| {
            let url_path = print_path(course, index, s)?;
            let mut pages = Vec::new();
            section_pages(course, s, &mut pages);
            let on_page: HashMap<&str, usize> = pages
                .iter()
                .enumerate()
                .map(|(i, &p)| (index.urls[p].as_str(), i + 1))
                .collect();
            let entries: Vec<PrintEntry> = pages
                .iter()
                .enumerate()
                .map(|(i, &p)| PrintEntry {
                    title: &course.pages[p].title,
                    url: &index.urls[p],
                    anchor: print_ids::page_anchor(i + 1),
                    content: print_ids::scope_ids(&rendered[p].html, i + 1, &on_page),
                })
                .collect();
            let mut context = Context::new();
            context.insert("session_title", course.section_title(s));
            context.insert("session_url", &entries[0].url);
            context.insert("pages", &entries);
            context.insert("current_url", &index.url_for(&url_path));
            Some((format!("{url_path}index.html"), context))
        })
        .collect()
}

/// A section's pages in course order: its own page, its pages, then its subsections'.
fn section_pages(course: &Course, section: SectionId, out: &mut Vec<PageId>) {
    let s = &course.sections[section];
    out.extend(s.index);
    out.extend(&s.pages);
    for &sub in &s.subsections {
        section_pages(course, sub, out);
    }
}
