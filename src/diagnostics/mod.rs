//! Problems found in the user's content, collected across the whole site.
//!
//! A [`Diagnostic`] is data: stages return them, the top level sorts and
//! prints them once, like a compiler (`error[E060]: …`, ` --> file:line:col`,
//! `help: …`). Every diagnostic has a [`Code`], listed in `docs/diagnostics.md`.

mod codes;

pub use codes::Code;

use std::collections::HashMap;
use std::fmt;
use std::io::Write;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place of the user's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The kind of problem; its id stays the same whatever the severity.
    pub code: Code,
    /// Path shown to the user, relative to the project root (`content/x.md`).
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, code, file, message)
    }

    /// A diagnostic whose severity the user's configuration chose.
    pub fn new(
        severity: Severity,
        code: Code,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{l}", self.file),
            (l, c) => format!("{}:{l}:{c}", self.file),
        }
    }

    /// The GitHub Actions workflow command that annotates the line in a pull request.
    pub fn github_annotation(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", escape_property(&self.file));
        if self.line > 0 {
            props.push_str(&format!(",line={}", self.line));
        }
        if self.column > 0 {
            props.push_str(&format!(",col={}", self.column));
        }
        props.push_str(&format!(",title={}", self.code));
        let mut text = self.message.clone();
        if let Some(help) = &self.help {
            text.push_str(&format!(" (help: {help})"));
        }
        format!("::{kind} {props}::{}", escape_data(&text))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{kind}[{}]: {}", self.code, self.message)?;
        write!(f, "  --> {}", self.location())?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `15321` → `15,321`, as messages print counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Sorts by file, line and column, so reports read like a compiler's.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

/// How many problems of one code in one file are printed (human output and
/// GitHub annotations): a generated or broken file can have 100,000 of them,
/// which bury the rest and take minutes to scroll. JSON lists every one.
pub const SHOWN_PER_FILE_AND_CODE: usize = 20;

/// Prints every diagnostic once (as text, at most [`SHOWN_PER_FILE_AND_CODE`]
/// of a kind per file, then how many more); with `github` also as workflow commands.
pub fn report(
    diagnostics: &[Diagnostic],
    format: Format,
    github: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut seen: HashMap<(&str, Code), usize> = HashMap::new();
    let shown: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            let n = seen.entry((d.file.as_str(), d.code)).or_default();
            *n += 1;
            *n <= SHOWN_PER_FILE_AND_CODE
        })
        .collect();
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(diagnostics).map_err(std::io::Error::other)?;
            writeln!(out, "{json}")?;
        }
        Format::Human => {
            for d in &shown {
                writeln!(out, "{d}\n")?;
            }
            let mut hidden: Vec<_> = seen
                .iter()
                .filter(|&(_, &n)| n > SHOWN_PER_FILE_AND_CODE)
                .collect();
            hidden.sort();
            for ((file, code), n) in hidden {
                let more = thousands((n - SHOWN_PER_FILE_AND_CODE) as u64);
                writeln!(
                    out,
                    "note: {more} more [{code}] in {file} not shown; `--format json` lists every one\n"
                )?;
            }
        }
    }
    if github {
        for d in &shown {
            writeln!(out, "{}", d.github_annotation())?;
        }
    }
    Ok(())
}

/// The closest candidate by edit distance, when it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(wanted, candidates, (wanted.chars().count() / 3).max(2))
}

/// The closest candidate at most `max` edits away (letter case counts as no edit).
pub fn closest_within<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(15_000), "15,000");
        assert_eq!(thousands(250_000_000), "250,000,000");
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
    }

    #[test]
    fn closest_suggests_typos_only() {
        let c = ["title", "description", "weight"];
        assert_eq!(closest("titel", c), Some("title"));
        assert_eq!(closest("wieght", c), Some("weight"));
        assert_eq!(closest("zzzzzzzz", c), None);
    }

    #[test]
    fn many_problems_of_one_kind_in_one_file_are_counted_not_all_printed() {
        let many: Vec<Diagnostic> = (1..=25)
            .map(|line| Diagnostic::error(Code::BrokenLink, "content/a.md", "broken").at(line, 1))
            .chain([Diagnostic::error(Code::MissingAnchor, "content/a.md", "anchor").at(3, 1)])
            .collect();
        let mut text = Vec::new();
        report(&many, Format::Human, true, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(text.matches("error[E060]").count(), SHOWN_PER_FILE_AND_CODE);
        assert_eq!(
            text.matches("::error ").count(),
            SHOWN_PER_FILE_AND_CODE + 1
        );
        assert!(text.contains("error[E061]"), "{text}");
        assert!(
            text.contains(
                "note: 5 more [E060] in content/a.md not shown; `--format json` lists every one"
            ),
            "{text}"
        );
        let mut json = Vec::new();
        report(&many, Format::Json, false, &mut json).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap().matches("\"E060\"").count(),
            25
        );
    }

    #[test]
    fn annotation_escapes() {
        let d =
            Diagnostic::error(Code::BrokenLink, "content/a,b.md", "broken link\nhere").at(3, 10);
        assert_eq!(
            d.github_annotation(),
            "::error file=content/a%2Cb.md,line=3,col=10,title=E060::broken link%0Ahere"
        );
    }

    #[test]
    fn the_code_is_shown_in_every_format() {
        let d = Diagnostic::warning(Code::OrphanPage, "content/a.md", "orphan page")
            .with_help("link to it");
        assert_eq!(
            d.to_string(),
            "warning[W060]: orphan page\n  --> content/a.md\n  help: link to it"
        );
        let json = serde_json::to_value(&d).expect("serializable");
        assert_eq!(json["code"], "W060");
        assert!(
            d.github_annotation()
                .starts_with("::warning file=content/a.md,title=W060::")
        );
    }
}
