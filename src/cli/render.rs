use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use rayon::prelude::*;
use ruledoc::load::map_documents;
use ruledoc::render::{self, DocValues, Engine, Input, Target, write};
use ruledoc::settings::Settings;

use super::{GlobalArgs, report_problems, settings};

/// Render the rule set through Tera templates: a revised copy, an index, and
/// each agent's own files.
///
/// Every target writes where its agent reads (under --out, default the
/// current directory), with the keys it reads: `ruledoc targets` lists the
/// targets, their paths, the scopes each can say and the vendor
/// documentation each follows. Without --target: [render] targets, else
/// revised, index, claude, agents, cursor and copilot. A scope a target
/// cannot say falls back (manual → on request → always; a glob → a nested
/// file → always) with a warning naming the rule. A file several targets
/// write (AGENTS.md) is written once; two targets that would write it
/// differently stop the render before anything is written (exit 2).
///
/// .ruledoc-render.json in the output folder records each file's hash: a
/// file it does not list, or edited since, is never overwritten without
/// --force (the command exits 1 and names it). Outputs are deterministic:
/// --check writes nothing, prints a unified diff of every stale file and
/// exits 1 if anything would change.
#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// Documents or folders (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Targets to render (repeatable or comma-separated; `all` for every
    /// one; default: [render] targets, else revised, index, claude, agents,
    /// cursor and copilot). `ruledoc targets` lists them
    #[arg(long, short, value_parser = target_values(), value_delimiter = ',', value_name = "TARGET")]
    pub target: Vec<String>,

    /// Output folder (default: [render] out, else the current directory)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Templates that override the built-ins by file name (default: [render] templates)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Write nothing; show what would change as a diff and exit 1 if anything would
    #[arg(long, conflicts_with = "force")]
    pub check: bool,

    /// Overwrite files ruledoc did not write, or that were edited since
    #[arg(long)]
    pub force: bool,
}

/// `--target`'s values: every target's name, and `all`.
pub(super) fn target_values() -> clap::builder::PossibleValuesParser {
    let mut names = Target::names();
    names.push("all");
    clap::builder::PossibleValuesParser::new(names)
}

/// The targets a run renders: those named (`all` is every one), else
/// `[render] targets`, else [`DEFAULT_TARGETS`].
///
/// # Errors
///
/// A name in `[render] targets` that is no target.
pub(super) fn chosen_targets(named: &[String], settings: &Settings) -> anyhow::Result<Vec<Target>> {
    let configured = settings.config.render.targets.as_ref();
    let names: Vec<&str> = if !named.is_empty() {
        named.iter().map(String::as_str).collect()
    } else if let Some(c) = configured {
        c.iter().map(String::as_str).collect()
    } else {
        DEFAULT_TARGETS.to_vec()
    };
    let mut out: Vec<Target> = Vec::new();
    for n in names {
        let add: Vec<Target> = if n == "all" {
            Target::all()
        } else {
            match Target::parse(n) {
                Some(t) => vec![t],
                None => anyhow::bail!(
                    "[render] targets: {n:?} is no target; the targets are {} (see `ruledoc targets`)",
                    Target::names().join(", ")
                ),
            }
        };
        for t in add {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    Ok(out)
}

/// What `render` writes when neither `--target` nor `[render] targets` says.
pub(super) const DEFAULT_TARGETS: &[&str] =
    &["revised", "index", "claude", "agents", "cursor", "copilot"];

/// The template folder and the output folder: the flags, else `[render]`
/// (relative to the configuration), else no overrides and the current folder.
pub(super) fn locations(
    settings: &Settings,
    templates: Option<&PathBuf>,
    out: Option<&PathBuf>,
) -> (Option<PathBuf>, PathBuf) {
    let configured = |p: &Option<PathBuf>| p.as_ref().map(|p| settings.base_dir.join(p));
    let render = &settings.config.render;
    let templates = templates.cloned().or_else(|| configured(&render.templates));
    let out = out
        .cloned()
        .or_else(|| configured(&render.out))
        .unwrap_or_else(|| PathBuf::from("."));
    (templates, out)
}

/// Refuses an output folder inside a folder agents load rules from
/// (`--out .claude/rules`): the targets' files would land among the sources.
pub(super) fn outside_rule_folders(settings: &Settings, out: &Path) -> anyhow::Result<()> {
    let named = ruledoc::paths::normalize_from(&settings.cwd, out);
    // Through symbolic links too: the nearest folder that exists, resolved,
    // with the rest of the path after it.
    let resolved = named
        .ancestors()
        .find_map(|a| {
            let real = std::fs::canonicalize(a).ok()?;
            Some(real.join(named.strip_prefix(a).ok()?))
        })
        .unwrap_or_else(|| named.clone());
    let repository = std::fs::canonicalize(&settings.repo_root).unwrap_or_default();
    fn in_rule_folder(p: &Path) -> Option<&Path> {
        p.ancestors().find(|a| {
            ruledoc::discover::AGENT_RULE_DIRS
                .iter()
                .any(|d| a.ends_with(d))
        })
    }
    let found = in_rule_folder(&named).map(Path::to_path_buf).or_else(|| {
        in_rule_folder(&resolved).map(|f| {
            settings
                .repo_root
                .join(f.strip_prefix(&repository).unwrap_or(f))
        })
    });
    if let Some(folder) = found {
        anyhow::bail!(
            "--out {}: inside {}, a folder agents load rules from: render writes each target's files under the output folder, in their own agent folders; choose a folder outside it",
            ruledoc::paths::display_path(out),
            ruledoc::paths::display_path(&folder)
        );
    }
    Ok(())
}

pub(super) fn run(args: &RenderArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = settings(global)?;
    let (templates, out) = locations(&settings, args.templates.as_ref(), args.out.as_ref());
    outside_rule_folders(&settings, &out)?;
    let mut engine = Engine::new(templates.as_deref())?;
    engine.set_locations(&out, &settings.cwd);
    let targets = chosen_targets(&args.target, &settings)?;

    let walk = settings.walk(&args.paths)?;
    let mut inputs: Vec<Input> = Vec::new();
    let problems = map_documents(
        walk,
        &settings,
        |document, found| Input {
            document,
            found: found.clone(),
        },
        |i| inputs.push(i),
    );
    inputs.sort_by(|a, b| a.document.doc.path.cmp(&b.document.doc.path));
    let inputs: Vec<&Input> = inputs.iter().collect();
    let docs: Vec<&ruledoc::load::Document> = inputs.iter().map(|i| &i.document).collect();
    let graph = ruledoc::graph::build(&docs, &settings.cwd);
    let values: Vec<DocValues> = inputs.par_iter().map(|i| DocValues::of(i)).collect();
    let values: Vec<&DocValues> = values.iter().collect();
    let mut ctx = render::shared_context(&values, &graph, &render::now_rfc3339());
    let mode = if args.check {
        write::Mode::Check
    } else {
        write::Mode::Write { force: args.force }
    };

    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let (mut written, mut unchanged, mut removed, mut refused, mut stale) = (0, 0, 0, 0, false);
    let mut writer = write::Writer::open(&out, mode);
    writer.protect(inputs.iter().map(|i| i.found.abs.clone()));
    if !global.quiet {
        // A source whose blocks are not what its author wrote: said once,
        // whatever the targets.
        let problems: Vec<_> = inputs
            .par_iter()
            .filter_map(|i| render::source_problems(&i.document, &i.found, &settings))
            .collect();
        for p in problems {
            writeln!(stderr, "warning: {p}")?;
        }
    }
    // Every target first: two targets that write one file (AGENTS.md) must
    // write the same text, and it is written once.
    let mut all: Vec<(Target, render::Rendered)> = Vec::new();
    for target in targets {
        match render::render(target, &inputs, &inputs, &mut ctx, &mut engine, &settings) {
            Ok(r) => all.push((target, r)),
            Err(e) => {
                return Err(e).with_context(|| format!("rendering the {} target", target.name()));
            }
        }
    }
    render::check_shared(&all)?;
    writer.claim(
        all.iter()
            .flat_map(|(_, r)| r.outputs.iter().map(|o| o.path.clone())),
    );
    for (target, rendered) in all {
        if !global.quiet {
            for w in &rendered.warnings {
                writeln!(stderr, "warning: {w}")?;
            }
        }
        let applied = match writer.apply(target, &rendered.outputs) {
            Ok(a) => a,
            Err(e) => {
                writer.finish()?;
                return Err(e.into());
            }
        };
        for d in &applied.diffs {
            stdout.write_all(d.as_bytes())?;
        }
        for (path, why) in &applied.refused {
            writeln!(
                stderr,
                "error: {}: {why}; not overwritten (use --force)",
                ruledoc::paths::display_path(&out.join(path))
            )?;
        }
        stale |= applied.stale();
        written += applied.written.len();
        unchanged += applied.unchanged;
        removed += applied.removed.len();
        refused += applied.refused.len();
    }
    writer.finish()?;
    stdout.flush()?;
    let failed = report_problems(&problems, global);
    if !global.quiet {
        if args.check {
            let verdict = if stale { "stale" } else { "up to date" };
            writeln!(
                stderr,
                "rendered {}: outputs are {verdict}",
                ruledoc::report::plural(inputs.len(), "document")
            )?;
        } else {
            writeln!(
                stderr,
                "rendered {}: {written} written, {unchanged} unchanged, {removed} removed, {refused} refused",
                ruledoc::report::plural(inputs.len(), "document")
            )?;
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if stale || refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
