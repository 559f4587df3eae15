//! The YAML mistake MkDocs courses make most: a plain value that holds `: `
//! (`title: Exercise: Create an SMB share`), which YAML reads as a second key
//! and MkDocs silently drops. In: the text between the `---` lines. Out: the
//! lines to quote, the text with them quoted (read in one more pass, so the
//! whole repair stays linear in the front matter's size), and a diagnostic
//! for each that shows the quoted line.

use crate::diagnostics::{Code, Diagnostic, Severity};

/// One `key: value` line whose value must be quoted.
pub(super) struct Fix {
    /// 0-based line in the front matter text.
    line: usize,
    key: String,
    /// Column (1-based, in characters) of the `:` inside the value.
    column: usize,
    /// The line as it should read.
    quoted: String,
}

/// The lines whose plain value holds `: ` or ends with `:`.
pub(super) fn unquoted_colons(raw: &str) -> Vec<Fix> {
    raw.lines()
        .enumerate()
        .filter_map(|(i, line)| fix_line(i, line.trim_end_matches('\r')))
        .collect()
}

fn fix_line(line_no: usize, line: &str) -> Option<Fix> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let colon = rest.find(':')?;
    let key = &rest[..colon];
    let key_ok = !key.is_empty()
        && !key.starts_with(['-', '#', '?'])
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
    let after = &rest[colon + 1..];
    if !key_ok || !after.starts_with([' ', '\t']) {
        return None;
    }
    let value = after.trim();
    let starts_plain = !value.starts_with([
        '"', '\'', '[', '{', '|', '>', '&', '*', '!', '%', '@', '`', '#',
    ]);
    let inner = value.find(": ").or_else(|| {
        value
            .strip_suffix(':')
            .map(|v| v.len())
            .filter(|_| value.len() > 1)
    })?;
    if !starts_plain {
        return None;
    }
    let value_start = line.len() - after.trim_start().len();
    let column = line[..value_start + inner].chars().count() + 1;
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(Fix {
        line: line_no,
        key: key.trim().to_string(),
        column,
        quoted: format!("{}{}: \"{escaped}\"", &line[..indent], key),
    })
}

/// `raw` with every fixed line replaced, line endings kept.
pub(super) fn apply(raw: &str, fixes: &[Fix]) -> String {
    let mut out = String::with_capacity(raw.len() + fixes.len() * 4);
    let mut fixes = fixes.iter().peekable();
    for (i, line) in raw.split_inclusive('\n').enumerate() {
        match fixes.next_if(|f| f.line == i) {
            Some(fix) => {
                out.push_str(&fix.quoted);
                let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
                out.push_str(ending);
            }
            None => out.push_str(line),
        }
    }
    out
}

impl Fix {
    /// The problem at its place in the file; the header starts after `header_line` lines.
    pub(super) fn diagnostic(
        &self,
        file: &str,
        header_line: usize,
        severity: Severity,
    ) -> Diagnostic {
        let message = format!(
            "invalid YAML front matter: the value of `{}` holds `: `, which YAML reads as the start of another key",
            self.key
        );
        let d = Diagnostic::new(severity, Code::UnquotedColon, file, message);
        let help = match severity {
            Severity::Error => format!("quote the value: `{}`", self.quoted.trim_start()),
            Severity::Warning => format!(
                "read as if quoted (MkDocs drops the whole front matter); quote the value: `{}`",
                self.quoted.trim_start()
            ),
        };
        d.at(header_line + self.line + 1, self.column)
            .with_help(help)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_values_that_hold_a_colon() {
        let raw = "title: Exercise: Create an SMB share\r\nweight: 2\n  note: a \"b\": c\nurl: https://x.org\nok: \"a: b\"\nlist: [a: b]\nend: trailing:\n";
        let fixes = unquoted_colons(raw);
        let lines: Vec<(usize, &str, usize)> = fixes
            .iter()
            .map(|f| (f.line, f.quoted.as_str(), f.column))
            .collect();
        assert_eq!(
            lines,
            [
                (0, "title: \"Exercise: Create an SMB share\"", 16),
                (2, "  note: \"a \\\"b\\\": c\"", 14),
                (6, "end: \"trailing:\"", 14),
            ]
        );
        assert_eq!(
            apply(raw, &fixes),
            "title: \"Exercise: Create an SMB share\"\r\nweight: 2\n  note: \"a \\\"b\\\": c\"\nurl: https://x.org\nok: \"a: b\"\nlist: [a: b]\nend: \"trailing:\"\n"
        );
    }
}
