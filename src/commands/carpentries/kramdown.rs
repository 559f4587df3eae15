//! One page of a lesson in the older Jekyll "styles" format → the Workbench's
//! Markdown: blockquotes closed by `{: .challenge}` become fenced divs
//! (`::::: challenge`), `~~~` blocks closed by `{: .language-python}` become
//! ```` ```python ```` fences, the front matter's `questions`, `objectives` and
//! `keypoints` become blocks at the top and end, and the Liquid the lesson
//! template needed (`{% include links.md %}`, `{{ page.root }}`, `{{ site.x }}`)
//! is replaced. What is changed is counted, for the report.

use std::collections::BTreeMap;

/// Classes the Workbench renders as blocks.
const BLOCKS: &[&str] = &[
    "challenge",
    "solution",
    "hint",
    "callout",
    "prereq",
    "checklist",
    "discussion",
    "testimonial",
    "spoiler",
    "questions",
    "objectives",
    "keypoints",
    "instructor",
];

/// What converting a page changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Fenced divs written, by class.
    pub blocks: BTreeMap<String, usize>,
    /// `~~~` blocks with a `{: .language-x}`, `.output`, `.error` or `.source` line.
    pub code: usize,
    /// `{{ … }}` and `{% include links.md %}` replaced or removed.
    pub liquid: usize,
    /// `{: .x}` lines of classes the Workbench has no block for, removed (class names).
    pub dropped: Vec<String>,
    /// Liquid left as it was: 1-based line in the converted body, and the text.
    pub left: Vec<(usize, String)>,
}

impl Converted {
    pub fn is_empty(&self) -> bool {
        *self == Converted::default()
    }
}

/// What a page needs to know about its lesson.
pub struct Context<'a> {
    /// `..` from a page in `_episodes/`, `.` from one at the top.
    pub root: &'a str,
    /// String settings of `_config.yml`, for `{{ site.x }}`.
    pub site: &'a BTreeMap<String, String>,
}

/// Converts the body of a page; `lists` are the front matter's `questions`,
/// `objectives` and `keypoints`, in that order.
pub fn convert(body: &str, lists: &[(&str, Vec<String>)], cx: &Context) -> (String, Converted) {
    let mut done = Converted::default();
    let lines: Vec<String> = body.lines().map(|l| liquid(l, cx, &mut done)).collect();
    let mut lines: Vec<String> = lines.into_iter().filter(|l| l != "\u{0}").collect();
    let mut head = Vec::new();
    let mut tail = Vec::new();
    for (class, items) in lists.iter().filter(|(_, items)| !items.is_empty()) {
        let target = if *class == "keypoints" {
            &mut tail
        } else {
            &mut head
        };
        let mut block = vec![format!("{} {class}", colons(0)), String::new()];
        block.extend(items.iter().map(|i| format!("- {i}")));
        block.extend([String::new(), colons(0), String::new()]);
        target.extend(block);
        *done.blocks.entry(class.to_string()).or_default() += 1;
    }
    if !tail.is_empty() {
        tail.insert(0, String::new());
        tail.pop();
    }
    let converted = blocks(&lines, &mut done);
    lines = head.into_iter().chain(converted).chain(tail).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("{{") || line.contains("{%") {
            done.left.push((i + 1, line.trim().to_string()));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    (out, done)
}

/// A row of colons for a block with `height` levels of blocks inside it: an
/// outer block's rows are longer, so that each closing row is easy to pair.
fn colons(height: usize) -> String {
    ":".repeat(6 * (height + 1))
}

/// Replaces `{{ page.root }}` and `{{ site.x }}`; the line `{% include links.md %}`
/// becomes NUL (removed): the link definitions are read from `_includes/links.md`.
fn liquid(line: &str, cx: &Context, done: &mut Converted) -> String {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "{%includelinks.md%}" {
        done.liquid += 1;
        return "\u{0}".into();
    }
    if !line.contains("{{") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim();
        let value = match name {
            "page.root" | "relative_root_path" | "site.root" => Some(cx.root.to_string()),
            _ => name
                .strip_prefix("site.")
                .and_then(|k| cx.site.get(k).cloned()),
        };
        out.push_str(&rest[..start]);
        match value {
            Some(v) => {
                done.liquid += 1;
                out.push_str(&v);
            }
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// `{: .name}` → `name` (only the first class; `{: .language-python}` → `language-python`).
fn kramdown_class(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("{:")?.strip_suffix('}')?.trim();
    let class = inner.strip_prefix('.')?;
    Some(class.split_whitespace().next().unwrap_or(class))
}

/// The lines with blockquote blocks and code blocks converted (recursively).
fn blocks(lines: &[String], done: &mut Converted) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(fence) = fence(line) {
            i = code_block(lines, i, fence, &mut out, done);
        } else if line.trim_start().starts_with('>') {
            let end = (i..lines.len())
                .find(|&j| !lines[j].trim_start().starts_with('>'))
                .unwrap_or(lines.len());
            let inner: Vec<String> = lines[i..end].iter().map(|l| unquote(l)).collect();
            let inner = blocks(&inner, done);
            match lines.get(end).and_then(|l| kramdown_class(l)) {
                Some(class) if BLOCKS.contains(&class) || class == "caution" => {
                    // The Workbench has no `caution`: it is a callout.
                    let class = if class == "caution" { "callout" } else { class };
                    let height = inner.iter().filter_map(|l| div_height(l)).max();
                    let row = colons(height.map_or(0, |h| h + 1));
                    out.push(format!("{row} {class}"));
                    out.extend(inner);
                    out.push(row);
                    *done.blocks.entry(class.to_string()).or_default() += 1;
                    i = end + 1;
                }
                _ => {
                    out.extend(inner.iter().map(|l| {
                        if l.is_empty() {
                            ">".into()
                        } else {
                            format!("> {l}")
                        }
                    }));
                    i = end;
                }
            }
        } else if let Some(class) = kramdown_class(line) {
            done.dropped.push(class.to_string());
            i += 1;
        } else {
            out.push(line.clone());
            i += 1;
        }
    }
    out
}

/// How many levels of blocks the opening row of a block written here holds
/// (from its length, see [`colons`]); `None` for any other line.
fn div_height(line: &str) -> Option<usize> {
    let n = line.len() - line.trim_start_matches(':').len();
    (n >= 6 && line[n..].starts_with(' ')).then(|| n / 6 - 1)
}

/// Removes one level of `>` (and the space after it).
fn unquote(line: &str) -> String {
    let rest = line.trim_start().strip_prefix('>').unwrap_or(line);
    rest.strip_prefix(' ').unwrap_or(rest).to_string()
}

/// The fence (character and length) a line opens, with the info string after it.
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.len() - t.trim_start_matches(ch).len();
    (n >= 3 && line.len() - t.len() <= 3).then_some((ch, n))
}

/// Copies the code block opening at `start`; returns the index after it (and
/// after its `{: .language-x}` line). The language comes from that line.
fn code_block(
    lines: &[String],
    start: usize,
    (ch, n): (char, usize),
    out: &mut Vec<String>,
    done: &mut Converted,
) -> usize {
    let close = (start + 1..lines.len()).find(|&j| {
        fence(&lines[j]).is_some_and(|(c, m)| c == ch && m >= n)
            && lines[j].trim().trim_start_matches(ch).is_empty()
    });
    let Some(close) = close else {
        out.extend(lines[start..].iter().cloned());
        return lines.len();
    };
    let body = &lines[start + 1..close];
    let info = lines[start].trim_start().trim_start_matches(ch).trim();
    let language = lines
        .get(close + 1)
        .and_then(|l| kramdown_class(l))
        .map(|class| match class.strip_prefix("language-") {
            Some(lang) => lang.to_string(),
            None if matches!(class, "source") => String::new(),
            None => class.to_string(),
        });
    let Some(language) = language else {
        out.extend(lines[start..=close].iter().cloned());
        return close + 1;
    };
    done.code += 1;
    let language = if language.is_empty() {
        info.to_string()
    } else {
        language
    };
    // Backticks, as GitHub and the Workbench write; tildes when the code holds a backtick fence.
    let fence_row = if body.iter().any(|l| l.trim_start().starts_with("```")) {
        "~".repeat(n.max(3))
    } else {
        "```".to_string()
    };
    out.push(format!("{fence_row}{language}"));
    out.extend(body.iter().cloned());
    out.push(fence_row);
    close + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Converted) {
        let site = BTreeMap::from([("email".to_string(), "team@example.org".to_string())]);
        convert(
            body,
            &[],
            &Context {
                root: "..",
                site: &site,
            },
        )
    }

    #[test]
    fn a_challenge_with_a_solution_and_code_becomes_nested_divs() {
        let body = "Intro\n\n> ## Try it\n>\n> Run:\n>\n> ~~~\n> ls -F\n> ~~~\n> {: .language-bash}\n>\n> > ## Solution\n> >\n> > ~~~\n> > data/\n> > ~~~\n> > {: .output}\n> {: .solution}\n{: .challenge}\n\nAfter\n";
        let (out, done) = run(body);
        let want = "Intro\n\n:::::::::::: challenge\n## Try it\n\nRun:\n\n```bash\nls -F\n```\n\n:::::: solution\n## Solution\n\n```output\ndata/\n```\n::::::\n::::::::::::\n\nAfter\n";
        assert_eq!(out, want);
        assert_eq!(done.code, 2);
        assert_eq!(done.blocks["challenge"], 1);
        assert_eq!(done.blocks["solution"], 1);
    }

    #[test]
    fn front_matter_lists_liquid_and_unknown_classes() {
        let lists = [
            ("questions", vec!["Why?".to_string()]),
            ("objectives", vec![]),
            ("keypoints", vec!["Because.".to_string()]),
        ];
        let site = BTreeMap::from([("email".to_string(), "team@example.org".to_string())]);
        let cx = Context {
            root: "..",
            site: &site,
        };
        let body = "![A]({{ page.root }}/fig/a.png)\n{: .image-with-shadow}\n\nMail {{ site.email }} {{ site.nope }}\n\n{% include links.md %}\n";
        let (out, done) = convert(body, &lists, &cx);
        let want = ":::::: questions\n\n- Why?\n\n::::::\n\n![A](../fig/a.png)\n\nMail team@example.org {{ site.nope }}\n\n\n:::::: keypoints\n\n- Because.\n\n::::::\n";
        assert_eq!(out, want);
        assert_eq!(done.liquid, 3);
        assert_eq!(done.dropped, ["image-with-shadow"]);
        assert_eq!(
            done.left,
            [(9, "Mail team@example.org {{ site.nope }}".to_string())]
        );
    }

    #[test]
    fn plain_quotes_and_plain_code_stay() {
        let body = "> A quote\n> on two lines\n\n~~~\nplain\n~~~\n\n```python\nx = 1\n```\n";
        let (out, done) = run(body);
        assert_eq!(out, body);
        assert!(done.is_empty(), "{done:?}");
    }
}
