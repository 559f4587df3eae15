//! R Markdown pages (`.Rmd`, with `[markdown] r_markdown = true`): shown as
//! Markdown, their code chunks as code blocks. Nothing is run, so a chunk's
//! output and figures do not appear.
//!
//! A chunk opens with a fence whose info string is in braces (```` ```{r name, echo=FALSE} ````);
//! it becomes a plain fence with the engine as language (```` ```r ````). Lines
//! are neither added nor removed, so positions in messages stay those of the file.

/// The body with every chunk header turned into a plain fence of its engine.
pub fn chunks_as_code(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    // The fence that opened the code block we are in: its character and length.
    let mut open: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let (indent, rest) = split_indent(line);
        let fence = fence_of(rest);
        match (open, fence) {
            (None, Some((ch, len))) => {
                open = Some((ch, len));
                match chunk_engine(&rest[len..]) {
                    Some(engine) => {
                        out.push_str(indent);
                        out.push_str(&rest[..len]);
                        out.push_str(&engine);
                        out.push_str(if line.ends_with('\n') { "\n" } else { "" });
                    }
                    None => out.push_str(line),
                }
            }
            (Some((ch, len)), Some((c, l)))
                if c == ch && l >= len && rest[l..].trim().is_empty() =>
            {
                open = None;
                out.push_str(line);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Up to three spaces of indentation, and the rest of the line.
fn split_indent(line: &str) -> (&str, &str) {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    if spaces > 3 {
        return ("", "");
    }
    line.split_at(spaces)
}

/// A fence of three or more backticks or tildes at the start of `rest`.
fn fence_of(rest: &str) -> Option<(char, usize)> {
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(ch).len();
    // CommonMark: after a backtick fence no backtick may follow (```` ``` ```` is inline code).
    let inline = ch == '`' && rest[len..].contains('`');
    (len >= 3 && !inline).then_some((ch, len))
}

/// `{r name, echo=FALSE}` → `r`; `None` when the info string is not in braces.
fn chunk_engine(info: &str) -> Option<String> {
    let inner = info.trim().strip_prefix('{')?;
    let inner = inner.trim_end().strip_suffix('}').unwrap_or(inner);
    let engine: String = inner
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    // knitr's `verbatim` engine shows its text in the language of its `lang` option.
    if engine == "verbatim" {
        let lang = inner.split(',').find_map(|opt| {
            let (key, value) = opt.split_once('=')?;
            (key.trim() == "lang").then(|| value.trim().trim_matches(['"', '\'']).to_string())
        });
        return Some(lang.unwrap_or_default());
    }
    Some(if engine.is_empty() {
        "r".into()
    } else {
        engine.to_ascii_lowercase()
    })
}

#[cfg(test)]
mod tests {
    use super::chunks_as_code;

    #[test]
    fn chunk_headers_become_plain_fences_and_lines_stay() {
        let cases = [
            (
                "```{r setup, include=FALSE}\nx <- 1\n```\n",
                "```r\nx <- 1\n```\n",
            ),
            ("```{r}\n1\n```", "```r\n1\n```"),
            (
                "```{python echo=FALSE}\nprint(1)\n```\n",
                "```python\nprint(1)\n```\n",
            ),
            ("```{r, eval=FALSE}\n```\n", "```r\n```\n"),
            // Inside another code block a chunk header is text.
            (
                "````markdown\n```{r}\n```\n````\n",
                "````markdown\n```{r}\n```\n````\n",
            ),
            ("```python\n1\n```\n", "```python\n1\n```\n"),
            ("Inline `r 1 + 1` stays.\n", "Inline `r 1 + 1` stays.\n"),
            // A line that starts with inline code is no fence.
            (
                "```` ``` ```` ends it.\n```{r}\n```\n",
                "```` ``` ```` ends it.\n```r\n```\n",
            ),
            (
                "````{verbatim, lang = \"markdown\"}\n```{r x}\n```\n````\n",
                "````markdown\n```{r x}\n```\n````\n",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(chunks_as_code(input), want, "{input:?}");
            assert_eq!(input.lines().count(), want.lines().count());
        }
    }
}
