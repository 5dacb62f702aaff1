use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use ruledoc::paths::normalize_from;
use ruledoc::render::Target;
use ruledoc::report::plural;
use ruledoc::report::{self, HumanOptions};
use ruledoc::watch::{Options, Redo, Session, Update, Watched, classify, watch_plan};

use super::lint::{plan_for, use_color};
use super::render::{locations, target_values};
use super::{GlobalArgs, settings};
use ruledoc::lint::Job;

/// Check a rule set, then check it again on every change, until Ctrl-C.
///
/// The first run checks everything (lint rules and snippets, as `check`
/// does) and prints every finding. After that, each change reads again only
/// the documents that changed, lints them and the documents whose links or
/// imports lead to them, re-runs the rules that compare documents (such as
/// RD108), verifies the changed snippets (unchanged ones come from the cache)
/// and re-renders what the change touched. It prints only the findings that
/// appeared or were resolved, and one status line with the time taken.
///
/// Editing ruledoc.toml or a template reloads it and redoes everything; a
/// broken configuration or template is reported and the watch goes on with
/// what it had. Its own outputs and the cache never trigger it. SIGINT
/// (Ctrl-C) and SIGTERM end it with exit code 0; files are written
/// atomically, so no output is ever left half-written.
#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// Documents or folders to watch (default: the configured rule set)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Targets to re-render on each change (repeatable or comma-separated;
    /// default: none)
    #[arg(long, value_parser = target_values(), value_delimiter = ',', value_name = "TARGET")]
    pub render: Vec<String>,

    /// Output folder for --render (default: [render] out, else the current directory)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Templates that override the built-ins (default: [render] templates)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Lint only: verify no snippets
    #[arg(long)]
    pub no_snippets: bool,

    /// Rules to run: codes or prefixes, comma-separated; replaces [lint] select
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,

    /// Rules to leave out: codes or prefixes, comma-separated; adds to [lint] ignore
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    /// How long the files must be quiet before a change is taken, in
    /// milliseconds (editors save in several steps)
    #[arg(long, value_name = "MS", default_value_t = 100)]
    pub debounce: u64,
}

/// What the main loop waits for.
enum Msg {
    Events(DebounceEventResult),
    Stop,
}

/// How long a stop may wait for the step in progress (a compiler, say)
/// before the program exits anyway, between two writes.
const STOP_DEADLINE: Duration = Duration::from_millis(700);

/// A session and the watcher feeding it.
struct Watch {
    session: Session,
    watched: Watched,
    /// Dropping it stops the watching.
    _debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    folders: usize,
}

pub(super) fn run(args: &WatchArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
        std::thread::sleep(STOP_DEADLINE);
        let _no_writes = ruledoc::fsutil::hold_writes();
        std::process::exit(0);
    })
    .context("cannot handle Ctrl-C")?;

    let human = HumanOptions {
        color: use_color(global.color),
    };
    let mut current = start(args, global, &tx)?;
    let up = current.session.run(&Redo::Everything);
    print(&up, &current.session, &human, global, None)?;
    current.refresh();
    if !global.quiet {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "watching {} for changes (Ctrl-C to stop)",
            plural(current.folders, "folder")
        )?;
        out.flush()?;
    }
    loop {
        let Some((redo, received)) = next(&rx, &current.watched, global)? else {
            return Ok(ExitCode::SUCCESS);
        };
        let up = match redo {
            Redo::Nothing => continue,
            Redo::Everything => match start(args, global, &tx) {
                Ok(fresh) => {
                    let earlier = std::mem::replace(&mut current, fresh);
                    current.session.continue_from(earlier.session);
                    current.session.run(&Redo::Everything)
                }
                Err(e) => {
                    writeln!(
                        io::stderr(),
                        "error: {e:#}\n       still watching with the configuration and templates as they were"
                    )?;
                    continue;
                }
            },
            docs => current.session.run(&docs),
        };
        if up.is_news() {
            print(&up, &current.session, &human, global, Some(received))?;
        }
        current.refresh();
    }
}

/// Wait for the next change: every event that has arrived, classified and
/// combined. `None` on a stop.
fn next(
    rx: &Receiver<Msg>,
    watched: &Watched,
    global: &GlobalArgs,
) -> anyhow::Result<Option<(Redo, Instant)>> {
    let first = rx.recv().context("the file watcher stopped")?;
    let received = Instant::now();
    let mut redo = Redo::Nothing;
    let mut msgs = vec![first];
    msgs.extend(rx.try_iter());
    for msg in msgs {
        match msg {
            Msg::Stop => return Ok(None),
            Msg::Events(Ok(events)) => {
                for e in events {
                    let r = if e.event.need_rescan() {
                        Redo::Documents(watched.inputs.iter().cloned().collect())
                    } else {
                        classify(&e.event.kind, &e.event.paths, watched)
                    };
                    redo = redo.and(r);
                }
            }
            Msg::Events(Err(errors)) => {
                if !global.quiet {
                    for e in errors {
                        writeln!(io::stderr(), "warning: watching: {e}")?;
                    }
                }
            }
        }
    }
    Ok(Some((redo, received)))
}

/// Settings, session and watcher, from the configuration as it is now.
fn start(args: &WatchArgs, global: &GlobalArgs, tx: &Sender<Msg>) -> anyhow::Result<Watch> {
    let settings = settings(global)?;
    let scope = if args.no_snippets {
        Job::Lint
    } else {
        Job::Check
    };
    let plan = plan_for(&settings, &args.select, &args.ignore, scope)?;
    let (templates, out) = locations(&settings, args.templates.as_ref(), args.out.as_ref());
    super::render::outside_rule_folders(&settings, &out)?;
    let targets: Vec<Target> = if args.render.is_empty() {
        Vec::new()
    } else {
        super::render::chosen_targets(&args.render, &settings)?
    };
    let cwd = settings.cwd.clone();
    // Where a configuration is read from, and where a new one would be found.
    let config = settings
        .config_path
        .as_ref()
        .map(|p| normalize_from(&cwd, p));
    let config_dirs: Vec<PathBuf> = if global.no_config || global.config.is_some() {
        Vec::new()
    } else {
        cwd.ancestors().map(PathBuf::from).collect()
    };
    let session = Session::new(
        settings,
        plan,
        Options {
            paths: args.paths.clone(),
            targets,
            out,
            templates,
            snippets: !args.no_snippets,
        },
    )?;
    let mut watched = session.watched()?;
    watched.config = config;
    watched.config_dirs = config_dirs;

    // Folders are watched whole; a file given by name through its folder,
    // since editors replace files by renaming.
    let mut deep = Vec::new();
    let mut flat = Vec::new();
    for input in &watched.inputs {
        if input.is_dir() {
            deep.push(input.clone());
        } else if let Some(dir) = input.parent() {
            flat.push(dir.to_path_buf());
        }
    }
    if let Some(t) = watched.templates.clone().filter(|t| t.is_dir()) {
        deep.push(t);
    }
    if let Some(dir) = watched.config.as_ref().and_then(|c| c.parent()) {
        flat.push(dir.to_path_buf());
    }
    // A configuration appearing: watched where it is likeliest, the current folder.
    if watched.config.is_none() && !watched.config_dirs.is_empty() {
        flat.push(cwd.clone());
    }
    let plan = watch_plan(&deep, &flat);
    let events = tx.clone();
    let mut debouncer = new_debouncer(
        Duration::from_millis(args.debounce.max(1)),
        None,
        move |r: DebounceEventResult| {
            let _ = events.send(Msg::Events(r));
        },
    )
    .context("cannot start the file watcher")?;
    for (dir, recursive) in &plan {
        let mode = if *recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        debouncer
            .watch(dir, mode)
            .with_context(|| format!("cannot watch {}", ruledoc::paths::display_path(dir)))?;
    }
    Ok(Watch {
        session,
        watched,
        _debouncer: debouncer,
        folders: plan.len(),
    })
}

impl Watch {
    /// Take in the files the session wrote since: their events are its own.
    fn refresh(&mut self) {
        self.watched.own_files = self.session.own_files();
    }
}

/// Print what a run changed: new findings as `check` shows them, resolved
/// ones on a line each, and a status line.
fn print(
    up: &Update,
    session: &Session,
    human: &HumanOptions,
    global: &GlobalArgs,
    received: Option<Instant>,
) -> anyhow::Result<()> {
    let mut err = io::stderr().lock();
    if !global.quiet {
        for n in &up.notices {
            writeln!(err, "warning: {n}")?;
        }
    }
    for p in &up.problems {
        writeln!(err, "error: {p}")?;
    }
    let out_dir = &session.settings().cwd;
    for (path, why) in &up.refused {
        writeln!(
            err,
            "error: {}: {why}; not overwritten (`ruledoc render --force` overwrites)",
            ruledoc::paths::display_path(&out_dir.join(path))
        )?;
    }
    err.flush()?;
    let mut out = io::stdout().lock();
    for d in &up.new {
        let text = report::render_finding(d, human);
        writeln!(out, "{text}\n")?;
    }
    for d in &up.resolved {
        let label = if human.color {
            "\x1b[1;32mresolved\x1b[0m"
        } else {
            "resolved"
        };
        writeln!(
            out,
            "{label}: {}:{}:{}: {} {}",
            d.path,
            d.line(),
            d.column(),
            d.code,
            d.message
        )?;
    }
    if !global.quiet {
        let wait = received.map_or(Duration::ZERO, |r| r.elapsed().saturating_sub(up.elapsed));
        let mut line = format!(
            "{}: {}, {}",
            plural(up.documents, "document"),
            plural(up.errors, "error"),
            plural(up.warnings, "warning")
        );
        if received.is_some() {
            line.push_str(&format!(" · read {}, linted {}", up.read, up.linted));
            if up.gone > 0 {
                line.push_str(&format!(", {} gone", up.gone));
            }
        }
        if up.snippets_checked > 0 {
            line.push_str(&format!(
                " · {} compiled or run",
                plural(up.snippets_checked, "snippet")
            ));
        }
        if let Some(at) = up.rendered_after {
            line.push_str(&format!(
                " · {} written, {} removed (outputs at {} ms)",
                up.written.len(),
                up.removed.len(),
                (wait + at).as_millis()
            ));
        }
        line.push_str(&format!(
            " · done in {} ms",
            (wait + up.elapsed).as_millis()
        ));
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}
