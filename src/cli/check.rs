use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ruledoc::diagnostic::Applicability;
use ruledoc::lint::Job;
use ruledoc::pipeline::FixMode;

use super::GlobalArgs;
use super::lint::{OutputArgs, VerifyArgs, execute};

/// Check a rule set: the main job. Lint rules and snippet verification in one
/// report.
///
/// With no path, checks the `root` set in ruledoc.toml; without one, `rules/`;
/// without that, the agent rule folders in the current directory
/// (.claude/rules, .cursor/rules, .github/instructions, .windsurf/rules,
/// .kiro/steering). Rust snippets are compiled as rustdoc would (never run
/// unless --run), Python judged as CPython's compile(), JavaScript/TypeScript,
/// JSON, JSONC, JSON5, YAML, TOML and XML snippets parsed;
/// results are cached in the cache dir, so a re-run with nothing changed
/// starts no compiler.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Documents or folders to check
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub verify: VerifyArgs,
}

pub(super) fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    execute(
        &args.paths,
        &args.output,
        Job::Check,
        (FixMode::Report, Applicability::Safe),
        args.verify.run,
        global,
    )
}
