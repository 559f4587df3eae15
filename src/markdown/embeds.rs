//! What a rendered page loads from other sites: the origins of its external
//! images, media and frames, and whether it has `style` attributes. Read from
//! the page's final HTML with a browser's tokenizer (so raw HTML, MkDocs
//! constructs, notebook outputs and Markdown images are all seen as a browser
//! sees them), for the Content-Security-Policy the Azure config derives.
//!
//! In: the HTML fragment of one page. Out: [`Embeds`].

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

use crate::model::rendered::Embeds;

/// Tags whose attributes can load something; a page without any of them (and
/// without `style`) is not tokenized at all.
const LOADING_TAGS: &[&[u8]] = &[
    b"img", b"video", b"audio", b"source", b"track", b"iframe", b"input",
];

/// The embeds of one page's HTML.
pub fn collect(html: &str) -> Embeds {
    if !worth_reading(html) {
        return Embeds::default();
    }
    let sink = Sink::default();
    let tokenizer = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.embeds.take()
}

/// Whether the HTML may load from another origin or style inline: one pass
/// over its tags that spares most pages the tokenizer. It may say yes for
/// nothing (the word in an attribute value), never no for something.
fn worth_reading(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(p) = html[at..].find('<') {
        let start = at + p + 1;
        let next = html[start..].find('<').map_or(html.len(), |e| start + e);
        // Up to the next `<`, not `>`: an attribute value may hold a `>`.
        let tag = &bytes[start..next];
        // Attributes end at `>` here: prose after a tag often says " on".
        let attributes = &tag[..tag.iter().position(|b| *b == b'>').unwrap_or(tag.len())];
        // `script` counts only as the tag's name: highlighted code says
        // `data-lang="javascript"`, and a third of a course's pages would
        // otherwise be tokenized for nothing.
        if contains_ignoring_case(attributes, b"style")
            || starts_with_ignoring_case(attributes, b"script")
            || contains_ignoring_case(attributes, b" on")
        {
            return true;
        }
        let loads = LOADING_TAGS
            .iter()
            .any(|name| tag.len() > name.len() && tag[..name.len()].eq_ignore_ascii_case(name));
        if loads && tag.windows(2).any(|w| w == b"//") {
            return true;
        }
        at = next;
    }
    false
}

fn starts_with_ignoring_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[derive(Default)]
struct Sink {
    embeds: RefCell<Embeds>,
    /// Inside `<video>` or `<audio>`: a `<source src>` there is media.
    in_media: RefCell<usize>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name: &str = &tag.name;
        if tag.kind == TagKind::EndTag {
            if matches!(name, "video" | "audio") {
                let mut depth = self.in_media.borrow_mut();
                *depth = depth.saturating_sub(1);
            }
            return TokenSinkResult::Continue;
        }
        self.start_tag(&tag);
        // What a browser reads as text, not tags (the tokenizer alone does not know).
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }
}

impl Sink {
    fn start_tag(&self, tag: &Tag) {
        let name: &str = &tag.name;
        let attr = |wanted: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == wanted)
                .map(|a| &*a.value)
        };
        let mut embeds = self.embeds.borrow_mut();
        if attr("style").is_some() {
            embeds.style_attr = true;
        }
        if tag.attrs.iter().any(|a| {
            let n: &str = &a.name.local;
            n.len() > 2 && n.starts_with("on")
        }) {
            embeds.inline_script = true;
        }
        if matches!(name, "video" | "audio") && !tag.self_closing {
            *self.in_media.borrow_mut() += 1;
        }
        let in_media = *self.in_media.borrow() > 0;
        let is_image_input =
            name == "input" && attr("type").is_some_and(|t| t.eq_ignore_ascii_case("image"));
        match name {
            "img" => {
                add(&mut embeds.img, attr("src"));
                add_srcset(&mut embeds.img, attr("srcset"));
            }
            _ if is_image_input => add(&mut embeds.img, attr("src")),
            "source" if in_media => add(&mut embeds.media, attr("src")),
            // `<source srcset>` in a `<picture>`.
            "source" => add_srcset(&mut embeds.img, attr("srcset")),
            "video" | "audio" | "track" => {
                add(&mut embeds.media, attr("src"));
                add(&mut embeds.img, attr("poster"));
            }
            "iframe" => add(&mut embeds.frame, attr("src")),
            "script" => match attr("src") {
                Some(src) => add(&mut embeds.script, Some(src)),
                None => embeds.inline_script |= runs(attr("type")),
            },
            "style" => embeds.style_element = true,
            _ => {}
        }
    }
}

/// Whether a `<script>` of this `type` is run by the browser (data blocks and
/// templates such as `text/x-mathjax-config` are not, so CSP leaves them alone).
fn runs(kind: Option<&str>) -> bool {
    let kind = kind.unwrap_or("").trim().to_ascii_lowercase();
    kind.is_empty()
        || kind == "module"
        || kind.contains("javascript")
        || kind.contains("ecmascript")
}

fn add(set: &mut std::collections::BTreeSet<String>, url: Option<&str>) {
    if let Some(origin) = url.and_then(origin) {
        set.insert(origin);
    }
}

/// `srcset` is a comma-separated list of `URL [descriptor]`.
fn add_srcset(set: &mut std::collections::BTreeSet<String>, srcset: Option<&str>) {
    for candidate in srcset.into_iter().flat_map(|s| s.split(',')) {
        add(set, candidate.split_whitespace().next());
    }
}

/// The CSP source of an absolute or scheme-relative `http(s)` URL: `https://host[:port]`,
/// or the bare `host[:port]` for `//host/…`. Anything else (paths, `data:`) is `None`.
pub fn origin(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = match url.find("//") {
        Some(0) => ("", &url[2..]),
        Some(i) if url[..i].ends_with(':') => {
            let scheme = url[..i - 1].to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return None;
            }
            (&url[..i + 2], &url[i + 2..])
        }
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#', '\\']).next()?;
    // Credentials are never part of an origin.
    let host = authority.rsplit('@').next()?.to_ascii_lowercase();
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b));
    valid.then(|| format!("{}{host}", scheme.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> std::collections::BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn origins() {
        let cases = [
            (
                "https://img.shields.io/badge/x.svg",
                Some("https://img.shields.io"),
            ),
            (
                "HTTP://Example.org:8080/a?b#c",
                Some("http://example.org:8080"),
            ),
            ("//cdn.example.org/x.png", Some("cdn.example.org")),
            (
                "https://user:pw@host.example/x",
                Some("https://host.example"),
            ),
            ("https://[::1]:9/x", Some("https://[::1]:9")),
            ("img/flow.png", None),
            ("/img/flow.png", None),
            ("data:image/png;base64,xx", None),
            ("javascript://x.org/%0aalert(1)", None),
            ("https://a b/x", None),
            ("https:///x", None),
        ];
        for (url, want) in cases {
            assert_eq!(origin(url).as_deref(), want, "{url}");
        }
    }

    #[test]
    fn embeds_by_directive() {
        let html = r#"<p><img src="https://a.example/x.png" alt=""> <img src="local.png"></p>
<picture><source srcset="https://b.example/x.avif 1x, //c.example/y.avif 2x"><img src="y.png"></picture>
<VIDEO poster="https://p.example/p.jpg"><source src="https://m.example/v.mp4"><track src="https://t.example/c.vtt"></VIDEO>
<audio src="https://m2.example/a.ogg"></audio>
<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
<input type="IMAGE" src="https://i.example/btn.png">
<!-- <img src="https://comment.example/x.png"> -->
<script>document.write('<img src="https://script.example/x.png">')</script>
<pre><code>&lt;img src="https://code.example/x.png"&gt;</code></pre>"#;
        let e = collect(html);
        assert_eq!(
            e.img,
            set(&[
                "https://a.example",
                "https://b.example",
                "c.example",
                "https://p.example",
                "https://i.example"
            ])
        );
        assert_eq!(
            e.media,
            set(&[
                "https://m.example",
                "https://t.example",
                "https://m2.example"
            ])
        );
        assert_eq!(e.frame, set(&["https://www.youtube-nocookie.com"]));
        assert!(!e.style_attr);
        assert!(e.script.is_empty());
        assert!(e.inline_script);
        assert!(!e.style_element);
    }

    #[test]
    fn scripts_and_style_elements() {
        let e = collect(
            r#"<script src="https://remarkjs.com/remark.js"></script><script src="local.js"></script>
<script type="text/x-mathjax-config">MathJax.Hub.Config({})</script><style>p { color: red }</style>"#,
        );
        assert_eq!(e.script, set(&["https://remarkjs.com"]));
        assert!(
            !e.inline_script,
            "src and data blocks are not inline scripts"
        );
        assert!(e.style_element);
        assert!(collect("<p><a href=\"#\" onclick=\"go()\">x</a></p>").inline_script);
        assert!(collect("<script>go()</script>").inline_script);
        assert!(collect("<script type=\"module\">go()</script>").inline_script);
        assert!(!collect("<p>Click on the link, or onward.</p>").inline_script);
    }

    /// A URL is author-written: nothing in it may reach the policy but a host.
    #[test]
    fn hostile_urls_add_no_directive() {
        for url in [
            "https://a.example;script-src *",
            "https://a.example'unsafe-inline'/x.png",
            "https://a.example script-src/x.png",
            "https://a.example\n;script-src/x.png",
            "https://a.example,b.example/x.png",
            "https://bücher.example/x.png",
            "https://%61.example/x.png",
        ] {
            assert_eq!(origin(url), None, "{url:?}");
        }
        let html = r#"<img src="https://a.example;script-src 'unsafe-inline'/x.png">"#;
        assert!(collect(html).img.is_empty());
    }

    #[test]
    fn style_attributes() {
        assert!(collect(r#"<p style="color: red">x</p>"#).style_attr);
        assert!(collect("<p STYLE='x'>x</p>").style_attr);
        assert!(!collect("<p>style=\"x\" is text</p>").style_attr);
        assert!(!collect("<style>p { color: red }</style>").style_attr);
        assert!(collect("<p>no images here</p>").is_empty());
        assert!(!worth_reading(
            "<p><img src=\"local.png\"></p><pre>// a comment</pre>"
        ));
        assert!(worth_reading(
            "<IMG alt=\"a > b\" src=\"//x.example/y.png\">"
        ));
        assert!(!worth_reading(
            "<figure class=\"code-block\" data-lang=\"javascript\"><pre>x</pre></figure>"
        ));
        assert!(worth_reading("<p>a</p><SCRIPT>go()</SCRIPT>"));
    }
}
