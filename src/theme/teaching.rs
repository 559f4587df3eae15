//! The course's generated teaching pages: the key points page (every page's
//! `keypoints` blocks, in course order, each under a link to its page).

use serde::Serialize;
use tera::Context;

use crate::model::{Course, RenderedPage, UrlIndex};

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
