use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use ruledoc::context::{self, Context, Repository, Summary, Target};
use ruledoc::formats::Agent;

use super::{GlobalArgs, settings};

/// Show which rules each agent loads for a file, in load order, why, and
/// what they cost in tokens.
///
/// The repository's top is the Git top, else the folder of ruledoc.toml,
/// else the current directory; PATH (relative to the current directory)
/// must lie in it, and need not exist. Agents are those whose files the
/// repository holds, or those named with --agent.
#[derive(Debug, Args)]
pub(crate) struct ContextArgs {
    /// Files of the repository (they need not exist)
    #[arg(value_name = "PATH", required_unless_present = "summary")]
    pub paths: Vec<PathBuf>,

    /// Only this agent (repeatable): claude, agents, cursor, copilot, …
    #[arg(long = "agent", value_name = "NAME", value_delimiter = ',')]
    pub agents: Vec<String>,

    /// Output format (json: one object per PATH, one per line)
    #[arg(long, short, value_enum, default_value_t = ContextFormat::Human)]
    pub format: ContextFormat,

    /// For each agent: what it loads in every session, and the file of the
    /// repository for which it loads most
    #[arg(long, conflicts_with = "paths")]
    pub summary: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ContextFormat {
    Human,
    Json,
}

pub(super) fn run(args: &ContextArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let agents = chosen_agents(&args.agents)?;
    let settings = settings(global)?;
    // Agents start from the Git top (Codex walks down from it; Claude Code
    // and Gemini CLI read every folder above where they run): it wins over
    // where ruledoc.toml lies.
    let root = if settings.repo_root.join(".git").exists() {
        settings.repo_root.clone()
    } else if settings.config_path.is_some() {
        settings.base_dir.clone()
    } else {
        settings.cwd.clone()
    };
    let targets = args
        .paths
        .iter()
        .map(|p| Target::new(&root, &settings.cwd, p))
        .collect::<ruledoc::Result<Vec<_>>>()?;
    let mut repo = Repository::scan(&root, args.summary);
    // The folders on the way to each file: their agent files count even
    // when Git ignores them.
    let mut on_the_way: Vec<String> = Vec::new();
    for t in &targets {
        let mut dir = t.dir.as_str();
        while !dir.is_empty() {
            on_the_way.push(dir.to_string());
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
    }
    repo.include_ignored_in(on_the_way.iter().map(String::as_str));
    let counts = std::sync::Arc::new(ruledoc::tokens::Counts::open(&settings.cache_dir));
    repo.keep_counts(std::sync::Arc::clone(&counts));
    let agents = agents.unwrap_or_else(|| repo.agents());
    let mut out = io::stdout().lock();
    if args.summary {
        let summary = repo.summary(&agents);
        match args.format {
            ContextFormat::Json => writeln!(out, "{}", serde_json::to_string(&summary)?)?,
            ContextFormat::Human => out.write_all(human_summary(&summary).as_bytes())?,
        }
        counts.save();
        return Ok(ExitCode::SUCCESS);
    }
    let contexts = repo.contexts(&targets, &agents);
    counts.save();
    // A rule file that could not be read counts 0 tokens: said, so that
    // the 0 is not taken for a measurement.
    if !global.quiet {
        let mut said = std::collections::HashSet::new();
        for ctx in &contexts {
            for a in &ctx.agents {
                for r in a.rules.iter().filter(|r| r.tokens == 0) {
                    if said.insert(r.path.clone())
                        && let Err(e) = ruledoc::load::read_text(&root.join(&r.path))
                    {
                        eprintln!("warning: {}: not counted: {e}", r.path);
                    }
                }
            }
        }
    }
    for (n, ctx) in contexts.iter().enumerate() {
        match args.format {
            ContextFormat::Json => writeln!(out, "{}", serde_json::to_string(ctx)?)?,
            ContextFormat::Human => {
                if n > 0 {
                    writeln!(out)?;
                }
                out.write_all(human(ctx).as_bytes())?;
            }
        }
    }
    if args.format == ContextFormat::Human && !global.quiet {
        writeln!(
            out,
            "\ntokens: {} (an estimate of each agent's own count)",
            ruledoc::tokens::TOKENIZER
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The agents `names` select (`None`: no --agent given).
fn chosen_agents(names: &[String]) -> anyhow::Result<Option<Vec<Agent>>> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut agents = Vec::new();
    for name in names {
        let Some(agent) = context::agent_by_name(name) else {
            let valid: Vec<String> = context::known_agents()
                .into_iter()
                .map(context::agent_name)
                .collect();
            bail!(
                "unknown agent `{name}` for --agent; valid names: {} (and the render targets that write their files: `ruledoc targets`)",
                valid.join(", ")
            );
        };
        if !agents.contains(&agent) {
            agents.push(agent);
        }
    }
    agents.sort();
    Ok(Some(agents))
}

/// A count with thousands separators (`12,345`).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn human(ctx: &Context) -> String {
    let mut s = format!("{}\n", if ctx.path.is_empty() { "." } else { &ctx.path });
    for a in &ctx.agents {
        s.push_str(&format!(
            "{}: {} tokens{}\n",
            a.agent,
            thousands(a.tokens),
            if a.approximate { " (approximate)" } else { "" }
        ));
        if a.rules.is_empty() {
            s.push_str("  nothing loaded\n");
            continue;
        }
        let width = a
            .rules
            .iter()
            .map(|r| thousands(r.tokens).len())
            .max()
            .unwrap_or(1);
        let mut heading = false;
        for r in &a.rules {
            let on_request = r.why == context::Why::OnRequest;
            if on_request && !heading {
                s.push_str("  on request:\n");
                heading = true;
            }
            let mut line = format!(
                "  {}{:>width$}  {}  {}",
                if on_request { "  " } else { "" },
                thousands(r.tokens),
                r.path,
                r.why.name()
            );
            if let Some(p) = &r.pattern {
                line.push_str(&format!(" {p}"));
            }
            if let Some(x) = &r.exclude_agent {
                line.push_str(&format!(" (excludeAgent: {x})"));
            }
            s.push_str(line.trim_end());
            s.push('\n');
        }
    }
    s
}

fn human_summary(summary: &Summary) -> String {
    let rows: Vec<[String; 4]> = summary
        .agents
        .iter()
        .map(|a| {
            let (tokens, path) = a.largest.as_ref().map_or_else(
                || ("-".to_string(), String::new()),
                |l| (thousands(l.tokens), l.path.clone()),
            );
            [a.agent.clone(), thousands(a.always_tokens), tokens, path]
        })
        .collect();
    let header = [
        "agent".to_string(),
        "always".to_string(),
        "largest".to_string(),
        "for".to_string(),
    ];
    let w: Vec<usize> = (0..3)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].len())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for r in [&header].into_iter().chain(&rows) {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2]
        );
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push_str(&format!(
        "\ntokens: {} (an estimate of each agent's own count)\n",
        summary.tokenizer
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
