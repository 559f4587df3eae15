//! What rendering one page's Markdown produced: the HTML fragment and what
//! later stages read from it (ids for anchors, links for the graph, the table
//! of contents). Valid once the Markdown stage has run.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::course::PageId;
use crate::diagnostics::Diagnostic;

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// An internal link found while rendering, for stage 4.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// The page linked to; `None` for a fragment on the same page.
    pub target: Option<PageId>,
    pub fragment: Option<String>,
    pub line: usize,
    pub column: usize,
    /// The link's text, for backlinks.
    pub text: String,
}

/// A page rendered to HTML, with what later stages need to know about it.
#[derive(Debug, Default, Clone)]
pub struct RenderedPage {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id a fragment may point at: headings, explicit ids, footnotes, raw HTML ids.
    pub ids: HashSet<String>,
    pub links: Vec<LinkRef>,
    pub has_code: bool,
    pub has_math: bool,
    pub word_count: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Languages of code blocks that could not be highlighted.
    pub unknown_languages: Vec<String>,
    /// What the page loads from other sites and whether it styles inline,
    /// read from `html` once it is final (for the Content-Security-Policy).
    pub embeds: Embeds,
    /// Files the page needs beside its document (a notebook's output images),
    /// as (path relative to the site root, bytes); written with the page.
    pub files: Vec<(String, Vec<u8>)>,
    /// Whether the page has teaching blocks (`::: challenge` …).
    pub has_teaching: bool,
    /// The content of the page's `keypoints` blocks, as HTML (empty: none).
    pub keypoints: String,
    /// The page with its `instructor` blocks, when it has any; only the
    /// instructor view shows it.
    pub instructor: Option<Box<InstructorCopy>>,
    /// Glossary terms (indices into `Glossary::terms`) linked automatically on the page.
    pub glossary_uses: Vec<usize>,
}

/// A page's instructor copy: what differs from the learner's.
#[derive(Debug, Default, Clone)]
pub struct InstructorCopy {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// What a page's HTML asks the browser to load from other origins, by the
/// Content-Security-Policy directive that governs it, and what inline style
/// and script it has. Origins are `scheme://host[:port]`, or a bare host for
/// a scheme-relative URL (`//host/x.png`), which CSP matches in the page's scheme.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Embeds {
    /// `<img src/srcset>`, `<picture><source srcset>`, `<video poster>`, `<input type=image>`.
    pub img: BTreeSet<String>,
    /// `<video>`, `<audio>` and their `<source src>` and `<track>`.
    pub media: BTreeSet<String>,
    /// `<iframe src>`.
    pub frame: BTreeSet<String>,
    /// Whether some element has a `style` attribute.
    pub style_attr: bool,
    /// `<script src>` from other origins: never allowed by syllabus, only checked.
    pub script: BTreeSet<String>,
    /// Whether the page has an inline `<script>` that would run, or an `on…` handler.
    pub inline_script: bool,
    /// Whether the page has a `<style>` element.
    pub style_element: bool,
}

impl Embeds {
    pub fn is_empty(&self) -> bool {
        self == &Embeds::default()
    }

    /// Adds another page's embeds to these.
    pub fn add(&mut self, other: &Embeds) {
        self.img.extend(other.img.iter().cloned());
        self.media.extend(other.media.iter().cloned());
        self.frame.extend(other.frame.iter().cloned());
        self.style_attr |= other.style_attr;
        self.script.extend(other.script.iter().cloned());
        self.inline_script |= other.inline_script;
        self.style_element |= other.style_element;
    }
}
