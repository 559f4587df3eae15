//! The markup of MkDocs admonitions and content tabs, written after parsing
//! where the `admonitions` source pass left its markers: admonitions as the
//! theme's callouts (the look of GitHub alerts), collapsible ones as
//! `<details>`, tabs as a set of `<details>` that the theme's script turns
//! into keyboard-operable tabs. The paragraph after an opening marker becomes
//! its title; the paragraphs of a `markdown="span"` element lose their `<p>`.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Spanned;
use super::admonitions::capitalise;
use super::prepass::{Marker, Prepared};
use crate::util::html::escape;

/// Which of GitHub's five alert looks a type of admonition takes (Material's
/// types and their aliases; any other type looks like a note).
fn look(kind: &str) -> &'static str {
    match kind {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" | "example" | "question" | "help" | "faq" => "important",
        "warning" | "caution" | "attention" => "warning",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        _ => "note",
    }
}

/// The event pass: markers become markup; the paragraph after an opening marker becomes its title.
pub(super) fn apply(events: &mut Vec<Spanned>, prepared: &Prepared) {
    if prepared.markers.is_empty() {
        return;
    }
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len());
    // The title tag the next paragraph becomes, and the tag that closes it.
    let mut pending: Option<(String, &'static str, String)> = None;
    let mut closing: Option<&'static str> = None;
    let mut span_depth = 0usize;
    for (event, range) in events.drain(..) {
        let marker = match &event {
            Event::Html(h) => prepared.marker(h),
            _ => None,
        };
        if let Some((open, close, fallback)) = pending.take() {
            match &event {
                Event::End(TagEnd::HtmlBlock) => {
                    pending = Some((open, close, fallback));
                }
                Event::Start(Tag::Paragraph) if marker.is_none() => {
                    out.push((Event::Html(open.into()), range));
                    closing = Some(close);
                    continue;
                }
                _ => {
                    if !fallback.is_empty() {
                        out.push((Event::Html(fallback.into()), range.clone()));
                    }
                }
            }
        }
        match (&event, marker) {
            (Event::End(TagEnd::Paragraph), _) if closing.is_some() => {
                let close = closing.take().expect("checked");
                out.push((Event::Html(close.into()), range));
            }
            (Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph), _) if span_depth > 0 => {
            }
            (_, Some(Marker::SpanStart)) => span_depth += 1,
            (_, Some(Marker::SpanEnd)) => span_depth = span_depth.saturating_sub(1),
            (_, Some(m)) => {
                let (html, title) = markup(m);
                pending = title;
                out.push((Event::Html(html.into()), range));
            }
            _ => out.push((event, range)),
        }
    }
    if let Some(close) = closing {
        out.push((Event::Html(close.into()), 0..0));
    }
    *events = out;
}

/// A marker's markup, and for an opening one: its title's opening tag, closing
/// tag, and the whole title to use when no paragraph follows (empty: none).
fn markup(marker: &Marker) -> (String, Option<(String, &'static str, String)>) {
    match marker {
        Marker::Admonition {
            kind,
            classes,
            collapsible,
            titled,
            ..
        } => {
            let mut class = format!("admonition {}", escape(kind));
            for c in classes {
                class.push(' ');
                class.push_str(&escape(c));
            }
            class.push_str(" markdown-alert markdown-alert-");
            class.push_str(look(kind));
            let (open, title_tag) = match collapsible {
                None => (format!("<div class=\"{class}\">\n"), "p"),
                Some(true) => (format!("<details class=\"{class}\" open>\n"), "summary"),
                Some(false) => (format!("<details class=\"{class}\">\n"), "summary"),
            };
            let title_open =
                format!("<{title_tag} class=\"admonition-title markdown-alert-title\">");
            let close = if title_tag == "p" {
                "</p>\n"
            } else {
                "</summary>\n"
            };
            // A closed block needs a summary to be opened by.
            let fallback = if collapsible.is_some() {
                format!("{title_open}{}{close}", escape(&capitalise(kind)))
            } else {
                String::new()
            };
            let title = (*titled || collapsible.is_some()).then_some((title_open, close, fallback));
            (open, title)
        }
        Marker::AdmonitionEnd { collapsible: false } => ("</div>\n".into(), None),
        Marker::AdmonitionEnd { collapsible: true } => ("</details>\n".into(), None),
        Marker::TabSet => ("<div class=\"tabbed-set\">\n".into(), None),
        Marker::Tab { selected, .. } => {
            let open = if *selected { " open" } else { "" };
            (
                format!("<details class=\"tabbed-block\"{open}>\n"),
                Some((
                    "<summary class=\"tabbed-label\">".into(),
                    "</summary>\n",
                    "<summary class=\"tabbed-label\">Tab</summary>\n".into(),
                )),
            )
        }
        Marker::TabEnd => ("</details>\n".into(), None),
        Marker::TabSetEnd => ("</div>\n".into(), None),
        // Written by the `teach` pass, which runs first.
        Marker::SpanStart | Marker::SpanEnd | Marker::Div { .. } | Marker::DivEnd { .. } => {
            (String::new(), None)
        }
    }
}
