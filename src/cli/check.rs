use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ruledoc::load::map_documents;

use super::{GlobalArgs, report_problems, settings};

/// Check a rule set: the main job.
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
}

struct Counts {
    sections: usize,
    snippets: usize,
    problems: Vec<String>,
}

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let walk = settings.walk(&args.paths)?;
    let (mut docs, mut sections, mut snippets) = (0, 0, 0);
    let mut findings = Vec::new();
    let problems = map_documents(
        walk,
        &settings,
        |d| {
            let mut problems = Vec::new();
            if let Some(e) = d.doc.front_matter.as_ref().and_then(|f| f.error.as_ref()) {
                problems.push(format!(
                    "{}:{}:{}: front matter: {}",
                    d.doc.path, e.line, e.column, e.message
                ));
            }
            for s in d.doc.snippets.iter().filter(|s| !s.closed) {
                problems.push(format!(
                    "{}:{}:1: code fence is never closed",
                    d.doc.path, s.line
                ));
            }
            Counts {
                sections: d.doc.sections.iter().map(|s| s.walk().len()).sum(),
                snippets: d.doc.snippets.len(),
                problems,
            }
        },
        |c| {
            docs += 1;
            sections += c.sections;
            snippets += c.snippets;
            findings.extend(c.problems);
        },
    );
    let mut out = io::stdout().lock();
    for f in &findings {
        writeln!(out, "{f}")?;
    }
    let failed = report_problems(&problems, global);
    if !global.quiet {
        writeln!(
            io::stderr(),
            "checked {docs} documents ({sections} sections, {snippets} snippets): {} problems",
            findings.len()
        )?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
