//! A page's HTML → the words search indexes, each with how often it occurs
//! and whether it stands in the title or a heading.
//!
//! The HTML is syllabus's own output (rendered Markdown, a slide deck, or an
//! HTML document saved as `.md`), so a small scanner suffices: text between
//! tags, entities decoded, the content of `script`, `style`, `head` and the
//! like skipped, code blocks (`pre`) skipped unless code is indexed. Inline
//! tags do not split words (highlighted code wraps parts of a word in spans).
//!
//! Words are runs of letters and digits, lower-cased: the same rule as
//! `tokens` in the theme's `search-marks.js`, which splits the reader's query.

use std::collections::HashMap;

/// The word occurs in a heading of the page (`h1`…`h6` of its content).
pub const IN_HEADING: u8 = 1;
/// The word occurs in the page's title.
pub const IN_TITLE: u8 = 2;

/// Words shorter than this (in characters) are not indexed (nor searched).
pub const MIN_CHARS: usize = 2;
/// Longer words (hashes, base64 in code) are not indexed.
pub const MAX_CHARS: usize = 32;

/// Word → (occurrences, [`IN_HEADING`] | [`IN_TITLE`]).
pub type PageWords = HashMap<String, (u32, u8)>;

/// Elements whose content is never text of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "head", "template", "noscript", "svg", "math", "title", "textarea",
];

/// Elements that do not end a word: the words of `<em>sub</em>word` run together.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The words of a page: its title and its HTML.
pub fn page_words(title: &str, html: &str, code: bool) -> PageWords {
    let mut scanner = Scanner {
        words: PageWords::new(),
        word: String::new(),
        flags: IN_TITLE,
    };
    scanner.text(title);
    scanner.flush();
    scanner.flags = 0;
    scanner.html(html, code);
    scanner.flush();
    scanner.words
}

/// Calls `f` with each word of `text`, lower-cased, as [`page_words`] finds them.
pub fn tokens(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            if indexable(&word) {
                f(&word);
            }
            word.clear();
        }
    }
}

fn indexable(word: &str) -> bool {
    // Counting characters costs more than the rest of a word's way: the byte
    // length decides, but for a few short or long words.
    let bytes = word.len();
    let at_least = bytes >= MIN_CHARS * 4 || word.chars().nth(MIN_CHARS - 1).is_some();
    let at_most = bytes <= MAX_CHARS || word.chars().count() <= MAX_CHARS;
    at_least && at_most
}

struct Scanner {
    words: PageWords,
    /// The word being read, lower-cased.
    word: String,
    /// Where the text being read stands.
    flags: u8,
}

impl Scanner {
    fn flush(&mut self) {
        if self.word.is_empty() {
            return;
        }
        if indexable(&self.word) {
            match self.words.get_mut(self.word.as_str()) {
                Some((count, flags)) => {
                    *count += 1;
                    *flags |= self.flags;
                }
                None => {
                    self.words.insert(self.word.clone(), (1, self.flags));
                }
            }
        }
        self.word.clear();
    }

    fn char(&mut self, c: char) {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                self.word.push(c.to_ascii_lowercase());
            } else {
                self.flush();
            }
        } else if c.is_alphanumeric() {
            self.word.extend(c.to_lowercase());
        } else {
            self.flush();
        }
    }

    fn text(&mut self, text: &str) {
        // Byte by byte for ASCII, the bulk of any course: a large part of a build's search time.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    self.word.push(char::from(b.to_ascii_lowercase()));
                } else {
                    self.flush();
                }
                i += 1;
            } else if let Some(c) = text[i..].chars().next() {
                self.char(c);
                i += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn html(&mut self, html: &str, code: bool) {
        let mut rest = html;
        while let Some(i) = rest.bytes().position(|b| b == b'<' || b == b'&') {
            self.text(&rest[..i]);
            rest = &rest[i..];
            if rest.starts_with('&') {
                let (decoded, len) = entity(rest);
                match decoded {
                    Some(c) => self.char(c),
                    None => self.flush(),
                }
                rest = &rest[len..];
                continue;
            }
            let (tag, len) = tag(rest);
            rest = &rest[len..];
            let Some(tag) = tag else { continue };
            if !is_one_of(tag.name, INLINE) {
                self.flush();
            }
            let skip =
                is_one_of(tag.name, SKIPPED) || (!code && tag.name.eq_ignore_ascii_case("pre"));
            if skip && !tag.closing && !tag.self_closing {
                rest = &rest[end_of(rest, tag.name)..];
            } else if is_heading(tag.name) {
                self.flags = if tag.closing { 0 } else { IN_HEADING };
            }
        }
        self.text(rest);
    }
}

fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Where the content of an element `name` that `rest` is inside ends: past
/// its closing tag, or the end of `rest` when there is none.
fn end_of(rest: &str, name: &str) -> usize {
    for (i, _) in rest.match_indices("</") {
        let after = &rest[i + 2..];
        let named = after
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        if named
            && !after[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
        {
            return after.find('>').map_or(rest.len(), |e| i + 2 + e + 1);
        }
    }
    rest.len()
}

fn is_heading(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 2 && b[0].eq_ignore_ascii_case(&b'h') && (b'1'..=b'6').contains(&b[1])
}

struct Tag<'a> {
    /// The name as written (compare it ignoring ASCII case).
    name: &'a str,
    closing: bool,
    self_closing: bool,
}

/// The tag at the start of `s` (which starts with `<`) and its length; `None`
/// for a comment, a doctype or a `<` that starts no tag (then the length is 1).
fn tag(s: &str) -> (Option<Tag<'_>>, usize) {
    if let Some(body) = s.strip_prefix("<!--") {
        let len = body.find("-->").map_or(s.len(), |e| 4 + e + 3);
        return (None, len);
    }
    let bytes = s.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let start = if closing { 2 } else { 1 };
    let name_len = s[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len() - start);
    if name_len == 0 && !s[start..].starts_with('!') {
        return (None, 1);
    }
    // The end of the tag, past quoted attribute values that may hold `>`.
    let mut quote = None;
    let mut end = s.len();
    for (i, c) in s.char_indices().skip(start + name_len) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = i + 1;
                break;
            }
            _ => {}
        }
    }
    if name_len == 0 {
        return (None, end);
    }
    let tag = Tag {
        name: &s[start..start + name_len],
        closing,
        self_closing: s[..end].ends_with("/>"),
    };
    (Some(tag), end)
}

/// The character of the entity at the start of `s` (which starts with `&`) and
/// its length; `None` for an entity that is no letter or digit (it ends a word).
fn entity(s: &str) -> (Option<char>, usize) {
    let Some(end) = s[1..].find(';').filter(|&e| e <= 32).map(|e| e + 2) else {
        return (None, 1);
    };
    let name = &s[1..end - 1];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        code.and_then(char::from_u32)
    } else if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        named(name)
    } else {
        return (None, 1);
    };
    (c, end)
}

/// The named entities that stand for letters in course text.
fn named(name: &str) -> Option<char> {
    let c = match name {
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(title: &str, html: &str, code: bool) -> Vec<(String, u32, u8)> {
        let mut v: Vec<_> = page_words(title, html, code)
            .into_iter()
            .map(|(w, (n, f))| (w, n, f))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn title_headings_and_text() {
        let html = "<h2 id=\"x\">Docker <em>Images</em><a class=\"heading-anchor\" href=\"#x\">#</a></h2>\n<p>Build an image &amp; run it: docker&nbsp;run.</p>";
        assert_eq!(
            words("Containers", html, false),
            vec![
                ("an".into(), 1, 0),
                ("build".into(), 1, 0),
                ("containers".into(), 1, IN_TITLE),
                ("docker".into(), 2, IN_HEADING),
                ("image".into(), 1, 0),
                ("images".into(), 1, IN_HEADING),
                ("it".into(), 1, 0),
                ("run".into(), 2, 0),
            ]
        );
    }

    #[test]
    fn code_blocks_only_when_asked_and_inline_tags_join() {
        let html = "<p>Use <code>pip</code>.</p><pre><code><span class=\"hl\">apptai</span>ner exec</code></pre><p>Done</p>";
        let without: Vec<String> = words("", html, false).into_iter().map(|w| w.0).collect();
        assert_eq!(without, ["done", "pip", "use"]);
        let with: Vec<String> = words("", html, true).into_iter().map(|w| w.0).collect();
        assert_eq!(with, ["apptainer", "done", "exec", "pip", "use"]);
    }

    #[test]
    fn skipped_elements_comments_and_odd_markup() {
        let html = "<!DOCTYPE html><html><head><title>Nope</title><style>p{x:y}</style></head>\
            <body><!-- hidden words --><script>var secret = '<p>';</script>\
            <p title='a > b'>Visible 3 < 4 &unknown; caf&eacute; &#x41;B &#99999999; x</p>\
            <math><mi>mathword</mi></math><svg><text>svgword</text></svg></body></html>";
        let found: Vec<String> = words("", html, true).into_iter().map(|w| w.0).collect();
        assert_eq!(found, ["ab", "café", "visible"]);
    }

    #[test]
    fn tokens_match_the_scanner() {
        let mut seen = Vec::new();
        tokens("Élan x_y: don't R 2024 über", |w| {
            seen.push(w.to_string())
        });
        assert_eq!(seen, ["élan", "don", "2024", "über"]);
    }

    #[test]
    fn skipped_content_ends_at_its_own_closing_tag() {
        let html = "<PRE>one</prefix>two</é€three</Pre >four <script>x</script>five";
        let found: Vec<String> = words("", html, false).into_iter().map(|w| w.0).collect();
        assert_eq!(found, ["five", "four"]);
    }

    #[test]
    fn unclosed_markup_ends_without_panicking() {
        for html in [
            "<pre></é",
            "<pre></",
            "<p",
            "<",
            "&",
            "&#",
            "<pre>code",
            "<!--",
            "<a href=\"x",
            "a<b>c",
        ] {
            let _ = page_words("", html, false);
        }
        assert_eq!(words("", "<pre>unclosed words", false), vec![]);
    }
}
