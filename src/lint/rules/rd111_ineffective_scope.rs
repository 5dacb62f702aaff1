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
    ///   and description are ignored" (Cursor's rules docs);
    /// - Windsurf: `trigger: model_decision` without a `description` (the
    ///   model decides from the description, so it can never be chosen), and
    ///   `trigger: glob` without `globs` (it matches no file);
    /// - Kiro: `inclusion: fileMatch` without a `fileMatchPattern`;
    /// - Copilot: a `*.instructions.md` file without `applyTo`, which "is not
    ///   applied automatically" (VS Code's custom instructions docs).
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
            Format::CopilotPath if !set("applyTo") => Some((
                "applyTo",
                "no `applyTo`: Copilot does not apply these instructions automatically",
            )),
            _ => None,
        };
        let Some((key, message)) = problem else {
            return;
        };
        let span = ctx
            .front_matter_key_span(key)
            .or_else(|| fm.map(|f| ctx.trim_line_end(ctx.line_span(f.line))))
            .unwrap_or_else(|| ctx.head_span());
        let help = match key {
            "applyTo" => "add `applyTo: \"**\"` for every file, or the globs it is for",
            "globs" => "drop `globs`, or set `alwaysApply: false` to load it for those files only",
            "trigger" if message.contains("description") => {
                "add a `description` saying when it applies"
            }
            _ => "add the patterns of the files it is for",
        };
        out.push(ctx.diagnostic(&Self::META, span, message).with_help(help));
    }
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
