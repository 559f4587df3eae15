//! The markup of teaching blocks, written where the `fenced_divs` source pass
//! left its markers: `hint`, `solution` and `spoiler` as closed `<details>`
//! (the browser makes them keyboard and screen-reader operable, no script),
//! the others as titled boxes in the look of the theme's callouts, and
//! `questions`, `objectives` and `keypoints` as cards. A heading right after
//! a collapsed block's fence becomes its summary. The content of `keypoints`
//! blocks is also returned, for the course's key points page.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Spanned;
use super::admonitions::capitalise;
use super::fenced_divs::Block;
use super::prepass::{Marker, Prepared};
use crate::util::html::escape;

/// How a block is shown: its element, callout look and default title.
struct Look {
    collapsed: bool,
    card: bool,
    alert: &'static str,
    title: &'static str,
}

fn look(block: Block) -> Look {
    let boxed = |alert, title| Look {
        collapsed: false,
        card: false,
        alert,
        title,
    };
    let closed = |title| Look {
        collapsed: true,
        card: false,
        alert: "tip",
        title,
    };
    let card = |alert, title| Look {
        collapsed: false,
        card: true,
        alert,
        title,
    };
    match block {
        Block::Challenge => boxed("important", "Challenge"),
        Block::Hint => closed("Hint"),
        Block::Solution => closed("Solution"),
        Block::Spoiler => Look {
            alert: "note",
            ..closed("Show more")
        },
        Block::Callout => boxed("note", "Callout"),
        Block::Prereq => boxed("warning", "Prerequisite"),
        Block::Checklist => boxed("tip", "Checklist"),
        Block::Discussion => boxed("important", "Discussion"),
        Block::Testimonial => boxed("note", "Testimonial"),
        Block::Questions => card("note", "Questions"),
        Block::Objectives => card("note", "Objectives"),
        Block::Keypoints => card("tip", "Key points"),
        Block::Instructor => boxed("caution", "Instructor note"),
        Block::Tab | Block::GroupTab | Block::Other => boxed("note", ""),
    }
}

/// The event pass; returns the HTML of the page's `keypoints` blocks' content.
/// `base_path`: the site's, for the link from a key points card to the course's key points page.
pub(super) fn apply(events: &mut Vec<Spanned>, prepared: &Prepared, base_path: &str) -> String {
    if !prepared
        .markers
        .iter()
        .any(|m| matches!(m, Marker::Div { .. }))
    {
        return String::new();
    }
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len());
    // The default summary of a collapsed block just opened, unless a heading follows.
    let mut pending_summary: Option<String> = None;
    // Inside a heading turned into a summary.
    let mut in_summary = false;
    let mut keypoints_depth = 0usize;
    let mut keypoints: Vec<Event> = Vec::new();
    for (event, range) in events.drain(..) {
        let marker = match &event {
            Event::Html(h) => prepared.marker(h),
            _ => None,
        };
        if let Some(summary) = pending_summary.take() {
            match &event {
                Event::End(TagEnd::HtmlBlock) => pending_summary = Some(summary),
                Event::Start(Tag::Heading { .. }) => {
                    out.push((
                        Event::Html("<summary class=\"markdown-alert-title\">".into()),
                        range,
                    ));
                    in_summary = true;
                    continue;
                }
                _ => out.push((Event::Html(summary.into()), range.clone())),
            }
        }
        if in_summary && matches!(event, Event::End(TagEnd::Heading(_))) {
            in_summary = false;
            out.push((Event::Html("</summary>\n".into()), range));
            continue;
        }
        let html = match marker {
            Some(Marker::Div { block, class }) => {
                let (open, summary) = opening(*block, class);
                pending_summary = summary;
                if *block == Block::Keypoints {
                    keypoints_depth += 1;
                }
                open
            }
            Some(Marker::DivEnd { block }) if *block == Block::Keypoints => {
                keypoints_depth = keypoints_depth.saturating_sub(1);
                format!(
                    "<p class=\"teach-more\"><a href=\"{}{}\">All key points of the course</a></p>\n{}",
                    escape(base_path),
                    crate::model::url_index::KEYPOINTS_PATH,
                    closing(*block)
                )
            }
            Some(Marker::DivEnd { block }) => closing(*block).to_string(),
            _ => {
                if keypoints_depth > 0 {
                    keypoints.push(event.clone());
                }
                out.push((event, range));
                continue;
            }
        };
        out.push((Event::Html(html.into()), range));
    }
    *events = out;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, keypoints.into_iter());
    html
}

/// A block's opening markup, and for a collapsed one its default summary.
fn opening(block: Block, class: &str) -> (String, Option<String>) {
    let look = look(block);
    let title = if look.title.is_empty() {
        escape(&capitalise(class)).to_string()
    } else {
        look.title.to_string()
    };
    let class = escape(class);
    let classes = format!(
        "teach teach-{class} markdown-alert markdown-alert-{}",
        look.alert
    );
    if look.collapsed {
        let summary = format!("<summary class=\"markdown-alert-title\">{title}</summary>\n");
        return (format!("<details class=\"{classes}\">\n"), Some(summary));
    }
    let title = format!("<p class=\"markdown-alert-title\">{title}</p>\n");
    let html = if look.card {
        format!(
            "<section class=\"teach-card {classes}\" aria-label=\"{}\">\n{title}",
            strip_tags(&title)
        )
    } else if block == Block::Instructor {
        format!("<aside class=\"{classes}\" aria-label=\"Instructor note\">\n{title}")
    } else {
        format!("<div class=\"{classes}\">\n{title}")
    };
    (html, None)
}

fn closing(block: Block) -> &'static str {
    let look = look(block);
    if look.collapsed {
        "</details>\n"
    } else if look.card {
        "</section>\n"
    } else if block == Block::Instructor {
        "</aside>\n"
    } else {
        "</div>\n"
    }
}

/// The text of a title paragraph written above (our own markup, already escaped).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '\n' => {}
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
