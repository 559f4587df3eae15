//! Safe mode: a cap on how deeply elements nest, applied to a page's HTML
//! before the sanitiser parses it.
//!
//! The HTML parser inside ammonia checks scopes by walking its stack of open
//! elements, so its time grows with the square of the nesting depth: 25,000
//! nested `<div>` took 3 s, 100,000 took a minute. No reader loses anything
//! at [`MAX_DEPTH`]: browsers stop nesting there too (Chromium's parser puts
//! deeper elements beside their parent). Elements nested deeper lose their
//! start and end tags; their content stays. In: an HTML fragment or
//! document. Out: the capped HTML and where the first dropped tag was, or
//! `None` when nothing nests that deep (no copy).
//!
//! The scanner follows the HTML tokenizer closely enough to count depth:
//! comments, raw text elements (`script`, `style`, `textarea` …), quoted
//! attribute values, void elements, self-closing tags in SVG and MathML, and
//! the end tags a parser implies (`<p>` before a block, `<li>` after `<li>`).
//! It only removes tags; the sanitiser still decides what is allowed.

use std::cell::Cell;
use std::fmt;

use pulldown_cmark::Event;

use super::{RenderedPage, Source, Spanned};
use crate::diagnostics::{Code, Severity};

/// How deeply elements may nest; Chromium's HTML parser stops nesting at 512 too.
pub const MAX_DEPTH: usize = 512;

/// How far down the stack an end tag looks for its element; an end tag whose
/// element is further down is ignored, which keeps each tag's cost bounded.
const END_TAG_REACH: usize = 64;

/// The result of [`cap`] when something was too deep.
#[derive(Debug)]
pub struct Capped {
    pub html: String,
    /// Byte offset in the input of the first tag removed.
    pub first: usize,
    /// Elements whose tags were removed.
    pub elements: usize,
}

const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];
/// Elements whose content is text up to their end tag, never elements.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];
/// Start tags that close an open `<p>` (HTML's "close a p element").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

/// One open element.
struct Open<'a> {
    name: &'a str,
    /// Whether its tags were removed.
    dropped: bool,
}

/// The scan's state: the open elements, and the output once a tag was removed.
struct Scan<'a> {
    html: &'a str,
    max: usize,
    stack: Vec<Open<'a>>,
    /// Open elements that were kept (the depth the parser will see).
    kept: usize,
    /// Open `svg` and `math` elements: inside them `<x/>` closes itself.
    foreign: usize,
    out: Option<String>,
    /// End of the input copied to `out` so far.
    copied: usize,
    first: usize,
    elements: usize,
}

/// `html` with every element nested deeper than `max` flattened; `None` when none is.
pub fn cap(html: &str, max: usize) -> Option<Capped> {
    let mut scan = Scan {
        html,
        max,
        stack: Vec::new(),
        kept: 0,
        foreign: 0,
        out: None,
        copied: 0,
        first: 0,
        elements: 0,
    };
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        at = scan.markup(lt);
    }
    let mut out = scan.out?;
    out.push_str(&html[scan.copied..]);
    Some(Capped {
        html: out,
        first: scan.first,
        elements: scan.elements,
    })
}

/// `html` capped at [`MAX_DEPTH`], with a warning at the line of the first
/// removed tag; `at` maps an offset in `html` to one in the page's body.
pub(super) fn cap_page(
    html: String,
    source: &Source,
    at: impl Fn(usize) -> usize,
    out: &mut RenderedPage,
) -> String {
    let Some(capped) = cap(&html, MAX_DEPTH) else {
        return html;
    };
    let message = format!(
        "elements nested more than {MAX_DEPTH} deep are flattened ({} element(s) lost their tags)",
        capped.elements
    );
    out.diagnostics.push(
        source
            .diagnostic(
                Severity::Warning,
                Code::NestingTooDeep,
                at(capped.first),
                message,
            )
            .with_help("close the tags you open, or nest less: browsers flatten this deep too"),
    );
    capped.html
}

/// Where one event's output starts in the HTML and the event in the body; raw
/// HTML copied as it is written (`verbatim`) maps byte for byte.
#[derive(Debug, Clone, Copy)]
pub(super) struct Start {
    html: usize,
    body: usize,
    verbatim: bool,
}

/// Writes a page's events as HTML, like `pulldown_cmark::html::push_html`, and
/// returns where each event's output starts, in order, for [`body_offset`].
pub(super) fn push_html_mapped(html: &mut String, events: Vec<Spanned>) -> Vec<Start> {
    /// Appends to the page's HTML, keeping its length where the event iterator sees it.
    struct Counting<'a> {
        html: &'a mut String,
        len: &'a Cell<usize>,
    }
    impl fmt::Write for Counting<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.html.push_str(s);
            self.len.set(self.html.len());
            Ok(())
        }
    }
    let len = Cell::new(html.len());
    let mut starts = Vec::with_capacity(events.len());
    let events = events.into_iter().map(|(event, range): (Event, _)| {
        let verbatim =
            matches!(&event, Event::Html(t) | Event::InlineHtml(t) if t.len() == range.len());
        starts.push(Start {
            html: len.get(),
            body: range.start,
            verbatim,
        });
        event
    });
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(Counting { html, len: &len }, events);
    starts
}

/// Where in the body `offset` of the HTML was written: the very byte in raw
/// HTML, else the start of the event that wrote it.
pub(super) fn body_offset(starts: &[Start], offset: usize) -> usize {
    let i = starts.partition_point(|s| s.html <= offset);
    let Some(start) = starts.get(i.saturating_sub(1)) else {
        return 0;
    };
    if start.verbatim {
        start.body + (offset - start.html)
    } else {
        start.body
    }
}

fn is(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

impl<'a> Scan<'a> {
    /// Reads the markup that starts at `lt` (a `<`); returns where scanning goes on.
    fn markup(&mut self, lt: usize) -> usize {
        let html = self.html;
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            return comment.find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
        }
        let bytes = rest.as_bytes();
        match bytes.get(1) {
            Some(b'!' | b'?') => return skip_past(html, lt, '>'),
            Some(b'/') if bytes.get(2).is_some_and(u8::is_ascii_alphabetic) => {
                let (name, end) = tag(html, lt + 2);
                self.end_tag(name, lt, end);
                return end;
            }
            Some(b'/') => return skip_past(html, lt, '>'),
            Some(b) if b.is_ascii_alphabetic() => {}
            _ => return lt + 1,
        }
        let (name, end) = tag(html, lt + 1);
        let self_closing = html[..end].ends_with("/>");
        if is(name, RAW_TEXT) {
            return raw_text_end(html, end, name);
        }
        if name.eq_ignore_ascii_case("plaintext") {
            return html.len();
        }
        self.implied_ends(name);
        if is(name, VOID) || (self_closing && self.foreign > 0) {
            return end;
        }
        let dropped = self.kept >= self.max || self.stack.last().is_some_and(|o| o.dropped);
        if dropped {
            self.remove(lt, end);
            self.elements += 1;
        } else {
            self.kept += 1;
        }
        if is(name, &["svg", "math"]) {
            self.foreign += 1;
        }
        self.stack.push(Open { name, dropped });
        end
    }

    /// Pops the elements an opening `name` closes without an end tag.
    fn implied_ends(&mut self, name: &str) {
        const IMPLIED: &[(&[&str], &[&str])] = &[
            (&["li"], &["li"]),
            (&["dt", "dd"], &["dt", "dd"]),
            (&["option"], &["option"]),
            (&["tr"], &["td", "th", "tr"]),
            (&["td", "th"], &["td", "th"]),
            (
                &["tbody", "thead", "tfoot"],
                &["td", "th", "tr", "tbody", "thead", "tfoot"],
            ),
        ];
        let closes = IMPLIED
            .iter()
            .find(|(openers, _)| is(name, openers))
            .map_or(&[][..], |(_, closes)| closes);
        if is(name, CLOSES_P)
            && self
                .stack
                .last()
                .is_some_and(|o| o.name.eq_ignore_ascii_case("p"))
        {
            self.pop();
        }
        while self.stack.last().is_some_and(|o| is(o.name, closes)) {
            self.pop();
        }
    }

    /// An end tag closes its element and every element opened inside it; an end
    /// tag of a removed element goes too, and one that matches nothing near the
    /// top is removed when it stands among removed elements.
    fn end_tag(&mut self, name: &str, lt: usize, end: usize) {
        let reach = self.stack.len().saturating_sub(END_TAG_REACH);
        let found = (reach..self.stack.len())
            .rev()
            .find(|&i| self.stack[i].name.eq_ignore_ascii_case(name));
        let Some(i) = found else {
            if self.stack.last().is_some_and(|o| o.dropped) {
                self.remove(lt, end);
            }
            return;
        };
        let dropped = self.stack[i].dropped;
        while self.stack.len() > i {
            self.pop();
        }
        if dropped {
            self.remove(lt, end);
        }
    }

    fn pop(&mut self) {
        if let Some(open) = self.stack.pop() {
            if !open.dropped {
                self.kept -= 1;
            }
            if is(open.name, &["svg", "math"]) {
                self.foreign -= 1;
            }
        }
    }

    /// Leaves `start..end` of the input out of the output.
    fn remove(&mut self, start: usize, end: usize) {
        let out = self.out.get_or_insert_with(|| {
            self.first = start;
            String::with_capacity(self.html.len())
        });
        out.push_str(&self.html[self.copied..start]);
        self.copied = end;
    }
}

/// The tag name starting at `from`, and the end of the tag (after its `>`).
fn tag(html: &str, from: usize) -> (&str, usize) {
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && !matches!(bytes[i], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
    {
        i += 1;
    }
    let name = &html[from..i];
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (name, i + 1),
            b'=' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
                    i = html[i + 1..]
                        .find(q as char)
                        .map_or(bytes.len(), |j| i + 1 + j + 1);
                }
            }
            _ => i += 1,
        }
    }
    (name, bytes.len())
}

/// Just past the next `c` from `from`, or the end.
fn skip_past(html: &str, from: usize, c: char) -> usize {
    html[from..].find(c).map_or(html.len(), |i| from + i + 1)
}

/// Where the text of a raw text element that starts at `from` ends: after its end tag.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = html[at..].find("</").map(|i| at + i) {
        let after = i + 2 + name.len();
        if html
            .get(i + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after)
                .is_none_or(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
        {
            return skip_past(html, after, '>');
        }
        at = i + 2;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capped(html: &str, max: usize) -> String {
        cap(html, max).map_or_else(|| html.to_string(), |c| c.html)
    }

    #[test]
    fn flattens_what_is_too_deep_and_keeps_the_text() {
        let html = "<div><div><div><b>x</b></div></div></div><p>after</p>";
        assert!(cap(html, 4).is_none());
        let c = cap(html, 2).expect("too deep");
        assert_eq!(c.html, "<div><div>x</div></div><p>after</p>");
        assert_eq!((c.first, c.elements), (10, 2));
        assert_eq!(
            capped(&format!("{}x{}", "<div>".repeat(6), "</div>".repeat(6)), 3),
            "<div><div><div>x</div></div></div>"
        );
    }

    #[test]
    fn what_does_not_nest() {
        let html = "<p>a<p>b<p>c<ul><li>1<li>2<li>3</ul><img src=x><br><hr><input>\
            <svg><path d=\"M0\"/><path/><path/></svg><math><mspace/><mspace/></math>\
            <table><tr><td>1<td>2<tr><td>3</table><dl><dt>a<dd>b<dt>c<dd>d</dl></p>";
        assert!(cap(html, 3).is_none(), "{:?}", cap(html, 3));
    }

    #[test]
    fn markup_that_is_not_tags() {
        let html = "<div><!-- <div><div><div> --><script>if (a<b) { '<div><div>' }</script>\
            <style>a</ style><div></style><textarea><div><div></TEXTAREA>\
            <a title='<div><div>' href=\"x>\">a < b <= c</a><![CDATA[<div>]]><!doctype html></div>";
        assert!(cap(html, 2).is_none(), "{:?}", cap(html, 2));
    }

    #[test]
    fn end_tags_close_what_they_match() {
        // Unclosed inline elements inside a block close with it.
        let html = "<div><span><b><i>x</div><div><span><b><i>y</div>".repeat(50);
        assert!(cap(&html, 6).is_none());
        // End tags of removed elements go with them; stray ones among them too.
        assert_eq!(
            capped("<div><div><em>x</span></em>y</div></div>z", 2),
            "<div><div>xy</div></div>z"
        );
    }

    #[test]
    fn unterminated_markup_ends_the_scan() {
        for html in [
            "<div><div><div",
            "<div><!-- x",
            "<div><script>x",
            "<div a=\"x",
            "<",
            "</",
            "<div></",
        ] {
            let _ = cap(html, 1);
        }
        assert_eq!(capped("<div><div a=\"<b>", 1), "<div>");
    }

    #[test]
    fn any_text_is_scanned_without_panic() {
        let pieces = [
            "<",
            ">",
            "</",
            "/>",
            "<!--",
            "-->",
            "<!",
            "=",
            "\"",
            "'",
            "é",
            "日",
            "div",
            "DIV",
            "svg",
            "script",
            "</script",
            "p",
            "li",
            " ",
            "x",
            "<td",
            "plaintext",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2_000 {
            let mut html = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            if let Some(c) = cap(&html, 2) {
                assert!(c.html.len() < html.len() && html.is_char_boundary(c.first));
            }
        }
    }

    #[test]
    fn linear_in_depth() {
        let n = 200_000;
        let html = format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let c = cap(&html, MAX_DEPTH).expect("too deep");
        assert_eq!(c.elements, n - MAX_DEPTH);
        assert_eq!(c.html.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(c.html.matches("</div>").count(), MAX_DEPTH);
        let stray = format!("{}{}", "<div>".repeat(MAX_DEPTH), "</span>".repeat(n));
        assert!(cap(&stray, MAX_DEPTH).is_none());
    }
}
