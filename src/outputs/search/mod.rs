//! The search index: every published page's words, stemmed, in small files
//! under `search/` so that a query downloads only the part it needs.
//!
//! In: the course, its rendered pages, their URLs and `[search]`. Out: the
//! files (path, bytes) — `search/index.json`, a directory of the files; term
//! shards `search/t<n>.bin`; page shards `search/p<n>.bin` (titles and URLs of
//! 128 pages each). The theme's `search-index.js` reads them; docs/search.md
//! describes the format and why syllabus builds its own index.
//!
//! A word's postings are kept under its stem (English Snowball stemmer for an
//! English site), so "containers" finds "container"; each word that is not its
//! own stem points to its stem, so the browser needs no stemmer of its own.

mod encode;
pub mod words;

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::model::config::Config;
use crate::model::{Course, PageId, RenderedPage, UrlIndex};

/// The folder of the site that holds the search files.
pub const DIR: &str = "search/";
/// The file the theme loads first.
pub const INDEX_FILE: &str = "search/index.json";

/// What the index is built from.
pub struct Input<'a> {
    pub course: &'a Course,
    pub rendered: &'a [RenderedPage],
    pub index: &'a UrlIndex,
    pub config: &'a Config,
}

/// One page's occurrences of one stem.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Posting {
    /// The page's number in the index (course order).
    doc: u32,
    count: u16,
    flags: u8,
}

/// An entry of the index, by its key.
#[derive(Debug, PartialEq)]
enum Entry {
    /// A stem: the words that have it (most frequent first) and its postings, by page.
    Stem {
        forms: Vec<String>,
        postings: Vec<Posting>,
    },
    /// A word whose stem is another key.
    Word { stem: String },
}

/// The pages search covers, in course order: every page but drafts.
fn documents(course: &Course) -> Vec<PageId> {
    let mut seen = vec![false; course.pages.len()];
    let mut docs = Vec::with_capacity(course.pages.len());
    let rest = 0..course.pages.len();
    for p in course.order.iter().copied().chain(rest) {
        if !std::mem::replace(&mut seen[p], true) && !course.pages[p].front.draft {
            docs.push(p);
        }
    }
    docs
}

/// The search files of the site.
pub fn files(input: &Input) -> Vec<(String, Vec<u8>)> {
    let docs = documents(input.course);
    let code = input.config.search.code;
    let words = collect(input, &docs, code);
    let entries = entries(words, &input.config.language);
    encode::files(&entries, &docs, input, code)
}

/// Pages read in parallel at a time; their words are merged while the next ones are read.
const CHUNK: usize = 256;

/// Every word of the documents → its postings, in document order.
///
/// Pages are read in chunks, in parallel, and merged into one map in page
/// order, so that each word's postings come sorted and no per-thread copies
/// of the map build up (at 10,000 pages they held more than the index).
fn collect(input: &Input, docs: &[PageId], code: bool) -> HashMap<String, Vec<Posting>> {
    let read = |first: usize, chunk: &[PageId]| -> Vec<(u32, words::PageWords)> {
        chunk
            .par_iter()
            .enumerate()
            .map(|(i, &p)| {
                let page = &input.course.pages[p];
                let words = words::page_words(&page.title, &input.rendered[p].html, code);
                ((first + i) as u32, words)
            })
            .collect()
    };
    let mut all: HashMap<String, Vec<Posting>> = HashMap::new();
    let mut pending = Vec::new();
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let (next, ()) = rayon::join(
            || read(c * CHUNK, chunk),
            || add(&mut all, std::mem::take(&mut pending)),
        );
        pending = next;
    }
    add(&mut all, pending);
    all
}

/// Adds the words of some pages (in page order, after those already added) to the map.
fn add(all: &mut HashMap<String, Vec<Posting>>, pages: Vec<(u32, words::PageWords)>) {
    for (doc, words) in pages {
        for (word, (count, flags)) in words {
            let count = u16::try_from(count).unwrap_or(u16::MAX);
            all.entry(word)
                .or_default()
                .push(Posting { doc, count, flags });
        }
    }
}

/// The stemmer for the site's language, when there is one.
fn stemmer(language: &str) -> Option<pagefind_stem::Stemmer> {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    primary
        .eq_ignore_ascii_case("en")
        .then(|| pagefind_stem::Stemmer::create(pagefind_stem::Algorithm::English))
}

/// The index's entries by key: each stem with its postings, each other word pointing to its stem.
fn entries(words: HashMap<String, Vec<Posting>>, language: &str) -> BTreeMap<String, Entry> {
    let stemmer = stemmer(language);
    let stemmed: Vec<(String, String, Vec<Posting>)> = words
        .into_iter()
        .map(|(word, postings)| {
            let stem = match &stemmer {
                Some(s) => s.stem(&word).into_owned(),
                None => word.clone(),
            };
            (stem, word, postings)
        })
        .collect();
    let stems: HashSet<&str> = stemmed.iter().map(|(s, _, _)| s.as_str()).collect();
    // A word that is the stem of other words keeps that entry, which must find its own pages too.
    let mut own: HashMap<String, Vec<Posting>> = HashMap::new();
    let mut pointers = Vec::new();
    for (stem, word, postings) in &stemmed {
        if word != stem {
            if stems.contains(word.as_str()) {
                own.insert(word.clone(), postings.clone());
            } else {
                pointers.push((word.clone(), Entry::Word { stem: stem.clone() }));
            }
        }
    }
    let mut groups: HashMap<String, Vec<(String, Vec<Posting>)>> = HashMap::new();
    for (stem, word, postings) in stemmed {
        groups.entry(stem).or_default().push((word, postings));
    }
    let mut out: BTreeMap<String, Entry> = pointers.into_iter().collect();
    for (stem, mut group) in groups {
        // Most frequent first: the page highlights the first forms.
        group.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        let forms = group.iter().map(|(w, _)| w.clone()).collect();
        let mut lists: Vec<Vec<Posting>> = group.into_iter().map(|(_, p)| p).collect();
        lists.extend(own.remove(&stem));
        out.insert(
            stem,
            Entry::Stem {
                forms,
                postings: merge(lists),
            },
        );
    }
    out
}

/// Postings of several words (each sorted by page) → one list, one posting per page.
fn merge(mut lists: Vec<Vec<Posting>>) -> Vec<Posting> {
    if lists.len() == 1 {
        return lists.pop().unwrap_or_default();
    }
    let mut all: Vec<Posting> = lists.into_iter().flatten().collect();
    all.sort_unstable_by_key(|p| p.doc);
    let mut out: Vec<Posting> = Vec::with_capacity(all.len());
    for p in all {
        match out.last_mut() {
            Some(last) if last.doc == p.doc => {
                last.count = last.count.saturating_add(p.count);
                last.flags |= p.flags;
            }
            _ => out.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests;
