//! Jupyter notebooks as pages: each cell rendered in order, nothing run.
//!
//! Markdown cells go through the same renderer as pages (links resolved and
//! checked, GitHub heading ids unique across the cells, math, attachments);
//! code cells are highlighted in the kernel's language with their execution
//! counts and saved outputs ([`outputs`]). Problems found in a cell are
//! reported at the line and column of the `.ipynb` file. Output images are
//! files of the page (`RenderedPage::files`), not data URLs. Teaching blocks
//! in Markdown cells work as on pages: a notebook with `instructor` blocks
//! gets a copy for the instructor view.

mod ansi;
mod images;
mod outputs;

use std::collections::HashMap;

use super::code::{Fence, markup};
use super::highlight::Highlighted;
use super::{MarkdownInput, Parts, RenderContext, render_part};
use crate::diagnostics::Code;
use crate::load::notebook::{Cell, Notebook, SourceMap, parse};
use crate::model::{InstructorCopy, PageKind, RenderedPage, TocEntry};
use crate::util::html::escape;
use crate::util::positions::Positions;

/// One notebook being rendered.
struct Renderer<'a> {
    page: &'a MarkdownInput<'a>,
    ctx: &'a RenderContext<'a>,
    positions: Positions<'a>,
    parts: Parts,
    /// The kernel's language, for code cells.
    language: String,
    /// The page's folder in the site (`analysis/`), where its files go.
    dir: String,
    html: String,
    /// Headings of every part, flat, nested once at the end.
    toc: Vec<TocEntry>,
    out: RenderedPage,
}

/// Renders the notebook whose JSON is the page's body, and its copy for the
/// instructor view when a Markdown cell has an `instructor` block.
pub(super) fn render(page: &MarkdownInput, ctx: &RenderContext) -> RenderedPage {
    let notebook = match parse(page.file, page.body) {
        Ok(n) => n,
        Err(d) => {
            return RenderedPage {
                diagnostics: vec![d],
                ..RenderedPage::default()
            };
        }
    };
    let (mut out, instructor_blocks) = render_cells(page, ctx, &notebook, false);
    if instructor_blocks > 0 {
        // Rendered again rather than kept aside: the copy is rare, and a
        // cell's markup cannot be split into its two views afterwards.
        let (copy, _) = render_cells(page, ctx, &notebook, true);
        for d in copy.diagnostics {
            if !out.diagnostics.contains(&d) {
                out.diagnostics.push(d);
            }
        }
        out.instructor = Some(Box::new(InstructorCopy {
            html: copy.html,
            toc: copy.toc,
        }));
    }
    out
}

/// Every cell of the notebook in order, and the `instructor` blocks seen.
fn render_cells(
    page: &MarkdownInput,
    ctx: &RenderContext,
    notebook: &Notebook,
    instructor_view: bool,
) -> (RenderedPage, usize) {
    let mut r = Renderer {
        page,
        ctx,
        positions: Positions::new(page.body),
        parts: Parts {
            instructor_view,
            ..Parts::default()
        },
        language: notebook
            .language
            .clone()
            .unwrap_or_default()
            .to_ascii_lowercase(),
        dir: page_dir(page.source),
        html: String::new(),
        toc: Vec::new(),
        out: RenderedPage::default(),
    };
    for (i, cell) in notebook.cells.iter().enumerate() {
        r.cell(i + 1, cell);
    }
    let instructor_blocks = r.parts.instructor_blocks;
    (r.finish(), instructor_blocks)
}

/// The site folder of a notebook's page: `a/analysis.ipynb` → `a/analysis/`.
pub fn page_dir(source: &str) -> String {
    let stem = source
        .len()
        .checked_sub(".ipynb".len())
        .and_then(|end| source.get(..end))
        .unwrap_or(source);
    format!("{stem}/")
}

impl Renderer<'_> {
    fn cell(&mut self, n: usize, cell: &Cell) {
        match cell.cell_type.as_ref() {
            "markdown" => {
                self.parts.attachments = Some(self.attachments(n, cell));
                let (text, map) = cell.source.text_mapped();
                let html = self.markdown(&text, Some(&map), cell.source.offset, true);
                self.parts.attachments = None;
                self.html.push_str(&html);
            }
            "code" => self.code(n, cell),
            "raw" => self.raw(cell),
            other => {
                let message = format!("unknown cell type `{other}`; the cell is left out");
                self.warn(
                    Code::UnknownNotebookType,
                    cell.at.offset,
                    message,
                    "cells are `markdown`, `code` or `raw`",
                );
            }
        }
    }

    /// Renders Markdown of the notebook (a cell, a raw cell, an output);
    /// `map` places its positions in the file, else they are at `offset`.
    fn markdown(
        &mut self,
        text: &str,
        map: Option<&SourceMap>,
        offset: usize,
        searched: bool,
    ) -> String {
        let input = MarkdownInput {
            body: text,
            body_line_offset: 0,
            kind: PageKind::Markdown,
            ..*self.page
        };
        let r = render_part(&input, self.ctx, &mut self.parts);
        let place = |line: usize, column: usize| match map {
            Some(m) if line > 0 => self.positions.at(m.file_offset(line, column)),
            _ => self.positions.at(offset),
        };
        for mut d in r.diagnostics {
            (d.line, d.column) = place(d.line, d.column);
            self.out.diagnostics.push(d);
        }
        for mut link in r.links {
            (link.line, link.column) = place(link.line, link.column);
            self.out.links.push(link);
        }
        self.out.ids.extend(r.ids);
        let mut entries = Vec::new();
        flatten(r.toc, &mut entries);
        // Every level, not only the table of contents' 2–4: notebooks link
        // to their `# ` headings the most.
        let headings = std::mem::take(&mut self.parts.headings);
        let html = self.jupyter_anchors(r.html, &headings);
        self.toc.extend(entries);
        self.out.has_code |= r.has_code;
        self.out.has_teaching |= r.has_teaching;
        self.out.keypoints.push_str(&r.keypoints);
        self.out.has_math |= r.has_math;
        self.out.unknown_languages.extend(r.unknown_languages);
        self.out.glossary_uses.extend(r.glossary_uses);
        if searched {
            self.out.word_count += r.word_count;
        }
        html
    }

    /// Headings answer to Jupyter's anchors too, which notebooks use to link
    /// to their own headings and to each other's: the heading's text with
    /// each space as `-`, case, punctuation and other letters kept
    /// (`#Data-Representation`), as Jupyter and nbconvert make them. The
    /// first heading of a text keeps its anchor, as in the browser.
    fn jupyter_anchors(&mut self, mut html: String, headings: &[(String, String)]) -> String {
        for (id, text) in headings {
            let jupyter = text.trim().replace(' ', "-");
            if jupyter.is_empty() || jupyter == *id || self.out.ids.contains(&jupyter) {
                continue;
            }
            let attribute = format!(" id=\"{}\"", escape(id));
            let Some(open_end) = html
                .find(&attribute)
                .and_then(|at| html[at..].find('>').map(|end| at + end + 1))
            else {
                continue;
            };
            html.insert_str(
                open_end,
                &format!("<span id=\"{}\"></span>", escape(&jupyter)),
            );
            self.out.ids.insert(jupyter);
        }
        html
    }

    fn code(&mut self, n: usize, cell: &Cell) {
        let code = cell.source.text();
        if code.trim().is_empty() && cell.outputs.is_empty() {
            return;
        }
        let count = match cell.execution_count {
            Some(c) => c.to_string(),
            None => " ".to_string(),
        };
        self.html.push_str("<div class=\"nb-cell nb-code-cell\">\n");
        if !code.trim().is_empty() {
            let fence = Fence {
                lang: self.language.clone(),
                ..Fence::default()
            };
            let highlighted = self.ctx.highlighter.highlight(&fence.lang, &code);
            if let Highlighted::Plain {
                unknown: Some(lang),
                ..
            } = &highlighted
            {
                self.out.unknown_languages.push(lang.clone());
            }
            self.out.has_code = true;
            self.html.push_str(&format!(
                "<div class=\"nb-input\"><span class=\"nb-prompt\">In [{count}]:</span>\n{}</div>\n",
                markup(&fence, highlighted)
            ));
        }
        self.outputs(n, cell);
        self.html.push_str("</div>\n");
    }

    /// A raw cell is shown when it is HTML or Markdown (as nbconvert's HTML does); others are left out.
    fn raw(&mut self, cell: &Cell) {
        match cell.raw_format.as_deref() {
            Some("text/html") => {
                let html = self.html_output(&cell.source.text());
                self.html.push_str(&html);
            }
            Some("text/markdown") => {
                let (text, map) = cell.source.text_mapped();
                let html = self.markdown(&text, Some(&map), cell.source.offset, true);
                self.html.push_str(&html);
            }
            _ => {}
        }
    }

    /// A cell's attachments as files of the page: name → URL.
    fn attachments(&mut self, n: usize, cell: &Cell) -> HashMap<String, String> {
        let mut urls = HashMap::new();
        for (name, bundle) in &cell.attachments {
            let Some((mime, data)) = images::IMAGE_TYPES
                .iter()
                .find_map(|(mime, _)| bundle.get(*mime).map(|d| (*mime, *d)))
            else {
                continue;
            };
            let stem: String = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .take(60)
                .collect();
            if let Some(url) = self.image_file(&format!("cell{n}-{stem}"), mime, data) {
                urls.insert(name.clone(), url);
            }
        }
        urls
    }

    fn warn(&mut self, code: Code, offset: usize, message: String, help: &str) {
        let (line, column) = self.positions.at(offset);
        self.out.diagnostics.push(
            crate::diagnostics::Diagnostic::warning(code, self.page.file, message)
                .at(line, column)
                .with_help(help),
        );
    }

    fn error(&mut self, code: Code, offset: usize, message: String, help: &str) {
        let (line, column) = self.positions.at(offset);
        self.out.diagnostics.push(
            crate::diagnostics::Diagnostic::error(code, self.page.file, message)
                .at(line, column)
                .with_help(help),
        );
    }

    fn finish(mut self) -> RenderedPage {
        self.out.html = self.html;
        self.out.toc = super::headings::nest_toc(self.toc);
        self.out
    }
}

/// A table of contents' entries in order, without their nesting.
fn flatten(toc: Vec<TocEntry>, into: &mut Vec<TocEntry>) {
    for mut entry in toc {
        let children = std::mem::take(&mut entry.children);
        into.push(entry);
        flatten(children, into);
    }
}
