use serde_json::Value;

use crate::{
    JunitSuite, crate_dir, junit_suites, rule, ruledoc, stderr_of, stdout_of, temp, write,
};

fn seed_lint(format: &str) -> std::process::Output {
    ruledoc()
        .current_dir(crate_dir())
        .args([
            "--no-config",
            "lint",
            "tests/fixtures/async_patterns.md",
            "--format",
            format,
        ])
        .output()
        .unwrap()
}

#[test]
fn the_seed_gives_rd207_at_597_and_rd206_at_598() {
    let out = seed_lint("json");
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let found: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("RD207".to_string(), 597), ("RD206".to_string(), 598)]
    );
    let d = &v["diagnostics"][0];
    for key in [
        "code",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "fix",
    ] {
        assert!(d.get(key).is_some(), "diagnostic has no `{key}`");
    }
    assert_eq!(d["path"], "tests/fixtures/async_patterns.md");
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["fixable"], 1);
    assert_eq!(v["summary"]["unsafe_fixable"], 1);
    // Each fix says how safe it is, and each edit gives its full range.
    assert_eq!(d["fix"]["applicability"], "safe");
    assert_eq!(
        d["fix"]["edits"][0],
        serde_json::json!({"line": 597, "column": 343, "end_line": 597, "end_column": 346, "replacement": ""})
    );
    let artifact = &v["diagnostics"][1]["fix"];
    assert_eq!(artifact["applicability"], "unsafe");
    assert_eq!(
        artifact["edits"][0],
        serde_json::json!({"line": 597, "column": 346, "end_line": 600, "end_column": 1, "replacement": "\n"})
    );
}

#[test]
fn human_output_underlines_the_span_and_sums_up_on_stderr() {
    let out = seed_lint("human");
    let text = stdout_of(&out);
    assert!(
        text.contains("error[RD207]: backticks glued to the end of a line of text"),
        "{text}"
    );
    assert!(
        text.contains("--> tests/fixtures/async_patterns.md:597:343"),
        "{text}"
    );
    assert!(text.contains("^^^"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    assert_eq!(
        stderr_of(&out).trim(),
        "2 errors, 0 warnings in 1 of 1 document; 1 fixable with --fix (1 more with --fix --unsafe-fixes)"
    );
}

#[test]
fn github_format_is_workflow_commands() {
    let text = stdout_of(&seed_lint("github"));
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=tests/fixtures/async_patterns.md,line=597,col=343,endLine=597,endColumn=346,title=RD207 (stray-backticks)::"),
        "{first}"
    );
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn sarif_is_version_2_1_0_with_rule_help() {
    let v: Value = serde_json::from_str(&stdout_of(&seed_lint("sarif"))).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ruledoc");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 22);
    let rd207 = rules.iter().find(|r| r["id"] == "RD207").unwrap();
    assert!(
        rd207["help"]["text"]
            .as_str()
            .unwrap()
            .contains("## Example")
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "RD207");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        597
    );
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "RD207"
    );
}

#[test]
fn junit_has_a_test_case_per_document() {
    let out = ruledoc()
        .current_dir(crate_dir())
        .args([
            "--no-config",
            "lint",
            "tests/fixtures/lint/rd109/bad",
            "tests/fixtures/lint/rd109/ok",
            "--select",
            "RD109",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    let xml = stdout_of(&out);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(
        junit_suites(&xml),
        [JunitSuite {
            name: "ruledoc lint".into(),
            tests: 6,
            failures: 3,
            skipped: 0,
        }],
        "{xml}"
    );
    assert!(
        xml.contains("the string `&quot;2&quot;`"),
        "quotes are escaped: {xml}"
    );
    assert!(xml.contains("<system-out>"), "warnings are listed: {xml}");
}

#[test]
fn exit_codes_are_0_clean_1_errors_2_usage() {
    let dir = temp();
    write(dir.path(), "rules/a.md", rule("A Rule (Tier 2)"));
    let clean = ruledoc()
        .current_dir(dir.path())
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", stdout_of(&clean));
    assert_eq!(stderr_of(&clean).trim(), "checked 1 document: no problems");
    assert!(stdout_of(&clean).is_empty());

    write(dir.path(), "rules/b.md", "## Purpose\n\nNo title.\n");
    let errors = ruledoc()
        .current_dir(dir.path())
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(errors.status.code(), Some(1));

    let warnings_only = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--ignore", "RD101"])
        .output()
        .unwrap();
    assert_eq!(
        warnings_only.status.code(),
        Some(0),
        "{}",
        stdout_of(&warnings_only)
    );

    let usage = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let bad_code = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--select", "RD999"])
        .output()
        .unwrap();
    assert_eq!(bad_code.status.code(), Some(2));
    assert!(
        stderr_of(&bad_code).contains("RD999"),
        "{}",
        stderr_of(&bad_code)
    );
}

#[test]
fn select_and_ignore_take_codes_and_prefixes() {
    let run = |args: &[&str]| -> Vec<String> {
        let out = ruledoc()
            .current_dir(crate_dir())
            .args([
                "--no-config",
                "lint",
                "tests/fixtures/async_patterns.md",
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
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(run(&["--select", "RD206"]), ["RD206"]);
    assert_eq!(run(&["--ignore", "RD2"]), Vec::<String>::new());
    assert_eq!(run(&["--select", "RD1,RD207"]), ["RD207"]);
}

#[test]
fn lint_config_sets_severity_ignores_and_overrides_by_path() {
    let dir = temp();
    write(
        dir.path(),
        "ruledoc.toml",
        "root = \"rules\"\n[lint]\nignore = [\"RD105\"]\n[lint.severity]\nRD301 = \"error\"\n\n[[lint.overrides]]\npaths = [\"rules/legacy/**\"]\nignore = [\"RD301\"]\n",
    );
    let doc = "# A Rule (Tier 2)\n\n## Body\n\n```\nx\n```\n";
    write(dir.path(), "rules/a.md", doc);
    write(
        dir.path(),
        "rules/legacy/b.md",
        doc.replace("A Rule", "B Rule"),
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "RD301");
    assert_eq!(diags[0]["severity"], "error");
    assert_eq!(diags[0]["path"], "rules/a.md");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn inline_comments_silence_rules() {
    let dir = temp();
    write(
        dir.path(),
        "rules/a.md",
        "# A Rule (Tier 2)\n\n## Purpose\n\nP.\n\n<!-- ruledoc-disable-next-line RD301 -->\n```\nx\n```\n\n```\ny\n```\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let lines: Vec<u64> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [12]);
}

#[test]
fn fix_writes_atomically_and_is_idempotent() {
    let dir = temp();
    let seed =
        std::fs::read_to_string(crate_dir().join("tests/fixtures/async_patterns.md")).unwrap();
    let path = write(dir.path(), "rules/sub/async.md", &seed);

    let diff = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1), "changes pending");
    let text = stdout_of(&diff);
    assert!(
        text.contains("--- a/rules/sub/async.md") && text.contains("-</xai:function_call"),
        "{text}"
    );
    let safe_only = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--diff"])
        .output()
        .unwrap();
    let text = stdout_of(&safe_only);
    assert!(
        text.contains("contexts.```") && !text.contains("-</xai:function_call"),
        "--diff alone shows the safe fixes only: {text}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        seed,
        "--diff writes nothing"
    );

    // `--fix` applies the safe fix (RD207) and leaves the unsafe one (RD206).
    let fix = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--fix"])
        .output()
        .unwrap();
    assert_eq!(fix.status.code(), Some(1), "{}", stdout_of(&fix));
    assert!(
        stderr_of(&fix).contains("fixed 1 finding; 1 fixable with --fix --unsafe-fixes"),
        "{}",
        stderr_of(&fix)
    );
    let half = std::fs::read_to_string(&path).unwrap();
    assert!(half.contains("contexts.\n</xai:function_call"), "{half}");

    let fix = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(fix.status.code(), Some(0), "{}", stdout_of(&fix));
    assert!(
        stderr_of(&fix).contains("fixed 1 finding"),
        "{}",
        stderr_of(&fix)
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.ends_with("scalability in async contexts.\n"));
    assert!(!fixed.contains("xai:"));
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");

    let again = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
    let diff = ruledoc()
        .current_dir(dir.path())
        .args(["lint", "--diff"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0));
    assert!(stdout_of(&diff).is_empty());
}

#[test]
fn rules_and_explain_document_every_rule() {
    let out = ruledoc().arg("rules").output().unwrap();
    let text = stdout_of(&out);
    assert!(text.lines().count() >= 23);
    assert!(text.contains("RD202   nested-fence"), "{text}");
    let out = ruledoc().args(["explain", "RD202"]).output().unwrap();
    let text = stdout_of(&out);
    assert!(
        text.contains("# RD202 (nested-fence)") && text.contains("Use instead"),
        "{text}"
    );
    let by_name = ruledoc()
        .args(["explain", "stray-backticks"])
        .output()
        .unwrap();
    assert!(stdout_of(&by_name).contains("RD207"));
    let missing = ruledoc().args(["explain", "RD999"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
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
