//! Jupyter notebooks (`.ipynb`, nbformat 4) read without Python.
//!
//! In: the file's text. Out: a [`Notebook`] whose cells borrow from it.
//! Sources, outputs and attachments stay raw JSON ([`Json`]) until they are
//! rendered, so a 50 MB notebook is parsed without copying its images, and
//! every part keeps its byte offset in the file: problems are reported at the
//! file's line and column, as an editor shows them.

use std::borrow::Cow;
use std::cell::{Cell as Mutable, OnceCell};
use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::diagnostics::Diagnostic;

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

/// A JSON value of the file, not parsed yet, and its byte offset in the file.
#[derive(Debug, Clone, Copy)]
pub struct Json<'a> {
    pub raw: &'a str,
    pub offset: usize,
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
    let error = |offset: usize, message: String, help: &str| {
        let (line, col) = crate::diagnostics::line_col(text, offset);
        Diagnostic::error(file, message)
            .at(line, col)
            .with_help(help)
    };
    let top: Top = whole.parse().map_err(|(offset, message)| {
        error(
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
                version_at,
                format!("notebook format {v} is too old: syllabus reads nbformat 4"),
                "open the notebook in Jupyter and save it (or run `jupyter nbconvert --to notebook --inplace` on it) to upgrade it to nbformat 4",
            ));
        }
        Some(v) => {
            return Err(error(
                version_at,
                format!("notebook format {v} is not known: syllabus reads nbformat 4"),
                "save the notebook as nbformat 4",
            ));
        }
        None => {
            return Err(error(
                0,
                "not a Jupyter notebook: it has no `nbformat`".into(),
                "a notebook is JSON with `cells`, `metadata` and `nbformat`; open it in Jupyter and save it again",
            ));
        }
    }
    let Some(raw_cells) = top.cells else {
        return Err(error(
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

impl<'a> Json<'a> {
    /// A value inside this one (borrowed from the same text), with its offset.
    pub fn child(&self, part: &'a RawValue) -> Json<'a> {
        let raw = part.get();
        let offset = (raw.as_ptr() as usize)
            .saturating_sub(self.raw.as_ptr() as usize)
            .min(self.raw.len());
        Json {
            raw,
            offset: self.offset + offset,
        }
    }

    /// Parses the value; the error is (file offset, message without position).
    pub fn parse<T: Deserialize<'a>>(&self) -> Result<T, (usize, String)> {
        serde_json::from_str(self.raw).map_err(|e| self.error(&e))
    }

    /// Parses the value into an owned type.
    pub fn parse_owned<T: DeserializeOwned>(&self) -> Result<T, (usize, String)> {
        serde_json::from_str(self.raw).map_err(|e| self.error(&e))
    }

    fn error(&self, e: &serde_json::Error) -> (usize, String) {
        let line_start = match e.line() {
            0 | 1 => 0,
            n => self
                .raw
                .match_indices('\n')
                .nth(n - 2)
                .map_or(self.raw.len(), |(i, _)| i + 1),
        };
        let offset = (line_start + e.column().saturating_sub(1)).min(self.raw.len());
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        (self.offset + offset, message)
    }

    /// Whether the value is a JSON string or a list (nbformat's "multiline string").
    pub fn is_text(&self) -> bool {
        self.raw.starts_with('"') || self.raw.starts_with('[')
    }

    /// Checks that the value is a string or a list of strings; the error
    /// names the value `what`, at the first thing that is not a string.
    pub fn check_text(&self, what: &str) -> Result<(), (usize, String)> {
        let bad = |at: usize| {
            (
                at,
                format!("{what} must be text (a string or a list of strings)"),
            )
        };
        if self.raw.starts_with('"') {
            return Ok(());
        }
        let items: Vec<&RawValue> = self.parse().map_err(|_| bad(self.offset))?;
        match items.iter().find(|item| !item.get().starts_with('"')) {
            Some(item) => Err(bad(self.child(item).offset)),
            None => Ok(()),
        }
    }

    /// The text of a string or list of strings (nbformat's "multiline string").
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.raw.len());
        out.extend(JsonChars::new(self.raw).map(|(_, c)| c));
        out
    }

    /// [`Json::text`], with a map from positions in the text back to the file.
    pub fn text_mapped(&self) -> (String, SourceMap<'a>) {
        let mut out = String::with_capacity(self.raw.len());
        let mut line_starts = Vec::new();
        let mut at_line_start = true;
        for (offset, c) in JsonChars::new(self.raw) {
            if at_line_start {
                line_starts.push(offset);
            }
            at_line_start = c == '\n';
            out.push(c);
        }
        if at_line_start {
            line_starts.push(self.raw.len());
        }
        let map = SourceMap {
            json: *self,
            line_starts,
            last: Mutable::new(None),
        };
        (out, map)
    }

    /// The bytes of base64 text (white space and line breaks ignored); `None` when it is not base64.
    pub fn base64(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        // nbformat writes an image as one string whose only escapes are line
        // breaks: that takes a few whole-string operations; the rest goes
        // through the JSON decoder, character by character.
        let simple = self
            .raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .map(|inner| inner.replace("\\n", ""))
            .filter(|inner| !inner.contains('\\'));
        let engine = &base64::engine::general_purpose::STANDARD;
        if let Some(bytes) = simple.and_then(|inner| engine.decode(inner).ok()) {
            return Some(bytes);
        }
        let text: Vec<u8> = JsonChars::new(self.raw)
            .map(|(_, c)| c)
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii() { c as u8 } else { b'!' })
            .collect();
        engine.decode(text).ok()
    }
}

/// Where each line of a text decoded from JSON strings starts in the file.
pub struct SourceMap<'a> {
    json: Json<'a>,
    /// Offset in `json.raw` of the first character of each line of the text.
    line_starts: Vec<usize>,
    /// The last answer (line, column, decoder), to count on from: positions
    /// come in order, and one line may hold thousands of links.
    last: Mutable<Option<(usize, usize, JsonChars<'a>)>>,
}

impl SourceMap<'_> {
    /// Byte offset in the file of the character at 1-based `line` and `column` of the text.
    pub fn file_offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.json.offset + self.json.raw.len();
        };
        let column = column.max(1);
        let (mut col, mut chars) = match self.last.take() {
            Some((l, c, chars)) if l == line && c <= column => (c, chars),
            _ => (1, JsonChars::resume(self.json.raw, start)),
        };
        let mut offset = chars.peek_offset();
        while col < column {
            if chars.next().is_none() {
                break;
            }
            col += 1;
            offset = chars.peek_offset();
        }
        self.last.set(Some((line, col, chars)));
        self.json.offset + offset
    }
}

/// The characters of a JSON string, or of a list of strings one after the
/// other, with the offset in the JSON where each starts. The JSON was checked
/// by the parser; anything else in a list is skipped, and a bad escape reads
/// as U+FFFD, so no input can make it fail.
#[derive(Clone, Copy)]
struct JsonChars<'a> {
    raw: &'a str,
    pos: usize,
    in_string: bool,
}

impl<'a> JsonChars<'a> {
    fn new(raw: &'a str) -> JsonChars<'a> {
        JsonChars {
            raw,
            pos: 0,
            in_string: false,
        }
    }

    /// Decoding from `pos`, inside a string.
    fn resume(raw: &'a str, pos: usize) -> JsonChars<'a> {
        JsonChars {
            raw,
            pos: pos.min(raw.len()),
            in_string: true,
        }
    }

    /// The offset of the next character (or of the end).
    fn peek_offset(&self) -> usize {
        let mut copy = *self;
        copy.next().map_or(self.raw.len(), |(o, _)| o)
    }

    fn escape(&mut self) -> char {
        let rest = &self.raw[self.pos + 1..];
        let Some(e) = rest.chars().next() else {
            self.pos = self.raw.len();
            return '\u{fffd}';
        };
        self.pos += 1 + e.len_utf8();
        match e {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => self.unicode(),
            other => other,
        }
    }

    /// The character of `\uXXXX` (and of a following low surrogate).
    fn unicode(&mut self) -> char {
        let hex = |s: &str| s.get(..4).and_then(|h| u32::from_str_radix(h, 16).ok());
        let Some(first) = hex(&self.raw[self.pos..]) else {
            return '\u{fffd}';
        };
        self.pos += 4;
        if (0xD800..0xDC00).contains(&first) {
            let rest = &self.raw[self.pos..];
            if let Some(second) = rest.strip_prefix("\\u").and_then(hex)
                && (0xDC00..0xE000).contains(&second)
            {
                self.pos += 6;
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return char::from_u32(c).unwrap_or('\u{fffd}');
            }
        }
        char::from_u32(first).unwrap_or('\u{fffd}')
    }
}

impl Iterator for JsonChars<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        loop {
            if !self.in_string {
                let quote = self.raw[self.pos..].find('"')?;
                self.pos += quote + 1;
                self.in_string = true;
                continue;
            }
            let start = self.pos;
            let c = self.raw[start..].chars().next()?;
            match c {
                '"' => {
                    self.pos += 1;
                    self.in_string = false;
                }
                '\\' => return Some((start, self.escape())),
                c => {
                    self.pos += c.len_utf8();
                    return Some((start, c));
                }
            }
        }
    }
}

/// 1-based line and column (in characters) of byte offsets of one text, made
/// once per notebook rather than rescanning 50 MB for each problem.
pub struct FilePositions<'a> {
    text: &'a str,
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> FilePositions<'a> {
    pub fn new(text: &'a str) -> FilePositions<'a> {
        FilePositions {
            text,
            line_starts: OnceCell::new(),
        }
    }

    pub fn at(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset) - 1;
        (line + 1, text[starts[line]..offset].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let positions = FilePositions::new(&text);
        // `[x]` is column 7 of the first line, written after two escaped quotes.
        assert_eq!(positions.at(map.file_offset(1, 7)), (3, 23));
        // `[z]` on the second line follows a 6-character `\u00e9` escape.
        assert_eq!(positions.at(map.file_offset(2, 3)), (4, 12));
        // Asked again, and backwards: the same answers.
        assert_eq!(positions.at(map.file_offset(2, 3)), (4, 12));
        assert_eq!(positions.at(map.file_offset(1, 7)), (3, 23));
    }

    #[test]
    fn base64_ignores_line_breaks() {
        let json = Json {
            raw: "\"aGVs\\nbG8=\\n\"",
            offset: 0,
        };
        assert_eq!(json.base64().as_deref(), Some(&b"hello"[..]));
        let bad = Json {
            raw: "\"<svg>\"",
            offset: 0,
        };
        assert_eq!(bad.base64(), None);
        let lines = Json {
            raw: "[\"aGVs\\n\", \"bG8=\"]",
            offset: 0,
        };
        assert_eq!(lines.base64().as_deref(), Some(&b"hello"[..]));
        let escaped = Json {
            raw: "\"aGVs\\u0062G8=\"",
            offset: 0,
        };
        assert_eq!(escaped.base64().as_deref(), Some(&b"hello"[..]));
    }
}
