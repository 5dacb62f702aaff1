//! Findings about documents: plain data with ranges, ordered totally so that
//! parallel runs print the same thing.
//!
//! Positions are [`Range`]s of [`LineCol`](crate::source::LineCol): lines are
//! 1-based, columns are 1-based and count characters (Unicode scalar values),
//! and a range's end is exclusive.

use std::cmp::Ordering;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{Range, SourceFile, Span};

/// How serious a finding is. `Error` makes `check` and `lint` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A defect: the document does not do what it says.
    Error,
    /// Probably a defect, or a risk.
    Warning,
    /// Worth knowing; never fails a run.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// `error`, `warning` (or `warn`), `info`; anything else is `None`.
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

/// How safe a fix is to apply without reading it (ruff's `Applicability`,
/// `ruff_diagnostics/src/fix.rs`). Ordered: `DisplayOnly < Unsafe < Safe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown as a suggestion; never applied.
    DisplayOnly,
    /// Applied by `lint --fix --unsafe-fixes` only: it can change what the
    /// document says (it deletes text, or guesses the author's intent).
    Unsafe,
    /// Applied by `lint --fix`: it repairs the document without changing what
    /// a reader gets beyond the repair.
    Safe,
}

impl Applicability {
    /// `safe`, `unsafe` or `display-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// One replacement of a byte range of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The bytes replaced: byte offsets into the document's full text (front
    /// matter included), end exclusive; empty for an insertion.
    #[serde(skip)]
    pub span: Span,
    /// The same place as 1-based lines and character columns, end exclusive,
    /// exactly (an end just after a newline is the start of the next line).
    #[serde(flatten)]
    pub range: Range,
    /// The new text; empty for a deletion.
    pub replacement: String,
}

/// What a rule proposes to change, all edits applied together. Serialized
/// as `{"message", "applicability", "edits": [{line, column, end_line,
/// end_column, replacement}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in a few words (`remove the backticks`).
    pub message: String,
    /// Whether `--fix` applies it, or only `--fix --unsafe-fixes`, or neither.
    pub applicability: Applicability,
    /// Non-overlapping edits, in document order.
    pub edits: Vec<Edit>,
}

/// A secondary range with a note, shown under the primary one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where it points: 1-based lines and character columns, end exclusive,
    /// in the finding's document.
    #[serde(flatten)]
    pub range: Range,
    /// What it says.
    pub message: String,
}

/// A finding: rule code, severity, document, range, message, and optionally
/// help, labels and a fix.
///
/// `range` is 1-based lines and columns counted in characters, end exclusive.
/// `source`, when set, is the document's text as it was checked, shared with
/// every other finding of that document, for reporters that show the lines.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// The rule's code (`RD201`).
    pub code: &'static str,
    /// The severity, after configuration.
    pub severity: Severity,
    /// The document, as users see its path (relative to the current directory
    /// when inside it).
    pub path: String,
    /// Where: 1-based lines and character columns, end exclusive. Serialized
    /// flat (`line`, `column`, `end_line`, `end_column`).
    #[serde(flatten)]
    pub range: Range,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places that explain the finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    /// A proposed fix.
    pub fix: Option<Fix>,
    /// The document's text as checked (not compared, not serialized).
    #[serde(skip)]
    pub source: Option<Arc<SourceFile>>,
}

/// Findings are equal when their data is; the text they were found in is
/// not compared.
impl PartialEq for Diagnostic {
    fn eq(&self, other: &Self) -> bool {
        (
            self.code,
            self.severity,
            &self.path,
            self.range,
            &self.message,
            &self.help,
            &self.labels,
            &self.fix,
        ) == (
            other.code,
            other.severity,
            &other.path,
            other.range,
            &other.message,
            &other.help,
            &other.labels,
            &other.fix,
        )
    }
}

impl Eq for Diagnostic {}

impl Diagnostic {
    /// A finding at `span`, a byte range of `source`'s text, placed as
    /// [`SourceFile::finding_range`] places it (a span ending just after a
    /// newline ends on that line). No help, labels or fix, and no text
    /// attached.
    pub fn new(
        code: &'static str,
        severity: Severity,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::at(
            code,
            severity,
            &source.display,
            source.finding_range(span),
            message,
        )
    }

    /// A finding known by position only (made after its document was read:
    /// compile errors, findings that compare documents).
    pub fn at(
        code: &'static str,
        severity: Severity,
        path: &str,
        range: Range,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            path: path.to_string(),
            range,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
            source: None,
        }
    }

    /// 1-based line where the finding starts.
    pub fn line(&self) -> usize {
        self.range.start.line
    }

    /// 1-based column (in characters) where the finding starts.
    pub fn column(&self) -> usize {
        self.range.start.column
    }

    /// With `help`: what to do, in one sentence.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// With a label at `span`, a byte range of `source`'s text (placed
    /// exactly, as [`SourceFile::range`] does).
    pub fn with_label(
        mut self,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            range: source.range(span),
            message: message.into(),
        });
        self
    }

    /// With a fix of `applicability`; each edit is `(span, replacement)`, the
    /// span a byte range of `source`'s text. The edits must not overlap, and
    /// are given in document order.
    pub fn with_fix(
        mut self,
        source: &SourceFile,
        message: impl Into<String>,
        applicability: Applicability,
        edits: Vec<(Span, String)>,
    ) -> Self {
        let edits = edits
            .into_iter()
            .map(|(span, replacement)| Edit {
                span,
                range: source.range(span),
                replacement,
            })
            .collect();
        self.fix = Some(Fix {
            message: message.into(),
            applicability,
            edits,
        });
        self
    }

    /// The fix, if `--fix` applies it at `min` (`Safe`: `--fix`; `Unsafe`:
    /// `--fix --unsafe-fixes`). A display-only fix is never applied.
    pub fn applicable_fix(&self, min: Applicability) -> Option<&Fix> {
        self.fix
            .as_ref()
            .filter(|f| f.applicability >= min && f.applicability != Applicability::DisplayOnly)
    }

    /// The order reports use: path, line, column, code, then the message so
    /// that the order is total.
    pub fn order(&self, other: &Self) -> Ordering {
        (
            &self.path,
            self.range.start.line,
            self.range.start.column,
            self.code,
            &self.message,
        )
            .cmp(&(
                &other.path,
                other.range.start.line,
                other.range.start.column,
                other.code,
                &other.message,
            ))
    }
}

/// Sort diagnostics the way every reporter prints them: by path, line,
/// column, code, then message ([`Diagnostic::order`]). Stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(Diagnostic::order);
}

/// `text` as a code span for a finding's message: between single
/// backticks, or, when it holds backticks, between a run one longer than
/// its longest, padded with spaces (CommonMark 0.31, 6.1 "Code spans"), so
/// that `` 4.3 Forgetting `cuda` `` reads as one span.
pub fn code_span(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {text} {fence}")
}

#[cfg(test)]
mod code_span_tests {
    use super::code_span;

    #[test]
    fn a_span_holding_backticks_is_fenced_by_a_longer_run() {
        assert_eq!(code_span("Errors"), "`Errors`");
        assert_eq!(
            code_span("4.3 Forgetting `cuda`"),
            "`` 4.3 Forgetting `cuda` ``"
        );
        assert_eq!(code_span("a ``b``"), "``` a ``b`` ```");
    }
}
