//! Linting a whole rule set: every document in parallel, then the rules that
//! compare documents, then one sorted list.

use crate::diagnostic::{self, Diagnostic};
use crate::discover::Walked;
use crate::error::Error;
use crate::load::{InputProblems, map_documents};
use crate::settings::Settings;
use crate::source::SourceFile;

use super::{DocFacts, Plan, fix_document, lint_document, lint_set};

/// What to do with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report findings only.
    Report,
    /// Apply fixes and write the files atomically.
    Fix,
    /// Compute what fixing would change; write nothing.
    Diff,
}

/// A changed document: its path and its text before and after fixing.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: String,
    pub before: String,
    pub after: String,
}

/// The outcome of a lint run.
#[derive(Debug, Default)]
pub struct LintRun {
    /// Sorted by path, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Every document checked, by display path, in walk order.
    pub documents: Vec<String>,
    /// Fixes applied (`Mode::Fix`).
    pub fixed: usize,
    /// Documents that fixing changes (`Mode::Diff`), in walk order.
    pub changes: Vec<Change>,
    pub problems: InputProblems,
}

struct Outcome {
    diagnostics: Vec<Diagnostic>,
    facts: DocFacts,
    path: String,
    fixed: usize,
    change: Option<Change>,
    write_error: Option<Error>,
}

/// Renders a finding for a reporter while its document's text is at hand.
pub type Prerender<'a> = &'a (dyn Fn(&SourceFile, &Diagnostic) -> String + Sync);

/// Lint every document `walk` yields. With `prerender`, each document's
/// findings are rendered on the worker that checked it.
pub fn lint_all<I>(
    walk: I,
    settings: &Settings,
    plan: &Plan,
    mode: Mode,
    prerender: Option<Prerender>,
) -> LintRun
where
    I: Iterator<Item = Walked> + Send,
{
    let mut run = LintRun::default();
    let mut facts: Vec<DocFacts> = Vec::new();
    let mut write_errors = Vec::new();
    let problems = map_documents(
        walk,
        settings,
        |document, found| {
            let path = document.source.display.clone();
            let render = |source: &SourceFile, mut diagnostics: Vec<Diagnostic>| {
                if let Some(f) = prerender {
                    for d in &mut diagnostics {
                        d.rendered = Some(f(source, d));
                    }
                }
                diagnostics
            };
            if mode == Mode::Report {
                let r = lint_document(&document, found, plan, settings);
                return Outcome {
                    diagnostics: render(&document.source, r.diagnostics),
                    facts: r.facts,
                    path,
                    fixed: 0,
                    change: None,
                    write_error: None,
                };
            }
            let fixed = fix_document(document, found, plan, settings);
            let mut change = None;
            let mut write_error = None;
            if let Some(before) = fixed.original {
                let after = fixed.document.source.text.clone();
                if mode == Mode::Fix {
                    write_error = crate::fsutil::write_atomic(&found.path, after.as_bytes()).err();
                }
                change = Some(Change {
                    path: path.clone(),
                    before,
                    after,
                });
            }
            Outcome {
                diagnostics: render(&fixed.document.source, fixed.diagnostics),
                facts: fixed.facts,
                path,
                fixed: if mode == Mode::Fix { fixed.applied } else { 0 },
                change: change.filter(|_| mode == Mode::Diff),
                write_error,
            }
        },
        |o: Outcome| {
            run.diagnostics.extend(o.diagnostics);
            facts.push(o.facts);
            run.documents.push(o.path);
            run.fixed += o.fixed;
            run.changes.extend(o.change);
            write_errors.extend(o.write_error);
        },
    );
    run.diagnostics.extend(lint_set(&facts, settings));
    diagnostic::sort(&mut run.diagnostics);
    run.problems = problems;
    run.problems.errors.extend(write_errors);
    run
}
