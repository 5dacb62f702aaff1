//! A section of a rule document: a heading and what lies under it.

use serde::Serialize;

use crate::source::Span;

/// A heading and everything under it up to the next heading of the same or a
/// higher level.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Heading level, 2–6 (1 only for an H1 after the title): the number of
    /// `#`s, or 1 and 2 for `=` and `-` setext underlines.
    pub level: u8,
    /// The heading's text, inline markup removed (code spans keep their text), trimmed.
    pub heading: String,
    /// GitHub's anchor for the heading, unique within the document.
    pub anchor: String,
    /// 1-based line where the heading starts.
    pub line: usize,
    /// The sections one level or more below, up to the next heading of this
    /// level or higher, in document order.
    pub children: Vec<Section>,
    /// Byte span of the heading (both lines of a setext heading).
    #[serde(skip)]
    pub span: Span,
    /// Byte span from the end of the heading to the start of the next heading
    /// of the same or a higher level, or to the end of the text.
    #[serde(skip)]
    pub body_span: Span,
}

impl Section {
    /// This section and every section below it, depth first (pre-order), so
    /// in document order.
    pub fn walk(&self) -> Vec<&Section> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(s) = stack.pop() {
            out.push(s);
            stack.extend(s.children.iter().rev());
        }
        out
    }
}
