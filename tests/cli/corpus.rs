//! Every file of the corpus (rule files nobody here wrote, and the other
//! files that sit beside them), through `lint`, `lint --fix`, `fmt` and
//! `parse`: no panic, exit codes 0 or 1 only, JSON that always parses.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::{crate_dir, files_under, junit_suites, ruledoc, stderr_of, stdout_of, temp};

/// Every file under `dir`, sorted, relative to `base`.
fn every_file(dir: &Path, base: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files_under(dir)
        .into_iter()
        .map(|p| dir.strip_prefix(base).unwrap().join(p))
        .collect();
    out.sort();
    out
}

fn corpus_files() -> Vec<PathBuf> {
    let files = every_file(&crate_dir().join("tests/corpus"), &crate_dir());
    assert!(
        files.len() > 1_150,
        "the corpus is missing: {} files",
        files.len()
    );
    files
}

/// The command finished by itself with 0 or 1, and did not panic.
fn sane(out: &Output, what: &str) {
    let err = stderr_of(out);
    assert!(!err.contains("panicked"), "{what} panicked:\n{err}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{what} exited with {:?}:\n{err}",
        out.status
    );
}

fn json(out: &Output, what: &str) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{what}: the JSON does not parse: {e}"))
}

#[test]
fn lint_reports_in_every_format_on_every_file() {
    let files = corpus_files();
    for format in ["json", "sarif", "human", "github", "junit"] {
        let out = ruledoc()
            .current_dir(crate_dir())
            .args(["--no-config", "lint", "--format", format])
            .args(&files)
            .output()
            .unwrap();
        let what = format!("lint --format {format}");
        sane(&out, &what);
        match format {
            "json" => {
                let v = json(&out, &what);
                let n = v["diagnostics"].as_array().expect("diagnostics").len();
                // Cursor's unquoted globs are its own syntax, not findings:
                // what is left is unclosed fences, missing languages, …
                assert!(n > 100, "{n} findings");
            }
            "sarif" => {
                let v = json(&out, &what);
                assert_eq!(v["version"], "2.1.0");
            }
            "junit" => {
                let suites = junit_suites(&stdout_of(&out));
                assert_eq!(suites[0].tests, files.len(), "a test case per file");
            }
            _ => assert!(!stdout_of(&out).is_empty()),
        }
    }
}

#[test]
fn parse_gives_json_for_every_file() {
    let files = corpus_files();
    let out = ruledoc()
        .current_dir(crate_dir())
        .args(["--no-config", "parse", "--format", "json"])
        .args(&files)
        .output()
        .unwrap();
    sane(&out, "parse");
    let v = json(&out, "parse");
    assert_eq!(v.as_array().expect("an array").len(), files.len());
    let out = ruledoc()
        .current_dir(crate_dir())
        .args(["--no-config", "parse", "--format", "yaml"])
        .args(&files[..50])
        .output()
        .unwrap();
    sane(&out, "parse --format yaml");
}

#[test]
fn fix_and_fmt_on_a_copy_are_stable() {
    let dir = temp();
    let copy = dir.path().join("corpus");
    for rel in corpus_files() {
        let to = copy.join(rel.strip_prefix("tests/corpus").unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(crate_dir().join(&rel), &to).unwrap();
    }
    let files = every_file(&copy, dir.path());
    let run = |args: &[&str]| {
        ruledoc()
            .current_dir(dir.path())
            .arg("--no-config")
            .args(args)
            .args(&files)
            .output()
            .unwrap()
    };

    // fmt --check on the untouched files, then fmt, then fmt --check: clean.
    sane(&run(&["fmt", "--check"]), "fmt --check");
    sane(&run(&["fmt"]), "fmt");
    let again = run(&["fmt", "--check"]);
    sane(&again, "fmt --check after fmt");
    assert_eq!(again.status.code(), Some(0), "{}", stdout_of(&again));
    assert!(
        !stdout_of(&again).contains("\n+"),
        "fmt changed what it had formatted:\n{}",
        stdout_of(&again)
    );

    // lint --fix, then --fix again changes nothing.
    sane(&run(&["lint", "--fix", "--format", "json"]), "lint --fix");
    let snapshot: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    sane(
        &run(&["lint", "--fix", "--format", "json"]),
        "lint --fix again",
    );
    for (f, before) in files.iter().zip(&snapshot) {
        let after = std::fs::read(dir.path().join(f)).unwrap();
        assert!(&after == before, "a second --fix changed {}", f.display());
    }
}
