use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use ruledoc::diagnostic::Applicability;
use ruledoc::lint::Job;
use ruledoc::load::map_documents;
use ruledoc::pipeline::FixMode;
use ruledoc::snippets::extract;

use super::lint::{OutputArgs, VerifyArgs, execute};
use super::{GlobalArgs, report_problems, settings};

/// List, extract and verify the code snippets of rule documents.
#[derive(Debug, Args)]
pub(crate) struct SnippetsArgs {
    #[command(subcommand)]
    pub command: SnippetsCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SnippetsCommand {
    /// One row per snippet: file:line, language, attributes, label, marker, section
    List(ListArgs),
    /// Write one file per snippet (Rust with rustdoc's expansion applied) and a
    /// manifest.json that maps each file back to its source
    Extract(ExtractArgs),
    /// Compile-check Rust snippets as rustdoc would, judge Python as CPython's
    /// compile(), parse JavaScript/TypeScript, JSON, JSONC, JSON5, YAML, TOML
    /// and XML ones, run configured external checkers
    Verify(VerifyCommandArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Folder to write into; files an earlier extract did not write are never replaced
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyCommandArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub verify: VerifyArgs,
}

#[derive(serde::Serialize)]
struct Row {
    path: String,
    line: usize,
    lang: String,
    attributes: Vec<String>,
    label: Option<String>,
    marker: Option<ruledoc::model::Marker>,
    section: Vec<String>,
}

pub(super) fn run(args: &SnippetsArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        SnippetsCommand::List(a) => list(a, global),
        SnippetsCommand::Extract(a) => extract_cmd(a, global),
        SnippetsCommand::Verify(a) => execute(
            &a.paths,
            &a.output,
            Job::Snippets,
            (FixMode::Report, Applicability::Safe),
            a.verify.run,
            global,
        ),
    }
}

fn list(args: &ListArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let walk = settings.walk(&args.paths)?;
    let mut rows: Vec<Row> = Vec::new();
    let problems = map_documents(
        walk,
        &settings,
        |d, _| {
            d.doc
                .snippets
                .iter()
                .map(|s| Row {
                    path: d.doc.path.clone(),
                    line: s.line,
                    lang: s.lang.clone(),
                    attributes: s.attributes.clone(),
                    label: s.label.clone(),
                    marker: s.marker,
                    section: s.section.clone(),
                })
                .collect::<Vec<_>>()
        },
        |r| rows.extend(r),
    );
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            for r in &rows {
                let marker = match r.marker {
                    Some(ruledoc::model::Marker::Correct) => "✅",
                    Some(ruledoc::model::Marker::Avoid) => "❌",
                    None => "  ",
                };
                let lang = if r.attributes.is_empty() {
                    r.lang.clone()
                } else {
                    format!("{},{}", r.lang, r.attributes.join(","))
                };
                writeln!(
                    out,
                    "{}:{}\t{lang}\t{marker}\t{}\t{}",
                    r.path,
                    r.line,
                    r.label.as_deref().unwrap_or("-"),
                    r.section.join(" > ")
                )?;
            }
        }
    }
    out.flush()?;
    let failed = report_problems(&problems, global);
    if !global.quiet && args.format == ListFormat::Human {
        writeln!(io::stderr(), "{} snippets", rows.len())?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn extract_cmd(args: &ExtractArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let walk = settings.walk(&args.paths)?;
    let mut files = Vec::new();
    let problems = map_documents(
        walk,
        &settings,
        |d, _| extract::document_entries(&d),
        |e| files.extend(e),
    );
    let manifest = extract::write(&args.out, &files)?;
    let failed = report_problems(&problems, global);
    if !global.quiet {
        writeln!(
            io::stderr(),
            "wrote {} snippets and {}",
            files.len(),
            ruledoc::paths::display_path(&manifest)
        )?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
