//! Front matter: the YAML block that opens a document, kept with where it lies.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::source::Span;

/// The YAML block between `---` lines at the top of a document (after an
/// optional byte-order mark), as the agents' rule formats write it (Cursor
/// `.mdc`, Claude Code rules, Copilot `.instructions.md`). YAML 1.2, read
/// with serde-saphyr.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatter {
    /// The top-level mapping, keys in the order written; empty for an empty
    /// block. When the YAML is broken, what a lenient reading recovers (plain
    /// values starting with `*`, `@`, `` ` `` or `%` read as strings), else
    /// `None`; also `None` for a block that is not a mapping or never closes.
    pub data: Option<Map<String, Value>>,
    /// 1-based line of the opening `---` (always 1).
    pub line: usize,
    /// 1-based line of the closing `---` (or YAML's `...`), when there is one.
    pub end_line: Option<usize>,
    /// The first problem found, when the block does not read cleanly as a
    /// mapping or never closes.
    pub error: Option<FrontMatterError>,
    /// The YAML text between the delimiter lines (to the end of the text when
    /// unclosed).
    #[serde(skip)]
    pub raw: String,
    /// Byte span of the whole block: the opening `---` (after any byte-order
    /// mark) through the closing line and its line terminator.
    #[serde(skip)]
    pub span: Span,
    /// Byte span of `raw`.
    #[serde(skip)]
    pub yaml_span: Span,
}

impl FrontMatter {
    /// The value of top-level `key`; `None` when it is absent or `data` is.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.data.as_ref()?.get(key)
    }

    /// The value of top-level `key` when it is a YAML string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// Whether a closing `---` or `...` line was found.
    pub fn is_closed(&self) -> bool {
        self.end_line.is_some()
    }
}

/// Why the front matter could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontMatterError {
    /// serde-saphyr's message without its location, or ruledoc's own
    /// (an unclosed block, a block that is not a mapping).
    pub message: String,
    /// 1-based line in the document (not in the YAML block).
    pub line: usize,
    /// 1-based column, counted in characters (Unicode scalar values).
    pub column: usize,
}
