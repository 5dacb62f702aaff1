use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::GlobalArgs;
use super::lint::{OutputArgs, run_lint};
use ruledoc::lint::Mode;

/// Check a rule set: the main job (lint; snippet verification joins it).
///
/// With no path, checks the `root` set in ruledoc.toml; without one, `rules/`;
/// without that, the agent rule folders in the current directory
/// (.claude/rules, .cursor/rules, .github/instructions, .windsurf/rules,
/// .kiro/steering).
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Documents or folders to check
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    run_lint(&args.paths, &args.output, Mode::Report, global)
}
