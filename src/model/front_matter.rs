use serde::Serialize;
use serde_json::{Map, Value};

use crate::source::Span;

/// The YAML block between `---` lines at the top of a document.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatter {
    /// The mapping, in the order written; `None` when the YAML is broken.
    pub data: Option<Map<String, Value>>,
    /// Line of the opening `---`.
    pub line: usize,
    /// Line of the closing `---`, when there is one.
    pub end_line: Option<usize>,
    pub error: Option<FrontMatterError>,
    /// The YAML text between the delimiters.
    #[serde(skip)]
    pub raw: String,
    /// The whole block, delimiters included.
    #[serde(skip)]
    pub span: Span,
    /// The YAML text only.
    #[serde(skip)]
    pub yaml_span: Span,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.data.as_ref()?.get(key)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    pub fn is_closed(&self) -> bool {
        self.end_line.is_some()
    }
}

/// Why the front matter could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontMatterError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}
