use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use ruledoc::diagnostic::{Diagnostic, Severity};
use ruledoc::lint::{self, Mode, Plan, rules};
use ruledoc::report::{self, Format, HumanOptions, Report, Summary};
use ruledoc::settings::Settings;
use ruledoc::snippets::{RunMode, Verifier};
use ruledoc::source::SourceFile;

use super::progress::Progress;
use super::{ColorChoice, GlobalArgs, report_problems, settings};

/// Lint rule documents: metadata, structure and links (no compilers run).
///
/// Findings print to stdout sorted by path, line, column and code; the summary
/// line goes to stderr. `--fix` applies the fixable rules (RD202, RD206,
/// RD207) and repeats until nothing changes, at most 10 times, writing each
/// file atomically.
#[derive(Debug, Args)]
pub struct LintArgs {
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
}

/// Output and rule selection, shared by `lint`, `check` and `snippets verify`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Rules to run: codes or prefixes, comma-separated (RD1,RD201); replaces [lint] select
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,

    /// Rules to leave out: codes or prefixes, comma-separated; adds to [lint] ignore
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
}

/// Snippet verification options, shared by `check` and `snippets verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also build and run Rust snippets. RUNNING A SNIPPET RUNS SOMEONE ELSE'S
    /// CODE on this machine, with your permissions: use it only on documents
    /// you trust. `--run` runs every snippet rustdoc would run (not `no_run`,
    /// `ignore` or `compile_fail`); `--run=marked` only those with the `run`
    /// attribute. `should_panic` snippets must panic. Off by default: without
    /// it no snippet code runs, but `cargo check` still runs the build scripts
    /// and proc-macros of the dependencies in [snippets.rust.dependencies].
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "all", value_name = "WHICH")]
    pub run: Option<RunArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunArg {
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

/// Which findings a command reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Lint rules only: no snippet is compiled or parsed.
    Lint,
    /// Lint rules and snippet verification.
    Check,
    /// Snippet verification only.
    Snippets,
}

pub fn run(args: &LintArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mode = match (args.fix, args.diff) {
        (true, _) => Mode::Fix,
        (_, true) => Mode::Diff,
        _ => Mode::Report,
    };
    execute(&args.paths, &args.output, mode, Scope::Lint, None, global)
}

/// The plan a scope runs: `lint` never reports snippet verification codes;
/// `snippets verify` reports only them (unless `--select` says otherwise).
pub(super) fn plan_for(
    settings: &Settings,
    select: &[String],
    ignore: &[String],
    scope: Scope,
) -> anyhow::Result<Plan> {
    let mut select = select.to_vec();
    let mut ignore = ignore.to_vec();
    match scope {
        Scope::Lint => ignore.extend(rules::SNIPPET_CODES.iter().map(|c| c.to_string())),
        Scope::Snippets if select.is_empty() => {
            select = rules::SNIPPET_CODES.iter().map(|c| c.to_string()).collect();
            select.push("RD307".into());
        }
        _ => {}
    }
    Plan::new(&settings.config.lint, &select, &ignore, &settings.base_dir).map_err(|e| {
        let origin = settings
            .config_path
            .as_deref()
            .map(|p| format!("{}: ", ruledoc::source::display_path(p)))
            .unwrap_or_default();
        anyhow::anyhow!("{origin}{e}")
    })
}

pub fn execute(
    paths: &[PathBuf],
    output: &OutputArgs,
    mode: Mode,
    scope: Scope,
    run: Option<RunArg>,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let plan = plan_for(&settings, &output.select, &output.ignore, scope)?;
    let verifier = match scope {
        Scope::Lint => None,
        Scope::Check | Scope::Snippets => {
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
    let walk = settings.walk(paths)?;
    let stdout = io::stdout();
    let human = HumanOptions {
        color: use_color(global.color),
    };
    let prerender =
        |source: &SourceFile, d: &Diagnostic| report::prerender(Some(source), d, &human);
    let human_output = output.format == OutputFormat::Human && mode != Mode::Diff;
    let progress = Progress::start(
        global.quiet,
        if verifier.is_some() {
            "checking"
        } else {
            "linting"
        },
    );
    let run = lint::lint_all(
        walk,
        &settings,
        &plan,
        lint::RunOptions {
            mode,
            prerender: human_output.then_some(&prerender as lint::Prerender),
            verifier: verifier.as_ref(),
        },
    );
    progress.finish();

    let mut out = BufWriter::new(stdout.lock());
    if mode == Mode::Diff {
        for c in &run.changes {
            out.write_all(unified_diff(&c.before, &c.after, &c.path).as_bytes())?;
        }
    } else {
        let mut summary = Summary::new(&run.diagnostics, run.documents.len(), run.fixed);
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
        if !global.quiet {
            writeln!(io::stderr(), "{}", summary.line())?;
        }
    }
    out.flush()?;
    let failed = report_problems(&run.problems, global);
    Ok(if failed {
        ExitCode::from(2)
    } else if mode == Mode::Diff {
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

/// Whether human output is coloured.
pub(super) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
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
