use serde_json::Value;

use crate::{crate_dir, rule, ruledoc, stdout_of, temp, write};

fn parse_json(args: &[&str]) -> Value {
    let out = ruledoc()
        .current_dir(crate_dir())
        .arg("parse")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout_of(&out)).expect("parse prints JSON")
}

#[test]
fn one_document_prints_an_object_with_the_required_keys() {
    let doc = parse_json(&["tests/fixtures/async_patterns.md"]);
    for key in [
        "path",
        "title",
        "name",
        "kind",
        "tier",
        "tier_sources",
        "purpose",
        "front_matter",
        "sections",
        "snippets",
    ] {
        assert!(doc.get(key).is_some(), "document has no `{key}`");
    }
    assert_eq!(doc["path"], "tests/fixtures/async_patterns.md");
    let section = &doc["sections"][1];
    for key in ["level", "heading", "line", "children"] {
        assert!(section.get(key).is_some(), "section has no `{key}`");
    }
    assert_eq!(
        section["children"][0]["heading"],
        "Async Function Definition"
    );
    let snippet = &doc["snippets"][0];
    for key in [
        "lang",
        "attributes",
        "label",
        "marker",
        "section",
        "line",
        "code_line",
        "end_line",
        "code",
    ] {
        assert!(snippet.get(key).is_some(), "snippet has no `{key}`");
    }
    assert_eq!(snippet["line"], 9);
    assert_eq!(snippet["code_line"], 10);
    assert_eq!(snippet["label"], "CORRECT NAMING AND USAGE");
}

#[test]
fn several_documents_print_an_array_in_path_order() {
    let docs = parse_json(&["rules"]);
    let paths: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.len() >= 6);
    assert!(paths.contains(&"rules/sub/ownership.md"));
}

#[test]
fn yaml_prints_the_same_model_as_json() {
    for args in [&["rules/testing.md"][..], &["rules/core"][..]] {
        let json = parse_json(args);
        let out = ruledoc()
            .current_dir(crate_dir())
            .args(["parse", "--format", "yaml"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        let yaml: Value = serde_saphyr::from_str(&stdout_of(&out)).expect("valid YAML");
        assert_eq!(yaml, json);
    }
}

#[test]
fn titles_of_every_shape_are_parsed() {
    let dir = temp();
    let cases = [
        (
            "a.md",
            "Async Patterns Sub-Rule (Tier 3)",
            "Async Patterns",
            Some("Sub-Rule"),
            Some(3),
        ),
        (
            "b.md",
            "Project Discovery Rule (Tier 2)",
            "Project Discovery",
            Some("Rule"),
            Some(2),
        ),
        (
            "c.md",
            "TDD Enforcer Rule (Main Rule - Tier 2)",
            "TDD Enforcer",
            Some("Main Rule"),
            Some(2),
        ),
        (
            "d.md",
            "Component Context (Tier 2)",
            "Component Context",
            None,
            Some(2),
        ),
        (
            "e.md",
            "Core Operational Rules",
            "Core Operational Rules",
            None,
            None,
        ),
    ];
    for (file, title, ..) in &cases {
        write(dir.path(), file, rule(title));
    }
    let out = ruledoc()
        .current_dir(dir.path())
        .args([
            "--no-config",
            "parse",
            "a.md",
            "b.md",
            "c.md",
            "d.md",
            "e.md",
        ])
        .output()
        .unwrap();
    let docs: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    for (doc, (_, _, name, kind, tier)) in docs.as_array().unwrap().iter().zip(&cases) {
        assert_eq!(doc["name"], *name);
        assert_eq!(doc["kind"].as_str(), *kind, "{name}");
        assert_eq!(doc["tier"].as_i64(), *tier, "{name}");
        assert_eq!(
            doc["tier_sources"]["folder"],
            Value::Null,
            "a lone file has no folder tier"
        );
    }
}

#[test]
fn tier_sources_include_the_folder_relative_to_the_root() {
    let dir = temp();
    write(
        dir.path(),
        "rules/core/a.md",
        "---\ntier: 2\n---\n# A Rule (Tier 3)\n",
    );
    write(dir.path(), "rules/sub/deeper/b.md", rule("B"));
    let docs: Value = {
        let out = ruledoc()
            .current_dir(dir.path())
            .args(["parse", "rules"])
            .output()
            .unwrap();
        serde_json::from_str(&stdout_of(&out)).unwrap()
    };
    let a = &docs[0]["tier_sources"];
    assert_eq!(
        (
            a["title"].as_i64(),
            a["front_matter"].as_i64(),
            a["folder"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(docs[0]["tier"], 2, "front matter wins");
    assert_eq!(docs[1]["tier_sources"]["folder"], 3);
    assert_eq!(docs[1]["rel_path"], "sub/deeper/b.md");

    // Checking a sub-folder still reads tiers from the rule set's root.
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["parse", "rules/sub"])
        .output()
        .unwrap();
    let b: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(b[0]["tier_sources"]["folder"], 3);
}

#[test]
fn crlf_documents_report_the_same_lines_as_lf() {
    let dir = temp();
    let lf = "---\ntier: 3\n---\n# X Rule (Tier 3)\n## Purpose\nP.\n## Code\n**GOOD**:\n```rust\nfn main() {}\n```\n";
    write(dir.path(), "lf.md", lf);
    write(dir.path(), "crlf.md", lf.replace('\n', "\r\n"));
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "parse", "crlf.md", "lf.md"])
        .output()
        .unwrap();
    let docs: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let (crlf, lf) = (&docs[0], &docs[1]);
    for key in ["name", "tier", "purpose", "sections"] {
        assert_eq!(crlf[key], lf[key], "{key}");
    }
    let (s1, s2) = (&crlf["snippets"][0], &lf["snippets"][0]);
    for key in ["line", "code_line", "end_line", "label", "marker"] {
        assert_eq!(s1[key], s2[key], "{key}");
    }
    assert_eq!(s2["line"], 9);
    assert_eq!(crlf["front_matter"]["data"]["tier"], 3);
}

#[test]
fn model_of_a_small_document() {
    let out = ruledoc()
        .current_dir(crate_dir())
        .args(["--no-config", "parse", "tests/fixtures/parse/model.md"])
        .output()
        .unwrap();
    insta::assert_snapshot!(stdout_of(&out));
}
