//! Glossary links: the first use of each glossary term on a page links to its
//! definition (the theme's script shows the definition beside the link on
//! hover and focus, read from `assets/glossary.json`).
//!
//! Only text is matched: never code, math, raw HTML, headings, links, or text
//! an author wrapped in `<span>…</span>`, and never on the glossary page itself.
//! Matching is one Aho-Corasick scan of each text (leftmost-longest, so
//! `container registry` wins over `container`), case-insensitive, with whole
//! words checked at both ends; names with an abbreviation in them (`VM`,
//! `REST API`) match only as written.

mod terms;

use std::collections::HashSet;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

pub use terms::read;

use super::Spanned;
use crate::model::{Glossary, LinkRef};
use crate::util::html::escape;

/// The names of every term, compiled once per build.
struct Matcher {
    automaton: AhoCorasick,
    /// Per pattern: the term it names, and its text when it matches only as written.
    patterns: Vec<(usize, Option<String>)>,
}

impl Matcher {
    fn new(glossary: &Glossary) -> Option<Matcher> {
        let mut names = Vec::new();
        let mut patterns = Vec::new();
        for (i, term) in glossary.terms.iter().enumerate() {
            for name in std::iter::once(&term.name).chain(&term.aliases) {
                if name.trim().is_empty() {
                    continue;
                }
                let exact = name
                    .split_whitespace()
                    .any(|w| terms::is_abbreviation(w.trim_end_matches('s')));
                names.push(fold(name).into_owned());
                patterns.push((i, exact.then(|| name.clone())));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&names)
            .ok()?;
        Some(Matcher {
            automaton,
            patterns,
        })
    }

    /// The first match in `text` at or after `from` that is a whole word
    /// (and written as the term is, where that matters): (start, end, term).
    fn find(&self, text: &str, folded: &Folded, from: usize) -> Option<(usize, usize, usize)> {
        let hay = folded.text(text);
        let mut at = folded.to_folded(from);
        while at <= hay.len() {
            let m = self.automaton.find(Input::new(hay).span(at..hay.len()))?;
            let (start, end) = (folded.to_text(m.start()), folded.to_text(m.end()));
            let (term, exact) = &self.patterns[m.pattern().as_usize()];
            let written = exact.as_ref().is_none_or(|e| &text[start..end] == e);
            if written && whole_word(text, start, end) {
                return Some((start, end, *term));
            }
            at = m.start() + hay[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
        None
    }
}

/// Whether the text around `start..end` is not part of a longer word.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(word)
        && !text[end..].chars().next().is_some_and(word)
}

/// Lower case beyond ASCII (the automaton ignores ASCII case itself).
fn fold(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return text.into();
    }
    text.chars()
        .flat_map(|c| {
            let lower: Vec<char> = if c.is_ascii() {
                vec![c]
            } else {
                c.to_lowercase().collect()
            };
            lower
        })
        .collect::<String>()
        .into()
}

/// A text folded to lower case, with the way back to the text's offsets
/// (the lower case of a letter may be longer or shorter than the letter).
enum Folded {
    Same,
    Other { text: String, to_text: Vec<usize> },
}

impl Folded {
    fn of(text: &str) -> Folded {
        if text.is_ascii() {
            return Folded::Same;
        }
        let mut folded = String::with_capacity(text.len());
        let mut to_text = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let before = folded.len();
            if c.is_ascii() {
                folded.push(c);
            } else {
                folded.extend(c.to_lowercase());
            }
            to_text.extend(std::iter::repeat_n(i, folded.len() - before));
        }
        to_text.push(text.len());
        Folded::Other {
            text: folded,
            to_text,
        }
    }

    fn text<'a>(&'a self, original: &'a str) -> &'a str {
        match self {
            Folded::Same => original,
            Folded::Other { text, .. } => text,
        }
    }

    fn to_text(&self, offset: usize) -> usize {
        match self {
            Folded::Same => offset,
            Folded::Other { to_text, .. } => to_text[offset],
        }
    }

    fn to_folded(&self, offset: usize) -> usize {
        match self {
            Folded::Same => offset,
            Folded::Other { to_text, .. } => to_text.partition_point(|&o| o < offset),
        }
    }
}

/// The glossary with its names compiled: made once per build, read by every page's rendering.
pub struct GlossaryLinks {
    pub glossary: Glossary,
    matcher: Option<Matcher>,
    /// Per term: the tag that opens its link, made once (a page may link a hundred terms).
    opens: Vec<String>,
}

impl GlossaryLinks {
    pub fn new(glossary: Glossary) -> GlossaryLinks {
        let matcher = Matcher::new(&glossary);
        let opens = (0..glossary.terms.len())
            .map(|i| open_tag(&glossary, i))
            .collect();
        GlossaryLinks {
            glossary,
            matcher,
            opens,
        }
    }
}

/// Links the first use of each term in the page's text. `linked` holds the
/// terms already linked on the page (by hand or in an earlier part); the
/// terms linked here are added to it and to `used`.
pub(super) fn apply(
    events: &mut Vec<Spanned>,
    linker: &GlossaryLinks,
    links: &[LinkRef],
    linked: &mut HashSet<usize>,
    used: &mut Vec<usize>,
) {
    let g = &linker.glossary;
    let Some(matcher) = &linker.matcher else {
        return;
    };
    for link in links.iter().filter(|l| l.target == Some(g.page)) {
        if let Some(i) = link
            .fragment
            .as_deref()
            .and_then(|f| g.terms.iter().position(|t| t.anchor == f))
        {
            linked.insert(i);
        }
    }
    if linked.len() >= g.terms.len() {
        return;
    }
    // Each link adds at most four events (the tag on each side, the text
    // split before and after it): room for them all, so that the list is
    // never copied to grow.
    let room = 4 * (g.terms.len() - linked.len());
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len() + room);
    let mut skip = Skip::default();
    // The lines of a paragraph are matched together, so that a term may
    // span a line break of the source.
    let mut lines: Vec<Spanned> = Vec::new();
    let mut page = Page {
        matcher,
        opens: &linker.opens,
        done: (0..g.terms.len()).map(|i| linked.contains(&i)).collect(),
        linked,
        used,
        text: String::new(),
        starts: Vec::new(),
    };
    for (event, range) in events.drain(..) {
        skip.track(&event);
        if !skip.any() && matches!(event, Event::Text(_) | Event::SoftBreak) {
            lines.push((event, range));
            continue;
        }
        page.link(&mut lines, &mut out);
        out.push((event, range));
    }
    page.link(&mut lines, &mut out);
    *events = out;
}

/// What linking one page reads and updates.
struct Page<'a> {
    matcher: &'a Matcher,
    opens: &'a [String],
    /// `linked` as a list: a page full of terms checks it at every word.
    done: Vec<bool>,
    linked: &'a mut HashSet<usize>,
    used: &'a mut Vec<usize>,
    /// The run's text, its lines joined by spaces (kept to reuse its memory).
    text: String,
    /// Where each event of the run starts in `text`.
    starts: Vec<usize>,
}

impl Page<'_> {
    /// Links the terms in a run of text and line breaks, emptying it into `out`.
    fn link<'e>(&mut self, lines: &mut Vec<Spanned<'e>>, out: &mut Vec<Spanned<'e>>) {
        if lines.is_empty() {
            return;
        }
        let range = lines[0].1.start..lines[lines.len() - 1].1.end;
        let (text, starts) = (&mut self.text, &mut self.starts);
        text.clear();
        starts.clear();
        for (e, _) in lines.iter() {
            starts.push(text.len());
            match e {
                Event::Text(t) => text.push_str(t),
                _ => text.push(' '),
            }
        }
        let folded = Folded::of(text);
        let (mut last, mut from) = (0, 0);
        let run = Run {
            lines,
            starts,
            text,
            range: &range,
        };
        while let Some((start, end, term)) = self.matcher.find(run.text, &folded, from) {
            from = end;
            if std::mem::replace(&mut self.done[term], true) {
                continue;
            }
            self.linked.insert(term);
            self.used.push(term);
            run.plain(out, last..start);
            let open = CowStr::from(self.opens[term].clone());
            out.push((Event::InlineHtml(open), range.clone()));
            run.plain(out, start..end);
            out.push((Event::InlineHtml(close()), range.clone()));
            last = end;
        }
        if last == 0 {
            out.append(lines);
        } else {
            run.plain(out, last..run.text.len());
            lines.clear();
        }
    }
}

/// A run of text and line breaks, joined into one text to match terms across lines.
struct Run<'r, 'e> {
    lines: &'r [Spanned<'e>],
    starts: &'r [usize],
    text: &'r str,
    range: &'r Range<usize>,
}

impl<'e> Run<'_, 'e> {
    /// Events for `text[part]`: the run's own events where the part covers
    /// them, slices of its text elsewhere (borrowed from the page where the
    /// text was), a line break where the source had one.
    fn plain(&self, out: &mut Vec<Spanned<'e>>, part: Range<usize>) {
        let first = self.starts.partition_point(|&s| s <= part.start) - 1;
        // Adjacent texts are joined into one event, as before linking.
        let mut pending: Option<CowStr<'e>> = None;
        for (i, (event, _)) in self.lines.iter().enumerate().skip(first) {
            let start = self.starts[i];
            if start >= part.end {
                break;
            }
            let Event::Text(t) = event else {
                self.flush(out, pending.take());
                out.push((Event::SoftBreak, self.range.clone()));
                continue;
            };
            let (a, b) = (
                part.start.max(start) - start,
                part.end.min(start + t.len()) - start,
            );
            pending = Some(match (pending.take(), t) {
                (Some(before), _) => CowStr::from(format!("{before}{}", &t[a..b])),
                (None, _) if a == 0 && b == t.len() => t.clone(),
                (None, CowStr::Borrowed(whole)) => CowStr::Borrowed(&whole[a..b]),
                (None, _) => CowStr::from(t[a..b].to_string()),
            });
        }
        self.flush(out, pending);
    }

    fn flush(&self, out: &mut Vec<Spanned<'e>>, text: Option<CowStr<'e>>) {
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            out.push((Event::Text(text), self.range.clone()));
        }
    }
}

/// `</a>`, short enough to be kept inline in the event (no allocation).
fn close<'e>() -> CowStr<'e> {
    pulldown_cmark::InlineStr::try_from("</a>").map_or(CowStr::Borrowed("</a>"), CowStr::Inlined)
}

/// The link around a term's use. Its definition is not copied into the
/// page: the theme's script reads it from the site's one definitions file
/// (`outputs::glossary`), since a page may link a hundred terms.
fn open_tag(g: &Glossary, term: usize) -> String {
    let href = format!(
        "{}#{}",
        g.url,
        crate::util::url::encode_component(&g.terms[term].anchor)
    );
    format!("<a class=\"glossary-term\" href=\"{}\">", escape(&href))
}

/// Where in the page text is not to be linked: inside headings, links,
/// images, code and HTML blocks, and `<span>` elements.
#[derive(Default)]
struct Skip {
    headings: usize,
    links: usize,
    blocks: usize,
    spans: usize,
}

impl Skip {
    fn any(&self) -> bool {
        self.headings + self.links + self.blocks + self.spans > 0
    }

    fn track(&mut self, event: &Event) {
        let down = |n: &mut usize| *n = n.saturating_sub(1);
        match event {
            Event::Start(Tag::Heading { .. }) => self.headings += 1,
            Event::End(TagEnd::Heading(_)) => down(&mut self.headings),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => down(&mut self.links),
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                self.blocks += 1
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                down(&mut self.blocks)
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let h = h.trim_start().to_ascii_lowercase();
                if h.starts_with("<span") && !h.ends_with("/>") {
                    self.spans += 1;
                } else if h.starts_with("</span") {
                    down(&mut self.spans);
                }
            }
            _ => {}
        }
    }
}
