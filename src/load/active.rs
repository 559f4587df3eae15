//! Safe mode and co-located files: a file under `content/` that a browser
//! would run as a page or script of the site is refused, with an error naming
//! it, and nothing is written.
//!
//! In: the course's assets. Out: one error per active file. Refused by
//! extension: scripts and HTML ([`ACTIVE_EXTENSIONS`]). Read and refused when
//! they hold script-capable markup: SVG and XML ([`CHECKED_EXTENSIONS`]), by
//! [`active_markup`], a conservative scan (a script inside a comment counts).
//! Everything else is served with a type a browser does not run (the site
//! sends `X-Content-Type-Options: nosniff`).

use rayon::prelude::*;

use crate::diagnostics::{self, Code, Diagnostic};
use crate::model::Course;

/// Extensions of files a browser runs as script or as a page of the site.
pub const ACTIVE_EXTENSIONS: &[&str] = &[
    "js", "mjs", "cjs", "html", "htm", "xhtml", "xht", "shtml", "xsl", "xslt", "svgz",
];
/// Extensions of documents that may hold script; their content is checked.
pub const CHECKED_EXTENSIONS: &[&str] = &["svg", "xml", "rss", "atom", "rdf"];

/// Elements that run script or embed other documents, in SVG and XML.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "embed",
    "object",
    "applet",
    "handler",
    "listener",
];
/// `data:` URLs an SVG may embed: images and fonts, which run nothing.
const DATA_ALLOWED: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/bmp",
    "font/",
    "application/font",
    "application/x-font",
];

/// One error per co-located file that safe mode does not publish.
pub fn check(course: &Course) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = course
        .assets
        .par_iter()
        .filter_map(|rel| check_one(course, rel))
        .collect();
    found.sort_by(|a, b| a.file.cmp(&b.file));
    found
}

fn check_one(course: &Course, rel: &str) -> Option<Diagnostic> {
    let name = format!("{}/{rel}", course.content_name);
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if ACTIVE_EXTENSIONS.contains(&ext.as_str()) {
        return Some(
            Diagnostic::error(
                Code::UnsafeFile,
                &name,
                format!("safe mode does not publish `{name}`: a browser runs a `.{ext}` file as a script or page of the site"),
            )
            .with_help(REFUSED_HELP),
        );
    }
    if !CHECKED_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let refuse = |what: String| {
        Diagnostic::error(
            Code::UnsafeFile,
            &name,
            format!("safe mode does not publish `{name}`: it has {what}, which a browser runs when the file is opened"),
        )
        .with_help(CHECKED_HELP)
    };
    let bytes = match std::fs::read(course.content_dir.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            return Some(Diagnostic::error(
                Code::UnreadableFile,
                &name,
                format!("cannot read `{name}`: {e}"),
            ));
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Some(refuse(
            "text that is not UTF-8 (it cannot be checked)".into(),
        ));
    };
    let (offset, what) = active_markup(text)?;
    let (line, column) = diagnostics::line_col(text, offset);
    Some(refuse(what).at(line, column))
}

const REFUSED_HELP: &str = "remove the file from the pull request; a course that trusts its authors' files builds without --safe (`unsafe_html = true`)";
const CHECKED_HELP: &str = "remove the script, event handlers and embedded documents (export the drawing again as a plain SVG), or build trusted content without --safe";

/// The first construct in an SVG or XML document that could run script: its
/// byte offset and what it is. Read conservatively: names are compared in
/// lower case without their namespace prefix, character references are
/// decoded, and white space inside a URL is ignored, as a browser does.
pub fn active_markup(text: &str) -> Option<(usize, String)> {
    let lower = text.to_ascii_lowercase();
    for (needle, what) in [
        ("<!entity", "an entity declaration"),
        ("<?xml-stylesheet", "a stylesheet processing instruction"),
        ("http://www.w3.org/1999/xhtml", "HTML inside it"),
    ] {
        if let Some(at) = lower.find(needle) {
            return Some((at, what.into()));
        }
    }
    active_tags(&lower)
}

/// Elements of [`ACTIVE_ELEMENTS`], `on…` attributes (by their local names)
/// and attribute values with a script URL.
fn active_tags(lower: &str) -> Option<(usize, String)> {
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(p) = lower[i..].find('<') {
        let start = i + p;
        i = start + 1;
        let name_len = b[i..]
            .iter()
            .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'/'))
            .count();
        let name = local(&lower[i..i + name_len]);
        if ACTIVE_ELEMENTS.contains(&name) {
            return Some((start, format!("a <{name}> element")));
        }
        i += name_len;
        while i < b.len() && b[i] != b'>' {
            if b[i].is_ascii_whitespace() || matches!(b[i], b'/' | b'"' | b'\'' | b'=') {
                i += 1;
                continue;
            }
            let at = i;
            let len = b[i..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
                .count();
            let attribute = local(&lower[i..i + len]);
            if attribute.len() > 2 && attribute.starts_with("on") {
                return Some((at, format!("an `{attribute}` event handler")));
            }
            i += len;
            let (value, end) = attribute_value(lower, i);
            if let Some(what) = script_url(value) {
                return Some((at, what));
            }
            i = end;
        }
    }
    None
}

/// The value of the attribute whose name ends at `i` (empty when it has none), and where it ends.
fn attribute_value(lower: &str, mut i: usize) -> (&str, usize) {
    let b = lower.as_bytes();
    let skip = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    i = skip(i);
    if i >= b.len() || b[i] != b'=' {
        return ("", i);
    }
    i = skip(i + 1);
    match b.get(i) {
        Some(&q) if q == b'"' || q == b'\'' => {
            let end = b[i + 1..]
                .iter()
                .position(|c| *c == q)
                .map_or(b.len(), |p| i + 1 + p);
            (&lower[i + 1..end], (end + 1).min(b.len()))
        }
        _ => {
            let end = b[i..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || *c == b'>')
                .map_or(b.len(), |p| i + p);
            (&lower[i..end], end)
        }
    }
}

/// The part of a name after its namespace prefix (`svg:script` → `script`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// A `javascript:` or `vbscript:` URL in an attribute value, or a `data:` URL
/// other than an image or font, once character references are decoded and
/// white space removed (a browser ignores it inside a URL).
fn script_url(value: &str) -> Option<String> {
    if !value.contains([':', '&']) {
        return None;
    }
    let mut url = String::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let (c, len) = decode(&value[i..]);
        if c > ' ' {
            url.push(c.to_ascii_lowercase());
        }
        i += len;
    }
    for scheme in ["javascript:", "vbscript:"] {
        if url.contains(scheme) {
            return Some(format!("a `{scheme}` URL"));
        }
    }
    let mut from = 0;
    while let Some(p) = url[from..].find("data:") {
        let at = from + p;
        let scheme_starts = url[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let rest = &url[at + 5..];
        if scheme_starts && !DATA_ALLOWED.iter().any(|t| rest.starts_with(t)) {
            let kind: String = rest
                .chars()
                .take_while(|c| *c != ',' && *c != ';')
                .take(40)
                .collect();
            return Some(format!("a `data:{kind}` URL"));
        }
        from = at + 5;
    }
    None
}

/// The character at the start of `text`, with XML's character references
/// decoded (`&#106;`, `&#x6A;`, `&amp;` …), and how many bytes it took.
fn decode(text: &str) -> (char, usize) {
    let c = text.chars().next().unwrap_or('\u{FFFD}');
    if c != '&' {
        return (c, c.len_utf8());
    }
    let Some(end) = text.as_bytes().iter().take(12).position(|b| *b == b';') else {
        return ('&', 1);
    };
    let name = &text[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => match name.strip_prefix("#x") {
            Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
            None => name
                .strip_prefix('#')
                .and_then(|d| d.parse().ok())
                .and_then(char::from_u32),
        },
    };
    decoded.map_or(('&', 1), |c| (c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_runs() {
        let cases = [
            ("<svg><script>alert(1)</script></svg>", "<script>"),
            (
                "<svg xmlns:s=\"x\"><s:script href=\"/x.js\"/></svg>",
                "<script>",
            ),
            ("<svg><SCRIPT>x</SCRIPT></svg>", "<script>"),
            ("<svg onload=\"alert(1)\"/>", "onload"),
            ("<svg><rect x='1' ONCLICK='f()'/></svg>", "onclick"),
            ("<svg><g ev:onactivate=\"f()\"/></svg>", "onactivate"),
            (
                "<svg><foreignObject><div/></foreignObject></svg>",
                "<foreignobject>",
            ),
            (
                "<svg><a href=\"javascript:alert(1)\">x</a></svg>",
                "javascript:",
            ),
            (
                "<svg><a href=\"&#106;ava&#x73;cript&#58;x\">x</a></svg>",
                "javascript:",
            ),
            (
                "<svg><a href=\"java\n\tscript:x\">x</a></svg>",
                "javascript:",
            ),
            (
                "<svg><set attributeName=\"href\" to=\"JaVaScRiPt:x\"/></svg>",
                "javascript:",
            ),
            (
                "<svg><use href=\"data:image/svg+xml,&lt;svg\"/></svg>",
                "data:image/svg+xml",
            ),
            (
                "<svg><a href=\"data:text/html,x\">x</a></svg>",
                "data:text/html",
            ),
            ("<!DOCTYPE svg [<!ENTITY a \"java\">]><svg/>", "entity"),
            (
                "<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><r/>",
                "stylesheet",
            ),
            (
                "<r><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">x</h:script></r>",
                "HTML",
            ),
            ("<svg><iframe src=\"x\"/></svg>", "<iframe>"),
        ];
        for (text, want) in cases {
            match active_markup(text) {
                Some((_, what)) => assert!(what.contains(want), "{text}: {what}"),
                None => panic!("{text} passed"),
            }
        }
    }

    #[test]
    fn plain_drawings_pass() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">\n<style>.a { fill: #f00 } /* on=1 */</style>\n<defs><linearGradient id=\"g\"/></defs>\n<rect class=\"a\" x=\"1\" opacity=\"0.5\" onset=\"\"/>\n<text font-family=\"Segoe UI\">Data: one; two</text>\n<image href=\"data:image/png;base64,iVBOR\"/>\n<a href=\"https://example.org/\">link</a>\n</svg>\n";
        // `onset` is not a handler name a browser knows, but counts as one: conservative.
        assert_eq!(active_markup(&svg.replace(" onset=\"\"", "")), None);
        assert!(active_markup(svg).is_some());
        // URLs count in attribute values only; text is text.
        assert_eq!(
            active_markup("<r><v>javascript: data:x</v><m content=\"metadata:x\"/></r>"),
            None
        );
    }

    #[test]
    fn positions_point_at_the_construct() {
        let text = "<svg>\n  <rect/>\n  <script/>\n</svg>";
        assert_eq!(active_markup(text).map(|(at, _)| at), text.find("<script"));
    }
}
