//! Rust snippets: never one rustc per snippet. Every snippet that can share a
//! crate becomes one module of a crate per edition; the others get a crate
//! each. With `[snippets.rust.dependencies]`, one `cargo check` builds them
//! all, in parallel, in a persistent target dir; without dependencies rustc is
//! run on each crate directly, in parallel, which saves cargo's start-up.
//! Failing modules are taken out and the rest checked again, so that errors
//! the first pass hid come out.

pub(crate) mod expand;
mod messages;
mod run;
pub(crate) mod toolchain;
mod workspace;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use cargo_metadata::{CompilerMessage, Message};
use serde::{Deserialize, Serialize};

pub(crate) use messages::CompileError;
pub(crate) use run::{RunOutcome, run_all};
pub(crate) use workspace::unit_name;

use super::attributes::{Edition, RustAttributes};
use super::cache::ResultCache;
use crate::hash::content_hash as key;
use expand::Expanded;
use workspace::Workspace;

/// One Rust snippet to check.
#[derive(Debug, Clone)]
pub struct RustJob {
    /// Lowercase hex SHA-256 of what decides the compile verdict: the
    /// expanded text, the edition, whether it is standalone, and
    /// `compile_fail` with its error codes. Identical snippets share it.
    pub key: String,
    /// The code as the compiler sees it, after rustdoc's expansion.
    pub expanded: Expanded,
    /// Its info string, read as rustdoc reads it.
    pub attrs: RustAttributes,
    /// The edition it compiles with: its own `editionNNNN`, else the
    /// configured one.
    pub edition: Edition,
    /// Compiled as a crate of its own: `compile_fail` (its errors are expected,
    /// and must not stop the others), `standalone_crate`, crate-level `#![...]`
    /// attributes, `#[macro_export]` or `#[macro_use]`.
    pub standalone: bool,
}

impl RustJob {
    /// The job for `expanded` with `attrs`, compiled under `edition`.
    pub fn new(expanded: Expanded, attrs: RustAttributes, edition: Edition) -> Self {
        let expanded = expanded.for_attributes(&attrs);
        let standalone = attrs.compile_fail
            || attrs.standalone_crate
            || attrs.test_harness
            || expanded.needs_own_crate();
        let mut parts = vec![
            expanded.text(),
            edition.as_str().to_string(),
            standalone.to_string(),
            format!("test_harness={}", attrs.test_harness),
        ];
        parts.push(format!(
            "{}{}",
            attrs.compile_fail,
            attrs.error_codes.join(",")
        ));
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        RustJob {
            key: key(&refs),
            expanded,
            attrs,
            edition,
            standalone,
        }
    }
}

/// What checking a snippet gave: its compile errors (none: it compiled).
/// Kept in `rust-results.json` in the cache dir.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Compiled {
    /// In the snippet's own coordinates (the expanded text), in the order
    /// the compiler gave them, each once.
    pub errors: Vec<CompileError>,
}

/// Why Rust snippets could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CannotCheck {
    /// No cargo or rustc: the snippets are reported as unchecked.
    Unavailable(String),
    /// Cargo failed before compiling anything (dependencies that do not resolve).
    Cargo(String),
}

/// Where and how to check.
#[derive(Debug, Clone)]
pub(crate) struct RustOptions<'a> {
    /// Holds the result cache, the toolchain record and the generated crates.
    pub cache_dir: &'a Path,
    /// Where `rustc -vV` runs (a `rust-toolchain` file there chooses the
    /// toolchain).
    pub cwd: &'a Path,
    /// `[snippets.rust.dependencies]`: empty, rustc runs directly; else
    /// cargo resolves and builds them.
    pub dependencies: &'a toml::Table,
    /// The jobs are part of the set: cached verdicts of the others are kept.
    pub partial: bool,
    /// Starts rustc and cargo.
    pub runner: &'a dyn crate::snippets::runner::CommandRunner,
}

/// How many times failing modules are taken out and the rest checked again.
const MAX_PASSES: usize = 8;

/// What checking gave, and which jobs came from the cache.
#[derive(Debug, Default)]
pub(crate) struct CheckResults {
    /// By job key: one per job.
    pub results: HashMap<String, Compiled>,
    /// The keys whose result came from the cache.
    pub cached: HashSet<String>,
}

/// Check `jobs` (keys unique), from the cache where possible. With nothing
/// new to check, no compiler is started. A cache entry is keyed by the job's
/// key, ruledoc's version, `rustc -vV` and the dependencies.
///
/// # Errors
///
/// [`CannotCheck::Unavailable`] without `rustc` or `cargo` on `PATH`, or when
/// they cannot be started;
/// [`CannotCheck::Cargo`] when the generated crates cannot be written, cargo
/// fails before compiling (dependencies), or rustc fails without naming a
/// snippet.
pub(crate) fn check(jobs: &[&RustJob], opts: &RustOptions) -> Result<CheckResults, CannotCheck> {
    let version =
        toolchain::rustc_version(opts.runner, opts.cache_dir, opts.cwd).ok_or_else(|| {
            CannotCheck::Unavailable("`cargo` and `rustc` were not found on PATH".into())
        })?;
    let deps = toml::to_string(opts.dependencies).unwrap_or_default();
    // `RUSTC_BOOTSTRAP=1` lets a stable rustc take `#![feature]`: it changes
    // verdicts, so it is part of the key.
    let bootstrap = std::env::var("RUSTC_BOOTSTRAP").unwrap_or_default();
    let cache_key = |job: &RustJob| key(&[crate::VERSION, &version, &deps, &bootstrap, &job.key]);
    let cache_path = opts.cache_dir.join("rust-results.json");
    let mut cache: ResultCache<Compiled> = ResultCache::load(&cache_path);

    let mut results = HashMap::new();
    let mut cached = HashSet::new();
    let mut missing = Vec::new();
    for job in jobs {
        match cache.get(&cache_key(job)) {
            Some(c) => {
                results.insert(job.key.clone(), c.clone());
                cached.insert(job.key.clone());
            }
            None => missing.push(*job),
        }
    }
    if !missing.is_empty() {
        // The generated workspace is shared by every run on this cache dir
        // (an editor and pre-commit at once): one run writes and compiles
        // in it at a time.
        let _lock = workspace_lock(opts.cache_dir);
        let fresh = compile(&missing, opts)?;
        for job in &missing {
            let checked = fresh.get(&job.key).cloned().unwrap_or_default();
            cache.insert(cache_key(job), checked.clone());
            results.insert(job.key.clone(), checked);
        }
    }
    let live: HashSet<String> = jobs.iter().map(|j| cache_key(j)).collect();
    let _ = cache.save((!opts.partial).then_some(&live));
    Ok(CheckResults { results, cached })
}

/// An exclusive lock on the cache dir's generated crates, held until the
/// returned file is dropped; `None` when the file system has no locks (the
/// run then goes on unlocked, as before).
pub(crate) fn workspace_lock(cache_dir: &Path) -> Option<std::fs::File> {
    std::fs::create_dir_all(cache_dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(cache_dir.join("rust.lock"))
        .ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Compile `jobs` in the generated workspace.
fn compile(
    jobs: &[&RustJob],
    opts: &RustOptions,
) -> Result<HashMap<String, Compiled>, CannotCheck> {
    let root = opts.cache_dir.join("rust");
    let mut ws = Workspace::write(&root, jobs, opts.dependencies).map_err(|e| {
        CannotCheck::Cargo(format!(
            "cannot write the snippet workspace in {}: {e}",
            root.display()
        ))
    })?;
    let mut errors: HashMap<String, Vec<CompileError>> = HashMap::new();

    let all: Vec<String> = ws
        .merged
        .values()
        .map(|(p, _)| p.clone())
        .chain(ws.standalone.iter().cloned())
        .collect();
    check_packages(&ws, &all, opts, &mut errors, false)?;

    // Take failing modules out of the merged crates and check the rest again
    // until no new module fails: a failure can hide others behind it.
    for _ in 0..MAX_PASSES {
        let editions: Vec<(Edition, Vec<String>)> = ws
            .merged
            .iter()
            .filter_map(|(edition, (_, modules))| {
                let keep: Vec<String> = modules
                    .iter()
                    .filter(|m| !failing(&ws, &errors, m))
                    .cloned()
                    .collect();
                (keep.len() < modules.len() && !keep.is_empty()).then_some((*edition, keep))
            })
            .collect();
        if editions.is_empty() {
            break;
        }
        let mut packages = Vec::new();
        for (edition, keep) in editions {
            packages.push(ws.merged[&edition].0.clone());
            ws.set_modules(edition, keep).map_err(|e| {
                CannotCheck::Cargo(format!("cannot write the snippet workspace: {e}"))
            })?;
        }
        let before: usize = errors.len();
        check_packages(&ws, &packages, opts, &mut errors, false)?;
        if errors.len() == before {
            break;
        }
    }
    recheck_alone(&mut ws, jobs, opts, &mut errors)?;
    confirm_compile_fail(&ws, jobs, opts, &mut errors)?;
    Ok(errors
        .into_iter()
        .map(|(k, errors)| (k, Compiled { errors }))
        .collect())
}

/// A module that failed in a merged crate is compiled again as a program of
/// its own, as rustdoc would compile it, and only those errors count:
/// sharing a crate must not show through (a `crate::` path, `$crate`, the
/// `main` check of the merged module).
fn recheck_alone(
    ws: &mut Workspace,
    jobs: &[&RustJob],
    opts: &RustOptions,
    errors: &mut HashMap<String, Vec<CompileError>>,
) -> Result<(), CannotCheck> {
    let failed: Vec<&RustJob> = jobs
        .iter()
        .filter(|j| !j.standalone && errors.contains_key(&j.key))
        .copied()
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let deps = workspace::dependencies_section(opts.dependencies);
    let mut packages = Vec::new();
    for job in &failed {
        errors.remove(&job.key);
        ws.write_standalone(job, &deps)
            .map_err(|e| CannotCheck::Cargo(format!("cannot write the snippet workspace: {e}")))?;
        packages.push(format!("ruledoc-{}", unit_name(&job.key)));
    }
    ws.write_root()
        .map_err(|e| CannotCheck::Cargo(format!("cannot write the snippet workspace: {e}")))?;
    check_packages(ws, &packages, opts, errors, false)
}

/// rustdoc builds a `compile_fail` block fully (never metadata only), so an
/// error that only monomorphisation reaches (a `const` assertion in a
/// generic impl) makes it fail as declared. A `compile_fail` block whose
/// metadata checks clean is built before it is said to compile.
fn confirm_compile_fail(
    ws: &Workspace,
    jobs: &[&RustJob],
    opts: &RustOptions,
    errors: &mut HashMap<String, Vec<CompileError>>,
) -> Result<(), CannotCheck> {
    let packages: Vec<String> = jobs
        .iter()
        .filter(|j| j.attrs.compile_fail && !errors.contains_key(&j.key))
        .map(|j| format!("ruledoc-{}", unit_name(&j.key)))
        .collect();
    check_packages(ws, &packages, opts, errors, true)
}

/// Whether the module `m` of a merged crate has errors.
fn failing(ws: &Workspace, errors: &HashMap<String, Vec<CompileError>>, m: &str) -> bool {
    ws.files
        .values()
        .any(|(key, _)| unit_name(key) == m && errors.contains_key(key))
}

/// Check the packages: with dependencies through cargo (which resolves and
/// builds them), without straight through rustc, which saves cargo's start-up
/// and bookkeeping on every run. `build` builds them fully instead of
/// checking their metadata.
fn check_packages(
    ws: &Workspace,
    packages: &[String],
    opts: &RustOptions,
    errors: &mut HashMap<String, Vec<CompileError>>,
    build: bool,
) -> Result<(), CannotCheck> {
    if packages.is_empty() {
        return Ok(());
    }
    if opts.dependencies.is_empty() {
        rustc_check(ws, packages, opts, errors, build)
    } else {
        cargo_check(ws, packages, opts, errors, build)
    }
}

/// One rustc per package, as many at once as there are cores: metadata
/// only (what `cargo check` does), or, `build`, a full build, which also
/// evaluates what only monomorphisation reaches.
fn rustc_check(
    ws: &Workspace,
    packages: &[String],
    opts: &RustOptions,
    errors: &mut HashMap<String, Vec<CompileError>>,
    build: bool,
) -> Result<(), CannotCheck> {
    let out_dir = ws.root.join("target").join("rustc");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| CannotCheck::Cargo(format!("cannot create {}: {e}", out_dir.display())))?;
    let mut units = Vec::with_capacity(packages.len());
    for p in packages {
        let package = ws.packages.get(p).ok_or_else(|| {
            CannotCheck::Cargo(format!(
                "internal error: the snippet workspace has no package `{p}`"
            ))
        })?;
        units.push((p.replace('-', "_"), package));
    }
    let queue = std::sync::Mutex::new(units.iter());
    let results = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(units.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let next = || queue.lock().ok().and_then(|mut q| q.next());
                while let Some((crate_name, package)) = next() {
                    let crate_type = if package.bin { "bin" } else { "lib" };
                    // A test harness is a program of its own kind.
                    let kind: &[&str] = if package.test {
                        &["--test"]
                    } else {
                        &["--crate-type", crate_type]
                    };
                    let (emit, output) = if build {
                        ("--emit=link", out_dir.join(crate_name))
                    } else {
                        (
                            "--emit=metadata",
                            out_dir.join(format!("lib{crate_name}.rmeta")),
                        )
                    };
                    let mut cmd = opts.runner.command(&toolchain::rustc_program());
                    cmd.args(kind);
                    // A program is named as rustdoc leaves it: by its
                    // `#![crate_name]`, if it has one.
                    if !package.bin {
                        cmd.args(["--crate-name", crate_name]);
                    }
                    let out = cmd
                        .args(["--edition", package.edition.as_str()])
                        .args([emit, "--error-format=json", "-o"])
                        .arg(output)
                        .arg(package.root_file())
                        .current_dir(&ws.root)
                        .env_remove("RUSTFLAGS")
                        .output();
                    if let Ok(mut r) = results.lock() {
                        r.push((package.dir.as_str(), out));
                    }
                }
            });
        }
    });
    let known = |f: &str| ws.file(f).is_some();
    let mut fresh: BTreeMap<String, Vec<CompileError>> = BTreeMap::new();
    for (dir, out) in results.into_inner().unwrap_or_default() {
        let out = out.map_err(|e| CannotCheck::Unavailable(format!("cannot run rustc: {e}")))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut mapped = false;
        let own = ws.program_in(dir);
        for msg in messages::parse_rustc_lines(&stderr) {
            if let Some((file, mut err)) = messages::compile_error(&msg, &known)
                && let Some((key, header)) = ws.file(&file)
            {
                shift(&mut err, *header);
                fresh.entry(key.clone()).or_default().push(err);
                mapped = true;
            } else if let Some((key, _)) = own
                && let Some(err) = messages::spanless_error(&msg)
            {
                fresh.entry(key.clone()).or_default().push(err);
                mapped = true;
            }
        }
        // A failure that names no snippet (rustc crashing on a snippet, an
        // error in generated code) must not pass for a clean compile. It is
        // put on every snippet of the crate: a program's own, and a shared
        // crate's modules are then each compiled alone (`recheck_alone`).
        if !out.status.success() && !mapped {
            let why: Vec<String> = messages::parse_rustc_lines(&stderr)
                .iter()
                .filter(|m| messages::is_error(m))
                .map(|m| m.message.clone())
                .chain(
                    stderr
                        .lines()
                        .filter(|l| !l.starts_with('{') && !l.trim().is_empty())
                        .map(str::to_string),
                )
                .take(3)
                .collect();
            let prefix = format!("{dir}/");
            let keys: Vec<&String> = ws
                .files
                .iter()
                .filter(|(file, _)| file.starts_with(&prefix))
                .map(|(_, (key, _))| key)
                .collect();
            if keys.is_empty() {
                return Err(CannotCheck::Cargo(format!(
                    "rustc failed on the generated crate {dir} without naming a snippet:\n{}",
                    why.join("\n")
                )));
            }
            let error = CompileError {
                message: format!(
                    "rustc stopped without naming a line: {}",
                    why.first().map_or("no message", String::as_str)
                ),
                code: None,
                at: crate::source::Range::from_pairs((0, 0), (0, 0)),
                labels: Vec::new(),
                notes: why.iter().skip(1).cloned().collect(),
            };
            for key in keys {
                fresh.entry(key.clone()).or_default().push(error.clone());
            }
        }
    }
    merge(errors, fresh);
    Ok(())
}

/// Add newly found errors to each job's list, once each.
fn merge(
    errors: &mut HashMap<String, Vec<CompileError>>,
    fresh: BTreeMap<String, Vec<CompileError>>,
) {
    for (key, errs) in fresh {
        let list = errors.entry(key).or_default();
        for e in errs {
            if !list.contains(&e) {
                list.push(e);
            }
        }
    }
}

/// `cargo check` (or, `build`, `cargo build`) the packages; add each file's
/// errors to its job's list.
fn cargo_check(
    ws: &Workspace,
    packages: &[String],
    opts: &RustOptions,
    errors: &mut HashMap<String, Vec<CompileError>>,
    build: bool,
) -> Result<(), CannotCheck> {
    let mut cmd = opts.runner.command("cargo");
    let verb = if build { "build" } else { "check" };
    // `--all-targets`: the libraries and programs, and the `[[test]]`
    // targets of `test_harness` snippets (none of them has a test target
    // of its own: `test = false`).
    cmd.args([
        verb,
        "--all-targets",
        "--message-format=json",
        "--keep-going",
        "--quiet",
    ])
    .current_dir(&ws.root)
    .env("CARGO_TARGET_DIR", ws.root.join("target"))
    .env("CARGO_TERM_COLOR", "never")
    .env_remove("RUSTFLAGS");
    if opts.dependencies.is_empty() {
        // Nothing to fetch: never touch the network.
        cmd.arg("--offline");
    }
    for p in packages {
        cmd.args(["-p", p]);
    }
    let out = cmd
        .output()
        .map_err(|e| CannotCheck::Unavailable(format!("cannot run cargo: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut seen_any = false;
    let known = |f: &str| ws.file(f).is_some();
    let mut fresh: BTreeMap<String, Vec<CompileError>> = BTreeMap::new();
    for message in messages::parse_cargo_lines(&stdout) {
        seen_any |= matches!(
            message,
            Message::CompilerMessage(_) | Message::CompilerArtifact(_)
        );
        let Message::CompilerMessage(CompilerMessage {
            message: msg,
            target,
            ..
        }) = message
        else {
            continue;
        };
        let Some((file, mut err)) = messages::compile_error(&msg, &known) else {
            // A program's root file is its snippet's: what points nowhere is
            // about it. A shared crate's `lib.rs` is no snippet's.
            let own = ws.file(target.src_path.as_str());
            if let Some((key, _)) = own
                && let Some(err) = messages::spanless_error(&msg)
            {
                fresh.entry(key.clone()).or_default().push(err);
            }
            continue;
        };
        let Some((key, header)) = ws.file(&file) else {
            continue;
        };
        shift(&mut err, *header);
        fresh.entry(key.clone()).or_default().push(err);
    }
    if !out.status.success() && !seen_any {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let reason: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                l.starts_with("error")
                    || l.trim_start().starts_with("Caused by")
                    || l.starts_with("  ")
            })
            .take(8)
            .collect();
        return Err(CannotCheck::Cargo(format!(
            "cargo could not build the snippet workspace (check [snippets.rust.dependencies] and the network):\n{}",
            if reason.is_empty() {
                stderr.trim().to_string()
            } else {
                reason.join("\n")
            }
        )));
    }
    merge(errors, fresh);
    Ok(())
}

/// Move positions from the file (which may start with ruledoc's header) to
/// the snippet's expanded text. Line 0 (an error that points nowhere) stays.
fn shift(err: &mut CompileError, header: usize) {
    let up = |p: &mut crate::source::Range| {
        if p.start.line > 0 {
            p.start.line = p.start.line.saturating_sub(header).max(1);
            p.end.line = p.end.line.saturating_sub(header).max(1);
        }
    };
    up(&mut err.at);
    for (p, _) in &mut err.labels {
        up(p);
    }
}
