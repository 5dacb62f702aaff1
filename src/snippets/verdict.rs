//! What checking a snippet gave, placed in the Markdown: the outcome every
//! report lists, and the problem, if any, that the verdict rules
//! (RD302–RD306) turn into findings. The checker says what is wrong and
//! where; each rule decides how it is reported (code, severity, place, help).
//!
//! Every [`Range`] here is in the Markdown document: 1-based lines, 1-based
//! columns counted in characters (Unicode scalar values), end exclusive.

use serde::Serialize;

use super::Pending;
use super::rust::{self, RustJob, expand::Origin};
use crate::model::Snippet;
use crate::source::{Range, SourceFile, Span};

/// How a snippet fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its checker accepted it (or, `compile_fail`, rejected it as declared,
    /// as rustdoc judges it).
    Passed,
    /// Its checker found a problem.
    Failed,
    /// `ignore`, `<!-- ruledoc: skip -->`, or a fence that never closes.
    Skipped,
    /// Its checker is missing or could not run (RD306): never a pass.
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

    /// The opening fence's first three characters (columns 1 to 4, end
    /// exclusive, on [`SnippetOutcome::line`]): where findings about the whole
    /// snippet are shown.
    pub fn fence_range(&self) -> Range {
        let line = self.outcome.line;
        Range::from_pairs((line, 1), (line, 4))
    }
}

/// What was wrong with a snippet, placed in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A parser or an external checker rejected it (RD303): its findings,
    /// in the checker's order.
    Syntax(Vec<SyntaxFinding>),
    /// rustc rejected it (RD302): its errors, in the order rustc gave them.
    Compile(Vec<CompileFinding>),
    /// rustdoc's verdict differs from the declared one (RD304): a
    /// `compile_fail` block that compiles, or fails with other error codes.
    Unexpected(String),
    /// It compiled but misbehaved when run (RD305): it failed, timed out,
    /// or did not panic though marked `should_panic`. The sentence says which.
    Run(String),
    /// Its checker could not run (RD306), and why.
    Unavailable(String),
}

/// One error a parser or an external checker found, placed in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxFinding {
    /// Where it is.
    pub range: Range,
    /// What the checker said, prefixed with the language (`python snippet
    /// does not parse: …`).
    pub message: String,
    /// What to do about it, when known: the right label for the block, or
    /// what was tried before the error was reported.
    pub help: Option<String>,
}

/// One compile error, placed in the Markdown: rustc's positions in the
/// expanded snippet mapped back through hidden lines, the `fn main` wrapper
/// and the fence's indentation. A position in code ruledoc generated maps to
/// the opening fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileFinding {
    /// Where the error is: rustc's primary span, or the macro call it came
    /// from.
    pub range: Range,
    /// rustc's error code (`E0308`), if it has one.
    pub code: Option<String>,
    /// rustc's message.
    pub message: String,
    /// rustc's secondary spans in the same snippet, each with its label.
    pub labels: Vec<(Range, String)>,
    /// The primary span's label, then rustc's child diagnostics: `help`
    /// lines bare, the others prefixed with their level (`note: …`).
    pub notes: Vec<String>,
}

/// What is wrong with one Rust snippet, as rustdoc would judge it: a
/// `compile_fail` block must fail (with one of its declared error codes, if
/// it declares any); any other block must compile.
pub(super) fn rust_problem(p: &Pending, job: &RustJob, result: &rust::Compiled) -> Option<Problem> {
    let attrs = &job.attrs;
    if attrs.compile_fail {
        if result.errors.is_empty() {
            return Some(Problem::Unexpected(
                "the snippet is marked compile_fail but compiles".to_string(),
            ));
        }
        let found: Vec<String> = result
            .errors
            .iter()
            .filter_map(|e| e.code.clone())
            .collect();
        // rustdoc requires every declared code ("Some expected error codes
        // were not found").
        let missing: Vec<&str> = attrs
            .error_codes
            .iter()
            .filter(|c| !found.contains(c))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let found_text = if found.is_empty() {
                "errors without a code".to_string()
            } else {
                found.join(", ")
            };
            return Some(Problem::Unexpected(format!(
                "the snippet fails with {found_text}, without the declared {}",
                missing.join(", ")
            )));
        }
        return None;
    }
    if result.errors.is_empty() {
        return None;
    }
    let mut findings: Vec<CompileFinding> = result
        .errors
        .iter()
        .map(|e| compile_finding(p, job, e))
        .collect();
    if p.avoid
        && let Some(first) = findings.first_mut()
    {
        first.notes.push(
            "the block is marked as one to avoid: if it is meant not to compile, add \
             `compile_fail` to its info string (```` ```rust,compile_fail ````) and rustdoc \
             checks that it fails"
                .to_string(),
        );
    }
    Some(Problem::Compile(findings))
}

/// A compile error at its Markdown position: lines of the expanded snippet
/// mapped back through hidden lines and the `fn main` wrapper.
fn compile_finding(p: &Pending, job: &RustJob, e: &rust::CompileError) -> CompileFinding {
    // Line 0: the error points nowhere in the snippet (a missing
    // `#[panic_handler]`), like code ruledoc generated: at the fence.
    let map = |line: usize, column: usize| match job.expanded.origin(line) {
        Origin::Markdown { line, shift } => (line, column + shift + p.prefix(line)),
        Origin::Generated => (p.fence_line, 1),
    };
    let start = map(e.at.start.line, e.at.start.column);
    let mut end = map(e.at.end.line, e.at.end.column);
    if end < start {
        end = (start.0, start.1 + 1);
    }
    let labels = e
        .labels
        .iter()
        .map(|(pos, text)| {
            let range = Range::from_pairs(
                map(pos.start.line, pos.start.column),
                map(pos.end.line, pos.end.column),
            );
            (range, text.clone())
        })
        .collect();
    CompileFinding {
        range: Range::from_pairs(start, end),
        code: e.code.clone(),
        message: e.message.clone(),
        labels,
        notes: e.notes.clone(),
    }
}

/// How many characters come before a code line in its Markdown line: the
/// fence's indentation, and a container's markers (`> `, a list item's
/// indentation). Read from the Markdown line, which ends with the code
/// line's text; `fallback` (the fence's indentation) when it does not (a
/// tab CommonMark expanded).
pub(super) fn line_prefix(
    source: &SourceFile,
    md_line: usize,
    code: &str,
    fallback: usize,
) -> usize {
    let span = source.lines.line_span(&source.text, md_line);
    let text = source.text.get(span.start..span.end).unwrap_or("");
    match text.strip_suffix(code) {
        Some(before) => before.chars().count(),
        None => fallback,
    }
}

/// How many characters come before each code line of `s` in the Markdown
/// ([`line_prefix`]), in order.
pub(super) fn code_prefixes(source: &SourceFile, s: &Snippet) -> Vec<usize> {
    s.code
        .lines()
        .enumerate()
        .map(|(i, code)| line_prefix(source, s.code_line + i, code, s.fence.indent))
        .collect()
}

/// The range of a parser's error at 0-based `line` and 1-based `column` of
/// a snippet's code: from there to the end of that Markdown line (the code's
/// last line at most).
pub(super) fn code_range(source: &SourceFile, s: &Snippet, line: usize, column: usize) -> Range {
    let md_line = (s.code_line + line).min(s.end_line.saturating_sub(1).max(s.code_line));
    let prefix = s
        .code
        .lines()
        .nth(md_line - s.code_line)
        .map_or(s.fence.indent, |code| {
            line_prefix(source, md_line, code, s.fence.indent)
        });
    let start = source.offset_of(md_line, column + prefix);
    let end = source.lines.line_span(&source.text, md_line).end.max(start);
    source.finding_range(Span::new(start, end))
}
