//! Real defects found in public repositories (`tests/fixtures/wild/`, one
//! folder per repository, its `SOURCES.md` gives commit, licence and the
//! exact lines): `ruledoc --no-config lint . --format json`, run at the top
//! of each repository, must report each defect at its line, and nothing
//! else. Each folder becomes a repository (a `.git` folder at its top), and
//! the files its rules link to that exist upstream are created empty
//! (`upstream-files.txt`), so that only the links broken upstream stay
//! broken.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wild() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wild")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let src = entry.unwrap().path();
        let dst = to.join(src.file_name().unwrap());
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

/// The repository `name` (`OWNER+REPO`) as upstream had it, in a temporary
/// folder.
fn repository(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().join(name);
    copy_tree(&wild().join(name), &top);
    fs::create_dir(top.join(".git")).unwrap();
    let listed = fs::read_to_string(wild().join("upstream-files.txt")).unwrap();
    let mut current = None;
    for line in listed.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            current = rest.split_once(']').map(|(repo, _)| repo.to_string());
        } else if current.as_deref() == Some(name) {
            let path = top.join(line);
            if line.ends_with('/') {
                fs::create_dir_all(path).unwrap();
            } else {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, "").unwrap();
            }
        }
    }
    (tmp, top)
}

fn ruledoc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .current_dir(dir)
        .env("RULEDOC_CACHE_DIR", dir.join(".git/ruledoc-cache"))
        .arg("--no-config")
        .args(args)
        .output()
        .unwrap()
}

/// `(path, line, code, message)` of every finding of `lint . --format json`.
fn findings(name: &str) -> Vec<(String, u64, String, String)> {
    let (_tmp, top) = repository(name);
    let out = ruledoc(&top, &["lint", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts that `name`'s findings are exactly `expected`, each given as
/// `(path, line, code, words the message holds)`.
fn assert_findings(name: &str, expected: &[(&str, u64, &str, &str)]) {
    let found = findings(name);
    let got: BTreeSet<(&str, u64, &str)> = found
        .iter()
        .map(|(p, l, c, _)| (p.as_str(), *l, c.as_str()))
        .collect();
    let want: BTreeSet<(&str, u64, &str)> =
        expected.iter().map(|&(p, l, c, _)| (p, l, c)).collect();
    assert_eq!(got, want, "{name}: {found:#?}");
    for &(path, line, code, words) in expected {
        let (.., message) = found
            .iter()
            .find(|(p, l, c, _)| (p.as_str(), *l, c.as_str()) == (path, line, code))
            .unwrap();
        assert!(
            message.contains(words),
            "{name} {path}:{line} {code}: {message}"
        );
    }
}

#[test]
fn kind_1a_an_mdc_link_holding_a_web_address() {
    assert_findings(
        "giantswarm+mcp-debug",
        &[(
            ".cursor/rules/dev_workflow.mdc",
            140,
            "RD401",
            "holds a web address",
        )],
    );
    assert_findings(
        "tecnomanu+agent-rules-kit",
        &[(
            ".cursor/rules/07-commit-conventions.mdc",
            82,
            "RD401",
            "holds a web address",
        )],
    );
}

#[test]
fn kind_1b_an_mdc_link_to_a_missing_file() {
    let main = ".cursor/rules/main.mdc";
    assert_findings(
        "platformplatform+PlatformPlatform",
        &[
            (main, 54, "RD401", "`.cursor/rules/other/ai-rules.mdc`"),
            (main, 55, "RD401", "`.cursor/rules/other/git-commits.mdc`"),
            (main, 56, "RD401", "`.cursor/rules/other/pull-request.mdc`"),
        ],
    );
    assert_findings(
        "protella+chatgpt-bots",
        &[(".cursor/rules/bmad/dev.mdc", 89, "RD401", "no such file")],
    );
}

#[test]
fn kinds_2_3_5_second_block_leaked_keys_and_no_description() {
    let model_decision = "`trigger: model_decision` without a `description`";
    assert_findings(
        "telepace+nexus",
        &[
            (
                ".cursor/rules/gitflow.mdc",
                6,
                "RD109",
                "a second front-matter block",
            ),
            (".windsurf/rules/gitflow.md", 2, "RD111", model_decision),
            (
                ".windsurf/rules/gitflow.md",
                6,
                "RD109",
                "a second front-matter block",
            ),
            (
                ".windsurf/rules/general.md",
                6,
                "RD109",
                "lines 6-8 are front matter left",
            ),
            (".windsurf/rules/frontend.md", 2, "RD111", model_decision),
            (
                ".windsurf/rules/frontend.md",
                6,
                "RD109",
                "line 6 is front matter left",
            ),
            (".windsurf/rules/python.md", 2, "RD111", model_decision),
        ],
    );
    assert_findings(
        "medorion+ai-nx-starter",
        &[(
            ".windsurf/rules/types.md",
            6,
            "RD109",
            "a second front-matter block",
        )],
    );
    assert_findings(
        "control-toolbox+CTBase.jl",
        &[
            (
                ".windsurf/rules/architecture.md",
                2,
                "RD111",
                model_decision,
            ),
            // 13,978 characters: Windsurf cuts a rule file at 12,000.
            (
                ".windsurf/rules/architecture.md",
                5,
                "RD502",
                "over Windsurf's limit of 12000 characters per file",
            ),
        ],
    );
}

#[test]
fn kind_4_always_apply_with_globs() {
    let ignored = "`globs` is ignored: with `alwaysApply: true`";
    assert_findings(
        "appifyhub+agent-backend",
        &[(".cursor/rules/tooling.mdc", 3, "RD111", ignored)],
    );
    assert_findings(
        "EvilBit-Labs+dbsurveyor",
        &[(
            ".cursor/rules/quality/code-quality.mdc",
            2,
            "RD111",
            ignored,
        )],
    );
}

#[test]
fn kind_7_kiro_file_match_without_a_pattern() {
    let file = ".kiro/steering/lambda-patterns.md";
    assert_findings(
        "aws-solutions+innovation-sandbox-on-aws",
        &[
            (file, 2, "RD111", "without a `fileMatchPattern`"),
            (file, 3, "RD109", "`fileMatchPatterns`"),
        ],
    );
    let (_tmp, top) = repository("aws-solutions+innovation-sandbox-on-aws");
    let out = ruledoc(&top, &["lint", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("did you mean `fileMatchPattern`?"), "{text}");
}

#[test]
fn kind_8_copilot_front_matter_after_a_comment() {
    assert_findings(
        "wtthornton+HomeIQ",
        &[(
            ".github/instructions/testing.instructions.md",
            2,
            "RD111",
            "not on the first line",
        )],
    );
    // A `description` without `applyTo` is a scope VS Code documents.
    assert_findings("dyoshikawa+rulesync", &[]);
}

#[test]
fn kind_9_rules_in_an_agent_folder_ruledoc_does_not_read_are_named() {
    let (name, folder) = ("abstratium-dev+abstrauth", ".devin");
    let (_tmp, top) = repository(name);
    let out = ruledoc(&top, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(stderr.contains("no rule set found"), "{name}: {stderr}");
    assert!(
        stderr.contains(&format!(
            "{folder} holds rules of an agent ruledoc does not read"
        )),
        "{name}: {stderr}"
    );
    let out = ruledoc(&top, &["lint", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "warning: {folder}: skipped: rules of an agent ruledoc does not read"
        )),
        "{name}: {stderr}"
    );
}

/// Amazon Q's rule folder, once a kind-9 folder, is read since issue 15: its
/// one rule is Amazon Q's, loaded always, and sound.
#[test]
fn amazon_q_rules_are_read() {
    let (_tmp, top) = repository("Bestehorn+LLMManager");
    let out = ruledoc(&top, &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("checked 1 document: no problems"),
        "{stderr}"
    );
    assert!(!stderr.contains("does not read"), "{stderr}");
    let out = ruledoc(&top, &["parse", ".amazonq/rules/use-venv.md"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"format\": \"amazonq-rules\""), "{stdout}");
    assert_findings("Bestehorn+LLMManager", &[]);
}
