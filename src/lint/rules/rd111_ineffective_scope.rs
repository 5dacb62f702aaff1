use serde_json::Value;

use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::Format;

declare_rule! {
    /// ## What it does
    /// Reports front matter whose scope keys contradict each other, so that
    /// the agent ignores part of them or never loads the rule, as each
    /// vendor's documentation describes it:
    ///
    /// - Cursor: `alwaysApply: true` with `globs` — "Always included. Globs
    ///   and description are ignored" (Cursor's rules docs); the same in
    ///   Continue, whose `alwaysApply: true` is "Always included, regardless
    ///   of file context" (its rules docs);
    /// - Augment: `type: agent_requested` without a `description`, which the
    ///   type requires (Augment's rules docs: "required for
    ///   agent_requested type");
    /// - Windsurf: `trigger: model_decision` without a `description` (the
    ///   model decides from the description, so it can never be chosen), and
    ///   `trigger: glob` without `globs` (it matches no file);
    /// - Kiro: `inclusion: fileMatch` without a `fileMatchPattern`;
    /// - Copilot: a `*.instructions.md` file with neither `applyTo` nor a
    ///   `description` ("If you don't specify an `applyTo` property, the
    ///   instructions are not applied automatically"; VS Code's agent also
    ///   picks instructions by "semantic matching of the instruction
    ///   description to the current task", so a `description` alone is a
    ///   scope), or whose `---` block comes after a comment or text, where
    ///   it is no front matter at all;
    /// - the same late block in a Cursor, Claude Code, Windsurf, Kiro or
    ///   Cline rule: each agent reads front matter only at the top of the
    ///   file, so the scope is lost and the keys are read as text;
    /// - a Markdown file in `.github/instructions` whose name does not end
    ///   in `.instructions.md`: Copilot never loads it;
    /// - a Claude Code, Cline, Continue, Augment, Cursor or Windsurf rule
    ///   scoped only by other agents' keys (`globs` in a `.claude/rules`
    ///   file, `applyTo` and `inclusion` without a `trigger` in a Windsurf
    ///   rule, `paths` in a Continue rule): its agent reads none of them, so
    ///   Claude Code, Cline, Continue and Augment load it in every session
    ///   and Cursor and Windsurf only when it is @-mentioned.
    ///
    /// ## Why
    /// The rule does not load when its author thinks it does: silently, with
    /// no error from the agent.
    ///
    /// ## Example
    /// `.cursor/rules/web.mdc`:
    /// ```yaml
    /// ---
    /// description: Web conventions
    /// globs: web/**
    /// alwaysApply: true
    /// ---
    /// ```
    ///
    /// Use instead (for the web files only):
    /// ```yaml
    /// ---
    /// description: Web conventions
    /// globs: web/**
    /// alwaysApply: false
    /// ---
    /// ```
    pub struct IneffectiveScope {
        code: "RD111",
        name: "ineffective-scope",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for IneffectiveScope {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        if let Some(d) = foreign_scope(ctx) {
            out.push(d);
            return;
        }
        let fm = ctx.doc.front_matter.as_ref();
        let get = |k: &str| fm.and_then(|f| f.get(k));
        let set = |k: &str| match get(k) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
        };
        let text = |k: &str| get(k).and_then(Value::as_str).map(str::trim);
        let problem: Option<(&str, &str)> = match ctx.doc.format {
            Format::CursorMdc
                if get("alwaysApply").and_then(Value::as_bool) == Some(true)
                    && set("globs")
                    && !matches_everything(get("globs")) =>
            {
                Some((
                    "globs",
                    "`globs` is ignored: with `alwaysApply: true` Cursor loads the rule in every session",
                ))
            }
            Format::ContinueRules
                if get("alwaysApply").and_then(Value::as_bool) == Some(true)
                    && set("globs")
                    && !matches_everything(get("globs")) =>
            {
                Some((
                    "globs",
                    "`globs` is ignored: with `alwaysApply: true` Continue loads the rule in every session",
                ))
            }
            Format::AugmentRules
                if text("type") == Some("agent_requested") && !set("description") =>
            {
                Some((
                    "type",
                    "`type: agent_requested` without a `description`: Augment decides from the description, so the rule is never chosen",
                ))
            }
            Format::WindsurfRules
                if text("trigger") == Some("model_decision") && !set("description") =>
            {
                Some((
                    "trigger",
                    "`trigger: model_decision` without a `description`: Windsurf decides from the description, so the rule is never chosen",
                ))
            }
            Format::WindsurfRules if text("trigger") == Some("glob") && !set("globs") => Some((
                "trigger",
                "`trigger: glob` without `globs`: the rule matches no file",
            )),
            Format::KiroSteering
                if text("inclusion") == Some("fileMatch") && !set("fileMatchPattern") =>
            {
                Some((
                    "inclusion",
                    "`inclusion: fileMatch` without a `fileMatchPattern`: the rule matches no file",
                ))
            }
            Format::CopilotPath if fm.is_none() && late_front_matter(ctx).is_some() => Some((
                "applyTo",
                "the front matter is not on the first line, so it is no front matter: Copilot reads no `applyTo` and does not apply these instructions automatically",
            )),
            Format::CursorMdc
            | Format::ClaudeRules
            | Format::WindsurfRules
            | Format::KiroSteering
            | Format::Clinerules
                if fm.is_none() && late_front_matter(ctx).is_some() =>
            {
                Some((
                    "applyTo",
                    "the front matter is not on the first line, so it is no front matter: the agent reads none of its keys, its scope included, and takes the block as text",
                ))
            }
            Format::Markdown if in_copilot_instructions(ctx) => Some((
                "applyTo",
                "in `.github/instructions` but not named `*.instructions.md`: Copilot loads only those, so it never reads this file",
            )),
            Format::CopilotPath if !set("applyTo") && !set("description") => Some((
                "applyTo",
                "neither `applyTo` nor `description`: Copilot does not apply these instructions automatically",
            )),
            _ => None,
        };
        let Some((key, message)) = problem else {
            return;
        };
        let late = late_front_matter(ctx).filter(|_| fm.is_none());
        let span = ctx
            .front_matter_key_span(key)
            .or_else(|| fm.map(|f| ctx.trim_line_end(ctx.line_span(f.line))))
            .or_else(|| late.map(|l| ctx.trim_line_end(ctx.line_span(l))))
            .unwrap_or_else(|| ctx.head_span());
        let help = match key {
            "applyTo" if ctx.doc.format == Format::Markdown => {
                "rename it to end in `.instructions.md`"
            }
            "applyTo" if late.is_some() => {
                "move the `---` block to the very top of the file, above everything else"
            }
            "applyTo" => {
                "add `applyTo: \"**\"` for every file, or the globs it is for; or a `description` the agent can match to its task"
            }
            "globs" => "drop `globs`, or set `alwaysApply: false` to load it for those files only",
            "trigger" | "type" if message.contains("description") => {
                "add a `description` saying when it applies"
            }
            _ => "add the patterns of the files it is for",
        };
        out.push(ctx.diagnostic(&Self::META, span, message).with_help(help));
    }
}

/// Scope keys that some agent documents (Cursor, Claude Code, Copilot,
/// Windsurf, Kiro, Cline).
const SCOPE_KEYS: &[&str] = &[
    "globs",
    "alwaysApply",
    "paths",
    "applyTo",
    "trigger",
    "inclusion",
    "fileMatchPattern",
];

/// A rule whose front matter scopes it only with other agents' keys: its
/// own agent reads none of them, and loads it as if it had no scope.
fn foreign_scope(ctx: &DocContext) -> Option<crate::diagnostic::Diagnostic> {
    let fm = ctx.doc.front_matter.as_ref()?;
    let (agent, own, outcome, help): (&str, &[&str], &str, &str) = match ctx.doc.format {
        Format::ClaudeRules => (
            "Claude Code",
            &["paths"],
            "loads the rule in every session",
            "add `paths` with the patterns of the files it is for",
        ),
        Format::Clinerules => (
            "Cline",
            &["paths"],
            "loads the rule in every session",
            "add `paths` with the patterns of the files it is for",
        ),
        Format::CursorMdc => (
            "Cursor",
            &["globs", "alwaysApply", "description"],
            "applies the rule only when it is @-mentioned",
            "add `globs` with the patterns of the files it is for, or `alwaysApply: true`",
        ),
        Format::WindsurfRules => (
            "Windsurf",
            &["trigger"],
            "applies the rule only when it is @-mentioned",
            "add a `trigger`: `always_on`, or `glob` with `globs`",
        ),
        Format::ContinueRules => (
            "Continue",
            &["globs", "regex", "alwaysApply"],
            "loads the rule in every session",
            "add `globs` with the patterns of the files it is for",
        ),
        Format::AugmentRules => (
            "Augment",
            &["type"],
            "loads the rule in every session",
            "add a `type`: `agent_requested` with a `description`, or `manual`",
        ),
        _ => return None,
    };
    if own.iter().any(|k| fm.get(k).is_some()) {
        return None;
    }
    // A key that asks for every session agrees with an agent that loads
    // the rule in every session.
    let always = |k: &str| match (k, fm.get(k)) {
        ("alwaysApply", Some(Value::Bool(true))) => true,
        ("inclusion", Some(Value::String(v))) => v.trim() == "always",
        ("trigger", Some(Value::String(v))) => v.trim() == "always_on",
        _ => false,
    };
    let loads_always = matches!(
        ctx.doc.format,
        Format::ClaudeRules | Format::Clinerules | Format::ContinueRules | Format::AugmentRules
    );
    let foreign: Vec<&str> = SCOPE_KEYS
        .iter()
        .copied()
        .filter(|k| !own.contains(k) && fm.get(k).is_some())
        .filter(|k| !(loads_always && always(k)))
        .collect();
    let first = *foreign.first()?;
    let names = foreign
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let span = ctx
        .front_matter_key_span(first)
        .unwrap_or_else(|| ctx.head_span());
    Some(
        ctx.diagnostic(
            &IneffectiveScope::META,
            span,
            format!(
                "scoped only by other agents' keys ({names}): {agent} reads none of them and {outcome}"
            ),
        )
        .with_help(help),
    )
}

/// Whether every pattern of a scope value matches every file (`**`, `**/*`,
/// `*`): then `alwaysApply: true` and the globs agree.
fn matches_everything(value: Option<&Value>) -> bool {
    value
        .and_then(crate::formats::scope_patterns)
        .is_some_and(|p| {
            p.iter()
                .all(|g| matches!(g.as_str(), "**" | "**/*" | "*" | "./**"))
        })
}

/// The line of a `---` block that follows only HTML comments and blank lines
/// at the top of a document that has no front matter: meant as front matter,
/// read as Markdown (a thematic break and a paragraph), since front matter
/// must open on the first line.
/// Whether the document is a Markdown file directly in a
/// `.github/instructions` folder (or below it) that Copilot does not load:
/// "files whose names end with `.instructions.md`" (GitHub's docs on
/// path-specific custom instructions).
fn in_copilot_instructions(ctx: &DocContext) -> bool {
    if crate::formats::is_readme(&ctx.abs_path) {
        return false;
    }
    let parts: Vec<&std::ffi::OsStr> = ctx
        .abs_path
        .parent()
        .map(|p| p.components().map(|c| c.as_os_str()).collect())
        .unwrap_or_default();
    parts
        .windows(2)
        .any(|w| w[0] == ".github" && w[1] == "instructions")
}

fn late_front_matter(ctx: &DocContext) -> Option<usize> {
    // Where the agent would have looked: the first lines, before any code.
    const WITHIN: usize = 12;
    let text = ctx.source.text.trim_start_matches('\u{feff}');
    let offset = ctx.source.text.len() - text.len();
    let lines: Vec<&str> = text.split_inclusive('\n').take(WITHIN).collect();
    let mut at = 0;
    let mut in_comment = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end_matches(['\n', '\r']);
        if in_comment || t.trim_start().starts_with("<!--") {
            in_comment = !t.contains("-->");
        } else if t.trim_start().starts_with("```") || t.trim_start().starts_with("~~~") {
            return None;
        } else if i > 0 && t == "---" {
            // A block of the format's keys (`applyTo: …`, `globs: …`)
            // closed by `---`, not a thematic break before a paragraph.
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .map(|l| l.trim_end_matches(['\n', '\r']))
                .take_while(|l| *l != "---")
                .collect();
            let closed = i + 1 + body.len() < lines.len();
            let keys = body
                .iter()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .collect::<Vec<_>>();
            if closed
                && keys
                    .first()
                    .is_some_and(|l| crate::formats::is_front_matter_line(l))
            {
                return Some(ctx.source.line(offset + at));
            }
        }
        at += line.len();
    }
    None
}
