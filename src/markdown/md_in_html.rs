//! Markdown inside block HTML that asks for it, as MkDocs' `md_in_html`
//! reads it: `<div markdown="1">`, `<figure markdown>`, `<p markdown="span">`.
//!
//! CommonMark shows everything up to the next blank line after an HTML tag
//! as it is, so `![photo](p.jpg)` inside `<figure markdown>` would be text. This
//! source pass puts the opening and the closing tag on lines of their own,
//! with blank lines around (the `markdown` attribute dropped), so the content
//! between is Markdown: rendered, its links resolved and checked. Elements
//! whose content is a line of text (`p`, `h1`…`h6`, `li`, `td`, `summary` …)
//! or marked `markdown="span"` lose the `<p>` around it. Each line is read once.

use super::prepass::{self, Builder, Fence, Line, ListContext, Marker, Prepared};

/// Elements whose content Python-Markdown reads as a line of text.
const SPAN_ELEMENTS: &[&str] = &[
    "address", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "li", "p", "summary",
    "td", "th",
];
/// Elements whose content is never Markdown.
const RAW_ELEMENTS: &[&str] = &[
    "canvas", "math", "option", "pre", "script", "style", "textarea",
];

/// An element whose content is Markdown, not yet closed.
struct Open {
    name: String,
    /// Elements of the same name opened inside it and not yet closed, plus one.
    depth: usize,
    span: bool,
}

/// The source pass: see the module doc.
pub(super) fn pass(prepared: &mut Prepared, body: &str) {
    let input = prepared.current(body);
    if !input.contains("markdown") {
        return;
    }
    let input = input.to_string();
    prepared.ensure_key(&input);
    let mut out = Builder::with_capacity(input.len());
    let mut open: Vec<Open> = Vec::new();
    let mut fence = Fence::default();
    let mut list = ListContext::default();
    let mut in_comment = false;
    let mut found = false;
    for line in prepass::lines(&input) {
        if in_comment || fence.line(line.text) {
            in_comment &= !line.text.contains("-->");
            out.copy(&input, line.start..line.end);
            continue;
        }
        let (column, indent) = prepass::indentation(line.text);
        let text = &line.text[indent..];
        if text.starts_with("<!--") && !text.contains("-->") {
            in_comment = true;
            out.copy(&input, line.start..line.end);
            continue;
        }
        if !text.is_empty() {
            list.line(column, text);
        }
        let mut from = line.start;
        if list.starts_block(column, column)
            && let Some(tag) = markdown_tag(text)
        {
            found = true;
            prepared.markdown_elements += 1;
            let tag_start = line.start + indent;
            out.copy(&input, line.start..tag_start + tag.attribute.start);
            out.copy(&input, tag_start + tag.attribute.end..tag_start + tag.end);
            out.write("\n\n", tag_start + tag.end);
            if tag.span {
                prepared.push_marker(&mut out, Marker::SpanStart, "", tag_start + tag.end);
            }
            open.push(Open {
                name: tag.name,
                depth: 1,
                span: tag.span,
            });
            from = tag_start + tag.end;
        }
        close_in(prepared, &mut out, &input, &line, from, &mut open);
    }
    if found {
        prepared.push_layer(out);
    }
}

/// Copies `input[from..line.end]`, closing the open element where its end tag is.
fn close_in(
    prepared: &mut Prepared,
    out: &mut Builder,
    input: &str,
    line: &Line,
    from: usize,
    open: &mut Vec<Open>,
) {
    let Some(top) = open.last_mut() else {
        out.copy(input, from..line.end);
        return;
    };
    let rest = &input[from..line.end];
    let Some(close) = end_tag(rest, &top.name, &mut top.depth) else {
        if !rest.trim().is_empty() || from == line.start {
            out.copy(input, from..line.end);
        }
        return;
    };
    let span = top.span;
    open.pop();
    let at = from + close;
    if !input[from..at].trim().is_empty() {
        out.copy(input, from..at);
    }
    if span {
        prepared.push_marker(out, Marker::SpanEnd, "", at);
    }
    out.blank_line(at);
    out.copy(input, at..line.end);
    if !input[..line.end].ends_with('\n') {
        out.write("\n", line.end);
    }
    out.write("\n", line.end);
}

/// Where the end tag that closes `name` is in `text`, counting the
/// elements of the same name opened and closed before it.
fn end_tag(text: &str, name: &str, depth: &mut usize) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut i = 0;
    while let Some(p) = lower[i..].find('<').map(|p| i + p) {
        let after = &lower[p + 1..];
        if let Some(rest) = after.strip_prefix('/').and_then(|r| r.strip_prefix(name))
            && rest.trim_start().starts_with('>')
        {
            *depth -= 1;
            if *depth == 0 {
                return Some(p);
            }
        } else if let Some(rest) = after.strip_prefix(name)
            && rest.starts_with([' ', '>', '\t', '/'])
        {
            *depth += 1;
        }
        i = p + 1;
    }
    None
}

/// A start tag with a `markdown` attribute at the start of a line.
struct MarkdownTag {
    name: String,
    /// Byte range of ` markdown="…"` in the line, to leave out.
    attribute: std::ops::Range<usize>,
    /// Byte offset just after the tag's `>`.
    end: usize,
    span: bool,
}

fn markdown_tag(text: &str) -> Option<MarkdownTag> {
    let rest = text.strip_prefix('<')?;
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    if name.is_empty()
        || !name.as_bytes()[0].is_ascii_alphabetic()
        || RAW_ELEMENTS.contains(&name.as_str())
    {
        return None;
    }
    let end = 1 + name_len + tag_end(&rest[name_len..])?;
    let (attribute, value) = find_markdown_attribute(text, 1 + name_len, end)?;
    let span = match value.as_str() {
        "0" => return None,
        "span" => true,
        "block" => false,
        _ => SPAN_ELEMENTS.contains(&name.as_str()),
    };
    if text[..end].ends_with("/>") {
        return None;
    }
    Some(MarkdownTag {
        name,
        attribute,
        end,
        span,
    })
}

/// Length of a tag's attributes up to and including its `>` (quotes respected).
fn tag_end(attrs: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in attrs.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The range of ` markdown`, ` markdown="v"` or ` markdown=v` between `from`
/// and `to` of `tag`, with its value (lower case).
fn find_markdown_attribute(
    tag: &str,
    from: usize,
    to: usize,
) -> Option<(std::ops::Range<usize>, String)> {
    let bytes = tag.as_bytes();
    let mut i = from;
    while i < to {
        let ws_start = i;
        while i < to && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < to && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        let mut value = String::new();
        if i < to && bytes[i] == b'=' {
            i += 1;
            let quote = bytes.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
            if let Some(q) = quote {
                let end = tag[i + 1..to].find(q as char).map_or(to, |e| i + 1 + e);
                value = tag[i + 1..end].to_ascii_lowercase();
                i = (end + 1).min(to);
            } else {
                let start = i;
                while i < to && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = tag[start..i].to_ascii_lowercase();
            }
        }
        if name.eq_ignore_ascii_case("markdown") {
            return Some((ws_start..i, value));
        }
        if i == name_start {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(body: &str) -> String {
        let mut p = Prepared::default();
        p.set_key(body);
        pass(&mut p, body);
        p.current(body).replace("<!--syllabus-marker-0:", "<!--")
    }

    #[test]
    fn figure_content_becomes_markdown() {
        let body = "<figure markdown>\n  ![Photo](p.jpg){ width=\"300\" }\n  <figcaption>A photo</figcaption>\n</figure>\nAfter\n";
        assert_eq!(
            rewritten(body),
            "<figure>\n\n  ![Photo](p.jpg){ width=\"300\" }\n  <figcaption>A photo</figcaption>\n\n</figure>\n\nAfter\n"
        );
    }

    #[test]
    fn one_line_span_and_nested_elements() {
        assert_eq!(
            rewritten("<p markdown=\"1\" class=\"x\">Some *text*</p>\n"),
            "<p class=\"x\">\n\n<!--0-->\n\nSome *text*\n\n<!--1-->\n\n</p>\n\n"
        );
        assert_eq!(
            rewritten("<div markdown=\"block\">\n<div>inner</div>\n**b**\n</div>\n"),
            "<div>\n\n<div>inner</div>\n**b**\n\n</div>\n\n"
        );
    }

    #[test]
    fn left_alone_in_code_comments_and_without_the_attribute() {
        for body in [
            "```\n<div markdown>\n```\n",
            "<!--\n<div markdown>\n-->\n",
            "<div class=\"markdown\">\n**b**\n</div>\n",
            "    <div markdown>\n",
            "<div markdown=\"0\">\n*x*\n</div>\n",
        ] {
            assert_eq!(rewritten(body), body, "{body}");
        }
    }
}
