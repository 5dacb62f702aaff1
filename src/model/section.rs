use serde::Serialize;

use crate::source::Span;

/// A heading and everything under it up to the next heading of the same or a
/// higher level.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub level: u8,
    /// The heading's text, inline markup removed.
    pub heading: String,
    /// GitHub's anchor for the heading, unique within the document.
    pub anchor: String,
    pub line: usize,
    pub children: Vec<Section>,
    /// The heading line.
    #[serde(skip)]
    pub span: Span,
    /// From the end of the heading to the end of the section.
    #[serde(skip)]
    pub body_span: Span,
}

impl Section {
    /// This section and all below it, depth first, in document order.
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
