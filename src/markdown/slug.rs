//! Heading ids by GitHub's rules (the reference is the npm package `github-slugger`):
//! lower-case, characters other than letters, numbers, marks, `-`, `_` and
//! spaces dropped, each space turned into `-`; a repeated slug gets `-1`, `-2` ….

use std::collections::HashMap;

/// One page's slugger: remembers slugs to number duplicates.
#[derive(Debug, Default)]
pub struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// The unique id for a heading with this text.
    pub fn slug(&mut self, text: &str) -> String {
        let original = slugify(text);
        let mut result = original.clone();
        while self.occurrences.contains_key(&result) {
            let n = self.occurrences.entry(original.clone()).or_insert(0);
            *n += 1;
            result = format!("{original}-{n}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }

    /// Records an id chosen by the author so later headings do not take it.
    pub fn reserve(&mut self, id: &str) {
        self.occurrences.entry(id.to_string()).or_insert(0);
    }
}

/// The slug of `text` without duplicate numbering.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' || is_mark(c) {
            out.push(c);
        }
    }
    out
}

/// Combining marks (Unicode category M) in the blocks a course is likely to use.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected ids are what github-slugger 2.0 returns for the same text
    /// (its test fixtures cover punctuation, emoji and non-ASCII letters).
    #[test]
    fn github_slugs() {
        let cases = [
            ("Choosing a size", "choosing-a-size"),
            ("What's IaaS?", "whats-iaas"),
            ("Using `az login`", "using-az-login"),
            ("Café-style caching", "café-style-caching"),
            ("Step 1: Log in", "step-1-log-in"),
            ("C# and .NET", "c-and-net"),
            ("Emoji 🚀 launch", "emoji--launch"),
            ("  Leading spaces", "--leading-spaces"),
            ("snake_case_name", "snake_case_name"),
            ("Привет мир", "привет-мир"),
            ("A -- B", "a----b"),
            ("100% (approx.)", "100-approx"),
        ];
        for (text, want) in cases {
            assert_eq!(slugify(text), want, "{text}");
        }
    }

    #[test]
    fn duplicates_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Setup"), "setup");
        assert_eq!(s.slug("Setup"), "setup-1");
        assert_eq!(s.slug("Setup"), "setup-2");
        assert_eq!(s.slug("Setup 1"), "setup-1-1");
    }
}
