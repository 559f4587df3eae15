//! A notebook's images (outputs and attachments) as files of the page,
//! never data URLs, so pages stay small and the Content-Security-Policy
//! strict. SVG is a file too, shown with `<img>`, where a browser runs no
//! script of it and applies none of its styles to the page; in safe mode an
//! SVG that could run script when opened on its own is not written at all.

use std::collections::BTreeMap;

use super::Renderer;
use crate::diagnostics::Code;
use crate::load::notebook::Json;
use crate::util::html::escape;

/// Image types a page can show, with the extension of their files.
pub(super) const IMAGE_TYPES: &[(&str, &str)] = &[
    ("image/svg+xml", "svg"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/gif", "gif"),
];

impl Renderer<'_> {
    /// Writes an image of the notebook (an output or attachment) as a file of
    /// the page named `stem` plus the type's extension; returns its URL.
    pub(super) fn image_file(&mut self, stem: &str, mime: &str, data: Json) -> Option<String> {
        let (_, ext) = IMAGE_TYPES.iter().find(|(m, _)| *m == mime)?;
        let bytes = if mime == "image/svg+xml" {
            let svg = data.text();
            if !self.ctx.options.unsafe_html
                && let Some(what) = svg_script(&svg)
            {
                self.warn(
                    Code::NotebookImageDropped,
                    data.offset,
                    format!("safe mode left out an SVG image that has {what}"),
                    "the output is shown as its next type; SVG made by plotting libraries has no script",
                );
                return None;
            }
            svg.into_bytes()
        } else {
            let bytes = data.base64().filter(|b| looks_like(mime, b));
            let Some(bytes) = bytes else {
                self.warn(
                    Code::NotebookImageDropped,
                    data.offset,
                    format!(
                        "an image of type `{mime}` is not valid base64 {ext} data; it is left out"
                    ),
                    "run the cell again and save the notebook",
                );
                return None;
            };
            bytes
        };
        // Attachment names that differ only in what a file name may not hold
        // (`a b.png`, `a-b.png`) would share a file: number the later ones.
        let mut path = format!("{}{stem}.{ext}", self.dir);
        let mut n = 1;
        while self.out.files.iter().any(|(p, _)| *p == path) {
            n += 1;
            path = format!("{}{stem}-{n}.{ext}", self.dir);
        }
        let url = self.ctx.index.url_for(&path);
        self.out.files.push((path, bytes));
        Some(url)
    }
}

pub(super) fn image_tag(
    url: &str,
    mime: &str,
    data: &BTreeMap<&str, Json>,
    sizes: Option<&serde_json::Value>,
    n: usize,
) -> String {
    // The text form, when it describes the image rather than naming an object.
    let alt = data
        .get("text/plain")
        .map(|t| t.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && t.len() <= 200 && !t.starts_with('<'))
        .unwrap_or_else(|| format!("Output of cell {n}"));
    let mut attributes = String::new();
    for key in ["width", "height"] {
        if let Some(v) = sizes
            .and_then(|s| s.get(mime))
            .and_then(|m| m.get(key))
            .and_then(serde_json::Value::as_f64)
            .filter(|v| *v > 0.0 && *v < 100_000.0)
        {
            attributes.push_str(&format!(" {key}=\"{}\"", v.round() as u64));
        }
    }
    format!(
        "<img src=\"{}\" alt=\"{}\"{attributes} loading=\"lazy\">",
        escape(url),
        escape(&alt)
    )
}

/// Whether bytes start as a file of that image type does (a `.png` that is
/// really HTML is left out, whatever a host would make of it).
fn looks_like(mime: &str, bytes: &[u8]) -> bool {
    match mime {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(b"\xff\xd8\xff"),
        "image/gif" => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        _ => false,
    }
}

/// What in an SVG image could run script if the file were opened on its own
/// (shown with `<img>`, no SVG runs script); `None` when there is nothing.
/// Strict on purpose: plotting libraries write none of these.
fn svg_script(svg: &str) -> Option<&'static str> {
    let lower = svg.to_ascii_lowercase();
    const ELEMENTS: &[(&str, &str)] = &[
        ("<script", "a <script> element"),
        ("<foreignobject", "a <foreignObject> element"),
        ("<iframe", "an <iframe> element"),
        ("<embed", "an <embed> element"),
        ("<object", "an <object> element"),
        ("<handler", "a <handler> element"),
        ("<listener", "a <listener> element"),
        ("<set", "a <set> animation"),
        ("<animate", "an animation"),
        ("<!entity", "an entity declaration"),
        ("javascript:", "a javascript: URL"),
        ("vbscript:", "a vbscript: URL"),
    ];
    if let Some((_, what)) = ELEMENTS.iter().find(|(s, _)| lower.contains(s)) {
        return Some(what);
    }
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before = i.checked_sub(1).map(|b| bytes[b]);
        let attribute_start = before.is_some_and(|b| b.is_ascii_whitespace() || b == b'/');
        let name_len = bytes[i + 2..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let after = lower[i + 2 + name_len..].trim_start();
        if attribute_start && name_len > 0 && after.starts_with('=') {
            return Some("an event handler attribute");
        }
    }
    for (i, _) in lower.match_indices("href") {
        let value = lower[i + 4..].trim_start();
        let Some(value) = value.strip_prefix('=') else {
            continue;
        };
        let value = value
            .trim_start()
            .trim_start_matches(['"', '\''])
            .trim_start();
        let local = value.starts_with('#')
            || value.starts_with("data:image/png;")
            || value.starts_with("data:image/jpeg;");
        if !local {
            return Some("a link that leaves the image");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plotting_svg_passes_and_script_does_not() {
        let matplotlib = r##"<svg xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><style>*{stroke-linejoin: round}</style><defs><path id="m1" d="M 0 0"/></defs><use xlink:href="#m1" x="1" style="fill: #1f77b4"/><image xlink:href="data:image/png;base64,iVBOR" /><text>one = two</text></svg>"##;
        assert_eq!(svg_script(matplotlib), None);
        for (svg, what) in [
            ("<svg><script>alert(1)</script></svg>", "a <script> element"),
            ("<svg onload=alert(1)>", "an event handler attribute"),
            (
                "<svg><g\nONCLICK = \"x()\"/></svg>",
                "an event handler attribute",
            ),
            (
                "<svg><a href=\"java&#115;cript:x\">t</a></svg>",
                "a link that leaves the image",
            ),
            (
                "<svg><a xlink:href = 'https://e.org'>t</a></svg>",
                "a link that leaves the image",
            ),
            (
                "<svg><set attributeName=\"href\" to=\"x\"/></svg>",
                "a <set> animation",
            ),
            (
                "<svg><foreignObject><p>x</p></foreignObject></svg>",
                "a <foreignObject> element",
            ),
        ] {
            assert_eq!(svg_script(svg), Some(what), "{svg}");
        }
    }

    #[test]
    fn images_are_checked_by_their_first_bytes() {
        assert!(looks_like("image/png", b"\x89PNG\r\n\x1a\nrest"));
        assert!(!looks_like("image/png", b"<html><script>"));
        assert!(looks_like("image/jpeg", b"\xff\xd8\xff\xe0"));
        assert!(looks_like("image/gif", b"GIF89a..."));
    }
}
