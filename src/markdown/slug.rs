//! Heading ids by GitHub's rules (the reference is the npm package `github-slugger`,
//! which mirrors GitHub's own filter): lower-case; every character dropped but
//! alphabetic ones (letters, letter numbers such as `Ⅻ`, circled letters),
//! combining marks, decimal digits, connector punctuation (`_`), `-` and
//! spaces; each space turned into `-`; a repeated
//! slug gets `-1`, `-2` …. Superscripts and fractions (`²`, `½`) are "other
//! numbers" and are dropped, as GitHub drops them.

use std::collections::HashMap;

use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};

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
        } else if c == '-' || kept(c) {
            out.push(c);
        }
    }
    out
}

/// Whether GitHub keeps the character in an id (Unicode's "word" characters).
fn kept(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphabetic()
        || matches!(
            c.general_category(),
            G::NonspacingMark
                | G::SpacingMark
                | G::EnclosingMark
                | G::DecimalNumber
                | G::ConnectorPunctuation
        )
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
            // Tamil's virama and vowel signs are marks: kept, not split.
            ("தமிழ் மொழி", "தமிழ்-மொழி"),
            ("हिन्दी भाषा", "हिन्दी-भाषा"),
            // Superscripts, subscripts and fractions are "other numbers": dropped.
            ("x²", "x"),
            ("H₂O", "ho"),
            ("½ half", "-half"),
            // Letter numbers and other connector punctuation stay.
            ("Ⅻ roman", "ⅻ-roman"),
            ("a‿b", "a‿b"),
            ("Ⓐ circled", "ⓐ-circled"),
            ("Arabic ٣", "arabic-٣"),
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
