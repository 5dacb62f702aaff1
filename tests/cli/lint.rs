//! What the cases in tests/cmd/ cannot show: a clean run over the project's
//! own rules, the same output whatever the number of threads, and no file
//! left behind by `--fix` (a case's `.out/` folder names the files it
//! expects, and says nothing of the others).

use std::path::PathBuf;

use serde_json::Value;

use crate::{crate_dir, files_under, ruledoc, stderr_of, stdout_of, temp, write};

#[test]
fn fix_leaves_no_temporary_file_beside_the_document() {
    let dir = temp();
    let seed =
        std::fs::read_to_string(crate_dir().join("tests/fixtures/async_patterns.md")).unwrap();
    let path = write(dir.path(), "rules/sub/async.md", &seed);
    let fix = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "lint", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(fix.status.code(), Some(0), "{}", stdout_of(&fix));
    assert_ne!(std::fs::read_to_string(&path).unwrap(), seed, "fixed");
    assert_eq!(
        files_under(dir.path()),
        [PathBuf::from("rules/sub/async.md")],
        "no temporary file left"
    );
}

#[test]
fn check_runs_lint_on_the_projects_rules_cleanly() {
    let out = ruledoc()
        .current_dir(crate_dir())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        v["diagnostics"],
        Value::Array(vec![]),
        "rules/ must be clean"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn output_is_the_same_on_one_thread_and_on_several() {
    let run = |jobs: &str| {
        let out = ruledoc()
            .current_dir(crate_dir())
            .args([
                "--no-config",
                "-j",
                jobs,
                "lint",
                "tests/corpus",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(!stderr_of(&out).contains("panicked"));
        stdout_of(&out)
    };
    let one = run("1");
    assert!(one.len() > 10_000);
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

/// Cursor reads `mdc:` paths from the repository root (the nearest folder
/// with a `.git` entry), wherever the rule sits and whichever folder is
/// linted; without a repository, from the current directory. Only Cursor
/// rules are read so.
#[test]
fn mdc_links_resolve_from_the_repository_root() {
    let dir = temp();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo, "src/lib.rs", "");
    let links = "See [the library](mdc:src/lib.rs) and [the old one](mdc:src/gone.rs).\n";
    write(&repo, ".cursor/rules/lib.mdc", format!("# Lib\n\n{links}"));
    write(&repo, ".windsurf/rules/lib.md", format!("# Lib\n\n{links}"));
    let findings = |cwd: &std::path::Path, path: &str| -> Vec<String> {
        let out = ruledoc()
            .current_dir(cwd)
            .args([
                "--no-config",
                "lint",
                "--select",
                "RD401",
                "--format",
                "json",
                path,
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d["path"].as_str().unwrap(),
                    d["line"],
                    d["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    let gone = "link `mdc:src/gone.rs`: no such file `src/gone.rs` from the repository's top";
    // From the repository, and from above it with only the Cursor folder.
    assert_eq!(
        findings(&repo, "."),
        [format!(".cursor/rules/lib.mdc:3 {gone}")]
    );
    assert_eq!(
        findings(dir.path(), "repo/.cursor"),
        [format!("repo/.cursor/rules/lib.mdc:3 {gone} `repo`")]
    );
    // No repository: the current directory is the root.
    std::fs::remove_dir(repo.join(".git")).unwrap();
    assert_eq!(
        findings(&repo, ".cursor"),
        [format!(".cursor/rules/lib.mdc:3 {gone}")]
    );
}

/// GitHub's heading ids are lower case: `[x](#Header)` to `## Header`
/// resolves only through github.com's page script. `--fix` writes the id in
/// a link to the document's own heading, and a re-read finds nothing left
/// there; a link to another document's heading keeps its shown fix.
#[test]
fn an_anchor_in_the_wrong_case_is_reported_and_fixed_to_the_id() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let a = write(
        dir.path(),
        "a.md",
        "# Guide\n\n## Header One\n\nSee [below](#Header-One) and [other](other.md#Usage-Notes).\n\n`[code](#Header-One)` is not a link.\n",
    );
    write(
        dir.path(),
        "other.md",
        "# Other\n\n## Usage Notes\n\nText.\n",
    );
    let lint = |extra: &[&str]| {
        let out = ruledoc()
            .current_dir(dir.path())
            .args(["--no-config", "lint", ".", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        v["diagnostics"].as_array().unwrap().clone()
    };
    let before = lint(&[]);
    let found: Vec<(u64, u64, &str, &str)> = before
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap(),
                d["fix"]["applicability"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (5, 5, "warning", "safe"),
            (5, 30, "warning", "display-only")
        ],
        "{before:#?}"
    );
    lint(&["--fix"]);
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        "# Guide\n\n## Header One\n\nSee [below](#header-one) and [other](other.md#Usage-Notes).\n\n`[code](#Header-One)` is not a link.\n"
    );
    let after = lint(&[]);
    assert_eq!(after.len(), 1, "{after:#?}");
    assert_eq!(after[0]["column"], 30);
}
