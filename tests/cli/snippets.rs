//! Snippet verification through the real binary. Each test has its own cache
//! dir, so each starts cold.

use std::path::Path;

use serde_json::Value;

use crate::{JunitSuite, crate_dir, junit_suites, ruledoc, stderr_of, stdout_of, temp, write};

/// `snippets verify` (or another command) as JSON, with a fresh cache.
fn verify_json(cwd: &Path, cache: &Path, args: &[&str]) -> (Value, std::process::Output) {
    let out = ruledoc()
        .current_dir(cwd)
        .env("RULEDOC_CACHE_DIR", cache)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("{e}: {}", stderr_of(&out)));
    (v, out)
}

/// `snippets verify` on a fixture of this crate, without configuration.
fn verify_fixture(cache: &Path, fixture: &str, extra: &[&str]) -> (Value, std::process::Output) {
    let mut args = vec!["--no-config", "snippets", "verify", fixture];
    args.extend(extra);
    verify_json(&crate_dir(), cache, &args)
}

/// One line per finding and per snippet outcome: what the snapshots keep.
fn outline(v: &Value) -> String {
    let mut lines = Vec::new();
    for d in v["diagnostics"].as_array().unwrap() {
        lines.push(format!(
            "{}:{} {} {}",
            d["line"],
            d["column"],
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        ));
    }
    lines.push(String::from("--"));
    for s in v["snippets"].as_array().unwrap() {
        lines.push(format!(
            "{} {} {}",
            s["line"],
            s["lang"].as_str().unwrap(),
            s["status"].as_str().unwrap()
        ));
    }
    lines.join("\n")
}

/// Runs side by side on one cache dir (an editor and pre-commit) never see
/// each other's generated crates: each compiles in the workspace alone, and
/// no verdict is lost or made wrong.
#[test]
fn parallel_runs_share_a_cache_dir_safely() {
    let dir = temp();
    let cache = dir.path().join("cache");
    let docs: Vec<String> = (1..=8)
        .map(|i| {
            let name = format!("d{i}.md");
            // A crate attribute makes each block a program of its own.
            write(
                dir.path(),
                &name,
                format!("# D\n\n```rust\n#![allow(unused)] let x = {i};\n```\n"),
            );
            name
        })
        .collect();
    let children: Vec<_> = docs
        .iter()
        .map(|d| {
            std::process::Command::new(env!("CARGO_BIN_EXE_ruledoc"))
                .current_dir(dir.path())
                .args(["--no-config", "--cache-dir"])
                .arg(&cache)
                .args(["snippets", "verify", d])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "--cache-dir"])
        .arg(&cache)
        .args(["snippets", "verify", "."])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        stderr_of(&out).contains("8 passed (8 from the cache)"),
        "{}",
        stderr_of(&out)
    );
}

/// Findings in blocks inside block quotes land on the character the
/// checker named: the `> ` markers count, in every language.
#[test]
fn findings_in_block_quotes_are_at_the_right_column() {
    let cache = temp();
    let (v, _) = verify_fixture(cache.path(), "tests/fixtures/snippets/containers.md", &[]);
    let at: Vec<(u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    // `def f(:` → `:`; `{"a": 1,}` → `}`; `const x = ;` → `;`; `"in quote"`.
    assert_eq!(at, [(4, 9), (9, 10), (13, 15), (17, 16)]);
}

#[test]
fn rust_snippets_follow_rustdoc() {
    let cache = temp();
    let (v, out) = verify_fixture(cache.path(), "tests/fixtures/snippets/rust.md", &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(outline(&v));
}

#[test]
fn python_pycon_json_yaml_and_toml_are_parsed_in_process() {
    let cache = temp();
    let (v, out) = verify_fixture(cache.path(), "tests/fixtures/snippets/languages.md", &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(outline(&v));
}

#[test]
fn run_runs_snippets_and_honours_should_panic() {
    let cache = temp();
    let (v, _) = verify_fixture(cache.path(), "tests/fixtures/snippets/run.md", &["--run"]);
    insta::assert_snapshot!(outline(&v));
    // Without --run nothing runs: all six compile.
    let (v, out) = verify_fixture(cache.path(), "tests/fixtures/snippets/run.md", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", outline(&v));
    assert_eq!(v["summary"]["snippets"]["passed"], 6);
    // --run=marked runs only the snippet marked `run` (it passes).
    let (v, out) = verify_fixture(
        cache.path(),
        "tests/fixtures/snippets/run.md",
        &["--run=marked"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", outline(&v));
}

#[test]
fn the_seeds_python_snippets_all_parse() {
    let cache = temp();
    let (v, out) = verify_fixture(cache.path(), "tests/fixtures/async_patterns.md", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", outline(&v));
    assert_eq!(v["summary"]["snippets"]["passed"], 11);
}

#[test]
fn an_external_checker_finds_the_seeds_missing_import() {
    let dir = temp();
    let cache = temp();
    std::fs::copy(
        crate_dir().join("tests/fixtures/async_patterns.md"),
        dir.path().join("async.md"),
    )
    .unwrap();
    write(
        dir.path(),
        "ruledoc.toml",
        "[snippets.external.python]\ncommand = \"ruff check --no-cache --select F821 --output-format concise {file}\"\n",
    );
    let (v, _) = verify_json(
        dir.path(),
        cache.path(),
        &["snippets", "verify", "async.md"],
    );
    let diags = v["diagnostics"].as_array().unwrap();
    let ruff_installed = std::process::Command::new("ruff")
        .arg("--version")
        .output()
        .is_ok();
    if ruff_installed {
        let datetime: Vec<_> = diags
            .iter()
            .filter(|d| {
                d["message"]
                    .as_str()
                    .unwrap()
                    .contains("Undefined name `datetime`")
            })
            .collect();
        assert!(!datetime.is_empty(), "{diags:?}");
        assert_eq!(datetime[0]["line"], 310);
        assert_eq!(datetime[0]["code"], "RD303");
    } else {
        // Never a silent pass: without ruff, RD306 says so, once.
        let unavailable: Vec<_> = diags.iter().filter(|d| d["code"] == "RD306").collect();
        assert_eq!(unavailable.len(), 1, "{diags:?}");
    }
}

#[test]
fn without_cargo_rust_snippets_are_unchecked_and_said_so() {
    let cache = temp();
    let out = ruledoc()
        .current_dir(crate_dir())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .env("PATH", "/nonexistent")
        .args([
            "--no-config",
            "snippets",
            "verify",
            "tests/fixtures/snippets/run.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let rd306: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "RD306")
        .collect();
    assert_eq!(rd306.len(), 1, "once per language");
    assert_eq!(rd306[0]["severity"], "warning");
    assert_eq!(v["summary"]["snippets"]["unchecked"], 6);
    assert!(!stderr_of(&out).contains("panicked"));
}

#[test]
fn dependencies_that_do_not_resolve_are_a_clear_error() {
    let dir = temp();
    let cache = temp();
    write(
        dir.path(),
        "ruledoc.toml",
        "[snippets.rust.dependencies]\nnot-a-crate-ruledoc-test = \"1\"\n",
    );
    write(
        dir.path(),
        "rules/a.md",
        "# A Rule (Tier 2)\n\n## Purpose\n\nP.\n\n```rust\nlet x = 1;\n```\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .env("CARGO_NET_OFFLINE", "true")
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("[snippets.rust.dependencies]") && err.contains("not-a-crate-ruledoc-test"),
        "{err}"
    );
}

/// Needs the network: cargo fetches serde from crates.io.
#[test]
#[ignore = "needs network access to crates.io"]
fn snippets_can_use_configured_dependencies() {
    let dir = temp();
    let cache = temp();
    write(
        dir.path(),
        "ruledoc.toml",
        "[snippets.rust.dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n",
    );
    write(
        dir.path(),
        "rules/a.md",
        "# A Rule (Tier 2)\n\n## Purpose\n\nP.\n\n```rust\nuse serde::Serialize;\n#[derive(Serialize)]\nstruct Point { x: i32 }\n```\n",
    );
    let (v, out) = verify_json(dir.path(), cache.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{v}");
}

#[test]
fn the_rust_patterns_book_passes_as_mdbook_test_passes_it() {
    let dir = temp();
    let cache = temp();
    write(
        dir.path(),
        "ruledoc.toml",
        format!(
            "root = \"{}\"\n[snippets.rust]\nedition = \"2024\"\n",
            crate_dir().join("tests/corpus/rust-patterns/src").display()
        ),
    );
    let (v, out) = verify_json(dir.path(), cache.path(), &["snippets", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", outline(&v));
    let s = &v["summary"]["snippets"];
    assert_eq!(s["failed"], 0);
    assert!(s["passed"].as_u64().unwrap() >= 35, "{s}");
}

#[test]
fn list_and_extract_map_snippets_back_to_their_source() {
    let out = ruledoc()
        .current_dir(crate_dir())
        .args([
            "--no-config",
            "snippets",
            "list",
            "tests/fixtures/async_patterns.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 11);
    assert_eq!(rows[0]["line"], 9);
    assert_eq!(rows[0]["label"], "CORRECT NAMING AND USAGE");
    assert_eq!(rows[0]["marker"], "correct");

    let human = ruledoc()
        .current_dir(crate_dir())
        .args(["--no-config", "snippets", "list", "rules/error-handling.md"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&human).contains("rules/error-handling.md:49\trust,should_panic\t❌"),
        "{}",
        stdout_of(&human)
    );

    let out_dir = temp();
    let dest = out_dir.path().join("snips");
    let extract = ruledoc()
        .current_dir(crate_dir())
        .args([
            "--no-config",
            "snippets",
            "extract",
            "rules/error-handling.md",
            "--out",
        ])
        .arg(&dest)
        .output()
        .unwrap();
    assert!(extract.status.success(), "{}", stderr_of(&extract));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dest.join("manifest.json")).unwrap())
            .unwrap();
    let first = &manifest[0];
    assert_eq!(first["file"], "rules_error-handling_L14.rs");
    assert_eq!(first["source"], "rules/error-handling.md");
    assert_eq!(first["expanded"], true);
    let code = std::fs::read_to_string(dest.join("rules_error-handling_L14.rs")).unwrap();
    assert!(
        code.contains("fn main() {\n    assert_eq!(threads(Some(\"4\")), Ok(4));"),
        "hidden lines are shown: {code}"
    );

    // A second extract replaces what the first wrote; a stranger's file is never replaced.
    let again = ruledoc()
        .current_dir(crate_dir())
        .args([
            "--no-config",
            "snippets",
            "extract",
            "rules/error-handling.md",
            "--out",
        ])
        .arg(&dest)
        .output()
        .unwrap();
    assert!(again.status.success());
    let foreign = temp();
    std::fs::write(foreign.path().join("rules_error-handling_L14.rs"), "mine").unwrap();
    let refused = ruledoc()
        .current_dir(crate_dir())
        .args([
            "--no-config",
            "snippets",
            "extract",
            "rules/error-handling.md",
            "--out",
        ])
        .arg(foreign.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("rules_error-handling_L14.rs")).unwrap(),
        "mine"
    );
}

#[test]
fn junit_has_a_test_case_per_snippet() {
    let cache = temp();
    let out = ruledoc()
        .current_dir(crate_dir())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .args([
            "--no-config",
            "snippets",
            "verify",
            "tests/fixtures/snippets/languages.md",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    let xml = stdout_of(&out);
    assert_eq!(
        junit_suites(&xml)[1],
        JunitSuite {
            name: "ruledoc snippets".into(),
            tests: 12,
            failures: 5,
            skipped: 2,
        },
        "{xml}"
    );
    assert!(
        xml.contains(r#"name="tests/fixtures/snippets/languages.md:15 (py)""#),
        "{xml}"
    );
}

#[test]
fn lint_never_compiles_and_check_does() {
    let cache = temp();
    let lint = ruledoc()
        .current_dir(crate_dir())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .args([
            "--no-config",
            "lint",
            "tests/fixtures/snippets/rust.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&lint)).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["RD307"],
        "lint reports only the static attribute check"
    );
    assert!(!cache.path().join("rust").exists(), "lint wrote no crate");
}
