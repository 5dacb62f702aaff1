//! Rules that compare documents: duplicate names (RD108), anchors in other
//! documents (RD401), import cycles (RD403) and the tier-1 total budget (RD501).
//! They work from small facts each document leaves, so documents need not stay
//! in memory.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::context::{AnchorCheck, DocContext, ImportEdge, Loc};
use super::plan::Enabled;
use super::rules::{self, BrokenLink, DuplicateRule, OverBudget, ReferenceCycle};
use super::suppress::Suppressions;
use crate::diagnostic::Diagnostic;
use crate::load::read_text;
use crate::parse::parse;
use crate::settings::Settings;
use crate::source::SourceFile;

/// What a document contributes to the rules that compare documents.
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    pub path: String,
    pub abs_path: PathBuf,
    pub name: Option<String>,
    pub tier: Option<i64>,
    pub tokens: usize,
    /// Where set-level findings about the whole document are reported.
    pub head: Loc,
    pub anchors: Vec<AnchorCheck>,
    pub imports: Vec<ImportEdge>,
    suppress: Suppressions,
    enabled: Option<Enabled>,
}

impl DocFacts {
    pub(super) fn new(
        ctx: &DocContext,
        anchors: Vec<AnchorCheck>,
        suppress: Suppressions,
        enabled: Enabled,
    ) -> Self {
        DocFacts {
            path: ctx.source.display.clone(),
            abs_path: ctx.abs_path.clone(),
            name: ctx.doc.name.clone(),
            tier: ctx.doc.tier,
            // Only tier-1 documents are summed; the others need no count.
            tokens: if ctx.doc.tier == Some(1) {
                ctx.tokens()
            } else {
                0
            },
            head: Loc::of(ctx.source, ctx.head_span()),
            anchors,
            imports: ctx.import_edges(),
            suppress,
            enabled: Some(enabled),
        }
    }

    /// Keep `d` if its rule is on here and not silenced on its line.
    pub fn admit(&self, d: Diagnostic) -> Option<Diagnostic> {
        if self.suppress.is_suppressed(d.code, d.line) {
            return None;
        }
        match &self.enabled {
            Some(e) => e.apply_severity(d),
            None => Some(d),
        }
    }
}

/// Findings that compare documents, in report order.
pub fn lint_set(facts: &[&DocFacts], settings: &Settings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicate_names(facts, &mut out);
    foreign_anchors(facts, &mut out);
    import_cycles(facts, &mut out);
    tier1_total(facts, settings, &mut out);
    crate::diagnostic::sort(&mut out);
    out
}

fn duplicate_names(facts: &[&DocFacts], out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, &DocFacts> = HashMap::new();
    for f in facts {
        let Some(name) = f
            .name
            .as_deref()
            .map(|n| n.trim().to_lowercase())
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        match first.get(&name) {
            Some(earlier) => {
                let d = f.head.diagnostic(
                    &DuplicateRule::META,
                    &f.path,
                    format!(
                        "rule name `{}` is also declared by {}",
                        f.name.as_deref().unwrap_or_default(),
                        earlier.path
                    ),
                );
                out.extend(f.admit(d));
            }
            None => {
                first.insert(name, f);
            }
        }
    }
}

fn foreign_anchors(facts: &[&DocFacts], out: &mut Vec<Diagnostic>) {
    let mut by_target: BTreeMap<&PathBuf, Vec<(&DocFacts, &AnchorCheck)>> = BTreeMap::new();
    for f in facts {
        for a in &f.anchors {
            by_target.entry(&a.target).or_default().push((f, a));
        }
    }
    for (target, checks) in by_target {
        // The target is read again here, once, rather than kept from the walk.
        let Ok(text) = read_text(target) else {
            continue;
        };
        let source = SourceFile::new(target.clone(), text);
        let doc = parse(&source, &Default::default());
        let anchors = rules::doc_anchors(&source, &doc);
        for (f, check) in checks {
            if rules::has_anchor(&anchors, &check.anchor) {
                continue;
            }
            let d = check.loc.diagnostic(
                &BrokenLink::META,
                &f.path,
                format!(
                    "link `{}`: no heading in {} has the anchor `#{}`",
                    check.url, source.display, check.anchor
                ),
            );
            out.extend(f.admit(d));
        }
    }
}

fn import_cycles(facts: &[&DocFacts], out: &mut Vec<Diagnostic>) {
    let index: HashMap<&PathBuf, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (&f.abs_path, i))
        .collect();
    let edges: Vec<Vec<(usize, &ImportEdge)>> = facts
        .iter()
        .map(|f| {
            f.imports
                .iter()
                .filter_map(|e| index.get(&e.target).map(|&j| (j, e)))
                .collect()
        })
        .collect();
    // Iterative depth-first search; a back edge closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; facts.len()];
    let mut reported: Vec<Vec<usize>> = Vec::new();
    for start in 0..facts.len() {
        if mark[start] != Mark::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(to, _)) = edges[node].get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::Open;
                        stack.push((to, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let cycle: Vec<usize> = stack[from..].iter().map(|&(n, _)| n).collect();
                        let mut key = cycle.clone();
                        key.sort_unstable();
                        if !reported.contains(&key) {
                            reported.push(key);
                            report_cycle(facts, &edges, &cycle, out);
                        }
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}

fn report_cycle(
    facts: &[&DocFacts],
    edges: &[Vec<(usize, &ImportEdge)>],
    cycle: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    // Report at the document first by path, at its import of the next one.
    let Some(pos) =
        (0..cycle.len()).min_by(|&a, &b| facts[cycle[a]].path.cmp(&facts[cycle[b]].path))
    else {
        return;
    };
    let rotated: Vec<usize> = cycle[pos..].iter().chain(&cycle[..pos]).copied().collect();
    let (first, second) = (rotated[0], rotated[(1) % rotated.len()]);
    let Some(&(_, edge)) = edges[first].iter().find(|(to, _)| *to == second) else {
        return;
    };
    let chain = rotated
        .iter()
        .chain(std::iter::once(&first))
        .map(|&i| facts[i].path.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    let f = &facts[first];
    let d = edge.loc.diagnostic(
        &ReferenceCycle::META,
        &f.path,
        format!("documents import each other in a cycle: {chain}"),
    );
    out.extend(f.admit(d));
}

fn tier1_total(facts: &[&DocFacts], settings: &Settings, out: &mut Vec<Diagnostic>) {
    let limit = settings.config.lint.budget.tier1_total;
    let tier1: Vec<&DocFacts> = facts
        .iter()
        .copied()
        .filter(|f| f.tier == Some(1))
        .collect();
    let total: usize = tier1.iter().map(|f| f.tokens).sum();
    if total <= limit {
        return;
    }
    let Some(largest) = tier1.iter().max_by_key(|f| f.tokens) else {
        return;
    };
    let d = largest.head.diagnostic(
        &OverBudget::META,
        &largest.path,
        format!(
            "the {} tier-1 documents together are about {total} tokens; their budget is {limit} (this one is the largest, {})",
            tier1.len(),
            largest.tokens
        ),
    );
    out.extend(largest.admit(d));
}
