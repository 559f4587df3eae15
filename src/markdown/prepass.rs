//! Passes over the Markdown source, before pulldown-cmark reads it, for the
//! MkDocs syntax that is not CommonMark: `--8<--` includes, `markdown`
//! attributes on block HTML, admonitions and content tabs, abbreviations.
//!
//! Each pass reads the text the previous one made and writes a new one, line
//! by line, from copies of its input and a little text of its own. A
//! [`SourceMap`] remembers where each piece came from, so that every position
//! (of a link, of a problem) still points into the user's file. Where a pass
//! needs markup pulldown-cmark cannot make, it writes a [`Marker`]: an HTML
//! comment holding a key the page does not contain, turned into our markup
//! by an event pass after parsing.

use std::ops::Range;

/// Where a piece of a pass's output came from.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Offset of the piece in the output.
    at: usize,
    /// Offset in the input it maps to.
    from: usize,
    /// Copied (offsets inside move with it) or written by the pass (they all map to `from`).
    copied: bool,
}

/// Builds one pass's output.
#[derive(Debug, Default)]
pub(super) struct Builder {
    text: String,
    pieces: Vec<Piece>,
}

impl Builder {
    pub(super) fn with_capacity(n: usize) -> Builder {
        Builder {
            text: String::with_capacity(n + n / 8),
            pieces: Vec::new(),
        }
    }

    /// Appends `input[range]`.
    pub(super) fn copy(&mut self, input: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let contiguous = self
            .pieces
            .last()
            .is_some_and(|p| p.copied && p.from + (self.text.len() - p.at) == range.start);
        if !contiguous {
            self.pieces.push(Piece {
                at: self.text.len(),
                from: range.start,
                copied: true,
            });
        }
        self.text.push_str(&input[range]);
    }

    /// Appends text of the pass's own, placed at `at` of the input.
    pub(super) fn write(&mut self, text: &str, at: usize) {
        if text.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            at: self.text.len(),
            from: at,
            copied: false,
        });
        self.text.push_str(text);
    }

    pub(super) fn ends_with_blank_line(&self) -> bool {
        self.text.is_empty() || self.text.ends_with("\n\n") || self.text == "\n"
    }

    /// Ends the current line and adds an empty one, unless there is one already.
    pub(super) fn blank_line(&mut self, at: usize) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.write("\n", at);
        }
        if !self.ends_with_blank_line() {
            self.write("\n", at);
        }
    }
}

/// The offsets of every pass, to map an offset in the final text back to the page body.
#[derive(Debug, Default)]
pub(super) struct SourceMap {
    layers: Vec<Vec<Piece>>,
}

impl SourceMap {
    /// The offset in the page body that `offset` of the final text came from.
    pub(super) fn to_body(&self, offset: usize) -> usize {
        self.layers
            .iter()
            .rev()
            .fold(offset, |offset, pieces| map_offset(pieces, offset))
    }
}

fn map_offset(pieces: &[Piece], offset: usize) -> usize {
    let i = pieces.partition_point(|p| p.at <= offset);
    match i.checked_sub(1).map(|i| pieces[i]) {
        Some(p) if p.copied => p.from + (offset - p.at),
        Some(p) => p.from,
        None => offset,
    }
}

/// A place where an event pass puts markup of its own (see [`Prepared::marker`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Marker {
    /// A callout: `!!! type "title"` (`collapsible: None`), `??? …` (closed)
    /// or `???+ …` (open). Its title follows as a paragraph.
    Admonition {
        kind: String,
        classes: Vec<String>,
        collapsible: Option<bool>,
        /// Whether a title paragraph follows (`!!! note ""` has none).
        titled: bool,
        /// The title as written between the quotes (`None`: none given).
        title: Option<String>,
    },
    AdmonitionEnd {
        collapsible: bool,
    },
    /// Content tabs: a set, and each tab (its label follows as a paragraph).
    TabSet,
    Tab {
        selected: bool,
        label: String,
    },
    TabEnd,
    TabSetEnd,
    /// The Markdown of a `markdown="span"` element: its paragraphs lose their `<p>`.
    SpanStart,
    SpanEnd,
}

/// What the passes made of a page body.
#[derive(Debug, Default)]
pub(super) struct Prepared {
    /// The Markdown pulldown-cmark reads; the body itself when no pass had work.
    pub text: Option<String>,
    pub map: SourceMap,
    key: String,
    pub markers: Vec<Marker>,
    /// `*[HTML]: Hyper Text Markup Language` definitions, in page order.
    pub abbreviations: Vec<(String, String)>,
    /// Problems the passes found (all warnings).
    pub problems: Vec<Problem>,
    /// Elements whose `markdown` attribute the md_in_html pass took out.
    pub markdown_elements: usize,
}

/// A warning of a source pass.
#[derive(Debug)]
pub(super) struct Problem {
    pub code: crate::diagnostics::Code,
    /// Offset in the page body.
    pub at: usize,
    pub message: String,
    pub help: String,
}

impl Prepared {
    /// Writes a marker line for `marker` placed at `at` of the input.
    pub(super) fn push_marker(
        &mut self,
        out: &mut Builder,
        marker: Marker,
        indent: &str,
        at: usize,
    ) {
        debug_assert!(!self.key.is_empty(), "`prepare` sets the key first");
        out.blank_line(at);
        let line = format!("{indent}<!--{}{}-->\n\n", self.key, self.markers.len());
        out.write(&line, at);
        self.markers.push(marker);
    }

    /// A key no line of `text` holds, so that no text of the page can pass for a marker.
    pub(super) fn set_key(&mut self, text: &str) {
        self.key = unique_key(text);
    }

    /// Sets the key from `text` (the pass's input) unless an earlier pass did:
    /// passes only take text away after the includes, so it stays unique.
    pub(super) fn ensure_key(&mut self, text: &str) {
        if self.key.is_empty() {
            self.set_key(text);
        }
    }

    /// The marker an HTML event stands for, if it is one.
    pub(super) fn marker(&self, html: &str) -> Option<&Marker> {
        if self.key.is_empty() {
            return None;
        }
        let n = html
            .trim()
            .strip_prefix("<!--")?
            .strip_prefix(self.key.as_str())?
            .strip_suffix("-->")?;
        self.markers.get(n.parse::<usize>().ok()?)
    }

    /// Adds one pass's output as the new text.
    pub(super) fn push_layer(&mut self, out: Builder) {
        self.map.layers.push(out.pieces);
        self.text = Some(out.text);
    }
}

fn unique_key(text: &str) -> String {
    (0usize..)
        .map(|n| format!("syllabus-marker-{n}:"))
        .find(|key| !text.contains(key.as_str()))
        .expect("a text holds finitely many keys")
}

/// Runs every source pass over a page body.
pub(super) fn prepare(body: &str) -> Prepared {
    let mut prepared = Prepared::default();
    super::snippets::pass(&mut prepared, body);
    super::admonitions::pass(&mut prepared, body);
    // After admonitions: the HTML inside them has lost its indentation.
    super::md_in_html::pass(&mut prepared, body);
    super::abbreviations::pass(&mut prepared, body);
    prepared
}

impl Prepared {
    /// The current text: the last pass's output, or `body`.
    pub(super) fn current<'a>(&'a self, body: &'a str) -> &'a str {
        self.text.as_deref().unwrap_or(body)
    }

    /// The body offset of `offset` in the current text.
    pub(super) fn body_offset(&self, offset: usize) -> usize {
        self.map.to_body(offset)
    }
}

/// One line of a text: its byte range without the line ending, and the range with it.
pub(super) struct Line<'a> {
    pub text: &'a str,
    pub start: usize,
    /// Byte offset just after the line's `\n` (or the end of the text).
    pub end: usize,
}

pub(super) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let line = Line {
            text: raw.trim_end_matches(['\n', '\r']),
            start,
            end: start + raw.len(),
        };
        start += raw.len();
        line
    })
}

/// Columns of leading white space (tabs to the next multiple of four, as
/// Python-Markdown and CommonMark count them) and its length in bytes.
pub(super) fn indentation(line: &str) -> (usize, usize) {
    let mut cols = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, i),
        }
    }
    (cols, line.len())
}

/// Copies `line` into `out` without its first `cols` columns of indentation
/// (a tab split by the cut leaves its other columns as spaces).
pub(super) fn copy_dedented(out: &mut Builder, input: &str, line: &Line, cols: usize) {
    let mut col = 0;
    let mut i = 0;
    let bytes = line.text.as_bytes();
    while col < cols && i < bytes.len() {
        match bytes[i] {
            b' ' => col += 1,
            b'\t' => col += 4 - col % 4,
            _ => break,
        }
        i += 1;
    }
    if col > cols {
        out.write(&" ".repeat(col - cols), line.start + i);
    }
    out.copy(input, line.start + i..line.end);
    if line.end == input.len() && !input.ends_with('\n') {
        out.write("\n", line.end);
    }
}

/// Whether the last lines were a list item's, and its content column: inside
/// one, a block may be indented to the item's content (as Python-Markdown's
/// four columns) without being code.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct ListContext {
    content: Option<usize>,
}

impl ListContext {
    /// Feeds a non-blank line outside code, indented by `column`.
    pub(super) fn line(&mut self, column: usize, text: &str) {
        let bullet = text.starts_with(['-', '*', '+']) && text[1..].starts_with([' ', '\t']);
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let ordered = (1..=9).contains(&digits)
            && text[digits..].starts_with(['.', ')'])
            && text[digits + 1..].starts_with([' ', '\t']);
        let marker = if bullet {
            1
        } else if ordered {
            digits + 1
        } else {
            0
        };
        if marker > 0 {
            let spaces = text[marker..].len() - text[marker..].trim_start().len();
            self.content = Some(column + marker + spaces.clamp(1, 4));
        } else if self.content.is_some_and(|c| column < c) {
            self.content = None;
        }
    }

    /// Whether a block starting at `column` (relative to its container) starts there, not code.
    pub(super) fn starts_block(&self, column: usize, relative: usize) -> bool {
        relative < 4 || self.content.is_some_and(|c| column >= c && column < c + 4)
    }
}

/// Code fences (```` ``` ````, `~~~`), which every pass leaves alone.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Fence {
    open: Option<(u8, usize)>,
}

impl Fence {
    /// Feeds one line; true when the line belongs to a fence (its opening and closing lines too).
    pub(super) fn line(&mut self, line: &str) -> bool {
        let t = line.trim_start();
        let run = |c: u8| t.bytes().take_while(|&b| b == c).count();
        match self.open {
            Some((c, n)) => {
                let k = run(c);
                if k >= n && t[k..].trim().is_empty() {
                    self.open = None;
                }
                true
            }
            None => {
                for c in [b'`', b'~'] {
                    let k = run(c);
                    if k >= 3 && !(c == b'`' && t[k..].contains('`')) {
                        self.open = Some((c, k));
                        return true;
                    }
                }
                false
            }
        }
    }

    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub(super) fn close(&mut self) {
        self.open = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_every_layer() {
        let body = "abc\n    def\nghi\n";
        let mut prepared = Prepared::default();
        // Pass 1: drop the indentation of line 2 and add a line before it.
        let mut out = Builder::default();
        out.copy(body, 0..4);
        out.write("NEW\n", 4);
        out.copy(body, 8..body.len());
        prepared.push_layer(out);
        let text = prepared.current(body).to_string();
        assert_eq!(text, "abc\nNEW\ndef\nghi\n");
        // Pass 2: copy everything after a prefix.
        let mut out = Builder::default();
        out.write(">> ", 0);
        out.copy(&text, 0..text.len());
        prepared.push_layer(out);
        let text = prepared.current(body);
        assert_eq!(text, ">> abc\nNEW\ndef\nghi\n");
        let at = |needle: &str| prepared.body_offset(text.find(needle).unwrap());
        assert_eq!(at("abc"), 0);
        assert_eq!(at("def"), body.find("def").unwrap());
        assert_eq!(at("ghi"), body.find("ghi").unwrap());
        assert_eq!(at("NEW"), 4, "written text maps to where it was put");
        assert_eq!(at("EW"), 4);
    }

    #[test]
    fn dedent_splits_tabs() {
        let body = "\t  x\n";
        let line = lines(body).next().unwrap();
        assert_eq!(indentation(line.text), (6, 3));
        let mut out = Builder::default();
        copy_dedented(&mut out, body, &line, 2);
        assert_eq!(out.text, "    x\n");
    }

    #[test]
    fn fences_open_and_close() {
        let mut f = Fence::default();
        let seen: Vec<bool> = ["a", "```py", "!!! note", "```", "b", "~~~~", "```", "~~~~"]
            .iter()
            .map(|l| f.line(l))
            .collect();
        assert_eq!(seen, [false, true, true, true, false, true, true, true]);
        assert!(!f.is_open());
    }

    #[test]
    fn markers_need_the_key() {
        let mut p = Prepared::default();
        p.set_key("text with syllabus-marker-0: in it");
        let mut out = Builder::default();
        p.push_marker(&mut out, Marker::TabSet, "", 0);
        assert_eq!(out.text, "<!--syllabus-marker-1:0-->\n\n");
        assert_eq!(
            p.marker("<!--syllabus-marker-1:0-->\n"),
            Some(&Marker::TabSet)
        );
        assert_eq!(p.marker("<!--syllabus-marker-0:0-->"), None);
        assert_eq!(p.marker("<!--syllabus-marker-1:7-->"), None);
    }
}
