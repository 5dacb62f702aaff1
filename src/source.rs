//! A loaded document and the one place byte offsets become lines and columns.

use std::path::PathBuf;

use serde::Serialize;

/// A byte range into a document's full text (front matter included), end
/// exclusive. Ordered by start, then end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte; never before `start`.
    pub end: usize,
}

impl Span {
    /// The bytes from `start` up to, not including, `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span moved `by` bytes on: a span within a slice that starts at
    /// byte `by` made a span within the whole text.
    pub fn shift(self, by: usize) -> Self {
        Span::new(self.start + by, self.end + by)
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span holds no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A position in a document: a 1-based line and a 1-based column counted in
/// characters (Unicode scalar values, not bytes or UTF-16 units). A `\r`
/// right before a `\n` is part of the line terminator, never a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl LineCol {
    /// The position at 1-based `line` and `column`.
    pub fn new(line: usize, column: usize) -> Self {
        LineCol { line, column }
    }
}

/// A range of a document from `start` to `end` (exclusive: `end` is the
/// position just after the last character), as [`LineCol`]s. The one shape
/// for the positions of findings, labels, fixes' edits and facts kept for
/// later findings.
///
/// Serialized flat, as DESIGN.md's JSON gives it: `line`, `column`,
/// `end_line`, `end_column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Range {
    /// The first position.
    pub start: LineCol,
    /// The position just after the last.
    pub end: LineCol,
}

impl Range {
    /// The range from `start` to `end`.
    pub fn new(start: LineCol, end: LineCol) -> Self {
        Range { start, end }
    }

    /// The range from `(line, column)` to `(end_line, end_column)`.
    pub fn from_pairs(
        (line, column): (usize, usize),
        (end_line, end_column): (usize, usize),
    ) -> Self {
        Range::new(
            LineCol::new(line, column),
            LineCol::new(end_line, end_column),
        )
    }
}

/// Range's serialized shape.
#[derive(serde::Deserialize)]
struct FlatRange {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'de> serde::Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = FlatRange::deserialize(d)?;
        Ok(Range::from_pairs(
            (f.line, f.column),
            (f.end_line, f.end_column),
        ))
    }
}

impl Serialize for Range {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Range", 4)?;
        st.serialize_field("line", &self.start.line)?;
        st.serialize_field("column", &self.start.column)?;
        st.serialize_field("end_line", &self.end.line)?;
        st.serialize_field("end_column", &self.end.column)?;
        st.end()
    }
}

/// Start offsets of every line, so offset -> line is a binary search.
///
/// A line ends at `\n`; a `\r` before it belongs to the line terminator and is
/// never counted as a column, so CRLF files report the same positions as LF files.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// The index of `text`'s line starts. Every method that also takes a
    /// `text` expects this same text.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines; a trailing newline does not open a new line.
    pub fn line_count(&self) -> usize {
        match self.starts.last() {
            Some(&last) if last == self.len && self.starts.len() > 1 => self.starts.len() - 1,
            _ => self.starts.len(),
        }
    }

    /// 1-based line containing byte `offset`. Offsets past the end count as
    /// the end, which after a final newline is the line after the last.
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The position of byte `offset` in `text`: clamped to the text and
    /// rounded down to a character boundary.
    ///
    /// # Panics
    ///
    /// May panic when `text` is not the text the index was built from.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts[line - 1];
        // A `\r` is the line's end only right before its `\n`: there it is
        // no column, so CRLF files report the positions LF files do.
        let before = &text[start..offset];
        let before = if text[offset..].starts_with('\n') {
            before.strip_suffix('\r').unwrap_or(before)
        } else {
            before
        };
        let column = before.chars().count() + 1;
        LineCol { line, column }
    }

    /// Byte offset where 1-based `line` starts (line 0 counts as line 1; past
    /// the last line: the text's length).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.len)
    }

    /// Byte span of 1-based `line`, without its `\n` or `\r\n` terminator;
    /// empty at the end of the text past the last line.
    ///
    /// # Panics
    ///
    /// May panic when `text` is not the text the index was built from.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let end = self.starts.get(line).copied().unwrap_or(self.len);
        let line = &text[start..end];
        let content = match line.strip_suffix('\n') {
            Some(c) => c.strip_suffix('\r').unwrap_or(c),
            None => line,
        };
        Span::new(start, start + content.len())
    }
}

/// One document's text, where it came from, and its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found (used to read the file).
    pub path: PathBuf,
    /// The path shown to users: `/`-separated, relative to the current
    /// directory when the file is inside it.
    pub display: String,
    /// The whole text, front matter and any byte-order mark included; every
    /// [`Span`] of the document indexes into it.
    pub text: String,
    /// Where each line of `text` starts.
    pub lines: LineIndex,
}

impl SourceFile {
    /// `text`, read from `path`, with its display path and line index.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let path = path.into();
        let display = crate::paths::display_path(&path);
        let lines = LineIndex::new(&text);
        SourceFile {
            path,
            display,
            text,
            lines,
        }
    }

    /// The position of byte `offset` (clamped to the text, rounded down to
    /// a character boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The exact range of byte range `span`: where an edit starts and ends.
    pub fn range(&self, span: Span) -> Range {
        Range::new(
            self.line_col(span.start),
            self.line_col(span.end.max(span.start)),
        )
    }

    /// The range a finding at `span` is shown with: as [`SourceFile::range`],
    /// except that a span ending just after a newline ends on the line the
    /// newline ends, not at the start of the next one.
    pub fn finding_range(&self, span: Span) -> Range {
        let end = if span.end > span.start && self.text.as_bytes().get(span.end - 1) == Some(&b'\n')
        {
            span.end - 1
        } else {
            span.end
        };
        Range::new(
            self.line_col(span.start),
            self.line_col(end.max(span.start)),
        )
    }

    /// 1-based line containing byte `offset` (see [`LineIndex::line`]).
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// The byte offset of 1-based `line` and character `column`, clamped to the line.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let span = self.lines.line_span(&self.text, line);
        let content = &self.text[span.start..span.end];
        let within = content
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(content.len());
        span.start + within
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\ncd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_count(), 2);
    }

    #[test]
    fn crlf_terminators_are_not_columns() {
        let text = "ab\r\ncd\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 2), LineCol { line: 1, column: 3 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 3 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_span(text, 1), Span::new(0, 2));
    }

    #[test]
    fn ranges_serialize_flat_and_read_back() {
        let r = Range::from_pairs((3, 5), (4, 1));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"line":3,"column":5,"end_line":4,"end_column":1}"#);
        assert_eq!(serde_json::from_str::<Range>(&json).unwrap(), r);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "✅ ok";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, "✅ ".len()).column, 3);
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let text = "é";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 1).column, 1);
    }

    #[test]
    fn file_without_trailing_newline_counts_its_last_line() {
        let idx = LineIndex::new("a\nb");
        assert_eq!(idx.line_count(), 2);
        assert_eq!(LineIndex::new("").line_count(), 1);
    }
}
