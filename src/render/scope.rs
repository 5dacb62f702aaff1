//! Where a rule applies, mapped between the agents' formats, with each key's
//! meaning as its agent documents it: Cursor rules' `globs` and
//! `alwaysApply`, Claude Code rules' `paths`, Copilot instructions' `applyTo`
//! (and `excludeAgent`). An unscoped rule applies everywhere in every target.

use serde::Serialize;

use super::Input;
use crate::error::Notice;
use crate::model::{Loads, RuleDoc};
use crate::targets::{Kind, Spec, When};

/// A rule's scope in one shape every target reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    /// Where it applies: in [`map`]'s result, as its source says; in a
    /// target's context, as that target says it ([`express`]).
    pub when: When,
    /// Where it applies as its source says, whatever the target says.
    pub source_when: When,
    /// File patterns (`glob` and `nested`), from whichever key the source
    /// used (all of them merged: `globs`, `paths`, `applyTo`, `trigger: glob`
    /// globs, `fileMatchPattern`), each once.
    pub globs: Vec<String>,
    /// The folder a `nested` rule is for (`pkg/sub`), without a trailing `/`.
    pub folder: Option<String>,
    /// `when` is `always`.
    pub always: bool,
    /// What an agent choosing rules is shown: the description, else the purpose.
    pub description: Option<String>,
    /// The rule's name: its front-matter `name`, else its title's name.
    pub name: Option<String>,
    /// Copilot's `excludeAgent` (`code-review` or `coding-agent`); only
    /// Copilot reads it.
    pub exclude_agent: Option<String>,
    /// The document lies in a `.claude/rules/` folder, which Claude Code
    /// loads by itself: `CLAUDE.md` does not import it (it would load twice).
    pub claude_loads: bool,
}

/// Patterns that match every file: such a glob is no limit.
fn everywhere(g: &str) -> bool {
    matches!(g, "**" | "**/*" | "*" | "./**" | "./**/*")
}

/// The one folder all of `globs` are the whole of (`pkg/**`, `pkg/**/*`),
/// if they are one folder's.
pub(super) fn one_folder(globs: &[String]) -> Option<String> {
    let mut folder: Option<&str> = None;
    for g in globs {
        let g = g.trim_start_matches("./");
        let d = g.strip_suffix("/**/*").or_else(|| g.strip_suffix("/**"))?;
        // A plain relative folder only: a nested file is written there.
        let plain = d.split('/').all(|c| {
            !c.is_empty() && c != "." && c != ".." && !c.contains(['*', '?', '[', '{', '\\', ':'])
        });
        if !plain {
            return None;
        }
        match folder {
            Some(f) if f != d => return None,
            _ => folder = Some(d),
        }
    }
    folder.map(str::to_string)
}

/// The scope of `doc` as its reader takes it. A document in an agent's
/// format is read as that agent loads it ([`crate::formats::loads`], which
/// the document's `loads` holds); one of ruledoc's own (tiered, plain
/// Markdown) from the keys it carries: `globs`, `paths` or `applyTo` make it
/// a glob rule, `alwaysApply: true` or a pattern matching every file makes it
/// always, `alwaysApply: false` without globs makes it on request when it
/// has a description and manual when not.
pub(super) fn map(input: &Input) -> Mapped {
    let doc = &input.document.doc;
    let s = &doc.scope;
    let fm = doc.front_matter.as_ref();
    let description = fm
        .and_then(|f| f.get_str("description"))
        .map(str::to_string)
        .or_else(|| doc.purpose.clone())
        .filter(|d| !d.trim().is_empty());
    let own = crate::formats::keys(doc.format) == crate::formats::Keys::Own;
    let mut globs: Vec<String> = Vec::new();
    let mut push = |g: &String| {
        if !globs.contains(g) {
            globs.push(g.clone());
        }
    };
    let mut folder = None;
    let when = if own {
        for g in s.globs.iter().chain(&s.paths).chain(&s.apply_to).flatten() {
            push(g);
        }
        if s.always_apply == Some(true) || globs.iter().any(|g| everywhere(g)) {
            globs.clear();
            When::Always
        } else if !globs.is_empty() {
            When::Glob
        } else if s.always_apply == Some(false) {
            if description.is_some() {
                When::OnRequest
            } else {
                When::Manual
            }
        } else {
            When::Always
        }
    } else {
        match &doc.loads {
            Loads::Always => When::Always,
            Loads::Glob(g) if g.iter().any(|g| everywhere(g)) => When::Always,
            Loads::Glob(g) => {
                g.iter().for_each(&mut push);
                When::Glob
            }
            Loads::OnRequest => When::OnRequest,
            Loads::Manual | Loads::Never => When::Manual,
            // A nested `AGENTS.md`, `CLAUDE.md` or `GEMINI.md` applies when
            // the agent works in its folder: in targets that scope by file,
            // that folder's files.
            Loads::Nested => {
                // Its folder below the repository's top.
                let p = super::place(input);
                match p.rsplit_once('/') {
                    Some((f, _)) if !f.is_empty() && f != "." => {
                        let f = f.trim_start_matches("./").to_string();
                        push(&format!("{f}/**"));
                        folder = Some(f);
                        When::Nested
                    }
                    _ => When::Always,
                }
            }
        }
    };
    if when == When::Glob {
        folder = one_folder(&globs);
    }
    Mapped {
        when,
        source_when: when,
        always: when == When::Always,
        description,
        name: fm
            .and_then(|f| f.get_str("name"))
            .map(str::to_string)
            .or_else(|| doc.name.clone())
            .filter(|n| !n.trim().is_empty()),
        // A string, or a list (`["coding-agent"]`) of them.
        exclude_agent: fm.and_then(|f| f.get("excludeAgent")).and_then(|v| {
            let list = crate::formats::scope_patterns(v)?;
            Some(list.join(","))
        }),
        claude_loads: {
            let p = doc.path.replace('\\', "/");
            p.starts_with(".claude/rules/") || p.contains("/.claude/rules/")
        },
        globs,
        folder,
    }
}

/// `glob` with a brace group it starts with spelt out (`{src,lib}/**` →
/// `src/**`, `lib/**`): the same files, in a form every agent's line reads.
/// Written unquoted after `globs:` (Cursor, Windsurf, Trae), a leading `{`
/// is a YAML mapping, and Cursor splits the line at its commas.
fn without_leading_braces(glob: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![glob.to_string()];
    while let Some(g) = todo.pop() {
        let close = g.starts_with('{').then(|| {
            let mut depth = 0usize;
            g.char_indices().find_map(|(i, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => {}
                }
                None
            })
        });
        match close.flatten() {
            Some(end) if out.len() + todo.len() < 64 => {
                let rest = &g[end + 1..];
                for alt in crate::formats::split_patterns(&g[1..end]).into_iter().rev() {
                    todo.push(format!("{alt}{rest}"));
                }
            }
            _ => out.push(g),
        }
    }
    out
}

/// `m` as `spec` can say it: its `when` after the target's fallback
/// ([`Spec::express`]); a glob said as a nested file keeps its folder.
pub(super) fn express(m: &Mapped, spec: &Spec) -> Mapped {
    let when = spec.express(m.when, m.folder.is_some());
    let mut out = m.clone();
    out.globs = m
        .globs
        .iter()
        .flat_map(|g| without_leading_braces(g))
        .collect();
    out.when = when;
    out.always = when == When::Always;
    out
}

/// A rule as `spec`'s agent wrote it: in the target's `native` format, its
/// front matter (if any) closed and holding only the target's keys. The
/// target renders it back unchanged.
pub(super) fn is_native(input: &Input, spec: &Spec) -> bool {
    let doc = &input.document.doc;
    spec.native_format() == Some(doc.format)
        && doc.front_matter.as_ref().is_none_or(|f| {
            f.is_closed()
                && f.data
                    .as_ref()
                    .is_none_or(|d| d.keys().all(|k| spec.keys.contains(k)))
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

/// What `spec` cannot say of a rule's scope, as warnings (the same message
/// for the same loss, so that they can be grouped), each naming the rule
/// (the notice's path) and the scope. A scope is never dropped silently.
pub(super) fn unexpressed(doc: &RuleDoc, source: &Mapped, spec: &Spec) -> Vec<Notice> {
    let said = express(source, spec);
    let mut out = Vec::new();
    let mut say = |message: String| {
        out.push(Notice {
            path: doc.path.clone(),
            line: None,
            message: format!("{}: {message}", spec.name),
        })
    };
    if said.when != source.when {
        let what = match source.when {
            When::Glob => "a rule for some files (glob) cannot be limited to them here",
            When::Nested => "a rule for one folder (nested) cannot be limited to it here",
            When::OnRequest => "a rule the model asks for (on request) cannot be said here",
            When::Manual => "a rule loaded only when named (manual) cannot be said here",
            When::Always => "",
        };
        let then = match said.when {
            When::Always if !source.globs.is_empty() => {
                "it applies everywhere, its globs stated in its text"
            }
            When::Always => "it is loaded always",
            When::OnRequest => "the model may ask for it (on request)",
            When::Nested => "it goes to its folder's file (nested)",
            When::Glob => "it loads for its folder's files (glob)",
            When::Manual => "",
        };
        say(format!("{what}: {then}"));
    }
    let reads_exclude = spec.keys.iter().any(|k| k == "excludeAgent");
    if source.exclude_agent.is_some() && !reads_exclude && spec.kind == Kind::Agent {
        say("excludeAgent is read only by Copilot: it is left out here".into());
    }
    out
}

#[cfg(test)]
mod brace_tests {
    #[test]
    fn a_leading_brace_group_is_spelt_out() {
        let f = super::without_leading_braces;
        assert_eq!(f("{src/**,lib/**}"), ["src/**", "lib/**"]);
        assert_eq!(
            f("{src,lib}/**/*.{ts,tsx}"),
            ["src/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"]
        );
        assert_eq!(f("{{a,b},c}/x"), ["a/x", "b/x", "c/x"]);
        assert_eq!(f("src/*.{ts,tsx}"), ["src/*.{ts,tsx}"]);
        assert_eq!(f("{unclosed"), ["{unclosed"]);
    }
}
