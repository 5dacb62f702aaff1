//! rustdoc is the reader of a Rust block: for every block of the fixtures
//! in `tests/fixtures/snippets/rustdoc/`, ruledoc's compile verdict must be
//! the one `rustdoc --test --no-run` gives (rustdoc from the same toolchain;
//! `RUSTC_BOOTSTRAP=1` for `--no-run`, which is unstable, on both sides).

#![allow(unused_crate_dependencies)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snippets/rustdoc");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// rustdoc's verdict per opening-fence line: `true` when the test passed.
fn rustdoc_verdicts(file: &Path, scratch: &Path) -> BTreeMap<usize, bool> {
    let out = Command::new("rustdoc")
        .args([
            "--test",
            "--edition",
            "2021",
            "-Z",
            "unstable-options",
            "--no-run",
        ])
        .arg(file)
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(scratch)
        .output()
        .expect("rustdoc runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut verdicts = BTreeMap::new();
    for line in stdout.lines().filter(|l| l.starts_with("test ")) {
        let Some(at) = line.rfind("(line ") else {
            continue;
        };
        let n: usize = line[at + 6..]
            .split(')')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a line number");
        verdicts.insert(n, line.ends_with("... ok"));
    }
    assert!(!verdicts.is_empty(), "rustdoc gave no verdicts:\n{stdout}");
    verdicts
}

/// ruledoc's verdict per opening-fence line, from its JUnit report, and
/// the reason it gave for each failure.
fn ruledoc_verdicts(file: &Path, scratch: &Path) -> BTreeMap<usize, (bool, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(["snippets", "verify", "--no-config", "--format", "junit"])
        .arg(file)
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(scratch)
        .output()
        .expect("ruledoc runs");
    let xml = String::from_utf8_lossy(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("line").is_some())
        .map(|n| {
            let line = n.attribute("line").unwrap().parse().unwrap();
            let failure = n
                .children()
                .find(|c| c.has_tag_name("failure"))
                .and_then(|f| f.attribute("message"))
                .map(str::to_string);
            (line, (failure.is_none(), failure.unwrap_or_default()))
        })
        .collect()
}

#[test]
fn every_block_gets_rustdocs_compile_verdict() {
    if Command::new("rustdoc").arg("-V").output().is_err() {
        panic!("rustdoc is not on PATH: it is the reference these tests compare with");
    }
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for file in fixtures() {
        let scratch = tempfile::tempdir().unwrap();
        let theirs = rustdoc_verdicts(&file, scratch.path());
        let ours = ruledoc_verdicts(&file, scratch.path());
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (line, passed) in &theirs {
            compared += 1;
            match ours.get(line) {
                Some((p, _)) if p == passed => {}
                Some((p, why)) => disagreements.push(format!(
                    "{name}:{line}: rustdoc {}, ruledoc {} {why}",
                    verdict(*passed),
                    verdict(*p)
                )),
                None => disagreements.push(format!("{name}:{line}: ruledoc did not check it")),
            }
        }
        for line in ours.keys().filter(|l| !theirs.contains_key(l)) {
            disagreements.push(format!("{name}:{line}: rustdoc does not test it"));
        }
    }
    assert!(compared >= 25, "only {compared} blocks compared");
    assert!(
        disagreements.is_empty(),
        "{} of {compared} blocks disagree with rustdoc:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

fn verdict(passed: bool) -> &'static str {
    if passed { "passes" } else { "fails" }
}
