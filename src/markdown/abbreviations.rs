//! Abbreviations, as Python-Markdown's `abbr` extension writes them:
//! `*[HTML]: Hyper Text Markup Language` anywhere in the page defines one, and
//! every use of the word in the page's text becomes
//! `<abbr title="Hyper Text Markup Language">HTML</abbr>`.
//!
//! A source pass takes the definition lines out (they are not shown); an
//! event pass, after headings have their ids, marks the uses. Words are looked
//! up whole in a hash map, so the pass is linear in the page's size whatever
//! the number of definitions; the few abbreviations that are not one word
//! (`C++`, `any word`) are tried at each word start, at most [`MAX_OTHER`] of them.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event};

use super::Spanned;
use super::prepass::{self, Builder, Fence, Prepared};
use crate::util::html::escape;

/// Abbreviations that are not a single word are tried one by one: at most this many.
const MAX_OTHER: usize = 64;

/// The source pass: definitions are collected and their lines left out.
pub(super) fn pass(prepared: &mut Prepared, body: &str) {
    let input = prepared.current(body);
    if !input.contains("*[") {
        return;
    }
    let input = input.to_string();
    let mut out = Builder::with_capacity(input.len());
    let mut fence = Fence::default();
    let mut found = Vec::new();
    for line in prepass::lines(&input) {
        if fence.line(line.text) {
            out.copy(&input, line.start..line.end);
            continue;
        }
        match definition(line.text) {
            Some(def) => {
                found.push(def);
                out.write("\n", line.start);
            }
            None => out.copy(&input, line.start..line.end),
        }
    }
    if found.is_empty() {
        return;
    }
    // A later definition replaces an earlier one; an empty title removes it.
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(found.len());
    for (i, (abbr, _)) in found.iter().enumerate() {
        last.insert(abbr.as_str(), i);
    }
    let keep: Vec<bool> = found
        .iter()
        .enumerate()
        .map(|(i, (abbr, title))| last[abbr.as_str()] == i && !title.is_empty())
        .collect();
    prepared.abbreviations = found
        .into_iter()
        .zip(keep)
        .filter_map(|(def, keep)| keep.then_some(def))
        .collect();
    prepared.push_layer(out);
}

/// `*[ABBR]: title` (the title may be quoted).
fn definition(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("*[")?;
    let close = rest.find(']')?;
    let abbr = &rest[..close];
    let title = rest[close + 1..].strip_prefix(':')?.trim();
    if abbr.trim().is_empty() || abbr.trim() != abbr {
        return None;
    }
    let title = ['"', '\'']
        .iter()
        .find_map(|q| title.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
        .unwrap_or(title);
    Some((abbr.to_string(), title.to_string()))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

struct Matcher<'a> {
    words: HashMap<&'a str, &'a str>,
    /// Abbreviations that are not one word, longest first.
    other: Vec<(&'a str, &'a str)>,
}

impl<'a> Matcher<'a> {
    fn new(abbreviations: &'a [(String, String)]) -> Matcher<'a> {
        let mut words = HashMap::new();
        let mut other = Vec::new();
        for (abbr, title) in abbreviations {
            if abbr.chars().all(is_word) {
                words.insert(abbr.as_str(), title.as_str());
            } else if other.len() < MAX_OTHER {
                other.push((abbr.as_str(), title.as_str()));
            }
        }
        other.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        Matcher { words, other }
    }

    /// The abbreviation that starts at `i` of `text` (at a word boundary), if any.
    fn at(&self, text: &str, i: usize) -> Option<(usize, &'a str)> {
        let rest = &text[i..];
        for (abbr, title) in &self.other {
            if rest.starts_with(abbr) && boundary_after(text, i + abbr.len(), abbr) {
                return Some((abbr.len(), title));
            }
        }
        let word_len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        let title = self.words.get(&rest[..word_len])?;
        Some((word_len, title))
    }
}

fn boundary_after(text: &str, end: usize, abbr: &str) -> bool {
    let last_is_word = abbr.chars().last().is_some_and(is_word);
    !last_is_word || !text[end..].chars().next().is_some_and(is_word)
}

/// The event pass: each use in the text becomes an `<abbr>`.
pub(super) fn apply(events: &mut Vec<Spanned>, abbreviations: &[(String, String)]) {
    if abbreviations.is_empty() {
        return;
    }
    let matcher = Matcher::new(abbreviations);
    let mut out: Vec<Spanned> = Vec::with_capacity(events.len());
    for (event, range) in events.drain(..) {
        let Event::Text(text) = &event else {
            out.push((event, range));
            continue;
        };
        let mut last = 0;
        let mut prev_word = false;
        let mut pieces: Vec<Event> = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let c = text[i..].chars().next().expect("i is a char boundary");
            if !prev_word && let Some((len, title)) = matcher.at(text, i) {
                if i > last {
                    pieces.push(Event::Text(CowStr::from(text[last..i].to_string())));
                }
                pieces.push(Event::InlineHtml(
                    format!("<abbr title=\"{}\">", escape(title)).into(),
                ));
                pieces.push(Event::Text(CowStr::from(text[i..i + len].to_string())));
                pieces.push(Event::InlineHtml("</abbr>".into()));
                i += len;
                last = i;
                prev_word = text[..i].chars().last().is_some_and(is_word);
                continue;
            }
            prev_word = is_word(c);
            i += c.len_utf8();
        }
        if pieces.is_empty() {
            out.push((event, range));
            continue;
        }
        if last < text.len() {
            pieces.push(Event::Text(CowStr::from(text[last..].to_string())));
        }
        out.extend(pieces.into_iter().map(|e| (e, range.clone())));
    }
    *events = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str, abbreviations: &[(&str, &str)]) -> String {
        let abbreviations: Vec<(String, String)> = abbreviations
            .iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect();
        let mut events: Vec<Spanned> = vec![(Event::Text(text.to_string().into()), 0..0)];
        apply(&mut events, &abbreviations);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn whole_words_only() {
        let defs = [
            ("HTML", "Hyper Text \"Markup\""),
            ("W3C", "World Wide Web Consortium"),
        ];
        assert_eq!(
            html("HTML, XHTML and HTMLs by the W3C.", &defs),
            "<abbr title=\"Hyper Text &quot;Markup&quot;\">HTML</abbr>, XHTML and HTMLs by the <abbr title=\"World Wide Web Consortium\">W3C</abbr>."
        );
        assert_eq!(
            html(
                "C++ and any word here",
                &[("C++", "a language"), ("any word", "yes")]
            ),
            "<abbr title=\"a language\">C++</abbr> and <abbr title=\"yes\">any word</abbr> here"
        );
        assert_eq!(html("no match", &defs), "no match");
    }

    #[test]
    fn definitions_are_read_and_left_out() {
        assert_eq!(
            definition("*[HTML]: Hyper Text Markup Language"),
            Some(("HTML".into(), "Hyper Text Markup Language".into()))
        );
        assert_eq!(
            definition("*[W3C]:  \"World Wide Web\""),
            Some(("W3C".into(), "World Wide Web".into()))
        );
        assert_eq!(definition("*[Emphasised link](https://x.org)*"), None);
        let body = "The HTML spec.\n\n*[HTML]: Hyper Text\n```\n*[X]: kept in code\n```\n";
        let mut p = Prepared::default();
        p.set_key(body);
        pass(&mut p, body);
        assert_eq!(
            p.abbreviations,
            [("HTML".to_string(), "Hyper Text".to_string())]
        );
        assert_eq!(
            p.current(body),
            "The HTML spec.\n\n\n```\n*[X]: kept in code\n```\n"
        );
    }
}
