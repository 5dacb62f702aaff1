//! What checking a snippet gave, placed in the Markdown: the outcome every
//! report lists, and the problem, if any, that the verdict rules
//! (RD302–RD306) turn into findings. The checker says what is wrong and
//! where; each rule decides how it is reported (code, severity, place, help).

use serde::Serialize;

use crate::source::Range;

/// How a snippet fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its checker accepted it (or, `compile_fail`, rejected it as declared).
    Passed,
    /// Its checker found a problem.
    Failed,
    /// `ignore`, `<!-- ruledoc: skip -->`, or a fence that never closes.
    Skipped,
    /// Its checker is missing (RD306).
    Unchecked,
}

/// One checked snippet, for reports (JUnit has a test case per snippet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnippetOutcome {
    /// The document, as users see its path.
    pub path: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The language checked (`rust` for every block rustdoc would test).
    pub lang: String,
    /// How it fared.
    pub status: Status,
    /// Why it failed or was skipped, in one line.
    pub detail: Option<String>,
    /// The verdict came from the cache (no checker ran for it this time).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
}

/// A snippet's outcome, and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// What reports list.
    pub outcome: SnippetOutcome,
    /// What the verdict rules report; `None` when nothing is wrong.
    pub problem: Option<Problem>,
}

impl Verdict {
    /// A verdict with nothing to report.
    pub fn clean(outcome: SnippetOutcome) -> Self {
        Verdict {
            outcome,
            problem: None,
        }
    }

    /// The opening fence's first three columns: where findings about the
    /// whole snippet are shown.
    pub fn fence_range(&self) -> Range {
        let line = self.outcome.line;
        Range::from_pairs((line, 1), (line, 4))
    }
}

/// What was wrong with a snippet, placed in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A parser or an external checker rejected it (RD303): each finding's
    /// range and message.
    Syntax(Vec<(Range, String)>),
    /// rustc rejected it (RD302).
    Compile(Vec<CompileFinding>),
    /// rustdoc's verdict differs from the declared one (RD304): a
    /// `compile_fail` block that compiles, or fails with other error codes.
    Unexpected(String),
    /// It compiled but misbehaved when run (RD305).
    Run(String),
    /// Its checker could not run (RD306), and why.
    Unavailable(String),
}

/// One compile error, placed in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileFinding {
    /// Where the error is.
    pub range: Range,
    /// rustc's error code (`E0308`), if it has one.
    pub code: Option<String>,
    /// rustc's message.
    pub message: String,
    /// rustc's secondary spans and their labels.
    pub labels: Vec<(Range, String)>,
    /// rustc's `help:` and `note:` lines.
    pub notes: Vec<String>,
}
