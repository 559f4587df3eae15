//! Raw HTML in Markdown: `href`/`src` attributes are resolved like Markdown
//! links and `id` attributes become valid link targets.

use pulldown_cmark::Event;

use super::{RenderContext, RenderedPage, Source, Spanned};

pub(super) fn rewrite(
    events: &mut [Spanned],
    source: &Source,
    ctx: &RenderContext,
    out: &mut RenderedPage,
) {
    // A comment may span several events (the lines of an HTML block).
    let mut in_comment = false;
    for (event, range) in events.iter_mut() {
        let (Event::Html(original) | Event::InlineHtml(original)) = event else {
            continue;
        };
        // Tags inside comments are no tags, and their links no links: they are
        // read from a copy with comments blanked out (same byte offsets).
        let masked = mask_comments(original, &mut in_comment);
        let html: &str = masked.as_deref().unwrap_or(original);
        for name in unknown_elements(html) {
            let message = format!(
                "`<{name}>` is not an HTML element: browsers drop it, so it vanishes from the page"
            );
            out.diagnostics.push(
                source
                    .diagnostic(
                        crate::diagnostics::Severity::Warning,
                        crate::diagnostics::Code::UnknownHtmlElement,
                        range.start,
                        message,
                    )
                    .with_help(format!(
                        "write it in backticks, `<{name}>`, or escape it as `&lt;{name}&gt;`"
                    )),
            );
        }
        if !html.contains('=') {
            continue;
        }
        let mut changed = false;
        let mut result = String::with_capacity(html.len());
        let mut last = 0;
        for attr in attributes(html) {
            if attr.name.eq_ignore_ascii_case("id") {
                out.ids.insert(attr.value.to_string());
                continue;
            }
            if !(attr.name.eq_ignore_ascii_case("href") || attr.name.eq_ignore_ascii_case("src")) {
                continue;
            }
            let offset =
                range.start + source_offset(&source.text[range.clone()], attr.value).unwrap_or(0);
            let replacement = super::resolve::resolve_link(
                &unescape(attr.value),
                offset,
                String::new,
                source,
                ctx,
                out,
            );
            if let Some(href) = replacement {
                result.push_str(&original[last..attr.value_start]);
                result.push_str(&crate::util::html::escape(&href));
                last = attr.value_start + attr.value.len();
                changed = true;
            }
        }
        if changed {
            result.push_str(&original[last..]);
            *event = match event {
                Event::Html(_) => Event::Html(result.into()),
                _ => Event::InlineHtml(result.into()),
            };
        }
    }
}

/// `html` with the inside of every comment (`<!--` … `-->`) replaced by
/// spaces, or `None` when it has no comment; `in_comment` carries an open
/// comment from one event to the next.
fn mask_comments(html: &str, in_comment: &mut bool) -> Option<String> {
    if !*in_comment && !html.contains("<!--") {
        return None;
    }
    let mut bytes = html.as_bytes().to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if *in_comment {
            // `<!-->` and `<!--->` close at once, as browsers read them.
            let end = html[i..].find("-->").map(|p| i + p + 3);
            let stop = end.unwrap_or(bytes.len());
            bytes[i..stop].fill(b' ');
            *in_comment = end.is_none();
            i = stop;
        } else if html[i..].starts_with("<!--") {
            bytes[i..i + 4].fill(b' ');
            i += 4;
            *in_comment = true;
            for close in [">", "->"] {
                if html[i..].starts_with(close) {
                    bytes[i..i + close.len()].fill(b' ');
                    i += close.len();
                    *in_comment = false;
                    break;
                }
            }
        } else {
            i += html[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    // Only ASCII bytes were replaced, and only with spaces: still UTF-8.
    String::from_utf8(bytes).ok()
}

/// HTML and SVG element names; a name outside this list and MathML's
/// ([`super::sanitize::MATHML_TAGS`]), and without a `-` (which custom elements
/// have), is text that looks like a tag, such as `<netid>`.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "svg",
    "g",
    "path",
    "circle",
    "rect",
    "line",
    "polyline",
    "polygon",
    "ellipse",
    "text",
    "tspan",
    "defs",
    "use",
    "symbol",
    "marker",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "pattern",
    "image",
    "foreignobject",
    "desc",
    "big",
    "acronym",
    "frame",
    "frameset",
    "noframes",
    "marquee",
];

/// Names of start or end tags in `html` that are not elements.
fn unknown_elements(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| i + p) {
        let mut j = lt + 1;
        if bytes.get(j) == Some(&b'/') {
            j += 1;
        }
        let start = j;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-' || bytes[j] == b':')
        {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let closes = matches!(
            bytes.get(j),
            Some(b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r')
        );
        if !name.is_empty()
            && name.as_bytes()[0].is_ascii_alphabetic()
            && closes
            && !name.contains('-')
            && !name.contains(':')
            && !ELEMENTS.contains(&name.as_str())
            && !super::sanitize::MATHML_TAGS.contains(&name.as_str())
            && !names.contains(&name)
        {
            names.push(name);
        }
        i = j.max(lt + 1);
    }
    names
}

fn source_offset(source: &str, value: &str) -> Option<usize> {
    source.find(value)
}

fn unescape(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

struct Attribute<'a> {
    name: &'a str,
    value: &'a str,
    value_start: usize,
}

/// Quoted attributes inside tags of an HTML fragment (`name="value"` or `name='value'`).
fn attributes(html: &str) -> Vec<Attribute<'_>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut in_tag = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !in_tag {
            if b == b'<' && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
                in_tag = true;
            }
            i += 1;
            continue;
        }
        if b == b'>' {
            in_tag = false;
            i += 1;
            continue;
        }
        if b == b'=' {
            let name_end = html[..i].trim_end().len();
            // Unicode whitespace before the name may be wider than a byte (U+0085).
            let name_start = html[..name_end]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace() || *c == '<')
                .map_or(0, |(p, c)| p + c.len_utf8());
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if let Some(&q) = bytes.get(j).filter(|q| **q == b'"' || **q == b'\'')
                && let Some(len) = html[j + 1..].find(q as char)
            {
                found.push(Attribute {
                    name: &html[name_start..name_end],
                    value: &html[j + 1..j + 1 + len],
                    value_start: j + 1,
                });
                i = j + 2 + len;
                continue;
            }
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_after_wide_whitespace() {
        let found = attributes("<img\u{85}href=\"x\" a\u{3000}b='y'>");
        let names: Vec<&str> = found.iter().map(|a| a.name).collect();
        assert_eq!(names, ["href", "b"]);
        assert_eq!(found[0].value, "x");
    }

    #[test]
    fn comments_are_blanked_across_events() {
        let mut open = false;
        assert_eq!(mask_comments("<a href=\"x\">", &mut open), None);
        let m = mask_comments("a <!-- <img src=\"y\"> --> <b>é</b>", &mut open).unwrap();
        assert_eq!(m, format!("a {} <b>é</b>", " ".repeat(22)));
        assert!(!open);
        let m = mask_comments("<p>x</p><!-- start", &mut open).unwrap();
        assert_eq!(m.trim_end(), "<p>x</p>");
        assert!(open);
        let m = mask_comments("<a href=\"z\"> end --><i>", &mut open).unwrap();
        assert_eq!(m.trim_start(), "<i>");
        assert!(!open);
        let m = mask_comments("<!--><a href=\"w\"><!---><b>", &mut open).unwrap();
        assert_eq!(m.trim_start(), "<a href=\"w\">      <b>".trim_start());
    }

    #[test]
    fn finds_pseudo_tags() {
        assert_eq!(unknown_elements("<netid>"), ["netid"]);
        assert_eq!(
            unknown_elements("<span id=x>a</span><br/><my-widget>"),
            Vec::<String>::new()
        );
        assert_eq!(unknown_elements("<!-- c --> <Details> </NetID>"), ["netid"]);
        assert_eq!(
            unknown_elements("<math><mfrac><mi>a</mi><mn>2</mn></mfrac></math><svg><path/></svg>"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn finds_attributes_in_tags_only() {
        let html = "<a href=\"x.md\" id='top'>a=b</a> <img src = \"i.png\">";
        let attrs: Vec<(&str, &str)> = attributes(html).iter().map(|a| (a.name, a.value)).collect();
        assert_eq!(attrs, [("href", "x.md"), ("id", "top"), ("src", "i.png")]);
    }
}
