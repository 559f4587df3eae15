//! Safe mode (`[markdown] unsafe_html = false`, or `--safe`): a contributor's
//! page cannot run script in a reader's browser.
//!
//! Two steps, both pure. [`neutralise_urls`] turns Markdown links and images
//! whose URL has a scheme outside [`URL_SCHEMES`] (`javascript:`, `vbscript:`,
//! `data:` …) into their plain text, with a warning. Then, when the page has
//! raw HTML, [`clean`] sanitises the page's whole rendered fragment with
//! ammonia. Sanitising the whole fragment, not event by event, matters:
//! pulldown-cmark splits `<span>`…`</span>` and `<details>` … Markdown …
//! `</details>` into separate events, and each piece on its own is a broken
//! tag; in the finished fragment every tag is whole. A page without raw HTML
//! skips ammonia: all its markup comes from pulldown-cmark and our own passes,
//! which escape text and attribute values.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{RenderedPage, Source, Spanned};
use crate::diagnostics::{Code, Severity};

/// URL schemes a link or image may use in safe mode (ammonia's default list);
/// URLs without a scheme (relative, `#fragment`, `/path`) are always allowed.
pub const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Elements whose content goes with them (ammonia keeps the text of other removed elements).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "template", "textarea", "title", "noscript",
    "noembed", "noframes", "xmp",
];

/// Attributes allowed on every element: ids stay, since they are link targets.
const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "dir", "aria-label", "aria-hidden"];

/// The MathML that pulldown-latex writes for `$…$` and `$$…$$`.
pub(super) const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mfrac",
    "msqrt",
    "mroot",
    "mtable",
    "mtr",
    "mtd",
    "merror",
    "mpadded",
    "mphantom",
    "mstyle",
];
/// The attributes it writes on them (besides `class`, `style` and `encoding`, see `mathml.rs`).
pub(super) const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "displaystyle",
    "scriptlevel",
    "mathvariant",
    "stretchy",
    "largeop",
    "movablelimits",
    "symmetric",
    "minsize",
    "maxsize",
    "linethickness",
    "width",
    "height",
    "depth",
    "lspace",
    "rspace",
    "fence",
    "separator",
    "accent",
    "accentunder",
    "columnalign",
    "rowalign",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(cleaner);

fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.link_rel(None)
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .add_tags(["input", "section"])
        .add_tags(MATHML_TAGS.iter().copied())
        .rm_clean_content_tags(["script", "style"])
        .add_clean_content_tags(DROPPED_WITH_CONTENT.iter().copied())
        .add_generic_attributes(GENERIC_ATTRIBUTES.iter().copied())
        .add_tag_attributes("a", ["data-footnote-ref", "data-footnote-backref"])
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("ol", ["reversed", "type"])
        .add_tag_attributes("li", ["value"])
        .add_tag_attributes("section", ["data-footnotes"])
        .add_tag_attributes("figure", ["data-lang"])
        .add_tag_attributes("span", ["data-line"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("input", ["checked", "disabled"])
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .add_tag_attribute_values("annotation", "encoding", ["application/x-tex"]);
    for tag in MATHML_TAGS {
        b.add_tag_attributes(tag, MATHML_ATTRIBUTES.iter().copied());
    }
    b
}

/// Whether the page has raw HTML (and so needs [`clean`]); call before other
/// passes add HTML. `ours` tells HTML events a pass of ours wrote (markers).
pub(super) fn has_raw_html(events: &[Spanned], ours: impl Fn(&str) -> bool) -> bool {
    events.iter().any(|(e, _)| match e {
        Event::Html(h) | Event::InlineHtml(h) => !ours(h),
        _ => false,
    })
}

/// Sanitises a rendered fragment: only harmless elements, attributes and URLs remain.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The scheme of a URL as a browser reads it (leading and trailing controls and
/// spaces trimmed, tabs and newlines removed, lower-cased); `None` when relative.
pub fn scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether safe mode lets a link or image use this URL.
pub fn url_allowed(url: &str) -> bool {
    scheme(url).is_none_or(|s| URL_SCHEMES.contains(&s.as_str()))
}

/// Markdown links and images with a disallowed URL become their text, with a warning.
pub(super) fn neutralise_urls(events: &mut Vec<Spanned>, source: &Source, out: &mut RenderedPage) {
    let mut removed: HashSet<usize> = HashSet::new();
    // For each open link or image: whether it was removed.
    let mut open: Vec<bool> = Vec::new();
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let bad = !url_allowed(dest_url);
                if bad {
                    removed.insert(i);
                    let scheme = scheme(dest_url).unwrap_or_default();
                    out.diagnostics.push(
                        source
                            .diagnostic(
                                Severity::Warning,
                                Code::UnsafeLinkRemoved,
                                range.start,
                                format!("safe mode removed a link to a `{scheme}:` URL"),
                            )
                            .with_help(
                                "links may use http(s), mailto, tel and other harmless schemes, or a path",
                            ),
                    );
                }
                open.push(bad);
            }
            Event::End(TagEnd::Link | TagEnd::Image) if open.pop().unwrap_or(false) => {
                removed.insert(i);
            }
            _ => {}
        }
    }
    if removed.is_empty() {
        return;
    }
    let mut i = 0;
    events.retain(|_| {
        i += 1;
        !removed.contains(&(i - 1))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_as_a_browser_reads_them() {
        let cases = [
            ("javascript:alert(1)", Some("javascript")),
            ("JaVaScRiPt:alert(1)", Some("javascript")),
            (" \u{1}javascript:x", Some("javascript")),
            ("java\tscript:x", Some("javascript")),
            ("java\nscript:x", Some("javascript")),
            ("vbscript:x", Some("vbscript")),
            ("data:text/html,x", Some("data")),
            ("https://example.org/a:b", Some("https")),
            ("../s/index.md", None),
            ("./a:b", None),
            ("#top", None),
            ("/img/a.png", None),
            ("java\\script:x", None),
            ("javascript%3Ax", None),
            ("", None),
        ];
        for (url, want) in cases {
            assert_eq!(scheme(url).as_deref(), want, "{url:?}");
        }
        assert!(url_allowed("mailto:a@b.org"));
        assert!(!url_allowed("JAVASCRIPT:x"));
        assert!(!url_allowed("data:image/png;base64,AAAA"));
    }

    #[test]
    fn whole_fragment_keeps_structure() {
        let html = "<details><summary>Answer</summary>\n<p>It is <strong>42</strong>.</p>\n</details>\n<p><span id=\"x\" class=\"k\">a</span> <kbd>Ctrl</kbd> H<sub>2</sub>O</p>";
        assert_eq!(clean(html), html);
    }

    #[test]
    fn removes_script_handlers_and_bad_urls() {
        let out = clean(
            "<p><a href=\"javascript:alert(1)\">t</a><img src=x onerror=alert(1)><script>alert(2)</script><iframe src=\"https://e.org\"></iframe><a href=\"https://ok.org/\" title=\"t\">ok</a></p>",
        );
        assert_eq!(
            out,
            "<p><a>t</a><img src=\"x\"><a href=\"https://ok.org/\" title=\"t\">ok</a></p>"
        );
    }

    #[test]
    fn keeps_task_lists_math_and_footnote_markup() {
        let html = "<ul><li><input disabled=\"\" type=\"checkbox\"> a</li></ul><math display=\"block\"><semantics><mrow><mi>x</mi></mrow><annotation encoding=\"application/x-tex\">x</annotation></semantics></math><section class=\"footnotes\" data-footnotes=\"\"><ol><li id=\"fn-1\"><a href=\"#fnref-1\" data-footnote-backref=\"\" aria-label=\"Back\">↩</a></li></ol></section>";
        assert_eq!(clean(html), html);
        assert_eq!(
            clean("<input type=\"text\" onfocus=\"x()\" autofocus>"),
            "<input>"
        );
    }
}
