//! The reference graph of a rule set: documents as nodes by tier, `@path`
//! imports and relative links between them as edges.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::load::Document;
use crate::paths::normalize_from;

/// A document of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The document's display path ([`RuleDoc::path`](crate::model::RuleDoc::path)),
    /// which identifies the node.
    pub path: String,
    /// The rule's name, else its path.
    pub name: String,
    /// The document's resolved tier.
    pub tier: Option<i64>,
}

/// How one document refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// An `@path` import (Claude Code's memory docs).
    Import,
    /// A relative Markdown link (images are not edges).
    Link,
}

/// A reference from one document of the graph to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    /// The referring document's [`Node::path`].
    pub from: String,
    /// The referred-to document's [`Node::path`].
    pub to: String,
    /// Import or link.
    pub kind: EdgeKind,
}

/// Documents and the references between them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Graph {
    /// One per document, in the order given to [`build`].
    pub nodes: Vec<Node>,
    /// Sorted by `from`, `to`, kind, each once; only between two different
    /// documents of the graph (references elsewhere are left out).
    pub edges: Vec<Edge>,
}

/// The graph of `documents` (sorted by path); `cwd` resolves their paths.
pub fn build(documents: &[&Document], cwd: &Path) -> Graph {
    let abs: Vec<PathBuf> = documents
        .iter()
        .map(|d| normalize_from(cwd, &d.source.path))
        .collect();
    let index: HashMap<&PathBuf, usize> = abs.iter().enumerate().map(|(i, p)| (p, i)).collect();
    let nodes: Vec<Node> = documents
        .iter()
        .map(|d| Node {
            path: d.doc.path.clone(),
            name: d.doc.name.clone().unwrap_or_else(|| d.doc.path.clone()),
            tier: d.doc.tier,
        })
        .collect();
    let mut edges = Vec::new();
    for (i, d) in documents.iter().enumerate() {
        let dir = abs[i].parent().unwrap_or(Path::new("/"));
        for (target, kind) in references(d, dir) {
            if let Some(&j) = index.get(&target)
                && j != i
            {
                edges.push(Edge {
                    from: nodes[i].path.clone(),
                    to: nodes[j].path.clone(),
                    kind,
                });
            }
        }
    }
    edges.sort();
    edges.dedup();
    Graph { nodes, edges }
}

/// The files a document's `@path` imports and relative links lead to,
/// resolved from its folder `dir` (absolute, whether or not they exist), in
/// document order, imports first. A `#fragment` or `?query` is dropped and
/// the rest percent-decoded; empty targets, URLs (`://`), absolute paths and
/// `~` paths are left out.
pub fn references(document: &Document, dir: &Path) -> Vec<(PathBuf, EdgeKind)> {
    let d = &document.doc;
    let written = d
        .imports
        .iter()
        .map(|im| (im.path.as_str(), EdgeKind::Import))
        .chain(
            d.links
                .iter()
                .filter(|l| !l.image)
                .map(|l| (l.url.as_str(), EdgeKind::Link)),
        );
    let mut out = Vec::new();
    for (written, kind) in written {
        let path = written.split(['#', '?']).next().unwrap_or("");
        if path.is_empty() || path.contains("://") || path.starts_with('/') || path.starts_with('~')
        {
            continue;
        }
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        out.push((normalize_from(dir, Path::new(decoded.as_ref())), kind));
    }
    out
}

/// One tier's nodes, each with its index, and the group's id and label.
struct Cluster<'a> {
    id: String,
    label: String,
    nodes: Vec<(usize, &'a Node)>,
}

/// The nodes grouped by tier, tiers ascending, untiered last.
fn clusters(graph: &Graph) -> Vec<Cluster<'_>> {
    let mut tiers: BTreeMap<Option<i64>, Vec<(usize, &Node)>> = BTreeMap::new();
    for (i, n) in graph.nodes.iter().enumerate() {
        tiers.entry(n.tier).or_default().push((i, n));
    }
    tiers
        .into_iter()
        .map(|(tier, nodes)| {
            let (id, label) = match tier {
                Some(t) => (format!("tier{t}"), format!("Tier {t}")),
                None => ("untiered".to_string(), "No tier".to_string()),
            };
            Cluster { id, label, nodes }
        })
        .collect()
}

/// The edges as node indices.
fn edges(graph: &Graph) -> Vec<(usize, usize, EdgeKind)> {
    let ids: HashMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.path.as_str(), i))
        .collect();
    graph
        .edges
        .iter()
        .map(|e| (ids[e.from.as_str()], ids[e.to.as_str()], e.kind))
        .collect()
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Graphviz DOT: a cluster per tier (ascending, untiered last), imports
/// solid, links dashed.
///
/// # Panics
///
/// When an edge names a path no node has (never for a graph from [`build`]).
pub fn to_dot(graph: &Graph) -> String {
    let mut out = String::from("digraph rules {\n  rankdir=LR;\n  node [shape=box];\n");
    for Cluster { id, label, nodes } in clusters(graph) {
        let _ = writeln!(out, "  subgraph cluster_{id} {{\n    label=\"{label}\";");
        for (i, n) in nodes {
            let _ = writeln!(
                out,
                "    n{i} [label=\"{}\", tooltip=\"{}\"];",
                quote(&n.name),
                quote(&n.path)
            );
        }
        out.push_str("  }\n");
    }
    for (from, to, kind) in edges(graph) {
        let style = match kind {
            EdgeKind::Import => "solid",
            EdgeKind::Link => "dashed",
        };
        let _ = writeln!(out, "  n{from} -> n{to} [style={style}];");
    }
    out.push_str("}\n");
    out
}

/// Mermaid flowchart: a subgraph per tier (ascending, untiered last),
/// imports `-->`, links `-.->`.
///
/// # Panics
///
/// When an edge names a path no node has (never for a graph from [`build`]).
pub fn to_mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for Cluster { id, label, nodes } in clusters(graph) {
        let _ = writeln!(out, "  subgraph {id} [\"{label}\"]");
        for (i, n) in nodes {
            let _ = writeln!(out, "    n{i}[\"{}\"]", n.name.replace('"', "#quot;"));
        }
        out.push_str("  end\n");
    }
    for (from, to, kind) in edges(graph) {
        let arrow = match kind {
            EdgeKind::Import => "-->",
            EdgeKind::Link => "-.->",
        };
        let _ = writeln!(out, "  n{from} {arrow} n{to}");
    }
    out
}
