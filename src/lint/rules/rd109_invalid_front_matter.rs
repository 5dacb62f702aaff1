use serde_json::Value;

use crate::diagnostic::Severity;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports front matter that is not valid YAML (with the line where the
    /// YAML breaks), that never closes, or whose known keys have the wrong
    /// type: `tier` must be an integer, `alwaysApply` a boolean, `globs`,
    /// `paths` and `applyTo` a string or a list of strings. Keys that no
    /// supported format knows are reported as warnings: Cursor's
    /// `description`, `globs`, `alwaysApply`; Claude's `paths`; Copilot's
    /// `applyTo`, `excludeAgent`; ruledoc's `tier`, `name`, `purpose`, `kind`,
    /// `revision`.
    ///
    /// ## Why
    /// A broken block is ignored by some agents and half-read by others. The
    /// most common break is Cursor's unquoted glob: YAML reads `*` at the start
    /// of a value as an alias, so `globs: *.ts` is an error.
    ///
    /// ## Example
    /// ```yaml
    /// ---
    /// description: TypeScript conventions
    /// globs: *.ts
    /// alwaysApply: "no"
    /// ---
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ---
    /// description: TypeScript conventions
    /// globs: "*.ts"
    /// alwaysApply: false
    /// ---
    /// ```
    pub struct InvalidFrontMatter {
        code: "RD109",
        name: "invalid-front-matter",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

/// The keys each supported format knows.
pub(super) const KNOWN_KEYS: &[&str] = &[
    // Cursor
    "description",
    "globs",
    "alwaysApply",
    // Claude Code
    "paths",
    // GitHub Copilot
    "applyTo",
    "excludeAgent",
    // ruledoc
    "tier",
    "name",
    "purpose",
    "kind",
    "revision",
];

impl Rule for InvalidFrontMatter {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let Some(fm) = ctx.doc.front_matter.as_ref() else {
            return;
        };
        if let Some(err) = &fm.error {
            let at = ctx.source.offset_of(err.line, err.column);
            let line = ctx.line_span(err.line);
            let span = Span::new(at, line.end.max(at));
            let mut d = ctx.diagnostic(&Self::META, span, format!("front matter: {}", err.message));
            if !fm.is_closed() {
                d = d.with_help(
                    "close the front matter with a `---` line, or remove the opening `---`",
                );
            } else if err.message.contains("alias") {
                let text = &ctx.source.text[line.start..line.end];
                let help = match text.split_once(':') {
                    Some((key, value)) => format!(
                        "YAML reads a value starting with `*` as an alias; quote it: `{key}: \"{}\"`",
                        value.trim().replace('"', "\\\"")
                    ),
                    None => {
                        "YAML reads a value starting with `*` as an alias; quote the value".into()
                    }
                };
                d = d.with_help(help);
            }
            out.push(d);
        }
        let Some(data) = fm.data.as_ref() else { return };
        for (key, value) in data {
            let span = ctx.front_matter_key_span(key).unwrap_or(fm.span);
            if !KNOWN_KEYS.contains(&key.as_str()) {
                let mut d = ctx.diagnostic_at(
                    &Self::META,
                    Severity::Warning,
                    span,
                    format!("unknown front-matter key `{key}`: no supported format reads it"),
                );
                if let Some(near) = nearest(key) {
                    d = d.with_help(format!("did you mean `{near}`?"));
                }
                out.push(d);
                continue;
            }
            if let Some(expected) = wrong_type(key, value) {
                out.push(ctx.diagnostic(
                    &Self::META,
                    span,
                    format!("`{key}` must be {expected}, not {}", describe(value)),
                ));
            }
        }
    }
}

/// What `key` should hold, when `value` is not that.
fn wrong_type(key: &str, value: &Value) -> Option<&'static str> {
    let strings = |v: &Value| match v {
        Value::String(_) => true,
        Value::Array(items) => items.iter().all(Value::is_string),
        _ => false,
    };
    match key {
        "tier" => (!value.is_i64()).then_some("an integer"),
        "alwaysApply" => (!value.is_boolean()).then_some("a boolean (`true` or `false`)"),
        "globs" | "paths" | "applyTo" | "excludeAgent" => {
            (!strings(value)).then_some("a string or a list of strings")
        }
        "description" | "name" | "purpose" | "kind" | "revision" => {
            (!value.is_string()).then_some("a string")
        }
        _ => None,
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "empty".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `\"{s}\"`"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// The known key a misspelt one most likely meant.
fn nearest(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&k.to_ascii_lowercase(), &key.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}
