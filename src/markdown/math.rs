//! `$…$` and `$$…$$` → MathML at build time, so readers need no JavaScript.

use pulldown_cmark::Event;
use pulldown_latex::{Parser, RenderConfig, Storage, config::DisplayMode, push_mathml};

use super::{RenderedPage, Source, Spanned};
use crate::diagnostics::Severity;

pub(super) fn render(events: &mut [Spanned], source: &Source, out: &mut RenderedPage) {
    for (event, range) in events.iter_mut() {
        let (tex, display) = match event {
            Event::InlineMath(t) => (t.to_string(), false),
            Event::DisplayMath(t) => (t.to_string(), true),
            _ => continue,
        };
        out.has_math = true;
        match to_mathml(&tex, display) {
            Ok(html) => *event = Event::Html(html.into()),
            Err(message) => {
                out.diagnostics.push(
                    source
                        .diagnostic(
                            Severity::Warning,
                            range.start,
                            format!("cannot render math: {message}"),
                        )
                        .with_help("check the LaTeX; it is shown as written"),
                );
                let escaped = crate::util::html::escape(&tex);
                let html = if display {
                    format!("<pre class=\"math-error\">$${escaped}$$</pre>")
                } else {
                    format!("<code class=\"math-error\">${escaped}$</code>")
                };
                *event = Event::Html(html.into());
            }
        }
    }
}

pub(super) fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        return Err(e
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid LaTeX")
            .to_string());
    }
    // pulldown-latex writes the annotation verbatim: without escaping, `$a<b$`
    // breaks the page and `$</annotation><img onerror=…>$` injects markup.
    let annotation = crate::util::html::escape(tex);
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
    push_mathml(&mut html, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(html)
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
}
