//! Checking a whole rule set: every document in parallel (lint rules, and
//! in-process snippet checks), then what compares documents or waits for all
//! of them (cross-document rules, Rust and external snippet checks), then one
//! sorted list.

use std::collections::HashMap;

use crate::diagnostic::{self, Diagnostic};
use crate::discover::Walked;
use crate::error::Error;
use crate::load::{Document, InputProblems, map_documents};
use crate::settings::Settings;
use crate::snippets::{DocSnippets, Pending, SnippetOutcome, Verifier};
use crate::source::SourceFile;

use super::{DocContext, DocFacts, Plan, fix_document, lint_document, lint_set};

/// What to do with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Report findings only.
    #[default]
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

/// Renders a finding for a reporter while its document's text is at hand.
pub type Prerender<'a> = &'a (dyn Fn(&SourceFile, &Diagnostic) -> String + Sync);

/// How a run goes.
#[derive(Clone, Copy, Default)]
pub struct RunOptions<'a> {
    pub mode: Mode,
    /// Render each finding on the worker that checked its document.
    pub prerender: Option<Prerender<'a>>,
    /// Check snippets too (`check`, `snippets verify`).
    pub verifier: Option<&'a Verifier>,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct LintRun {
    /// Sorted by path, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Every document checked, by display path, in walk order.
    pub documents: Vec<String>,
    /// Every snippet checked, sorted by path and line.
    pub snippets: Vec<SnippetOutcome>,
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
    snippets: Vec<SnippetOutcome>,
    pending: Vec<Pending>,
}

/// Check every document `walk` yields.
pub fn lint_all<I>(walk: I, settings: &Settings, plan: &Plan, opts: RunOptions) -> LintRun
where
    I: Iterator<Item = Walked> + Send,
{
    let mode = opts.mode;
    let mut run = LintRun::default();
    let mut facts: Vec<DocFacts> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut write_errors = Vec::new();
    let problems = map_documents(
        walk,
        settings,
        |document, found| {
            let path = document.source.display.clone();
            let (document, diagnostics, facts, fixed, change, write_error) = if mode == Mode::Report
            {
                let r = lint_document(&document, found, plan, settings);
                (document, r.diagnostics, r.facts, 0, None, None)
            } else {
                let fixed = fix_document(document, found, plan, settings);
                let mut change = None;
                let mut write_error = None;
                if let Some(before) = fixed.original {
                    let after = fixed.document.source.text.clone();
                    if mode == Mode::Fix {
                        write_error =
                            crate::fsutil::write_atomic(&found.path, after.as_bytes()).err();
                    }
                    change = Some(Change {
                        path: path.clone(),
                        before,
                        after,
                    });
                }
                let applied = if mode == Mode::Fix { fixed.applied } else { 0 };
                let change = change.filter(|_| mode == Mode::Diff);
                (
                    fixed.document,
                    fixed.diagnostics,
                    fixed.facts,
                    applied,
                    change,
                    write_error,
                )
            };
            let mut diagnostics = diagnostics;
            let mut snippets = DocSnippets::default();
            if let Some(verifier) = opts.verifier {
                let ctx = DocContext::new(&document, found, settings);
                snippets = verifier.check_document(&ctx);
                diagnostics.extend(
                    snippets
                        .diagnostics
                        .drain(..)
                        .filter_map(|d| facts.admit(d)),
                );
                diagnostic::sort(&mut diagnostics);
            }
            render(opts, &document, &mut diagnostics);
            Outcome {
                diagnostics,
                facts,
                path,
                fixed,
                change,
                write_error,
                snippets: snippets.outcomes,
                pending: snippets.pending,
            }
        },
        |o: Outcome| {
            run.diagnostics.extend(o.diagnostics);
            facts.push(o.facts);
            run.documents.push(o.path);
            run.fixed += o.fixed;
            run.changes.extend(o.change);
            write_errors.extend(o.write_error);
            run.snippets.extend(o.snippets);
            pending.extend(o.pending);
        },
    );
    let refs: Vec<&DocFacts> = facts.iter().collect();
    run.diagnostics.extend(lint_set(&refs, settings));
    if let Some(verifier) = opts.verifier {
        let finished = verifier.finish(pending);
        let by_path: HashMap<&str, &DocFacts> =
            facts.iter().map(|f| (f.path.as_str(), f)).collect();
        for d in finished.diagnostics {
            match by_path.get(d.path.as_str()) {
                Some(f) => run.diagnostics.extend(f.admit(d)),
                None => run.diagnostics.push(d),
            }
        }
        run.snippets.extend(finished.outcomes);
        write_errors.extend(finished.errors);
    }
    diagnostic::sort(&mut run.diagnostics);
    run.snippets
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    run.problems = problems;
    run.problems.errors.extend(write_errors);
    run
}

fn render(opts: RunOptions, document: &Document, diagnostics: &mut [Diagnostic]) {
    if let Some(f) = opts.prerender {
        for d in diagnostics {
            d.rendered = Some(f(&document.source, d));
        }
    }
}
