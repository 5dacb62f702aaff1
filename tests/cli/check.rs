use crate::{crate_dir, junit_suites, rule, ruledoc, stderr_of, stdout_of, temp, write};

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
fn without_a_config_check_takes_rules_and_what_agents_load() {
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

    // `rules/` is checked as well as what agents load, never instead.
    write(dir.path(), "rules/c.md", rule("C Rule (Tier 2)"));
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        stderr_of(&out).contains("checked 3 documents:"),
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
    // A team's own document reads its front matter as YAML: `*` starts an
    // alias there. In a Cursor rule the same line is Cursor's own syntax.
    write(
        dir.path(),
        "rules/a.md",
        "---\ndescription: x\nglobs: **/*.ts\n---\n# A\n",
    );
    write(
        dir.path(),
        "rules/b.mdc",
        "---\ndescription: x\nglobs: **/*.ts\n---\n# B\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("rules/a.md:3:8"), "{stdout}");
    assert!(!stdout.contains("rules/b.mdc"), "{stdout}");
}

#[test]
fn junit_totals_are_the_sums_over_lint_and_snippets() {
    let cache = temp();
    let out = ruledoc()
        .current_dir(crate_dir())
        .env("RULEDOC_CACHE_DIR", cache.path())
        .args([
            "--no-config",
            "check",
            "tests/fixtures/snippets/languages.md",
            "tests/fixtures/lint/rd109/bad",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    let xml = stdout_of(&out);
    // junit_suites checks that the root's totals add up over both suites.
    let suites = junit_suites(&xml);
    let names: Vec<&str> = suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ruledoc lint", "ruledoc snippets"], "{xml}");
    assert_eq!(suites[0].tests, 9, "{xml}");
    assert_eq!(suites[1].tests, 12, "{xml}");
    assert!(
        suites.iter().all(|s| s.failures > 0),
        "both suites have failures for the root to add: {xml}"
    );
}
