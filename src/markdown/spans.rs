//! Pandoc's bracketed spans, when `[markdown] attributes = true`:
//! `[pipe]{#pipe .term}` becomes `<span id="pipe" class="term">pipe</span>`.
//! Carpentries glossaries mark their terms this way so that episodes can
//! link `reference.md#pipe`. GitHub shows the brackets and braces as text,
//! which is why, like the other attribute lists, they are off by default.
//!
//! pulldown-cmark has already made links of every bracket pair that is one
//! (`[a](b)`, `[a][b]`, `[a]` with a definition), so the brackets left in text
//! are plain ones; an attribute list after a link is `attributes.rs`'s work.
//! One pass over the events: a stack of open `[` and, for each `]` directly
//! followed by `{…}`, an attribute list read only up to the next brace, so
//! the text is read a bounded number of times whatever it holds.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::attributes::{self, Attributes};
use super::{RenderedPage, Source, Spanned, slug::Slugger};

/// An `[` not yet closed: where it is and how deep in inline markup.
struct Open {
    event: usize,
    at: usize,
    depth: usize,
}

/// Bytes `start..end` of the text event `event` replaced by `html`.
struct Cut {
    event: usize,
    start: usize,
    end: usize,
    html: String,
}

/// Turns bracketed spans into `<span>`s and records their ids as anchors of the page.
pub(super) fn apply(
    events: &mut Vec<Spanned>,
    source: &Source,
    slugger: &mut Slugger,
    out: &mut RenderedPage,
) {
    let mut cuts = find(events, source, slugger, out);
    if cuts.is_empty() {
        return;
    }
    cuts.sort_by_key(|c| (c.event, c.start));
    rebuild(events, cuts);
}

/// The spans of the page, as cuts into its text events.
fn find(
    events: &[Spanned],
    source: &Source,
    slugger: &mut Slugger,
    out: &mut RenderedPage,
) -> Vec<Cut> {
    let mut cuts = Vec::new();
    let mut opens: Vec<Open> = Vec::new();
    let (mut depth, mut skip) = (0usize, 0usize);
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            // Code is text as written; an image's alt text cannot hold markup.
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => {
                skip += 1;
                opens.clear();
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                skip = skip.saturating_sub(1);
                opens.clear();
            }
            Event::Text(text) if skip == 0 => {
                let Some(escaped) = escapes(source, text, range) else {
                    continue;
                };
                let mut scan = Scan {
                    event: i,
                    depth,
                    escaped,
                    opens: &mut opens,
                    cuts: &mut cuts,
                };
                scan.text(text, range.start, source, slugger, out);
            }
            Event::Start(tag) if inline(tag) => depth += 1,
            Event::End(tag) if inline_end(tag) => {
                depth = depth.saturating_sub(1);
                while opens.last().is_some_and(|o| o.depth > depth) {
                    opens.pop();
                }
            }
            // A span never crosses a block (paragraph, cell, item, heading, HTML).
            Event::Start(_) | Event::End(_) | Event::Html(_) | Event::Rule => {
                opens.clear();
                depth = 0;
            }
            _ => {}
        }
    }
    cuts
}

/// The bytes of a text event written escaped (`\\[a]{#x}` is text), found by
/// reading the source beside the text; `None` when the two cannot be lined up
/// (character references), and then the event's brackets are left as text.
fn escapes(source: &Source, text: &str, range: &std::ops::Range<usize>) -> Option<Vec<usize>> {
    let written = source.text.get(range.clone())?.as_bytes();
    if written == text.as_bytes() {
        return Some(Vec::new());
    }
    let (mut w, mut escaped) = (0, Vec::new());
    for (t, &b) in text.as_bytes().iter().enumerate() {
        if written.get(w) == Some(&b'\\') && written.get(w + 1) == Some(&b) {
            escaped.push(t);
            w += 2;
        } else if written.get(w) == Some(&b) {
            w += 1;
        } else {
            return None;
        }
    }
    Some(escaped)
}

fn inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
    )
}

fn inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

/// Scanning one text event.
struct Scan<'a> {
    event: usize,
    depth: usize,
    /// Bytes written with a backslash, sorted.
    escaped: Vec<usize>,
    opens: &'a mut Vec<Open>,
    cuts: &'a mut Vec<Cut>,
}

impl Scan<'_> {
    fn text(
        &mut self,
        text: &str,
        offset: usize,
        source: &Source,
        slugger: &mut Slugger,
        out: &mut RenderedPage,
    ) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            if self.escaped.binary_search(&pos).is_ok() {
                pos += 1;
                continue;
            }
            match bytes[pos] {
                b'[' => self.opens.push(Open {
                    event: self.event,
                    at: pos,
                    depth: self.depth,
                }),
                b']' if self.opens.last().is_some_and(|o| o.depth == self.depth) => {
                    let open = self.opens.pop().expect("checked above");
                    if let Some((attrs, end)) = list_after(text, pos + 1) {
                        let mut dropped = Vec::new();
                        let html = format!("<span{}>", attrs.html(&mut dropped));
                        attributes::warn_dropped(&dropped, source, offset + pos + 1, out);
                        if let Some(id) = &attrs.id {
                            slugger.reserve(id);
                            out.ids.insert(id.clone());
                        }
                        self.cuts.push(Cut {
                            event: open.event,
                            start: open.at,
                            end: open.at + 1,
                            html,
                        });
                        self.cuts.push(Cut {
                            event: self.event,
                            start: pos,
                            end,
                            html: "</span>".to_string(),
                        });
                        pos = end;
                        continue;
                    }
                }
                _ => {}
            }
            pos += 1;
        }
    }
}

/// The attribute list starting at byte `at` of `text`, and where it ends.
/// It is read only up to the first brace after its `{`: a list holds none,
/// and so no byte is read for two lists.
fn list_after(text: &str, at: usize) -> Option<(Attributes, usize)> {
    let rest = text.get(at..)?.strip_prefix('{')?;
    let close = rest.find(['{', '}'])?;
    if rest.as_bytes()[close] != b'}' {
        return None;
    }
    let end = at + 1 + close + 1;
    let (attrs, len) = attributes::parse(&text[at..end])?;
    (len == end - at).then_some((attrs, end))
}

/// The events with each cut's text replaced by its HTML.
fn rebuild(events: &mut Vec<Spanned>, cuts: Vec<Cut>) {
    let old = std::mem::take(events);
    events.reserve(old.len() + cuts.len() * 2);
    let mut cuts = cuts.into_iter().peekable();
    for (i, (event, range)) in old.into_iter().enumerate() {
        let Event::Text(text) = &event else {
            events.push((event, range));
            continue;
        };
        if cuts.peek().is_none_or(|c| c.event != i) {
            events.push((event, range));
            continue;
        }
        // Offsets into the source are exact only when the text is as written.
        let exact = range.len() == text.len();
        let sub = |a: usize, b: usize| {
            if exact {
                range.start + a..range.start + b
            } else {
                range.clone()
            }
        };
        let mut from = 0;
        while let Some(cut) = cuts.next_if(|c| c.event == i) {
            if cut.start > from {
                let piece = text[from..cut.start].to_string();
                events.push((Event::Text(piece.into()), sub(from, cut.start)));
            }
            events.push((Event::InlineHtml(cut.html.into()), sub(cut.start, cut.end)));
            from = cut.end;
        }
        if from < text.len() {
            let piece = text[from..].to_string();
            events.push((Event::Text(piece.into()), sub(from, text.len())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_read_up_to_the_next_brace_only() {
        let (attrs, end) = list_after("]{#pipe .term} rest", 1).unwrap();
        assert_eq!(attrs.id.as_deref(), Some("pipe"));
        assert_eq!(attrs.classes, ["term"]);
        assert_eq!(end, "]{#pipe .term}".len());
        // Another `{` before the `}`: no list, and nothing past that `{` was read.
        assert!(list_after("]{#a {#b}", 1).is_none());
        assert!(list_after("]{#a", 1).is_none());
        assert!(list_after("] {#a}", 1).is_none());
        assert!(list_after("]{not a list}", 1).is_none());
    }
}
