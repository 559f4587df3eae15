//! Front matter: optional TOML between `+++` lines or YAML between `---` lines.
//!
//! In: a page's text. Out: the typed [`FrontMatter`], the Markdown body with
//! its line offset, and warnings for front matter that cannot be read. Its
//! keys are read and checked by `front_keys`.

use serde_json::Value;

use super::front_keys;
use super::yaml_fix;
use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::model::FrontMatter;

/// A page split into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// Number of lines before `body` in the file (so body line 1 is file line `offset + 1`).
    pub body_line_offset: usize,
    /// Unknown keys (warnings) and front matter that cannot be read, with the
    /// severity the caller asked for.
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits and parses front matter; `file` names the page in diagnostics.
///
/// Never fails: front matter that cannot be read is reported with `severity`
/// and left out, so the page still builds and its other problems are reported
/// too. Where YAML fails only because a value holds an unquoted `: `, the
/// values are read as if quoted, as the author meant, and the diagnostic gives
/// the quoted line. Text between `---` lines that is no YAML mapping is not
/// front matter: to GitHub it is a thematic break and a heading, and so it is here.
pub fn split<'a>(file: &str, text: &'a str, severity: Severity) -> Split<'a> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let plain = |diagnostics| Split {
        front: FrontMatter::default(),
        body: text,
        body_line_offset: 0,
        diagnostics,
    };
    let Some((fence, kind)) = opening(text) else {
        return plain(vec![]);
    };
    let after_open = &text[fence.len()..];
    let after_open = after_open
        .strip_prefix("\r\n")
        .or_else(|| after_open.strip_prefix('\n'))
        .unwrap_or("");
    let header_start = text.len() - after_open.len();
    let Some((raw, body_start)) = find_closing(after_open, fence) else {
        if matches!(kind, Kind::Yaml) && !looks_like_mapping(after_open) {
            return plain(vec![]);
        }
        return plain(vec![
            Diagnostic::new(
                severity,
                Code::UnclosedFrontMatter,
                file,
                format!("front matter opened with `{fence}` is never closed"),
            )
            .at(1, 1)
            .with_help(format!(
                "add a line with only `{fence}` after the front matter"
            )),
        ]);
    };
    let body = &after_open[body_start..];
    let body_line_offset = text[..text.len() - body.len()].matches('\n').count();
    let header_line = text[..header_start].matches('\n').count();
    let mut diagnostics = Vec::new();
    let parsed = match kind {
        Kind::Toml => parse_toml(file, raw, header_line, severity),
        Kind::Yaml => parse_yaml(file, raw, header_line, severity, &mut diagnostics),
    };
    let map = match parsed {
        Parsed::Map(map) => map,
        Parsed::NotFrontMatter => return plain(vec![]),
        Parsed::Invalid(d) => {
            diagnostics.push(d);
            serde_json::Map::new()
        }
    };
    let key_lines = key_finder(raw);
    let front = front_keys::typed(
        file,
        map,
        &|k| header_line + key_lines(k),
        severity,
        &mut diagnostics,
    );
    if front.marp {
        // Marp decks carry Marp's own directives (theme, class, style …) in front matter.
        diagnostics.retain(|w| w.code != Code::UnknownFrontMatterKey);
    }
    Split {
        front,
        body,
        body_line_offset,
        diagnostics,
    }
}

/// What the text between the fences turned out to be.
enum Parsed {
    Map(serde_json::Map<String, Value>),
    /// Not front matter at all: the page's first lines, as GitHub shows them.
    NotFrontMatter,
    Invalid(Diagnostic),
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

fn parse_toml(file: &str, raw: &str, header_line: usize, severity: Severity) -> Parsed {
    match toml::from_str::<toml::Table>(raw) {
        Ok(table) => Parsed::Map(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
        Err(e) => {
            let (line, col) = e
                .span()
                .map_or((0, 0), |s| diagnostics::line_col(raw, s.start));
            Parsed::Invalid(
                Diagnostic::new(
                    severity,
                    Code::InvalidFrontMatter,
                    file,
                    format!("invalid TOML front matter: {}", e.message()),
                )
                .at(header_line + line, col)
                .with_help("front matter between `+++` lines is TOML: `title = \"Session 1\"`"),
            )
        }
    }
}

fn parse_yaml(
    file: &str,
    raw: &str,
    header_line: usize,
    severity: Severity,
    diagnostics: &mut Vec<Diagnostic>,
) -> Parsed {
    if raw.trim().is_empty() {
        return Parsed::Map(serde_json::Map::new());
    }
    let error = match serde_saphyr::from_str::<Value>(raw) {
        Ok(Value::Object(map)) => return Parsed::Map(map),
        Ok(Value::Null) => return Parsed::Map(serde_json::Map::new()),
        Ok(_) => return Parsed::NotFrontMatter,
        Err(e) => e,
    };
    let fixes = yaml_fix::unquoted_colons(raw);
    if !fixes.is_empty()
        && let Ok(Value::Object(map)) =
            serde_saphyr::from_str::<Value>(&yaml_fix::apply(raw, &fixes))
    {
        for fix in &fixes {
            diagnostics.push(fix.diagnostic(file, header_line, severity));
        }
        return Parsed::Map(map);
    }
    if !looks_like_mapping(raw) {
        return Parsed::NotFrontMatter;
    }
    let (line, col) = yaml_location(&error);
    let line = newline_line(raw, line);
    let read_as = match severity {
        Severity::Error => "",
        Severity::Warning => "; the page is built without it, as MkDocs does",
    };
    Parsed::Invalid(
        Diagnostic::new(
            severity,
            Code::InvalidFrontMatter,
            file,
            format!(
                "invalid YAML front matter: {}{read_as}",
                first_line(&error.to_string())
            ),
        )
        .at(header_line + line, col)
        .with_help("front matter between `---` lines is YAML: `title: Session 1`; quote values that hold `: ` or start with `[`, `{`, `*`, `&`, `!`, `%` or `@`"),
    )
}

/// Whether text after a `---` line was meant as YAML keys: its first line
/// reads `key: value` (or `key:`), not prose, a list or a heading.
fn looks_like_mapping(raw: &str) -> bool {
    let Some(first) = raw
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    let key_end = first
        .find(": ")
        .or_else(|| first.strip_suffix(':').map(str::len));
    match key_end {
        Some(end) => {
            let key = first[..end].trim_matches(|c| c == '"' || c == '\'');
            !key.is_empty()
                && key.len() <= 64
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'))
        }
        None => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Split<'_> {
        let s = split("a.md", text, Severity::Error);
        assert!(
            s.diagnostics.iter().all(|d| !d.is_error()),
            "{:?}",
            s.diagnostics
        );
        s
    }

    fn first_error(text: &str) -> Diagnostic {
        let s = split("a.md", text, Severity::Error);
        s.diagnostics
            .into_iter()
            .find(Diagnostic::is_error)
            .expect("an error")
    }

    #[test]
    fn no_front_matter() {
        let s = ok("# Hi\n");
        assert_eq!(s.front, FrontMatter::default());
        assert_eq!(s.body, "# Hi\n");
        assert_eq!(s.body_line_offset, 0);
    }

    #[test]
    fn toml_front_matter() {
        let s = ok("+++\ntitle = \"T\"\nweight = 3\ndate = 2025-01-31\n+++\nBody\n");
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
        let s = ok("\u{feff}---\r\ntitle: T\r\ndraft: true\r\n---\r\nBody");
        assert_eq!(s.front.title.as_deref(), Some("T"));
        assert!(s.front.draft);
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn errors_have_lines_and_the_page_stays() {
        let e = first_error("+++\ntitle = \"T\"\nweight = \n+++\n");
        assert_eq!(e.line, 3);
        let e = first_error("---\ntitle: T\nweight: [1\n---\n");
        assert!(e.line >= 3, "{e}");
        let e = first_error("+++\ntitle = 3\n+++\n");
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "front matter `title` must be a string")
        );
        let e = first_error("+++\ntitle = \"x\"\n");
        assert!(e.message.contains("never closed"));
        // Every bad key is reported, the good ones kept, the body kept.
        let s = split(
            "a.md",
            "+++\ntitle = 3\nweight = \"x\"\ndescription = \"d\"\n+++\nBody\n",
            Severity::Error,
        );
        assert_eq!(s.diagnostics.len(), 2, "{:?}", s.diagnostics);
        assert_eq!(s.front.description.as_deref(), Some("d"));
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn an_unquoted_colon_is_read_as_meant_and_the_fix_shown() {
        let text = "---\ntitle: Exercise: Create an SMB share\nweight: 4\n---\n# Body\n";
        for severity in [Severity::Error, Severity::Warning] {
            let s = split("a.md", text, severity);
            assert_eq!(
                s.front.title.as_deref(),
                Some("Exercise: Create an SMB share")
            );
            assert_eq!(s.front.weight, Some(4));
            assert_eq!(s.body, "# Body\n");
            let [d] = &s.diagnostics[..] else {
                panic!("{:?}", s.diagnostics)
            };
            assert_eq!((d.severity, d.line, d.column), (severity, 2, 16));
            assert!(
                d.help
                    .as_deref()
                    .unwrap()
                    .contains("`title: \"Exercise: Create an SMB share\"`"),
                "{d}"
            );
        }
    }

    #[test]
    fn other_invalid_yaml_leaves_the_front_matter_out() {
        let s = split("a.md", "---\ntitle: [a\n---\nBody\n", Severity::Warning);
        assert_eq!(s.front, FrontMatter::default());
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.diagnostics.len(), 1);
        assert!(!s.diagnostics[0].is_error());
        assert!(s.diagnostics[0].message.contains("as MkDocs does"));
    }

    #[test]
    fn text_between_rules_is_not_front_matter() {
        for text in [
            "---\nA line of text\n---\nBody\n",
            "---\n- a list\n---\n",
            "---\n[a link](x.md) and more\n---\n",
            "---\n\nJust a rule\n",
        ] {
            let s = split("a.md", text, Severity::Error);
            assert!(s.diagnostics.is_empty(), "{text}: {:?}", s.diagnostics);
            assert_eq!(s.body, text);
            assert_eq!(s.front, FrontMatter::default());
        }
    }

    #[test]
    fn session_keys() {
        let s = ok(
            "+++\ndate = 2025-03-28T10:00:00\nduration = \"1h 30m\"\nlocation = \"Room 2; B\"\nonline = \"https://meet.example.org/x\"\n+++\n",
        );
        assert_eq!(s.front.duration, Some(jiff::SignedDuration::from_mins(90)));
        assert_eq!(s.front.location.as_deref(), Some("Room 2; B"));
        assert_eq!(
            s.front.online.as_deref(),
            Some("https://meet.example.org/x")
        );
        let s = ok("---\ndate: 2025-03-28\nend: 2025-03-29\n---\n");
        assert_eq!(
            s.front.end.map(|d| d.to_string()).as_deref(),
            Some("2025-03-29")
        );
        let e = first_error("+++\ntitle = \"T\"\nend = \"2025-02-30\"\n+++\n");
        assert_eq!(
            (e.code, e.line, e.message.as_str()),
            (
                Code::InvalidDate,
                3,
                "front matter `end` is not a date: `2025-02-30`"
            )
        );
        for (bad, code) in [
            ("duration = \"soon\"", Code::InvalidDuration),
            ("duration = \"-1h\"", Code::InvalidDuration),
            ("duration = 90", Code::FrontMatterType),
            ("online = \"javascript:alert(1)\"", Code::InvalidOnlineUrl),
            ("online = true", Code::FrontMatterType),
            ("location = 3", Code::FrontMatterType),
        ] {
            let e = first_error(&format!("+++\n{bad}\n+++\n"));
            assert_eq!((e.code, e.line), (code, 2), "{bad}: {e}");
        }
        let e = first_error("+++\nend = 2025-03-28T12:00:00\nduration = \"2h\"\n+++\n");
        assert_eq!((e.code, e.line), (Code::EndAndDuration, 3), "{e}");
    }

    #[test]
    fn unknown_key_is_a_warning_with_suggestion() {
        let s = ok("+++\ntitle = \"T\"\nwieght = 2\n+++\n");
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].line, 3);
        assert!(
            s.diagnostics[0]
                .help
                .as_deref()
                .unwrap()
                .contains("`weight`")
        );
    }
}
