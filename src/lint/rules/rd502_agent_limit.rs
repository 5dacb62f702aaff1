use std::path::Path;

use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::targets::{Limit, Per, Spec, Target};

declare_rule! {
    /// ## What it does
    /// Reports a rule file over a size limit that the agent reading it
    /// documents, with the limit and the page that gives it. The limits
    /// are the render targets' data (`ruledoc targets --format json` lists
    /// them):
    ///
    /// - Windsurf: "Rule files are limited to 12,000 characters each" (its
    ///   memories docs), for each `.windsurf/rules` file;
    /// - Codex: the `AGENTS.md` files from the repository's top down to the
    ///   working folder are read until together they reach
    ///   `project_doc_max_bytes`, 32 KiB by default (its AGENTS.md guide),
    ///   reported at each `AGENTS.md` whose chain is over it (a folder's
    ///   `AGENTS.override.md` read instead of its `AGENTS.md`, as Codex
    ///   reads it);
    /// - Claude Code: a `CLAUDE.md` or `.claude/rules` file over 40,000
    ///   characters, which Claude Code warns about ("Large CLAUDE.md will
    ///   impact performance").
    ///
    /// Characters are Unicode scalar values; bytes are UTF-8 bytes; the
    /// whole file counts, front matter included.
    ///
    /// ## Why
    /// What is over the limit is cut off (Windsurf, Codex) or slows every
    /// session (Claude Code), silently: the end of the rule never reaches
    /// the model.
    ///
    /// ## Example
    /// A `.windsurf/rules/style.md` of 15,000 characters.
    ///
    /// Use instead: split it into rules of their own, scoped to the files
    /// they are for.
    pub struct AgentLimit {
        code: "RD502",
        name: "agent-limit",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for AgentLimit {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        // Every limit of every target, with its target, gathered once.
        static LIMITS: std::sync::LazyLock<Vec<(&'static Spec, &'static Limit)>> =
            std::sync::LazyLock::new(|| {
                Target::all()
                    .into_iter()
                    .flat_map(|t| t.spec().limits.iter().map(move |l| (t.spec(), l)))
                    .collect()
            });
        let format = ctx.doc.format;
        for &(spec, limit) in LIMITS.iter().filter(|(s, l)| l.holds_for(s, format)) {
            {
                let text = &ctx.source.text;
                // Characters never outnumber bytes: most files are under
                // any limit without counting.
                if limit.per == Per::File && text.len() <= limit.max {
                    continue;
                }
                let (size, what) = match limit.per {
                    Per::File => (limit.unit.measure(text), String::new()),
                    // An `AGENTS.md` beside an `AGENTS.override.md` is not
                    // read at all: the override is.
                    Per::Total
                        if ctx.abs_path.file_name().is_some_and(|n| n == "AGENTS.md")
                            && ctx.abs_path.with_file_name(OVERRIDE).is_file() =>
                    {
                        continue;
                    }
                    Per::Total => {
                        let above = chain_above(&ctx.abs_path, &ctx.boundary);
                        let mut size = limit.unit.measure(text);
                        for (_, t) in &above {
                            size += limit.unit.measure(t);
                        }
                        let what = if above.is_empty() {
                            String::new()
                        } else {
                            let names: Vec<String> = above
                                .iter()
                                .map(|(p, _)| crate::paths::display_path(p))
                                .collect();
                            format!(" with {} above it", names.join(", "))
                        };
                        (size, what)
                    }
                };
                if size <= limit.max {
                    continue;
                }
                let per = match limit.per {
                    Per::File => "per file",
                    Per::Total => "in all",
                };
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        ctx.head_span(),
                        format!(
                            "{size} {}{what}: over {}'s limit of {} {} {per}",
                            limit.unit.name(),
                            spec.agent,
                            limit.max,
                            limit.unit.name()
                        ),
                    )
                    .with_help(format!("{}: {}", limit.source, limit.says)),
                );
            }
        }
    }
}

/// Codex's per-folder override of `AGENTS.md` (its AGENTS.md guide).
const OVERRIDE: &str = "AGENTS.override.md";

/// The files of the same name as `path` in the folders above it, up to
/// `top` (the repository's), top first, with their text: the chain an
/// agent that reads one per folder (Codex's `AGENTS.md`) reads with it.
fn chain_above(path: &Path, top: &Path) -> Vec<(std::path::PathBuf, String)> {
    let Some(name) = path.file_name() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) {
            break;
        }
        dir = d.parent();
        if let Some(up) = dir {
            // Codex reads `AGENTS.override.md` instead of `AGENTS.md` in a
            // folder that has both ("at most one file per directory").
            let over = (name == "AGENTS.md").then(|| up.join(OVERRIDE));
            let read = over
                .and_then(|p| crate::load::read_text(&p).ok().map(|t| (p, t)))
                .or_else(|| {
                    let p = up.join(name);
                    crate::load::read_text(&p).ok().map(|t| (p, t))
                });
            if let Some(found) = read {
                out.push(found);
            }
        }
    }
    out.reverse();
    out
}
