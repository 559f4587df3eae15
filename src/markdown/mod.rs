//! Stage 3: one page's Markdown → an HTML fragment, in GitHub's flavour.
//!
//! Pure: in, the page body and the [`UrlIndex`]; out, a [`RenderedPage`] with
//! the HTML, the table of contents, every id on the page, and every internal
//! link it made (checked for anchors in stage 4). The event stream goes
//! through one named pass per feature.

mod abbreviations;
mod admonitions;
mod attributes;
mod autolink;
mod callouts;
mod code;
mod depth;
mod embeds;
mod fenced_divs;
mod footnotes;
pub mod glossary;
pub mod github;
mod headings;
pub mod highlight;
mod highlight_cache;
mod icons;
mod latex;
pub mod limits;
mod math;
mod mathml;
mod md_in_html;
mod prepass;
mod notebook;
mod raw_html;
mod resolve;
mod slides;
pub mod sanitize;
pub mod slug;
mod snippets;
mod spans;
mod teach;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

pub use glossary::GlossaryLinks;
pub use highlight::Highlighter;
pub use math::render_formula;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::model::config::{MarkdownConfig, RelativeTo};
use crate::model::{InstructorCopy, Page, PageKind, RenderedPage, UrlIndex};
use crate::util::positions::Positions;

/// What rendering a page needs besides the page.
pub struct RenderContext<'a> {
    pub index: &'a UrlIndex,
    pub highlighter: &'a Highlighter,
    pub options: &'a MarkdownConfig,
    /// How broken links are reported (`[links] broken`).
    pub broken: Severity,
    /// How relative links are read when file and URL disagree (`[links] relative_to`).
    pub relative_to: RelativeTo,
    /// The glossary whose terms are linked on first use, when the course has one.
    pub glossary: Option<&'a GlossaryLinks>,
}

impl RenderContext<'_> {
    /// A hash of every site-wide input the renderer reads: same hash and same
    /// [`MarkdownInput`], same [`RenderedPage`] (the render cache keys on both).
    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (
            self.index.fingerprint(),
            self.highlighter.config(),
            self.options,
            self.broken,
            self.relative_to,
            self.glossary.map(|g| &g.glossary),
        )
            .hash(&mut h);
        h.finish()
    }
}

/// Every input of one page's rendering besides the [`RenderContext`]: the
/// renderer reads the page only through this, so that the render cache, which
/// keys on its hash, cannot miss a field.
#[derive(Debug, Clone, Copy, Hash)]
pub struct MarkdownInput<'a> {
    /// Path relative to the content folder (links resolve from it).
    pub source: &'a str,
    /// Path shown in diagnostics.
    pub file: &'a str,
    pub body: &'a str,
    pub body_line_offset: usize,
    pub kind: PageKind,
    /// Whether glossary terms are linked on the page (`glossary = false` turns them off).
    pub glossary_links: bool,
}

impl<'a> MarkdownInput<'a> {
    pub fn of(page: &'a Page) -> MarkdownInput<'a> {
        MarkdownInput {
            source: &page.source,
            file: &page.file,
            body: &page.body,
            body_line_offset: page.body_line_offset,
            kind: page.kind,
            glossary_links: page.front.glossary != Some(false),
        }
    }
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Where a page's body sits in its file, to report file positions.
struct Source<'a> {
    page: MarkdownInput<'a>,
    /// The text pulldown-cmark reads: the body after the source passes.
    text: &'a str,
    /// From offsets of `text` to offsets of the body.
    map: &'a prepass::SourceMap,
    positions: Positions<'a>,
}

impl<'a> Source<'a> {
    fn new(page: MarkdownInput<'a>, prepared: &'a prepass::Prepared) -> Source<'a> {
        Source {
            page,
            text: prepared.current(page.body),
            map: &prepared.map,
            positions: Positions::new(page.body),
        }
    }

    /// File line and column of an offset of [`Source::text`].
    fn position(&self, offset: usize) -> (usize, usize) {
        self.body_position(self.map.to_body(offset))
    }

    fn body_position(&self, body_offset: usize) -> (usize, usize) {
        let (line, col) = self.positions.at(body_offset);
        (line + self.page.body_line_offset, col)
    }

    fn diagnostic(
        &self,
        severity: Severity,
        code: Code,
        offset: usize,
        message: String,
    ) -> Diagnostic {
        let (line, col) = self.position(offset);
        Diagnostic::new(severity, code, self.page.file, message).at(line, col)
    }
}

pub fn parser_options(options: &MarkdownConfig) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    if options.math {
        o |= Options::ENABLE_MATH;
    }
    if options.attributes {
        o |= Options::ENABLE_HEADING_ATTRIBUTES;
    }
    if options.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Renders one page.
pub fn render(page: &Page, ctx: &RenderContext) -> RenderedPage {
    render_input(MarkdownInput::of(page), ctx)
}

pub fn render_input(page: MarkdownInput, ctx: &RenderContext) -> RenderedPage {
    let mut out = render_kind(page, ctx);
    out.embeds = embeds::collect(&out.html);
    // The site's policy must let the instructor view load what its blocks embed too.
    if let Some(copy) = &out.instructor {
        out.embeds.add(&embeds::collect(&copy.html));
    }
    out
}

/// The page rendered as its kind asks.
fn render_kind(page: MarkdownInput, ctx: &RenderContext) -> RenderedPage {
    // A whole HTML document is parsed only to sanitise it.
    // (A notebook is JSON: each of its Markdown cells is bounded where it is rendered.)
    let parsed = match page.kind {
        PageKind::HtmlDocument => !ctx.options.unsafe_html,
        PageKind::Notebook => false,
        PageKind::Markdown | PageKind::SlideDeck => true,
    };
    if let Some(offset) = limits::over(page.body, limits::MAX_MARKUP).filter(|_| parsed) {
        let none = prepass::Prepared::default();
        return too_much_markup(&Source::new(page, &none), offset);
    }
    match page.kind {
        PageKind::HtmlDocument => {
            // In safe mode a whole HTML document is raw HTML like any other.
            let mut out = RenderedPage::default();
            out.html = if ctx.options.unsafe_html {
                page.body.to_string()
            } else {
                let html = page.body.to_string();
                let none = prepass::Prepared::default();
                let source = Source::new(page, &none);
                sanitize::clean(&depth::cap_page(html, &source, |o| o, &mut out))
            };
            return out;
        }
        PageKind::SlideDeck => return slides::render_deck(page, ctx),
        PageKind::Notebook => return notebook::render(&page, ctx),
        PageKind::Markdown => {}
    }
    let mut parts = Parts::default();
    let mut out = render_part(&page, ctx, &mut parts);
    if parts.instructor_blocks > 0 {
        out.instructor = Some(Box::new(instructor_copy(&page, ctx, &mut out)));
    }
    out
}

/// The page as the instructor view shows it, with its `instructor` blocks.
/// Their problems join the page's; their links stay out of the link graph, so
/// that no backlink on a learner's page names them.
fn instructor_copy(
    page: &MarkdownInput,
    ctx: &RenderContext,
    out: &mut RenderedPage,
) -> InstructorCopy {
    let mut parts = Parts {
        instructor_view: true,
        ..Parts::default()
    };
    let copy = render_part(page, ctx, &mut parts);
    for d in copy.diagnostics {
        if !out.diagnostics.contains(&d) {
            out.diagnostics.push(d);
        }
    }
    InstructorCopy {
        html: copy.html,
        toc: copy.toc,
    }
}

/// What the parts of a page rendered one by one (a notebook's cells) share:
/// heading ids stay unique across them, and `attachment:` links lead to the
/// files of the part being rendered.
#[derive(Default)]
pub(super) struct Parts {
    slugger: slug::Slugger,
    /// `attachment:name` → URL in a notebook's cell; `None` on other pages,
    /// where `attachment:` is a URL scheme like any other.
    attachments: Option<HashMap<String, String>>,
    /// Render for the instructor view: `instructor` blocks are kept.
    instructor_view: bool,
    /// `instructor` blocks seen (the page needs an instructor copy).
    instructor_blocks: usize,
    /// Glossary terms already linked on the page, by hand or automatically.
    glossary_linked: std::collections::HashSet<usize>,
    /// Every heading of the last part rendered, any level, as (id, text):
    /// a notebook gives each Jupyter's anchor too.
    headings: Vec<(String, String)>,
}

/// Renders Markdown: a whole page, or one part of a page that shares `parts` with the others.
pub(super) fn render_part(
    page: &MarkdownInput,
    ctx: &RenderContext,
    parts: &mut Parts,
) -> RenderedPage {
    let prepared = prepass::prepare(page.body, parts.instructor_view);
    parts.instructor_blocks += prepared.instructor_blocks;
    let source = Source::new(*page, &prepared);
    let mut out = RenderedPage {
        has_teaching: prepared.instructor_blocks > 0
            || prepared
                .markers
                .iter()
                .any(|m| matches!(m, prepass::Marker::Div { .. })),
        ..RenderedPage::default()
    };
    report_problems(&prepared, &source, &mut out);
    let parser = Parser::new_ext(source.text, parser_options(ctx.options)).into_offset_iter();
    // Room for every event at once: growing the list by doubling would hold its
    // old and new copies together, and the allocator keeps freed memory a while.
    let mut events: Vec<Spanned> = Vec::with_capacity(limits::events_at_most(source.text));
    events.extend(TextMergeWithOffset::new(parser));
    if ctx.options.autolink {
        events = autolink::autolink(events);
    }
    resolve::rewrite_links(&mut events, &source, ctx, parts, &mut out);
    raw_html::rewrite(&mut events, &source, ctx, &mut out);
    let safe = !ctx.options.unsafe_html;
    let sanitise_html = safe && sanitize::has_raw_html(&events, |h| prepared.marker(h).is_some());
    if safe {
        sanitize::neutralise_urls(&mut events, &source, &mut out);
    }
    if ctx.options.attributes {
        attributes::apply(&mut events, &source, &mut out);
        spans::apply(&mut events, &source, &mut parts.slugger, &mut out);
    }
    icons::remove(&mut events, &source, &mut out);
    let keypoints = teach::apply(&mut events, &prepared, &ctx.index.base_path);
    if !keypoints.is_empty() {
        out.keypoints = if safe {
            sanitize::clean(&keypoints)
        } else {
            keypoints
        };
    }
    callouts::apply(&mut events, &prepared);
    glossary_links(&mut events, page, ctx, parts, &mut out);
    parts.headings.clear();
    headings::heading_ids(&mut events, &source, parts, &mut out);
    if ctx.options.math {
        math::fences(&mut events);
    }
    code::blocks(&mut events, &source, ctx, &mut out);
    math::render(&mut events, &source, safe, &mut out);
    abbreviations::apply(&mut events, &prepared.abbreviations);
    containers(&mut events);
    out.word_count = count_words(&events);
    let events = footnotes::github_style(events, &mut out.ids);
    let mut html = String::with_capacity(source.text.len() * 3 / 2);
    if sanitise_html {
        // The sanitiser's time grows with the square of the nesting depth: cap it first.
        let starts = depth::push_html_mapped(&mut html, events);
        let at = |o| depth::body_offset(&starts, o);
        html = depth::cap_page(html, &source, at, &mut out);
    } else {
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    }
    out.html = align_attributes(html);
    if sanitise_html {
        out.html = sanitize::clean(&out.html);
    }
    out
}

/// The first use of each glossary term links to it, except on the glossary
/// itself and on pages that turn it off.
fn glossary_links(
    events: &mut Vec<Spanned>,
    page: &MarkdownInput,
    ctx: &RenderContext,
    parts: &mut Parts,
    out: &mut RenderedPage,
) {
    let Some(links) = ctx.glossary else {
        return;
    };
    if !page.glossary_links || page.source == links.glossary.source {
        return;
    }
    let linked = &mut parts.glossary_linked;
    glossary::apply(events, links, &out.links, linked, &mut out.glossary_uses);
}

/// A page refused before parsing, with the error at the markup past the limit.
fn too_much_markup(source: &Source, offset: usize) -> RenderedPage {
    let message = format!(
        "the page has more markup than one page may: over {} table cells, emphasis marks, links, tags and lines",
        crate::diagnostics::thousands(limits::MAX_MARKUP as u64)
    );
    let help = "split it into several pages, or publish large data as a file next to the page (a `.csv`) and link to it";
    RenderedPage {
        diagnostics: vec![
            source
                .diagnostic(Severity::Error, Code::TooMuchMarkup, offset, message)
                .with_help(help),
        ],
        ..RenderedPage::default()
    }
}

/// The source passes' warnings, at their place in the file.
fn report_problems(prepared: &prepass::Prepared, source: &Source, out: &mut RenderedPage) {
    for problem in &prepared.problems {
        let (line, col) = source.body_position(problem.at);
        let severity = if problem.error {
            Diagnostic::error
        } else {
            Diagnostic::warning
        };
        out.diagnostics.push(
            severity(problem.code, source.page.file, problem.message.clone())
                .at(line, col)
                .with_help(problem.help.clone()),
        );
    }
}

/// Table cell alignment as `align` attributes, as GitHub writes it: pulldown-cmark
/// writes `style` attributes, which a strict Content-Security-Policy blocks.
fn align_attributes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " align=\"left\"")
        .replace(" style=\"text-align: center\"", " align=\"center\"")
        .replace(" style=\"text-align: right\"", " align=\"right\"")
}

/// Text of inline events, as a heading id or a link label sees it.
pub(crate) fn plain_text(events: &[Spanned]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// GitHub alerts become callouts; tables get a scrolling wrapper.
fn containers(events: &mut Vec<Spanned>) {
    // Without either, no copy of the page's events.
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::BlockQuote(Some(_)) | Tag::Table(_))))
    {
        return;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    for (event, range) in events.drain(..) {
        match &event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(*kind);
                let html = format!(
                    "<div class=\"markdown-alert markdown-alert-{class}\"><p class=\"markdown-alert-title\">{title}</p>\n"
                );
                out.push((Event::Html(html.into()), range));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push((Event::Html("</div>\n".into()), range))
            }
            Event::Start(Tag::Table(_)) => {
                out.push((
                    Event::Html("<div class=\"table-wrapper\">".into()),
                    range.clone(),
                ));
                out.push((event, range));
            }
            Event::End(TagEnd::Table) => {
                out.push((event, range.clone()));
                out.push((Event::Html("</div>\n".into()), range));
            }
            _ => out.push((event, range)),
        }
    }
    *events = out;
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Words of prose and inline code (not code blocks), for the word count.
fn count_words(events: &[Spanned]) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => {
                for c in t.chars() {
                    if c.is_whitespace() {
                        in_word = false;
                    } else if !in_word {
                        in_word = true;
                        words += 1;
                    }
                }
            }
            // Block HTML ends headings (written as HTML by `headings::heading_ids`) and blocks.
            Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Html(_) => in_word = false,
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use crate::util::positions::Positions;

    #[test]
    fn words_counted_across_events() {
        use pulldown_cmark::{CowStr, Event};
        let events: Vec<super::Spanned> = ["Hello  wor", "ld and\n", "  more ", "", "x"]
            .into_iter()
            .map(|t| (Event::Text(CowStr::from(t)), 0..0))
            .chain([
                (Event::SoftBreak, 0..0),
                (Event::Text("end".into()), 0..0),
                (Event::Html("</h2>".into()), 0..0),
                (Event::Text("after".into()), 0..0),
            ])
            .collect();
        // Hello world and more x end after
        assert_eq!(super::count_words(&events), 7);
    }

    #[test]
    fn positions_match_line_col_in_any_order() {
        let text = "ab\ncdé f [x](y)\n\né\u{1F393}z [a](b) [c](d)\nlast";
        let positions = Positions::new(text);
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len()).rev());
        offsets.extend([5, 30, 2, 17, 17, 0]);
        for offset in offsets {
            let want = crate::diagnostics::line_col(text, offset);
            assert_eq!(positions.at(offset), want, "offset {offset}");
        }
    }
}
