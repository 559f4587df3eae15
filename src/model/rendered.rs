//! What rendering one page's Markdown produced: the HTML fragment and what
//! later stages read from it (ids for anchors, links for the graph, the table
//! of contents). Valid once the Markdown stage has run.

use std::collections::HashSet;

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
    /// Files the page needs beside its document (a notebook's output images),
    /// as (path relative to the site root, bytes); written with the page.
    pub files: Vec<(String, Vec<u8>)>,
    /// Glossary terms (indices into `Glossary::terms`) linked automatically on the page.
    pub glossary_uses: Vec<usize>,
}
