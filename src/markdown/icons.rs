//! Icon shortcodes of Material for MkDocs (`:fontawesome-solid-file-pdf:`,
//! `:material-check:`, `:octicons-mark-github-16:`, `:simple-python:`) draw an
//! icon from the theme's icon sets, which syllabus does not ship. They are left
//! out, with a warning at their place, and never shown as text. (Emoji
//! shortcodes such as `:wink:` are GitHub's too, and are left as they are.)

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderedPage, Source, Spanned};
use crate::diagnostics::{Code, Severity};

const SETS: &[&str] = &["material-", "fontawesome-", "octicons-", "simple-"];

/// Where the first icon shortcode in `text` at or after `from` starts and ends.
fn next_icon(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(p) = text[i..].find(':').map(|p| i + p) {
        let rest = &text[p + 1..];
        if let Some(set) = SETS.iter().find(|s| rest.starts_with(*s)) {
            let len = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                .unwrap_or(rest.len());
            if rest[len..].starts_with(':') && len > set.len() {
                return Some((p, p + len + 2));
            }
        }
        i = p + 1;
    }
    None
}

/// Takes icon shortcodes out of the page's text (not its code), with a warning each.
pub(super) fn remove(events: &mut [Spanned], source: &Source, out: &mut RenderedPage) {
    let mut in_code = false;
    for (event, range) in events.iter_mut() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code && text.contains(':') => {
                let Some(first) = next_icon(text, 0) else {
                    continue;
                };
                let mut kept = String::with_capacity(text.len());
                let mut last = 0;
                let mut found = Some(first);
                while let Some((start, end)) = found {
                    let code = &text[start..end];
                    let in_source = source.text.get(range.start..).and_then(|s| s.find(code));
                    let at = range.start + in_source.unwrap_or(0);
                    out.diagnostics.push(
                        source
                            .diagnostic(
                                Severity::Warning,
                                Code::MaterialIcon,
                                at,
                                format!("`{code}` is an icon of Material for MkDocs, which syllabus does not draw; it is left out"),
                            )
                            .with_help("write an emoji or a word instead (GitHub shows the shortcode as text)"),
                    );
                    kept.push_str(&text[last..start]);
                    // The space after a leading icon goes with it.
                    let gap = text[end..].starts_with(' ')
                        && (start == 0 || text[..start].ends_with(' '));
                    last = if gap { end + 1 } else { end };
                    found = next_icon(text, last);
                }
                kept.push_str(&text[last..]);
                *event = Event::Text(CowStr::from(kept));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_icon;

    #[test]
    fn finds_icon_shortcodes_only() {
        let text = ":fontawesome-solid-file-pdf: Download at 10:30:00 :wink: :material-check:";
        let first = next_icon(text, 0).unwrap();
        assert_eq!(&text[first.0..first.1], ":fontawesome-solid-file-pdf:");
        let second = next_icon(text, first.1).unwrap();
        assert_eq!(&text[second.0..second.1], ":material-check:");
        assert_eq!(next_icon(text, second.1), None);
        assert_eq!(next_icon("a :material-: b :simple-X: c", 0), None);
    }
}
