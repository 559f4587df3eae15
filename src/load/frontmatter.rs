//! Front matter: optional TOML between `+++` lines or YAML between `---` lines.
//!
//! In: a page's text. Out: the typed [`FrontMatter`], the Markdown body with
//! its line offset, and warnings for unknown keys.

use serde_json::Value;

use crate::diagnostics::{self, Diagnostic};
use crate::model::FrontMatter;
use crate::model::PageDate;

const KNOWN: &[&str] = &[
    "title",
    "description",
    "weight",
    "date",
    "draft",
    "aliases",
    "template",
    "overview",
    "extra",
];
/// Keys other tools put in front matter that we accept silently.
const TOLERATED: &[&str] = &[
    "marp", "theme", "paginate", "tags", "author", "authors", "hide", "layout",
];

/// A page split into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// Number of lines before `body` in the file (so body line 1 is file line `offset + 1`).
    pub body_line_offset: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Splits and parses front matter; `file` names the page in diagnostics.
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((fence, kind)) = opening(text) else {
        return Ok(Split {
            front: FrontMatter::default(),
            body: text,
            body_line_offset: 0,
            warnings: vec![],
        });
    };
    let after_open = &text[fence.len()..];
    let after_open = after_open
        .strip_prefix("\r\n")
        .or_else(|| after_open.strip_prefix('\n'))
        .unwrap_or("");
    let header_start = text.len() - after_open.len();
    let Some((raw, body_start)) = find_closing(after_open, fence) else {
        return Err(Diagnostic::error(
            file,
            format!("front matter opened with `{fence}` is never closed"),
        )
        .at(1, 1)
        .with_help(format!(
            "add a line with only `{fence}` after the front matter"
        )));
    };
    let body = &after_open[body_start..];
    let body_line_offset = text[..text.len() - body.len()].matches('\n').count();
    let (map, key_lines) = match kind {
        Kind::Toml => parse_toml(file, raw, 1)?,
        Kind::Yaml => parse_yaml(file, raw)?,
    };
    let header_line = text[..header_start].matches('\n').count();
    let mut warnings = Vec::new();
    let front = typed(file, map, &|k| header_line + key_lines(k), &mut warnings)?;
    if front.marp {
        // Marp decks carry Marp's own directives (theme, class, style …) in front matter.
        warnings.retain(|w| !w.message.starts_with("unknown front matter key"));
    }
    Ok(Split {
        front,
        body,
        body_line_offset,
        warnings,
    })
}

#[derive(Clone, Copy)]
enum Kind {
    Toml,
    Yaml,
}

fn opening(text: &str) -> Option<(&'static str, Kind)> {
    let first = text.lines().next()?.trim_end();
    match first {
        "+++" => Some(("+++", Kind::Toml)),
        "---" => Some(("---", Kind::Yaml)),
        _ => None,
    }
}

/// Returns the raw header and the byte index in `rest` where the body starts.
fn find_closing<'a>(rest: &'a str, fence: &str) -> Option<(&'a str, usize)> {
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == fence || (fence == "---" && trimmed == "...") {
            return Some((&rest[..pos], pos + line.len()));
        }
        pos += line.len();
    }
    None
}

type KeyLines = Box<dyn Fn(&str) -> usize>;

fn parse_toml(
    file: &str,
    raw: &str,
    _first: usize,
) -> Result<(serde_json::Map<String, Value>, KeyLines), Diagnostic> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| {
        let (line, col) = e
            .span()
            .map_or((0, 0), |s| diagnostics::line_col(raw, s.start));
        Diagnostic::error(file, format!("invalid TOML front matter: {}", e.message()))
            .at(line + 1, col)
            .with_help("front matter between `+++` lines is TOML: `title = \"Session 1\"`")
    })?;
    let map = table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect();
    Ok((map, key_finder(raw)))
}

fn parse_yaml(
    file: &str,
    raw: &str,
) -> Result<(serde_json::Map<String, Value>, KeyLines), Diagnostic> {
    if raw.trim().is_empty() {
        return Ok((serde_json::Map::new(), key_finder(raw)));
    }
    let value: Value = serde_saphyr::from_str(raw).map_err(|e| {
        let (line, col) = yaml_location(&e);
        let line = newline_line(raw, line);
        Diagnostic::error(
            file,
            format!("invalid YAML front matter: {}", first_line(&e.to_string())),
        )
        .at(line + 1, col)
        .with_help("front matter between `---` lines is YAML: `title: Session 1`")
    })?;
    match value {
        Value::Object(map) => Ok((map, key_finder(raw))),
        Value::Null => Ok((serde_json::Map::new(), key_finder(raw))),
        _ => Err(Diagnostic::error(
            file,
            "YAML front matter must be a mapping of keys to values",
        )
        .at(2, 1)
        .with_help("write `key: value` lines, such as `title: Session 1`")),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// YAML's 1-based `line` (a lone `\r` breaks lines too) as a line counted by `\n`, as editors show it.
fn newline_line(raw: &str, line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut yaml_line = 1;
    let bytes = raw.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if yaml_line >= line {
            return raw[..i].matches('\n').count() + 1;
        }
        let lone_cr = *b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if *b == b'\n' || lone_cr {
            yaml_line += 1;
        }
    }
    if yaml_line >= line {
        raw.matches('\n').count() + 1
    } else {
        line
    }
}

fn yaml_location(e: &serde_saphyr::Error) -> (usize, usize) {
    e.location()
        .map_or((0, 0), |l| (l.line() as usize, l.column() as usize))
}

/// Finds the line (1-based within the header) where a top-level key is set.
fn key_finder(raw: &str) -> KeyLines {
    let lines: Vec<String> = raw.lines().map(str::to_owned).collect();
    Box::new(move |key| {
        lines
            .iter()
            .position(|l| {
                l.starts_with(key)
                    && matches!(l[key.len()..].trim_start().chars().next(), Some('=' | ':'))
            })
            .map_or(0, |i| i + 1)
    })
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn typed(
    file: &str,
    map: serde_json::Map<String, Value>,
    line_of: &dyn Fn(&str) -> usize,
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter, Diagnostic> {
    let mut fm = FrontMatter::default();
    let wrong = |key: &str, expected: &str| {
        Diagnostic::error(file, format!("front matter `{key}` must be {expected}"))
            .at(line_of(key), 1)
    };
    for (key, value) in map {
        match (key.as_str(), value) {
            ("title", Value::String(s)) => fm.title = Some(s),
            ("description", Value::String(s)) => fm.description = Some(s),
            ("weight", Value::Number(n)) => {
                fm.weight = Some(
                    n.as_i64()
                        .ok_or_else(|| wrong("weight", "a whole number"))?,
                )
            }
            ("date", Value::String(s)) => {
                fm.date = Some(PageDate::parse(&s).ok_or_else(|| bad_date(file, &s, line_of))?)
            }
            ("draft", Value::Bool(b)) => fm.draft = b,
            ("aliases", Value::Array(items)) => {
                for item in items {
                    match item {
                        Value::String(s) => fm.aliases.push(s),
                        _ => {
                            return Err(wrong(
                                "aliases",
                                "a list of URL paths such as [\"/old/page/\"]",
                            ));
                        }
                    }
                }
            }
            ("aliases", Value::String(s)) => fm.aliases.push(s),
            ("template", Value::String(s)) => fm.template = Some(s),
            ("extra", Value::Object(m)) => fm.extra = m,
            ("marp", Value::Bool(b)) => fm.marp = b,
            ("overview", Value::Bool(b)) => fm.overview = b,
            (_, Value::Null) => {}
            ("date", _) => return Err(wrong("date", "a date such as 2025-01-31")),
            ("title" | "description" | "template", _) => {
                return Err(wrong(&key, "a string"));
            }
            ("weight", _) => return Err(wrong("weight", "a whole number")),
            ("draft", _) => return Err(wrong("draft", "true or false")),
            ("overview", _) => return Err(wrong("overview", "true or false")),
            ("aliases", _) => {
                return Err(wrong(
                    "aliases",
                    "a list of URL paths such as [\"/old/page/\"]",
                ));
            }
            ("extra", _) => return Err(wrong("extra", "a table of values")),
            (k, _) if TOLERATED.contains(&k) => {}
            (k, _) => {
                let help = match diagnostics::closest(k, KNOWN.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`? Free-form values go under `extra`"),
                    None => format!(
                        "known keys: {}; free-form values go under `extra`",
                        KNOWN.join(", ")
                    ),
                };
                warnings.push(
                    Diagnostic::warning(file, format!("unknown front matter key `{k}`"))
                        .at(line_of(k), 1)
                        .with_help(help),
                );
            }
        }
    }
    Ok(fm)
}

/// The error for a `date` that is not a real date, at its line.
fn bad_date(file: &str, text: &str, line_of: &dyn Fn(&str) -> usize) -> Diagnostic {
    let shown: String = text.chars().take(40).collect();
    Diagnostic::error(file, format!("front matter `date` is not a date: `{shown}`"))
        .at(line_of("date"), 1)
        .with_help("write the day as YYYY-MM-DD (`2025-01-31`), optionally with a time: `2025-01-31T14:00:00+01:00`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_front_matter() {
        let s = split("a.md", "# Hi\n").unwrap();
        assert_eq!(s.front, FrontMatter::default());
        assert_eq!(s.body, "# Hi\n");
        assert_eq!(s.body_line_offset, 0);
    }

    #[test]
    fn toml_front_matter() {
        let s = split(
            "a.md",
            "+++\ntitle = \"T\"\nweight = 3\ndate = 2025-01-31\n+++\nBody\n",
        )
        .unwrap();
        assert_eq!(s.front.title.as_deref(), Some("T"));
        assert_eq!(s.front.weight, Some(3));
        assert_eq!(
            s.front.date.map(|d| d.to_string()).as_deref(),
            Some("2025-01-31")
        );
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line_offset, 5);
    }

    #[test]
    fn yaml_front_matter_with_crlf_and_bom() {
        let s = split(
            "a.md",
            "\u{feff}---\r\ntitle: T\r\ndraft: true\r\n---\r\nBody",
        )
        .unwrap();
        assert_eq!(s.front.title.as_deref(), Some("T"));
        assert!(s.front.draft);
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn errors_have_lines() {
        let e = split("a.md", "+++\ntitle = \"T\"\nweight = \n+++\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = split("a.md", "---\ntitle: T\nweight: [1\n---\n").unwrap_err();
        assert!(e.line >= 3, "{e}");
        let e = split("a.md", "+++\ntitle = 3\n+++\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "front matter `title` must be a string")
        );
        let e = split("a.md", "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn unknown_key_is_a_warning_with_suggestion() {
        let s = split("a.md", "+++\ntitle = \"T\"\nwieght = 2\n+++\n").unwrap();
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].line, 3);
        assert!(s.warnings[0].help.as_deref().unwrap().contains("`weight`"));
    }
}
