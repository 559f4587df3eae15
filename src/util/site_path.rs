//! Paths of files in the site, compared the way hosts compare them.
//!
//! In: a path under the site root, either as a file is written
//! (`a/b/index.html`) or as a URL names it (`/a/./b%20c//`). Out: the clean
//! path a URL stands for ([`clean_url_path`]) and the [`key`] under which two
//! paths are one file. Azure Static Web Apps and macOS and Windows checkouts
//! ignore case, and macOS ignores the Unicode form (NFC or NFD) of a name, so
//! two paths that differ only there replace each other. Every check that one
//! file of the site does not replace another compares keys.

use std::fmt;

use percent_encoding::percent_decode_str;
use unicode_normalization::UnicodeNormalization;

/// Why a URL path cannot name a file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    Empty,
    /// A `..` segment, written or percent-encoded: it would leave its folder.
    ParentSegment,
    /// `?` or `#`: a static file cannot answer one query or fragment only.
    QueryOrFragment,
    /// Windows reads `\` as a folder separator, other systems as a letter.
    Backslash,
    ControlCharacter,
    /// The bytes after percent-decoding are not UTF-8.
    NotUtf8,
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unusable::Empty => "it is empty",
            Unusable::ParentSegment => "it has a `..` segment",
            Unusable::QueryOrFragment => "it has a `?` or `#`, which a static file cannot match",
            Unusable::Backslash => "it has a backslash",
            Unusable::ControlCharacter => "it has a control character",
            Unusable::NotUtf8 => "its percent-encoded bytes are not UTF-8",
        })
    }
}

/// `/a/./b//c%20d/` → `a/b/c d/`: percent-decoded, without dot segments or
/// repeated slashes, relative to the site root; a trailing slash is kept.
/// `""` is the site root.
pub fn clean_url_path(path: &str) -> Result<String, Unusable> {
    if path.trim().is_empty() {
        return Err(Unusable::Empty);
    }
    if path.contains(['?', '#']) {
        return Err(Unusable::QueryOrFragment);
    }
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Unusable::NotUtf8)?;
    if decoded.contains('\\') {
        return Err(Unusable::Backslash);
    }
    if decoded.chars().any(char::is_control) {
        return Err(Unusable::ControlCharacter);
    }
    let segments = segments(&decoded);
    if segments.contains(&"..") {
        return Err(Unusable::ParentSegment);
    }
    let mut clean = segments.join("/");
    let folder = decoded.ends_with('/') || decoded.ends_with("/.") || decoded == ".";
    if folder && !clean.is_empty() {
        clean.push('/');
    }
    Ok(clean)
}

/// The key of a path of the site: without empty or `.` segments, in Unicode
/// NFC and lower case. Two paths with the same key are one file on a host that
/// ignores case or Unicode form.
pub fn key(path: &str) -> String {
    let joined = segments(path).join("/");
    let lower = joined.nfc().collect::<String>().to_lowercase();
    // Lower-casing can leave a sequence that composes differently.
    lower.nfc().collect()
}

/// The segments of a path that name something: not empty, not `.`.
fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_are_cleaned() {
        let cases = [
            ("/", ""),
            ("/./", ""),
            ("//", ""),
            ("/.", ""),
            ("/a/./", "a/"),
            ("/./a/", "a/"),
            ("/a//", "a/"),
            ("//a///b/", "a/b/"),
            ("/a/.", "a/"),
            ("a", "a"),
            ("/a/b.html", "a/b.html"),
            ("/%61/", "a/"),
            ("/a%2Fb/", "a/b/"),
            ("/%2E/", ""),
            ("/caf%C3%A9/", "café/"),
            ("/a%20b/", "a b/"),
            ("/a%2520b/", "a%20b/"),
            ("/.syllabus-output", ".syllabus-output"),
            ("/A/", "A/"),
        ];
        for (raw, clean) in cases {
            assert_eq!(clean_url_path(raw).as_deref(), Ok(clean), "{raw}");
        }
    }

    #[test]
    fn unusable_url_paths() {
        let cases = [
            ("", Unusable::Empty),
            ("  ", Unusable::Empty),
            ("/a/../b/", Unusable::ParentSegment),
            ("/..", Unusable::ParentSegment),
            ("/%2e%2e/x/", Unusable::ParentSegment),
            ("/a/%2E%2E%2Fb", Unusable::ParentSegment),
            ("/a?x=1", Unusable::QueryOrFragment),
            ("/a/#top", Unusable::QueryOrFragment),
            ("/a\\b/", Unusable::Backslash),
            ("/a%5Cb/", Unusable::Backslash),
            ("/a%00/", Unusable::ControlCharacter),
            ("/a%0A/", Unusable::ControlCharacter),
            ("/a%FF/", Unusable::NotUtf8),
        ];
        for (raw, why) in cases {
            assert_eq!(clean_url_path(raw), Err(why), "{raw:?}");
        }
    }

    #[test]
    fn keys_ignore_case_form_and_empty_segments() {
        let same = [
            ("index.html", "./index.html"),
            ("a/index.html", "a//index.html"),
            ("a/index.html", "A/Index.HTML"),
            ("caf\u{e9}/index.html", "cafe\u{301}/index.html"),
            ("CAF\u{c9}/x.png", "cafe\u{301}/X.png"),
            ("stra\u{df}e/", "STRA\u{df}E/"),
            ("\u{1e9b}\u{323}", "\u{17f}\u{323}\u{307}"),
        ];
        for (a, b) in same {
            assert_eq!(key(a), key(b), "{a:?} and {b:?}");
        }
        let different = [
            ("a/index.html", "a.html"),
            ("a/b", "ab"),
            ("cafe/index.html", "caf\u{e9}/index.html"),
            ("%61/index.html", "a/index.html"),
        ];
        for (a, b) in different {
            assert_ne!(key(a), key(b), "{a:?} and {b:?}");
        }
        assert_eq!(key("A/./B//index.html"), "a/b/index.html");
    }
}
