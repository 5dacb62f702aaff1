use std::io::{self, Write};
use std::process::ExitCode;

use clap::Args;
use ruledoc::lint::rules::ALL;

use super::GlobalArgs;

/// List every lint rule: code, name, default severity, and how its fixes are
/// applied: `safe` (`--fix`), `unsafe` (`--fix --unsafe-fixes`; `explain CODE`
/// says why under "Fix safety").
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

pub(super) fn run(args: &RulesArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    if args.json {
        let rules: Vec<_> = ALL
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "code": m.code,
                    "name": m.name,
                    "severity": m.severity,
                    "fixable": m.fixable(),
                    "fix": m.fix,
                    "fix_applicability": m.applicability,
                    "kind": m.kind,
                    "summary": m.summary(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rules)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<6}  {:<22}  {:<8}  {:<6}  summary",
        "code", "name", "severity", "fix"
    )?;
    for r in ALL {
        let m = r.meta();
        let summary = m.summary();
        let short = summary
            .split(". ")
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        writeln!(
            out,
            "{:<6}  {:<22}  {:<8}  {:<6}  {short}",
            m.code,
            m.name,
            m.severity.as_str(),
            m.applicability.map_or("", |a| a.as_str())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
