//! The index's entries and pages → the bytes of the search files.
//!
//! Shards are JSON arrays, gzip-compressed here (not left to the host, so a
//! query costs the same on every host): a stem is `["key", [forms…],
//! [page, score, page, score, …]]` with each page number relative to the
//! previous one; a word is `["word", "stem"]`; a page is `[url, title,
//! section]`. A score is the word's occurrences on the page (at most 31),
//! plus 32 when it stands in a heading and 64 when in the title.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;

use rayon::prelude::*;

use super::{DIR, Entry, INDEX_FILE, Input, Posting, words};
use crate::model::PageId;

/// Uncompressed size a term shard grows to before the next one starts (a
/// stem with more postings gets a shard of its own).
pub(super) const SHARD_BYTES: usize = 32 * 1024;
/// Pages per page shard.
const PAGES_PER_SHARD: usize = 128;
/// Forms of a stem the index keeps (the opened page highlights them).
const MAX_FORMS: usize = 12;
/// Format version of `index.json`, read by the theme's `search-index.js`.
const VERSION: u32 = 2;

/// `index.json`, the term shards and the page shards.
pub(super) fn files(
    entries: &BTreeMap<String, Entry>,
    docs: &[PageId],
    input: &Input,
    code: bool,
) -> Vec<(String, Vec<u8>)> {
    let (firsts, terms) = term_shards(entries);
    let pages: Vec<String> = docs
        .chunks(PAGES_PER_SHARD)
        .map(|chunk| page_shard(chunk, input))
        .collect();
    let mut out: Vec<(String, Vec<u8>)> = terms
        .into_par_iter()
        .enumerate()
        .map(|(i, json)| (format!("{DIR}t{i}.bin"), gzip(&json)))
        .chain(
            pages
                .into_par_iter()
                .enumerate()
                .map(|(i, json)| (format!("{DIR}p{i}.bin"), gzip(&json))),
        )
        .collect();
    let mut h = DefaultHasher::new();
    out.hash(&mut h);
    let index = serde_json::json!({
        "v": VERSION,
        "version": format!("{:016x}", h.finish()),
        "pages": docs.len(),
        "pageShard": PAGES_PER_SHARD,
        "code": code,
        "minChars": words::MIN_CHARS,
        "maxChars": words::MAX_CHARS,
        "terms": firsts,
    });
    out.push((INDEX_FILE.to_string(), index.to_string().into_bytes()));
    out
}

/// The entries cut into shards of about [`SHARD_BYTES`]: each shard's first key, and its JSON.
pub(super) fn term_shards(entries: &BTreeMap<String, Entry>) -> (Vec<String>, Vec<String>) {
    let mut firsts = Vec::new();
    let mut shards = Vec::new();
    let mut shard = String::new();
    for (key, entry) in entries {
        let json = entry_json(key, entry);
        if !shard.is_empty() && shard.len() + json.len() > SHARD_BYTES {
            shard.push(']');
            shards.push(std::mem::take(&mut shard));
        }
        if shard.is_empty() {
            firsts.push(key.clone());
            shard.push('[');
        } else {
            shard.push(',');
        }
        shard.push_str(&json);
    }
    if !shard.is_empty() {
        shard.push(']');
        shards.push(shard);
    }
    (firsts, shards)
}

fn entry_json(key: &str, entry: &Entry) -> String {
    let mut json = String::from("[");
    json.push_str(&string(key));
    match entry {
        Entry::Word { stem } => {
            json.push(',');
            json.push_str(&string(stem));
        }
        Entry::Stem { forms, postings } => {
            json.push_str(",[");
            for (i, form) in forms.iter().take(MAX_FORMS).enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push_str(&string(form));
            }
            json.push_str("],[");
            let mut previous = 0;
            for (i, p) in postings.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                push_number(&mut json, p.doc - previous);
                json.push(',');
                push_number(&mut json, u32::from(score(p)));
                previous = p.doc;
            }
            json.push(']');
        }
    }
    json.push(']');
    json
}

/// Occurrences (at most 31), +32 in a heading, +64 in the title.
fn score(p: &Posting) -> u16 {
    p.count.min(31) | u16::from(p.flags) << 5
}

/// Writes a number in decimal (`write!` costs more, and a large index has millions).
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// `[[url, title, section], …]` of some pages.
fn page_shard(chunk: &[PageId], input: &Input) -> String {
    let course = input.course;
    let rows: Vec<[&str; 3]> = chunk
        .iter()
        .map(|&p| {
            let page = &course.pages[p];
            let section = if page.is_index || page.section == 0 {
                ""
            } else {
                course.section_title(page.section)
            };
            [input.index.urls[p].as_str(), page.title.as_str(), section]
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// gzip level: 3 makes files about 15 % larger than the default 6 in less than half the time.
const GZIP_LEVEL: u32 = 3;

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(text.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    // Writing into memory cannot fail.
    let _ = encoder.write_all(text.as_bytes());
    encoder.finish().unwrap_or_default()
}
