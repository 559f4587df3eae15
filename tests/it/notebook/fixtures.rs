//! Notebooks for the tests, written here as nbformat 4 writes them (sorted
//! keys, one-space indent, sources split into lines): no Python needed.

use serde::Serialize;
use serde_json::{Value, json};

/// A 2×2 PNG, JPEG and GIF (made once with Pillow).
pub const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM8oaHBwMDAxMDAwMDAAAAN6gEcJJUQNAAAAABJRU5ErkJggg==";
pub const GIF: &str = "R0lGODdhAgACAIEAAMgoKAAAAAAAAAAAACwAAAAAAgACAAAIBgABCAQQEAA7";
pub const JPEG: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDLoooriPpj/9k=";
/// An SVG as matplotlib writes one: a style sheet, definitions and `use`.
pub const SVG: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"40pt\" height=\"20pt\" viewBox=\"0 0 40 20\" xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\">\n <defs>\n  <style type=\"text/css\">*{stroke-linejoin: round; stroke-linecap: butt}</style>\n  <path id=\"m1\" d=\"M 0 0 L 10 10\" style=\"stroke: #1f77b4\"/>\n </defs>\n <use xlink:href=\"#m1\" x=\"5\" y=\"5\" style=\"fill: #1f77b4\"/>\n</svg>\n";

/// The notebook's JSON, as nbformat writes it.
pub fn notebook(cells: Vec<Value>) -> String {
    notebook_with(cells, python())
}

/// Kernel metadata of a Python notebook.
pub fn python() -> Value {
    json!({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.7"}
    })
}

pub fn notebook_with(cells: Vec<Value>, metadata: Value) -> String {
    let cells: Vec<Value> = cells
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c["id"] = json!(format!("cell-{i}"));
            c
        })
        .collect();
    let nb = json!({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5});
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        serde_json::ser::PrettyFormatter::with_indent(b" "),
    );
    nb.serialize(&mut ser).expect("serialise");
    String::from_utf8(buf).expect("UTF-8") + "\n"
}

/// A multiline string as nbformat stores it: a list of lines.
pub fn lines(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|l| Value::String(l.into()))
            .collect(),
    )
}

pub fn md(source: &str) -> Value {
    json!({"cell_type": "markdown", "metadata": {}, "source": lines(source)})
}

pub fn md_with_attachment(source: &str, name: &str, mime: &str, data: &str) -> Value {
    let mut cell = md(source);
    cell["attachments"] = json!({ name: { mime: data } });
    cell
}

pub fn code(count: Option<i64>, source: &str, outputs: Vec<Value>) -> Value {
    json!({"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": outputs, "source": lines(source)})
}

/// A raw cell of a format, as JupyterLab marks it (`raw_mimetype`).
pub fn raw(format: &str, source: &str) -> Value {
    json!({"cell_type": "raw", "metadata": {"raw_mimetype": format}, "source": lines(source)})
}

pub fn stream(name: &str, text: &str) -> Value {
    json!({"output_type": "stream", "name": name, "text": lines(text)})
}

pub fn display(data: Value) -> Value {
    json!({"output_type": "display_data", "data": data, "metadata": {}})
}

pub fn result(count: i64, data: Value) -> Value {
    json!({"output_type": "execute_result", "execution_count": count, "data": data, "metadata": {}})
}

pub fn error(ename: &str, evalue: &str, traceback: &[&str]) -> Value {
    json!({"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback})
}

/// Script in an HTML output: kept in trusted mode, removed in safe mode.
pub const HTML_WITH_SCRIPT: &str = "<div class=\"widget\">Rendered <b>HTML</b><script>alert('html output')</script><img src=\"x\" alt=\"\" onerror=\"alert('onerror')\"></div>";

/// One notebook with every kind of cell and output.
pub fn every_output() -> String {
    let long: String = (1..=100).map(|i| format!("step {i}\n")).collect();
    notebook(vec![
        md_with_attachment(
            "# Every output\n\nBack to [the course](index.md#notebooks), a formula $E = mc^2$ and an attached image:\n\n![a red square](attachment:square.png)\n",
            "square.png",
            "image/png",
            PNG,
        ),
        code(
            Some(1),
            "import sys\nprint('hello from stdout')\nprint('\\x1b[31mwarning\\x1b[0m', file=sys.stderr)",
            vec![
                stream("stdout", "hello from stdout\n"),
                stream("stderr", "\u{1b}[31mwarning\u{1b}[0m in red\n"),
            ],
        ),
        md("## Results\n\nPlain text, images and tables."),
        code(
            Some(2),
            "6 * 7",
            vec![result(2, json!({"text/plain": ["42"]}))],
        ),
        code(
            Some(3),
            "plot()",
            vec![display(
                json!({"image/png": PNG, "text/plain": ["<Figure size 2x2 with 1 Axes>"]}),
            )],
        ),
        code(
            Some(4),
            "svg()",
            vec![display(
                json!({"image/svg+xml": lines(SVG), "text/plain": ["<SVG>"]}),
            )],
        ),
        code(
            Some(5),
            "jpeg()",
            vec![display(
                json!({"image/jpeg": JPEG, "text/plain": ["<JPEG>"]}),
            )],
        ),
        code(
            Some(6),
            "gif()",
            vec![display(json!({"image/gif": GIF, "text/plain": ["<GIF>"]}))],
        ),
        code(
            Some(7),
            "df",
            vec![result(
                7,
                json!({
                    "text/html": lines("<table class=\"dataframe\">\n<thead><tr><th>city</th><th>rain</th></tr></thead>\n<tbody><tr><td>Bergen</td><td>2250</td></tr></tbody>\n</table>\n"),
                    "text/plain": ["    city  rain\n", "0  Bergen  2250"]
                }),
            )],
        ),
        code(
            Some(8),
            "Markdown('See [the course](index.md).')",
            vec![display(
                json!({"text/markdown": ["See **the** [course](index.md)."], "text/plain": ["<IPython.core.display.Markdown object>"]}),
            )],
        ),
        code(
            Some(9),
            "sympy.sqrt(x)",
            vec![result(
                9,
                json!({"text/latex": ["$\\displaystyle \\sqrt{x}$"], "text/plain": ["sqrt(x)"]}),
            )],
        ),
        code(
            Some(10),
            "Javascript('alert(1)')",
            vec![display(
                json!({"application/javascript": ["alert('javascript output')"], "text/plain": ["<IPython.core.display.Javascript object>"]}),
            )],
        ),
        code(
            Some(11),
            "IntSlider()",
            vec![display(json!({
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
                "text/plain": ["IntSlider(value=0)"]
            }))],
        ),
        code(
            Some(12),
            "HTML(payload)",
            vec![display(
                json!({"text/html": [HTML_WITH_SCRIPT], "text/plain": ["<IPython.core.display.HTML object>"]}),
            )],
        ),
        code(
            Some(13),
            "1 / 0",
            vec![error(
                "ZeroDivisionError",
                "division by zero",
                &[
                    "\u{1b}[0;31m---------------------------------------------------------------------------\u{1b}[0m",
                    "\u{1b}[0;31mZeroDivisionError\u{1b}[0m                         Traceback (most recent call last)",
                    "Cell \u{1b}[0;32mIn[13], line 1\u{1b}[0m\n\u{1b}[0;32m----> 1\u{1b}[0m \u{1b}[38;5;241m1\u{1b}[39m \u{1b}[38;5;241m/\u{1b}[39m \u{1b}[38;5;241m0\u{1b}[39m\n",
                    "\u{1b}[0;31mZeroDivisionError\u{1b}[0m: division by zero",
                ],
            )],
        ),
        code(
            Some(14),
            "for i in range(100): print('step', i + 1)",
            vec![stream("stdout", &long)],
        ),
        raw("text/html", "<p class=\"raw\">A raw HTML cell.</p>"),
        md(
            "## The end\n\nSee [the results](#results), or [the end as Jupyter links it](#The-end).\n\n```ipython\n%timeit sum(range(10))\n```\n",
        ),
    ])
}

/// Outputs where syllabus chooses differently from nbconvert on purpose.
pub fn choices() -> String {
    notebook(vec![
        md("# Choices\n\nImages before HTML, runs of a stream as one block."),
        code(
            Some(1),
            "chart",
            vec![display(
                json!({"text/html": ["<div>an interactive chart</div>"], "image/png": PNG, "text/plain": ["<Chart>"]}),
            )],
        ),
        code(
            Some(2),
            "for part in ('a', 'b'): print(part)",
            vec![
                stream("stdout", "a\n"),
                stream("stdout", "b\n"),
                stream("stderr", "careful\n"),
            ],
        ),
        code(None, "", vec![]),
        json!({"cell_type": "raw", "metadata": {}, "source": ["a raw cell without a format"]}),
        json!({"cell_type": "raw", "metadata": {"format": "text/markdown"}, "source": ["A *raw* Markdown cell."]}),
        code(
            Some(3),
            "'done'",
            vec![result(3, json!({"text/plain": ["'done'"]}))],
        ),
    ])
}
