//! The safe-mode oracle: finds, in rendered HTML, the first construct a browser
//! could run as script. Independent of syllabus's own sanitiser on purpose.
//! Shared by the safe-mode tests and the fuzz targets (`fuzz/src/lib.rs`),
//! which include this file by path.

/// Elements that can run script or embed other documents.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "style", "form", "base", "meta",
    "link", "svg", "template", "applet", "isindex",
];
/// Attributes that hold a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
];

/// The first construct that could run script: a forbidden element, an `on*`
/// attribute, or a URL attribute whose scheme is `javascript:`, `vbscript:` or
/// `data:`. Strict and parser-free: lower-cased, tags read as a browser tokenizes them
/// (text `<` is always escaped in our output, so any `<letter` starts a tag).
pub fn unsafe_markup(html: &str) -> Option<String> {
    unsafe_markup_but(html, &[])
}

/// [`unsafe_markup`], with some forbidden elements allowed (the theme's own `svg` icons).
pub fn unsafe_markup_but(html: &str, allowed: &[&str]) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(p) = lower[i..].find('<') {
        let start = i + p + 1;
        i = start;
        let name_len = b[start..]
            .iter()
            .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'/'))
            .count();
        let name = &lower[start..start + name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if FORBIDDEN_TAGS.contains(&name) && !allowed.contains(&name) {
            return Some(format!("a <{name}> element"));
        }
        let (attributes, end) = tag_attributes(&lower, start + name_len);
        for (attr, value) in attributes {
            if attr.starts_with("on") {
                return Some(format!("an `{attr}` attribute on <{name}>"));
            }
            // As a browser reads a URL (the URL Standard): C0 controls and spaces
            // trimmed at both ends, tabs and newlines removed anywhere. A space
            // inside (`javascript :x`) leaves no scheme: a relative URL.
            let url: String = decode_entities(&value)
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            if URL_ATTRIBUTES.contains(&attr.as_str())
                && ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| url.starts_with(s))
            {
                return Some(format!("`{attr}=\"{value}\"` on <{name}>"));
            }
        }
        i = end;
    }
    None
}

/// Attribute names and raw values of the tag whose name ends at `i`, and where the tag ends.
fn tag_attributes(html: &str, mut i: usize) -> (Vec<(String, String)>, usize) {
    let b = html.as_bytes();
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (out, (i + 1).min(b.len()));
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = html[name_start..i].to_string();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let end = b[i + 1..]
                    .iter()
                    .position(|c| *c == q)
                    .map_or(b.len(), |p| i + 1 + p);
                value = html[i + 1..end].to_string();
                i = (end + 1).min(b.len());
            } else {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = html[s..i].to_string();
            }
        }
        out.push((name, value));
    }
}

/// Character references a browser decodes in an attribute value, as far as a scheme can hide in them.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let decoded = rest.find(';').filter(|e| *e <= 12).and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ if name.starts_with("#x") => u32::from_str_radix(&name[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
