//! The two readings of a relative link: from the file, as GitHub reads it, and
//! from the page's URL, as MkDocs serves `a/b.md` at `a/b/`. In: both targets
//! and `[links] relative_to`. Out: the one to use and a note when they differ.

use super::resolve::{Found, find, relative};
use crate::model::UrlIndex;
use crate::model::config::RelativeTo;

/// One reading of a relative link: the target path (`None` when it climbs
/// out of the content folder) and what is there.
pub(super) type Reading = Option<(String, Found)>;

pub(super) fn reading(index: &UrlIndex, target: Option<String>, wants_dir: bool) -> Reading {
    target.map(|t| {
        let found = find(index, &t, wants_dir);
        (t, found)
    })
}

/// The two readings of a relative link: from the file, as GitHub reads it, and
/// from the page's URL, as MkDocs serves it.
pub(super) struct Readings<'a> {
    pub index: &'a UrlIndex,
    pub dest: &'a str,
    pub from_dir: &'a str,
    pub wants_dir: bool,
    pub file: Reading,
    pub url: Reading,
}

impl Readings<'_> {
    /// The reading `relative_to` asks for, the other one when only that one
    /// finds something, and a note when the readings disagree.
    pub(super) fn choose(self, relative_to: RelativeTo) -> (Reading, Option<String>) {
        let found = |r: &Reading| r.as_ref().is_some_and(|(_, f)| f.is_found());
        let (file_found, url_found) = (found(&self.file), found(&self.url));
        // A link naming an existing file (`x.md`, `img/a.png`) is read from the
        // file by MkDocs too: both tools agree.
        let exact = self
            .file
            .as_ref()
            .is_some_and(|(t, f)| f.is_exact(t, self.wants_dir));
        if exact || (file_found && !url_found) {
            return (self.file, None);
        }
        if url_found && !file_found {
            let note = self.only_by_url();
            return (self.url, Some(note));
        }
        if !url_found {
            return (self.file, None);
        }
        if self.shown(&self.file) == self.shown(&self.url) {
            return (self.file, None);
        }
        match relative_to {
            RelativeTo::File => {
                let note = self.ambiguous_file_wins();
                (self.file, Some(note))
            }
            RelativeTo::Url => {
                let note = self.ambiguous_url_wins();
                (self.url, Some(note))
            }
        }
    }

    fn shown(&self, r: &Reading) -> String {
        r.as_ref()
            .map_or_else(String::new, |(t, f)| f.shown(self.index, t))
    }

    /// The reading's target as a file-relative link, which both tools read alike.
    fn rewritten(&self, r: &Reading) -> String {
        r.as_ref().map_or_else(String::new, |(t, f)| {
            relative(self.from_dir, &f.source(self.index, t))
        })
    }

    fn only_by_url(&self) -> String {
        format!(
            "link `{}` works only relative to the page's URL (as MkDocs serves it); it leads to `{}`; write `{}` so that it works on GitHub too",
            self.dest,
            self.shown(&self.url),
            self.rewritten(&self.url)
        )
    }

    fn ambiguous_file_wins(&self) -> String {
        format!(
            "link `{}` leads to `{}` from the file (as on GitHub) but to `{}` from the page's URL (as MkDocs serves it); syllabus uses `{}`; write `{}` to keep it, or `{}` for the MkDocs target",
            self.dest,
            self.shown(&self.file),
            self.shown(&self.url),
            self.shown(&self.file),
            self.rewritten(&self.file),
            self.rewritten(&self.url)
        )
    }

    fn ambiguous_url_wins(&self) -> String {
        format!(
            "link `{}` leads to `{}` from the page's URL (as MkDocs serves it, `relative_to = \"url\"`), but on GitHub, which reads it from the file, to `{}`; write `{}` so that it leads to `{}` on GitHub too",
            self.dest,
            self.shown(&self.url),
            self.shown(&self.file),
            self.rewritten(&self.url),
            self.shown(&self.url)
        )
    }
}
