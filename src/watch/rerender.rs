//! A session's render step: whole-set files from the whole set, per-document
//! files for the documents that changed, and away with the files of those
//! gone. What each target made, and from which document, is remembered
//! between runs, so that a change re-renders only what it touched.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Doc, Session, Update};
use crate::error::Notice;
use crate::load::Document;
use crate::render::{self, DocValues, Engine, Input, Output, Rendered, Target, write};
use crate::settings::Settings;

impl Session {
    /// Re-render: whole-set files from the whole set, per-document files for
    /// the documents that changed, and away with the files of those gone.
    pub(super) fn render(&mut self, changed: &[PathBuf], removed: &[PathBuf], up: &mut Update) {
        let engine = match self.engine.as_mut() {
            Some(Ok(engine)) => engine,
            Some(Err(e)) => {
                up.problems.push(e.clone());
                return;
            }
            None => return,
        };
        refresh_values(&mut self.docs, changed);
        let pass = Pass::new(
            &self.settings,
            &self.docs,
            &self.by_display,
            changed,
            removed,
        );
        let mut ctx = pass.context(self.ctx.take());
        let mut writer = write::Writer::open(&self.out, write::Mode::Write { force: false });
        for &target in &self.opts.targets {
            let done = pass.render_and_write(
                target,
                &self.ledger,
                engine,
                &mut ctx,
                &mut writer,
                &mut up.notices,
            );
            match done {
                Ok(done) => {
                    self.ledger
                        .record(target, done.whole, pass.touched(), done.made);
                    claim(&mut self.own, &self.out, &done.outputs, &done.applied);
                    up.written.extend(done.applied.written);
                    up.removed.extend(done.applied.removed);
                    up.refused.extend(done.applied.refused);
                }
                Err(e) => {
                    up.problems.push(e);
                    self.ledger.render_whole([target]);
                }
            }
        }
        self.ctx = Some(ctx);
        if let Err(e) = writer.finish() {
            up.problems
                .push(format!("writing the render manifest: {e}"));
        }
    }
}

/// Which document made which per-document output, by target, and which
/// targets must be rendered whole: what lets a run re-render only the
/// documents that changed.
#[derive(Default)]
pub(super) struct Ledger {
    /// Targets to render whole next time (first run, after an error).
    render_whole: BTreeSet<Target>,
    /// Which document each per-document output came from, by target.
    owners: HashMap<(Target, PathBuf), PathBuf>,
    /// Per-document outputs each document produced, by target.
    outputs: HashMap<(Target, PathBuf), Vec<PathBuf>>,
}

impl Ledger {
    /// Render `targets` whole next time: nothing of them is known yet (the
    /// first run, everything redone), or their last render or write failed.
    pub(super) fn render_whole(&mut self, targets: impl IntoIterator<Item = Target>) {
        self.render_whole.extend(targets);
    }

    /// The files the changed or removed documents made for `target` before
    /// and make no more (`made`: what each makes now).
    fn gone<'p>(
        &self,
        target: Target,
        touched: impl Iterator<Item = &'p PathBuf>,
        made: &HashMap<PathBuf, Vec<PathBuf>>,
    ) -> Vec<PathBuf> {
        let mut gone_files = Vec::new();
        for p in touched {
            let before = self.outputs.get(&(target, p.clone()));
            let now = made.get(p);
            for f in before.into_iter().flatten() {
                if now.is_none_or(|n| !n.contains(f)) {
                    gone_files.push(f.clone());
                }
            }
        }
        gone_files
    }

    /// After `target`'s files are written: which document made which. A
    /// whole render replaces all the target's entries; a partial one those
    /// of the changed and removed documents. The target is then rendered in
    /// part until something fails.
    fn record<'p>(
        &mut self,
        target: Target,
        whole: bool,
        touched: impl Iterator<Item = &'p PathBuf>,
        made: HashMap<PathBuf, Vec<PathBuf>>,
    ) {
        if whole {
            self.outputs.retain(|(t, _), _| *t != target);
            self.owners.retain(|(t, _), _| *t != target);
        }
        for p in touched {
            if let Some(files) = self.outputs.remove(&(target, p.clone())) {
                for f in files {
                    self.owners.remove(&(target, f));
                }
            }
        }
        for (abs, files) in made {
            for f in &files {
                self.owners.insert((target, f.clone()), abs.clone());
            }
            self.outputs.insert((target, abs), files);
        }
        self.render_whole.remove(&target);
    }
}

/// What one target rendered and wrote.
struct Done {
    /// Rendered over the whole set (else for the changed documents only).
    whole: bool,
    outputs: Vec<Output>,
    /// Which document (absolute) made each file (relative to the output folder).
    made: HashMap<PathBuf, Vec<PathBuf>>,
    applied: write::Applied,
}

/// Each document's part of the render context: computed again for the
/// documents that changed, and for any that has none yet (in parallel).
fn refresh_values(docs: &mut BTreeMap<PathBuf, Doc>, changed: &[PathBuf]) {
    for p in changed {
        if let Some(d) = docs.get_mut(p) {
            d.values = Some(DocValues::of(&d.input));
        }
    }
    let missing: Vec<PathBuf> = docs
        .iter()
        .filter(|(_, d)| d.values.is_none())
        .map(|(p, _)| p.clone())
        .collect();
    let computed: Vec<DocValues> = missing
        .par_iter()
        .map(|p| DocValues::of(&docs[p].input))
        .collect();
    for (p, v) in missing.iter().zip(computed) {
        if let Some(d) = docs.get_mut(p) {
            d.values = Some(v);
        }
    }
}

/// The session's own files after a target is written: those it wrote are
/// its own (their events are ignored), those it removed no longer are.
fn claim(own: &mut BTreeSet<PathBuf>, out: &Path, outputs: &[Output], applied: &write::Applied) {
    for o in outputs {
        own.insert(out.join(&o.path));
    }
    for f in &applied.removed {
        own.remove(&out.join(f));
    }
}

/// One run's render, shared by its targets: the set in the order outputs
/// are rendered, and which of it changed.
struct Pass<'a> {
    settings: &'a Settings,
    docs: &'a BTreeMap<PathBuf, Doc>,
    by_display: &'a HashMap<String, PathBuf>,
    changed: &'a [PathBuf],
    removed: &'a [PathBuf],
    /// Every document, sorted by display path, as `render` sorts them.
    all: Vec<&'a Doc>,
    every: Vec<&'a Input>,
    /// The documents that changed, in the same order.
    some: Vec<&'a Input>,
}

impl<'a> Pass<'a> {
    fn new(
        settings: &'a Settings,
        docs: &'a BTreeMap<PathBuf, Doc>,
        by_display: &'a HashMap<String, PathBuf>,
        changed: &'a [PathBuf],
        removed: &'a [PathBuf],
    ) -> Self {
        // Sorted by display path, as `render` sorts them.
        let mut all: Vec<&Doc> = docs.values().collect();
        all.sort_by(|a, b| a.input.document.doc.path.cmp(&b.input.document.doc.path));
        let every: Vec<&Input> = all.iter().map(|d| &d.input).collect();
        let mut pass = Pass {
            settings,
            docs,
            by_display,
            changed,
            removed,
            all,
            every,
            some: Vec::new(),
        };
        let changed_set: BTreeSet<&PathBuf> = changed.iter().collect();
        pass.some = pass
            .all
            .iter()
            .filter(|d| {
                pass.abs_of(&d.input.document.source.display)
                    .is_some_and(|p| changed_set.contains(&p))
            })
            .map(|d| &d.input)
            .collect();
        pass
    }

    /// A document's absolute path, from its display path.
    fn abs_of(&self, display: &str) -> Option<PathBuf> {
        self.by_display.get(display).cloned()
    }

    /// The documents that changed, then those removed: whose earlier
    /// outputs a partial render replaces.
    fn touched(&self) -> impl Iterator<Item = &'a PathBuf> {
        self.changed.iter().chain(self.removed)
    }

    /// The context of the whole set, changed in place when only the text
    /// of documents changed; built again when the set or a tier did.
    fn context(&self, kept: Option<tera::Context>) -> tera::Context {
        let documents: Vec<&Document> = self.all.iter().map(|d| &d.input.document).collect();
        let graph = crate::graph::build(&documents, &self.settings.cwd);
        let now = render::now_rfc3339();
        let updated = kept
            .filter(|_| self.removed.is_empty())
            .and_then(|mut ctx| {
                let all_there = self.changed.iter().all(|p| {
                    self.docs[p]
                        .values
                        .as_ref()
                        .is_some_and(|v| render::update_context(&mut ctx, v))
                });
                all_there.then(|| {
                    render::update_set_values(&mut ctx, &graph, &now);
                    ctx
                })
            });
        updated.unwrap_or_else(|| {
            let values: Vec<&DocValues> =
                self.all.iter().filter_map(|d| d.values.as_ref()).collect();
            render::shared_context(&values, &graph, &now)
        })
    }

    /// One target: rendered (see `render_target`), its warnings said, its
    /// files written. An error names the target.
    fn render_and_write(
        &self,
        target: Target,
        ledger: &Ledger,
        engine: &mut Engine,
        ctx: &mut tera::Context,
        writer: &mut write::Writer,
        notices: &mut Vec<Notice>,
    ) -> Result<Done, String> {
        let (rendered, whole) = self.render_target(target, ledger, engine, ctx)?;
        notices.extend(rendered.warnings);
        // Which document made each file, and which files each made before.
        let made = self.made_by(&rendered.outputs);
        let applied = if whole {
            writer.apply(target, &rendered.outputs)
        } else {
            let gone_files = ledger.gone(target, self.touched(), &made);
            writer.apply_some(target, &rendered.outputs, &gone_files)
        }
        .map_err(|e| format!("writing the {} target: {e}", target.name()))?;
        Ok(Done {
            whole,
            outputs: rendered.outputs,
            made,
            applied,
        })
    }

    /// Render `target`: over the whole set when the ledger says so, else for
    /// the documents that changed, and over the whole set after all when a
    /// changed document renders to another's file. Returns the render and
    /// whether it covers the whole set.
    fn render_target(
        &self,
        target: Target,
        ledger: &Ledger,
        engine: &mut Engine,
        ctx: &mut tera::Context,
    ) -> Result<(Rendered, bool), String> {
        let attempt = |inputs: &[&Input], engine: &mut Engine, ctx: &mut tera::Context| {
            render::render(target, inputs, &self.every, ctx, engine, self.settings)
                .map_err(|e| format!("rendering the {} target: {e}", target.name()))
        };
        let whole = ledger.render_whole.contains(&target);
        let rendered = attempt(if whole { &self.every } else { &self.some }, engine, ctx)?;
        // A file another document renders to as well: settle it over the whole set.
        if !whole && self.collides(target, &rendered.outputs, ledger) {
            return Ok((attempt(&self.every, engine, ctx)?, true));
        }
        Ok((rendered, whole))
    }

    /// Whether one of `outputs` is a file that another document, still in
    /// the set, made last time.
    fn collides(&self, target: Target, outputs: &[Output], ledger: &Ledger) -> bool {
        outputs.iter().any(|o| {
            let owner = ledger.owners.get(&(target, o.path.clone()));
            let from = o.source.as_deref().and_then(|s| self.abs_of(s));
            matches!((owner, from), (Some(a), Some(b)) if *a != b && self.docs.contains_key(a))
        })
    }

    /// Which document (absolute) made each of `outputs`.
    fn made_by(&self, outputs: &[Output]) -> HashMap<PathBuf, Vec<PathBuf>> {
        let mut made: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
        for o in outputs {
            if let Some(abs) = o.source.as_deref().and_then(|s| self.abs_of(s)) {
                made.entry(abs).or_default().push(o.path.clone());
            }
        }
        made
    }
}
