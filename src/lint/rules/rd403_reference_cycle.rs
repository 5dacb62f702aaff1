use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::lint::{DocFacts, ImportEdge, Rule, SetContext, SetFindings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports documents that import each other in a cycle through `@path`
    /// imports (`a.md` imports `b.md`, which imports `a.md`). Each cycle is
    /// reported once, at the import in the first of its documents by path.
    ///
    /// ## Why
    /// Agents stop following imports after a few hops; in a cycle, which
    /// rules end up loaded depends on where the agent started.
    ///
    /// ## Example
    /// `core/base.md`:
    /// ```markdown
    /// @../style.md
    /// ```
    /// `style.md`:
    /// ```markdown
    /// @core/base.md
    /// ```
    ///
    /// Use instead: import in one direction only, from the general rule to
    /// the specific one.
    pub struct ReferenceCycle {
        code: "RD403",
        name: "reference-cycle",
        severity: Warning,
        kind: Set,
        fix: Never,
    }
}

impl Rule for ReferenceCycle {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// A depth-first search over the import edges between the set's
    /// documents; each back edge closes a cycle, reported once whatever
    /// document it was entered from.
    fn check_set(&self, set: &SetContext, out: &mut SetFindings) {
        let facts = set.facts;
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
            // Iterative: (document, next edge to follow).
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            mark[start] = Mark::Open;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let Some(&(to, _)) = edges[node].get(*next) else {
                    mark[node] = Mark::Done;
                    stack.pop();
                    continue;
                };
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
            }
        }
    }
}

/// Report `cycle` at the document first by path, at its import of the next one.
fn report_cycle(
    facts: &[&DocFacts],
    edges: &[Vec<(usize, &ImportEdge)>],
    cycle: &[usize],
    out: &mut SetFindings,
) {
    let Some(pos) =
        (0..cycle.len()).min_by(|&a, &b| facts[cycle[a]].path.cmp(&facts[cycle[b]].path))
    else {
        return;
    };
    let rotated: Vec<usize> = cycle[pos..].iter().chain(&cycle[..pos]).copied().collect();
    let (first, second) = (rotated[0], rotated[1 % rotated.len()]);
    let Some(&(_, edge)) = edges[first].iter().find(|(to, _)| *to == second) else {
        return;
    };
    let chain = rotated
        .iter()
        .chain(std::iter::once(&first))
        .map(|&i| facts[i].path.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    let f = facts[first];
    let d = Diagnostic::at(
        ReferenceCycle::META.code,
        ReferenceCycle::META.severity,
        &f.path,
        edge.range,
        format!("documents import each other in a cycle: {chain}"),
    );
    out.report(f, d);
}
