//! Hostile shapes: pathological nesting, many snippets in one document, a
//! large document. Each through the real binary: no stack overflow, no
//! panic, an answer. (The 50 MB document and 100,000 documents are too slow
//! for a debug build in CI: `bench/run --only limits` measures them.)

use std::path::Path;
use std::time::Duration;

use super::{ruledoc, stderr_of, stdout_of, temp, write};

/// Documents that nest as deep as a file lets them.
fn nested(dir: &Path) {
    let n = 20_000;
    let docs = [
        ("quotes.md", format!("{} deep\n", ">".repeat(n))),
        ("lists.md", format!("{}deep\n", "- ".repeat(n))),
        ("ordered.md", format!("{}deep\n", "1. ".repeat(n / 2))),
        (
            "indented.md",
            (0..2_000)
                .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "emphasis.md",
            format!("{}a{}\n", "*_".repeat(n), "_*".repeat(n)),
        ),
        (
            "brackets.md",
            format!("{}x{}\n", "[".repeat(n), "](u)".repeat(n)),
        ),
        ("links.md", "[a](b) ".repeat(n)),
        ("backticks.md", format!("{}x\n", "`".repeat(n))),
        ("html.md", format!("{}\n", "<div>".repeat(n))),
        (
            "quoted-fences.md",
            (0..5_000)
                .map(|i| format!("{}```rust\nlet x = {i};\n", "> ".repeat(i % 50)))
                .collect(),
        ),
        (
            "headings.md",
            (0..20_000)
                .map(|i| format!("{} h{i}\n\ntext\n\n", "#".repeat(i % 6 + 1)))
                .collect(),
        ),
        (
            "front-matter.md",
            format!("---\na: {}1{}\n---\n# T\n", "[".repeat(n), "]".repeat(n)),
        ),
    ];
    for (name, text) in docs {
        write(dir, &format!("rules/{name}"), text);
    }
}

#[test]
fn pathological_nesting_is_answered_without_overflow() {
    let dir = temp();
    nested(dir.path());
    for args in [
        &["lint", "--format", "json"][..],
        &["parse", "--format", "json"],
        &["fmt", "--check"],
        &["snippets", "list"],
        &["render", "--out", "out"],
    ] {
        let out = ruledoc()
            .current_dir(dir.path())
            .env("RULEDOC_CACHE_DIR", dir.path().join("cache"))
            .arg("--no-config")
            .args(args)
            .arg("rules")
            .timeout(Duration::from_secs(240))
            .output()
            .unwrap();
        let what = args.join(" ");
        let err = stderr_of(&out);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{what}: {:?}\n{err}",
            out.status
        );
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{what}: {err}"
        );
        if args[0] == "lint" || args[0] == "parse" {
            let _: serde_json::Value =
                serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: JSON: {e}"));
        }
    }
}

#[test]
fn ten_thousand_snippets_in_one_document_are_verified() {
    let dir = temp();
    let mut doc = String::from("# Many Rule (Tier 2)\n\n## Purpose\n\nSnippets.\n\n");
    for i in 0..10_000 {
        match i % 4 {
            0 => doc.push_str(&format!("```json\n{{\"n\": {i}}}\n```\n\n")),
            1 => doc.push_str(&format!("```toml\nn = {i}\n```\n\n")),
            2 => doc.push_str(&format!("```yaml\nn: {i}\n```\n\n")),
            _ => doc.push_str(&format!("```python\nn = {i}\n```\n\n")),
        }
    }
    // One broken one, at the end: found, at its line.
    doc.push_str("```json\n{\"broken\": }\n```\n");
    write(dir.path(), "rules/many.md", &doc);
    let out = ruledoc()
        .current_dir(dir.path())
        .env("RULEDOC_CACHE_DIR", dir.path().join("cache"))
        .args([
            "--no-config",
            "snippets",
            "verify",
            "rules",
            "--format",
            "json",
        ])
        .timeout(Duration::from_secs(240))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let text = v.to_string();
    assert!(text.contains("\"RD303\""), "{text:.2000}");
    let lines = doc.lines().count();
    assert!(
        text.contains(&format!("\"line\":{}", lines - 1)),
        "{}",
        &stdout_of(&out)[..2000.min(out.stdout.len())]
    );
}

#[test]
fn a_large_document_is_linted() {
    // 5 MB here (a debug build); the 50 MB one is in the benchmark.
    let dir = temp();
    let mut doc = String::from("# Big Rule (Tier 2)\n\n## Purpose\n\nLarge.\n\n");
    let mut i = 0;
    while doc.len() < 5_000_000 {
        doc.push_str(&format!(
            "## Section {i}\n\nSome text with a [link](#section-{i}) and `code`.\n\n```rust\nlet x{i} = {i};\n```\n\n"
        ));
        i += 1;
    }
    write(dir.path(), "rules/big.md", &doc);
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "lint", "rules", "--format", "json"])
        .timeout(Duration::from_secs(240))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
}
