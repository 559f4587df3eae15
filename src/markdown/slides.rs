//! Marp slide decks (`marp: true`): the body is split at `---` lines into
//! slides, each rendered like any page (links resolved and checked) and
//! wrapped in a `<section class="slide">`. Marp's `<style>` blocks and
//! directive comments are dropped so they do not leak into the site.

use super::{MarkdownInput, RenderContext, RenderedPage, render_input};
use crate::model::PageKind;

pub(super) fn render_deck(page: MarkdownInput, ctx: &RenderContext) -> RenderedPage {
    let cleaned = strip_blocks(
        &strip_blocks(page.body, "<style", "</style>"),
        "<!--",
        "-->",
    );
    let mut out = RenderedPage::default();
    let mut html = String::new();
    let mut n = 0;
    for (first_line, chunk) in split_slides(&cleaned) {
        if chunk.trim().is_empty() {
            continue;
        }
        n += 1;
        let slide = MarkdownInput {
            body: &chunk,
            body_line_offset: page.body_line_offset + first_line,
            kind: PageKind::Markdown,
            // A projected slide has no reader hovering over its words.
            glossary_links: false,
            ..page
        };
        let r = render_input(slide, ctx);
        html.push_str(&format!(
            "<section class=\"slide\" id=\"slide-{n}\" aria-label=\"Slide {n}\">\n{}</section>\n",
            r.html
        ));
        out.ids.extend(r.ids);
        out.ids.insert(format!("slide-{n}"));
        out.links.extend(r.links);
        out.diagnostics.extend(r.diagnostics);
        out.unknown_languages.extend(r.unknown_languages);
        out.has_code |= r.has_code;
        out.has_math |= r.has_math;
        out.word_count += r.word_count;
    }
    out.html = html;
    out
}

/// Slides as (index of their first line in the body, text); `---` lines outside code fences separate them.
fn split_slides(body: &str) -> Vec<(usize, String)> {
    let mut slides = vec![(0, String::new())];
    let mut fence: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if line.trim_end() == "---" {
            slides.push((i + 1, String::new()));
            continue;
        }
        let current = &mut slides.last_mut().expect("never empty").1;
        current.push_str(line);
        current.push('\n');
    }
    slides
}

/// Removes `open … close` blocks (case-insensitive), keeping their line breaks
/// so that later lines keep their numbers.
fn strip_blocks(text: &str, open: &str, close: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(start) = lower[pos..].find(open).map(|s| pos + s) {
        out.push_str(&text[pos..start]);
        let end = lower[start..]
            .find(close)
            .map_or(text.len(), |e| start + e + close.len());
        out.extend(text[start..end].chars().filter(|&c| c == '\n'));
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_rules_outside_code() {
        let slides = split_slides("# One\n---\n## Two\n```\n---\n```\n---\nThree\n");
        let starts: Vec<usize> = slides.iter().map(|s| s.0).collect();
        assert_eq!(starts, [0, 2, 7]);
        assert!(slides[1].1.contains("```\n---\n```"));
    }

    #[test]
    fn strips_styles_and_comments_keeping_lines() {
        let text = "a\n<style>\nli { x }\n</STYLE>\nb <!-- _class: lead -->\nc";
        let stripped = strip_blocks(&strip_blocks(text, "<style", "</style>"), "<!--", "-->");
        assert_eq!(stripped, "a\n\n\n\nb \nc");
    }
}
