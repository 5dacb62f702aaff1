use serde::{Deserialize, Serialize};

use crate::source::Span;

/// A fenced code block and what surrounds it.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    /// The first word of the info string (`rust` in ```` ```rust,ignore ````); empty when none.
    pub lang: String,
    /// The other words of the info string, split on commas and spaces as rustdoc does.
    pub attributes: Vec<String>,
    /// The bold line just above the fence, e.g. `CORRECT NAMING AND USAGE`.
    pub label: Option<String>,
    pub marker: Option<Marker>,
    /// Headings from the top-level section down to the one holding the snippet.
    pub section: Vec<String>,
    /// Line of the opening fence.
    pub line: usize,
    /// Line of the first line of code.
    pub code_line: usize,
    /// Line of the closing fence (the last line of the document when unclosed).
    pub end_line: usize,
    pub code: String,
    /// Whether a closing fence was found.
    pub closed: bool,
    /// `<!-- ruledoc: skip -->` on the line above.
    pub skip: bool,
    pub fence: Fence,
    /// The whole block, fences included.
    #[serde(skip)]
    pub span: Span,
    /// The info string as written.
    #[serde(skip)]
    pub info: String,
}

/// How the block is fenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fence {
    /// `` ` `` or `~`.
    pub char: char,
    pub len: usize,
    /// Spaces before the opening fence.
    pub indent: usize,
}

/// Whether a snippet shows what to do or what to avoid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    /// ✅, CORRECT, GOOD.
    Correct,
    /// ❌, AVOID, BAD, WRONG.
    Avoid,
}

impl Snippet {
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a == name)
    }
}
