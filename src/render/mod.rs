//! Rendering a rule set through Tera templates: a revised copy of the rule
//! set, an index, and each agent's own files, in the shapes the agents'
//! documentation gives (Claude Code's `CLAUDE.md` and `.claude/rules/` with
//! `paths`, Cursor's `.mdc` rules, GitHub Copilot's `.instructions.md` with
//! `applyTo`, `AGENTS.md`). Every template gets the same context (the model
//! as `parse` prints it, grouped by tier, the reference graph); outputs are
//! deterministic, so `--check` can tell stale from fresh. Output paths are
//! relative to the output folder, `/`-separated.

pub(crate) mod engine;
mod revise;
mod safe;
mod scope;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::discover::Found;
use crate::error::{Notice, Result};
use crate::graph::Graph;
use crate::load::Document;
use crate::model::{Format, RuleDoc};
use crate::settings::Settings;
use crate::targets;
pub use crate::targets::{Spec, Target, When};
pub use engine::Engine;
pub use safe::source_problems;
pub use scope::Mapped;

/// One document with what rendering needs besides the model.
pub struct Input {
    /// The document's text and model.
    pub document: Document,
    /// Where it was found: its path relative to its root names its outputs.
    pub found: Found,
}

/// A file a target produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder (`.cursor/rules/sub/a.mdc`).
    pub path: PathBuf,
    /// The rendered text, without ruledoc's header
    /// ([`write::with_header`] adds it when written).
    pub content: String,
    /// The document it was rendered from (none for whole-set files).
    pub source: Option<String>,
}

/// Everything one render produced.
#[derive(Debug, Default)]
pub struct Rendered {
    /// One per output path (when two documents render to one path, one is
    /// kept and a warning says so), in render order.
    pub outputs: Vec<Output>,
    /// Scopes a target could not express, and other things said on the way.
    pub warnings: Vec<Notice>,
}

/// The text after a document's front matter, made safe to print and join
/// (a fence left open at the end closed, tool-call markup dropped).
fn body(document: &Document) -> std::borrow::Cow<'_, str> {
    safe::body(document)
}

/// The path a document has in per-document outputs ([`Found::output_rel`]).
fn rel(input: &Input) -> String {
    input.found.output_rel.clone().unwrap_or_else(|| {
        input
            .found
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}

/// Where a document lies, for what depends on its folder (a nested
/// `AGENTS.md` is for its folder's files): its path as users see it when
/// that is relative and inside the current folder (the repository's top,
/// as a rule), else its path below the folder it was found in.
pub(crate) fn place(input: &Input) -> String {
    let p = input.document.doc.path.replace('\\', "/");
    let p = p.trim_start_matches("./");
    if !p.starts_with('/') && !p.starts_with("../") && !p.contains(':') {
        p.to_string()
    } else {
        rel(input)
    }
}

/// The rel path with its extension replaced (a Copilot source's whole
/// `.instructions.md` counts as its extension).
fn with_extension(rel: &str, ext: &str) -> String {
    let stem = rel
        .strip_suffix(".mdc")
        .or_else(|| rel.strip_suffix(".instructions.md"))
        .or_else(|| rel.strip_suffix(".md"))
        .unwrap_or(rel);
    format!("{stem}{ext}")
}

/// What one document contributes to the shared context, computed once per
/// document (and again only when it changes, in watch mode).
#[derive(Debug, Clone)]
pub struct DocValues {
    /// The document, as users see its path.
    pub path: String,
    /// Its key in `source` and `scopes` ([`key_of`]), also in the model as
    /// `key`.
    pub key: String,
    /// Its resolved tier, which decides its group in `tiers`.
    pub tier: Option<i64>,
    /// The model, as `parse` prints it.
    pub doc: Value,
    /// `{text, body, front_matter}` (`body` as [`safe`] makes it).
    pub source: Value,
    /// Its scope in the one shape every target reads ([`Mapped`]).
    pub scope: Value,
}

impl DocValues {
    /// The values of `input`'s document.
    pub fn of(input: &Input) -> Self {
        let document = &input.document;
        let fm_end = document.doc.layout.body_start;
        DocValues {
            path: document.doc.path.clone(),
            key: key_of(&document.doc.path),
            tier: document.doc.tier,
            doc: model_value(&document.doc),
            source: json!({
                "text": document.source.text,
                "body": body(document).as_ref(),
                "front_matter": &document.source.text[..fm_end],
            }),
            scope: serde_json::to_value(scope::map(input)).unwrap_or(Value::Null),
        }
    }
}

/// A document's key in `source` and `scopes`: its path when Tera's
/// `map[name]` lookup can take it (ASCII letters, digits, `/ . _ - +` and
/// spaces), else `doc-` and a hash of the path (Tera cannot look up a key
/// holding `ü`, quotes, `~` or brackets).
pub fn key_of(path: &str) -> String {
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+ ".contains(c));
    if plain {
        path.to_string()
    } else {
        format!("doc-{}", crate::hash::content_hash(&[path]))
    }
}

/// The model as templates get it: as `parse` prints it, plus its `key` in
/// `source` and `scopes`.
fn model_value(doc: &RuleDoc) -> Value {
    let mut value = serde_json::to_value(doc).unwrap_or(Value::Null);
    if let Some(o) = value.as_object_mut() {
        o.insert("key".into(), Value::String(key_of(&doc.path)));
    }
    value
}

/// The context every template gets, from each document's values (sorted by
/// path): `documents`, `tiers` (ascending, untiered last), `graph`, `source`
/// and `scopes` (by each document's `key`, its path when plain), `generated_at`, `tool_version` and `target`.
pub fn base_context(
    values: &[&DocValues],
    graph: &Graph,
    generated_at: &str,
) -> BTreeMap<&'static str, Value> {
    let documents: Vec<Value> = values.iter().map(|v| v.doc.clone()).collect();
    let mut tiers: BTreeMap<Option<i64>, Vec<Value>> = BTreeMap::new();
    for v in values {
        tiers.entry(v.tier).or_default().push(v.doc.clone());
    }
    // Tiers ascending, documents without a tier last.
    let mut grouped: Vec<Value> = tiers
        .iter()
        .filter(|(t, _)| t.is_some())
        .map(|(t, docs)| json!({ "tier": t, "documents": docs }))
        .collect();
    if let Some(docs) = tiers.get(&None) {
        grouped.push(json!({ "tier": null, "documents": docs }));
    }
    let source: serde_json::Map<String, Value> = values
        .iter()
        .map(|v| (v.key.clone(), v.source.clone()))
        .collect();
    let scopes: serde_json::Map<String, Value> = values
        .iter()
        .map(|v| (v.key.clone(), v.scope.clone()))
        .collect();
    BTreeMap::from([
        ("documents", Value::Array(documents)),
        ("tiers", Value::Array(grouped)),
        ("graph", serde_json::to_value(graph).unwrap_or(Value::Null)),
        ("source", Value::Object(source)),
        ("scopes", Value::Object(scopes)),
        ("generated_at", Value::String(generated_at.to_string())),
        ("tool_version", Value::String(crate::VERSION.to_string())),
        ("target", Value::String(String::new())),
    ])
}

/// The shared context, built once for every target of a run.
pub fn shared_context(values: &[&DocValues], graph: &Graph, generated_at: &str) -> tera::Context {
    engine::context(base_context(values, graph, generated_at))
}

/// Put `value` under `key`, moved (`Context::insert` would copy it).
fn put(ctx: &mut tera::Context, key: &str, value: Value) {
    let mut m = serde_json::Map::new();
    m.insert(key.to_string(), value);
    if let Ok(c) = tera::Context::from_value(Value::Object(m)) {
        ctx.extend(c);
    }
}

/// Replace one document's values in a context `shared_context` built, in
/// place: its entry in `documents`, in its tier's group, in `source` and in
/// `scopes`. False when it has no such entry (a new document, or its tier
/// changed): build the context again instead.
pub fn update_context(ctx: &mut tera::Context, v: &DocValues) -> bool {
    let is_it = |d: &Value| d.get("path").and_then(Value::as_str) == Some(v.path.as_str());
    let mut replace_in = |key: &str, find: &dyn Fn(&mut Value) -> Option<&mut Value>| {
        let Some(mut all) = ctx.remove(key) else {
            return false;
        };
        let found = match find(&mut all) {
            Some(slot) => {
                *slot = v.doc.clone();
                true
            }
            None => false,
        };
        put(ctx, key, all);
        found
    };
    let tier = json!(v.tier);
    let in_documents = replace_in("documents", &|all| {
        all.as_array_mut()?.iter_mut().find(|d| is_it(d))
    });
    let in_tiers = replace_in("tiers", &|all| {
        all.as_array_mut()?
            .iter_mut()
            .find(|g| g.get("tier") == Some(&tier))?
            .get_mut("documents")?
            .as_array_mut()?
            .iter_mut()
            .find(|d| is_it(d))
    });
    if !(in_documents && in_tiers) {
        return false;
    }
    for (key, value) in [("source", &v.source), ("scopes", &v.scope)] {
        if let Some(mut map) = ctx.remove(key) {
            if let Some(m) = map.as_object_mut() {
                m.insert(v.key.clone(), value.clone());
            }
            put(ctx, key, map);
        }
    }
    true
}

/// Set the graph and the time in a shared context.
pub fn update_set_values(ctx: &mut tera::Context, graph: &Graph, generated_at: &str) {
    put(
        ctx,
        "graph",
        serde_json::to_value(graph).unwrap_or(Value::Null),
    );
    put(ctx, "generated_at", Value::String(generated_at.to_string()));
}

/// Render one target. `ctx` is the shared context of the whole set:
/// per-target and per-document values are set on it before each render, so
/// the set's data is built once, not per document or target. Whole-set files
/// are rendered from `set`, the whole set; per-document files for each of
/// `inputs` (sorted by path), which may be only some of the set (watch mode
/// re-renders the documents that changed).
///
/// What the target writes comes from its [`Spec`]: each of its files, for
/// the rules whose scope (as the target can say it) the file takes. Scopes
/// the target cannot say, outputs over a documented size limit, and sources
/// left as they are, are warnings.
///
/// # Errors
///
/// [`crate::Error::Usage`] when a template fails (an unknown variable, a
/// filter's error), naming the template and, where it can be told, its line.
pub fn render(
    target: Target,
    inputs: &[&Input],
    set: &[&Input],
    ctx: &mut tera::Context,
    engine: &mut Engine,
    settings: &Settings,
) -> Result<Rendered> {
    let spec = target.spec();
    ctx.insert("target", target.name());
    ctx.insert("title", &spec.title);
    let mut out = Rendered::default();
    // Each rule's scope, as its source says it and as this target says it.
    let mapped: Vec<(Mapped, Mapped)> = set
        .iter()
        .map(|i| {
            let source = scope::map(i);
            let said = scope::express(&source, spec);
            (source, said)
        })
        .collect();
    let asked: std::collections::HashSet<&str> = inputs
        .iter()
        .map(|i| i.document.doc.path.as_str())
        .collect();
    if spec.kind == targets::Kind::Agent {
        for (i, (source, _)) in set.iter().zip(&mapped) {
            if !asked.contains(i.document.doc.path.as_str()) {
                continue;
            }
            out.warnings
                .extend(scope::unexpressed(&i.document.doc, source, spec));
        }
    }
    // Rules a file that lists rules by path (`imports`) took: the files
    // after it do not take them again.
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for file in &spec.files {
        let takes = |m: &Mapped| file.scopes.is_empty() || file.scopes.contains(&m.when);
        let chosen: Vec<(&Input, &Mapped)> = set
            .iter()
            .zip(&mapped)
            .filter(|(i, (_, said))| takes(said) && !taken.contains(&i.document.doc.path))
            .map(|(i, (_, said))| (*i, said))
            .collect();
        // Per-rule files for the rules asked about; set files from the set.
        fn only<'a>(
            c: &[(&'a Input, &'a Mapped)],
            asked: &std::collections::HashSet<&str>,
        ) -> Vec<(&'a Input, &'a Mapped)> {
            c.iter()
                .filter(|(i, _)| asked.contains(i.document.doc.path.as_str()))
                .copied()
                .collect()
        }
        match file.each {
            targets::Each::Rule if spec.kind == targets::Kind::Revised => {
                // Revising (fixes, fmt, stamps) is the costly part: in parallel.
                use rayon::prelude::*;
                let chosen = only(&chosen, &asked);
                let revised: Vec<String> = chosen
                    .par_iter()
                    .map(|(i, _)| revise::revise(i, settings))
                    .collect();
                for ((i, said), text) in chosen.iter().zip(revised) {
                    let path = PathBuf::from(rule_path(&file.path, i));
                    ctx.insert("revised", &text);
                    out.outputs.push(per_document(
                        &file.template,
                        i,
                        said,
                        spec,
                        ctx,
                        &path,
                        engine,
                    )?);
                }
            }
            targets::Each::Rule => {
                for (i, said) in &only(&chosen, &asked) {
                    let path = PathBuf::from(rule_path(&file.path, i));
                    out.outputs.push(per_document(
                        &file.template,
                        i,
                        said,
                        spec,
                        ctx,
                        &path,
                        engine,
                    )?);
                }
            }
            targets::Each::Set => {
                let mut rules = chosen;
                if file.imports {
                    // Only a rule its agent can import as it stands: a file
                    // inside the output folder (the import must hold where
                    // the output goes), with no space in its path (`@path`
                    // ends there) and no front matter (the importing agent
                    // would read another agent's keys as text). The others
                    // go to the target's next file.
                    let out_dir = engine.out_dir().to_path_buf();
                    rules.retain(|(i, _)| importable(i, &out_dir));
                    let copies = copies(&rules, spec, &file.path, &mut out.warnings);
                    // A rule the agent loads by itself goes on to the next
                    // file (its own place: left as it is); one left out as
                    // a copy goes nowhere.
                    rules.retain(|(i, m)| {
                        let lost = copies.contains(&i.document.doc.path);
                        if lost || !m.claude_loads {
                            taken.insert(i.document.doc.path.clone());
                        }
                        !m.claude_loads && !lost
                    });
                } else if spec.kind == targets::Kind::Agent {
                    let copies = copies(&rules, spec, &file.path, &mut out.warnings);
                    rules.retain(|(i, _)| !copies.contains(&i.document.doc.path));
                }
                // An agent's file with no rule in it is not written.
                if rules.is_empty() && spec.kind == targets::Kind::Agent {
                    continue;
                }
                let path = PathBuf::from(&file.path);
                out.outputs
                    .push(whole(&file.template, &rules, spec, ctx, &path, engine)?);
            }
            targets::Each::Folder => {
                let mut folders: BTreeMap<String, Vec<(&Input, &Mapped)>> = BTreeMap::new();
                for (i, m) in chosen {
                    let dir = match (&m.when, &m.folder) {
                        (When::Nested, Some(f)) => format!("{f}/"),
                        _ => String::new(),
                    };
                    folders.entry(dir).or_default().push((i, m));
                }
                for (dir, rules) in &mut folders {
                    let path = PathBuf::from(file.path.replacen("{dir}", dir, 1));
                    // The same rule kept in several agents' folders is
                    // joined once.
                    let copies = copies(rules, spec, &path.to_string_lossy(), &mut out.warnings);
                    rules.retain(|(i, _)| !copies.contains(&i.document.doc.path));
                    out.outputs
                        .push(whole(&file.template, rules, spec, ctx, &path, engine)?);
                }
            }
        }
    }
    out.warnings.extend(over_limits(spec, &out.outputs));
    out.warnings = scope::summarize(std::mem::take(&mut out.warnings));
    let formats: std::collections::HashMap<&str, Format> = set
        .iter()
        .map(|i| (i.document.doc.path.as_str(), i.document.doc.format))
        .collect();
    out.outputs = one_per_path(
        spec,
        std::mem::take(&mut out.outputs),
        &formats,
        &mut out.warnings,
    );
    out.outputs = leave_sources(
        spec,
        std::mem::take(&mut out.outputs),
        set,
        engine.out_dir(),
        settings,
        &mut out.warnings,
    );
    Ok(out)
}

/// Two targets that write one path (`AGENTS.md`, read by Codex, Amp,
/// OpenCode…) must write the same text: then it is one file, written once.
///
/// # Errors
///
/// [`crate::Error::Usage`] naming the path and both targets when their texts
/// differ: nothing is written then (no last write wins).
pub fn check_shared(rendered: &[(Target, Rendered)]) -> Result<()> {
    let mut first: std::collections::HashMap<&Path, (Target, &str)> =
        std::collections::HashMap::new();
    for (target, r) in rendered {
        for o in &r.outputs {
            match first.get(o.path.as_path()) {
                Some((other, text)) if *text != o.content => {
                    return Err(crate::Error::Usage(format!(
                        "{}: the {} and {} targets would write it with different text (they read it differently: see `ruledoc targets`); render them in separate runs, with different --out folders",
                        o.path.display(),
                        other.name(),
                        target.name()
                    )));
                }
                Some(_) => {}
                None => {
                    first.insert(&o.path, (*target, &o.content));
                }
            }
        }
    }
    Ok(())
}

/// A per-rule path pattern filled in for the rule at `rel` (below its
/// root): `{rel}` as it is, `{stem}` without its extension (a Copilot
/// source's whole `.instructions.md` counts as its extension).
fn rule_path(pattern: &str, input: &Input) -> String {
    let rel = rel(input);
    let stem = rule_stem(input);
    pattern
        .replace("{stem}", &stem)
        .replace("{flat}", &stem.replace('/', "-"))
        .replace("{rel}", &rel)
}

/// A rule's path below its root without its extension, except for a file
/// whose name means something by itself (`AGENTS.md`, `CLAUDE.md`,
/// `GEMINI.md`, `.goosehints`…): kept as a rule file under that name, an
/// agent would read it as that kind of file again (a nested `AGENTS.md`
/// inside `.windsurf/rules`). Such a file is named after its folder
/// (`web/AGENTS.md` → `web`), or after its format at the top (`agents-md`).
fn rule_stem(input: &Input) -> String {
    let rel = rel(input);
    let format = input.document.doc.format;
    let named = crate::formats::by_location(Path::new(&rel)) == format
        && matches!(
            format,
            Format::AgentsMd
                | Format::ClaudeMd
                | Format::GeminiMd
                | Format::QwenMd
                | Format::Goosehints
                | Format::ZedRules
                | Format::Cursorrules
                | Format::Windsurfrules
                | Format::Clinerules
                | Format::CopilotRepo
                | Format::JunieGuidelines
                | Format::AugmentGuidelines
        );
    if !named {
        return with_extension(&rel, "");
    }
    match place(input).rsplit_once('/') {
        Some((folder, _)) if !folder.is_empty() => folder.to_string(),
        _ => format.name().to_string(),
    }
}

/// Whether a file that lists rules by path can import `input` as it
/// stands: inside `out_dir`, no whitespace in its path, no front matter.
fn importable(input: &Input, out_dir: &Path) -> bool {
    let doc = &input.document.doc;
    input.found.abs.starts_with(out_dir)
        && !doc.path.contains(char::is_whitespace)
        && doc
            .front_matter
            .as_ref()
            .is_none_or(|f| f.data.as_ref().is_none_or(|d| d.is_empty()))
}

/// The outputs over a documented limit of `spec`'s agent, as warnings with
/// the limit and its source. Per-file limits are checked on each output;
/// total limits on everything the target writes for one place (the top file
/// and a nested one are read together, so they are summed along each
/// folder's chain).
fn over_limits(spec: &Spec, outputs: &[Output]) -> Vec<Notice> {
    let mut out = Vec::new();
    for limit in &spec.limits {
        let size = |o: &Output| limit.unit.measure(&o.content);
        for o in outputs {
            let (n, what) = match limit.per {
                targets::Per::File => (size(o), "is over"),
                // Along the output's folder chain: the outputs in its folder
                // and every folder above it.
                targets::Per::Total => {
                    let dir = o.path.parent().unwrap_or(Path::new(""));
                    let n = outputs
                        .iter()
                        .filter(|p| dir.starts_with(p.path.parent().unwrap_or(Path::new(""))))
                        .map(size)
                        .sum();
                    (n, "with the files above it, over")
                }
            };
            if n <= limit.max {
                continue;
            }
            let per = match limit.per {
                targets::Per::File => "per file",
                targets::Per::Total => "in total",
            };
            out.push(Notice {
                path: o.path.to_string_lossy().replace('\\', "/"),
                line: None,
                message: format!(
                    "{}: {n} {} {what} {}'s limit of {} {per} ({}: {})",
                    spec.name,
                    limit.unit.name(),
                    spec.agent,
                    limit.max,
                    limit.source,
                    limit.says
                ),
            });
        }
    }
    out
}

/// Outputs that would overwrite a source of the render, or land in a source
/// rule folder (an agent's rule folder that holds a source, or the
/// configured root unless the output folder lies inside it) other than the
/// target's own, left out. A
/// source already in the target's format at the target's place is its own
/// rendering: it is left as it is, silently; anything else is said.
fn leave_sources(
    spec: &Spec,
    outputs: Vec<Output>,
    inputs: &[&Input],
    out_dir: &Path,
    settings: &Settings,
    warnings: &mut Vec<Notice>,
) -> Vec<Output> {
    let sources: std::collections::HashMap<&Path, &str> = inputs
        .iter()
        .map(|i| (i.found.abs.as_path(), i.document.doc.path.as_str()))
        .collect();
    let own = spec.own_folder().map(|d| out_dir.join(d));
    // An agent's rule folder holds sources wherever the output goes (an
    // agent loads what lies below it); the configured root, unless the
    // output folder lies inside it (`root = "."`).
    let blocks = |r: &Path| {
        Some(r) != own.as_deref()
            && (crate::discover::AGENT_RULE_DIRS
                .iter()
                .any(|d| r.ends_with(d))
                || (settings.root.as_deref() == Some(r) && !out_dir.starts_with(r)))
    };
    let mut folders: Vec<&Path> = inputs
        .iter()
        .filter_map(|i| i.found.root.as_deref())
        .filter(|r| blocks(r))
        .collect();
    folders.sort();
    folders.dedup();
    let mut say = |path: &Path, message: String| {
        warnings.push(Notice {
            path: path.to_string_lossy().replace('\\', "/"),
            line: None,
            message: format!("{}: {message}", spec.name),
        })
    };
    outputs
        .into_iter()
        .filter(|o| {
            let dest = out_dir.join(&o.path);
            if let Some(&src) = sources.get(dest.as_path()) {
                if o.source.as_deref() != Some(src) {
                    say(
                        &o.path,
                        format!("{src} is a source of this render: left as it is, not overwritten"),
                    );
                }
                return false;
            }
            if let Some(folder) = folders.iter().find(|f| dest.starts_with(f)) {
                say(
                    &o.path,
                    format!(
                        "not written: {} holds source rules, and is not this target's folder",
                        crate::paths::display_path(folder)
                    ),
                );
                return false;
            }
            true
        })
        .collect()
}

/// One rule's file: the template gets the rule as `doc`, its body as `body`,
/// its scope as the target says it as `scope`, and `native` when the rule is
/// already in the target's format, to be copied as written (`cursor_native`
/// too, the name older templates use).
#[allow(clippy::too_many_arguments)]
fn per_document(
    name: &str,
    input: &Input,
    said: &Mapped,
    spec: &Spec,
    ctx: &mut tera::Context,
    path: &Path,
    engine: &mut Engine,
) -> Result<Output> {
    let doc = &input.document.doc;
    ctx.insert("doc", &model_value(doc));
    let body = body(&input.document);
    // A rule is copied as written only when its body needs no repair.
    let native = scope::is_native(input, spec) && matches!(body, std::borrow::Cow::Borrowed(_));
    ctx.insert("body", body.as_ref());
    ctx.insert("scope", said);
    ctx.insert("native", &native);
    ctx.insert("cursor_native", &native);
    ctx.insert("output", &path.to_string_lossy());
    let content = engine.render(name, ctx, path)?;
    Ok(Output {
        path: path.to_path_buf(),
        content,
        source: Some(doc.path.clone()),
    })
}

/// A file of several rules: the template gets them as `rules`, in tier
/// order (untiered last, then by path), each the model as `parse` prints it
/// with its scope as the target says it (`mapped`) and whether it is
/// already in the target's format (`native`: a file of one such rule is
/// copied as written).
fn whole(
    name: &str,
    rules: &[(&Input, &Mapped)],
    spec: &Spec,
    ctx: &mut tera::Context,
    path: &Path,
    engine: &mut Engine,
) -> Result<Output> {
    let mut sorted: Vec<&(&Input, &Mapped)> = rules.iter().collect();
    sorted.sort_by(|(a, _), (b, _)| {
        let key = |i: &Input| {
            (
                i.document.doc.tier.is_none(),
                i.document.doc.tier,
                i.document.doc.path.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let values: Vec<Value> = sorted
        .iter()
        .map(|(i, m)| {
            let mut v = model_value(&i.document.doc);
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "mapped".into(),
                    serde_json::to_value(m).unwrap_or(Value::Null),
                );
                o.insert(
                    "native".into(),
                    Value::Bool(
                        scope::is_native(i, spec)
                            && matches!(body(&i.document), std::borrow::Cow::Borrowed(_)),
                    ),
                );
            }
            v
        })
        .collect();
    ctx.insert("rules", &values);
    ctx.insert("output", &path.to_string_lossy());
    let content = engine.render(name, ctx, path)?;
    Ok(Output {
        path: path.to_path_buf(),
        content,
        source: None,
    })
}

/// The rules of one file that are copies of another of them (the same
/// rule kept in several agents' folders), each said in a warning: the file
/// holds the one [`left_out`] keeps.
fn copies(
    rules: &[(&Input, &Mapped)],
    spec: &Spec,
    file: &str,
    warnings: &mut Vec<Notice>,
) -> std::collections::HashSet<String> {
    let mut lost = std::collections::HashSet::new();
    for (copy, won) in left_out(rules, spec) {
        warnings.push(Notice {
            path: won,
            line: None,
            message: format!(
                "{}: {copy} is the same rule; {file} leaves it out",
                spec.name
            ),
        });
        lost.insert(copy);
    }
    lost
}

/// The rules a file that joins or lists rules (`AGENTS.md`, `CLAUDE.md`)
/// leaves out, each with the rule that wins over it: another source of the same rule
/// wins ([`precedence`]), a rule the agent loads by itself included: the
/// same rule kept in several agents' folders reaches the agent once.
fn left_out(rules: &[(&Input, &Mapped)], spec: &Spec) -> Vec<(String, String)> {
    let mut winners: BTreeMap<String, &Input> = BTreeMap::new();
    let mut left_out: Vec<(String, String)> = Vec::new();
    let rank = |i: &Input| {
        (
            precedence(spec, Some(i.document.doc.format)),
            i.document.doc.path.clone(),
        )
    };
    for &(i, _) in rules {
        let name = with_extension(&rel(i), ".md");
        match winners.get(&name) {
            Some(w) if rank(w) <= rank(i) => {
                left_out.push((i.document.doc.path.clone(), w.document.doc.path.clone()));
            }
            Some(w) => {
                left_out.push((w.document.doc.path.clone(), i.document.doc.path.clone()));
                winners.insert(name, i);
            }
            None => {
                winners.insert(name, i);
            }
        }
    }
    left_out
}

/// Which of several sources that render to one file wins: the one already
/// in the target's own format (its `native` format), else the first in this
/// order of formats, the same for every target: the tiered convention (the
/// team's own rule set), Claude Code rules, Cursor rules, Copilot
/// instructions, Windsurf, Kiro, Cline, Roo, then the rest (plain Markdown
/// last: in an agent's folder it is a file the agent does not load); ties
/// by path. Lower wins.
fn precedence(spec: &Spec, format: Option<Format>) -> (u8, u8) {
    let native = spec.native_format();
    let own = u8::from(format.is_none() || format != native);
    let rank = match format {
        Some(Format::Tiered) => 0,
        Some(Format::ClaudeRules) => 1,
        Some(Format::CursorMdc) => 2,
        Some(Format::CopilotPath) => 3,
        Some(Format::WindsurfRules) => 4,
        Some(Format::KiroSteering) => 5,
        Some(Format::Clinerules) => 6,
        Some(Format::RooRules) => 7,
        Some(Format::Markdown) | None => 9,
        _ => 8,
    };
    (own, rank)
}

/// Several documents that render to one file (`a.md` and `a.mdc`, or the
/// same rule in several agents' folders): keep one by [`precedence`], and
/// say which were left out.
fn one_per_path(
    spec: &Spec,
    outputs: Vec<Output>,
    formats: &std::collections::HashMap<&str, Format>,
    warnings: &mut Vec<Notice>,
) -> Vec<Output> {
    let key = |o: &Output| {
        let format = o.source.as_deref().and_then(|s| formats.get(s)).copied();
        (precedence(spec, format), o.source.clone())
    };
    let mut kept: Vec<Output> = Vec::with_capacity(outputs.len());
    let mut at: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    for o in outputs {
        let Some(&i) = at.get(&o.path) else {
            at.insert(o.path.clone(), kept.len());
            kept.push(o);
            continue;
        };
        let replace = key(&o) < key(&kept[i]);
        let (keep, drop) = if replace {
            (&o, &kept[i])
        } else {
            (&kept[i], &o)
        };
        warnings.push(Notice {
            path: keep.source.clone().unwrap_or_default(),
            line: None,
            message: format!(
                "{}: {} also renders to {}; that one is left out",
                spec.name,
                drop.source.as_deref().unwrap_or("another document"),
                o.path.display()
            ),
        });
        if replace {
            kept[i] = o;
        }
    }
    kept
}

/// Now, as RFC 3339 UTC (for `generated_at`; the built-in templates print no
/// time). `SOURCE_DATE_EPOCH` fixes it, for reproducible builds.
pub fn now_rfc3339() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    rfc3339(secs)
}

/// Seconds since the Unix epoch as RFC 3339 UTC, to the second
/// (`2026-11-27T00:00:00Z`).
fn rfc3339(secs: u64) -> String {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    humantime::format_rfc3339_seconds(at).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_civil() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_737_600), "2026-11-27T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn output_names_follow_the_source() {
        assert_eq!(super::with_extension("sub/a.mdc", ".md"), "sub/a.md");
        assert_eq!(
            super::with_extension("a.md", ".instructions.md"),
            "a.instructions.md"
        );
        assert_eq!(
            super::with_extension("web.instructions.md", ".instructions.md"),
            "web.instructions.md"
        );
        assert_eq!(
            super::with_extension("web.instructions.md", ".mdc"),
            "web.mdc"
        );
    }
}
