//! Watch mode: a session keeps the rule set in memory and, for each change,
//! reads again only the documents that changed, lints them and the documents
//! that reference them, re-runs the rules that compare documents, verifies the
//! changed snippets (the cache answers for the rest) and re-renders what the
//! change touched. The file-system side (notify, signals) lives in the binary;
//! `classify` turns its events into a `Redo`.

pub(crate) mod classify;
mod rerender;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use classify::{Redo, Watched, classify, watch_plan};
use rerender::Ledger;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::discover::{Found, Walked};
use crate::error::Notice;
use crate::lint::{DocFacts, DocResult, Plan};
use crate::load::{Document, InputProblems, classify_failure, load};
use crate::paths::normalize_from;
use crate::pipeline::Pipeline;
use crate::render::{DocValues, Engine, Input, Target, write};
use crate::settings::Settings;
use crate::snippets::{Pending, SnippetOutcome, Verifier};

/// What a session does besides linting.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The documents or folders given (empty: the configured rule set).
    pub paths: Vec<PathBuf>,
    /// Targets re-rendered on each change (none: no rendering).
    pub targets: Vec<Target>,
    /// Where outputs go.
    pub out: PathBuf,
    /// Templates overriding the built-ins.
    pub templates: Option<PathBuf>,
    /// Verify snippets (with the cache).
    pub snippets: bool,
}

/// One document as the session knows it.
struct Doc {
    input: Input,
    /// Where its links and imports lead (absolute).
    refs: Vec<PathBuf>,
    /// Findings of the per-document rules.
    lint: Vec<Diagnostic>,
    /// Findings of its snippets.
    snippet_findings: Vec<Diagnostic>,
    snippets: Vec<SnippetOutcome>,
    facts: DocFacts,
    /// Its part of the render context (when rendering).
    values: Option<DocValues>,
    /// Position in the last walk: the order cross-document rules see.
    order: usize,
}

/// What one run of the session changed.
#[derive(Debug, Default)]
pub struct Update {
    /// Findings that appeared, sorted (a finding that only moved, its line
    /// shifted by an edit above it, is not new).
    pub new: Vec<Diagnostic>,
    /// Findings that went away, sorted, as they were last reported.
    pub resolved: Vec<Diagnostic>,
    /// Documents in the set now.
    pub documents: usize,
    /// Documents read and parsed again (their text changed, or they are new).
    pub read: usize,
    /// Documents linted again: those read, and those whose links or imports
    /// lead to a document that changed or left.
    pub linted: usize,
    /// Documents that left the set.
    pub gone: usize,
    /// Error-severity findings in the whole set now.
    pub errors: usize,
    /// Warning-severity findings in the whole set now.
    pub warnings: usize,
    /// Snippets checked by a checker this time (not answered by the cache).
    pub snippets_checked: usize,
    /// Output files written, relative to the output folder.
    pub written: Vec<PathBuf>,
    /// Output files removed (their document left, or renders elsewhere now),
    /// relative to the output folder.
    pub removed: Vec<PathBuf>,
    /// Output files not overwritten because someone else's work is there,
    /// relative to the output folder, each with the reason.
    pub refused: Vec<(PathBuf, String)>,
    /// Things said on the way (skipped files, scopes a target cannot express).
    pub notices: Vec<Notice>,
    /// What went wrong (an unreadable file, a template error); the watch goes on.
    pub problems: Vec<String>,
    /// From the start of the run to the outputs written (`None`: nothing
    /// was rendered).
    pub rendered_after: Option<Duration>,
    /// From the start of the run to its end.
    pub elapsed: Duration,
}

impl Update {
    /// Whether there is anything to tell.
    pub fn is_news(&self) -> bool {
        self.read > 0
            || self.gone > 0
            || !self.new.is_empty()
            || !self.resolved.is_empty()
            || !self.written.is_empty()
            || !self.removed.is_empty()
            || !self.refused.is_empty()
            || !self.problems.is_empty()
    }
}

/// The rule set in memory, kept current change by change.
pub struct Session {
    settings: Settings,
    plan: Plan,
    opts: Options,
    /// The output folder, absolute.
    out: PathBuf,
    /// The template engine, or why the templates could not be loaded.
    engine: Option<Result<Engine, String>>,
    verifier: Option<Verifier>,
    docs: BTreeMap<PathBuf, Doc>,
    /// Absolute path by display path.
    by_display: HashMap<String, PathBuf>,
    set_findings: Vec<Diagnostic>,
    /// The findings last reported.
    reported: Vec<Diagnostic>,
    /// Files this session writes (absolute): never read as documents, and
    /// their events are ignored.
    own: BTreeSet<PathBuf>,
    /// Which document made which output, and which targets to render whole.
    ledger: Ledger,
    /// The render context of the whole set, kept between runs.
    ctx: Option<tera::Context>,
}

impl Session {
    /// A session with nothing read yet: `run` with `Redo::Everything` first.
    /// A template error does not stop it: it is reported on each render
    /// until the templates change.
    ///
    /// # Errors
    ///
    /// With snippets on, a `[snippets.rust] edition` that is not a Rust
    /// edition ([`crate::Error::Usage`]).
    pub fn new(settings: Settings, plan: Plan, opts: Options) -> crate::Result<Self> {
        let verifier = if opts.snippets {
            Some(Verifier::new(
                &settings.config.snippets,
                settings.cache_dir.clone(),
                settings.cwd.clone(),
                crate::snippets::RunMode::Never,
            )?)
        } else {
            None
        };
        let out = normalize_from(&settings.cwd, &opts.out);
        let engine = (!opts.targets.is_empty()).then(|| {
            Engine::new(opts.templates.as_deref())
                .map(|mut e| {
                    e.set_locations(&out, &settings.cwd);
                    e
                })
                .map_err(|e| e.to_string())
        });
        let mut own: BTreeSet<PathBuf> = write::Writer::open(&out, write::Mode::Check)
            .recorded()
            .into_iter()
            .map(|p| out.join(p))
            .collect();
        own.insert(out.join(write::MANIFEST));
        let mut ledger = Ledger::default();
        ledger.render_whole(opts.targets.iter().copied());
        Ok(Session {
            settings,
            plan,
            opts,
            out,
            engine,
            verifier,
            docs: BTreeMap::new(),
            by_display: HashMap::new(),
            set_findings: Vec::new(),
            reported: Vec::new(),
            own,
            ledger,
            ctx: None,
        })
    }

    /// Carry over what an earlier session reported and wrote, so that a
    /// reloaded configuration reports only what changed.
    pub fn continue_from(&mut self, earlier: Session) {
        self.reported = earlier.reported;
        self.own.extend(earlier.own);
    }

    /// The settings the session was made with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// What the event classifier needs: inputs, templates and own files.
    /// The caller adds the configuration it reloads on.
    ///
    /// # Errors
    ///
    /// No path was given and no rule set is found ([`crate::Error::NoRuleSet`]).
    pub fn watched(&self) -> crate::Result<Watched> {
        let inputs = self
            .settings
            .inputs(&self.opts.paths)?
            .iter()
            .map(|p| normalize_from(&self.settings.cwd, &p.path))
            .collect();
        Ok(Watched {
            inputs,
            config: None,
            config_dirs: Vec::new(),
            templates: self
                .opts
                .templates
                .as_ref()
                .map(|t| normalize_from(&self.settings.cwd, t)),
            own_dirs: vec![normalize_from(&self.settings.cwd, &self.settings.cache_dir)],
            own_files: self.own_files(),
        })
    }

    /// The files the session writes (its outputs and their record): events
    /// on them are its own.
    pub fn own_files(&self) -> BTreeSet<PathBuf> {
        let mut own = self.own.clone();
        own.insert(self.out.join(write::MANIFEST));
        own
    }

    /// Bring the session up to date with `redo`: `Everything` reads the
    /// whole set (the first run); `Documents` looks again at those documents
    /// and at whatever a new walk of the inputs finds added or gone.
    pub fn run(&mut self, redo: &Redo) -> Update {
        let start = Instant::now();
        let mut up = Update::default();
        let touched: BTreeSet<PathBuf> = match redo {
            Redo::Nothing => return up,
            Redo::Everything => {
                self.forget_everything();
                BTreeSet::new()
            }
            Redo::Documents(paths) => paths.clone(),
        };
        let first = matches!(redo, Redo::Everything);
        let Some(found) = self.walk_inputs(first, &mut up) else {
            up.elapsed = start.elapsed();
            return up;
        };
        let (changed, removed) = self.read_changed(&found, &touched, &mut up);
        let (changed_paths, pending) = self.check_changed(changed, &removed, &found, &mut up);
        self.check_set();
        // Outputs first: they never wait for the compilers.
        if self.engine.is_some() && (first || !changed_paths.is_empty() || !removed.is_empty()) {
            self.render(&changed_paths, &removed, &mut up);
            up.rendered_after = Some(start.elapsed());
        }
        self.verify_pending(pending, first, &mut up);
        self.report_changes(&mut up);
        up.elapsed = start.elapsed();
        up
    }

    /// The pipeline over this session's settings, plan and verifier.
    fn pipeline(&self) -> Pipeline<'_> {
        Pipeline::new(
            &self.settings,
            &self.plan,
            crate::pipeline::RunOptions {
                verifier: self.verifier.as_ref(),
                keep_sources: true,
                ..Default::default()
            },
        )
    }

    /// Before a run that redoes everything: nothing is known any more.
    fn forget_everything(&mut self) {
        self.docs.clear();
        self.by_display.clear();
        self.ledger.render_whole(self.opts.targets.iter().copied());
        self.ctx = None;
    }

    /// Step 1: what the inputs hold now, by absolute path, with each
    /// document's position in the walk. `None` when the inputs cannot be
    /// walked (said in `up`).
    fn walk_inputs(
        &self,
        first: bool,
        up: &mut Update,
    ) -> Option<BTreeMap<PathBuf, (usize, Found)>> {
        let walk = match self.settings.walk(&self.opts.paths) {
            Ok(w) => w,
            Err(e) => {
                up.problems.push(e.to_string());
                return None;
            }
        };
        let mut found = BTreeMap::new();
        for (i, step) in walk.enumerate() {
            match step {
                Walked::File(f) => {
                    let abs = normalize_from(&self.settings.cwd, &f.path);
                    if !self.own.contains(&abs) {
                        found.insert(abs, (i, f));
                    }
                }
                // Said once, on the first run; not again on every change.
                Walked::Skipped(n) if first => up.notices.push(n),
                Walked::Skipped(_) => {}
            }
        }
        Some(found)
    }

    /// Step 2: read again the documents that are new, moved or touched; keep
    /// those whose text changed; forget those gone or unreadable. Returns the
    /// changed documents and the paths removed.
    fn read_changed(
        &mut self,
        found: &BTreeMap<PathBuf, (usize, Found)>,
        touched: &BTreeSet<PathBuf>,
        up: &mut Update,
    ) -> (Vec<(PathBuf, Input)>, Vec<PathBuf>) {
        let gone: Vec<PathBuf> = self
            .docs
            .keys()
            .filter(|p| !found.contains_key(*p))
            .cloned()
            .collect();
        let to_read: Vec<(&PathBuf, &Found)> = found
            .iter()
            .filter(|(abs, (_, f))| match self.docs.get(*abs) {
                None => true,
                Some(d) => d.input.found != *f || touched.iter().any(|t| abs.starts_with(t)),
            })
            .map(|(abs, (_, f))| (abs, f))
            .collect();
        let settings = &self.settings;
        let loaded: Vec<(PathBuf, Found, Result<Document, crate::load::ReadError>)> = to_read
            .par_iter()
            .map(|(abs, f)| ((*abs).clone(), (*f).clone(), load(f, settings)))
            .collect();
        let mut problems = InputProblems::default();
        let mut changed: Vec<(PathBuf, Input)> = Vec::new();
        let mut unreadable: Vec<PathBuf> = Vec::new();
        for (abs, f, result) in loaded {
            match result {
                Ok(document) => {
                    let same = self.docs.get(&abs).is_some_and(|d| {
                        d.input.found == f && d.input.document.source.text == document.source.text
                    });
                    if !same {
                        changed.push((abs, Input { document, found: f }));
                    }
                }
                Err(e) => {
                    classify_failure(&f, e, &mut problems);
                    unreadable.push(abs);
                }
            }
        }
        up.notices.extend(problems.notices);
        up.problems
            .extend(problems.errors.into_iter().map(|e| e.to_string()));
        let removed: Vec<PathBuf> = gone.into_iter().chain(unreadable).collect();
        up.gone = removed
            .iter()
            .filter(|p| self.docs.contains_key(*p))
            .count();
        for abs in &removed {
            if let Some(d) = self.docs.remove(abs) {
                self.by_display.remove(&d.input.document.source.display);
            }
        }
        up.read = changed.len();
        (changed, removed)
    }

    /// Step 3: check what changed (lint and the snippets known at once), and
    /// lint again the documents whose links or imports lead to a changed or
    /// removed one. Returns the changed paths and the snippet checks that wait.
    fn check_changed(
        &mut self,
        changed: Vec<(PathBuf, Input)>,
        removed: &[PathBuf],
        found: &BTreeMap<PathBuf, (usize, Found)>,
        up: &mut Update,
    ) -> (Vec<PathBuf>, Vec<Pending>) {
        let affected: BTreeSet<&PathBuf> = changed.iter().map(|(p, _)| p).chain(removed).collect();
        let referencing: Vec<PathBuf> = self
            .docs
            .iter()
            .filter(|(p, d)| !affected.contains(p) && d.refs.iter().any(|r| affected.contains(r)))
            .map(|(p, _)| p.clone())
            .collect();
        let pipeline = self.pipeline();
        let fresh: Vec<(PathBuf, Doc, Vec<Pending>)> = changed
            .into_par_iter()
            .map(|(abs, input)| {
                let checked = pipeline.check_document(&input.document, &input.found);
                let dir = abs.parent().unwrap_or(Path::new("/"));
                let refs = crate::graph::references(&input.document, dir)
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                let doc = Doc {
                    input,
                    refs,
                    lint: checked.diagnostics,
                    snippet_findings: checked.verdict_diagnostics,
                    snippets: checked.snippets,
                    facts: checked.facts,
                    values: None,
                    order: 0,
                };
                (abs, doc, checked.pending)
            })
            .collect();
        let relinted: Vec<(PathBuf, DocResult)> = referencing
            .par_iter()
            .map(|p| {
                let d = &self.docs[p];
                let r = pipeline.lint_document(&d.input.document, &d.input.found);
                (p.clone(), r)
            })
            .collect();
        up.linted = fresh.len() + relinted.len();
        for (p, r) in relinted {
            if let Some(d) = self.docs.get_mut(&p) {
                d.lint = r.diagnostics;
                d.facts = r.facts;
            }
        }
        let mut pending = Vec::new();
        let mut changed_paths: Vec<PathBuf> = Vec::new();
        for (abs, doc, p) in fresh {
            pending.extend(p);
            self.by_display
                .insert(doc.input.document.source.display.clone(), abs.clone());
            changed_paths.push(abs.clone());
            self.docs.insert(abs, doc);
        }
        for (abs, (i, _)) in found {
            if let Some(d) = self.docs.get_mut(abs) {
                d.order = *i;
            }
        }
        up.documents = self.docs.len();
        (changed_paths, pending)
    }

    /// Step 4: the rules that compare documents, over the whole set in walk
    /// order.
    fn check_set(&mut self) {
        let mut ordered: Vec<&Doc> = self.docs.values().collect();
        ordered.sort_by_key(|d| d.order);
        let facts: Vec<&DocFacts> = ordered.iter().map(|d| &d.facts).collect();
        self.set_findings = self.pipeline().check_set(&facts);
    }

    /// Step 6: the snippet checks that wait for a compiler (answered by the
    /// cache when unchanged); their findings and outcomes go to their
    /// documents.
    fn verify_pending(&mut self, pending: Vec<Pending>, first: bool, up: &mut Update) {
        if let Some(v) = self.verifier.as_mut() {
            v.partial = !first;
        }
        if self.verifier.is_none() || pending.is_empty() {
            return;
        }
        let facts: Vec<&DocFacts> = self.docs.values().map(|d| &d.facts).collect();
        let set = self.pipeline().verify_pending(&facts, pending);
        up.snippets_checked = set.snippets.iter().filter(|o| !o.cached).count();
        for d in set.diagnostics {
            if let Some(doc) = self.doc_by_display(&d.path) {
                doc.snippet_findings.push(d);
            }
        }
        for o in set.snippets {
            if let Some(doc) = self.doc_by_display(&o.path) {
                doc.snippets.push(o);
            }
        }
        up.problems
            .extend(set.errors.into_iter().map(|e| e.to_string()));
    }

    fn doc_by_display(&mut self, display: &str) -> Option<&mut Doc> {
        let abs = self.by_display.get(display)?;
        self.docs.get_mut(abs)
    }

    /// Step 7: what changed in the findings since they were last reported.
    fn report_changes(&mut self, up: &mut Update) {
        let now = self.findings();
        let (new, resolved) = compare(&self.reported, &now);
        up.new = new;
        up.resolved = resolved;
        up.errors = now.iter().filter(|d| d.severity == Severity::Error).count();
        up.warnings = now
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        self.reported = now;
    }

    /// Every finding of the set now, sorted.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .docs
            .values()
            .flat_map(|d| d.lint.iter().chain(&d.snippet_findings).cloned())
            .chain(self.set_findings.iter().cloned())
            .collect();
        diagnostic::sort(&mut all);
        all
    }

    /// Every snippet outcome of the set now.
    pub fn snippets(&self) -> impl Iterator<Item = &SnippetOutcome> {
        self.docs.values().flat_map(|d| &d.snippets)
    }
}

/// The findings in `now` that were not in `before`, and those of `before`
/// gone from `now`. A finding that only moved (same document, rule and
/// message, another line) is neither.
pub fn compare(before: &[Diagnostic], now: &[Diagnostic]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let exact = |d: &Diagnostic| {
        (
            d.path.clone(),
            d.code,
            d.line(),
            d.column(),
            d.message.clone(),
        )
    };
    let mut counts: HashMap<(String, &str, usize, usize, String), usize> = HashMap::new();
    for d in before {
        *counts.entry(exact(d)).or_default() += 1;
    }
    let mut unmatched_now = Vec::new();
    for d in now {
        match counts.get_mut(&exact(d)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => unmatched_now.push(d),
        }
    }
    let mut unmatched_before = Vec::new();
    for d in before {
        if let Some(n) = counts.get_mut(&exact(d))
            && *n > 0
        {
            *n -= 1;
            unmatched_before.push(d);
        }
    }
    let loose = |d: &Diagnostic| (d.path.clone(), d.code, d.message.clone());
    let mut before_loose: HashMap<(String, &str, String), usize> = HashMap::new();
    for d in &unmatched_before {
        *before_loose.entry(loose(d)).or_default() += 1;
    }
    let mut now_loose: HashMap<(String, &str, String), usize> = HashMap::new();
    for d in &unmatched_now {
        *now_loose.entry(loose(d)).or_default() += 1;
    }
    let new = unmatched_now
        .iter()
        .filter(|d| match before_loose.get_mut(&loose(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .map(|d| (*d).clone())
        .collect();
    let resolved = unmatched_before
        .iter()
        .filter(|d| match now_loose.get_mut(&loose(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .map(|d| (*d).clone())
        .collect();
    (new, resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(path: &str, code: &'static str, line: usize, message: &str) -> Diagnostic {
        Diagnostic::at(
            code,
            Severity::Error,
            path,
            crate::source::Range::from_pairs((line, 1), (line, 2)),
            message,
        )
    }

    #[test]
    fn moved_findings_are_neither_new_nor_resolved() {
        let before = vec![
            d("a.md", "RD105", 3, "no purpose"),
            d("a.md", "RD203", 9, "jump"),
        ];
        let now = vec![
            d("a.md", "RD105", 5, "no purpose"),
            d("a.md", "RD201", 7, "unclosed"),
        ];
        let (new, resolved) = compare(&before, &now);
        assert_eq!(new.iter().map(|d| d.code).collect::<Vec<_>>(), ["RD201"]);
        assert_eq!(
            resolved.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["RD203"]
        );
    }

    #[test]
    fn repeated_findings_count() {
        let before = vec![
            d("a.md", "RD207", 3, "stray"),
            d("a.md", "RD207", 4, "stray"),
        ];
        let now = vec![d("a.md", "RD207", 3, "stray")];
        let (new, resolved) = compare(&before, &now);
        assert!(new.is_empty());
        assert_eq!(resolved.len(), 1);
        assert_eq!(resolved[0].line(), 4);
        let (new, resolved) = compare(&now, &before);
        assert_eq!((new.len(), resolved.len()), (1, 0));
    }
}
