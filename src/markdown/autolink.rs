//! Bare URLs, `www.` addresses and e-mail addresses in text become links,
//! by GitHub's extended autolink rules.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::Spanned;

/// Bare URLs (`http://`, `https://`, `ftp://`), `www.` addresses and e-mail
/// addresses in text become links, as GitHub does.
pub(super) fn autolink(events: Vec<Spanned>) -> Vec<Spanned> {
    let candidate =
        |text: &str| text.contains("://") || text.contains("www.") || text.contains('@');
    // Without anything that may be a link, no copy of the page's events.
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if candidate(t)))
    {
        return events;
    }
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    let mut out = Vec::with_capacity(events.len());
    let mut depth_link = 0usize;
    let mut in_code = false;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => depth_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => depth_link = depth_link.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => in_code = true,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => in_code = false,
            _ => {}
        }
        let Event::Text(text) = &event else {
            out.push((event, range));
            continue;
        };
        if depth_link > 0 || in_code || !candidate(text) {
            out.push((event, range));
            continue;
        }
        let mut last = 0;
        for link in finder.links(text) {
            if link.start() < last {
                continue;
            }
            let is_email = link.kind() == &linkify::LinkKind::Email;
            let end = if is_email {
                link.end()
            } else {
                gfm_link_end(text, link.start())
            };
            let s = &text[link.start()..end];
            let href = match () {
                _ if is_email => format!("mailto:{s}"),
                _ if ["http://", "https://", "ftp://"]
                    .iter()
                    .any(|scheme| s.starts_with(scheme)) =>
                {
                    s.to_string()
                }
                _ if s.starts_with("www.") => format!("http://{s}"),
                _ => continue,
            };
            if link.start() > last {
                out.push((
                    Event::Text(CowStr::from(text[last..link.start()].to_string())),
                    range.clone(),
                ));
            }
            let tag = Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: href.into(),
                title: "".into(),
                id: "".into(),
            };
            out.push((Event::Start(tag), range.clone()));
            out.push((Event::Text(CowStr::from(s.to_string())), range.clone()));
            out.push((Event::End(TagEnd::Link), range.clone()));
            last = end;
        }
        if last == 0 {
            out.push((event, range));
        } else if last < text.len() {
            out.push((Event::Text(CowStr::from(text[last..].to_string())), range));
        }
    }
    out
}

/// Where a bare link starting at `start` ends by GFM's extended autolink rules:
/// up to white space or `<`, minus trailing punctuation, an unbalanced `)`,
/// and a trailing entity reference.
fn gfm_link_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut end = start
        + rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len());
    loop {
        let candidate = &text[start..end];
        let Some(last) = candidate.chars().last() else {
            return end;
        };
        if matches!(
            last,
            '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"'
        ) {
            end -= last.len_utf8();
        } else if last == ')' && candidate.matches('(').count() < candidate.matches(')').count() {
            end -= 1;
        } else if last == ';' {
            let amp = candidate.rfind('&');
            match amp {
                Some(a)
                    if candidate[a + 1..candidate.len() - 1]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric())
                        && a + 2 < candidate.len() =>
                {
                    end = start + a;
                }
                _ => return end,
            }
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::gfm_link_end;

    #[test]
    fn autolink_ends_like_github() {
        let cases = [
            ("see https://x.org/a.pdf} next", "https://x.org/a.pdf}"),
            ("(https://x.org/a_(b)) and", "https://x.org/a_(b)"),
            ("https://x.org/a. Next", "https://x.org/a"),
            ("https://x.org/?q=1&amp; x", "https://x.org/?q=1"),
            ("www.x.org/path, and", "www.x.org/path"),
        ];
        for (text, want) in cases {
            let start = text.find("http").or_else(|| text.find("www")).unwrap();
            assert_eq!(&text[start..gfm_link_end(text, start)], want, "{text}");
        }
    }
}
