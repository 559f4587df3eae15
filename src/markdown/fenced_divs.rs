//! Pandoc fenced divs as the Carpentries Workbench writes teaching blocks:
//! `::: challenge` … `:::`, nested `hint` and `solution`, `objectives`,
//! `keypoints`, `instructor`, tabs from `###` headings, and the others of
//! [`Block`].
//!
//! A source pass: an opening line (three or more colons and a class) becomes
//! a [`Marker::Div`], its closing line (three or more colons) a
//! [`Marker::DivEnd`]; the content between is left as it is, so its
//! positions, links and Markdown work. A closing line closes the innermost
//! open block, whatever its number of colons, as Pandoc reads them. A `tab`
//! block becomes the content tabs of the `admonitions` pass, one tab per `###`
//! heading. `instructor` blocks are left out entirely unless the page is
//! rendered for the instructor view. The `teach` event pass writes the markup.

use super::prepass::{self, Builder, Fence, Line, ListContext, Marker, Prepared, Problem};
use crate::diagnostics::Code;

/// Blocks nested deeper than this are left as text, with a warning.
pub(super) const MAX_DEPTH: usize = 16;

/// The classes of teaching block syllabus knows, and how each is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Block {
    Challenge,
    Hint,
    Solution,
    Spoiler,
    Callout,
    Prereq,
    Checklist,
    Discussion,
    Testimonial,
    Questions,
    Objectives,
    Keypoints,
    Instructor,
    Tab,
    GroupTab,
    /// Any other class: a plain block titled with the class.
    Other,
}

impl Block {
    pub(super) fn of(class: &str) -> Block {
        match class {
            "challenge" => Block::Challenge,
            "hint" => Block::Hint,
            "solution" => Block::Solution,
            "spoiler" => Block::Spoiler,
            "callout" => Block::Callout,
            "prereq" => Block::Prereq,
            "checklist" => Block::Checklist,
            "discussion" => Block::Discussion,
            "testimonial" => Block::Testimonial,
            "questions" => Block::Questions,
            "objectives" => Block::Objectives,
            "keypoints" => Block::Keypoints,
            "instructor" => Block::Instructor,
            "tab" => Block::Tab,
            "group-tab" => Block::GroupTab,
            _ => Block::Other,
        }
    }

    fn is_tabs(self) -> bool {
        matches!(self, Block::Tab | Block::GroupTab)
    }
}

/// A fence line, as read.
#[derive(Debug, PartialEq)]
enum FenceLine<'a> {
    Open(&'a str),
    Close,
}

/// Reads `::: challenge`, `:::::: {.challenge}`, `::: callout :::` or a closing `:::`.
fn fence_line(text: &str) -> Option<FenceLine<'_>> {
    let colons = text.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return None;
    }
    let rest = text[colons..].trim_end().trim_end_matches(':').trim();
    if rest.is_empty() {
        return Some(FenceLine::Close);
    }
    let class = match rest.strip_prefix('{') {
        Some(inner) => inner
            .strip_suffix('}')?
            .split_whitespace()
            .find_map(|a| a.strip_prefix('.'))?,
        None => rest,
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    (!class.is_empty() && class.chars().all(word)).then_some(FenceLine::Open(class))
}

/// An open block.
struct Frame {
    block: Block,
    /// Body offset of its opening fence, for an unclosed block's error.
    at: usize,
    indent: String,
    /// For tabs: whether a tab is open (a `###` heading was seen).
    tab_open: bool,
}

struct Scan<'a> {
    input: &'a str,
    out: Builder,
    stack: Vec<Frame>,
    /// Depth at which an `instructor` block is being left out, if one is.
    dropping: Option<usize>,
    /// Openers left as text (too deep): their closing lines are text too.
    ignored: usize,
    instructor_view: bool,
    fence: Fence,
    list: ListContext,
}

/// The source pass: see the module doc. `instructor_view`: keep `instructor` blocks.
pub(super) fn pass(prepared: &mut Prepared, body: &str, instructor_view: bool) {
    let input = prepared.current(body);
    if !input.contains(":::") {
        return;
    }
    let input = input.to_string();
    prepared.ensure_key(&input);
    let mut scan = Scan {
        input: &input,
        out: Builder::with_capacity(input.len()),
        stack: Vec::new(),
        dropping: None,
        ignored: 0,
        instructor_view,
        fence: Fence::default(),
        list: ListContext::default(),
    };
    let mut found = false;
    for line in prepass::lines(&input) {
        found |= scan.line(prepared, &line);
    }
    while let Some(frame) = scan.stack.last() {
        let at = frame.at;
        let name = class_name(frame.block);
        prepared.problems.push(Problem {
            code: Code::UnclosedTeachingBlock,
            at,
            message: format!("the `{name}` block opened here is never closed"),
            help: "close it with a line of three or more colons (`:::`) after its content".into(),
            error: true,
        });
        scan.close(prepared, input.len());
    }
    if found {
        prepared.push_layer(scan.out);
    }
}

/// A class's name for messages (an unknown one is named by the caller).
fn class_name(block: Block) -> &'static str {
    match block {
        Block::Challenge => "challenge",
        Block::Hint => "hint",
        Block::Solution => "solution",
        Block::Spoiler => "spoiler",
        Block::Callout => "callout",
        Block::Prereq => "prereq",
        Block::Checklist => "checklist",
        Block::Discussion => "discussion",
        Block::Testimonial => "testimonial",
        Block::Questions => "questions",
        Block::Objectives => "objectives",
        Block::Keypoints => "keypoints",
        Block::Instructor => "instructor",
        Block::Tab => "tab",
        Block::GroupTab => "group-tab",
        Block::Other => "fenced div",
    }
}

impl Scan<'_> {
    /// Handles one line; true when it opened or closed a block.
    fn line(&mut self, prepared: &mut Prepared, line: &Line) -> bool {
        let (column, indent_bytes) = prepass::indentation(line.text);
        let text = &line.text[indent_bytes..];
        if text.is_empty() {
            self.copy(line);
            return false;
        }
        if self.fence.is_open() {
            self.fence.line(line.text);
            self.copy(line);
            return false;
        }
        if self.fence.line(line.text) {
            self.copy(line);
            return false;
        }
        let parsed = self
            .list
            .starts_block(column, column)
            .then(|| fence_line(text))
            .flatten();
        self.list.line(column, text);
        let at = prepared.body_offset(line.start + indent_bytes);
        match parsed {
            None => {
                if self.heading_starts_tab(prepared, text, &line.text[..indent_bytes], line) {
                    return true;
                }
                self.copy(line);
                false
            }
            Some(FenceLine::Close) if self.ignored > 0 => {
                self.ignored -= 1;
                self.copy(line);
                false
            }
            Some(FenceLine::Close) if self.stack.is_empty() => {
                prepared.problems.push(Problem {
                    code: Code::StrayClosingFence,
                    at,
                    message: "this closing `:::` has no open block to close".into(),
                    help: "remove it, or open a block above it with `::: challenge` (three or more colons and a class)".into(),
                    error: true,
                });
                self.copy(line);
                false
            }
            Some(FenceLine::Close) => {
                self.close(prepared, line.start);
                true
            }
            Some(FenceLine::Open(class)) => {
                self.open(prepared, class, &line.text[..indent_bytes], at, line);
                true
            }
        }
    }

    /// Copies a line unless it is inside an `instructor` block being left out.
    fn copy(&mut self, line: &Line) {
        if self.dropping.is_none() {
            prepass::copy_dedented(&mut self.out, self.input, line, 0);
        }
    }

    fn push(&mut self, prepared: &mut Prepared, marker: Marker, indent: &str, at: usize) {
        if self.dropping.is_none() {
            prepared.push_marker(&mut self.out, marker, indent, at);
        }
    }

    fn open(&mut self, prepared: &mut Prepared, class: &str, indent: &str, at: usize, line: &Line) {
        if self.stack.len() >= MAX_DEPTH {
            prepared.problems.push(Problem {
                code: Code::NestingTooDeep,
                at,
                message: format!(
                    "teaching blocks nested more than {MAX_DEPTH} deep are shown as text"
                ),
                help: "nest fewer blocks".into(),
                error: false,
            });
            self.ignored += 1;
            self.copy(line);
            return;
        }
        let block = Block::of(class);
        if block == Block::Other && self.dropping.is_none() {
            prepared.problems.push(Problem {
                code: Code::UnknownTeachingClass,
                at,
                message: format!("`{class}` is not a class of teaching block; shown as a plain block"),
                help: "known classes: challenge, hint, solution, spoiler, callout, prereq, checklist, discussion, testimonial, questions, objectives, keypoints, instructor, tab, group-tab".into(),
                error: false,
            });
        }
        if block == Block::Instructor {
            prepared.instructor_blocks += 1;
        }
        if block.is_tabs() {
            self.push(prepared, Marker::TabSet, indent, line.start);
        } else if block == Block::Instructor && !self.instructor_view {
            self.dropping.get_or_insert(self.stack.len());
        } else {
            let marker = Marker::Div {
                block,
                class: class.to_string(),
            };
            self.push(prepared, marker, indent, line.start);
        }
        self.stack.push(Frame {
            block,
            at,
            indent: indent.to_string(),
            tab_open: false,
        });
    }

    /// Closes the innermost block.
    fn close(&mut self, prepared: &mut Prepared, at: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if self.dropping == Some(self.stack.len()) {
            self.dropping = None;
            // What follows must not join the text before the block.
            self.out.blank_line(at);
            return;
        }
        if frame.block.is_tabs() {
            if frame.tab_open {
                self.push(prepared, Marker::TabEnd, &frame.indent, at);
            }
            self.push(prepared, Marker::TabSetEnd, &frame.indent, at);
        } else {
            let marker = Marker::DivEnd { block: frame.block };
            self.push(prepared, marker, &frame.indent, at);
        }
    }

    /// A `### Label` line directly in a tab block: ends the open tab and starts one.
    fn heading_starts_tab(
        &mut self,
        prepared: &mut Prepared,
        text: &str,
        indent: &str,
        line: &Line,
    ) -> bool {
        let Some(&Frame {
            block, tab_open, ..
        }) = self.stack.last()
        else {
            return false;
        };
        let Some(label) = text.strip_prefix("### ") else {
            return false;
        };
        if !block.is_tabs() || self.dropping.is_some() {
            return false;
        }
        let label = label.trim().trim_end_matches('#').trim_end();
        if tab_open {
            self.push(prepared, Marker::TabEnd, indent, line.start);
        }
        let selected = !tab_open;
        if let Some(frame) = self.stack.last_mut() {
            frame.tab_open = true;
        }
        let marker = Marker::Tab {
            selected,
            label: label.to_string(),
        };
        self.push(prepared, marker, indent, line.start);
        // The label as a paragraph of its own, copied so that its positions stay.
        let start = line.start + super::admonitions::offset_in(line.text, label);
        self.out.write(indent, line.start);
        if super::admonitions::block_start(label).is_some() {
            self.out.write("\\", start);
        }
        self.out.copy(self.input, start..start + label.len());
        self.out.write("\n\n", line.end);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_lines() {
        assert_eq!(
            fence_line("::: challenge"),
            Some(FenceLine::Open("challenge"))
        );
        assert_eq!(
            fence_line(":::::::::::::: challenge :::::"),
            Some(FenceLine::Open("challenge"))
        );
        assert_eq!(
            fence_line("::: {.callout title=\"x\"}"),
            Some(FenceLine::Open("callout"))
        );
        assert_eq!(fence_line("::::::::::::"), Some(FenceLine::Close));
        assert_eq!(fence_line(":: challenge"), None);
        assert_eq!(fence_line("::: two words"), None);
        assert_eq!(fence_line("::: <b>"), None);
        assert_eq!(fence_line("::: {title=x}"), None);
    }

    fn prepared(body: &str, instructor: bool) -> (String, Prepared) {
        let mut p = Prepared::default();
        pass(&mut p, body, instructor);
        (p.current(body).to_string(), p)
    }

    #[test]
    fn nested_blocks_become_markers_and_close_innermost_first() {
        let body = "::::: challenge\n## T\n::: solution\nyes\n:::\n:::::\nafter\n";
        let (text, p) = prepared(body, false);
        assert_eq!(p.markers.len(), 4, "{text}");
        assert!(matches!(
            p.markers[1],
            Marker::Div {
                block: Block::Solution,
                ..
            }
        ));
        assert!(matches!(
            p.markers[2],
            Marker::DivEnd {
                block: Block::Solution
            }
        ));
        assert!(matches!(
            p.markers[3],
            Marker::DivEnd {
                block: Block::Challenge
            }
        ));
        assert!(text.contains("## T\n") && text.ends_with("after\n"));
        assert!(p.problems.is_empty());
    }

    #[test]
    fn instructor_blocks_are_left_out_of_the_learner_text() {
        let body = "a\n\n::: instructor\nsecret\n::: hint\nmore\n:::\n:::\n\nb\n";
        let (text, p) = prepared(body, false);
        assert!(!text.contains("secret") && !text.contains("more"), "{text}");
        assert!(text.contains('a') && text.contains('b'));
        assert_eq!(p.instructor_blocks, 1);
        let (text, _) = prepared(body, true);
        assert!(text.contains("secret") && text.contains("more"));
    }

    #[test]
    fn unbalanced_fences_are_errors_at_their_line() {
        let body = "x\n\n::: challenge\ntext\n";
        let (_, p) = prepared(body, false);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].error);
        assert_eq!(p.problems[0].at, 3);
        let (_, p) = prepared("text\n\n:::\n", false);
        assert_eq!(p.problems[0].at, 6);
        assert!(p.problems[0].message.contains("no open block"));
    }

    #[test]
    fn fences_in_code_are_text() {
        let body = "```\n::: challenge\n```\n";
        let (_, p) = prepared(body, false);
        assert!(p.markers.is_empty() && p.problems.is_empty());
    }

    #[test]
    fn tabs_from_level_three_headings() {
        let body = "::: tab\n### Windows\nw\n### Mac\nm\n:::\n";
        let (text, p) = prepared(body, false);
        let kinds: Vec<_> = p.markers.iter().map(std::mem::discriminant).collect();
        assert_eq!(kinds.len(), 6, "{text}");
        assert!(
            matches!(&p.markers[1], Marker::Tab { selected: true, label } if label == "Windows")
        );
        assert!(matches!(&p.markers[3], Marker::Tab { selected: false, label } if label == "Mac"));
    }
}
