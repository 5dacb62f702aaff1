//! Command-line arguments (clap derive) and one file per command. Flags are
//! turned into a resolved `Settings` here; the library never sees clap.

mod check;
mod context;
mod explain;
mod fmt;
mod graph;
mod init;
mod lint;
mod parse;
mod progress;
mod render;
mod rules;
mod snippets;
mod targets;
mod watch;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use ruledoc::config::{ConfigSource, LoadedConfig};
use ruledoc::load::InputProblems;
use ruledoc::settings::Settings;

/// Lint, verify and render tiered Markdown rule sets.
///
/// ruledoc reads folders of rule documents (a `rules/` tree, and every major
/// agent's rule files: `.claude/rules`, `AGENTS.md`, Cursor `.mdc` rules,
/// Copilot instructions, Windsurf, Kiro…), parses each into sections and
/// code snippets, checks their metadata, structure and snippets, renders
/// them to any agent's format, and tells which rules each agent loads for a
/// file.
///
/// Exit codes: 0 clean, 1 findings at error severity, 2 usage, configuration
/// or I/O error.
#[derive(Debug, Parser)]
#[command(name = "ruledoc", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Read this configuration file instead of searching for ruledoc.toml
    /// upward from the current directory
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every ruledoc.toml and use the built-in defaults
    #[arg(long, global = true)]
    pub no_config: bool,

    /// Number of threads, 1 to 1024 (default: one per core)
    #[arg(long, short = 'j', global = true, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(crate) jobs: Option<u16>,

    /// Print findings only: no summary line, no warnings about skipped files
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Where results and generated crates are kept between runs (also
    /// RULEDOC_CACHE_DIR; default: .ruledoc-cache/ beside ruledoc.toml, else
    /// in the current directory)
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Colour in human output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Check(check::CheckArgs),
    Lint(lint::LintArgs),
    Snippets(snippets::SnippetsArgs),
    Render(render::RenderArgs),
    Watch(watch::WatchArgs),
    Fmt(fmt::FmtArgs),
    Graph(graph::GraphArgs),
    Parse(parse::ParseArgs),
    Rules(rules::RulesArgs),
    Targets(targets::TargetsArgs),
    Context(context::ContextArgs),
    Explain(explain::ExplainArgs),
    Init(init::InitArgs),
}

/// Run a command and map its outcome to an exit code: 0 clean, 1 findings,
/// 2 usage, configuration or I/O error. A closed stdout ends quietly.
pub(crate) fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The chain of causes, each once: an error that already shows its
            // cause (`path: os error`) is not followed by it again.
            let mut message = err.to_string();
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !message.ends_with(&cause) {
                    message.push_str(": ");
                    message.push_str(&cause);
                }
            }
            let _ = writeln!(io::stderr(), "error: {message}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(jobs) = cli.global.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global()
            .context("cannot start worker threads")?;
    }
    match cli.command {
        Command::Init(args) => init::run(&args, &cli.global),
        Command::Check(args) => check::run(&args, &cli.global),
        Command::Parse(args) => parse::run(&args, &cli.global),
        Command::Lint(args) => lint::run(&args, &cli.global),
        Command::Snippets(args) => snippets::run(&args, &cli.global),
        Command::Render(args) => render::run(&args, &cli.global),
        Command::Fmt(args) => fmt::run(&args, &cli.global),
        Command::Graph(args) => graph::run(&args, &cli.global),
        Command::Rules(args) => rules::run(&args, &cli.global),
        Command::Targets(args) => targets::run(&args, &cli.global),
        Command::Context(args) => context::run(&args, &cli.global),
        Command::Explain(args) => explain::run(&args, &cli.global),
        Command::Watch(args) => watch::run(&args, &cli.global),
    }
}

/// Settings from the configuration the flags select.
fn settings(global: &GlobalArgs) -> anyhow::Result<Settings> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let source = match (&global.config, global.no_config) {
        (_, true) => ConfigSource::None,
        (Some(file), false) => ConfigSource::File(file.clone()),
        (None, false) => ConfigSource::Discover,
    };
    let loaded = LoadedConfig::load(&source, &cwd)?;
    let mut settings = Settings::new(loaded, &cwd)?;
    if let Some(dir) = &global.cache_dir {
        settings.cache_dir = cwd.join(dir);
    }
    Ok(settings)
}

/// Print skipped files as warnings and unreadable ones as errors; report
/// whether the run must end with exit code 2.
fn report_problems(problems: &InputProblems, global: &GlobalArgs) -> bool {
    let mut err = io::stderr().lock();
    if !global.quiet {
        for n in &problems.notices {
            let _ = writeln!(err, "warning: {n}");
        }
    }
    for e in &problems.errors {
        let _ = writeln!(err, "error: {e}");
    }
    !problems.errors.is_empty()
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
