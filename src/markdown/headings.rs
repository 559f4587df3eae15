//! Heading ids (GitHub's, with the author's `{#id}` reserved first), the
//! anchor link of each heading, and the page's nested table of contents.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::{Parts, Source, Spanned, attributes, plain_text};
use crate::model::{RenderedPage, TocEntry};

/// Gives every heading its GitHub id and an anchor link, and builds the table of contents.
pub(super) fn heading_ids(
    events: &mut Vec<Spanned>,
    source: &Source,
    parts: &mut Parts,
    out: &mut RenderedPage,
) {
    let slugger = &mut parts.slugger;
    for (e, _) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            slugger.reserve(id);
        }
    }
    let mut flat = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i].0
        else {
            i += 1;
            continue;
        };
        let (level, explicit, classes) = (*level, id.clone(), classes.clone());
        let mut other_attrs = String::new();
        let mut dropped = Vec::new();
        for (k, v) in attrs {
            let k = k.to_ascii_lowercase();
            match v {
                _ if !attributes::allowed(&k) => dropped.push(k),
                _ if k == "id" || k == "class" => {}
                Some(v) => {
                    other_attrs.push_str(&format!(" {k}=\"{}\"", crate::util::html::escape(v)))
                }
                None => other_attrs.push_str(&format!(" {k}")),
            }
        }
        attributes::warn_dropped(&dropped, source, events[i].1.start, out);
        let end = events[i..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + p);
        let text = plain_text(&events[i + 1..end]);
        let id = match explicit {
            Some(id) => id.to_string(),
            None => slugger.slug(&id_text(&events[i + 1..end])),
        };
        let n = heading_number(level);
        let class_attr = if classes.is_empty() {
            String::new()
        } else {
            format!(
                " class=\"{}\"",
                crate::util::html::escape(
                    &classes
                        .iter()
                        .map(|c| c.as_ref())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            )
        };
        let esc = crate::util::html::escape(&id);
        let range = events[i].1.clone();
        events[i] = (
            Event::Html(format!("<h{n} id=\"{esc}\"{class_attr}{other_attrs}>").into()),
            range.clone(),
        );
        let close = format!(
            "<a class=\"heading-anchor\" href=\"#{esc}\" aria-label=\"Link to this section\">#</a></h{n}>\n"
        );
        if end < events.len() {
            events[end] = (Event::Html(close.into()), range);
        }
        out.ids.insert(id.clone());
        parts.headings.push((id.clone(), text.clone()));
        if (2..=4).contains(&n) {
            flat.push(TocEntry {
                level: n,
                id,
                title: text,
                children: Vec::new(),
            });
        }
        i = end + 1;
    }
    out.toc = nest_toc(flat);
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

pub(super) fn nest_toc(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert_toc(&mut roots, entry);
    }
    roots
}

fn insert_toc(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if entry.level > last.level => insert_toc(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// The text GitHub makes a heading's id from: the heading's text without the
/// alt text of its images (an `<img>` has no text), so `## ![logo](l.png) Intro`
/// is `#-intro` there and here.
fn id_text(events: &[Spanned]) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    for (e, _) in events {
        match e {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}
