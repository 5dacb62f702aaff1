use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use ruledoc::diagnostic::Severity;
use ruledoc::lint::{self, Mode, Plan};
use ruledoc::report::{self, Format, HumanOptions, Report, Summary};

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

/// Output and rule selection, shared by `lint` and `check`.
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
    /// JUnit XML, one test case per document
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

pub fn run(args: &LintArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mode = match (args.fix, args.diff) {
        (true, _) => Mode::Fix,
        (_, true) => Mode::Diff,
        _ => Mode::Report,
    };
    run_lint(&args.paths, &args.output, mode, global)
}

pub fn run_lint(
    paths: &[PathBuf],
    output: &OutputArgs,
    mode: Mode,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let plan = Plan::new(
        &settings.config.lint,
        &output.select,
        &output.ignore,
        &settings.base_dir,
    )
    .map_err(|e| {
        let origin = settings
            .config_path
            .as_deref()
            .map(|p| format!("{}: ", ruledoc::source::display_path(p)))
            .unwrap_or_default();
        anyhow::anyhow!("{origin}{e}")
    })?;
    let walk = settings.walk(paths)?;
    let stdout = io::stdout();
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let human = HumanOptions { color };
    let prerender = |source: &ruledoc::source::SourceFile, d: &ruledoc::diagnostic::Diagnostic| {
        report::prerender(source, d, &human)
    };
    let human_output = output.format == OutputFormat::Human && mode != Mode::Diff;
    let run = lint::lint_all(
        walk,
        &settings,
        &plan,
        mode,
        human_output.then_some(&prerender as lint::Prerender),
    );

    let mut out = BufWriter::new(stdout.lock());
    if mode == Mode::Diff {
        for c in &run.changes {
            out.write_all(unified_diff(&c.before, &c.after, &c.path).as_bytes())?;
        }
    } else {
        let summary = Summary::new(&run.diagnostics, run.documents.len(), run.fixed);
        let report = Report {
            diagnostics: &run.diagnostics,
            documents: &run.documents,
            summary: &summary,
        };
        report::write(
            output.format.into(),
            &report,
            &HumanOptions { color },
            &mut out,
        )
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
