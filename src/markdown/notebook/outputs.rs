//! A code cell's saved outputs: streams, results and displays, errors.
//!
//! A result or display is shown as the richest type of [`MIME_ORDER`] it
//! has; images are files of the page ([`super::images`]). HTML goes through
//! the safe-mode sanitiser like raw HTML, and script outputs (JavaScript,
//! widgets) are never run: a note says so.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::images::image_tag;
use super::{Renderer, ansi};
use crate::diagnostics::Code;
use crate::load::notebook::{Cell, Json};
use crate::markdown::{math, sanitize};
use crate::util::html::escape;

/// The types an output is shown as, richest first (docs/notebooks.md).
pub const MIME_ORDER: &[&str] = &[
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "image/gif",
    "text/markdown",
    "text/latex",
    "text/html",
    "text/plain",
];

/// Types that are script: never run, named in a note.
const SCRIPT_TYPES: &[&str] = &[
    "application/javascript",
    "text/javascript",
    "application/vnd.jupyter.widget-view+json",
];

#[derive(Deserialize)]
struct Output<'a> {
    #[serde(borrow)]
    output_type: Cow<'a, str>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<&'a RawValue>,
    #[serde(borrow, default)]
    data: Option<BTreeMap<String, &'a RawValue>>,
    #[serde(borrow, default)]
    metadata: Option<&'a RawValue>,
    #[serde(default)]
    execution_count: Option<i64>,
    #[serde(borrow, default)]
    ename: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    evalue: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    traceback: Option<Vec<Cow<'a, str>>>,
}

/// Consecutive stream outputs of one stream, shown as one block as Jupyter does.
struct Stream {
    name: String,
    text: String,
}

impl Renderer<'_> {
    /// The outputs of code cell number `n`.
    pub(super) fn outputs(&mut self, n: usize, cell: &Cell) {
        if cell.outputs.is_empty() {
            return;
        }
        self.html.push_str("<div class=\"nb-outputs\">\n");
        let mut stream: Option<Stream> = None;
        for (k, json) in cell.outputs.iter().enumerate() {
            let parsed = json.parse().and_then(|o: Output| {
                if let Some(text) = o.text {
                    json.child(text).check_text("`text`")?;
                }
                Ok(o)
            });
            let output: Output = match parsed {
                Ok(o) => o,
                Err((offset, message)) => {
                    self.error(
                        Code::InvalidNotebook,
                        offset,
                        format!("invalid notebook output: {message}"),
                        "open the notebook in Jupyter and save it again, or clear the cell's output",
                    );
                    continue;
                }
            };
            if output.output_type == "stream" {
                let name = match output.name.as_deref() {
                    Some("stderr") => "stderr",
                    _ => "stdout",
                };
                let text = output
                    .text
                    .map(|t| json.child(t).text())
                    .unwrap_or_default();
                match &mut stream {
                    Some(s) if s.name == name => s.text.push_str(&text),
                    _ => {
                        self.flush(stream.take());
                        stream = Some(Stream {
                            name: name.into(),
                            text,
                        });
                    }
                }
                continue;
            }
            self.flush(stream.take());
            match output.output_type.as_ref() {
                "execute_result" | "display_data" => self.display(n, k + 1, json, &output),
                "error" => self.traceback(&output),
                other => {
                    let message = format!("unknown output type `{other}`; the output is left out");
                    self.warn(
                        Code::UnknownNotebookType,
                        json.offset,
                        message,
                        "outputs are `stream`, `display_data`, `execute_result` or `error`",
                    );
                }
            }
        }
        self.flush(stream);
        self.html.push_str("</div>\n");
    }

    fn flush(&mut self, stream: Option<Stream>) {
        // A stream of white space only (a `print(end=" ")`) would be an empty box.
        if let Some(s) = stream.filter(|s| !s.text.trim().is_empty()) {
            let name = s.name;
            self.html.push_str(&format!(
                "<div class=\"nb-output nb-stream nb-{name}\" data-mime-type=\"application/vnd.jupyter.{name}\">{}</div>\n",
                ansi::block(&s.text, "nb-text")
            ));
        }
    }

    fn traceback(&mut self, output: &Output) {
        let text = match &output.traceback {
            Some(lines) if !lines.is_empty() => lines.join("\n"),
            _ => format!(
                "{}: {}",
                output.ename.as_deref().unwrap_or("Error"),
                output.evalue.as_deref().unwrap_or("")
            ),
        };
        self.html.push_str(&format!(
            "<div class=\"nb-output nb-error\" data-mime-type=\"application/vnd.jupyter.stderr\">{}</div>\n",
            ansi::block(&text, "nb-text")
        ));
    }

    /// A result or display: its richest type we can show, and notes.
    fn display(&mut self, n: usize, k: usize, json: &Json, output: &Output) {
        let data: BTreeMap<&str, Json> = output
            .data
            .iter()
            .flatten()
            .map(|(mime, raw)| (mime.as_str(), json.child(raw)))
            .collect();
        let sizes = output
            .metadata
            .and_then(|m| json.child(m).parse_owned::<serde_json::Value>().ok());
        let mut shown = None;
        for mime in MIME_ORDER {
            if let Some(value) = data.get(mime)
                && let Some(html) = self.show(mime, value, &data, sizes.as_ref(), (n, k))
            {
                shown = Some((*mime, html));
                break;
            }
        }
        let prompt = match (output.output_type.as_ref(), output.execution_count) {
            ("execute_result", Some(c)) => format!("<span class=\"nb-prompt\">Out[{c}]:</span>"),
            ("execute_result", None) => "<span class=\"nb-prompt\">Out[ ]:</span>".into(),
            _ => String::new(),
        };
        let notes = notes(&data, shown.is_some());
        let (mime, html) = shown.unwrap_or_default();
        let mime = if mime.is_empty() {
            String::new()
        } else {
            format!(" data-mime-type=\"{mime}\"")
        };
        self.html.push_str(&format!(
            "<div class=\"nb-output nb-result\"{mime}>{prompt}{html}{notes}</div>\n"
        ));
    }

    /// One type of an output as HTML; `None` when it cannot be shown, so that the next type is tried.
    fn show(
        &mut self,
        mime: &str,
        value: &Json,
        data: &BTreeMap<&str, Json>,
        sizes: Option<&serde_json::Value>,
        (n, k): (usize, usize),
    ) -> Option<String> {
        if !value.is_text() {
            return None;
        }
        match mime {
            "text/plain" => Some(ansi::block(&value.text(), "nb-text")),
            "text/html" => Some(self.html_output(&value.text())),
            "text/markdown" => {
                let (text, map) = value.text_mapped();
                let html = self.markdown(&text, Some(&map), value.offset, false);
                Some(format!("<div class=\"nb-markdown\">\n{html}</div>"))
            }
            "text/latex" => self.latex(&value.text(), value.offset),
            image => {
                let url = self.image_file(&format!("output-{n}-{k}"), image, *value)?;
                Some(image_tag(&url, image, data, sizes, n))
            }
        }
    }

    /// HTML of an output or raw cell: sanitised in safe mode, as raw HTML is.
    pub(super) fn html_output(&self, html: &str) -> String {
        let html = if self.ctx.options.unsafe_html {
            html.to_string()
        } else {
            sanitize::clean(html)
        };
        format!("<div class=\"nb-html\">\n{html}\n</div>")
    }

    fn latex(&mut self, tex: &str, offset: usize) -> Option<String> {
        let t = tex.trim();
        let inner = [("$$", "$$"), ("\\[", "\\]"), ("$", "$")]
            .iter()
            .find_map(|(open, close)| {
                t.strip_prefix(open)
                    .and_then(|r| r.strip_suffix(close))
                    .filter(|r| !r.is_empty())
            })
            .unwrap_or(t);
        match math::render_formula(inner, true, !self.ctx.options.unsafe_html) {
            Ok(mathml) => {
                self.out.has_math = true;
                Some(format!("<div class=\"nb-latex\">{mathml}</div>"))
            }
            Err(message) => {
                self.warn(
                    Code::MathNotRendered,
                    offset,
                    format!("cannot render a LaTeX output: {message}"),
                    "it is shown as its next type (HTML or text)",
                );
                None
            }
        }
    }
}

/// Notes under an output: script that is not run, or nothing to show.
fn notes(data: &BTreeMap<&str, Json>, shown: bool) -> String {
    let mut notes = String::new();
    for mime in SCRIPT_TYPES.iter().filter(|m| data.contains_key(*m)) {
        let what = if mime.contains("widget") {
            "an interactive widget, which works only in a running Jupyter"
        } else {
            "JavaScript, which this site does not run"
        };
        notes.push_str(&format!(
            "<p class=\"nb-note\">This output is {what} (<code>{mime}</code>).</p>"
        ));
    }
    if !shown && notes.is_empty() {
        let types: Vec<String> = data
            .keys()
            .map(|m| format!("<code>{}</code>", escape(m)))
            .collect();
        notes.push_str(&format!(
            "<p class=\"nb-note\">This output ({}) cannot be shown here; open the notebook in Jupyter to see it.</p>",
            if types.is_empty() {
                "empty".to_string()
            } else {
                types.join(", ")
            }
        ));
    }
    notes
}
