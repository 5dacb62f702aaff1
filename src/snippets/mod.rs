//! Snippet verification: which blocks are checked and how, in-process for
//! Python, JSON, YAML and TOML, through one generated crate for Rust, and
//! through configured commands for any other language.

pub mod attributes;
pub mod cache;
pub mod data;
pub mod external;
pub mod extract;
pub mod python;
pub mod rust;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::SnippetsConfig;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::lint::DocContext;
use crate::model::Snippet;
use attributes::{Edition, is_ignored, is_rust, rust_attributes};
use python::SyntaxError;
use rust::expand::{Origin, expand};
use rust::{Problem, RunOutcome, RustJob, RustOptions};

/// A command to start, noted first in the file `RULEDOC_TRACE_COMMANDS`
/// names, if set: how tests (and curious users) see that a warm run starts
/// no compiler.
pub(crate) fn command(program: &str) -> std::process::Command {
    if let Some(path) = std::env::var_os("RULEDOC_TRACE_COMMANDS") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{program}");
        }
    }
    std::process::Command::new(program)
}

/// Which snippets `--run` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunMode {
    /// None: snippets are compiled, never run.
    #[default]
    Never,
    /// Only those with the `run` attribute.
    Marked,
    /// Every snippet rustdoc would run (not `no_run`, `ignore` or `compile_fail`).
    All,
}

/// How a snippet fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    /// `ignore`, `<!-- ruledoc: skip -->`, or a fence that never closes.
    Skipped,
    /// Its checker is missing (RD306).
    Unchecked,
}

/// One checked snippet, for reports (JUnit has a test case per snippet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnippetOutcome {
    pub path: String,
    pub line: usize,
    pub lang: String,
    pub status: Status,
    /// Why it failed or was skipped.
    pub detail: Option<String>,
    /// The verdict came from the cache (no checker ran for it this time).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
}

/// The languages checked in-process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InProcess {
    Python,
    Pycon,
    Json,
    Yaml,
    Toml,
}

fn in_process(lang: &str) -> Option<InProcess> {
    match lang.to_ascii_lowercase().as_str() {
        "python" | "py" | "python3" => Some(InProcess::Python),
        "pycon" => Some(InProcess::Pycon),
        "json" => Some(InProcess::Json),
        "yaml" | "yml" => Some(InProcess::Yaml),
        "toml" => Some(InProcess::Toml),
        _ => None,
    }
}

/// A check that waits for the whole walk: Rust and external commands.
#[derive(Debug, Clone)]
pub struct Pending {
    pub path: String,
    pub fence_line: usize,
    pub code_line: usize,
    pub indent: usize,
    pub lang: String,
    pub kind: PendingKind,
}

#[derive(Debug, Clone)]
pub enum PendingKind {
    Rust { job: Box<RustJob>, run: bool },
    External { key: String, code: String },
}

/// What a document's snippets gave on the worker that read it.
#[derive(Debug, Default)]
pub struct DocSnippets {
    pub diagnostics: Vec<Diagnostic>,
    pub outcomes: Vec<SnippetOutcome>,
    pub pending: Vec<Pending>,
}

/// The snippet checker, configured once per run.
#[derive(Debug, Clone)]
pub struct Verifier {
    pub config: SnippetsConfig,
    pub cache_dir: PathBuf,
    pub cwd: PathBuf,
    pub run: RunMode,
    /// The runs check part of the set (watch mode): the cache keeps the
    /// verdicts of snippets not asked about, instead of dropping them.
    pub partial: bool,
    edition: Edition,
}

/// What the checks that wait for the whole walk gave.
#[derive(Debug, Default)]
pub struct Finished {
    pub diagnostics: Vec<Diagnostic>,
    pub outcomes: Vec<SnippetOutcome>,
    /// Problems that stop the run (exit 2): dependencies that do not resolve.
    pub errors: Vec<Error>,
}

impl Verifier {
    pub fn new(
        config: &SnippetsConfig,
        cache_dir: PathBuf,
        cwd: PathBuf,
        run: RunMode,
    ) -> Result<Self, Error> {
        let edition = Edition::parse(&config.rust.edition).ok_or_else(|| {
            Error::Usage(format!(
                "[snippets.rust] edition: `{}` is not one of 2015, 2018, 2021, 2024",
                config.rust.edition
            ))
        })?;
        Ok(Verifier {
            config: config.clone(),
            cache_dir,
            cwd,
            run,
            partial: false,
            edition,
        })
    }

    /// Check what can be checked at once, and set aside what must wait.
    pub fn check_document(&self, ctx: &DocContext) -> DocSnippets {
        let mut out = DocSnippets::default();
        for s in &ctx.doc.snippets {
            let rust = is_rust(s);
            let lang_key = s.lang.to_ascii_lowercase();
            let inproc = in_process(&s.lang);
            let external = self
                .config
                .external
                .get(&s.lang)
                .or_else(|| self.config.external.get(&lang_key));
            if !rust && inproc.is_none() && external.is_none() {
                continue;
            }
            let lang = if rust {
                "rust".to_string()
            } else {
                s.lang.clone()
            };
            let outcome = |status, detail: Option<String>| SnippetOutcome {
                path: ctx.source.display.clone(),
                line: s.line,
                lang: lang.clone(),
                status,
                detail,
                cached: false,
            };
            if is_ignored(s) || (rust && rust_attributes(s).ignore) {
                out.outcomes
                    .push(outcome(Status::Skipped, Some("ignored".into())));
                continue;
            }
            if !s.closed {
                out.outcomes.push(outcome(
                    Status::Skipped,
                    Some("its fence is never closed (RD201)".into()),
                ));
                continue;
            }
            let pending = |kind| Pending {
                path: ctx.source.display.clone(),
                fence_line: s.line,
                code_line: s.code_line,
                indent: s.fence.indent,
                lang: lang.clone(),
                kind,
            };
            if rust {
                let attrs = rust_attributes(s);
                let run = match self.run {
                    RunMode::Never => false,
                    RunMode::Marked => attrs.run,
                    RunMode::All => true,
                } && !attrs.no_run
                    && !attrs.compile_fail;
                let edition = attrs.edition.unwrap_or(self.edition);
                let job = RustJob::new(expand(s), attrs, edition);
                out.pending.push(pending(PendingKind::Rust {
                    job: Box::new(job),
                    run,
                }));
                continue;
            }
            let mut failed = None;
            if let Some(kind) = inproc
                && let Some((e, shifts)) = check_in_process(kind, &s.code)
            {
                let shift = shifts.get(e.line).copied().unwrap_or(0);
                let message = format!("{} snippet does not parse: {}", s.lang, e.message);
                out.diagnostics.push(snippet_diagnostic(
                    ctx,
                    s,
                    e.line,
                    e.column + shift,
                    "RD303",
                    message.clone(),
                ));
                failed = Some(message);
            }
            if let Some(checker) = external.filter(|_| failed.is_none()) {
                let key = external::job_key(&checker.command, &s.lang, &s.code);
                out.pending.push(pending(PendingKind::External {
                    key,
                    code: s.code.clone(),
                }));
                continue;
            }
            let status = if failed.is_some() {
                Status::Failed
            } else {
                Status::Passed
            };
            out.outcomes.push(outcome(status, failed));
        }
        out
    }

    /// Run the checks that waited for the walk: Rust through cargo, then the
    /// external commands.
    pub fn finish(&self, pending: Vec<Pending>) -> Finished {
        let mut done = Finished::default();
        let (rust, external): (Vec<Pending>, Vec<Pending>) = pending
            .into_iter()
            .partition(|p| matches!(p.kind, PendingKind::Rust { .. }));
        self.finish_rust(rust, &mut done);
        self.finish_external(external, &mut done);
        done
    }

    fn finish_rust(&self, pending: Vec<Pending>, done: &mut Finished) {
        if pending.is_empty() {
            return;
        }
        let mut unique: HashMap<&str, &RustJob> = HashMap::new();
        for p in &pending {
            if let PendingKind::Rust { job, .. } = &p.kind {
                unique.entry(job.key.as_str()).or_insert(job);
            }
        }
        let mut jobs: Vec<&RustJob> = unique.into_values().collect();
        jobs.sort_by(|a, b| a.key.cmp(&b.key));
        let opts = RustOptions {
            cache_dir: &self.cache_dir,
            cwd: &self.cwd,
            dependencies: &self.config.rust.dependencies,
            partial: self.partial,
        };
        let rust::CheckResults {
            results: checked,
            cached,
        } = match rust::check(&jobs, &opts) {
            Ok(c) => c,
            Err(problem) => {
                unchecked(&pending, problem, done);
                return;
            }
        };
        // Run what compiled and asks to run.
        let to_run: Vec<&RustJob> = pending
            .iter()
            .filter_map(|p| match &p.kind {
                PendingKind::Rust { job, run: true }
                    if checked.get(&job.key).is_some_and(|c| c.errors.is_empty()) =>
                {
                    Some(&**job)
                }
                _ => None,
            })
            .collect();
        let mut to_run_unique: Vec<&RustJob> = Vec::new();
        for j in to_run {
            if !to_run_unique.iter().any(|u| u.key == j.key) {
                to_run_unique.push(j);
            }
        }
        let ran = if to_run_unique.is_empty() {
            HashMap::new()
        } else {
            let timeout = Duration::from_secs(self.config.rust.run_timeout.max(1));
            match rust::run_all(&to_run_unique, &opts, timeout) {
                Ok(r) => r,
                Err(Problem::Cargo(m) | Problem::Unavailable(m)) => {
                    done.errors.push(Error::Usage(m));
                    HashMap::new()
                }
            }
        };
        for p in &pending {
            let PendingKind::Rust { job, run } = &p.kind else {
                continue;
            };
            let result = checked.get(&job.key).cloned().unwrap_or_default();
            let (status, detail) = rust_verdict(p, job, &result, done);
            let (status, detail) = match (status, run, ran.get(&job.key)) {
                (Status::Passed, true, Some(RunOutcome::Failed(why))) => {
                    let message = format!("the snippet compiles, but when run {why}");
                    done.diagnostics
                        .push(at_fence(p, "RD305", Severity::Error, message.clone()));
                    (Status::Failed, Some(message))
                }
                _ => (status, detail),
            };
            done.outcomes.push(SnippetOutcome {
                path: p.path.clone(),
                line: p.fence_line,
                lang: p.lang.clone(),
                status,
                detail,
                cached: cached.contains(&job.key),
            });
        }
    }

    fn finish_external(&self, pending: Vec<Pending>, done: &mut Finished) {
        if pending.is_empty() {
            return;
        }
        type External = Result<(external::Checked, bool), external::Unavailable>;
        let results: Vec<(usize, External)> = pending
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let PendingKind::External { key, code } = &p.kind else {
                    return (
                        i,
                        Err(external::Unavailable("not an external check".into())),
                    );
                };
                let checker = self
                    .config
                    .external
                    .get(&p.lang)
                    .or_else(|| self.config.external.get(&p.lang.to_ascii_lowercase()));
                let Some(checker) = checker else {
                    return (
                        i,
                        Err(external::Unavailable("no checker configured".into())),
                    );
                };
                let ext = checker
                    .extension
                    .clone()
                    .unwrap_or_else(|| default_extension(&p.lang));
                let dir = self.cache_dir.join("external").join(&p.lang);
                (
                    i,
                    cached_external(&self.cache_dir, &checker.command, key, code, &ext, &dir),
                )
            })
            .collect();
        let mut reported_missing: Vec<String> = Vec::new();
        for (i, result) in results {
            let p = &pending[i];
            let cached = matches!(result, Ok((_, true)));
            let outcome = |status, detail| SnippetOutcome {
                path: p.path.clone(),
                line: p.fence_line,
                lang: p.lang.clone(),
                status,
                detail,
                cached,
            };
            match result.map(|(c, _)| c) {
                Ok(checked) if checked.findings.is_empty() => {
                    done.outcomes.push(outcome(Status::Passed, None))
                }
                Ok(checked) => {
                    for f in &checked.findings {
                        let line = p.code_line + f.line.saturating_sub(1);
                        let column = f.column + p.indent;
                        let message = format!("{} snippet: {}", p.lang, f.message);
                        done.diagnostics.push(Diagnostic::at(
                            "RD303",
                            Severity::Error,
                            &p.path,
                            (line, column),
                            (line, column + 1),
                            message,
                        ));
                    }
                    done.outcomes.push(outcome(
                        Status::Failed,
                        checked.findings.first().map(|f| f.message.clone()),
                    ));
                }
                Err(external::Unavailable(why)) => {
                    if !reported_missing.contains(&p.lang) {
                        reported_missing.push(p.lang.clone());
                        let message = format!("{} snippets were not checked: {why}", p.lang);
                        done.diagnostics
                            .push(at_fence(p, "RD306", Severity::Warning, message));
                    }
                    done.outcomes.push(outcome(Status::Unchecked, Some(why)));
                }
            }
        }
    }
}

/// The file extension for a language that names none.
fn default_extension(lang: &str) -> String {
    match lang {
        "python" | "python3" | "py" => "py".into(),
        "javascript" | "js" => "js".into(),
        "typescript" | "ts" => "ts".into(),
        "bash" | "sh" | "shell" => "sh".into(),
        other => other.to_string(),
    }
}

/// Run an external checker, from the cache when this snippet and command were
/// seen before.
fn cached_external(
    cache_dir: &std::path::Path,
    command: &str,
    key: &str,
    code: &str,
    ext: &str,
    dir: &std::path::Path,
) -> Result<(external::Checked, bool), external::Unavailable> {
    let path = cache_dir
        .join("external-results")
        .join(format!("{key}.json"));
    if let Some(hit) = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        return Ok((hit, true));
    }
    let checked = external::run(command, code, key, ext, dir)?;
    if let Ok(bytes) = serde_json::to_vec(&checked) {
        let _ = crate::fsutil::write_atomic(&path, &bytes);
    }
    Ok((checked, false))
}

/// Every snippet of a language that could not be checked: RD306 once, at the
/// first of them; the others are listed as unchecked. A cargo failure (the
/// dependencies) also stops the run.
fn unchecked(pending: &[Pending], problem: Problem, done: &mut Finished) {
    let why = match &problem {
        Problem::Unavailable(m) => m.clone(),
        Problem::Cargo(m) => m.lines().next().unwrap_or("cargo failed").to_string(),
    };
    if let Some(first) = pending.first() {
        let message = format!("Rust snippets were not checked: {why}");
        done.diagnostics
            .push(at_fence(first, "RD306", Severity::Warning, message));
    }
    if let Problem::Cargo(m) = problem {
        done.errors.push(Error::Usage(m));
    }
    for p in pending {
        done.outcomes.push(SnippetOutcome {
            path: p.path.clone(),
            line: p.fence_line,
            lang: p.lang.clone(),
            status: Status::Unchecked,
            detail: Some(why.clone()),
            cached: false,
        });
    }
}

/// The verdict on one Rust snippet, and its findings.
fn rust_verdict(
    p: &Pending,
    job: &RustJob,
    result: &rust::Checked,
    done: &mut Finished,
) -> (Status, Option<String>) {
    let attrs = &job.attrs;
    if attrs.compile_fail {
        if result.errors.is_empty() {
            let message = "the snippet is marked compile_fail but compiles".to_string();
            done.diagnostics
                .push(at_fence(p, "RD304", Severity::Error, message.clone()));
            return (Status::Failed, Some(message));
        }
        let found: Vec<String> = result
            .errors
            .iter()
            .filter_map(|e| e.code.clone())
            .collect();
        if !attrs.error_codes.is_empty() && !attrs.error_codes.iter().any(|c| found.contains(c)) {
            let found_text = if found.is_empty() {
                "errors without a code".to_string()
            } else {
                found.join(", ")
            };
            let message = format!(
                "the snippet fails with {found_text}, not with the declared {}",
                attrs.error_codes.join(", ")
            );
            done.diagnostics
                .push(at_fence(p, "RD304", Severity::Error, message.clone()));
            return (Status::Failed, Some(message));
        }
        return (Status::Passed, None);
    }
    if result.errors.is_empty() {
        return (Status::Passed, None);
    }
    for e in &result.errors {
        done.diagnostics.push(compile_diagnostic(p, job, e));
    }
    (
        Status::Failed,
        result.errors.first().map(|e| e.message.clone()),
    )
}

/// A compile error at its Markdown position.
fn compile_diagnostic(p: &Pending, job: &RustJob, e: &rust::CompileError) -> Diagnostic {
    let map = |line: usize, column: usize| match job.expanded.origin(line) {
        Origin::Markdown { line, shift } => (line, column + shift + p.indent),
        Origin::Generated => (p.fence_line, 1),
    };
    let start = map(e.at.line, e.at.column);
    let mut end = map(e.at.end_line, e.at.end_column);
    if end < start {
        end = (start.0, start.1 + 1);
    }
    let code = e
        .code
        .as_deref()
        .map(|c| format!("[{c}] "))
        .unwrap_or_default();
    let mut d = Diagnostic::at(
        "RD302",
        Severity::Error,
        &p.path,
        start,
        end,
        format!("{code}{}", e.message),
    );
    for (pos, text) in &e.labels {
        let (line, column) = map(pos.line, pos.column);
        let (end_line, end_column) = map(pos.end_line, pos.end_column);
        d.labels.push(crate::diagnostic::Label {
            span: Default::default(),
            line,
            column,
            end_line,
            end_column,
            message: text.clone(),
        });
    }
    if !e.notes.is_empty() {
        d.help = Some(e.notes.join("; "));
    }
    d
}

/// A finding about the whole snippet, at its opening fence.
fn at_fence(p: &Pending, code: &'static str, severity: Severity, message: String) -> Diagnostic {
    Diagnostic::at(
        code,
        severity,
        &p.path,
        (p.fence_line, 1),
        (p.fence_line, 4),
        message,
    )
}

/// An in-process syntax error, and how many characters each line lost before
/// parsing (pycon prompts).
fn check_in_process(kind: InProcess, code: &str) -> Option<(SyntaxError, Vec<usize>)> {
    match kind {
        InProcess::Python => python::check(code).map(|e| (e, Vec::new())),
        InProcess::Pycon => {
            let (stripped, shifts) = python::strip_prompts(code);
            python::check(&stripped).map(|e| (e, shifts))
        }
        InProcess::Json => data::json(code).map(|e| (e, Vec::new())),
        InProcess::Yaml => data::yaml(code).map(|e| (e, Vec::new())),
        InProcess::Toml => data::toml(code).map(|e| (e, Vec::new())),
    }
}

/// A finding at 0-based `line` and 1-based `column` of a snippet's code.
fn snippet_diagnostic(
    ctx: &DocContext,
    s: &Snippet,
    line: usize,
    column: usize,
    code: &'static str,
    message: String,
) -> Diagnostic {
    let md_line = (s.code_line + line).min(s.end_line.saturating_sub(1).max(s.code_line));
    let start = ctx.source.offset_of(md_line, column + s.fence.indent);
    let end = ctx.line_span(md_line).end.max(start);
    let span = if end > start {
        crate::source::Span::new(start, end)
    } else {
        crate::source::Span::new(start, start)
    };
    Diagnostic::new(code, Severity::Error, ctx.source, span, message)
}
