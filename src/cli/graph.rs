use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use ruledoc::load::map_documents;

use super::{GlobalArgs, report_problems, settings};

/// Print the reference graph of the rule set: documents grouped by tier,
/// `@path` imports as solid edges, relative links as dashed ones.
#[derive(Debug, Args)]
pub(crate) struct GraphArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// Graphviz
    Dot,
    /// Mermaid flowchart
    Mermaid,
    /// {"nodes": [...], "edges": [...]}
    Json,
}

pub(super) fn run(args: &GraphArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let walk = settings.walk(&args.paths)?;
    let mut docs = Vec::new();
    let problems = map_documents(walk, &settings, |d, _| d, |d| docs.push(d));
    docs.sort_by(|a, b| a.doc.path.cmp(&b.doc.path));
    let refs: Vec<&ruledoc::load::Document> = docs.iter().collect();
    let graph = ruledoc::graph::build(&refs, &settings.cwd);
    let text = match args.format {
        GraphFormat::Dot => ruledoc::graph::to_dot(&graph),
        GraphFormat::Mermaid => ruledoc::graph::to_mermaid(&graph),
        GraphFormat::Json => serde_json::to_string_pretty(&graph)? + "\n",
    };
    io::stdout().lock().write_all(text.as_bytes())?;
    let failed = report_problems(&problems, global);
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
