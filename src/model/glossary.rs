//! The course's glossary: its terms, read once per build from the glossary
//! page, before any page is rendered. The renderer links the first use of
//! each term on a page; stage 4 checks the links made to it by hand.

use super::course::PageId;

/// The glossary page's terms; valid from the start of rendering.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Glossary {
    /// The glossary page.
    pub page: PageId,
    /// Its source path (relative to content): it is never linked to itself.
    pub source: String,
    /// Its URL with the base path (`/course/glossary/`), to link terms to.
    pub url: String,
    pub terms: Vec<Term>,
}

/// One term: a heading of the glossary page and its definition.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Term {
    /// The heading without its abbreviation (`Virtual machine`).
    pub name: String,
    /// The heading's id on the glossary page (`virtual-machine-vm`).
    pub anchor: String,
    /// Other words that mean the term: the abbreviation in brackets after the
    /// name, the `Also:` list, and the plurals of all of them.
    pub aliases: Vec<String>,
    /// The definition's first paragraph as plain text, shown on hover.
    pub definition: String,
    /// Line of the heading in the glossary page's file.
    pub line: usize,
}

impl Glossary {
    /// The term whose heading has this id.
    pub fn by_anchor(&self, anchor: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.anchor == anchor)
    }
}
