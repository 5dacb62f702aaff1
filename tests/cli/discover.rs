use serde_json::Value;

use crate::{rule, ruledoc, stdout_of, temp, write};

fn parsed_paths(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let out = ruledoc()
        .current_dir(dir)
        .args(["--no-config", "parse"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    match v {
        Value::Array(items) => items
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect(),
        one => vec![one["path"].as_str().unwrap().to_string()],
    }
}

#[test]
fn a_repository_walk_finds_agent_rules_and_skips_other_hidden_folders() {
    let dir = temp();
    for f in [
        ".claude/rules/a.md",
        ".claude/CLAUDE.md",
        ".cursor/rules/b.mdc",
        ".github/instructions/c.instructions.md",
        ".github/copilot-instructions.md",
        ".windsurf/rules/d.md",
        ".kiro/steering/e.md",
        "rules/f.md",
    ] {
        write(dir.path(), f, rule("R"));
    }
    for f in [
        ".git/x.md",
        ".claude/commands/cmd.md",
        ".github/ISSUE_TEMPLATE/bug.md",
        ".hidden/h.md",
        "notes.txt",
    ] {
        write(dir.path(), f, rule("Skip"));
    }
    let paths = parsed_paths(dir.path(), &["."]);
    assert_eq!(
        paths,
        [
            ".claude/CLAUDE.md",
            ".claude/rules/a.md",
            ".cursor/rules/b.mdc",
            ".github/copilot-instructions.md",
            ".github/instructions/c.instructions.md",
            ".kiro/steering/e.md",
            ".windsurf/rules/d.md",
            "rules/f.md",
        ]
    );
}

#[test]
fn gitignored_files_are_left_out() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), ".gitignore", "generated/\n");
    write(dir.path(), "rules/a.md", rule("A"));
    write(dir.path(), "rules/generated/b.md", rule("B"));
    assert_eq!(parsed_paths(dir.path(), &["rules"]), ["rules/a.md"]);
}

#[test]
fn exclude_patterns_from_the_config_are_left_out() {
    let dir = temp();
    write(
        dir.path(),
        "ruledoc.toml",
        "[discover]\nexclude = [\"rules/drafts/**\"]\n",
    );
    write(dir.path(), "rules/a.md", rule("A"));
    write(dir.path(), "rules/drafts/b.md", rule("B"));
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["parse", "rules"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "a folder prints an array");
    assert_eq!(v[0]["path"], "rules/a.md");
}

#[test]
fn agent_folders_are_roots_of_their_own_for_tiers() {
    let dir = temp();
    write(dir.path(), ".claude/rules/sub/a.md", rule("A"));
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "parse", "."])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v[0]["tier_sources"]["folder"], 3);
    assert_eq!(v[0]["rel_path"], "sub/a.md");
}
