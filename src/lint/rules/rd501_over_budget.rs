use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::formats::{Agent, agent};
use crate::lint::{DocContext, DocFacts, Findings, Rule, SetContext, SetFindings, declare_rule};
use crate::tokens;

declare_rule! {
    /// ## What it does
    /// Reports what costs tokens in every session, counted with OpenAI's
    /// `o200k_base` tokenizer. The count is exact for GPT-4o, GPT-4.1, the
    /// o-series and GPT-5, and an approximation for other models (Claude's and
    /// Gemini's tokenizers are not public). For documents held to ruledoc's
    /// tiered convention: a document over its tier's budget (`[lint.budget]
    /// tier`; tier 1: 2,000, tier 2: 4,000, tier 3: 8,000 by default), and all
    /// tier-1 documents of a set together over `tier1_total` (8,000). For agent
    /// files: everything one agent loads up front together over `up_front`
    /// (8,000): Cursor rules with `alwaysApply: true`, `.claude/rules` without
    /// `paths`, the top `CLAUDE.md`, `AGENTS.md` and `GEMINI.md` (with the files
    /// they import: Claude Code and Gemini CLI expand `@path` imports when they
    /// load them), Copilot's repository-wide file, Windsurf's `always_on` rules,
    /// the heaviest of Roo's modes … Rules that load only for some files, on
    /// request or by hand are not counted; nor is a `.cursorrules` below the
    /// repository's top.
    ///
    /// ## Why
    /// Every token of a rule is paid for in every conversation that loads it,
    /// and long rules are followed less well than short ones.
    ///
    /// ## Example
    /// A tier-1 rule of 12,000 characters (about 2,900 tokens: rule files
    /// average 4.2 characters per `o200k_base` token).
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

impl Rule for OverBudget {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let Some(tier) = ctx.doc.tier else { return };
        let Some(budget) = ctx.config.lint.budget.for_tier(tier) else {
            return;
        };
        // A token is at least one byte: most documents are under budget
        // without counting.
        if tokens::at_most(&ctx.source.text) <= budget {
            return;
        }
        let count = ctx.tokens();
        if count > budget {
            out.push_tiered(
                ctx.diagnostic(
                    &Self::META,
                    ctx.head_span(),
                    format!(
                        "{count} tokens ({}); the tier-{tier} budget is {budget}",
                        tokens::TOKENIZER
                    ),
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
            let what = format!("documents {} loads up front", agent.display_name());
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
/// import, each with what it weighs.
struct Loaded<'a> {
    /// The documents of the set it loads (a finding is made at one of them).
    docs: Vec<&'a DocFacts>,
    /// Each loaded file once, documents of the set and imported files alike.
    files: Vec<(Weight<'a>, PathBuf)>,
}

/// The tokens of one loaded file: a document of the run (counted once, by
/// its facts), or the text of a file read for the total.
enum Weight<'a> {
    Doc(&'a DocFacts),
    Read(String),
}

impl Weight<'_> {
    /// A bound of [`Weight::count`] known without counting: bytes.
    fn at_most(&self) -> usize {
        match self {
            Weight::Doc(f) => f.tokens.at_most(),
            Weight::Read(text) => tokens::at_most(text),
        }
    }

    /// The exact count.
    fn count(&self) -> usize {
        match self {
            Weight::Doc(f) => f.tokens.count(),
            Weight::Read(text) => tokens::count(text),
        }
    }
}

/// `docs` and the files they import (`@path`), as Claude Code and Gemini
/// CLI expand imports when they load a file: recursively, up to 5 hops
/// (Claude Code's memory docs: "a maximum depth of 5 hops"). An imported
/// file the run did not read, or read without counting its tokens, is read
/// here (only inside `repository`); each file counts once. Nothing is
/// counted here.
fn with_imports<'a>(
    docs: &[&'a DocFacts],
    facts: &[&'a DocFacts],
    repository: &Path,
) -> Loaded<'a> {
    const HOPS: usize = 5;
    let by_path: HashMap<&Path, &DocFacts> =
        facts.iter().map(|f| (f.abs_path.as_path(), *f)).collect();
    let mut files: Vec<(Weight, PathBuf)> = docs
        .iter()
        .map(|f| (Weight::Doc(f), f.abs_path.clone()))
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
                let kept = by_path
                    .get(target.as_path())
                    .filter(|f| f.tokens.kept())
                    .map(|f| Weight::Doc(f));
                let weight =
                    kept.or_else(|| crate::load::read_text(&target).ok().map(Weight::Read));
                if let Some(weight) = weight {
                    files.push((weight, target.clone()));
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
    crate::parse::imports_inside(path, &text, Default::default(), repository, resolved)
}

/// Roo Code loads `.roo/rules/` in every mode and `.roo/rules-{mode}/` in
/// that mode only (Roo's custom instructions docs), one mode at a time: the
/// total that counts is the heaviest mode's, reported once.
fn report_roo(docs: &[&DocFacts], limit: usize, out: &mut SetFindings) {
    // Every mode loads a part of `docs`: under the limit by the bound, no
    // mode is over it.
    if docs.iter().map(|f| f.tokens.at_most()).sum::<usize>() <= limit {
        return;
    }
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
        .max_by_key(|(_, all)| all.iter().map(|f| f.tokens.count()).sum::<usize>());
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

/// Report `loaded` when together over `limit` tokens, at its largest
/// document. The files are counted only when their bytes, a bound of their
/// tokens, exceed `limit`.
fn report_total(loaded: &Loaded, limit: usize, what: &str, out: &mut SetFindings) {
    if loaded.files.iter().map(|(w, _)| w.at_most()).sum::<usize>() <= limit {
        return;
    }
    let counts: Vec<(usize, &PathBuf)> = loaded
        .files
        .par_iter()
        .map(|(w, p)| (w.count(), p))
        .collect();
    let total: usize = counts.iter().map(|(t, _)| t).sum();
    if total <= limit {
        return;
    }
    let Some(largest) = loaded.docs.iter().max_by_key(|f| f.tokens.count()) else {
        return;
    };
    let largest_tokens = largest.tokens.count();
    let count = loaded.files.len();
    let imported = count - loaded.docs.len();
    let what = if imported > 0 {
        format!("{what} ({imported} imported)")
    } else {
        what.to_string()
    };
    let tokenizer = tokens::TOKENIZER;
    let d = Diagnostic::at(
        OverBudget::META.code,
        OverBudget::META.severity,
        &largest.path,
        largest.head,
        if count == 1 {
            format!(
                "the only {} is {total} tokens ({tokenizer}); the budget is {limit}",
                what.replacen("documents", "document", 1)
            )
        } else {
            let (most, path) = counts
                .iter()
                .max_by_key(|(t, _)| *t)
                .map_or((largest_tokens, &largest.abs_path), |(t, p)| (*t, *p));
            let which = if most > largest_tokens {
                format!(
                    "the largest is the imported {}, {most}",
                    crate::paths::display_path(path)
                )
            } else {
                format!("this one is the largest, {largest_tokens}")
            };
            format!(
                "the {count} {what} together are {total} tokens ({tokenizer}); their budget is {limit} ({which})"
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
                .map(|f| (Weight::Doc(f), f.abs_path.clone()))
                .collect(),
        }
    }
}
