//! MkDocs admonitions (`!!! note "Title"`), collapsible ones from
//! pymdownx.details (`??? tip` closed, `???+ tip` open) and content tabs from
//! pymdownx.tabbed (`=== "Windows"`), for every course.
//!
//! A source pass finds the blocks by their four-space indented content, as
//! Python-Markdown does, and writes the content back without that indentation
//! between two markers, the title as a paragraph of its own (so its Markdown
//! and links work). The event pass of `callouts` then writes the markup.
//! Nesting is bounded ([`MAX_DEPTH`]); each line is read once, so the pass is
//! linear in the page's size.

use super::prepass::{self, Builder, Fence, Line, ListContext, Marker, Prepared, Problem};

/// Admonitions and tabs nested deeper than this are left as text, with a warning.
pub(super) const MAX_DEPTH: usize = 16;

/// An opening line, as read.
#[derive(Debug, PartialEq)]
enum Opener<'a> {
    Admonition {
        collapsible: Option<bool>,
        classes: Vec<&'a str>,
        /// The quoted title (`None`: none given, the type is the title).
        title: Option<&'a str>,
    },
    Tab(TabLine<'a>),
}

/// `=== "label"`, `===! …` (a new set) or `===+ …` (selected).
#[derive(Debug, PartialEq)]
struct TabLine<'a> {
    new_set: bool,
    selected: bool,
    title: &'a str,
}

/// Reads `!!! type "title"`, `??? …`, `???+ …` or `=== "label"` (with `!` for a new set, `+` to select).
fn opener(s: &str) -> Option<Opener<'_>> {
    if let Some(rest) = s.strip_prefix("===") {
        let flags = rest.len() - rest.trim_start_matches(['!', '+']).len();
        let (flags, rest) = rest.split_at(flags);
        if flags.len() > 2 || !rest.starts_with(' ') {
            return None;
        }
        let title = quoted(rest.trim())?;
        return Some(Opener::Tab(TabLine {
            new_set: flags.contains('!'),
            selected: flags.contains('+'),
            title,
        }));
    }
    let (collapsible, rest) = if let Some(r) = s.strip_prefix("!!!") {
        (None, r)
    } else if let Some(r) = s.strip_prefix("???+") {
        (Some(true), r)
    } else {
        (Some(false), s.strip_prefix("???")?)
    };
    let rest = rest.trim();
    let (names, title) = match rest.find('"') {
        Some(q) => (&rest[..q], Some(quoted(&rest[q..])?)),
        None => (rest, None),
    };
    let classes: Vec<&str> = names.split_whitespace().collect();
    let word = |c: &&str| {
        c.chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-')
    };
    if classes.is_empty() || !classes.iter().all(word) {
        return None;
    }
    Some(Opener::Admonition {
        collapsible,
        classes,
        title,
    })
}

/// The text between the first and the last `"` of `s`, which must start and end with them.
fn quoted(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    Some(inner)
}

/// An open admonition or tab.
struct Frame {
    /// Columns its content is indented by, in the pass's input.
    content: usize,
    /// Its marker's indentation in the output.
    indent: String,
    end: Marker,
}

/// An open set of tabs: its tabs are frames at `depth` of the stack.
struct TabSet {
    depth: usize,
    /// Indentation of its `===` lines in the input.
    column: usize,
    indent: String,
    /// Its `Tab` markers, to select the one marked `+`.
    tabs: Vec<usize>,
}

struct Scan<'a> {
    input: &'a str,
    out: Builder,
    stack: Vec<Frame>,
    sets: Vec<TabSet>,
    fence: Fence,
    list: ListContext,
}

/// The source pass: see the module doc.
pub(super) fn pass(prepared: &mut Prepared, body: &str) {
    let input = prepared.current(body);
    if !(input.contains("!!!") || input.contains("???") || input.contains("===")) {
        return;
    }
    let input = input.to_string();
    prepared.ensure_key(&input);
    let mut scan = Scan {
        input: &input,
        out: Builder::with_capacity(input.len()),
        stack: Vec::new(),
        sets: Vec::new(),
        fence: Fence::default(),
        list: ListContext::default(),
    };
    let mut found = false;
    for line in prepass::lines(&input) {
        found |= scan.line(prepared, &line);
    }
    scan.close_to(prepared, 0, None, input.len());
    if found {
        prepared.push_layer(scan.out);
    }
}

impl Scan<'_> {
    /// Handles one line; true when it opened a block.
    fn line(&mut self, prepared: &mut Prepared, line: &Line) -> bool {
        let (column, _) = prepass::indentation(line.text);
        let depth_cols = 4 * self.stack.len();
        if line.text.trim().is_empty() {
            prepass::copy_dedented(&mut self.out, self.input, line, depth_cols);
            return false;
        }
        let text = line.text.trim_start();
        self.close_to(prepared, column, Some(text), line.start);
        let depth_cols = 4 * self.stack.len();
        if self.fence.is_open() {
            self.fence.line(line.text);
            prepass::copy_dedented(&mut self.out, self.input, line, depth_cols);
            return false;
        }
        let base = self.stack.last().map_or(0, |f| f.content);
        let relative = column.saturating_sub(base);
        let opener = self
            .list
            .starts_block(column, relative)
            .then(|| opener(text))
            .flatten();
        let Some(opener) = opener else {
            self.fence.line(line.text);
            self.list.line(column, text);
            prepass::copy_dedented(&mut self.out, self.input, line, depth_cols);
            return false;
        };
        if self.stack.len() >= MAX_DEPTH {
            let message =
                format!("admonitions and tabs nested more than {MAX_DEPTH} deep are shown as text");
            prepared.problems.push(Problem {
                code: crate::diagnostics::Code::NestingTooDeep,
                at: prepared.body_offset(line.start),
                message,
                help: "nest fewer blocks; split the content into sections".into(),
            });
            prepass::copy_dedented(&mut self.out, self.input, line, depth_cols);
            return false;
        }
        let indent = " ".repeat(column.saturating_sub(depth_cols));
        let title_at = line.start + (line.text.len() - text.len());
        self.open(prepared, opener, indent, column, title_at, line);
        true
    }

    /// Closes the blocks a line at `column` ends, innermost first, and the
    /// tab sets it does not continue (`next`: the line; `None` at the end).
    fn close_to(&mut self, prepared: &mut Prepared, column: usize, next: Option<&str>, at: usize) {
        loop {
            let depth = self.stack.len();
            let top_closes = self.stack.last().is_some_and(|f| column < f.content);
            // A set at `depth` has no open tab: the line continues it or ends it.
            while let Some(set) = self.sets.last() {
                if set.depth < depth {
                    break;
                }
                let continues = !top_closes
                    && set.depth == depth
                    && set.column == column
                    && matches!(
                        next.and_then(opener),
                        Some(Opener::Tab(TabLine { new_set: false, .. }))
                    );
                if continues {
                    break;
                }
                let set = self.sets.pop().expect("checked");
                prepared.push_marker(&mut self.out, Marker::TabSetEnd, &set.indent, at);
            }
            if !top_closes {
                return;
            }
            let frame = self.stack.pop().expect("checked");
            self.fence.close();
            prepared.push_marker(&mut self.out, frame.end, &frame.indent, at);
        }
    }

    /// Writes an opening line's marker and title, and opens its block.
    fn open(
        &mut self,
        prepared: &mut Prepared,
        opener: Opener,
        indent: String,
        column: usize,
        title_at: usize,
        line: &Line,
    ) {
        let (marker, end, title) = match opener {
            Opener::Admonition {
                collapsible,
                classes,
                title,
            } => {
                let kind = classes[0].to_ascii_lowercase();
                let shown = match title {
                    Some(t) => Title::Written(t),
                    None => Title::Made(capitalise(&kind)),
                };
                let marker = Marker::Admonition {
                    kind,
                    classes: classes[1..].iter().map(|c| c.to_string()).collect(),
                    collapsible,
                    titled: title.is_none_or(|t| !t.trim().is_empty()),
                    title: title.map(str::to_string),
                };
                let end = Marker::AdmonitionEnd {
                    collapsible: collapsible.is_some(),
                };
                (marker, end, shown)
            }
            Opener::Tab(tab) => {
                let marker = self.tab(prepared, &tab, &indent, column, line.start);
                (marker, Marker::TabEnd, Title::Written(tab.title))
            }
        };
        prepared.push_marker(&mut self.out, marker, &indent, line.start);
        self.write_title(title, &indent, title_at, line);
        self.stack.push(Frame {
            content: column + 4,
            indent,
            end,
        });
    }

    /// A tab's marker: in the open set it continues, or in a new one; `+`
    /// selects it instead of the set's first.
    fn tab(
        &mut self,
        prepared: &mut Prepared,
        tab: &TabLine,
        indent: &str,
        column: usize,
        at: usize,
    ) -> Marker {
        let depth = self.stack.len();
        let continues = !tab.new_set
            && self
                .sets
                .last()
                .is_some_and(|s| s.depth == depth && s.column == column);
        if !continues {
            prepared.push_marker(&mut self.out, Marker::TabSet, indent, at);
            self.sets.push(TabSet {
                depth,
                column,
                indent: indent.to_string(),
                tabs: Vec::new(),
            });
        }
        let set = self.sets.last_mut().expect("pushed above");
        let first = set.tabs.is_empty();
        if tab.selected {
            for &t in &set.tabs {
                if let Marker::Tab { selected, .. } = &mut prepared.markers[t] {
                    *selected = false;
                }
            }
        }
        set.tabs.push(prepared.markers.len());
        Marker::Tab {
            selected: tab.selected || first,
            label: tab.title.to_string(),
        }
    }

    /// The title as a paragraph of its own, a backslash keeping it one.
    fn write_title(&mut self, title: Title, indent: &str, title_at: usize, line: &Line) {
        let (text, copied_from) = match &title {
            Title::Written(t) => {
                let trimmed = t.trim();
                let start = line.start + offset_in(line.text, t) + (t.len() - t.trim_start().len());
                (trimmed, Some(start))
            }
            Title::Made(t) => (t.as_str(), None),
        };
        if text.is_empty() {
            return;
        }
        self.out.write(indent, title_at);
        let escape_at = block_start(text).unwrap_or(0);
        let piece = |out: &mut Builder, range: std::ops::Range<usize>| match copied_from {
            Some(start) => out.copy(self.input, start + range.start..start + range.end),
            None => out.write(&text[range], title_at),
        };
        piece(&mut self.out, 0..escape_at);
        if block_start(text).is_some() {
            let at = copied_from.map_or(title_at, |s| s + escape_at);
            self.out.write("\\", at);
        }
        piece(&mut self.out, escape_at..text.len());
        self.out.write("\n\n", line.end);
    }
}

enum Title<'a> {
    /// Quoted in the source: copied, so its links and positions work.
    Written(&'a str),
    /// The admonition's type, capitalised, as Python-Markdown titles it.
    Made(String),
}

/// Byte offset of `part` (a slice of `whole`) in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Where a backslash keeps a title line from starting a block (`# x`, `- x`,
/// `1. x`, `> x`, `<div>`, `[x]: y` …), if it needs one.
fn block_start(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if matches!(
        first,
        '#' | '>' | '-' | '+' | '*' | '=' | '`' | '~' | '<' | '[' | '|' | '_'
    ) {
        return Some(0);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && text[digits..].starts_with(['.', ')'])).then_some(digits)
}

/// `note` → `Note`: the title Python-Markdown gives an admonition without one.
pub(super) fn capitalise(kind: &str) -> String {
    let mut chars = kind.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers() {
        assert_eq!(
            opener("!!! note \"Use `x`: now\""),
            Some(Opener::Admonition {
                collapsible: None,
                classes: vec!["note"],
                title: Some("Use `x`: now")
            })
        );
        assert_eq!(
            opener("???+ danger highlight"),
            Some(Opener::Admonition {
                collapsible: Some(true),
                classes: vec!["danger", "highlight"],
                title: None
            })
        );
        assert_eq!(
            opener("!!! warning \"\""),
            Some(Opener::Admonition {
                collapsible: None,
                classes: vec!["warning"],
                title: Some("")
            })
        );
        assert_eq!(
            opener("===+ \"Linux\""),
            Some(Opener::Tab(TabLine {
                new_set: false,
                selected: true,
                title: "Linux"
            }))
        );
        for not in [
            "!!!",
            "!!! \"t\"",
            "!!! a<b",
            "=== Linux",
            "===\"x\"",
            "??? note \"open",
            "==== \"x\"",
        ] {
            assert_eq!(opener(not), None, "{not}");
        }
    }

    fn rewritten(body: &str) -> String {
        let mut p = Prepared::default();
        p.set_key(body);
        pass(&mut p, body);
        let text = p.current(body).to_string();
        let key = "<!--syllabus-marker-0:";
        let mut out = String::new();
        for line in text.lines() {
            match line.trim_start().strip_prefix(key) {
                Some(rest) => {
                    let n: usize = rest.trim_end_matches("-->").parse().unwrap();
                    let indent = &line[..line.len() - line.trim_start().len()];
                    out.push_str(&format!("{indent}[{:?}]\n", p.markers[n]));
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    #[test]
    fn nested_blocks_lose_their_indentation() {
        let body = "!!! note\n    Text.\n\n    ??? tip \"Answer\"\n        ```sh\n        ls\n\n        ```\n    After.\nOut.\n";
        assert_eq!(
            rewritten(body),
            "[Admonition { kind: \"note\", classes: [], collapsible: None, titled: true, title: None }]\n\nNote\n\nText.\n\n[Admonition { kind: \"tip\", classes: [], collapsible: Some(false), titled: true, title: Some(\"Answer\") }]\n\nAnswer\n\n```sh\nls\n\n```\n\n[AdmonitionEnd { collapsible: true }]\n\nAfter.\n\n[AdmonitionEnd { collapsible: false }]\n\nOut.\n"
        );
    }

    #[test]
    fn tabs_group_into_sets_and_the_plus_one_is_selected() {
        let body = "=== \"A\"\n    a\n\n===+ \"B\"\n    b\n===! \"C\"\n    c\n\nafter\n";
        let out = rewritten(body);
        assert_eq!(out.matches("[TabSet]").count(), 2, "{out}");
        assert_eq!(out.matches("[TabSetEnd]").count(), 2, "{out}");
        let tabs: Vec<&str> = out.lines().filter(|l| l.starts_with("[Tab {")).collect();
        assert_eq!(
            tabs,
            [
                "[Tab { selected: false, label: \"A\" }]",
                "[Tab { selected: true, label: \"B\" }]",
                "[Tab { selected: true, label: \"C\" }]"
            ]
        );
        assert!(out.ends_with("[TabSetEnd]\n\nafter\n"), "{out}");
    }

    #[test]
    fn blocks_close_innermost_first_even_at_the_end() {
        let body = "??? success \"Answer\"\n    === \"R\"\n        r\n    === \"Py\"\n        py";
        let out = rewritten(body);
        let closing: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("End"))
            .map(str::trim)
            .collect();
        assert_eq!(
            closing,
            [
                "[TabEnd]",
                "[TabEnd]",
                "[TabSetEnd]",
                "[AdmonitionEnd { collapsible: true }]"
            ],
            "{out}"
        );
    }

    #[test]
    fn code_and_indented_code_are_left_alone() {
        let body = "```md\n!!! note\n    x\n```\n\n    !!! note\n        y\n";
        let mut p = Prepared::default();
        p.set_key(body);
        pass(&mut p, body);
        assert!(p.markers.is_empty());
        assert_eq!(p.current(body), body);
    }

    #[test]
    fn admonitions_in_list_items_stay_there() {
        let body = "1. Step\n\n    !!! note\n        Inside.\n\n2. Next\n";
        let out = rewritten(body);
        assert!(out.starts_with("1. Step\n\n    [Admonition"), "{out}");
        assert!(out.contains("\n    Inside.\n"), "{out}");
        assert!(out.contains("\n    [AdmonitionEnd"), "{out}");
    }

    #[test]
    fn titles_that_look_like_blocks_stay_paragraphs() {
        assert_eq!(block_start("# Not a heading"), Some(0));
        assert_eq!(block_start("1. Not a list"), Some(1));
        assert_eq!(block_start("Plain"), None);
    }

    #[test]
    fn depth_is_bounded() {
        let mut body = String::new();
        for d in 0..MAX_DEPTH + 3 {
            body.push_str(&" ".repeat(4 * d));
            body.push_str("!!! note\n");
        }
        let mut p = Prepared::default();
        p.set_key(&body);
        pass(&mut p, &body);
        let opened = p
            .markers
            .iter()
            .filter(|m| matches!(m, Marker::Admonition { .. }))
            .count();
        assert_eq!(opened, MAX_DEPTH);
        // The first line too deep is reported; those below it are its code.
        assert_eq!(p.problems.len(), 1);
        assert!(
            p.current(&body)
                .contains("\n!!! note\n    !!! note\n        !!! note\n")
        );
    }
}
