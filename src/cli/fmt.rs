use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ruledoc::fmt::{Formatted, format_loaded};
use ruledoc::load::map_documents;

use super::{GlobalArgs, report_problems, settings};

/// Tidy documents in place, changing only blank lines, trailing whitespace,
/// the final newline, ATX heading spacing, list and emphasis markers and the
/// order of front-matter keys.
///
/// Code, links, escapes and line endings stay as written, and the rendering
/// must be identical before and after. A document with an unclosed or nested
/// fence, leftover tool-call markup or stray backticks, or one fmt cannot
/// format without changing its rendering, is left untouched, with a warning.
/// Structural fixes are `lint --fix`'s job, not fmt's.
#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write nothing; print a diff of what would change and exit 1 if anything would
    #[arg(long)]
    pub check: bool,
}

enum Outcome {
    Same,
    Changed {
        path: String,
        diff: Option<String>,
        error: Option<ruledoc::Error>,
    },
    Refused {
        path: String,
        why: String,
    },
}

pub(super) fn run(args: &FmtArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let walk = settings.walk(&args.paths)?;
    let check = args.check;
    let mut outcomes = Vec::new();
    let problems = map_documents(
        walk,
        &settings,
        |d, found| {
            let path = d.source.display.clone();
            if !d.doc.markdown {
                // Appended as written by its agent: no Markdown to format.
                return Outcome::Same;
            }
            match format_loaded(&d, found, &settings) {
                Formatted::Unchanged => Outcome::Same,
                Formatted::Refused(why) => Outcome::Refused { path, why },
                Formatted::Changed(new) if check => {
                    let diff = similar::TextDiff::from_lines(&d.source.text, &new)
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{path}"), &format!("b/{path}"))
                        .to_string();
                    Outcome::Changed {
                        path,
                        diff: Some(diff),
                        error: None,
                    }
                }
                Formatted::Changed(new) => {
                    let error =
                        ruledoc::fsutil::write_document(&found.path, new.as_bytes(), &settings.cwd)
                            .err();
                    Outcome::Changed {
                        path,
                        diff: None,
                        error,
                    }
                }
            }
        },
        |o| outcomes.push(o),
    );
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let (mut same, mut changed, mut refused) = (0, 0, 0);
    let mut problems = problems;
    for o in outcomes {
        match o {
            Outcome::Same => same += 1,
            Outcome::Changed { path, diff, error } => {
                changed += 1;
                if let Some(d) = diff {
                    stdout.write_all(d.as_bytes())?;
                }
                if let Some(e) = error {
                    problems.errors.push(e);
                } else if check && !global.quiet {
                    writeln!(stderr, "would reformat {path}")?;
                }
            }
            Outcome::Refused { path, why } => {
                refused += 1;
                if !global.quiet {
                    writeln!(stderr, "warning: {path}: left as it is: {why}")?;
                }
            }
        }
    }
    stdout.flush()?;
    let failed = report_problems(&problems, global);
    if !global.quiet {
        let verb = if check {
            "would reformat"
        } else {
            "reformatted"
        };
        writeln!(
            stderr,
            "{verb} {changed} document{}, {same} already formatted, {refused} left as they are",
            if changed == 1 { "" } else { "s" }
        )?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if check && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
