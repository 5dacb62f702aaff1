//! Findings about documents: plain data with spans, ordered totally so that
//! parallel runs print the same thing.

use std::cmp::Ordering;

use serde::Serialize;

use crate::source::{SourceFile, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One replacement of a byte range of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    #[serde(skip)]
    pub span: Span,
    pub replacement: String,
    pub line: usize,
    pub end_line: usize,
}

/// What a rule proposes to change, all edits applied together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
}

/// A secondary span with a note, shown under the primary one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    #[serde(skip)]
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    pub fix: Option<Fix>,
    #[serde(skip)]
    pub span: Span,
    /// The finding as a reporter shows it, made while the document's text was
    /// at hand (the documents are dropped as soon as they are checked).
    #[serde(skip)]
    pub rendered: Option<String>,
}

impl Diagnostic {
    /// A finding at `span` of `source`; lines and columns come from its line index.
    pub fn new(
        code: &'static str,
        severity: Severity,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let start = source.line_col(span.start);
        // An end offset just after a newline belongs to the line it ends.
        let end_offset =
            if span.end > span.start && source.text.as_bytes().get(span.end - 1) == Some(&b'\n') {
                span.end - 1
            } else {
                span.end
            };
        let end = source.line_col(end_offset.max(span.start));
        Diagnostic {
            code,
            severity,
            path: source.display.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
            span,
            rendered: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(
        mut self,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let start = source.line_col(span.start);
        let end = source.line_col(span.end.max(span.start));
        self.labels.push(Label {
            span,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            message: message.into(),
        });
        self
    }

    /// A finding known by position only (made after its document was dropped).
    pub fn at(
        code: &'static str,
        severity: Severity,
        path: &str,
        (line, column): (usize, usize),
        (end_line, end_column): (usize, usize),
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            path: path.to_string(),
            line,
            column,
            end_line,
            end_column,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
            span: Span::default(),
            rendered: None,
        }
    }

    /// Attach a fix; each edit is `(span, replacement)`.
    pub fn with_fix(
        mut self,
        source: &SourceFile,
        message: impl Into<String>,
        edits: Vec<(Span, String)>,
    ) -> Self {
        let edits = edits
            .into_iter()
            .map(|(span, replacement)| Edit {
                span,
                replacement,
                line: source.line(span.start),
                end_line: source.line(span.end.saturating_sub(1).max(span.start)),
            })
            .collect();
        self.fix = Some(Fix {
            message: message.into(),
            edits,
        });
        self
    }

    /// The order reports use: path, line, column, code, then the rest so that
    /// the order is total.
    pub fn order(&self, other: &Self) -> Ordering {
        (&self.path, self.line, self.column, self.code, &self.message).cmp(&(
            &other.path,
            other.line,
            other.column,
            other.code,
            &other.message,
        ))
    }
}

/// Sort diagnostics the way every reporter prints them.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(Diagnostic::order);
}
