//! Every Markdown link and image resolved against the site's URL index: internal
//! links recorded for the link check, broken ones reported, `href`s rewritten.

use std::collections::HashMap;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::{Parts, RenderContext, Source, Spanned};
use crate::diagnostics::{Code, Severity};
use crate::links::{Resolved, resolve_noted};
use crate::model::{LinkRef, RenderedPage};

/// Resolves every Markdown link and image against the index.
pub(super) fn rewrite_links(
    events: &mut [Spanned],
    source: &Source,
    ctx: &RenderContext,
    parts: &Parts,
    out: &mut RenderedPage,
) {
    for i in 0..events.len() {
        let (dest, start) = match &events[i] {
            (
                Event::Start(
                    Tag::Link {
                        dest_url,
                        link_type,
                        ..
                    }
                    | Tag::Image {
                        dest_url,
                        link_type,
                        ..
                    },
                ),
                range,
            ) if !matches!(link_type, LinkType::Autolink | LinkType::Email) => {
                (dest_url.to_string(), range.start)
            }
            _ => continue,
        };
        if matches!(dest.trim(), "" | "#") {
            let what = match events[i].0 {
                Event::Start(Tag::Image { .. }) => "image source",
                _ => "link",
            };
            let written = if dest.trim().is_empty() { "()" } else { "(#)" };
            out.diagnostics.push(
                source
                    .diagnostic(Severity::Warning, Code::EmptyLink, start, format!("empty {what} `{written}`: it leads nowhere"))
                    .with_help("write where it leads, such as `(reading.md)` or `(#a-heading)`, or remove the link"),
            );
        }
        let href = match (dest.strip_prefix("attachment:"), &parts.attachments) {
            (Some(name), Some(attachments)) => attachment(name, attachments, start, source, out),
            _ => resolve_link(
                &dest,
                start,
                || link_text(&events[i + 1..]),
                source,
                ctx,
                out,
            ),
        };
        if let (
            Some(href),
            (Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }), _),
        ) = (href, &mut events[i])
        {
            *dest_url = href.into();
        }
    }
}

/// The URL of a notebook cell's attachment; a missing one is a warning.
fn attachment(
    name: &str,
    attachments: &HashMap<String, String>,
    offset: usize,
    source: &Source,
    out: &mut RenderedPage,
) -> Option<String> {
    let name = crate::util::url::decode_path(name);
    let found = attachments.get(&name).cloned();
    if found.is_none() {
        out.diagnostics.push(
            source
                .diagnostic(
                    Severity::Warning,
                    Code::MissingAttachment,
                    offset,
                    format!("this cell has no attachment `{name}`"),
                )
                .with_help("paste the image into the cell again in Jupyter, or link to a file"),
        );
    }
    found
}

/// Resolves one link target written at `offset` of the body: records an internal
/// link for stage 4, reports a broken one, and returns the new `href` when the
/// target is a page or file of the site.
pub(super) fn resolve_link(
    dest: &str,
    offset: usize,
    text: impl FnOnce() -> String,
    source: &Source,
    ctx: &RenderContext,
    out: &mut RenderedPage,
) -> Option<String> {
    let (resolved, note) = resolve_noted(ctx.index, source.page.source, dest, ctx.relative_to);
    if let Some(note) = note {
        out.diagnostics.push(source.diagnostic(
            Severity::Warning,
            Code::AmbiguousLink,
            offset,
            note,
        ));
    }
    let (line, column) = source.position(offset);
    match resolved {
        Resolved::External => None,
        Resolved::SamePage { fragment } => {
            out.links.push(LinkRef {
                target: None,
                fragment: Some(fragment),
                line,
                column,
                text: String::new(),
            });
            None
        }
        Resolved::Page {
            page,
            fragment,
            href,
        } => {
            out.links.push(LinkRef {
                target: Some(page),
                fragment,
                line,
                column,
                text: text(),
            });
            Some(href)
        }
        Resolved::Asset { href } => Some(href),
        Resolved::Broken { message, help } => {
            out.diagnostics.push(
                source
                    .diagnostic(ctx.broken, Code::BrokenLink, offset, message)
                    .with_help_opt(help),
            );
            None
        }
    }
}

/// The text inside a link, up to its end.
fn link_text(events: &[Spanned]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::End(TagEnd::Link | TagEnd::Image) => break,
            _ => {}
        }
    }
    text
}
