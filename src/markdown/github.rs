//! MkDocs-Material syntax rewritten as Markdown that GitHub renders too, for
//! `syllabus import mkdocs --rewrite`: a course's pages then read well in pull
//! requests, and look on the site as they did.
//!
//! - an admonition of a type GitHub has (`note`, `tip`, `important`,
//!   `warning`, `caution`, and their Material aliases) becomes a GitHub alert
//!   (`> [!NOTE]`), its title a bold first line when it is not the alert's own;
//!   any other type, and any admonition inside a list or another block
//!   (where GitHub has no alerts), becomes a quote with a bold title;
//! - a collapsible admonition becomes `<details>` with the title as `<summary>`;
//! - a set of content tabs becomes `<div class="tabbed-set">` holding one
//!   `<details class="tabbed-block">` per tab: GitHub shows them one below the
//!   other, the site shows them as tabs again;
//! - `markdown` attributes go, and blank lines go around the Markdown inside.
//!
//! It reads the page with the same passes as rendering does, so it rewrites
//! exactly what the site renders; no text is lost (titles and labels stay).

use super::admonitions::capitalise;
use super::prepass::{self, Marker, Prepared};
use crate::util::html::escape;

/// What a rewrite changed, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub alerts: usize,
    pub quotes: usize,
    pub details: usize,
    pub tab_sets: usize,
    pub markdown_elements: usize,
}

impl Changes {
    pub fn total(&self) -> usize {
        self.alerts + self.quotes + self.details + self.tab_sets + self.markdown_elements
    }

    pub fn add(&mut self, other: &Changes) {
        self.alerts += other.alerts;
        self.quotes += other.quotes;
        self.details += other.details;
        self.tab_sets += other.tab_sets;
        self.markdown_elements += other.markdown_elements;
    }
}

/// The page rewritten, or `None` when it has nothing to rewrite.
pub fn rewrite(body: &str) -> Option<(String, Changes)> {
    let mut changes = Changes::default();
    let mut blocks = Prepared::default();
    blocks.set_key(body);
    super::admonitions::pass(&mut blocks, body);
    let text = match &blocks.text {
        Some(text) => blocks_to_github(text, &blocks, &mut changes),
        None => body.to_string(),
    };
    let mut html = Prepared::default();
    html.set_key(&text);
    super::md_in_html::pass(&mut html, &text);
    changes.markdown_elements = html.markdown_elements;
    let text = match &html.text {
        // Span markers have no use here: the element's content stays a paragraph.
        Some(t) => prepass::lines(t)
            .filter(|l| html.marker(l.text).is_none())
            .map(|l| &t[l.start..l.end])
            .collect(),
        None => text,
    };
    if changes.total() == 0 {
        return None;
    }
    // The passes leave blank lines after the last block; the file ends as it did.
    let mut text = text.trim_end_matches(['\n', '\r']).to_string();
    if body.ends_with("\r\n") {
        text.push_str("\r\n");
    } else if body.ends_with('\n') {
        text.push('\n');
    }
    Some((text, changes))
}

/// GitHub's alert for a type of admonition, and its label.
fn alert(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "note" | "info" | "todo" | "abstract" | "summary" | "tldr" | "seealso" => ("NOTE", "Note"),
        "tip" | "hint" | "success" | "check" | "done" => ("TIP", "Tip"),
        "important" => ("IMPORTANT", "Important"),
        "warning" | "caution" | "attention" => ("WARNING", "Warning"),
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => ("CAUTION", "Caution"),
        _ => return None,
    })
}

/// What an open block needs of the lines inside it.
#[derive(PartialEq)]
enum Open {
    /// Its lines start with `> `.
    Quote,
    Details,
    TabSet,
}

/// Turns the markers of the admonitions pass into GitHub's syntax.
fn blocks_to_github(text: &str, blocks: &Prepared, changes: &mut Changes) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut stack: Vec<(Open, String)> = Vec::new();
    // Blank lines wait for the next line: before a closing marker they belong
    // outside the block (two quotes in a row would otherwise merge).
    let mut blanks: Vec<&str> = Vec::new();
    // Just after an opening marker: its own lines are written; the blank lines
    // and the title paragraph the pass put there are not.
    let mut after_open = false;
    let mut skip_title = false;
    for line in prepass::lines(text) {
        let raw = &text[line.start..line.end];
        let ending = match &raw[line.text.len()..] {
            "" => "\n",
            e => e,
        };
        let marker = blocks.marker(line.text);
        if marker.is_none() {
            if line.text.trim().is_empty() {
                if !after_open {
                    blanks.push(ending);
                }
                continue;
            }
            if std::mem::take(&mut skip_title) {
                continue;
            }
            after_open = false;
            for e in blanks.drain(..) {
                write_line(&mut out, &stack, "", e);
            }
            write_line(&mut out, &stack, line.text, ending);
            continue;
        }
        let Some(marker) = marker else { continue };
        let closing = matches!(
            marker,
            Marker::AdmonitionEnd { .. } | Marker::TabEnd | Marker::TabSetEnd
        );
        let indent = &line.text[..line.text.len() - line.text.trim_start().len()];
        let emit = |out: &mut String, stack: &[(Open, String)], s: &str| {
            write_line(out, stack, &format!("{indent}{s}"), ending);
        };
        if closing {
            let (open, _) = stack.pop().unwrap_or((Open::Quote, String::new()));
            after_open = false;
            skip_title = false;
            if open != Open::Quote {
                blanks.clear();
                emit(&mut out, &stack, "");
                emit(
                    &mut out,
                    &stack,
                    if open == Open::TabSet {
                        "</div>"
                    } else {
                        "</details>"
                    },
                );
            }
            continue;
        }
        for e in blanks.drain(..) {
            write_line(&mut out, &stack, "", e);
        }
        after_open = true;
        match marker {
            Marker::Admonition {
                kind,
                collapsible,
                titled,
                title,
                ..
            } => {
                let shown = match title {
                    Some(t) => t.trim().to_string(),
                    None => capitalise(kind),
                };
                skip_title = *titled && !shown.is_empty();
                if let Some(open) = collapsible {
                    changes.details += 1;
                    let open = if *open { " open" } else { "" };
                    let summary = if shown.is_empty() {
                        capitalise(kind)
                    } else {
                        shown
                    };
                    emit(&mut out, &stack, &format!("<details{open}>"));
                    emit(
                        &mut out,
                        &stack,
                        &format!("<summary>{}</summary>", escape(&summary)),
                    );
                    emit(&mut out, &stack, "");
                    stack.push((Open::Details, indent.to_string()));
                    continue;
                }
                let top_level = stack.is_empty() && indent.is_empty();
                stack.push((Open::Quote, indent.to_string()));
                let label = match alert(kind).filter(|_| top_level) {
                    Some((name, label)) => {
                        changes.alerts += 1;
                        emit(&mut out, &stack, &format!("[!{name}]"));
                        label
                    }
                    None => {
                        changes.quotes += 1;
                        ""
                    }
                };
                if !shown.is_empty() && shown != label {
                    emit(&mut out, &stack, &format!("**{shown}**"));
                    emit(&mut out, &stack, "");
                }
            }
            Marker::TabSet => {
                changes.tab_sets += 1;
                emit(&mut out, &stack, "<div class=\"tabbed-set\">");
                emit(&mut out, &stack, "");
                stack.push((Open::TabSet, indent.to_string()));
            }
            Marker::Tab { selected, label } => {
                skip_title = !label.trim().is_empty();
                let open = if *selected { " open" } else { "" };
                emit(
                    &mut out,
                    &stack,
                    &format!("<details class=\"tabbed-block\"{open}>"),
                );
                emit(
                    &mut out,
                    &stack,
                    &format!("<summary>{}</summary>", escape(label.trim())),
                );
                emit(&mut out, &stack, "");
                stack.push((Open::Details, indent.to_string()));
            }
            _ => {}
        }
    }
    for e in blanks.drain(..) {
        write_line(&mut out, &stack, "", e);
    }
    tidy_blank_lines(&out)
}

/// Writes one line inside the open blocks: the outermost block's indentation,
/// then a `> ` for each quote, then the rest of the line.
fn write_line(out: &mut String, stack: &[(Open, String)], line: &str, ending: &str) {
    let quotes = stack.iter().filter(|(o, _)| *o == Open::Quote).count();
    if quotes == 0 {
        out.push_str(line);
        out.push_str(ending);
        return;
    }
    let indent = stack.first().map_or("", |(_, i)| i.as_str());
    let rest = line.strip_prefix(indent).unwrap_or(line.trim_start());
    out.push_str(indent);
    let marks = "> ".repeat(quotes);
    if rest.trim().is_empty() {
        out.push_str(marks.trim_end());
    } else {
        out.push_str(&marks);
        out.push_str(rest);
    }
    out.push_str(ending);
}

/// No more than one blank line in a row outside code (the passes add some
/// around blocks).
fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    let mut fence = prepass::Fence::default();
    for line in text.split_inclusive('\n') {
        // Inside quotes, fences follow the `>` marks.
        let unquoted = line.trim_start().trim_start_matches(['>', ' ']);
        if fence.line(unquoted) {
            blank_run = 0;
            out.push_str(line);
            continue;
        }
        let blank = line.trim().chars().all(|c| c == '>' || c == ' ');
        if blank {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gh(body: &str) -> String {
        rewrite(body)
            .map(|(t, _)| t)
            .unwrap_or_else(|| body.to_string())
    }

    #[test]
    fn admonitions_become_alerts_quotes_and_details() {
        let body = "Intro.\n\n!!! note\n    A note.\n\n!!! failure \"Important\"\n    Run it **here**.\n\n!!! example \"A box\"\n    Text.\n\n??? success \"Answer\"\n    ```sh\n    ls\n    ```\n\nEnd.\n";
        let (text, changes) = rewrite(body).unwrap();
        assert_eq!(
            text,
            "Intro.\n\n> [!NOTE]\n> A note.\n\n> [!CAUTION]\n> **Important**\n>\n> Run it **here**.\n\n> **A box**\n>\n> Text.\n\n<details>\n<summary>Answer</summary>\n\n```sh\nls\n```\n\n</details>\n\nEnd.\n"
        );
        assert_eq!(
            changes,
            Changes {
                alerts: 2,
                quotes: 1,
                details: 1,
                ..Changes::default()
            }
        );
    }

    #[test]
    fn nested_blocks_and_lists_get_quotes() {
        assert_eq!(
            gh("!!! warning\n    Outer.\n\n    !!! tip \"Inner\"\n        Deep.\n"),
            "> [!WARNING]\n> Outer.\n>\n> > **Inner**\n> >\n> > Deep.\n"
        );
        assert_eq!(
            gh("1. Step\n\n    !!! note\n        Inside.\n\n2. Next\n"),
            "1. Step\n\n    > **Note**\n    >\n    > Inside.\n\n2. Next\n"
        );
    }

    #[test]
    fn tabs_become_details_in_a_tab_set() {
        assert_eq!(
            gh("=== \"Windows\"\n    Use `dir`.\n=== \"Linux <3\"\n    Use `ls`.\n"),
            "<div class=\"tabbed-set\">\n\n<details class=\"tabbed-block\" open>\n<summary>Windows</summary>\n\nUse `dir`.\n\n</details>\n\n<details class=\"tabbed-block\">\n<summary>Linux &lt;3</summary>\n\nUse `ls`.\n\n</details>\n\n</div>\n"
        );
    }

    #[test]
    fn markdown_attributes_go() {
        assert_eq!(
            gh("<figure markdown>\n  ![x](x.png)\n</figure>\n"),
            "<figure>\n\n  ![x](x.png)\n\n</figure>\n"
        );
        assert_eq!(rewrite("# Plain\n\nNothing to do.\n"), None);
    }

    #[test]
    fn no_word_is_lost() {
        let body = "!!! note \"Title words\"\n    Body words.\n\n??? tip\n    Hidden words.\n\n=== \"Label\"\n    Tab words.\n";
        let text = gh(body);
        for word in ["Title", "Body", "Tip", "Hidden", "Label", "Tab"] {
            assert!(text.contains(word), "{word} lost:\n{text}");
        }
    }
}
