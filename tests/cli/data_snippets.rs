//! Data snippets through the real binary: JSON as its reader reads it
//! (JSONC files, fragments), JSONC, JSON5, YAML's repeated keys, XML, and
//! mdBook's `{{#include}}` in a book's data block.

use serde_json::Value;

use crate::{crate_dir, ruledoc, stdout_of, temp};

fn verify(paths: &[&str]) -> Value {
    let cache = temp();
    let out = ruledoc()
        .current_dir(crate_dir())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .args(["--no-config", "snippets", "verify", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    serde_json::from_str(&stdout_of(&out)).unwrap()
}

/// `line lang status` per snippet, in order.
fn statuses(v: &Value) -> Vec<String> {
    v["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {} {}",
                s["line"],
                s["lang"].as_str().unwrap(),
                s["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn data_blocks_are_read_as_their_readers_read_them() {
    let v = verify(&["tests/fixtures/snippets/data.md"]);
    assert_eq!(
        statuses(&v),
        [
            "9 json passed",   // `// .vscode/settings.json`: JSONC
            "18 json passed",  // label `tsconfig.json`: JSONC
            "25 json failed",  // `// package.json`: npm reads JSON
            "30 json passed",  // bare members, the last comma allowed
            "35 JSONC passed", // the label in any case
            "39 jsonc failed", // a missing comma
            "45 json5 passed", // json5.org's extensions
            "49 json5 failed", // `b c`
            "55 yaml passed",  // a repeated key: the last wins
            "64 xml passed",   // two roots, `android:` undeclared: a fragment
            "69 svg failed",   // `<path>` never closed
        ]
    );
    let findings: Vec<(u64, u64, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            (26, 1, "RD303"),
            (40, 9, "RD303"),
            (50, 11, "RD303"),
            (70, 56, "RD303")
        ]
    );
    let help = v["diagnostics"][0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("`jsonc`"), "{help}");
}

#[test]
fn an_mdbook_include_in_a_data_block_is_skipped() {
    let cache = temp();
    let out = ruledoc()
        .current_dir(crate_dir())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .args(["--no-config", "snippets", "verify", "--format", "json"])
        .arg("tests/fixtures/snippets/book")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(statuses(&v), ["3 toml skipped"]);
}
