//! What agents load is what `check` checks, and a file's findings do not
//! depend on how it was named (issue 12, items 5 and 6).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::{ruledoc, stderr_of, stdout_of, temp, write};

/// A repository holding every format: what each agent loads, files no agent
/// loads, a gitignored file, and an agent folder ruledoc does not read.
fn every_format(repo: &Path) {
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(repo, ".gitignore", "vendor/\n");
    let text = "Use the design system.\n";
    for file in [
        "AGENTS.md",
        "pkg/AGENTS.md",
        "CLAUDE.md",
        "web/CLAUDE.md",
        "CLAUDE.local.md",
        ".claude/CLAUDE.md",
        ".claude/rules/style.md",
        "GEMINI.md",
        "packages/core/GEMINI.md",
        ".cursorrules",
        ".windsurfrules",
        ".rules",
        ".github/copilot-instructions.md",
        ".windsurf/rules/style.md",
        ".kiro/steering/style.md",
        ".clinerules/style.md",
        ".roo/rules/style.md",
        ".roo/rules-code/style.md",
        ".junie/guidelines.md",
        ".continue/rules/style.md",
        ".amazonq/rules/team/style.md",
        ".augment/rules/style.md",
        ".augment-guidelines",
        ".kilocode/rules/style.md",
        ".kilocode/rules-code/style.md",
        "QWEN.md",
        "packages/core/QWEN.md",
        ".goosehints",
        "web/.goosehints",
        ".trae/rules/project_rules.md",
        // Not loaded by any agent by its name or folder:
        "README.md",
        "docs/guide.md",
        ".cursor/rules/README.md",
        "notes/loose.mdc",
        // Ignored by git:
        "vendor/lib/AGENTS.md",
        ".continue/prompts/release.md",
        // An agent ruledoc does not read:
        ".devin/rules/style.md",
    ] {
        write(repo, file, text);
    }
    write(
        repo,
        ".cursor/rules/web.mdc",
        "---\ndescription: Web\nglobs: web/**\nalwaysApply: false\n---\nUse the design system.\n",
    );
    write(
        repo,
        ".github/instructions/ts.instructions.md",
        "---\napplyTo: \"**/*.ts\"\n---\nUse strict mode.\n",
    );
}

/// The documents a `check --format junit` run reports on, by path.
fn documents(out: &std::process::Output) -> BTreeSet<String> {
    let xml = stdout_of(out);
    xml.split("<testcase name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn check_with_no_path_checks_every_file_its_agents_load() {
    let dir = temp();
    every_format(dir.path());
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "check", "--format", "junit"])
        .output()
        .unwrap();
    let found = documents(&out);
    let expected: BTreeSet<String> = [
        ".claude/CLAUDE.md",
        ".claude/rules/style.md",
        ".clinerules/style.md",
        ".cursor/rules/web.mdc",
        ".cursorrules",
        ".github/copilot-instructions.md",
        ".github/instructions/ts.instructions.md",
        ".kiro/steering/style.md",
        ".roo/rules-code/style.md",
        ".roo/rules/style.md",
        ".rules",
        ".windsurf/rules/style.md",
        ".windsurfrules",
        ".amazonq/rules/team/style.md",
        ".augment-guidelines",
        ".augment/rules/style.md",
        ".continue/rules/style.md",
        ".goosehints",
        ".junie/guidelines.md",
        ".kilocode/rules-code/style.md",
        ".kilocode/rules/style.md",
        ".trae/rules/project_rules.md",
        "AGENTS.md",
        "CLAUDE.local.md",
        "CLAUDE.md",
        "GEMINI.md",
        "QWEN.md",
        "packages/core/GEMINI.md",
        "packages/core/QWEN.md",
        "pkg/AGENTS.md",
        "web/.goosehints",
        "web/CLAUDE.md",
    ]
    .map(String::from)
    .into();
    assert_eq!(found, expected, "{}", stderr_of(&out));
    // Said once, never silently.
    let err = stderr_of(&out);
    assert!(
        err.contains(".devin: skipped: rules of an agent ruledoc does not read"),
        "{err}"
    );
}

#[test]
fn parse_gives_every_document_its_format() {
    let dir = temp();
    every_format(dir.path());
    let out = ruledoc()
        .current_dir(dir.path())
        .args([
            "--no-config",
            "parse",
            "CLAUDE.md",
            ".claude/rules/style.md",
            "pkg/AGENTS.md",
            ".cursor/rules/web.mdc",
            ".github/instructions/ts.instructions.md",
            ".windsurf/rules/style.md",
            ".kiro/steering/style.md",
            ".roo/rules/style.md",
            "docs/guide.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let formats: Vec<(String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["format"].as_str().unwrap().to_string(),
                d["loads"]["when"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |p: &str, f: &str, w: &str| (p.to_string(), f.to_string(), w.to_string());
    assert_eq!(
        formats,
        [
            expect("CLAUDE.md", "claude-md", "always"),
            expect(".claude/rules/style.md", "claude-rules", "always"),
            expect("pkg/AGENTS.md", "agents-md", "nested"),
            expect(".cursor/rules/web.mdc", "cursor-mdc", "glob"),
            expect(
                ".github/instructions/ts.instructions.md",
                "copilot-path",
                "glob"
            ),
            expect(".windsurf/rules/style.md", "windsurf-rules", "manual"),
            expect(".kiro/steering/style.md", "kiro-steering", "always"),
            expect(".roo/rules/style.md", "roo-rules", "always"),
            expect("docs/guide.md", "markdown", "always"),
        ]
    );
}

/// Each further agent's files get its format, and load as its vendor
/// documents (issue 15): Continue by `alwaysApply`, `globs`, `regex`;
/// Augment by `type`; Trae by Cursor's keys; `QWEN.md` and `.goosehints`
/// nested below the top; Junie's guidelines at the top only.
#[test]
fn further_agents_formats_and_scopes() {
    let dir = temp();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let body = "Use the design system.\n";
    for file in [
        ".junie/guidelines.md",
        "pkg/.junie/guidelines.md",
        ".amazonq/rules/style.md",
        ".kilocode/rules-code/style.md",
        "QWEN.md",
        "pkg/QWEN.md",
        "web/.goosehints",
        ".augment-guidelines",
    ] {
        write(repo, file, body);
    }
    let rules = [
        (".continue/rules/always.md", "---\nname: Always\n---\n"),
        (
            ".continue/rules/web.md",
            "---\nname: Web\nglobs: \"web/**/*.tsx\"\n---\n",
        ),
        (
            ".continue/rules/react.md",
            "---\nname: React\nregex: \"^import React\"\n---\n",
        ),
        (
            ".continue/rules/sql.md",
            "---\nname: SQL\nalwaysApply: false\ndescription: SQL migrations\n---\n",
        ),
        (
            ".augment/rules/auto.md",
            "---\ntype: agent_requested\ndescription: Database work\n---\n",
        ),
        (".augment/rules/by-hand.md", "---\ntype: manual\n---\n"),
        (
            ".trae/rules/ts.md",
            "---\nalwaysApply: false\nglobs: src/**/*.ts\n---\n",
        ),
        (".trae/rules/project_rules.md", ""),
    ];
    for (file, head) in rules {
        write(repo, file, format!("{head}{body}"));
    }
    let out = ruledoc()
        .current_dir(repo)
        .args(["--no-config", "parse", ".", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let got: BTreeSet<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let patterns = d["loads"]["patterns"]
                .as_array()
                .map(|p| {
                    format!(
                        " {}",
                        p.iter()
                            .map(|x| x.as_str().unwrap())
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                })
                .unwrap_or_default();
            format!(
                "{} {} {}{patterns}",
                d["path"].as_str().unwrap(),
                d["format"].as_str().unwrap(),
                d["loads"]["when"].as_str().unwrap(),
            )
        })
        .collect();
    let expected: BTreeSet<String> = [
        ".amazonq/rules/style.md amazonq-rules always",
        ".augment-guidelines augment-guidelines always",
        ".augment/rules/auto.md augment-rules on-request",
        ".augment/rules/by-hand.md augment-rules manual",
        ".continue/rules/always.md continue-rules always",
        ".continue/rules/react.md continue-rules on-request",
        ".continue/rules/sql.md continue-rules on-request",
        ".continue/rules/web.md continue-rules glob web/**/*.tsx",
        ".junie/guidelines.md junie-guidelines always",
        ".kilocode/rules-code/style.md kilo-rules always",
        ".trae/rules/project_rules.md trae-rules always",
        ".trae/rules/ts.md trae-rules glob src/**/*.ts",
        "QWEN.md qwen-md always",
        "pkg/.junie/guidelines.md junie-guidelines never",
        "pkg/QWEN.md qwen-md nested",
        "web/.goosehints goosehints nested",
    ]
    .map(String::from)
    .into();
    assert_eq!(got, expected, "{}", stderr_of(&out));
}

/// Their front matter is checked against the keys each agent documents:
/// a misspelt Continue key, an Augment `type` it does not know, an
/// `agent_requested` rule with no description, Continue's ignored `globs`.
#[test]
fn further_agents_front_matter_is_checked() {
    let dir = temp();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(
        repo,
        ".continue/rules/web.md",
        "---\nname: Web\nglob: web/**\n---\nUse the design system.\n",
    );
    write(
        repo,
        ".continue/rules/all.md",
        "---\nname: All\nalwaysApply: true\nglobs: \"web/**\"\n---\nUse the design system.\n",
    );
    write(
        repo,
        ".augment/rules/odd.md",
        "---\ntype: always\n---\nUse the design system.\n",
    );
    write(
        repo,
        ".augment/rules/auto.md",
        "---\ntype: agent_requested\n---\nUse the design system.\n",
    );
    // Amazon Q reads no front matter: nothing to check there.
    write(
        repo,
        ".amazonq/rules/plain.md",
        "---\nglob: x\n---\nUse the design system.\n",
    );
    let out = ruledoc()
        .current_dir(repo)
        .args([
            "--no-config",
            "lint",
            "--select",
            "RD109,RD111",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ".augment/rules/auto.md:2 RD111 `type: agent_requested` without a `description`: Augment decides from the description, so the rule is never chosen",
            ".augment/rules/odd.md:2 RD109 `type`: the string `\"always\"` is not a value Augment reads (`always_apply`, `agent_requested`, `manual`)",
            ".continue/rules/all.md:4 RD111 `globs` is ignored: with `alwaysApply: true` Continue loads the rule in every session",
            ".continue/rules/web.md:3 RD109 front-matter key `glob`: Continue does not read it",
        ],
        "{}",
        stderr_of(&out)
    );
}

/// The same findings for a file however it is named: its rule-set root
/// comes from where it lives, and its rule set is read as context.
#[test]
fn one_file_one_verdict() {
    let dir = temp();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    // Tier 2 in the title, tier 3 by its `sub/` folder: RD104. Its name is
    // also declared by a rule outside `sub/`: RD108, at the later by path.
    write(
        repo,
        ".claude/rules/sub/async.md",
        "# Async Rule (Tier 2)\n\n## Purpose\n\nAsync code.\n",
    );
    write(
        repo,
        ".claude/rules/async.md",
        "# Async Rule (Tier 2)\n\n## Purpose\n\nAsync code.\n",
    );
    let findings = |args: &[&str]| -> Vec<String> {
        let out = ruledoc()
            .current_dir(repo)
            .args(["--no-config", "lint", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        let mut found: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == ".claude/rules/sub/async.md")
            .map(|d| format!("{} {} {}", d["code"], d["line"], d["message"]))
            .collect();
        found.sort();
        found
    };
    let whole = findings(&[]);
    assert!(whole.iter().any(|f| f.contains("RD104")), "{whole:?}");
    assert!(whole.iter().any(|f| f.contains("RD108")), "{whole:?}");
    for args in [
        &["."][..],
        &[".claude/rules"],
        &[".claude/rules/sub"],
        &[".claude/rules/sub/async.md"],
    ] {
        assert_eq!(findings(args), whole, "lint {args:?}");
    }
    // Only what was named is reported.
    let out = ruledoc()
        .current_dir(repo)
        .args(["--no-config", "lint", ".claude/rules/sub/async.md"])
        .output()
        .unwrap();
    assert!(
        !stdout_of(&out).contains("--> .claude/rules/async.md"),
        "{}",
        stdout_of(&out)
    );
}

/// What one agent loads up front is totalled whatever was named: a root
/// `CLAUDE.md` with what it imports (`@AGENTS.md`) and `.claude/rules`
/// without `paths`; a `.cursorrules` below the top is not Cursor's.
#[test]
fn the_up_front_total_is_the_same_however_the_file_is_named() {
    let dir = temp();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let words = |n: usize| "word ".repeat(n);
    write(
        repo,
        "CLAUDE.md",
        format!("# Project\n\n@AGENTS.md\n\n{}\n", words(5_000)),
    );
    write(repo, "AGENTS.md", format!("# Agents\n\n{}\n", words(2_500)));
    write(
        repo,
        ".claude/rules/style.md",
        format!("# Style\n\n{}\n", words(1_000)),
    );
    write(repo, ".cursorrules", format!("{}\n", words(5_000)));
    write(repo, "pkg/.cursorrules", format!("{}\n", words(5_000)));
    let rd501 = |args: &[&str]| -> Vec<String> {
        let out = ruledoc()
            .current_dir(repo)
            .args([
                "--no-config",
                "lint",
                "--select",
                "RD501",
                "--format",
                "json",
            ])
            .args(args)
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["path"], d["message"]))
            .collect()
    };
    let whole = rd501(&[]);
    // 5,009 + 2,504 + 1,004 tokens (o200k_base, as OpenAI's tiktoken
    // counts them): over 8,000 only with the import.
    assert_eq!(whole.len(), 1, "{whole:?}");
    assert!(
        whole[0].starts_with("\"CLAUDE.md\" \"the 3 documents Claude Code"),
        "{whole:?}"
    );
    for args in [&["."][..], &["CLAUDE.md"]] {
        assert_eq!(rd501(args), whole, "lint {args:?}");
    }
    // The root `.cursorrules` alone is 5,001 tokens: under budget, the
    // nested one not counted.
    assert!(rd501(&[".cursorrules"]).is_empty());
}

/// A file `CLAUDE.md` imports counts in Claude Code's total even when no
/// agent loads it by itself (the run reads it for the total), and an import
/// cycle counts each file once.
#[test]
fn imported_files_count_in_the_up_front_total() {
    let dir = temp();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let words = |n: usize| "word ".repeat(n);
    write(
        repo,
        "CLAUDE.md",
        format!("# Project\n\n@docs/a.md\n\n{}\n", words(2_000)),
    );
    write(
        repo,
        "docs/a.md",
        format!("# A\n\n@b.md\n\n{}\n", words(6_250)),
    );
    write(
        repo,
        "docs/b.md",
        format!("# B\n\n@../CLAUDE.md\n\n{}\n", words(125)),
    );
    // 2,009 + 6,258 + 136 tokens (o200k_base, as OpenAI's tiktoken counts
    // them).
    for args in [&[][..], &["CLAUDE.md"]] {
        let out = ruledoc()
            .current_dir(repo)
            .args(["--no-config", "lint", "--select", "RD501"])
            .args(args)
            .output()
            .unwrap();
        let text = stdout_of(&out);
        assert!(
            text.contains("the 3 documents Claude Code loads up front (2 imported) together are 8403 tokens (o200k_base)"),
            "lint {args:?}: {text}"
        );
        assert!(
            text.contains("the largest is the imported docs/a.md, 6258"),
            "{text}"
        );
    }
}

/// With no path, a file `CLAUDE.md` imports is checked: Claude Code loads
/// it; naming `CLAUDE.md` reads it as context, so the cycle is the same.
#[test]
fn imported_files_are_checked_and_cycles_found_however_named() {
    let dir = temp();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(repo, "CLAUDE.md", "# P\n\n@docs/a.md\n");
    write(
        repo,
        "docs/a.md",
        "# A\n\n@../CLAUDE.md\n\nSee [x](missing.md).\n",
    );
    let findings = |args: &[&str]| -> Vec<String> {
        let out = ruledoc()
            .current_dir(repo)
            .args(["--no-config", "lint", "--format", "json"])
            .args(args)
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
                    d["code"].as_str().unwrap()
                )
            })
            .collect()
    };
    let whole = findings(&[]);
    assert_eq!(whole, ["CLAUDE.md:3 RD403", "docs/a.md:5 RD401"]);
    assert_eq!(findings(&["."]), whole);
    assert_eq!(findings(&["CLAUDE.md"]), ["CLAUDE.md:3 RD403"]);
    assert_eq!(findings(&["docs/a.md"]), ["docs/a.md:5 RD401"]);
}
