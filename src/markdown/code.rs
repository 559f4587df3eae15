//! Fenced code blocks: the info string (`python {title="app.py", linenos=true,
//! hl_lines=[2, "4-6"]}`), highlighting, and the block's markup.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::highlight::Highlighted;
use super::{RenderContext, RenderedPage, Source, Spanned};
use crate::diagnostics::{Code, Severity};
use crate::util::html::escape;

/// Options of one fence.
#[derive(Debug, Default, PartialEq)]
pub struct Fence {
    pub lang: String,
    pub title: Option<String>,
    pub linenos: bool,
    /// 1-based line numbers to emphasise.
    pub hl_lines: Vec<usize>,
}

/// Parses an info string; the error says what is wrong with the options.
pub fn parse_info(info: &str) -> Result<Fence, String> {
    let info = info.trim();
    let lang_end = info
        .find(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .unwrap_or(info.len());
    let mut fence = Fence {
        lang: info[..lang_end].to_string(),
        ..Fence::default()
    };
    let rest = info[lang_end..].trim();
    if rest.is_empty() {
        return Ok(fence);
    }
    if !rest.starts_with('{')
        && let Some(options) = superfences_options(rest)
    {
        return apply_superfences(fence, options);
    }
    let Some(inner) = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) else {
        return Err(format!(
            "code block options `{rest}` must be written in braces, such as {{linenos=true, title=\"app.py\"}}"
        ));
    };
    let table: toml::Table = toml::from_str::<toml::Table>(&format!("o = {{{inner}}}"))
        .map_err(|e| {
            format!(
                "cannot read code block options `{{{inner}}}`: {}",
                e.message()
            )
        })?
        .remove("o")
        .and_then(|v| v.as_table().cloned())
        .unwrap_or_default();
    for (key, value) in table {
        match (key.as_str(), value) {
            ("title", toml::Value::String(s)) => fence.title = Some(s),
            ("linenos", toml::Value::Boolean(b)) => fence.linenos = b,
            ("hl_lines", toml::Value::Array(items)) => {
                for item in items {
                    match item {
                        toml::Value::Integer(n) if n > 0 => fence.hl_lines.push(n as usize),
                        toml::Value::String(s) => fence.hl_lines.extend(parse_range(&s)?),
                        other => {
                            return Err(format!(
                                "`hl_lines` entries are line numbers or \"a-b\" ranges, not `{other}`"
                            ));
                        }
                    }
                }
            }
            (k, v) => {
                return Err(format!(
                    "unknown or invalid code block option `{k} = {v}`; known: title, linenos, hl_lines"
                ));
            }
        }
    }
    Ok(fence)
}

/// pymdownx.superfences writes options without braces: ```` ```py title="app.py"
/// linenums="1" hl_lines="2 4-6" ````. `None` unless every word is `key="value"`.
fn superfences_options(rest: &str) -> Option<Vec<(&str, &str)>> {
    let mut options = Vec::new();
    let mut s = rest.trim();
    while !s.is_empty() {
        let (key, after) = s.split_once('=')?;
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let (value, next) = match after.chars().next()? {
            q @ ('"' | '\'') => {
                let end = after[1..].find(q)? + 1;
                (&after[1..end], &after[end + 1..])
            }
            _ => after.split_at(after.find(char::is_whitespace).unwrap_or(after.len())),
        };
        options.push((key, value));
        s = next.trim_start();
    }
    Some(options)
}

fn apply_superfences(mut fence: Fence, options: Vec<(&str, &str)>) -> Result<Fence, String> {
    for (key, value) in options {
        match key {
            "title" => fence.title = Some(value.to_string()),
            "linenums" => fence.linenos = value.trim() != "0",
            "hl_lines" => {
                for part in value.split_whitespace() {
                    match part.parse::<usize>() {
                        Ok(n) if n > 0 => fence.hl_lines.push(n),
                        _ => fence.hl_lines.extend(parse_range(part)?),
                    }
                }
            }
            other => {
                return Err(format!(
                    "unknown code block option `{other}`; known: title, linenums, hl_lines (as pymdownx.superfences writes them) or {{title=…, linenos=…, hl_lines=[…]}}"
                ));
            }
        }
    }
    Ok(fence)
}

fn parse_range(s: &str) -> Result<Vec<usize>, String> {
    let bad = || format!("`hl_lines` range \"{s}\" must look like \"4-6\"");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let (a, b): (usize, usize) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a == 0 || b < a || b - a > 100_000 {
        return Err(bad());
    }
    Ok((a..=b).collect())
}

/// Replaces every code block with its highlighted markup.
pub(super) fn blocks(
    events: &mut Vec<Spanned>,
    source: &Source,
    ctx: &RenderContext,
    out: &mut RenderedPage,
) {
    // Without code blocks, no copy of the page's events.
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_))))
    {
        return;
    }
    let mut result = Vec::with_capacity(events.len());
    let mut iter = std::mem::take(events).into_iter();
    while let Some((event, range)) = iter.next() {
        let Event::Start(Tag::CodeBlock(kind)) = &event else {
            result.push((event, range));
            continue;
        };
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        for (e, _) in iter.by_ref() {
            match e {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let fence = match parse_info(&info) {
            Ok(f) => f,
            Err(message) => {
                out.diagnostics.push(source.diagnostic(
                    Severity::Warning,
                    Code::InvalidFenceInfo,
                    range.start,
                    message,
                ));
                let lang = info
                    .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
                    .next()
                    .unwrap_or("");
                Fence {
                    lang: lang.to_string(),
                    ..Fence::default()
                }
            }
        };
        out.has_code = true;
        let highlighted = ctx.highlighter.highlight(&fence.lang, &code);
        if let Highlighted::Plain {
            unknown: Some(lang),
            ..
        } = &highlighted
        {
            out.unknown_languages.push(lang.clone());
        }
        result.push((Event::Html(markup(&fence, highlighted).into()), range));
    }
    *events = result;
}

pub(super) fn markup(fence: &Fence, highlighted: Highlighted) -> String {
    let lines: &[String] = match &highlighted {
        Highlighted::Lines(l) => l,
        Highlighted::Plain { lines, .. } => lines,
    };
    let lang = escape(&fence.lang);
    let mut html = String::with_capacity(lines.iter().map(String::len).sum::<usize>() + 200);
    html.push_str("<figure class=\"code-block\"");
    if !lang.is_empty() {
        html.push_str(&format!(" data-lang=\"{lang}\""));
    }
    html.push('>');
    if let Some(title) = &fence.title {
        html.push_str(&format!(
            "<figcaption class=\"code-title\">{}</figcaption>",
            escape(title)
        ));
    }
    html.push_str(if fence.linenos {
        "<pre class=\"code linenos\">"
    } else {
        "<pre class=\"code\">"
    });
    if lang.is_empty() {
        html.push_str("<code>");
    } else {
        html.push_str(&format!("<code class=\"language-{lang}\">"));
    }
    let per_line = fence.linenos || !fence.hl_lines.is_empty();
    for (i, line) in lines.iter().enumerate() {
        if per_line {
            let n = i + 1;
            let class = if fence.hl_lines.contains(&n) {
                "line line-hl"
            } else {
                "line"
            };
            let (body, newline) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line.as_str(), ""),
            };
            html.push_str(&format!(
                "<span class=\"{class}\" data-line=\"{n}\">{body}</span>{newline}"
            ));
        } else {
            html.push_str(line);
        }
    }
    html.push_str("</code></pre></figure>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        assert_eq!(
            parse_info("python").unwrap(),
            Fence {
                lang: "python".into(),
                ..Fence::default()
            }
        );
        let f =
            parse_info("python {title=\"app.py\", linenos=true, hl_lines=[2, \"4-6\"]}").unwrap();
        assert_eq!(f.title.as_deref(), Some("app.py"));
        assert!(f.linenos);
        assert_eq!(f.hl_lines, [2, 4, 5, 6]);
        assert_eq!(parse_info("").unwrap().lang, "");
        assert!(
            parse_info("py {colour=1}")
                .unwrap_err()
                .contains("unknown or invalid code block option `colour")
        );
        assert!(parse_info("py {hl_lines=[\"6-4\"]}").is_err());
        assert!(parse_info("py linenos").is_err());
        // pymdownx.superfences' own form.
        let f = parse_info("sh title=\"09_extract.sh\" linenums=\"1\" hl_lines=\"2 4-5\"").unwrap();
        assert_eq!(
            (f.lang.as_str(), f.title.as_deref(), f.linenos, f.hl_lines),
            ("sh", Some("09_extract.sh"), true, vec![2, 4, 5])
        );
        assert!(parse_info("sh colour=\"red\"").is_err());
    }

    #[test]
    fn numbered_lines_markup() {
        let f = Fence {
            lang: "txt".into(),
            linenos: true,
            hl_lines: vec![2],
            title: Some("a<b".into()),
        };
        let html = markup(
            &f,
            Highlighted::Plain {
                lines: vec!["x\n".into(), "y\n".into()],
                unknown: None,
            },
        );
        assert!(html.contains("<figcaption class=\"code-title\">a&lt;b</figcaption>"));
        assert!(html.contains("<span class=\"line\" data-line=\"1\">x</span>\n<span class=\"line line-hl\" data-line=\"2\">y</span>"), "{html}");
        assert!(html.contains("<pre class=\"code linenos\">"));
    }
}
