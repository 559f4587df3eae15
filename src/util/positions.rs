//! Line and column of byte offsets in one text, for diagnostics and links:
//! the line starts are found once, not for each of a page's thousands of links.

/// Line and column of byte offsets in a text, as `diagnostics::line_col`
/// counts them, without rescanning the text for each of a page's 100,000 links.
pub struct Positions<'a> {
    text: &'a str,
    /// Byte offset where each line starts, made on first use.
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// The last answer (line index, offset, column), to count on from: links
    /// come in order, and a 1 MB line may hold thousands of them.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Positions<'a> {
        Positions {
            text,
            line_starts: std::cell::OnceCell::new(),
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// 1-based line and column (in characters) of `offset`.
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
        let (last_line, last_offset, last_col) = self.last.get();
        let col = if last_line == line && last_offset <= offset && last_offset >= starts[line] {
            last_col + text[last_offset..offset].chars().count()
        } else {
            text[starts[line]..offset].chars().count() + 1
        };
        self.last.set((line, offset, col));
        (line + 1, col)
    }
}
