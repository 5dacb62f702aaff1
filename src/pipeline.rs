//! The main job as one library pipeline: discover → load → lint → verify
//! snippets → findings. `check`, `lint` and `snippets verify` run it whole
//! ([`Pipeline::run`]); watch mode (and, later, the language server) runs its
//! two halves on the documents that changed ([`Pipeline::check_document`],
//! then [`Pipeline::finish`]).

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{self, Applicability, Diagnostic};
use crate::discover::{Found, Walked};
use crate::error::Error;
use crate::lint::{self, DocFacts, DocResult, Plan};
use crate::load::{Document, InputProblems, map_documents};
use crate::settings::Settings;
use crate::snippets::{Pending, SnippetOutcome, Verifier};

/// What to do with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    /// Report findings only.
    #[default]
    Report,
    /// Apply fixes (`lint --fix`) and write the changed files atomically.
    Fix,
    /// Compute what fixing would change (`lint --diff`); write nothing.
    Diff,
}

/// How a run goes.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    /// What to do with fixes.
    pub fix: FixMode,
    /// The least safe fix `Fix` and `Diff` apply: `Safe` (`--fix`) or
    /// `Unsafe` (`--fix --unsafe-fixes`), ruff's levels; display-only fixes
    /// are never applied.
    pub applicability: Applicability,
    /// Verify snippets too (`check`, `snippets verify`, watch).
    pub verifier: Option<&'a Verifier>,
    /// Attach each document's text to its findings, for reporters that show
    /// source lines. Off, documents are dropped as soon as they are checked.
    pub keep_sources: bool,
    /// Paths were named: the Markdown files the documents import (`@path`,
    /// which Claude Code and Gemini CLI load with the importing file) are
    /// read as context only. Off (a run with no path), they are files the
    /// agents load, and are checked.
    pub imports_as_context: bool,
}

impl Default for RunOptions<'_> {
    fn default() -> Self {
        RunOptions {
            fix: FixMode::Report,
            applicability: Applicability::Safe,
            verifier: None,
            keep_sources: false,
            imports_as_context: false,
        }
    }
}

/// A changed document: its path and its text before and after fixing.
#[derive(Debug, Clone)]
pub struct Change {
    /// As users see it.
    pub path: String,
    /// The whole text before, front matter included.
    pub before: String,
    /// The whole text after every round of fixes.
    pub after: String,
}

/// What checking one document gave.
#[derive(Debug, Default)]
pub struct DocChecked {
    /// Its lint findings, admitted and sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Its findings from the snippet verdicts known at once, admitted, sorted.
    pub verdict_diagnostics: Vec<Diagnostic>,
    /// What it leaves for the rules that compare documents.
    pub facts: DocFacts,
    /// Its snippets' outcomes known at once, in document order.
    pub snippets: Vec<SnippetOutcome>,
    /// Its snippet checks that wait for the whole walk, in document order.
    pub pending: Vec<Pending>,
}

/// What the set-wide half gave.
#[derive(Debug, Default)]
pub struct SetChecked {
    /// Findings of the rules that compare documents and of the snippet
    /// checks that waited, admitted, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The outcomes of the snippet checks that waited: Rust first, then
    /// external checkers, each in the order of the pending checks.
    pub snippets: Vec<SnippetOutcome>,
    /// Problems that stop the run (exit 2): dependencies that do not resolve.
    pub errors: Vec<Error>,
}

/// The outcome of a whole run.
#[derive(Debug, Default)]
pub struct Run {
    /// Sorted by path, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Every document checked, by display path, in walk order.
    pub documents: Vec<String>,
    /// Every snippet checked, sorted by path and opening-fence line.
    pub snippets: Vec<SnippetOutcome>,
    /// Edits applied by fixes (`FixMode::Fix`; 0 otherwise), as
    /// [`lint::Fixed::applied`] counts them: a fix of several edits counts
    /// each.
    pub fixed: usize,
    /// Documents that fixing changes (`FixMode::Diff`), in walk order.
    pub changes: Vec<Change>,
    /// Files skipped (`notices`); files that could not be read, writes that
    /// failed and cargo failures (`errors`: they make the exit code 2).
    pub problems: InputProblems,
}

/// The pipeline, configured once per run.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline<'a> {
    settings: &'a Settings,
    plan: &'a Plan,
    opts: RunOptions<'a>,
}

impl<'a> Pipeline<'a> {
    /// A pipeline over `settings`, running the rules `plan` enables.
    pub fn new(settings: &'a Settings, plan: &'a Plan, opts: RunOptions<'a>) -> Self {
        Pipeline {
            settings,
            plan,
            opts,
        }
    }

    /// Lint one document and verify the snippets that can be verified at
    /// once; set aside the checks that wait for the whole walk.
    pub fn check_document(&self, document: &Document, found: &Found) -> DocChecked {
        let result = self.lint_document(document, found);
        self.checked(document, result)
    }

    /// Lint one document only (no snippet is verified): its findings, and the
    /// facts it leaves for the rules that compare documents.
    pub fn lint_document(&self, document: &Document, found: &Found) -> DocResult {
        let result = lint::lint_document(document, found, self.plan, self.settings);
        self.with_source(document, result)
    }

    /// `result` with the document's text attached, when the run keeps texts.
    fn with_source(&self, document: &Document, mut result: DocResult) -> DocResult {
        if self.opts.keep_sources {
            result.facts.source = Some(Arc::clone(&document.source));
            for d in &mut result.diagnostics {
                d.source.clone_from(&result.facts.source);
            }
        }
        result
    }

    /// The rest of [`Pipeline::check_document`], on a lint result at hand.
    fn checked(&self, document: &Document, result: DocResult) -> DocChecked {
        let mut checked = DocChecked {
            diagnostics: result.diagnostics,
            facts: result.facts,
            ..DocChecked::default()
        };
        if let Some(verifier) = self.opts.verifier {
            let snippets = verifier.check_document(document);
            checked.verdict_diagnostics = lint::check_verdicts(&snippets.verdicts)
                .into_iter()
                .filter_map(|d| checked.facts.admit(d))
                .collect();
            diagnostic::sort(&mut checked.verdict_diagnostics);
            checked.snippets = snippets.verdicts.into_iter().map(|v| v.outcome).collect();
            checked.pending = snippets.pending;
        }
        checked
    }

    /// The set-wide half: the rules that compare documents, over `facts` in
    /// walk order, then the snippet checks that waited.
    pub fn finish(&self, facts: &[&DocFacts], pending: Vec<Pending>) -> SetChecked {
        let mut out = self.verify_pending(facts, pending);
        out.diagnostics.extend(self.check_set(facts));
        diagnostic::sort(&mut out.diagnostics);
        out
    }

    /// The rules that compare documents, over `facts` in walk order; sorted.
    pub fn check_set(&self, facts: &[&DocFacts]) -> Vec<Diagnostic> {
        lint::check_set(facts, self.settings)
    }

    /// The snippet checks that waited for the walk (Rust, external
    /// checkers), each finding admitted by the document it is about (found in
    /// `facts` by path); sorted.
    pub fn verify_pending(&self, facts: &[&DocFacts], pending: Vec<Pending>) -> SetChecked {
        let mut out = SetChecked::default();
        let Some(verifier) = self.opts.verifier.filter(|_| !pending.is_empty()) else {
            return out;
        };
        let finished = verifier.finish(pending);
        let by_path: HashMap<&str, &DocFacts> =
            facts.iter().map(|f| (f.path.as_str(), *f)).collect();
        for d in lint::check_verdicts(&finished.verdicts) {
            match by_path.get(d.path.as_str()) {
                Some(f) => out.diagnostics.extend(f.admit(d)),
                None => out.diagnostics.push(d),
            }
        }
        out.snippets = finished.verdicts.into_iter().map(|v| v.outcome).collect();
        out.errors = finished.errors;
        diagnostic::sort(&mut out.diagnostics);
        out
    }

    /// Check every document `walk` yields, in parallel (results are taken in
    /// walk order), then the set. With [`FixMode::Fix`] each document is
    /// fixed and, when it changed, written atomically on its worker; the
    /// findings are those of the fixed text.
    pub fn run<I>(&self, walk: I) -> Run
    where
        I: Iterator<Item = Walked> + Send,
    {
        let mut got = Collected::default();
        let mut problems = map_documents(
            walk,
            self.settings,
            |document, found| self.check_walked(document, found),
            |o| got.take(o),
        );
        // What the documents import is loaded with them: read it too. Past
        // Claude Code's 5 hops as well, so that a cycle longer than that is
        // found whichever of its files was named (bounded all the same).
        for _ in 0..64 {
            let inputs = self.imports_not_read(&got.facts);
            if inputs.is_empty() {
                break;
            }
            let Ok(more) = self.settings.walk_inputs(&inputs) else {
                break;
            };
            problems.extend(map_documents(
                more,
                self.settings,
                |document, found| self.check_walked(document, found),
                |o| got.take(o),
            ));
        }
        let Collected {
            mut run,
            facts,
            pending,
            mut write_errors,
            context,
        } = got;
        let refs: Vec<&DocFacts> = facts.iter().collect();
        let set = self.finish(&refs, pending);
        run.diagnostics.extend(
            set.diagnostics
                .into_iter()
                .filter(|d| !context.contains(&d.path)),
        );
        run.snippets.extend(set.snippets);
        write_errors.extend(set.errors);
        diagnostic::sort(&mut run.diagnostics);
        run.snippets
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        run.problems = problems;
        run.problems.errors.extend(write_errors);
        run
    }

    /// The Markdown files `facts`' documents import that no document of the
    /// run is: inside the current repository, as walk inputs (context when paths
    /// were named, see [`RunOptions::imports_as_context`]).
    fn imports_not_read(&self, facts: &[DocFacts]) -> Vec<crate::discover::Input> {
        let read: std::collections::HashSet<&std::path::Path> =
            facts.iter().map(|f| f.abs_path.as_path()).collect();
        let mut targets: Vec<&std::path::Path> = facts
            .iter()
            .flat_map(|f| &f.imports)
            .map(|e| e.target.as_path())
            // An import edge leads only to a file inside its document's
            // repository (`DocContext::import_edges`): this run reads the
            // current one's Markdown.
            .filter(|t| {
                !read.contains(t)
                    && t.starts_with(&self.settings.repo_root)
                    && t.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
            })
            .collect();
        targets.sort();
        targets.dedup();
        targets
            .into_iter()
            .map(|t| crate::discover::Input {
                path: crate::paths::relative(&self.settings.cwd, t).into(),
                scan: crate::discover::Scan::Documents,
                context: self.opts.imports_as_context,
            })
            .collect()
    }

    /// One walked document on a worker: fixed first when asked, then checked.
    fn check_walked(&self, document: Document, found: &Found) -> FromWorker {
        let path = document.source.display.clone();
        if found.context {
            // Read for its rule set only: never fixed, its snippets not checked.
            return FromWorker {
                checked: DocChecked {
                    facts: self.lint_document(&document, found).facts,
                    ..DocChecked::default()
                },
                path,
                fixed: 0,
                change: None,
                write_error: None,
                context: true,
            };
        }
        if self.opts.fix == FixMode::Report {
            return FromWorker {
                checked: self.check_document(&document, found),
                path,
                fixed: 0,
                change: None,
                write_error: None,
                context: false,
            };
        }
        let fixed = lint::fix_document(
            document,
            found,
            self.plan,
            self.settings,
            self.opts.applicability,
        );
        let mut out = FromWorker {
            checked: DocChecked::default(),
            path: path.clone(),
            fixed: 0,
            change: None,
            write_error: None,
            context: false,
        };
        if self.opts.fix == FixMode::Fix {
            out.fixed = fixed.applied;
        }
        let Some(before) = fixed.original else {
            let result = self.with_source(&fixed.document, fixed.result);
            out.checked = self.checked(&fixed.document, result);
            return out;
        };
        let after = fixed.document.source.text.clone();
        if self.opts.fix == FixMode::Diff {
            out.change = Some(Change {
                path,
                before,
                after,
            });
            let result = self.with_source(&fixed.document, fixed.result);
            out.checked = self.checked(&fixed.document, result);
            return out;
        }
        match crate::fsutil::write_document(&found.path, after.as_bytes(), &self.settings.cwd) {
            Ok(()) => {
                let result = self.with_source(&fixed.document, fixed.result);
                out.checked = self.checked(&fixed.document, result);
            }
            Err(e) => {
                // Nothing was fixed on disk: report the text that is there.
                out.write_error = Some(e);
                out.fixed = 0;
                let source = crate::source::SourceFile::new(found.path.clone(), before);
                let doc = crate::parse::parse(&source, &self.settings.parse_options(found));
                let document = Document {
                    source: Arc::new(source),
                    doc,
                };
                out.checked = self.check_document(&document, found);
            }
        }
        out
    }
}

/// What the workers handed back, gathered in walk order.
#[derive(Default)]
struct Collected {
    run: Run,
    facts: Vec<DocFacts>,
    pending: Vec<Pending>,
    write_errors: Vec<Error>,
    /// Documents read only as context: their findings are not reported.
    context: std::collections::HashSet<String>,
}

impl Collected {
    fn take(&mut self, o: FromWorker) {
        if o.context {
            // Only its facts count: for the rules that compare documents.
            self.facts.push(o.checked.facts);
            self.context.insert(o.path);
            return;
        }
        self.run.diagnostics.extend(o.checked.diagnostics);
        self.run.diagnostics.extend(o.checked.verdict_diagnostics);
        self.facts.push(o.checked.facts);
        self.run.documents.push(o.path);
        self.run.fixed += o.fixed;
        self.run.changes.extend(o.change);
        self.write_errors.extend(o.write_error);
        self.run.snippets.extend(o.checked.snippets);
        self.pending.extend(o.checked.pending);
    }
}

/// What a worker hands back for one walked document.
struct FromWorker {
    checked: DocChecked,
    path: String,
    fixed: usize,
    change: Option<Change>,
    write_error: Option<Error>,
    /// Read only as context for its rule set.
    context: bool,
}
