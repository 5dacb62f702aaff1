use std::io::{self, Write};
use std::process::ExitCode;

use clap::Args;
use ruledoc::lint::{FixAvailability, rules};

use super::GlobalArgs;

/// Explain a lint rule: what it reports, why, and a bad and a good example.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A rule code (RD201) or name (unclosed-fence)
    #[arg(value_name = "CODE")]
    pub code: String,
}

pub(super) fn run(args: &ExplainArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let Some(meta) = rules::find(&args.code) else {
        anyhow::bail!("no rule `{}`; `ruledoc rules` lists them", args.code);
    };
    let mut out = io::stdout().lock();
    writeln!(out, "# {} ({})", meta.code, meta.name)?;
    writeln!(out)?;
    let when = match meta.fix {
        FixAvailability::Always => "always",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Never => "no",
    };
    let fix = match meta.applicability {
        Some(a) => format!("{when}, {} (see Fix safety)", a.as_str()),
        None => when.to_string(),
    };
    writeln!(out, "Default severity: {}. Fix: {fix}.", meta.severity)?;
    writeln!(out)?;
    writeln!(out, "{}", meta.doc_text())?;
    Ok(ExitCode::SUCCESS)
}
