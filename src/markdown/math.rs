//! `$…$`, `$$…$$` and ```` ```math ```` blocks → MathML at build time, so
//! readers need no JavaScript.
//!
//! Each formula goes through [`super::latex`] (pulldown-latex, with argument
//! text escaped and its cost bounded) and then [`super::mathml`] (the MathML
//! allowlist, in both modes; `style` only stays in trusted mode). A formula
//! that fails either is shown as its TeX, escaped, with a warning at its line.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::mathml::{Rejected, Styles, allowlisted};
use super::{RenderedPage, Source, Spanned, latex};
use crate::diagnostics::{Code, Severity};

/// Fenced blocks whose language is `math` become display math, as on GitHub.
pub(super) fn fences(events: &mut Vec<Spanned>) {
    let is_math = |e: &Event| {
        matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
            if info.split_whitespace().next() == Some("math"))
    };
    if !events.iter().any(|(e, _)| is_math(e)) {
        return;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut iter = std::mem::take(events).into_iter();
    while let Some((event, range)) = iter.next() {
        if !is_math(&event) {
            out.push((event, range));
            continue;
        }
        let mut tex = String::new();
        for (e, _) in iter.by_ref() {
            match e {
                Event::Text(t) => tex.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        out.push((Event::DisplayMath(tex.into()), range));
    }
    *events = out;
}

/// Replaces every math event with its MathML, or its TeX and a warning.
pub(super) fn render(events: &mut [Spanned], source: &Source, safe: bool, out: &mut RenderedPage) {
    let styles = if safe { Styles::Drop } else { Styles::Keep };
    for (event, range) in events.iter_mut() {
        let (tex, display) = match event {
            Event::InlineMath(t) => (t.to_string(), false),
            Event::DisplayMath(t) => (t.to_string(), true),
            _ => continue,
        };
        out.has_math = true;
        let html = formula(&tex, display, styles).unwrap_or_else(|refused| {
            out.diagnostics.push(
                source
                    .diagnostic(
                        Severity::Warning,
                        Code::MathNotRendered,
                        range.start,
                        refused.message,
                    )
                    .with_help(refused.help),
            );
            as_written(&tex, display)
        });
        *event = Event::Html(html.into());
    }
}

/// One formula's MathML as a page shows it (`safe`: in safe mode), or why it
/// is shown as written instead (the warning's message). For the fuzz target.
pub fn render_formula(tex: &str, display: bool, safe: bool) -> Result<String, String> {
    let styles = if safe { Styles::Drop } else { Styles::Keep };
    formula(tex, display, styles).map_err(|refused| refused.message)
}

fn formula(tex: &str, display: bool, styles: Styles) -> Result<String, latex::Refused> {
    let html = latex::to_mathml(tex, display)?;
    allowlisted(&html, styles).map_err(|rejected| match rejected {
        Rejected::Unbalanced(what) => latex::Refused {
            message: format!("cannot render math: the renderer wrote unbalanced MathML ({what})"),
            help: "check the LaTeX (a command may lack an argument); it is shown as written",
        },
        Rejected::Markup(what) => latex::Refused {
            message: format!("math rendered to markup outside the MathML allowlist ({what})"),
            help: "it is shown as written; please report the formula to syllabus",
        },
    })
}

/// A formula's TeX, escaped, where its MathML would be.
fn as_written(tex: &str, display: bool) -> String {
    let escaped = crate::util::html::escape(tex);
    if display {
        format!("<pre class=\"math-error\">$${escaped}$$</pre>")
    } else {
        format!("<code class=\"math-error\">${escaped}$</code>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMANDS: &str = include_str!("../../tests/fixtures/math/commands.txt");
    const ENVIRONMENTS: &str = include_str!("../../tests/fixtures/math/environments.txt");
    const PAYLOADS: &[&str] = &[
        "<img src=x onerror=alert(1)>",
        "</mi><script>alert(1)</script>",
        "\"><svg onload=alert(1)>",
    ];

    fn names(list: &str) -> impl Iterator<Item = &str> {
        list.lines()
            .filter(|l| !l.starts_with("// ") && !l.is_empty())
    }

    /// Every way a command can take a payload: as a group, several groups,
    /// a bare token, an optional argument; and every environment's body.
    fn formulas() -> Vec<String> {
        let mut out = Vec::new();
        for p in PAYLOADS {
            for c in names(COMMANDS) {
                out.push(format!("\\{c}{{{p}}}"));
                out.push(format!("\\{c}{{{p}}}{{{p}}}{{{p}}}"));
                out.push(format!("\\{c} {p}"));
                out.push(format!("\\{c}[{p}]{{{p}}}"));
            }
            for e in names(ENVIRONMENTS) {
                out.push(format!("\\begin{{{e}}}{p}\\end{{{e}}}"));
                out.push(format!("\\begin{{{e}}}{{c}}{p}&{p}\\\\{p}\\end{{{e}}}"));
            }
        }
        out
    }

    #[test]
    fn every_command_keeps_html_payloads_as_text() {
        let (mut rendered, mut total) = (0, 0);
        for tex in formulas() {
            total += 1;
            let Ok(raw) = latex::to_mathml(&tex, total % 2 == 0) else {
                continue;
            };
            // In trusted mode too: the renderer's own output is MathML only.
            let html = match allowlisted(&raw, Styles::Keep) {
                Ok(html) => html,
                Err(Rejected::Unbalanced(_)) => continue,
                Err(e) => panic!("{tex}: {e:?}\n{raw}"),
            };
            for tag in ["<img", "<script", "<svg"] {
                assert!(!html.contains(tag), "{tex}: {html}");
            }
            rendered += 1;
        }
        // Most of them render: the payloads reached the renderer.
        assert!(rendered * 10 > total * 6, "{rendered} of {total} rendered");
    }

    #[test]
    fn the_command_list_is_what_pulldown_latex_knows() {
        let unknown: Vec<&str> = names(COMMANDS)
            .filter(|c| {
                latex::to_mathml(&format!("\\{c}"), false)
                    .is_err_and(|e| e.message.contains("unknown primitive"))
            })
            .collect();
        assert!(unknown.is_empty(), "not commands: {unknown:?}");
        assert!(names(COMMANDS).count() > 800);
        for e in names(ENVIRONMENTS) {
            let r = latex::to_mathml(&format!("\\begin{{{e}}}x\\end{{{e}}}"), true);
            assert!(!r.is_err_and(|r| r.message.contains("environment")), "{e}");
        }
    }
}
