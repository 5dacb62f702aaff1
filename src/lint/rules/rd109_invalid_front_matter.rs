use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::formats::{self, Agent, Keys, RULEDOC_KEYS};
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::Format;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports front matter that the agent loading the document cannot read
    /// as its author meant, judged by the document's format (its keys and
    /// syntax come from the agent's documentation; the README's formats table
    /// lists them):
    ///
    /// - YAML that does not parse, with the line where it breaks, in formats
    ///   whose front matter is YAML: a team's own documents, Claude Code
    ///   rules, Kiro steering, Cline rules, Continue and Augment rules.
    ///   Cursor, Windsurf, Trae and Copilot (VS Code) read their keys line
    ///   by line, so `globs: **/*.ts` unquoted, and an empty `globs:` or
    ///   `description:`, are their own syntax there.
    /// - a block that never closes;
    /// - a known key of the wrong type (`alwaysApply` a boolean, `globs`,
    ///   `paths`, `applyTo`, `regex` a string or a list of strings, `tier` an
    ///   integer) or with a value its agent does not know (Windsurf's
    ///   `trigger`, Kiro's `inclusion`, Copilot's `excludeAgent`, Augment's
    ///   `type`);
    /// - as warnings, keys the format's agent does not read that look like a
    ///   misspelling of one it does (`glob`, `applyto`). Cursor reads
    ///   `description`, `globs`, `alwaysApply`; Windsurf `trigger`, `globs`,
    ///   `description`; Claude Code rules `paths`; … Another agent's key
    ///   (`inclusion` in a Windsurf rule that Kiro also includes) is passed
    ///   over by this agent and read by the other: no finding. Other keys are
    ///   a team's metadata and pass; in a team's own documents no key is
    ///   checked unless `[document] keys` in `ruledoc.toml` lists the allowed
    ///   ones;
    /// - a second front-matter block right after the first, and front-matter
    ///   lines (`globs: …`) left in the body after the block closed: agents
    ///   read them as text.
    ///
    /// ## Why
    /// A broken block is ignored by some agents and half-read by others; a
    /// misspelt key does nothing, and the scope it meant never applies.
    ///
    /// ## Example
    /// A Claude Code rule, `.claude/rules/ts.md`:
    /// ```yaml
    /// ---
    /// paths: **/*.ts
    /// path: src/**
    /// ---
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ---
    /// paths:
    ///   - "**/*.ts"
    ///   - "src/**"
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

impl Rule for InvalidFrontMatter {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let format = ctx.doc.format;
        let keys = formats::keys(format);
        if keys == Keys::None {
            // The agent reads no front matter: the block is text to it.
            return;
        }
        let Some(fm) = ctx.doc.front_matter.as_ref() else {
            return;
        };
        if let Some(err) = &fm.error
            && (formats::strict_yaml(format) || !fm.is_closed())
        {
            out.push(yaml_error(ctx, fm, err));
        }
        if let Some(data) = fm.data.as_ref() {
            for (key, value) in data {
                check_key(ctx, keys, key, value, out);
            }
        }
        if fm.is_closed() {
            leftover_block(ctx, fm, out);
        }
    }
}

/// The YAML error, with a hint for the usual cause.
fn yaml_error(
    ctx: &DocContext,
    fm: &crate::model::FrontMatter,
    err: &crate::model::FrontMatterError,
) -> Diagnostic {
    let at = ctx.source.offset_of(err.line, err.column);
    let line = ctx.line_span(err.line);
    let span = Span::new(at, line.end.max(at));
    let d = ctx.diagnostic(
        &InvalidFrontMatter::META,
        span,
        format!("front matter: {}", err.message),
    );
    if !fm.is_closed() {
        return d
            .with_help("close the front matter with a `---` line, or remove the opening `---`");
    }
    if err.message.contains("alias") {
        let text = &ctx.source.text[line.start..line.end];
        let help = match text.split_once(':') {
            Some((key, value)) => format!(
                "YAML reads a value starting with `*` as an alias; quote it: `{key}: \"{}\"`",
                value.trim().replace('"', "\\\"")
            ),
            None => "YAML reads a value starting with `*` as an alias; quote the value".into(),
        };
        return d.with_help(help);
    }
    d
}

/// One key: read by the format's agent, of the right type and value.
fn check_key(ctx: &DocContext, keys: Keys, key: &str, value: &Value, out: &mut Findings) {
    let fm_span = ctx
        .doc
        .front_matter
        .as_ref()
        .map_or(Span::default(), |f| f.span);
    let span = ctx.front_matter_key_span(key).unwrap_or(fm_span);
    let known: Vec<&str> = match keys {
        Keys::Agent(list) => list.to_vec(),
        Keys::Own => match &ctx.config.document.keys {
            Some(extra) => RULEDOC_KEYS
                .iter()
                .copied()
                .chain(extra.iter().map(String::as_str))
                .collect(),
            None => {
                // A team's own keys are theirs; only ruledoc's are checked.
                if RULEDOC_KEYS.contains(&key) {
                    report_type(ctx, span, key, value, out);
                }
                return;
            }
        },
        Keys::None => return,
    };
    let near = nearest(key, &known);
    // Keys an agent does not read are reported when they look misspelt.
    // Another agent's key is no finding: files are shared between agents on
    // purpose (a Windsurf rule that Kiro includes and Copilot links to keeps
    // `inclusion` and `applyTo` for them), and each agent passes over the
    // others' keys. Other keys are a team's own metadata.
    let misspelt = near.is_some() && !formats::FRONT_MATTER_KEYS.contains(&key);
    if !known.contains(&key) && (misspelt || !matches!(keys, Keys::Agent(_))) {
        let why = match keys {
            Keys::Agent(_) => format!(
                "{} does not read it",
                formats::agent(ctx.doc.format).display_name()
            ),
            _ => "it is not in `[document] keys`".to_string(),
        };
        let mut d = ctx.diagnostic_at(
            &InvalidFrontMatter::META,
            Severity::Warning,
            span,
            format!("front-matter key `{key}`: {why}"),
        );
        if let Some(near) = near {
            d = d.with_help(format!("did you mean `{near}`?"));
        } else if let Keys::Agent(list) = keys {
            d = d.with_help(format!(
                "{} reads {}",
                formats::agent(ctx.doc.format).display_name(),
                list.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(d);
        return;
    }
    if !known.contains(&key) {
        return;
    }
    report_type(ctx, span, key, value, out);
}

fn report_type(ctx: &DocContext, span: Span, key: &str, value: &Value, out: &mut Findings) {
    if let Some(expected) = wrong_type(key, value) {
        out.push(ctx.diagnostic(
            &InvalidFrontMatter::META,
            span,
            format!("`{key}` must be {expected}, not {}", describe(value)),
        ));
    } else if let Some((valid, agent)) = unknown_value(ctx.doc.format, key, value) {
        out.push(ctx.diagnostic(
            &InvalidFrontMatter::META,
            span,
            format!(
                "`{key}`: {} is not a value {agent} reads ({valid})",
                describe(value)
            ),
        ));
    }
}

/// Values the agents document, for the keys that take a fixed set:
/// Windsurf's `trigger` (`always_on`, `manual`, `model_decision`, `glob`),
/// Kiro's `inclusion` (`always`, `fileMatch`, `manual`, `auto`), Copilot's
/// `excludeAgent` (`code-review`, `coding-agent`, a string or a list), and
/// in an Augment rule its `type` (`always_apply`, `agent_requested`,
/// `manual`: Augment's rules docs), a key other formats leave to the team.
fn unknown_value(format: Format, key: &str, value: &Value) -> Option<(&'static str, &'static str)> {
    let allowed: (&[&str], &str, &str) = match key {
        "type" if formats::agent(format) == Agent::Augment => (
            &["always_apply", "agent_requested", "manual"],
            "`always_apply`, `agent_requested`, `manual`",
            "Augment",
        ),
        "trigger" => (
            &["always_on", "manual", "model_decision", "glob"],
            "`always_on`, `glob`, `model_decision`, `manual`",
            "Windsurf",
        ),
        "inclusion" => (
            &["always", "fileMatch", "manual", "auto"],
            "`always`, `fileMatch`, `manual`, `auto`",
            "Kiro",
        ),
        "excludeAgent" => (
            &["code-review", "coding-agent"],
            "`code-review`, `coding-agent`",
            "Copilot",
        ),
        _ => return None,
    };
    let ok = |v: &Value| v.as_str().is_some_and(|s| allowed.0.contains(&s));
    let fine = match value {
        Value::Array(items) => key == "excludeAgent" && items.iter().all(ok),
        Value::Null => true,
        v => ok(v),
    };
    (!fine).then_some((allowed.1, allowed.2))
}

/// A second front-matter block right after the first, or front-matter
/// lines left at the start of the body: the agent reads both as text.
fn leftover_block(ctx: &DocContext, fm: &crate::model::FrontMatter, out: &mut Findings) {
    let text = &ctx.source.text;
    let body = &text[fm.span.end..];
    let lines: Vec<&str> = body.lines().take(12).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first) = first else { return };
    let keyish = formats::is_front_matter_line;
    let start_line = ctx.source.line(fm.span.end) + first;
    if lines[first].trim_end() == "---" {
        // A block: `---`, then key lines, then `---`.
        let inner: Vec<&&str> = lines[first + 1..]
            .iter()
            .take_while(|l| l.trim_end() != "---")
            .collect();
        let closed = first + 1 + inner.len() < lines.len();
        if closed
            && !inner.is_empty()
            && inner.iter().all(|l| l.trim().is_empty() || l.contains(':'))
        {
            let span = ctx.line_span(start_line);
            out.push(
                ctx.diagnostic(
                    &InvalidFrontMatter::META,
                    span,
                    "a second front-matter block: agents read only the first, and this one as text",
                )
                .with_help("merge its keys into the first block and delete it"),
            );
        }
        return;
    }
    let leaked: Vec<usize> = lines[first..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .take_while(|l| keyish(l))
        .enumerate()
        .map(|(i, _)| start_line + i)
        .collect();
    if let (Some(&a), Some(&b)) = (leaked.first(), leaked.last()) {
        let span = Span::new(ctx.line_span(a).start, ctx.line_span(b).end);
        let what = if a == b {
            format!("line {a} is")
        } else {
            format!("lines {a}-{b} are")
        };
        out.push(
            ctx.diagnostic(
                &InvalidFrontMatter::META,
                span,
                format!("{what} front matter left after the block closed: agents read it as text"),
            )
            .with_help("move it above the closing `---`"),
        );
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
        "alwaysApply" | "invokable" => {
            (!value.is_boolean()).then_some("a boolean (`true` or `false`)")
        }
        // Empty (`globs:`) is unset, as Cursor writes it.
        "globs" | "paths" | "applyTo" | "excludeAgent" | "fileMatchPattern" | "regex" => {
            (!value.is_null() && !strings(value)).then_some("a string or a list of strings")
        }
        "description" | "name" | "purpose" | "kind" | "revision" | "trigger" | "inclusion" => {
            (!value.is_null() && !value.is_string()).then_some("a string")
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
fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
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
