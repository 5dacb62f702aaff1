use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use ruledoc::diagnostic::{Applicability, Severity};
use ruledoc::lint::{Job, Plan, check_pattern};
use ruledoc::pipeline::{self, FixMode, Pipeline};
use ruledoc::report::{self, Format, HumanOptions, Report, Summary};
use ruledoc::settings::Settings;
use ruledoc::snippets::{RunMode, Verifier};

use super::progress::Progress;
use super::{ColorChoice, GlobalArgs, report_problems, settings};

/// Lint rule documents: metadata, structure and links (no compilers run).
///
/// Findings print to stdout sorted by path, line, column and code; the summary
/// line goes to stderr. `--fix` applies the safe fixes (`--unsafe-fixes` adds
/// the unsafe ones; `ruledoc explain CODE` says which a rule's are) and lints
/// again until nothing changes (up to 1,000 rounds: a fix can reveal the
/// next), writing each file atomically.
#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Apply fixes and write the files; report what is left
    #[arg(long)]
    pub fix: bool,

    /// Print what --fix would change as a unified diff; write nothing
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// With --fix or --diff: apply the unsafe fixes too (they delete text or
    /// guess the author's intent: read the result)
    #[arg(long)]
    pub unsafe_fixes: bool,
}

/// Output and rule selection, shared by `lint`, `check` and `snippets verify`.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Rules to run: codes, prefixes or names, comma-separated (RD1,RD201,over-budget); replaces [lint] select
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,

    /// Rules to leave out: codes, prefixes or names, comma-separated; adds to [lint] ignore
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    /// After the report, print how many findings each rule made (stderr,
    /// one line per rule: count, code, name), most first
    #[arg(long)]
    pub statistics: bool,

    /// Exit 0 even when there are findings at error severity (usage,
    /// configuration and I/O errors still exit 2)
    #[arg(long)]
    pub exit_zero: bool,
}

/// Snippet verification options, shared by `check` and `snippets verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Also build and run Rust snippets. RUNNING A SNIPPET RUNS SOMEONE ELSE'S
    /// CODE on this machine, with your permissions: use it only on documents
    /// you trust. `--run` runs every snippet rustdoc would run (not `no_run`,
    /// `ignore` or `compile_fail`); `--run=marked` only those with the `run`
    /// attribute. `should_panic` snippets must panic. Off by default: without
    /// it no snippet code runs, but `cargo check` still runs the build scripts
    /// and proc-macros of the dependencies in [snippets.rust.dependencies].
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "all", value_name = "WHICH")]
    pub run: Option<RunArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RunArg {
    /// Every runnable snippet
    All,
    /// Only snippets with the `run` attribute
    Marked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Source lines with the span underlined, as rustc shows them
    Human,
    /// {"diagnostics": [...], "summary": {...}}
    Json,
    /// SARIF 2.1.0, for code-scanning uploads
    Sarif,
    /// GitHub Actions annotations (::error file=...)
    Github,
    /// JUnit XML: a test case per document, and per snippet when snippets are checked
    Junit,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Human => Format::Human,
            OutputFormat::Json => Format::Json,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Github => Format::Github,
            OutputFormat::Junit => Format::Junit,
        }
    }
}

pub(super) fn run(args: &LintArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let fix = match (args.fix, args.diff) {
        (true, _) => FixMode::Fix,
        (_, true) => FixMode::Diff,
        _ => FixMode::Report,
    };
    let applicability = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    execute(
        &args.paths,
        &args.output,
        Job::Lint,
        (fix, applicability),
        None,
        global,
    )
}

/// The plan `job` runs, with the command line's `--select` / `--ignore`; a
/// configuration error names the configuration file.
pub(super) fn plan_for(
    settings: &Settings,
    select: &[String],
    ignore: &[String],
    job: Job,
) -> anyhow::Result<Plan> {
    // A bad pattern on the command line is the command line's, not the
    // configuration file's.
    for (flag, patterns) in [("--select", select), ("--ignore", ignore)] {
        for p in patterns {
            check_pattern(p).map_err(|e| anyhow::anyhow!("{flag}: {e}"))?;
        }
    }
    Plan::new(
        &settings.config.lint,
        job,
        select,
        ignore,
        &settings.base_dir,
    )
    .map_err(|e| {
        let origin = settings
            .config_path
            .as_deref()
            .map(|p| format!("{}: ", ruledoc::paths::display_path(p)))
            .unwrap_or_default();
        anyhow::anyhow!("{origin}{e}")
    })
}

/// Run `job` over `paths` and report: the one place `lint`, `check` and
/// `snippets verify` meet.
pub(super) fn execute(
    paths: &[PathBuf],
    output: &OutputArgs,
    job: Job,
    (fix, applicability): (FixMode, Applicability),
    run: Option<RunArg>,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let plan = plan_for(&settings, &output.select, &output.ignore, job)?;
    let verifier = match job {
        Job::Lint => None,
        Job::Check | Job::Snippets => {
            let run = match run {
                None => RunMode::Never,
                Some(RunArg::All) => RunMode::All,
                Some(RunArg::Marked) => RunMode::Marked,
            };
            Some(Verifier::new(
                &settings.config.snippets,
                settings.cache_dir.clone(),
                settings.cwd.clone(),
                run,
            )?)
        }
    };
    let walk = settings.walk_with_context(paths)?;
    let stdout = io::stdout();
    let human = HumanOptions {
        color: use_color(global.color),
    };
    let human_output = output.format == OutputFormat::Human && fix != FixMode::Diff;
    let progress = Progress::start(
        global.quiet,
        if verifier.is_some() {
            "checking"
        } else {
            "linting"
        },
    );
    let pipeline = Pipeline::new(
        &settings,
        &plan,
        pipeline::RunOptions {
            fix,
            applicability,
            verifier: verifier.as_ref(),
            keep_sources: human_output,
            imports_as_context: !paths.is_empty(),
        },
    );
    let run = pipeline.run(walk);
    progress.finish();

    let mut out = BufWriter::new(stdout.lock());
    if fix == FixMode::Diff {
        for c in &run.changes {
            out.write_all(unified_diff(&c.before, &c.after, &c.path).as_bytes())?;
        }
    } else {
        let mut summary = Summary::new(
            &run.diagnostics,
            run.documents.len(),
            run.fixed,
            applicability,
        );
        if verifier.is_some() {
            summary.set_snippets(&run.snippets);
        }
        let report = Report {
            diagnostics: &run.diagnostics,
            documents: &run.documents,
            snippets: verifier.is_some().then_some(run.snippets.as_slice()),
            summary: &summary,
        };
        report::write(output.format.into(), &report, &human, &mut out)
            .context("cannot write the report")?;
        out.flush()?;
        // Nothing was read and something could not be: the error says it
        // all, and "no problems" would contradict it.
        let nothing_read = run.documents.is_empty() && !run.problems.errors.is_empty();
        if !global.quiet && !nothing_read {
            writeln!(io::stderr(), "{}", summary.line())?;
        }
    }
    out.flush()?;
    if output.statistics {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for d in &run.diagnostics {
            *counts.entry(d.code.as_ref()).or_default() += 1;
        }
        let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut err = io::stderr().lock();
        for (code, n) in rows {
            let name = ruledoc::lint::rules::find(code).map_or("", |m| m.name);
            writeln!(err, "{n:>6}  {code}  {name}")?;
        }
    }
    let failed = report_problems(&run.problems, global);
    Ok(if failed {
        ExitCode::from(2)
    } else if output.exit_zero {
        ExitCode::SUCCESS
    } else if fix == FixMode::Diff {
        ExitCode::from(u8::from(!run.changes.is_empty()))
    } else if run
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether human output on stdout is coloured. `auto` asks anstream, which
/// follows the terminal and the environment's conventions: `NO_COLOR`,
/// `CLICOLOR=0`, `CLICOLOR_FORCE`, `TERM=dumb`.
pub(super) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !matches!(
            anstream::AutoStream::choice(&io::stdout()),
            anstream::ColorChoice::Never
        ),
    }
}

fn unified_diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&diff_name("a", path), &diff_name("b", path))
        .to_string()
}

/// `a/rules/x.md` for a relative path, the path itself for an absolute one.
fn diff_name(side: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{side}/{path}")
    }
}
