use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use ruledoc::render::Target;

use super::GlobalArgs;

/// List every render target: its name (what `render --target` takes), the
/// agent that reads its files, the paths it writes (under --out), the scopes
/// it can say (always, glob, on-request, manual, nested) and the vendor
/// documentation it follows.
///
/// A scope a target cannot say falls back when rendered (manual → on-request
/// → always; glob → nested → always), with a warning naming the rule.
/// Targets are data: templates/targets.toml in ruledoc's sources.
#[derive(Debug, Args)]
pub(crate) struct TargetsArgs {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A table
    Human,
    /// An array of objects: name, agent, writes, scopes, doc, and the
    /// target's kind, the format its files are read back as (native), and
    /// its documented size limits
    Json,
}

pub(super) fn run(args: &TargetsArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    let targets = Target::all();
    if args.format == Format::Json {
        let list: Vec<_> = targets
            .iter()
            .map(|t| {
                let s = t.spec();
                serde_json::json!({
                    "name": s.name,
                    "agent": s.agent,
                    "writes": s.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
                    "scopes": s.scopes,
                    "doc": s.doc,
                    "kind": s.kind,
                    "native": s.native,
                    "limits": s.limits,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 4]> = targets
        .iter()
        .map(|t| {
            let s = t.spec();
            let writes: Vec<&str> = s.files.iter().map(|f| f.path.as_str()).collect();
            let scopes: Vec<&str> = s.scopes.iter().map(|w| w.name()).collect();
            [
                s.name.clone(),
                writes.join(" "),
                scopes.join(","),
                s.agent.split(" (").next().unwrap_or(&s.agent).to_string(),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2, w3) = (
        width(0).max(4),
        width(1).max(6),
        width(2).max(6),
        width(3).max(5),
    );
    writeln!(
        out,
        "{:<w0$}  {:<w3$}  {:<w1$}  {:<w2$}  doc",
        "name", "agent", "writes", "scopes"
    )?;
    for (r, t) in rows.iter().zip(&targets) {
        writeln!(
            out,
            "{:<w0$}  {:<w3$}  {:<w1$}  {:<w2$}  {}",
            r[0],
            r[3],
            r[1],
            r[2],
            t.spec().doc
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
