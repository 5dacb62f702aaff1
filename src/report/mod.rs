//! One reporter per output format. Reporters write to any `io::Write`; the
//! diagnostics arrive sorted (path, line, column, code), and every position
//! is 1-based lines and 1-based columns counted in characters (Unicode
//! scalar values), end exclusive.

mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::snippets::{SnippetOutcome, Status};

/// `n` and `word`, in the plural unless `n` is 1 (`1 document`,
/// `2 documents`): every count ruledoc prints.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub use human::{HumanOptions, render_finding};

/// The output formats of `lint` and `check` (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Each finding with its source lines underlined, as rustc shows them.
    Human,
    /// One object: `{"diagnostics": [...], "summary": {...}}`, with
    /// `"snippets": [...]` when snippets were checked.
    Json,
    /// One SARIF 2.1.0 log, the rules' help included.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::message`), one a
    /// line, which the runner turns into annotations.
    Github,
    /// JUnit XML: a test case per document, and one per snippet.
    Junit,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Documents checked.
    pub documents: usize,
    /// Distinct paths with at least one finding.
    pub documents_with_findings: usize,
    /// Findings at error severity (they make the exit code 1).
    pub errors: usize,
    /// Findings at warning severity.
    pub warnings: usize,
    /// Findings at info severity (shown as notes).
    pub infos: usize,
    /// Findings the fix flags given can fix (`--fix` alone: safe fixes).
    pub fixable: usize,
    /// Findings only `--fix --unsafe-fixes` can fix, when it was not given.
    pub unsafe_fixable: usize,
    /// Whether `fixable` counts unsafe fixes (`--unsafe-fixes` was given).
    #[serde(skip)]
    pub unsafe_fixes: bool,
    /// Fixes applied by `--fix`.
    pub fixed: usize,
    /// How the snippets fared; `None` (and left out of JSON) when snippets
    /// were not verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippets: Option<SnippetCounts>,
}

/// How the checked snippets fared: one count per [`Status`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SnippetCounts {
    /// Accepted by their checker.
    pub passed: usize,
    /// Rejected by their checker, or misbehaved when run.
    pub failed: usize,
    /// `ignore`d, `<!-- ruledoc: skip -->`, or in a fence that never closes.
    pub skipped: usize,
    /// Their checker is missing or could not run.
    pub unchecked: usize,
    /// Verdicts, of any status, that came from the cache.
    pub cached: usize,
}

impl Summary {
    /// Counts over `diagnostics` (sorted by path: findings of one document
    /// must be adjacent), of `documents` documents, after `fixed` fixes were
    /// applied; `applicability` is the least safe fix the run's flags apply.
    /// Snippets are counted separately ([`Summary::set_snippets`]).
    pub fn new(
        diagnostics: &[Diagnostic],
        documents: usize,
        fixed: usize,
        applicability: Applicability,
    ) -> Self {
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        let mut paths: Vec<&str> = diagnostics.iter().map(|d| d.path.as_str()).collect();
        paths.dedup();
        Summary {
            documents,
            documents_with_findings: paths.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            fixable: diagnostics
                .iter()
                .filter(|d| d.applicable_fix(applicability).is_some())
                .count(),
            unsafe_fixable: diagnostics
                .iter()
                .filter(|d| {
                    d.applicable_fix(applicability).is_none()
                        && d.applicable_fix(Applicability::Unsafe).is_some()
                })
                .count(),
            unsafe_fixes: applicability <= Applicability::Unsafe,
            fixed,
            snippets: None,
        }
    }

    /// Count the snippets' outcomes (every outcome counts once by status,
    /// and once more in `cached` when it came from the cache).
    pub fn set_snippets(&mut self, outcomes: &[SnippetOutcome]) {
        let count = |s| outcomes.iter().filter(|o| o.status == s).count();
        self.snippets = Some(SnippetCounts {
            passed: count(Status::Passed),
            failed: count(Status::Failed),
            skipped: count(Status::Skipped),
            unchecked: count(Status::Unchecked),
            cached: outcomes.iter().filter(|o| o.cached).count(),
        });
    }

    /// One line for people: `3 errors, 1 warning in 2 of 8 documents`, then
    /// the snippets, the fixes applied and what the fix flags could fix.
    pub fn line(&self) -> String {
        let mut line = if self.errors + self.warnings + self.infos == 0 {
            format!(
                "checked {}: no problems",
                plural(self.documents, "document")
            )
        } else {
            let mut parts = vec![
                plural(self.errors, "error"),
                plural(self.warnings, "warning"),
            ];
            if self.infos > 0 {
                parts.push(plural(self.infos, "note"));
            }
            format!(
                "{} in {} of {}",
                parts.join(", "),
                self.documents_with_findings,
                plural(self.documents, "document")
            )
        };
        if let Some(s) = &self.snippets {
            let total = s.passed + s.failed + s.skipped + s.unchecked;
            let mut parts = vec![format!("{} passed", s.passed)];
            for (n, what) in [
                (s.failed, "failed"),
                (s.skipped, "skipped"),
                (s.unchecked, "unchecked"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            line.push_str(&format!(
                "; {}: {}",
                plural(total, "snippet"),
                parts.join(", ")
            ));
            if s.cached > 0 {
                line.push_str(&format!(" ({} from the cache)", s.cached));
            }
        }
        if self.fixed > 0 {
            line.push_str(&format!("; fixed {}", plural(self.fixed, "finding")));
        }
        let flags = if self.unsafe_fixes {
            "--fix --unsafe-fixes"
        } else {
            "--fix"
        };
        match (self.fixable, self.unsafe_fixable) {
            (0, 0) => {}
            (n, 0) => line.push_str(&format!("; {n} fixable with {flags}")),
            (0, u) => line.push_str(&format!("; {u} fixable with --fix --unsafe-fixes")),
            (n, u) => line.push_str(&format!(
                "; {n} fixable with {flags} ({u} more with --fix --unsafe-fixes)"
            )),
        }
        line
    }
}

/// Everything a reporter needs.
#[derive(Debug)]
pub struct Report<'a> {
    /// The findings, sorted by path, line, column and code.
    pub diagnostics: &'a [Diagnostic],
    /// Every document checked, by display path, in order (JUnit lists them all).
    pub documents: &'a [String],
    /// Every snippet checked, when snippets were verified (JUnit lists them too).
    pub snippets: Option<&'a [SnippetOutcome]>,
    /// The counts (JSON prints them; the others leave the summary line to
    /// the caller).
    pub summary: &'a Summary,
}

/// Write `report` in `format` to `out`; `human` is read only by
/// [`Format::Human`].
///
/// # Errors
///
/// When writing to `out` fails; the `io::Error` is passed on as it is, so
/// that a closed pipe can be told apart.
pub fn write(
    format: Format,
    report: &Report,
    human: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, human, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Junit => junit::write(report, out),
    }
}
