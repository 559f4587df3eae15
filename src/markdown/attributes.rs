//! Python-Markdown attribute lists (MkDocs' `attr_list`), when
//! `[markdown] attributes = true`: `![x](y.png){ align=right }`,
//! `[x](y){: target="_blank" }` and `## Title {#id .class}` apply to the
//! element instead of showing as text. GitHub shows them as text, which is
//! why they are off by default.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderedPage, Source, Spanned};
use crate::diagnostics::{Code, Severity};
use crate::util::html::escape;

/// Attributes an attribute list may set; others (event handlers, `style`) are dropped.
const ALLOWED: &[&str] = &[
    "id", "class", "title", "align", "width", "height", "target", "rel", "alt", "loading", "lang",
    "dir",
];

/// Whether an attribute list may set attribute `name` (lower case): one of
/// [`ALLOWED`] or `data-` and a plain name. Anything else is dropped, since an
/// unusual name can smuggle another attribute in (`/onclick` reads as `onclick`).
pub(super) fn allowed(name: &str) -> bool {
    ALLOWED.contains(&name)
        || name.strip_prefix("data-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// The warning for attributes a list names but may not set.
pub(super) fn warn_dropped(dropped: &[String], source: &Source, at: usize, out: &mut RenderedPage) {
    if dropped.is_empty() {
        return;
    }
    let message = format!(
        "attribute(s) {} not applied: only {} and data-* are allowed",
        dropped.join(", "),
        ALLOWED.join(", ")
    );
    out.diagnostics.push(source.diagnostic(
        Severity::Warning,
        Code::UnsupportedAttribute,
        at,
        message,
    ));
}

/// One parsed attribute list.
#[derive(Debug, Default, PartialEq)]
pub struct Attributes {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
}

/// Parses `{: #id .class key=value key="v w" }` at the start of `text`;
/// returns the attributes and the length of the list in bytes.
pub fn parse(text: &str) -> Option<(Attributes, usize)> {
    let inner_start = text.strip_prefix('{')?;
    let end = inner_start.find('}')?;
    let inner = inner_start[..end].trim().trim_start_matches(':').trim();
    let mut attrs = Attributes::default();
    let mut rest = inner;
    while !rest.is_empty() {
        let token_end = token_end(rest)?;
        let token = &rest[..token_end];
        if let Some(id) = token.strip_prefix('#') {
            attrs.id = Some(id.to_string());
        } else if let Some(class) = token.strip_prefix('.') {
            attrs.classes.push(class.to_string());
        } else {
            let (key, value) = token.split_once('=')?;
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return None;
            }
            attrs
                .pairs
                .push((key.to_ascii_lowercase(), value.to_string()));
        }
        rest = rest[token_end..].trim_start();
    }
    if attrs == Attributes::default() {
        return None;
    }
    Some((attrs, end + 2))
}

/// End of one token, honouring quotes.
fn token_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return Some(i),
            _ => {}
        }
    }
    quote.is_none().then_some(s.len())
}

impl Attributes {
    /// ` id="…" class="…" key="…"`, escaped, keeping only allowed names.
    pub(super) fn html(&self, dropped: &mut Vec<String>) -> String {
        let mut out = String::new();
        if let Some(id) = &self.id {
            out.push_str(&format!(" id=\"{}\"", escape(id)));
        }
        if !self.classes.is_empty() {
            out.push_str(&format!(" class=\"{}\"", escape(&self.classes.join(" "))));
        }
        for (k, v) in &self.pairs {
            if allowed(k) {
                out.push_str(&format!(" {k}=\"{}\"", escape(v)));
            } else {
                dropped.push(k.clone());
            }
        }
        out
    }
}

/// Applies attribute lists that follow images and links, or end headings.
pub(super) fn apply(events: &mut Vec<Spanned>, source: &Source, out: &mut RenderedPage) {
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::End(TagEnd::Image | TagEnd::Link) => i = after_inline(events, i, source, out),
            Event::End(TagEnd::Heading(_)) => {
                heading(events, i);
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// Handles an attribute list right after the element ending at `end`; returns the next index.
fn after_inline(
    events: &mut Vec<Spanned>,
    end: usize,
    source: &Source,
    out: &mut RenderedPage,
) -> usize {
    let Some((Event::Text(text), _)) = events.get(end + 1) else {
        return end + 1;
    };
    let Some((mut attrs, len)) = parse(text) else {
        return end + 1;
    };
    let rest = text[len..].to_string();
    let Some(start) = find_start(events, end) else {
        return end + 1;
    };
    // An image's `alt` in the list replaces the Markdown one (Pandoc's
    // `![](x.svg){alt='…'}`): two `alt` attributes would keep the first.
    let alt = matches!(events[start].0, Event::Start(Tag::Image { .. }))
        .then(|| attrs.pairs.iter().position(|(k, _)| k == "alt"))
        .flatten()
        .map(|i| attrs.pairs.remove(i).1);
    let mut dropped = Vec::new();
    let extra = attrs.html(&mut dropped);
    warn_dropped(&dropped, source, events[end].1.start, out);
    if rest.is_empty() {
        events.remove(end + 1);
    } else {
        events[end + 1].0 = Event::Text(CowStr::from(rest));
    }
    let range = events[start].1.clone();
    match &events[start].0 {
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            let alt = alt.unwrap_or_else(|| super::plain_text(&events[start + 1..end]));
            let title = if title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape(title))
            };
            let html = format!(
                "<img src=\"{}\" alt=\"{}\"{title}{extra}>",
                escape(dest_url),
                escape(&alt)
            );
            events.splice(start..=end, [(Event::InlineHtml(html.into()), range)]);
            start + 1
        }
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            let title = if title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape(title))
            };
            let html = format!("<a href=\"{}\"{title}{extra}>", escape(dest_url));
            events[start].0 = Event::InlineHtml(html.into());
            events[end].0 = Event::InlineHtml("</a>".into());
            end + 1
        }
        _ => end + 1,
    }
}

/// The index of the `Start` matching the `End` at `end`.
fn find_start(events: &[Spanned], end: usize) -> Option<usize> {
    let mut depth = 0;
    for i in (0..end).rev() {
        match &events[i].0 {
            Event::End(TagEnd::Image | TagEnd::Link) => depth += 1,
            Event::Start(Tag::Image { .. } | Tag::Link { .. }) if depth == 0 => return Some(i),
            Event::Start(Tag::Image { .. } | Tag::Link { .. }) => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `## Title {: #id .class }` (Python-Markdown's form, with a colon or spaces that
/// pulldown-cmark's own heading attributes do not take).
fn heading(events: &mut [Spanned], end: usize) {
    let Some((Event::Text(text), _)) = end.checked_sub(1).map(|i| &events[i]) else {
        return;
    };
    let Some(open) = text.rfind('{') else { return };
    if !text.trim_end().ends_with('}') {
        return;
    }
    let Some((attrs, _)) = parse(text[open..].trim_end()) else {
        return;
    };
    let kept = text[..open].trim_end().to_string();
    events[end - 1].0 = Event::Text(kept.into());
    let Some(start) = (0..end)
        .rev()
        .find(|&i| matches!(events[i].0, Event::Start(Tag::Heading { .. })))
    else {
        return;
    };
    if let Event::Start(Tag::Heading {
        id,
        classes,
        attrs: pairs,
        ..
    }) = &mut events[start].0
    {
        if let Some(new_id) = attrs.id {
            *id = Some(new_id.into());
        }
        classes.extend(attrs.classes.into_iter().map(CowStr::from));
        pairs.extend(
            attrs
                .pairs
                .into_iter()
                .map(|(k, v)| (CowStr::from(k), Some(CowStr::from(v)))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_python_markdown_forms() {
        let (a, len) = parse("{ align=right } text").unwrap();
        assert_eq!(a.pairs, [("align".to_string(), "right".to_string())]);
        assert_eq!(len, "{ align=right }".len());
        let (a, _) = parse("{:target=\"_blank\"}").unwrap();
        assert_eq!(a.pairs, [("target".to_string(), "_blank".to_string())]);
        let (a, _) = parse("{#intro .lead .wide title='A b'}").unwrap();
        assert_eq!(a.id.as_deref(), Some("intro"));
        assert_eq!(a.classes, ["lead", "wide"]);
        assert_eq!(a.pairs, [("title".to_string(), "A b".to_string())]);
        assert!(parse("{ not an attr list }").is_none());
        assert!(parse("{}").is_none());
        assert!(parse("{x").is_none());
    }

    #[test]
    fn drops_event_handlers() {
        let (a, _) = parse("{ onerror=alert(1) align=left }").unwrap();
        let mut dropped = Vec::new();
        assert_eq!(a.html(&mut dropped), " align=\"left\"");
        assert_eq!(dropped, ["onerror"]);
        assert!(allowed("data-step") && allowed("title"));
        for name in [
            "/onclick",
            "data-",
            "data-x/y",
            "style",
            "onload",
            "x onclick",
        ] {
            assert!(!allowed(name), "{name}");
        }
    }
}
