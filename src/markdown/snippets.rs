//! `--8<--` lines of pymdownx.snippets, which include another file's text.
//!
//! Rendering reads nothing but the page, so the lines are left out with a
//! warning at their line that says what to write instead; they never show
//! as text. `;--8<--` (the escaped form) shows as `--8<--`, as with MkDocs.

use super::prepass::{self, Builder, Fence, Prepared, Problem};

const SCISSORS: &str = "--8<--";

/// The source pass: see the module doc.
pub(super) fn pass(prepared: &mut Prepared, body: &str) {
    if !body.contains(SCISSORS) {
        return;
    }
    let mut out = Builder::with_capacity(body.len());
    let mut fence = Fence::default();
    // Inside the block form: `--8<--` alone, one file per line, `--8<--`.
    let mut in_block = false;
    let mut found = false;
    for line in prepass::lines(body) {
        if !in_block && fence.line(line.text) {
            out.copy(body, line.start..line.end);
            continue;
        }
        let text = line.text.trim();
        if in_block {
            if text == SCISSORS {
                in_block = false;
            } else if !text.is_empty() {
                problem(prepared, line.start, text);
            }
            continue;
        }
        if text
            .strip_prefix(';')
            .is_some_and(|r| r.starts_with(SCISSORS))
        {
            // Escaped: the line shows without its `;`.
            found = true;
            let semicolon = line.start + line.text.find(';').unwrap_or(0);
            out.copy(body, line.start..semicolon);
            out.copy(body, semicolon + 1..line.end);
            continue;
        }
        let Some(rest) = text.strip_prefix(SCISSORS) else {
            out.copy(body, line.start..line.end);
            continue;
        };
        found = true;
        let target = rest.trim().trim_matches(|c| c == '"' || c == '\'');
        if target.is_empty() {
            in_block = true;
        } else {
            problem(prepared, line.start, target);
        }
        out.write("\n", line.start);
    }
    if found {
        prepared.push_layer(out);
    }
}

fn problem(prepared: &mut Prepared, at: usize, target: &str) {
    let help = if target.contains("://") {
        format!("link to it instead: `[{target}]({target})`")
    } else {
        format!("paste the text of `{target}` here, or link to the page: `[…]({target})`")
    };
    prepared.problems.push(Problem {
        code: crate::diagnostics::Code::SnippetInclude,
        at,
        message: format!(
            "`--8<-- \"{target}\"` includes a file (pymdownx.snippets), which syllabus does not do; the line is left out"
        ),
        help,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_left_out_with_a_warning_each() {
        let body = "A\n--8<-- \"includes/abbr.md\"\n;--8<-- \"shown.md\"\n--8<--\none.md\n\ntwo.md\n--8<--\n```\n--8<-- \"code.md\"\n```\nB\n";
        let mut p = Prepared::default();
        pass(&mut p, body);
        assert_eq!(
            p.current(body),
            "A\n\n--8<-- \"shown.md\"\n\n```\n--8<-- \"code.md\"\n```\nB\n"
        );
        let at: Vec<usize> = p.problems.iter().map(|w| w.at).collect();
        let lines: Vec<usize> = at
            .iter()
            .map(|&a| body[..a].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, [2, 5, 7]);
        assert!(
            p.problems[0]
                .message
                .contains("`--8<-- \"includes/abbr.md\"`")
        );
    }
}
