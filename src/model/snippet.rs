//! A fenced code block of a rule document, with its label, marker and place.

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// A fenced code block (CommonMark 0.31.2 §4.5 Fenced code blocks) and what
/// surrounds it. Lines are 1-based.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    /// The first word of the info string (`rust` in ```` ```rust,ignore ````); empty when none.
    pub lang: String,
    /// The other words of the info string, in order, split on commas and
    /// whitespace as rustdoc's documentation describes code block attributes.
    pub attributes: Vec<String>,
    /// The line just above the fence (one blank line may come between) when
    /// it is the last line of a paragraph in the fence's list item or quote
    /// (or of a quote that ends right above the fence) and opens with bold
    /// text, after an optional ✅/❌: bold markers and a trailing `:` or `.`
    /// removed, e.g. `CORRECT NAMING AND USAGE`. A line of code is never one.
    pub label: Option<String>,
    /// Whether the block shows what to do or what to avoid: from the label
    /// outside its code spans, else a ✅/❌-like sign in its first three
    /// non-blank code lines, else a heading right above the fence (outside
    /// its code spans).
    pub marker: Option<Marker>,
    /// Headings of the sections around the snippet, outermost first.
    pub section: Vec<String>,
    /// Line of the opening fence.
    pub line: usize,
    /// Line after the opening fence, where the code starts (even when the
    /// block is empty).
    pub code_line: usize,
    /// Line of the closing fence; for a block that never closes, its last
    /// line: the document's, or that of the list item or block quote that
    /// ends it (CommonMark 0.31.2 §4.5: an unclosed block ends with its
    /// container).
    pub end_line: usize,
    /// The block's content as CommonMark reads it: fences and container
    /// markers left out, up to the opening fence's indentation taken off each
    /// line; each line keeps its newline.
    pub code: String,
    /// Whether a closing fence ends the block, as CommonMark reads it: a line
    /// inside the block's container, indented at most three spaces more than
    /// the container's content, of at least as many fence characters and
    /// nothing else.
    pub closed: bool,
    /// An HTML block `<!-- ruledoc: skip -->` just above the fence (below any
    /// label; one blank line allowed): no checker looks at the block.
    pub skip: bool,
    /// The opening fence's character, length and indentation.
    pub fence: Fence,
    /// The innermost list item or block quote holding the block, if any: a
    /// block that never closes ends with it.
    #[serde(skip)]
    pub container: Option<Container>,
    /// Byte span of the whole block, fences included.
    #[serde(skip)]
    pub span: Span,
    /// The info string (the opening fence's line after the fence), as CommonMark
    /// reads it: trimmed, backslash escapes and entities resolved.
    #[serde(skip)]
    pub info: String,
}

/// How the block is fenced. An indented code block (in
/// `RuleDoc::indented`) has `char` `' '`, `len` 0 and `indent` 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fence {
    /// `` ` `` or `~`.
    pub char: char,
    /// Number of fence characters in the opening fence (3 or more); a closing
    /// fence must be at least as long.
    pub len: usize,
    /// Spaces right before the opening fence on its line (tabs not counted).
    pub indent: usize,
}

/// A container block (CommonMark 0.31.2 §5) that can hold a fenced block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Container {
    /// A list item (§5.2).
    ListItem,
    /// A block quote (§5.1).
    BlockQuote,
}

impl Container {
    /// How a message names it: `list item`, `block quote`.
    pub fn name(self) -> &'static str {
        match self {
            Container::ListItem => "list item",
            Container::BlockQuote => "block quote",
        }
    }
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
    /// Whether `name` is one of [`Snippet::attributes`] (exact, case-sensitive).
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a == name)
    }
}
