//! One formula's TeX → MathML with pulldown-latex, escaped and bounded.
//!
//! Escaped: pulldown-latex copies the argument of `\operatorname`,
//! `\operatorname*` and `\mathop` into `<mi>` as it is (its `Function`
//! content), so `\operatorname{<img …>}` wrote an HTML element. Those
//! strings are escaped here before rendering, so math arguments are text in
//! trusted mode too; the TeX annotation is escaped as well. Single
//! characters it writes as they are (`<` as a relation, `\char38`) cannot
//! start markup, and [`super::mathml`] writes them again escaped.
//!
//! Bounded: nesting costs pulldown-latex time that grows with the square of
//! the depth, and a chain of commands whose argument is another command
//! (`\sqrt\sqrt\sqrt…`) recurses once per command, so a few hundred of them
//! overflow a thread's stack. [`to_mathml`] measures the formula first
//! ([`input`]), refuses nesting deeper than [`MAX_DEPTH`], runs long formulas
//! on a thread with a stack sized for their length, and stops a formula whose
//! macros expand to more than a bounded number of parts.
//!
//! Guarded: input that made pulldown-latex panic (found by fuzzing) is read
//! differently or refused before it runs ([`input`]), and a panic that still
//! happens is caught: the formula is shown as written, with a warning.

mod input;

use pulldown_latex::event::{Content, Event};
use pulldown_latex::{Parser, RenderConfig, Storage, config::DisplayMode, push_mathml};

use input::{shape, unreadable_number, wide_spaces_as_spaces};

/// Groups (`{…}`, `\left…\right`, `\begin…\end`) nested deeper than this are refused.
/// TeX itself allows 255; no formula of a course needs a tenth of that.
pub const MAX_DEPTH: usize = 100;
/// The most commands a formula may have (macros multiply them, see [`input::Shape::levels`]).
pub const MAX_COMMANDS: usize = 8192;
/// Formulas with at most this many nested calls render on the caller's thread.
const INLINE_LEVELS: usize = 32;
/// Stack each nested call may take: about 15 KiB in a debug build, twice that to be safe.
const STACK_PER_LEVEL: usize = 32 * 1024;
const STACK_BASE: usize = 1024 * 1024;
/// Why a formula was not rendered; the caller shows its TeX as written.
#[derive(Debug, PartialEq)]
pub struct Refused {
    pub message: String,
    pub help: &'static str,
}

/// Renders one formula to MathML (not yet allowlisted: see [`super::mathml`]).
pub fn to_mathml(tex: &str, display: bool) -> Result<String, Refused> {
    let source = tex;
    let tex = &wide_spaces_as_spaces(tex);
    let shape = shape(tex);
    if unreadable_number(tex, &shape) {
        return Err(Refused {
            message:
                "cannot render math: `\\char` and `alignat` take a number (ASCII digits, at most 8)"
                    .into(),
            help: "check the LaTeX; it is shown as written",
        });
    }
    if shape.depth > MAX_DEPTH {
        return Err(Refused {
            message: format!(
                "math nested {} levels deep is not rendered (the limit is {MAX_DEPTH})",
                shape.depth
            ),
            help: "the formula is shown as written; use fewer nested groups ({…}, \\left…\\right, \\begin…\\end)",
        });
    }
    let levels = shape.levels();
    if levels > MAX_COMMANDS {
        return Err(Refused {
            message: format!(
                "math with {} commands{} is not rendered (the limit is {MAX_COMMANDS})",
                shape.commands,
                if shape.defines { " and macros" } else { "" }
            ),
            help: "the formula is shown as written; split it into several formulas",
        });
    }
    quiet_renderer_panics();
    let failed = || Refused {
        message: "the math renderer failed on this formula".into(),
        help: "it is shown as written; please report the formula to syllabus",
    };
    if levels <= INLINE_LEVELS {
        let run = std::panic::AssertUnwindSafe(|| render(tex, source, display, max_events(tex)));
        return std::panic::catch_unwind(run).unwrap_or_else(|_| Err(failed()));
    }
    // A thread of its own, with a stack for the formula's length; the memory
    // is only reserved, and pages are committed as the recursion touches them.
    let stack = STACK_BASE + levels * STACK_PER_LEVEL;
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("math".into())
            .stack_size(stack)
            .spawn_scoped(scope, || render(tex, source, display, max_events(tex)));
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| Err(failed())),
            Err(e) => Err(Refused {
                message: format!("cannot start a thread to render this long formula: {e}"),
                help: "the formula is shown as written; split it into several formulas",
            }),
        }
    })
}

/// pulldown-latex panics on some invalid TeX (an index out of bounds when an
/// `array` row has more cells than columns, found by fuzzing). [`to_mathml`]
/// catches the panic and the formula is shown as written, with a warning; this
/// keeps the panic's own message off the terminal, where it would read as
/// syllabus crashing. Panics anywhere else are reported as before.
fn quiet_renderer_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_renderer = info
                .location()
                .is_some_and(|l| l.file().contains("pulldown-latex"));
            if !in_renderer {
                previous(info);
            }
        }));
    });
}

/// The most parser events a formula may produce: generous for its length.
/// pulldown-latex's own limit on macro expansions (64 per formula) keeps
/// formulas below it today; this bounds the work if that ever changes.
fn max_events(tex: &str) -> usize {
    4096 + 64 * tex.len()
}

/// Renders `tex`; the annotation keeps the formula as written, `source`.
fn render(tex: &str, source: &str, display: bool, cap: usize) -> Result<String, Refused> {
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(tex, &storage) {
        let event = event.map_err(|e| Refused {
            message: format!(
                "cannot render math: {}",
                e.to_string().lines().next().unwrap_or("invalid LaTeX")
            ),
            help: "check the LaTeX; it is shown as written",
        })?;
        if events.len() == cap {
            return Err(Refused {
                message: format!("math that expands to more than {cap} parts is not rendered"),
                help: "the formula is shown as written; its macros expand too much",
            });
        }
        events.push(event);
    }
    // Function names are written as they are: escape them here.
    let escaped: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Content(Content::Function(name)) if needs_escape(name) => Some(escape(name)),
            _ => None,
        })
        .collect();
    let mut escaped = escaped.iter();
    let events = events.into_iter().map(|e| match e {
        Event::Content(Content::Function(name)) if needs_escape(name) => Ok::<_, std::fmt::Error>(
            Event::Content(Content::Function(escaped.next().map_or("", String::as_str))),
        ),
        e => Ok(e),
    });
    // pulldown-latex writes the annotation as it is too: `$a<b$` would break the page.
    let annotation = escape(source);
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut html = String::new();
    push_mathml(&mut html, events, config).map_err(|e| Refused {
        message: format!("cannot render math: {e}"),
        help: "check the LaTeX; it is shown as written",
    })?;
    Ok(html)
}

fn needs_escape(text: &str) -> bool {
    text.contains(['<', '>', '&', '"'])
}

fn escape(text: &str) -> String {
    crate::util::html::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_mathml() {
        let html = to_mathml("E = mc^2", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<msup>"), "{html}");
        assert!(to_mathml("\\frac{1}{", true).is_err());
    }

    #[test]
    fn escapes_the_tex_annotation() {
        let html = to_mathml("a</annotation><img src=x onerror=alert(1)>b", false).unwrap();
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a&lt;/annotation&gt;&lt;img"), "{html}");
    }

    #[test]
    fn operator_names_are_text() {
        for tex in [
            "\\operatorname{<img src=x onerror=alert(1)>}",
            "\\operatorname*{<img src=x onerror=alert(1)>}",
            "\\mathop{<img src=x onerror=alert(1)>}",
        ] {
            let html = to_mathml(tex, false).unwrap();
            assert!(!html.contains("<img"), "{tex}: {html}");
            assert!(html.contains("&lt;img src=x"), "{tex}: {html}");
        }
        let html = to_mathml("\\operatorname{a&b\"c}", false).unwrap();
        assert!(html.contains("<mi>a&amp;b&quot;c</mi>"), "{html}");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let n = 100_000;
        let tex = "{".repeat(n) + "x" + &"}".repeat(n);
        let err = to_mathml(&tex, true).unwrap_err();
        assert!(err.message.contains("100000 levels deep"), "{err:?}");
        let ok = "{".repeat(MAX_DEPTH) + "x" + &"}".repeat(MAX_DEPTH);
        assert!(to_mathml(&ok, true).is_ok());
    }

    #[test]
    fn long_chains_of_commands_do_not_overflow_the_stack() {
        // Each `\sqrt` takes the next one as its argument: one recursion level each.
        for n in [INLINE_LEVELS, 500, 2000] {
            let tex = "\\sqrt".repeat(n) + " x";
            let html = to_mathml(&tex, false).unwrap();
            assert_eq!(html.matches("<msqrt>").count(), n);
        }
        let err = to_mathml(&"\\sqrt".repeat(MAX_COMMANDS + 1), false).unwrap_err();
        assert!(err.message.contains("8193 commands"), "{err:?}");
    }

    #[test]
    fn expansion_is_bounded() {
        // pulldown-latex stops after 64 macro expansions in a formula.
        let tex = "\\def\\a{x}".to_string() + &"\\a".repeat(65);
        let err = to_mathml(&tex, false).unwrap_err();
        assert!(err.message.contains("macro expansion"), "{err:?}");
        // Should that change, the number of parts is capped too.
        let err = render("\\def\\a{xxxx}\\a\\a", "", false, 5).unwrap_err();
        assert!(err.message.contains("more than 5 parts"), "{err:?}");
        assert!(render("\\def\\a{xxxx}\\a\\a", "", false, 8).is_ok());
    }

    #[test]
    fn inputs_that_made_pulldown_latex_panic_are_refused_or_read() {
        // A no-break or ideographic space after a number or a length.
        for tex in [
            "\\char65\u{A0}x",
            "\\kern1em\u{A0}x",
            "x\\mkern3mu\u{3000}y",
            "\\char\"41\u{A0}",
        ] {
            assert!(to_mathml(tex, false).is_ok(), "{tex}");
        }
        // A number that is not one.
        for tex in [
            "\\charé",
            "\\char \u{FFFD}x",
            "\\char99999999999999999999",
            "\\char\"FFFFFFFFFFFFFFFFFFFF",
            "\\begin{alignat}{é}a&b\\end{alignat}",
            "\\begin {alignedat} {99999999999999999999}a\\end{alignedat}",
            "\\def\\c{\\char}\\c é",
        ] {
            let err = to_mathml(tex, false).unwrap_err();
            assert!(err.message.contains("take a number"), "{tex}: {err:?}");
        }
        assert!(
            to_mathml("\\char65 \\charfoo é", false).is_err_and(|e| e.message.contains("unknown"))
        );
        assert!(to_mathml("\\begin{alignat}{2}a&b&c&d\\end{alignat} é", true).is_ok());
    }

    #[test]
    fn renderer_panics_are_caught() {
        // A script at the start of a cell, then more cells than columns.
        let tex = "\\begin{array}{c|l} a & b \\\\ ^x & c \\end{array}";
        let err = to_mathml(tex, true).unwrap_err();
        assert!(err.message.contains("renderer failed"), "{err:?}");
    }
}
