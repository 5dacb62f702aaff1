//! Snippet verification: which blocks are checked and how, in-process for
//! Python (Ruff's parser), JavaScript and TypeScript (oxc's parser), JSON,
//! JSONC, JSON5, YAML, TOML and XML (see [`data`]), through
//! generated crates for Rust (read as rustdoc reads a doctest), and through
//! configured commands for any other language.
//!
//! A run has two halves: [`Verifier::check_document`] on each document as the
//! walk reads it (in-process checks give their verdicts at once), then
//! [`Verifier::finish`] once for the whole walk (Rust and external commands,
//! which gain from being batched).

pub(crate) mod attributes;
pub(crate) mod cache;
pub(crate) mod data;
pub(crate) mod external;
pub mod extract;
pub(crate) mod include;
pub(crate) mod javascript;
pub(crate) mod python;
pub mod runner;
pub(crate) mod rust;
mod stack;
mod verdict;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;

use crate::config::SnippetsConfig;
use crate::error::Error;
use crate::load::Document;
use crate::mdbook::Book;
use crate::source::Range;
use attributes::{Edition, is_ignored, rust_in};
use python::SyntaxError;
pub use python::python_source;
use runner::CommandRunner;
use rust::expand::{expand, expand_lines};
use rust::{RunOutcome, RustJob, RustOptions};
pub use verdict::{CompileFinding, Problem, SnippetOutcome, Status, SyntaxFinding, Verdict};
use verdict::{code_range, rust_problem};

/// Which snippets `--run` runs. Running follows rustdoc's rules for what
/// a doctest does: `no_run` and `compile_fail` blocks are never run.
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

/// The languages checked in-process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InProcess {
    Python,
    Pycon,
    Json,
    Jsonc,
    Json5,
    Yaml,
    Toml,
    Xml,
    /// JavaScript, TypeScript, JSX and TSX, each as TypeScript reads its extension.
    JavaScript(javascript::Dialect),
}

impl InProcess {
    /// JSON, JSONC, JSON5, YAML, TOML, XML: files, not programs.
    fn is_data(self) -> bool {
        !matches!(
            self,
            InProcess::Python | InProcess::Pycon | InProcess::JavaScript(_)
        )
    }
}

fn in_process(lang: &str) -> Option<InProcess> {
    match lang.to_ascii_lowercase().as_str() {
        "python" | "py" | "python3" => Some(InProcess::Python),
        "pycon" => Some(InProcess::Pycon),
        "json" => Some(InProcess::Json),
        "jsonc" => Some(InProcess::Jsonc),
        "json5" => Some(InProcess::Json5),
        "yaml" | "yml" => Some(InProcess::Yaml),
        "toml" => Some(InProcess::Toml),
        "xml" | "svg" => Some(InProcess::Xml),
        other => javascript::Dialect::from_lang(other).map(InProcess::JavaScript),
    }
}

/// A check that waits for the whole walk: Rust and external commands. It
/// carries what is needed to place the checker's findings in the Markdown
/// once the document itself is gone.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The document, as users see its path.
    pub path: String,
    /// 1-based line of the opening fence.
    pub fence_line: usize,
    /// 1-based line of the snippet's first line of code.
    pub code_line: usize,
    /// Spaces before the opening fence, which CommonMark also strips from
    /// each code line: added to a checker's column to get the Markdown one
    /// when [`Pending::prefixes`] has no entry for a line.
    pub indent: usize,
    /// For each code line, the characters before it in its Markdown line
    /// (the fence's indentation, `> ` markers): added to a checker's column
    /// to get the Markdown one.
    pub prefixes: Vec<usize>,
    /// The language checked: `rust` for every block rustdoc would test, else
    /// the fence's language as written.
    pub lang: String,
    /// The block is marked as one to avoid (❌, AVOID, BAD).
    pub avoid: bool,
    /// What is to be checked, and how.
    pub kind: PendingKind,
}

impl Pending {
    /// The characters before Markdown line `md_line` of the code, when it is
    /// one of the snippet's lines; else the fence's indentation.
    pub fn prefix(&self, md_line: usize) -> usize {
        md_line
            .checked_sub(self.code_line)
            .and_then(|i| self.prefixes.get(i))
            .copied()
            .unwrap_or(self.indent)
    }
}

/// What a [`Pending`] check runs.
#[derive(Debug, Clone)]
pub enum PendingKind {
    /// A Rust snippet, compiled with the others of the walk.
    Rust {
        /// The snippet after rustdoc's expansion, with its attributes and
        /// cache key.
        job: Box<RustJob>,
        /// Whether it is also built and run (`--run`, and rustdoc would run it).
        run: bool,
    },
    /// A snippet for the command configured under `[snippets.external]`.
    External {
        /// The cache key: lowercase hex SHA-256 of ruledoc's version, the
        /// command, the language and the code.
        key: String,
        /// The code as written in the block.
        code: String,
    },
}

/// What a document's snippets gave on the worker that read it.
#[derive(Debug, Default)]
pub struct DocSnippets {
    /// Verdicts known at once (in-process checks, skipped snippets), in
    /// document order.
    pub verdicts: Vec<Verdict>,
    /// Checks that wait for the whole walk, in document order.
    pub pending: Vec<Pending>,
}

/// The snippet checker, configured once per run.
#[derive(Debug, Clone)]
pub struct Verifier {
    /// `[snippets]` from `ruledoc.toml`: the Rust edition, dependencies and
    /// run timeout, and the external checkers by language.
    pub config: SnippetsConfig,
    /// Where verdicts, the generated Rust workspace and external checkers'
    /// files are kept between runs.
    pub cache_dir: PathBuf,
    /// The folder programs run from, and where `rust-toolchain` files are
    /// looked for (in it and above it).
    pub cwd: PathBuf,
    /// Which snippets are also run (`--run`).
    pub run: RunMode,
    /// The runs check part of the set (watch mode): the cache keeps the
    /// verdicts of snippets not asked about, instead of dropping them.
    pub partial: bool,
    edition: Edition,
    /// `[snippets.rust] edition`, when it is set.
    configured_edition: Option<Edition>,
    runner: Arc<dyn CommandRunner>,
    /// The mdBook each folder's documents are chapters of, found once per
    /// folder.
    books: Arc<Mutex<HashMap<PathBuf, Option<Arc<Book>>>>>,
}

/// What the checks that wait for the whole walk gave.
#[derive(Debug, Default)]
pub struct Finished {
    /// One per pending check: the Rust ones, then the external ones, each
    /// in the order given.
    pub verdicts: Vec<Verdict>,
    /// Problems that stop the run (exit 2): dependencies that do not resolve.
    pub errors: Vec<Error>,
}

impl Verifier {
    /// A verifier for `config`, keeping its cache in `cache_dir`, starting
    /// programs as they are ([`runner::System`]).
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when `[snippets.rust] edition` is not one of `2015`,
    /// `2018`, `2021`, `2024`, or `[snippets.python] target_version` not one
    /// of `3.7` … `3.14`.
    pub fn new(
        config: &SnippetsConfig,
        cache_dir: PathBuf,
        cwd: PathBuf,
        run: RunMode,
    ) -> Result<Self, Error> {
        let configured = match &config.rust.edition {
            None => None,
            Some(e) => Some(Edition::parse(e).ok_or_else(|| {
                Error::Usage(format!(
                    "[snippets.rust] edition: `{e}` is not one of 2015, 2018, 2021, 2024"
                ))
            })?),
        };
        let edition = configured.unwrap_or(Edition::E2021);
        if python::parse_version(&config.python.target_version).is_none() {
            return Err(Error::Usage(format!(
                "[snippets.python] target_version: `{}` is not one of {}",
                config.python.target_version,
                python::VERSIONS.join(", ")
            )));
        }
        Ok(Verifier {
            config: config.clone(),
            cache_dir,
            cwd,
            run,
            partial: false,
            edition,
            configured_edition: configured,
            runner: Arc::new(runner::System),
            books: Arc::default(),
        })
    }

    /// The same verifier, starting its programs through `runner`.
    pub fn with_runner(mut self, runner: Arc<dyn CommandRunner>) -> Self {
        self.runner = runner;
        self
    }

    /// Check what can be checked at once, and set aside what must wait.
    ///
    /// Blocks with no checker (no language, or one neither built in nor
    /// configured) give nothing. `ignore` (as rustdoc reads it, or for any
    /// language), `<!-- ruledoc: skip -->` and an unclosed fence give a
    /// skipped verdict, and so does a data block mdBook replaces
    /// (`{{#include}}` in a book's chapter). Python, `pycon`, JavaScript,
    /// TypeScript, JSX, TSX, JSON, JSONC, JSON5, YAML, TOML and XML are parsed
    /// here; Rust and external checks come back as [`Pending`].
    ///
    /// In an mdBook chapter (a document under the source folder of the
    /// nearest `book.toml` above it), blocks are read as `mdbook test` has
    /// rustdoc read them: a fence with no info string and an indented code
    /// block are Rust, `{{#include}}` and `{{#rustdoc_include}}` in a Rust
    /// block are expanded ([`include`]; a file that cannot be read fails the
    /// block, at the directive), and the edition is the book's `[rust]
    /// edition` when it sets one.
    pub fn check_document(&self, document: &Document) -> DocSnippets {
        let source = &document.source;
        let mut out = DocSnippets::default();
        let book = self.book_of(&source.path);
        let mut blocks: Vec<&crate::model::Snippet> = document.doc.snippets.iter().collect();
        if book.is_some() {
            blocks.extend(&document.doc.indented);
            blocks.sort_by_key(|s| s.line);
        }
        for s in blocks {
            let rust_attrs = rust_in(s, book.is_some());
            let rust = rust_attrs.is_some();
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
                path: source.display.clone(),
                line: s.line,
                lang: lang.clone(),
                status,
                detail,
                cached: false,
            };
            let ignored = match &rust_attrs {
                Some(attrs) => s.skip || attrs.ignore,
                None => is_ignored(s),
            };
            if ignored {
                out.verdicts.push(Verdict::clean(outcome(
                    Status::Skipped,
                    Some("ignored".into()),
                )));
                continue;
            }
            if !s.closed {
                out.verdicts.push(Verdict::clean(outcome(
                    Status::Skipped,
                    Some("its fence is never closed (RD201)".into()),
                )));
                continue;
            }
            if let Some(why) = inproc
                .filter(|k| k.is_data() && book.is_some())
                .and_then(|_| data::mdbook_replaced(&s.code))
            {
                out.verdicts
                    .push(Verdict::clean(outcome(Status::Skipped, Some(why))));
                continue;
            }
            let pending = |kind| Pending {
                path: source.display.clone(),
                fence_line: s.line,
                code_line: s.code_line,
                indent: s.fence.indent,
                prefixes: verdict::code_prefixes(source, s),
                lang: lang.clone(),
                avoid: s.marker == Some(crate::model::Marker::Avoid),
                kind,
            };
            if let Some(attrs) = rust_attrs {
                let run = match self.run {
                    RunMode::Never => false,
                    RunMode::Marked => attrs.run,
                    RunMode::All => true,
                } && !attrs.no_run
                    && !attrs.compile_fail
                    // A test harness runs its tests, which `--run` does not do.
                    && !attrs.test_harness;
                // In a chapter: the block's own, the book's, the configured
                // one, else 2015 (`mdbook test` passes no edition then).
                let edition = match &book {
                    None => attrs.edition.unwrap_or(self.edition),
                    Some(b) => attrs
                        .edition
                        .or(b.edition.as_deref().and_then(Edition::parse))
                        .or(self.configured_edition)
                        .unwrap_or(Edition::E2015),
                };
                let expanded = match &book {
                    Some(book) => {
                        let dir = self.absolute(&source.path);
                        let dir = dir.parent().unwrap_or(Path::new(""));
                        let inc = include::expand_includes(&s.code, s.code_line, dir, &book.root);
                        if let Some(verdict) = include::missing_verdict(source, s, &inc, &lang) {
                            out.verdicts.push(verdict);
                            continue;
                        }
                        expand_lines(&inc.lines)
                    }
                    None => expand(s),
                };
                let job = RustJob::new(expanded, attrs, edition);
                out.pending.push(pending(PendingKind::Rust {
                    job: Box::new(job),
                    run,
                }));
                continue;
            }
            let mut failed = None;
            if let Some(kind) = inproc
                && let Some((e, shifts)) = check_in_process(kind, s, source, &self.config)
            {
                let shift = shifts.get(e.line).copied().unwrap_or(0);
                failed = Some(SyntaxFinding {
                    range: code_range(source, s, e.line, e.column + shift),
                    message: format!("{} snippet does not parse: {}", s.lang, e.message),
                    help: e.help,
                });
            }
            if let Some(checker) = external.filter(|_| failed.is_none()) {
                let key = external::job_key(&checker.command, &s.lang, &s.code);
                out.pending.push(pending(PendingKind::External {
                    key,
                    code: s.code.clone(),
                }));
                continue;
            }
            out.verdicts.push(match failed {
                Some(finding) => Verdict {
                    outcome: outcome(Status::Failed, Some(finding.message.clone())),
                    problem: Some(Problem::Syntax(vec![finding])),
                },
                None => Verdict::clean(outcome(Status::Passed, None)),
            });
        }
        out
    }

    /// The mdBook `path` (a document's, as given) is a chapter of, looked up
    /// once per folder.
    fn book_of(&self, path: &Path) -> Option<Arc<Book>> {
        let abs = self.absolute(path);
        let dir = abs.parent()?.to_path_buf();
        if let Ok(books) = self.books.lock()
            && let Some(known) = books.get(&dir)
        {
            return known.clone();
        }
        let book = Book::of(&abs).map(Arc::new);
        if let Ok(mut books) = self.books.lock() {
            books.insert(dir, book.clone());
        }
        book
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        crate::paths::normalize_from(&self.cwd, path)
    }

    /// Run the checks that waited for the walk: Rust (rustc, or cargo when
    /// dependencies are configured; then the runs `--run` asks for), then the
    /// external commands, in parallel. Verdicts come back Rust first, each
    /// group in the order of `pending`.
    ///
    /// Without a compiler or a checker the snippets are `Unchecked`, never
    /// passed; a cargo failure (dependencies that do not resolve) is also in
    /// [`Finished::errors`].
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
            runner: &*self.runner,
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
                Err(rust::CannotCheck::Cargo(m) | rust::CannotCheck::Unavailable(m)) => {
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
            let mut problem = rust_problem(p, job, &result);
            if problem.is_none()
                && *run
                && let Some(RunOutcome::Failed(why)) = ran.get(&job.key)
            {
                problem = Some(Problem::Run(format!(
                    "the snippet compiles, but when run {why}"
                )));
            }
            let (status, detail) = match &problem {
                None => (Status::Passed, None),
                Some(Problem::Compile(errors)) => {
                    (Status::Failed, errors.first().map(|e| e.message.clone()))
                }
                Some(Problem::Unexpected(m) | Problem::Run(m)) => (Status::Failed, Some(m.clone())),
                Some(Problem::Syntax(_) | Problem::Unavailable(_)) => (Status::Failed, None),
            };
            done.verdicts.push(Verdict {
                outcome: SnippetOutcome {
                    path: p.path.clone(),
                    line: p.fence_line,
                    lang: p.lang.clone(),
                    status,
                    detail,
                    cached: cached.contains(&job.key),
                },
                problem,
            });
        }
    }

    fn finish_external(&self, pending: Vec<Pending>, done: &mut Finished) {
        if pending.is_empty() {
            return;
        }
        type External = Result<(external::CheckerOutput, bool), external::Unavailable>;
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
                    cached_external(
                        &*self.runner,
                        &self.cache_dir,
                        (&checker.command, key, code, &ext),
                        &dir,
                    ),
                )
            })
            .collect();
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
            let verdict = match result.map(|(c, _)| c) {
                Ok(checked) if checked.findings.is_empty() => {
                    Verdict::clean(outcome(Status::Passed, None))
                }
                Ok(checked) => {
                    let findings = checked
                        .findings
                        .iter()
                        .map(|f| {
                            let line = p.code_line + f.line.saturating_sub(1);
                            let column = f.column + p.prefix(line);
                            SyntaxFinding {
                                range: Range::from_pairs((line, column), (line, column + 1)),
                                message: format!("{} snippet: {}", p.lang, f.message),
                                help: None,
                            }
                        })
                        .collect();
                    Verdict {
                        outcome: outcome(
                            Status::Failed,
                            checked.findings.first().map(|f| f.message.clone()),
                        ),
                        problem: Some(Problem::Syntax(findings)),
                    }
                }
                Err(external::Unavailable(why)) => Verdict {
                    outcome: outcome(Status::Unchecked, Some(why.clone())),
                    problem: Some(Problem::Unavailable(why)),
                },
            };
            done.verdicts.push(verdict);
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
    runner: &dyn CommandRunner,
    cache_dir: &std::path::Path,
    (command, key, code, ext): (&str, &str, &str, &str),
    dir: &std::path::Path,
) -> Result<(external::CheckerOutput, bool), external::Unavailable> {
    let path = cache_dir
        .join("external-results")
        .join(format!("{key}.json"));
    if let Some(hit) = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        return Ok((hit, true));
    }
    let checked = external::run(runner, command, code, key, ext, dir)?;
    if let Ok(bytes) = serde_json::to_vec(&checked) {
        let _ = crate::fsutil::write_atomic(&path, &bytes);
    }
    Ok((checked, false))
}

/// Every Rust snippet, when the Rust checker could not run: unchecked, and
/// why. A cargo failure (the dependencies) also stops the run.
fn unchecked(pending: &[Pending], problem: rust::CannotCheck, done: &mut Finished) {
    let why = match &problem {
        rust::CannotCheck::Unavailable(m) => m.clone(),
        rust::CannotCheck::Cargo(m) => m.lines().next().unwrap_or("cargo failed").to_string(),
    };
    if let rust::CannotCheck::Cargo(m) = problem {
        done.errors.push(Error::Usage(m));
    }
    for p in pending {
        done.verdicts.push(Verdict {
            outcome: SnippetOutcome {
                path: p.path.clone(),
                line: p.fence_line,
                lang: p.lang.clone(),
                status: Status::Unchecked,
                detail: Some(why.clone()),
                cached: false,
            },
            problem: Some(Problem::Unavailable(why.clone())),
        });
    }
}

/// An in-process syntax error, and how many characters each line lost before
/// parsing (pycon prompts).
fn check_in_process(
    kind: InProcess,
    snippet: &crate::model::Snippet,
    source: &crate::source::SourceFile,
    config: &SnippetsConfig,
) -> Option<(SyntaxError, Vec<usize>)> {
    let code = snippet.code.as_str();
    let python = || python::target_version(&config.python.target_version);
    match kind {
        InProcess::Python => python::check(code, python()).map(|e| (e, Vec::new())),
        InProcess::Pycon => python::check_session(code, python()),
        InProcess::Json => {
            let before = source.text.get(..snippet.span.start).unwrap_or("");
            let context = data::JsonContext {
                label: snippet.label.as_deref(),
                above: data::line_above(before),
            };
            data::json(code, context).map(|e| (e, Vec::new()))
        }
        InProcess::Jsonc => data::jsonc(code).map(|e| (e, Vec::new())),
        InProcess::Json5 => data::json5(code).map(|e| (e, Vec::new())),
        InProcess::Yaml => data::yaml(code).map(|e| (e, Vec::new())),
        InProcess::Toml => data::toml(code).map(|e| (e, Vec::new())),
        InProcess::Xml => data::xml(code).map(|e| (e, Vec::new())),
        InProcess::JavaScript(dialect) => javascript::check(code, dialect).map(|e| (e, Vec::new())),
    }
}
