//! Footnotes the way GitHub renders them: numbered by first reference, gathered
//! in a `section.footnotes` at the end, each with a link back to its reference.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Spanned;
use crate::util::html::escape;

pub(super) fn github_style<'a>(
    events: Vec<Spanned<'a>>,
    ids: &mut std::collections::HashSet<String>,
) -> Vec<Spanned<'a>> {
    // Without footnotes, no copy of the page's events.
    if !events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    }) {
        return events;
    }
    let mut definitions: HashMap<String, Vec<Spanned<'a>>> = HashMap::new();
    let mut body = Vec::with_capacity(events.len());
    let mut current: Option<(String, Vec<Spanned<'a>>)> = None;
    let mut depth = 0;
    for (event, range) in events {
        match (&event, &mut current) {
            (Event::Start(Tag::FootnoteDefinition(label)), None) => {
                current = Some((label.to_string(), Vec::new()));
                depth = 0;
            }
            (Event::Start(Tag::FootnoteDefinition(_)), Some(_)) => depth += 1,
            (Event::End(TagEnd::FootnoteDefinition), Some(_)) if depth > 0 => depth -= 1,
            (Event::End(TagEnd::FootnoteDefinition), Some(_)) => {
                let (label, inner) = current.take().unwrap_or_default();
                definitions.entry(label).or_insert(inner);
            }
            (_, Some((_, inner))) => inner.push((event, range)),
            (_, None) => body.push((event, range)),
        }
    }
    if definitions.is_empty()
        && !body
            .iter()
            .any(|(e, _)| matches!(e, Event::FootnoteReference(_)))
    {
        return body;
    }
    let mut numbers: HashMap<String, (usize, usize)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (event, _) in body.iter_mut() {
        let Event::FootnoteReference(label) = event else {
            continue;
        };
        let label = label.to_string();
        if !definitions.contains_key(&label) {
            *event = Event::Text(CowStr::from(format!("[^{label}]")));
            continue;
        }
        let next = order.len() + 1;
        let entry = numbers.entry(label.clone()).or_insert_with(|| {
            order.push(label.clone());
            (next, 0)
        });
        entry.1 += 1;
        let (n, uses) = *entry;
        let id = escape(&label);
        let ref_id = if uses == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{uses}")
        };
        ids.insert(ref_id.clone());
        *event = Event::Html(
            format!("<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{ref_id}\" data-footnote-ref>{n}</a></sup>").into(),
        );
    }
    if order.is_empty() {
        return body;
    }
    let end = body.last().map(|(_, r)| r.clone()).unwrap_or_default();
    body.push((
        Event::Html("<section class=\"footnotes\" data-footnotes>\n<ol>\n".into()),
        end.clone(),
    ));
    for label in order {
        let id = escape(&label);
        ids.insert(format!("fn-{id}"));
        let n = numbers[&label].0;
        let mut inner = definitions.remove(&label).unwrap_or_default();
        let backref = format!(
            " <a href=\"#fnref-{id}\" class=\"footnote-backref\" aria-label=\"Back to reference {n}\">↩</a>"
        );
        match inner
            .iter()
            .rposition(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
        {
            Some(p) => inner.insert(p, (Event::Html(backref.into()), end.clone())),
            None => inner.push((Event::Html(backref.into()), end.clone())),
        }
        body.push((
            Event::Html(format!("<li id=\"fn-{id}\">\n").into()),
            end.clone(),
        ));
        body.extend(inner);
        body.push((Event::Html("</li>\n".into()), end.clone()));
    }
    body.push((Event::Html("</ol>\n</section>\n".into()), end));
    body
}
