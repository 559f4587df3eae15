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
    /// `{: .x}` lines of classes the Workbench has no block for, removed: how many of each class.
    pub dropped: BTreeMap<String, usize>,
    /// `{% include x.html %}` lines of the Jekyll theme, removed.
    pub includes: Vec<String>,
    /// Liquid left as it was: 1-based line in the file as it was, and the text.
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
    /// Lines of front matter before the body, so that reports name file lines.
    pub line_offset: usize,
}

/// Converts the body of a page; `lists` are the front matter's `questions`,
/// `objectives` and `keypoints`, in that order.
pub fn convert(body: &str, lists: &[(&str, Vec<String>)], cx: &Context) -> (String, Converted) {
    let mut done = Converted::default();
    let mut lines = liquid(body, cx, &mut done);
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
    let mut out = lines.join("\n");
    out.push('\n');
    (out, done)
}

/// A row of colons for a block with `height` levels of blocks inside it: an
/// outer block's rows are longer, so that each closing row is easy to pair.
fn colons(height: usize) -> String {
    ":".repeat(6 * (height + 1))
}

/// Replaces the Liquid of every line (see [`liquid_line`]); `{% raw %}` …
/// `{% endraw %}` is dropped, and what is between them kept as it is. Liquid
/// left is recorded with its line in the file.
fn liquid(body: &str, cx: &Context, done: &mut Converted) -> Vec<String> {
    let mut raw = false;
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if !raw && compact == "{%includelinks.md%}" {
            done.liquid += 1;
            continue;
        }
        if !raw && compact.starts_with("{%include") && compact.ends_with(".html%}") {
            done.includes.push(line.trim().to_string());
            continue;
        }
        let (text, still_raw) = liquid_line(line, raw, cx, done);
        raw = still_raw;
        if !raw && (text.contains("{{") || text.contains("{%")) && !line.contains("{% raw %}") {
            done.left
                .push((cx.line_offset + i + 1, text.trim().to_string()));
        }
        out.push(text);
    }
    out
}

/// One line: `{{ page.root }}` → the way up to the lesson folder, `{{ site.x }}`
/// → `_config.yml`'s value, `{% link x.md %}` → `/x.md` (after the way up, the
/// file); inside `{% raw %}` nothing is replaced. Returns whether raw text goes on.
fn liquid_line(line: &str, mut raw: bool, cx: &Context, done: &mut Converted) -> (String, bool) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find(if raw { "{%" } else { "{" }) {
        let tail = &rest[start..];
        let (close, is_tag) = if tail.starts_with("{{") && !raw {
            ("}}", false)
        } else if tail.starts_with("{%") {
            ("%}", true)
        } else {
            out.push_str(&rest[..start + 1]);
            rest = &rest[start + 1..];
            continue;
        };
        let Some(len) = tail.find(close) else {
            break;
        };
        let inner = tail[2..len].trim();
        let value = match (is_tag, inner) {
            (true, "raw") => {
                raw = true;
                Some(String::new())
            }
            (true, "endraw") => {
                raw = false;
                Some(String::new())
            }
            _ if raw => None,
            (true, tag) => tag.strip_prefix("link ").map(|p| format!("/{}", p.trim())),
            (false, "page.root" | "relative_root_path" | "site.root") => Some(cx.root.to_string()),
            (false, name) => name
                .strip_prefix("site.")
                .and_then(|k| cx.site.get(k).cloned()),
        };
        out.push_str(&rest[..start]);
        match value {
            Some(v) => {
                done.liquid += 1;
                out.push_str(&v);
            }
            None => out.push_str(&tail[..len + 2]),
        }
        rest = &tail[len + 2..];
    }
    out.push_str(rest);
    (out, raw)
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
            *done.dropped.entry(class.to_string()).or_default() += 1;
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
/// Any indentation: lessons indent `~~~` blocks to their list item's text.
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.len() - t.trim_start_matches(ch).len();
    // CommonMark: after a backtick fence no backtick may follow (```` ``` ```` is inline code).
    let inline = ch == '`' && t[n..].contains('`');
    (n >= 3 && !inline).then_some((ch, n))
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
    let opening = &lines[start];
    let indent = &opening[..opening.len() - opening.trim_start().len()];
    out.push(format!("{indent}{fence_row}{language}"));
    out.extend(body.iter().cloned());
    out.push(format!("{indent}{fence_row}"));
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
                line_offset: 0,
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
            line_offset: 3,
        };
        let body = "![A]({{ page.root }}/fig/a.png)\n{: .image-with-shadow}\n\nMail {{ site.email }} {{ site.nope }}\n\n{% include links.md %}\n";
        let (out, done) = convert(body, &lists, &cx);
        let want = ":::::: questions\n\n- Why?\n\n::::::\n\n![A](../fig/a.png)\n\nMail team@example.org {{ site.nope }}\n\n\n:::::: keypoints\n\n- Because.\n\n::::::\n";
        assert_eq!(out, want);
        assert_eq!(done.liquid, 3);
        assert_eq!(
            done.dropped,
            BTreeMap::from([("image-with-shadow".to_string(), 1)])
        );
        assert_eq!(
            done.left,
            [(7, "Mail team@example.org {{ site.nope }}".to_string())]
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
