//! Where a rule applies, mapped between the agents' formats, with each key's
//! meaning as its agent documents it: Cursor rules' `globs` and
//! `alwaysApply`, Claude Code rules' `paths`, Copilot instructions' `applyTo`
//! (and `excludeAgent`). An unscoped rule applies everywhere in every target.

use serde::Serialize;

use super::{Input, Target};
use crate::error::Notice;
use crate::model::RuleDoc;

/// A rule's scope in one shape every target reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mapped {
    /// File patterns, from whichever format the source used (all of them
    /// merged: `globs`, then `paths`, then `applyTo`), each once, in that order.
    pub globs: Vec<String>,
    /// Loaded in every session: `alwaysApply` when given, else whether the
    /// rule has no globs (an unscoped rule applies everywhere, whatever its
    /// tier). `alwaysApply: true`, or a pattern matching every file (`**`),
    /// is everywhere in every target: then `globs` is empty.
    pub always: bool,
    /// What Cursor shows an agent choosing rules: the description, else the purpose.
    pub description: Option<String>,
    /// Copilot's `excludeAgent` (`code-review` or `coding-agent`); only
    /// Copilot reads it.
    pub exclude_agent: Option<String>,
    /// The document lies in a `.claude/rules/` folder, which Claude Code
    /// loads by itself: `CLAUDE.md` does not import it (it would load twice).
    pub claude_loads: bool,
}

/// The scope of `doc`, from its front matter.
pub(super) fn map(doc: &RuleDoc) -> Mapped {
    let s = &doc.scope;
    let mut globs: Vec<String> = Vec::new();
    for g in s.globs.iter().chain(&s.paths).chain(&s.apply_to).flatten() {
        if !globs.contains(g) {
            globs.push(g.clone());
        }
    }
    // A nested `AGENTS.md`, `CLAUDE.md` or `GEMINI.md` applies when the
    // agent works in its folder: in targets that scope by file, that
    // folder's files.
    if globs.is_empty() && doc.loads == crate::model::Loads::Nested {
        let p = doc.path.replace('\\', "/");
        if let Some((folder, _)) = p.rsplit_once('/')
            && !folder.is_empty()
            && folder != "."
        {
            globs.push(format!("{}/**", folder.trim_start_matches("./")));
        }
    }
    let fm = doc.front_matter.as_ref();
    // Everywhere, in every target's terms: Cursor's `alwaysApply: true`
    // ("Globs and description are ignored"), or a pattern that matches every
    // file (`applyTo: "**"`).
    let everywhere = s.always_apply == Some(true)
        || globs
            .iter()
            .any(|g| matches!(g.as_str(), "**" | "**/*" | "*" | "./**"));
    if everywhere {
        globs.clear();
    }
    Mapped {
        always: everywhere || s.always_apply.unwrap_or(globs.is_empty()),
        description: fm
            .and_then(|f| f.get_str("description"))
            .map(str::to_string)
            .or_else(|| doc.purpose.clone())
            .filter(|d| !d.trim().is_empty()),
        exclude_agent: fm
            .and_then(|f| f.get_str("excludeAgent"))
            .map(str::to_string),
        claude_loads: {
            let p = doc.path.replace('\\', "/");
            p.starts_with(".claude/rules/") || p.contains("/.claude/rules/")
        },
        globs,
    }
}

/// A Cursor rule as Cursor wrote it: an `.mdc` file whose front matter has
/// only Cursor's keys. The cursor target renders it back unchanged.
pub(super) fn is_cursor_rule(input: &Input) -> bool {
    let doc = &input.document.doc;
    doc.path.ends_with(".mdc")
        && doc.front_matter.as_ref().is_some_and(|f| {
            f.is_closed()
                && f.data.as_ref().is_some_and(|d| {
                    d.keys()
                        .all(|k| matches!(k.as_str(), "description" | "globs" | "alwaysApply"))
                })
        })
}

/// Warnings about scopes grouped by what could not be said: one line per
/// kind of loss, naming the first few rules, however many there are.
pub(super) fn summarize(warnings: Vec<Notice>) -> Vec<Notice> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for w in warnings {
        match groups.iter_mut().find(|(m, _)| *m == w.message) {
            Some((_, paths)) => paths.push(w.path),
            None => groups.push((w.message, vec![w.path])),
        }
    }
    groups
        .into_iter()
        .map(|(message, paths)| {
            let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
            let more = paths.len().saturating_sub(3);
            let path = if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            };
            Notice {
                path,
                line: None,
                message,
            }
        })
        .collect()
}

/// What `target` cannot say of a rule's scope, as warnings (the same message
/// for the same loss, so that they can be grouped). A scope is never dropped
/// silently.
pub(super) fn unexpressed(doc: &RuleDoc, target: Target) -> Vec<Notice> {
    let m = map(doc);
    let mut out = Vec::new();
    let mut say = |message: String| {
        out.push(Notice {
            path: doc.path.clone(),
            line: None,
            message: format!("{}: {message}", target.name()),
        })
    };
    let requested = doc.scope.always_apply == Some(false) && m.globs.is_empty();
    match target {
        Target::Agents if !m.globs.is_empty() => say(
            "AGENTS.md cannot limit a rule to some files: the rule applies everywhere there, with its globs stated in the text".into(),
        ),
        Target::Claude | Target::Copilot | Target::Agents if requested => say(
            "a rule an agent asks for (alwaysApply: false, no globs) cannot be expressed here: it is loaded always".into(),
        ),
        _ => {}
    }
    if m.exclude_agent.is_some()
        && target != Target::Copilot
        && target != Target::Revised
        && target != Target::Index
    {
        say("excludeAgent is read only by Copilot: it is left out here".into());
    }
    out
}
