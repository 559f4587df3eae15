//! JSON values of a notebook kept as their text: parsed on demand, decoded
//! (nbformat's strings and lists of strings, base64 images) without a copy of
//! the whole file, and mapped back to the file's lines and columns.

use std::cell::Cell as Mutable;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A JSON value of the file, not parsed yet, and its byte offset in the file.
#[derive(Debug, Clone, Copy)]
pub struct Json<'a> {
    pub raw: &'a str,
    pub offset: usize,
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

#[cfg(test)]
mod tests {
    use super::*;

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
