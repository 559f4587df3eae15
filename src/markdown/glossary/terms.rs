//! Reading the glossary page: which page it is, and its terms.
//!
//! The glossary is `glossary.md` (or a page whose file name ends in
//! `_glossary` or `-glossary`, as MkDocs courses name it), or the page whose
//! front matter says `glossary = true`. Its terms are its headings of the
//! deepest level below the title (`##` in a flat list, `###` under letter
//! groups); a heading's text in brackets that looks like an abbreviation
//! (`Virtual machine (VM)`) is an alias, and a first paragraph
//! `*Also: containers, images*` lists more. The definition shown on hover is
//! the first other paragraph, as plain text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Course, Glossary, Page, PageId, Term, UrlIndex};

use super::super::slug::Slugger;

/// A definition longer than this is cut at a word for the tooltip.
const MAX_DEFINITION: usize = 320;

/// Whether the page is the glossary by its file name alone.
fn named_glossary(page: &Page) -> bool {
    let name = page.source.rsplit('/').next().unwrap_or(&page.source);
    let stem = name.strip_suffix(".md").unwrap_or(name).to_lowercase();
    stem == "glossary" || stem.ends_with("_glossary") || stem.ends_with("-glossary")
}

fn is_glossary(page: &Page) -> bool {
    page.front.glossary.unwrap_or_else(|| named_glossary(page))
}

/// The course's glossary, read from its page; a warning for each other page
/// that claims to be the glossary too (the first in course order wins).
pub fn read(
    course: &Course,
    index: &UrlIndex,
    options: Options,
) -> (Option<Glossary>, Vec<Diagnostic>) {
    let mut found = course
        .order
        .iter()
        .copied()
        .filter(|&p| is_glossary(&course.pages[p]));
    let Some(id) = found.next() else {
        return (None, Vec::new());
    };
    let first = &course.pages[id].file;
    let diagnostics = found
        .map(|p| {
            let message = format!("a second glossary page: `{first}` is the course's glossary");
            Diagnostic::warning(Code::SecondGlossary, &course.pages[p].file, message)
                .at(1, 1)
                .with_help("set `glossary = false` in the front matter of the page that is not the glossary")
        })
        .collect();
    (Some(glossary_of(course, index, id, options)), diagnostics)
}

fn glossary_of(course: &Course, index: &UrlIndex, id: PageId, options: Options) -> Glossary {
    let page = &course.pages[id];
    let headings = headings(&page.body, options);
    let term_level = headings
        .iter()
        .map(|h| h.level)
        .filter(|&l| l > HeadingLevel::H1)
        .max();
    let terms = term_headings(headings, term_level)
        .map(|h| term(h, &page.body, page.body_line_offset))
        .collect();
    Glossary {
        page: id,
        source: page.source.clone(),
        url: index.urls.get(id).cloned().unwrap_or_default(),
        terms,
    }
}

/// The headings of the term level, without those under a section heading
/// that has text of its own before them (`## Why?`, a paragraph, then
/// `#### Other glossaries`): that is prose about the glossary, where letters
/// (`## A`) and a `## The glossary` holding the terms have none. The title
/// may always have text; and when every section has some, all are terms.
fn term_headings(
    headings: Vec<Heading>,
    term_level: Option<HeadingLevel>,
) -> impl Iterator<Item = Heading> {
    let mut in_prose = Vec::with_capacity(headings.len());
    let mut section_has_text = false;
    for h in &headings {
        if Some(h.level) == term_level {
            in_prose.push(section_has_text);
        } else {
            in_prose.push(false);
            if term_level.is_some_and(|t| h.level < t) {
                section_has_text = h.level > HeadingLevel::H1 && !h.paragraphs.is_empty();
            }
        }
    }
    let all_in_prose = headings
        .iter()
        .zip(&in_prose)
        .filter(|(h, _)| Some(h.level) == term_level)
        .all(|(_, &p)| p);
    headings
        .into_iter()
        .zip(in_prose)
        .filter(move |(h, p)| Some(h.level) == term_level && (all_in_prose || !p))
        .map(|(h, _)| h)
}

/// A heading of the glossary page and the paragraphs under it.
struct Heading {
    level: HeadingLevel,
    id: String,
    text: String,
    offset: usize,
    paragraphs: Vec<String>,
}

/// Every heading with its id (by the same rules as the page's own) and the
/// first two paragraphs under it.
fn headings(body: &str, options: Options) -> Vec<Heading> {
    let mut slugger = Slugger::default();
    let mut out: Vec<Heading> = Vec::new();
    let mut text: Option<String> = None;
    let mut explicit = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                explicit = id.map(|i| i.to_string());
                if let Some(i) = &explicit {
                    slugger.reserve(i);
                }
                out.push(Heading {
                    level,
                    id: String::new(),
                    text: String::new(),
                    offset: range.start,
                    paragraphs: Vec::new(),
                });
                text = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                let t = text.take().unwrap_or_default();
                if let Some(h) = out.last_mut() {
                    h.id = explicit.take().unwrap_or_else(|| slugger.slug(&t));
                    h.text = t.trim().to_string();
                }
            }
            Event::Start(Tag::Paragraph) if text.is_none() => {
                if let Some(h) = out.last_mut().filter(|h| h.paragraphs.len() < 2) {
                    h.paragraphs.push(String::new());
                    text = Some(String::new());
                }
            }
            Event::End(TagEnd::Paragraph) if text.is_some() => {
                let t = text.take().unwrap_or_default();
                if let Some(p) = out.last_mut().and_then(|h| h.paragraphs.last_mut()) {
                    *p = t.split_whitespace().collect::<Vec<_>>().join(" ");
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(s) = text.as_mut() {
                    s.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

fn term(h: Heading, body: &str, line_offset: usize) -> Term {
    let (name, abbreviation) = split_abbreviation(&h.text);
    let mut names: Vec<String> = abbreviation.into_iter().collect();
    let mut paragraphs = h.paragraphs.into_iter();
    let mut definition = paragraphs.next().unwrap_or_default();
    if let Some(list) = also(&definition) {
        names.extend(list);
        definition = paragraphs.next().unwrap_or_default();
    }
    let mut aliases = Vec::new();
    for n in std::iter::once(name.clone()).chain(names) {
        let plural = plural(&n);
        if n != name {
            aliases.push(n);
        }
        aliases.extend(plural);
    }
    aliases.dedup();
    let (line, _) = crate::diagnostics::line_col(body, h.offset);
    Term {
        name,
        anchor: h.id,
        aliases,
        definition: shorten(&definition),
        line: line + line_offset,
    }
}

/// `Virtual machine (VM)` → ("Virtual machine", Some("VM")); a bracket that
/// is not an abbreviation (`File Storage (Azure)`) qualifies the name and is dropped.
fn split_abbreviation(heading: &str) -> (String, Option<String>) {
    let Some(open) = heading.rfind(" (").filter(|_| heading.ends_with(')')) else {
        return (heading.to_string(), None);
    };
    let inner = &heading[open + 2..heading.len() - 1];
    let name = heading[..open].trim().to_string();
    (name, is_abbreviation(inner).then(|| inner.to_string()))
}

/// One word with two capitals or more: `VM`, `IaC`, `NoSQL`.
pub(super) fn is_abbreviation(word: &str) -> bool {
    !word.is_empty()
        && word.chars().all(char::is_alphanumeric)
        && word.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// The names of an `Also: a, b` paragraph.
fn also(paragraph: &str) -> Option<Vec<String>> {
    let rest = paragraph.strip_prefix("Also:")?;
    let names = rest
        .trim()
        .trim_end_matches('.')
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    Some(names)
}

/// The regular English plural of a name's last word, when it ends in a letter.
fn plural(name: &str) -> Option<String> {
    let last = name.chars().last().filter(|c| c.is_alphabetic())?;
    let before = name.chars().rev().nth(1);
    let lower = name.to_lowercase();
    Some(
        if ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            format!("{name}es")
        } else if last == 'y' && before.is_some_and(|c| !"aeiou".contains(c)) {
            format!("{}ies", &name[..name.len() - 1])
        } else {
            format!("{name}s")
        },
    )
}

/// The definition cut to [`MAX_DEFINITION`] bytes at a word, with an ellipsis.
fn shorten(text: &str) -> String {
    if text.len() <= MAX_DEFINITION {
        return text.to_string();
    }
    let mut end = MAX_DEFINITION;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(' ').unwrap_or(end);
    format!("{}…", text[..cut].trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_in_brackets_are_aliases() {
        let cases = [
            ("Virtual machine (VM)", "Virtual machine", Some("VM")),
            (
                "Infrastructure as Code (IaC)",
                "Infrastructure as Code",
                Some("IaC"),
            ),
            ("File Storage (Azure)", "File Storage", None),
            ("Egress", "Egress", None),
            ("Serverless (FaaS)", "Serverless", Some("FaaS")),
        ];
        for (heading, name, abbr) in cases {
            let (n, a) = split_abbreviation(heading);
            assert_eq!((n.as_str(), a.as_deref()), (name, abbr), "{heading}");
        }
    }

    #[test]
    fn plurals() {
        let cases = [
            ("Container", "Containers"),
            ("Quota", "Quotas"),
            ("Spot VM", "Spot VMs"),
            ("Process", "Processes"),
            ("Dependency", "Dependencies"),
            ("Key", "Keys"),
        ];
        for (one, many) in cases {
            assert_eq!(plural(one).as_deref(), Some(many));
        }
        assert_eq!(plural("C++"), None);
    }

    #[test]
    fn long_definitions_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let short = shorten(long.trim());
        assert!(
            short.len() <= MAX_DEFINITION + 3 && short.ends_with("word…"),
            "{short}"
        );
    }
}
