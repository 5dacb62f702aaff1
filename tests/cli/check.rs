use crate::{crate_dir, rule, ruledoc, stderr_of, temp, write};

#[test]
fn check_with_no_path_checks_the_configured_root() {
    let out = ruledoc()
        .current_dir(crate_dir())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let docs = std::fs::read_dir(crate_dir().join("rules"))
        .unwrap()
        .count();
    assert!(docs >= 3);
    assert!(
        stderr_of(&out).contains("checked 8 documents"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn without_a_config_check_takes_rules_then_the_agent_folders() {
    let dir = temp();
    write(dir.path(), ".claude/rules/a.md", rule("A Rule (Tier 2)"));
    write(dir.path(), ".cursor/rules/b.mdc", rule("B Rule (Tier 2)"));
    write(dir.path(), "docs/readme.md", rule("Not a rule"));
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("checked 2 documents"),
        "{}",
        stderr_of(&out)
    );

    write(dir.path(), "rules/c.md", rule("C Rule (Tier 2)"));
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        stderr_of(&out).contains("checked 1 document:"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn with_nothing_to_check_it_says_where_it_looked() {
    let dir = temp();
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("no rule set found") && err.contains(".claude/rules"),
        "{err}"
    );
}

#[test]
fn check_reports_broken_front_matter_with_its_line() {
    let dir = temp();
    write(
        dir.path(),
        "rules/a.mdc",
        "---\ndescription: x\nglobs: **/*.ts\n---\n# A\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("rules/a.mdc:3:8"), "{stdout}");
}
