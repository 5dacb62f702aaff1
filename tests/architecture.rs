//! The library's top-level modules depend on each other without cycles: a
//! module can be read, tested and changed knowing only what it uses. This
//! reads `src/` and fails, naming the cycle, when a `crate::` or `super::`
//! path closes one.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module name → the top-level modules its files refer to.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: Vec<(Vec<String>, PathBuf)> = Vec::new();
    collect(src, &mut Vec::new(), &mut files);
    let tops: BTreeSet<String> = files
        .iter()
        .filter_map(|(m, _)| m.first().cloned())
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> =
        tops.iter().map(|t| (t.clone(), BTreeSet::new())).collect();
    for (module, path) in &files {
        let Some(top) = module.first() else { continue };
        let text = std::fs::read_to_string(path).unwrap();
        // Code only: a doc comment's link is no dependency.
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for target in references(&code, module) {
            if target != *top && tops.contains(&target) {
                graph.get_mut(top).unwrap().insert(target);
            }
        }
    }
    graph
}

/// Every `.rs` file of the library with its module path (`["lint", "rules",
/// "rd101_missing_title"]`); the binary's files (`main.rs`, `cli/`) are not
/// the library's.
fn collect(dir: &Path, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if prefix.is_empty() && matches!(name.as_str(), "main.rs" | "lib.rs" | "cli") {
            continue;
        }
        if path.is_dir() {
            prefix.push(name);
            collect(&path, prefix, out);
            prefix.pop();
        } else if let Some(stem) = name.strip_suffix(".rs") {
            let mut module = prefix.clone();
            if stem != "mod" {
                module.push(stem.to_string());
            }
            out.push((module, path));
        }
    }
}

/// The top-level modules `text` (the file of `module`) names through
/// `crate::x`, `crate::{x, y}` and `super::` paths that climb out of its
/// top-level module.
fn references(text: &str, module: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices("crate::") {
        // `ruledoc::crate` never occurs; skip `$crate::` in macros too, it
        // names the same crate.
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                out.insert(ident(part.trim()));
            }
        } else {
            out.insert(ident(rest));
        }
    }
    for (at, _) in text.match_indices("super::") {
        // Only the first `super::` of a chain.
        if text[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &text[at..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        // A file's module is its path; `super` climbs from it.
        if ups >= module.len() {
            out.insert(ident(rest));
        }
    }
    out
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_library_modules_have_no_dependency_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(graph.len() > 10, "modules found: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the modules depend on each other in a cycle: {}\nthe graph: {graph:#?}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_checker_finds_a_cycle_when_there_is_one() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.insert("c".to_string(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
    // `super::` out of a top-level module's file names a sibling module.
    let refs = references(
        "use super::error::Error;\nuse crate::{paths, source::Span};",
        &["discover".to_string()],
    );
    assert_eq!(
        refs,
        BTreeSet::from([
            "error".to_string(),
            "paths".to_string(),
            "source".to_string()
        ])
    );
    let inner = references("use super::context::X;", &["lint".into(), "facts".into()]);
    assert!(inner.is_empty(), "{inner:?}");
}
