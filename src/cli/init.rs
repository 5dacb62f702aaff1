use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::GlobalArgs;

/// Write a starter ruledoc.toml and a two-document tiered rule set.
///
/// Creates ruledoc.toml, rules/core/code-review.md (tier 1) and
/// rules/sub/error-handling.md (tier 3) in DIR. Nothing is written if any of
/// them exists already.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to write into (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

pub(super) fn run(args: &InitArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let written = ruledoc::init::init(&args.dir)?;
    if !global.quiet {
        let mut err = std::io::stderr().lock();
        for p in &written {
            writeln!(err, "created {}", ruledoc::paths::display_path(p))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
