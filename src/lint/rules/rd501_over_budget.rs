use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::formats::{Agent, agent};
use crate::lint::{DocContext, DocFacts, Findings, Rule, SetContext, SetFindings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports what costs tokens in every session, estimated as characters
    /// / 4. For documents held to ruledoc's tiered convention: a document
    /// over its tier's budget (`[lint.budget] tier`; tier 1: 2,000, tier 2:
    /// 4,000, tier 3: 8,000 by default), and all tier-1 documents of a set
    /// together over `tier1_total` (8,000). For agent files: everything one
    /// agent loads up front together over `up_front` (8,000): Cursor rules
    /// with `alwaysApply: true`, `.claude/rules` without `paths`, the top
    /// `CLAUDE.md`, `AGENTS.md` and `GEMINI.md` (with the files they import:
    /// Claude Code and Gemini CLI expand `@path` imports when they load
    /// them), Copilot's repository-wide file, Windsurf's `always_on` rules,
    /// the heaviest of Roo's modes … Rules that load only for some files, on
    /// request or by hand are not counted; nor is a `.cursorrules` below the
    /// repository's top.
    ///
    /// ## Why
    /// Every token of a rule is paid for in every conversation that loads it,
    /// and long rules are followed less well than short ones.
    ///
    /// ## Example
    /// A tier-1 rule of 12,000 characters (about 3,000 tokens).
    ///
    /// Use instead: keep the tier-1 rule to the principles and move the detail
    /// into tier-3 sub-rules that are loaded only where they apply.
    pub struct OverBudget {
        code: "RD501",
        name: "over-budget",
        severity: Warning,
        kind: Set,
        fix: Never,
    }
}

/// Characters (Unicode scalar values) / 4, rounded up: the usual estimate
/// for English text and code. Not any model's tokenizer; a budget, not a
/// count.
pub fn estimate_tokens(text: &str) -> usize {
    // Characters are the bytes that do not continue a UTF-8 sequence.
    let chars = text.bytes().filter(|b| (b & 0xC0) != 0x80).count();
    chars.div_ceil(4)
}

impl Rule for OverBudget {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let Some(tier) = ctx.doc.tier else { return };
        let Some(budget) = ctx.config.lint.budget.for_tier(tier) else {
            return;
        };
        // Characters never outnumber bytes: most documents are under budget
        // without counting.
        if ctx.source.text.len().div_ceil(4) <= budget {
            return;
        }
        let tokens = ctx.tokens();
        if tokens > budget {
            out.push_tiered(
                ctx.diagnostic(
                    &Self::META,
                    ctx.head_span(),
                    format!("about {tokens} tokens; the tier-{tier} budget is {budget}"),
                )
                .with_help(
                    "move detail into lower-tier documents, or raise the budget in [lint.budget]",
                ),
            );
        }
    }

    /// Two totals of what loads into every session. In rule sets held to the
    /// tiered convention, the tier-1 documents of each set together, against
    /// `tier1_total`. Elsewhere, for each agent, the documents it loads up
    /// front (a Cursor rule with `alwaysApply: true`, a `.claude/rules` file
    /// without `paths`, the top `AGENTS.md` or `CLAUDE.md`, …) together,
    /// against `up_front`; rules that load only for some files, on request or
    /// by hand are not counted. Each total is reported at its largest document.
    fn check_set(&self, set: &SetContext, out: &mut SetFindings) {
        let budget = &set.settings.config.lint.budget;
        let mut tier1: BTreeMap<Option<&PathBuf>, Vec<&DocFacts>> = BTreeMap::new();
        let mut up_front: BTreeMap<Agent, Vec<&DocFacts>> = BTreeMap::new();
        for (f, held) in set.facts.iter().zip(&set.tiered) {
            if *held {
                if f.tier == Some(1) {
                    tier1.entry(f.root.as_ref()).or_default().push(f);
                }
            } else if f.up_front {
                up_front.entry(agent(f.format)).or_default().push(f);
            }
        }
        for docs in tier1.values() {
            report_total(
                &Loaded::of(docs),
                budget.tier1_total,
                "tier-1 documents",
                out,
            );
        }
        for (agent, docs) in &up_front {
            if *agent == Agent::Roo {
                report_roo(docs, budget.up_front, out);
                continue;
            }
            let what = format!("documents {} loads up front", agent_name(*agent));
            let loaded = if matches!(agent, Agent::Claude | Agent::Gemini) {
                with_imports(docs, set.facts, &set.settings.repo_root)
            } else {
                Loaded::of(docs)
            };
            report_total(&loaded, budget.up_front, &what, out);
        }
    }
}

/// What one agent loads up front: the documents it loads, and what they
/// import, with their token counts.
struct Loaded<'a> {
    /// The documents of the set it loads (a finding is made at one of them).
    docs: Vec<&'a DocFacts>,
    /// Each loaded file once: `(tokens, path)`, documents of the set and
    /// imported files alike.
    files: Vec<(usize, PathBuf)>,
}

/// `docs` and the files they import (`@path`), as Claude Code and Gemini
/// CLI expand imports when they load a file: recursively, up to 5 hops
/// (Claude Code's memory docs: "a maximum depth of 5 hops"). An imported
/// file the run did not read, or read without counting its tokens, is read
/// here (only inside `repository`); each file counts once.
fn with_imports<'a>(
    docs: &[&'a DocFacts],
    facts: &[&'a DocFacts],
    repository: &Path,
) -> Loaded<'a> {
    const HOPS: usize = 5;
    let by_path: HashMap<&Path, &DocFacts> =
        facts.iter().map(|f| (f.abs_path.as_path(), *f)).collect();
    let mut files: Vec<(usize, PathBuf)> = docs
        .iter()
        .map(|f| (f.tokens, f.abs_path.clone()))
        .collect();
    let mut seen: HashSet<PathBuf> = docs.iter().map(|f| f.abs_path.clone()).collect();
    let mut frontier: Vec<PathBuf> = docs.iter().map(|f| f.abs_path.clone()).collect();
    let resolved = std::fs::canonicalize(repository).ok();
    for _ in 0..HOPS {
        let mut next = Vec::new();
        for path in &frontier {
            for target in imports_of(path, &by_path, repository, resolved.as_deref()) {
                if !seen.insert(target.clone()) {
                    continue;
                }
                let counted = by_path
                    .get(target.as_path())
                    .map(|f| f.tokens)
                    .filter(|t| *t > 0);
                let tokens = counted.or_else(|| {
                    crate::load::read_text(&target)
                        .ok()
                        .map(|t| estimate_tokens(&t))
                });
                if let Some(tokens) = tokens {
                    files.push((tokens, target.clone()));
                    next.push(target);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    Loaded {
        docs: docs.to_vec(),
        files,
    }
}

/// The files `path` imports inside `repository` (`resolved`: the same with
/// symbolic links resolved): from its facts when the run read it (its
/// import edges lead only to files inside its repository, see
/// `DocContext::import_edges`), else read and parsed here and checked the
/// same way. Relative paths are from the file's folder; `~/…` and absolute
/// ones are not followed.
fn imports_of(
    path: &Path,
    by_path: &HashMap<&Path, &DocFacts>,
    repository: &Path,
    resolved: Option<&Path>,
) -> Vec<PathBuf> {
    if let Some(f) = by_path.get(path) {
        return f
            .imports
            .iter()
            .map(|e| e.target.clone())
            .filter(|t| t.starts_with(repository))
            .collect();
    }
    let Ok(text) = crate::load::read_text(path) else {
        return Vec::new();
    };
    let source = crate::source::SourceFile::new(path.to_path_buf(), text);
    let doc = crate::parse::parse(&source, &Default::default());
    let dir = path.parent().unwrap_or(Path::new("/"));
    doc.imports
        .iter()
        .filter(|i| !i.path.starts_with(['/', '~']))
        .map(|i| crate::paths::normalize_from(dir, Path::new(&i.path)))
        .filter(|t| {
            t.starts_with(repository)
                && resolved.is_some_and(|r| crate::paths::resolves_inside(t, r))
        })
        .collect()
}

/// Roo Code loads `.roo/rules/` in every mode and `.roo/rules-{mode}/` in
/// that mode only (Roo's custom instructions docs), one mode at a time: the
/// total that counts is the heaviest mode's, reported once.
fn report_roo(docs: &[&DocFacts], limit: usize, out: &mut SetFindings) {
    let (common, by_mode): (Vec<&DocFacts>, Vec<&DocFacts>) =
        docs.iter().partition(|f| roo_mode(&f.abs_path).is_none());
    let mut modes: BTreeMap<&str, Vec<&DocFacts>> = BTreeMap::new();
    for f in by_mode {
        if let Some(mode) = roo_mode(&f.abs_path) {
            modes.entry(mode).or_default().push(f);
        }
    }
    let heaviest = modes
        .into_iter()
        .map(|(mode, own)| {
            let mut all = common.clone();
            all.extend(own);
            (mode, all)
        })
        .max_by_key(|(_, all)| all.iter().map(|f| f.tokens).sum::<usize>());
    match heaviest {
        Some((mode, all)) => {
            let what = format!("documents Roo Code loads up front in mode `{mode}`");
            report_total(&Loaded::of(&all), limit, &what, out);
        }
        None => report_total(
            &Loaded::of(&common),
            limit,
            "documents Roo Code loads up front",
            out,
        ),
    }
}

/// The mode of a Roo Code rule in `.roo/rules-{mode}/`; `None` for
/// `.roo/rules/` and the other files Roo loads in every mode.
fn roo_mode(path: &std::path::Path) -> Option<&str> {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    parts
        .windows(2)
        .find(|w| w[0] == ".roo")
        .and_then(|w| w[1].strip_prefix("rules-"))
}

/// Report `docs` (with their token counts) when together over `limit`, at
/// the largest.
fn report_total(loaded: &Loaded, limit: usize, what: &str, out: &mut SetFindings) {
    let total: usize = loaded.files.iter().map(|(t, _)| t).sum();
    if total <= limit {
        return;
    }
    let Some(largest) = loaded.docs.iter().max_by_key(|f| f.tokens) else {
        return;
    };
    let count = loaded.files.len();
    let imported = count - loaded.docs.len();
    let what = if imported > 0 {
        format!("{what} ({imported} imported)")
    } else {
        what.to_string()
    };
    let d = Diagnostic::at(
        OverBudget::META.code,
        OverBudget::META.severity,
        &largest.path,
        largest.head,
        if count == 1 {
            format!(
                "the only {} is about {total} tokens; the budget is {limit}",
                what.replacen("documents", "document", 1)
            )
        } else {
            let (most, path) = loaded
                .files
                .iter()
                .max_by_key(|(t, _)| *t)
                .map_or((largest.tokens, &largest.abs_path), |(t, p)| (*t, p));
            let which = if most > largest.tokens {
                format!(
                    "the largest is the imported {}, {most}",
                    crate::paths::display_path(path)
                )
            } else {
                format!("this one is the largest, {}", largest.tokens)
            };
            format!(
                "the {count} {what} together are about {total} tokens; their budget is {limit} ({which})"
            )
        },
    );
    out.report(largest, d);
}

impl<'a> Loaded<'a> {
    /// `docs` alone.
    fn of(docs: &[&'a DocFacts]) -> Self {
        Loaded {
            docs: docs.to_vec(),
            files: docs
                .iter()
                .map(|f| (f.tokens, f.abs_path.clone()))
                .collect(),
        }
    }
}

/// How a finding names an agent.
fn agent_name(agent: Agent) -> &'static str {
    match agent {
        Agent::Claude => "Claude Code",
        Agent::AgentsMd => "an AGENTS.md reader",
        Agent::Cursor => "Cursor",
        Agent::Copilot => "Copilot",
        Agent::Windsurf => "Windsurf",
        Agent::Kiro => "Kiro",
        Agent::Gemini => "Gemini CLI",
        Agent::Cline => "Cline",
        Agent::Roo => "Roo Code",
        Agent::Zed => "Zed",
        Agent::Junie => "Junie",
        Agent::Continue => "Continue",
        Agent::AmazonQ => "Amazon Q",
        Agent::Augment => "Augment",
        Agent::Kilo => "Kilo Code",
        Agent::Qwen => "Qwen Code",
        Agent::Goose => "Goose",
        Agent::Trae => "Trae",
        Agent::Ruledoc => "the rule set",
    }
}
