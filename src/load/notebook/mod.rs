//! Jupyter notebooks (`.ipynb`, nbformat 4) read without Python.
//!
//! In: the file's text. Out: a [`Notebook`] whose cells borrow from it.
//! Sources, outputs and attachments stay raw JSON ([`Json`]) until they are
//! rendered, so a 50 MB notebook is parsed without copying its images, and
//! every part keeps its byte offset in the file: problems are reported at the
//! file's line and column, as an editor shows them.

mod json;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

pub use json::{Json, SourceMap};

use crate::diagnostics::{Code, Diagnostic};

/// A notebook, borrowing from its text.
pub struct Notebook<'a> {
    /// The kernel's language (`python`, `r`, `julia`), for highlighting code cells.
    pub language: Option<String>,
    /// `metadata.title`, when the notebook has one.
    pub title: Option<String>,
    pub cells: Vec<Cell<'a>>,
}

/// One cell, as saved.
pub struct Cell<'a> {
    /// `markdown`, `code`, `raw`, or whatever else the file says.
    pub cell_type: Cow<'a, str>,
    /// Where the cell starts in the file.
    pub at: Json<'a>,
    pub source: Json<'a>,
    pub execution_count: Option<i64>,
    pub outputs: Vec<Json<'a>>,
    /// Attachment name → MIME type → data, for `attachment:name` in Markdown cells.
    pub attachments: BTreeMap<String, BTreeMap<String, Json<'a>>>,
    /// A raw cell's MIME type (`text/html`, `text/markdown`), from its metadata.
    pub raw_format: Option<String>,
}

#[derive(Deserialize)]
struct Top<'a> {
    nbformat: Option<u64>,
    #[serde(borrow, default)]
    metadata: Option<&'a RawValue>,
    #[serde(borrow, default)]
    cells: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    title: Option<serde_json::Value>,
    kernelspec: Option<Language>,
    language_info: Option<Language>,
}

#[derive(Deserialize)]
struct Language {
    language: Option<serde_json::Value>,
    name: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawCell<'a> {
    #[serde(borrow)]
    cell_type: Cow<'a, str>,
    #[serde(borrow)]
    source: &'a RawValue,
    #[serde(default)]
    execution_count: Option<i64>,
    #[serde(borrow, default)]
    outputs: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    attachments: Option<BTreeMap<String, BTreeMap<String, &'a RawValue>>>,
    #[serde(default)]
    metadata: Option<CellMetadata>,
}

#[derive(Deserialize)]
struct CellMetadata {
    format: Option<serde_json::Value>,
    raw_mimetype: Option<serde_json::Value>,
}

/// Reads a notebook; the error is positioned in `file`.
pub fn parse<'a>(file: &str, text: &'a str) -> Result<Notebook<'a>, Diagnostic> {
    let whole = Json {
        raw: text,
        offset: 0,
    };
    let error = |code: Code, offset: usize, message: String, help: &str| {
        let (line, col) = crate::diagnostics::line_col(text, offset);
        Diagnostic::error(code, file, message)
            .at(line, col)
            .with_help(help)
    };
    let top: Top = whole.parse().map_err(|(offset, message)| {
        error(
            Code::InvalidNotebook,
            offset,
            format!("invalid notebook: {message}"),
            "a notebook is JSON with `cells`, `metadata` and `nbformat`; open it in Jupyter and save it again",
        )
    })?;
    let version_at = text.rfind("\"nbformat\"").unwrap_or(0);
    match top.nbformat {
        Some(4) => {}
        Some(v @ 0..=3) => {
            return Err(error(
                Code::UnsupportedNotebookFormat,
                version_at,
                format!("notebook format {v} is too old: syllabus reads nbformat 4"),
                "open the notebook in Jupyter and save it (or run `jupyter nbconvert --to notebook --inplace` on it) to upgrade it to nbformat 4",
            ));
        }
        Some(v) => {
            return Err(error(
                Code::UnsupportedNotebookFormat,
                version_at,
                format!("notebook format {v} is not known: syllabus reads nbformat 4"),
                "save the notebook as nbformat 4",
            ));
        }
        None => {
            return Err(error(
                Code::InvalidNotebook,
                0,
                "not a Jupyter notebook: it has no `nbformat`".into(),
                "a notebook is JSON with `cells`, `metadata` and `nbformat`; open it in Jupyter and save it again",
            ));
        }
    }
    let Some(raw_cells) = top.cells else {
        return Err(error(
            Code::InvalidNotebook,
            0,
            "invalid notebook: it has no `cells`".into(),
            "a notebook of nbformat 4 keeps its cells in a `cells` list",
        ));
    };
    let metadata: Metadata = top
        .metadata
        .and_then(|m| whole.child(m).parse().ok())
        .unwrap_or_default();
    let mut cells = Vec::with_capacity(raw_cells.len());
    for raw in raw_cells {
        let at = whole.child(raw);
        let cell: RawCell = at
            .parse()
            .and_then(|cell: RawCell| {
                whole.child(cell.source).check_text("`source`")?;
                Ok(cell)
            })
            .map_err(|(offset, message)| {
                error(
                    Code::InvalidNotebook,
                    offset,
                    format!("invalid notebook cell: {message}"),
                    "every cell has a `cell_type` and a `source`; open the notebook in Jupyter and save it again",
                )
            })?;
        cells.push(cell_of(whole, at, cell));
    }
    let string = |v: Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let language = metadata
        .kernelspec
        .and_then(|k| string(k.language))
        .or_else(|| metadata.language_info.and_then(|l| string(l.name)));
    Ok(Notebook {
        language,
        title: string(metadata.title),
        cells,
    })
}

fn cell_of<'a>(whole: Json<'a>, at: Json<'a>, cell: RawCell<'a>) -> Cell<'a> {
    let attachments = cell
        .attachments
        .unwrap_or_default()
        .into_iter()
        .map(|(name, bundle)| {
            let bundle = bundle
                .into_iter()
                .map(|(mime, data)| (mime, whole.child(data)))
                .collect();
            (name, bundle)
        })
        .collect();
    let raw_format = cell.metadata.and_then(|m| {
        [m.format, m.raw_mimetype]
            .into_iter()
            .flatten()
            .find_map(|v| v.as_str().map(str::to_string))
    });
    Cell {
        cell_type: cell.cell_type,
        at,
        source: whole.child(cell.source),
        execution_count: cell.execution_count,
        outputs: cell.outputs.into_iter().map(|o| whole.child(o)).collect(),
        attachments,
        raw_format,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::positions::Positions;

    fn nb(cells: &str) -> String {
        format!(
            "{{\n \"cells\": [{cells}],\n \"metadata\": {{\"kernelspec\": {{\"language\": \"python\"}}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
        )
    }

    #[test]
    fn reads_cells_language_and_sources() {
        let text = nb(
            r##"{"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "caf\u00e9 \"q\" \ud83c\udf93"]},
  {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}], "source": "print('hi')"}"##,
        );
        let notebook = parse("a.ipynb", &text).unwrap();
        assert_eq!(notebook.language.as_deref(), Some("python"));
        assert_eq!(notebook.cells.len(), 2);
        assert_eq!(notebook.cells[0].source.text(), "# Title\ncafé \"q\" 🎓");
        assert_eq!(notebook.cells[1].execution_count, Some(3));
        assert_eq!(notebook.cells[1].source.text(), "print('hi')");
        let output = notebook.cells[1].outputs[0];
        assert_eq!(&text[output.offset..output.offset + 1], "{");
    }

    #[test]
    fn errors_are_positioned_in_the_file() {
        let bad_json = "{\n \"cells\": [\n  {\"cell_type\": \"code\",}\n ]\n}";
        let d = parse("a.ipynb", bad_json).err().unwrap();
        assert_eq!((d.line, d.column), (3, 24), "{d:?}");
        assert!(d.message.starts_with("invalid notebook: "), "{}", d.message);
        assert!(!d.message.contains("at line"), "{}", d.message);
        let bad_cell = nb("{\"cell_type\": \"code\",\n   \"source\": 7}");
        let d = parse("a.ipynb", &bad_cell).err().unwrap();
        assert_eq!(d.line, 3, "{d:?}");
        assert!(d.message.contains("`source` must be text"), "{}", d.message);
        let bad_item = nb("{\"cell_type\": \"code\", \"source\": [\"a\",\n 5]}");
        let d = parse("a.ipynb", &bad_item).err().unwrap();
        assert_eq!((d.line, d.column), (3, 2), "{d:?}");
        let v3 = "{\"metadata\": {}, \"nbformat\": 3, \"worksheets\": []}";
        let d = parse("a.ipynb", v3).err().unwrap();
        assert!(d.message.contains("format 3 is too old"), "{}", d.message);
        assert_eq!((d.line, d.column), (1, 18));
    }

    #[test]
    fn source_map_finds_columns_after_escapes() {
        let text = nb(
            "{\"cell_type\": \"markdown\", \"metadata\": {},\n  \"source\": [\"a \\\"b\\\" [x](y)\\n\",\n   \"\\u00e9 [z](w)\"]}",
        );
        let notebook = parse("a.ipynb", &text).unwrap();
        let (decoded, map) = notebook.cells[0].source.text_mapped();
        assert_eq!(decoded, "a \"b\" [x](y)\né [z](w)");
        let positions = Positions::new(&text);
        // `[x]` is column 7 of the first line, written after two escaped quotes.
        assert_eq!(positions.at(map.file_offset(1, 7)), (3, 23));
        // `[z]` on the second line follows a 6-character `\u00e9` escape.
        assert_eq!(positions.at(map.file_offset(2, 3)), (4, 12));
        // Asked again, and backwards: the same answers.
        assert_eq!(positions.at(map.file_offset(2, 3)), (4, 12));
        assert_eq!(positions.at(map.file_offset(1, 7)), (3, 23));
    }
}
