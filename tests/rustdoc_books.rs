//! ruledoc's Rust verdicts against rustdoc's, block by block, on three public
//! mdBooks (`tests/corpus/rust-books/`, see its README): every block rustdoc
//! 1.95 tests as Rust has a row in `NAME.verdicts.tsv` with its
//! `compile_verdict` (`rustdoc --test --no-run`, `RUSTC_BOOTSTRAP=1`), and
//! ruledoc must give the same: `passed` for `pass`, `failed` for `fail`,
//! `skipped` for `ignored` (for a `compile_fail` block `pass` means it failed
//! to compile, as required). Every block ruledoc checks as Rust must have a
//! row, except the blocks holding an mdBook `{{#include}}` that the reference
//! left out (`# skipped` in the TSV header): any verdict is accepted there,
//! and printed.
//!
//! Needs `rustc` (the reference is 1.95.0); runs `ruledoc snippets verify`
//! with a fresh cache.

// Integration tests link every dependency of the package; only the library
// crate's `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A reference row: rustdoc's compile verdict and the info string.
struct Row {
    verdict: String,
    attributes: String,
}

/// A block: its file under `src/` and its fence line.
type Block = (String, usize);

/// The rows of `NAME.verdicts.tsv` by block, and the blocks it lists as
/// skipped.
fn reference(name: &str) -> (BTreeMap<Block, Row>, BTreeSet<Block>) {
    let path = crate_dir().join(format!("tests/corpus/rust-books/{name}.verdicts.tsv"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rows = BTreeMap::new();
    let mut skipped = BTreeSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# skipped ") {
            let place = rest.split(' ').next().unwrap();
            let (file, at) = place.rsplit_once(':').unwrap();
            skipped.insert((file.to_string(), at.parse().unwrap()));
            continue;
        }
        if line.starts_with('#') || line.starts_with("file\t") || line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{}: {line}", path.display());
        rows.insert(
            (cols[0].to_string(), cols[1].parse().unwrap()),
            Row {
                verdict: cols[2].to_string(),
                attributes: cols[4].to_string(),
            },
        );
    }
    assert!(!rows.is_empty(), "{}", path.display());
    (rows, skipped)
}

/// ruledoc's Rust verdicts on the book `name`, by (file under `src/`, fence
/// line): status and detail.
///
/// The reference verdicts were made with `--edition 2021` for the books whose
/// `book.toml` sets none (where `mdbook test` would pass none, which means
/// 2015): the configuration says 2021 as they did.
fn ours(name: &str, cache: &Path) -> BTreeMap<Block, (String, String)> {
    let book = format!("tests/corpus/rust-books/{name}");
    let config = cache.join(format!("{name}.ruledoc.toml"));
    std::fs::write(&config, "[snippets.rust]\nedition = \"2021\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .current_dir(crate_dir())
        .env("RUSTC_BOOTSTRAP", "1")
        .arg("--cache-dir")
        .arg(cache)
        .arg("--config")
        .arg(&config)
        .args(["snippets", "verify", "--format", "json", &book])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let prefix = format!("{book}/src/");
    let mut found = BTreeMap::new();
    for s in json["snippets"].as_array().unwrap() {
        if s["lang"] != "rust" {
            continue;
        }
        let path = s["path"].as_str().unwrap();
        let file = path.strip_prefix(&prefix).unwrap_or(path).to_string();
        let line = s["line"].as_u64().unwrap() as usize;
        let status = s["status"].as_str().unwrap().to_string();
        let detail = s["detail"].as_str().unwrap_or("").to_string();
        found.insert((file, line), (status, detail));
    }
    found
}

/// rustdoc's word for a ruledoc status.
fn as_rustdoc(status: &str) -> &str {
    match status {
        "passed" => "pass",
        "failed" => "fail",
        "skipped" => "ignored",
        other => other,
    }
}

#[test]
fn rust_verdicts_match_rustdoc_block_by_block() {
    let cache = tempfile::tempdir().unwrap();
    let mut table = Vec::new();
    let mut unreferenced = Vec::new();
    let mut compared = 0;
    for name in ["nomicon", "async-book", "too-many-lists"] {
        let (rows, skipped) = reference(name);
        let found = ours(name, cache.path());
        for ((file, line), row) in &rows {
            compared += 1;
            let (status, detail) = found
                .get(&(file.clone(), *line))
                .map(|(s, d)| (as_rustdoc(s), d.as_str()))
                .unwrap_or(("not checked as Rust", ""));
            if status != row.verdict {
                table.push(format!(
                    "{name}/{file}:{line}\t{}\t{status}\t{}\t{detail}",
                    row.attributes, row.verdict
                ));
            }
        }
        for ((file, line), (status, detail)) in &found {
            let key = (file.clone(), *line);
            if rows.contains_key(&key) {
                continue;
            }
            if skipped.contains(&key) {
                unreferenced.push(format!("{name}/{file}:{line}\t{status}\t{detail}"));
            } else {
                table.push(format!(
                    "{name}/{file}:{line}\t?\t{}\tnot Rust for rustdoc\t{detail}",
                    as_rustdoc(status)
                ));
            }
        }
    }
    assert!(compared > 500, "{compared} rows");
    eprintln!(
        "include blocks with no reference verdict ({}):\n{}",
        unreferenced.len(),
        unreferenced.join("\n")
    );
    assert!(
        table.is_empty(),
        "{} disagreements with rustdoc:\nblock\tattributes\truledoc\trustdoc\truledoc's message\n{}",
        table.len(),
        table.join("\n")
    );
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A chapter read as `mdbook test` reads it. The verdicts of the blocks
/// before the includes are rustdoc 1.95's (`rustdoc --test --edition 2021
/// ch.md`: line 3 ok; lines 8, 10 and 26 FAILED; the others not tested).
#[test]
fn an_mdbook_chapter_is_read_as_rustdoc_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[rust]\nedition = \"2021\"\n",
    );
    write(
        root,
        "src/ch.md",
        "# Chapter\n\n    let x: u32 = 1;\n    assert_eq!(x, 1);\n\nProse.\n\n    let y: u32 = \"no\";\n\n\
         ```\nlet z: u8 = 300u16;\n```\n\n```rs\nlet broken: u8 = \"x\";\n```\n\n\
         ```rust,editable,no_run\nlet broken: u8 = \"x\";\n```\n\n```no-run\nlet broken: u8 = \"x\";\n```\n\n\
         ```edition2018\nlet async = 1;\n```\n\n\
         ```rust\n{{#include ../code/f.rs:2}}\nassert_eq!(two(), 2);\n```\n\n\
         ```rust\n{{#rustdoc_include ../code/f.rs:bad}}\n```\n\n\
         ```rust\n{{#include missing.rs}}\n```\n",
    );
    write(
        root,
        "code/f.rs",
        "// f\nfn two() -> u32 { 2 }\n// ANCHOR: bad\nfn bad() -> u32 { \"x\" }\n// ANCHOR_END: bad\n",
    );
    // Beside book.toml but outside `src`: no chapter, a bare fence is not Rust.
    write(
        root,
        "README.md",
        "# Repo\n\n```\nlet z: u8 = 300u16;\n```\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .current_dir(root)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["snippets", "verify", "--no-config", "--format", "json", "."])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, u64, String)> = json["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["lang"] == "rust")
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["line"].as_u64().unwrap(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        (3, "passed"),
        (8, "failed"),
        (10, "failed"),
        (26, "failed"),
        (30, "passed"),
        (35, "failed"),
        (39, "failed"),
    ];
    let want: Vec<(String, u64, String)> = want
        .iter()
        .map(|(l, s)| ("src/ch.md".to_string(), *l, s.to_string()))
        .collect();
    assert_eq!(got, want, "{json:#}");
    // The missing file is reported at its directive.
    let diags = json["diagnostics"].as_array().unwrap();
    let missing = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("missing.rs"))
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(missing["line"], 40, "{missing:#}");
    assert_eq!(missing["code"], "RD303");
}

/// rustdoc's verdict per line of a Markdown file (`rustdoc --test --no-run`,
/// edition 2021): `ok`, `FAILED` or `ignored`.
fn rustdoc_verdicts(file: &Path) -> BTreeMap<u64, String> {
    let scratch = tempfile::tempdir().unwrap();
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
        .current_dir(scratch.path())
        .output()
        .expect("rustdoc is on PATH: it is the reference");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut verdicts = BTreeMap::new();
    for line in stdout.lines().filter(|l| l.starts_with("test ")) {
        let Some(at) = line.rfind("(line ") else {
            continue;
        };
        let n = line[at + 6..].split(')').next().unwrap().parse().unwrap();
        let verdict = line.rsplit(' ').next().unwrap().to_string();
        verdicts.insert(n, verdict);
    }
    verdicts
}

/// Which blocks are Rust, and which are ignored, for every info string
/// below, as rustdoc (run here) decides: the same blocks are checked by
/// ruledoc, with the same outcome. In an mdBook chapter, so that a bare
/// fence is Rust for both.
#[test]
fn info_strings_are_read_as_rustdoc_reads_them() {
    let infos = [
        "",
        "rust",
        "rs",
        "Rust",
        "no_run",
        "ignore",
        "ignore-windows",
        "ignore-linux",
        "should_panic",
        "compile_fail",
        "standalone_crate",
        "edition2018",
        "edition2030",
        "E0308",
        "rust,editable",
        "rust,editable,no_run",
        "rust,ignore,editable",
        "rust ,ignore",
        "text,no_run",
        "no-run",
        "norun",
        "rust,norun",
        "rust2021",
        "custom",
        "rust,custom",
        "{.rust}",
        "rust{.x}",
        "python{.x}",
        "rust (a comment)",
        "rust,(unclosed",
        "\"rust\"",
        "rust;x",
        "rust title=\"x\"",
        "{class=x}",
        "{.x",
        "run",
        "rust,run",
        "python",
    ];
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "book.toml", "[book]\ntitle = \"T\"\n");
    let mut chapter = String::from("# Info strings\n\n");
    let mut lines = BTreeMap::new();
    for info in infos {
        lines.insert(chapter.lines().count() as u64 + 1, info);
        chapter.push_str(&format!(
            "```{info}\nfn _f() {{ let _x: u8 = 1; }}\n```\n\n"
        ));
    }
    write(root, "src/ch.md", &chapter);
    let theirs = rustdoc_verdicts(&root.join("src/ch.md"));
    assert!(theirs.len() > 15, "{theirs:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .arg("--cache-dir")
        .arg(cache.path())
        .args([
            "snippets",
            "verify",
            "--no-config",
            "--format",
            "json",
            "src",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours: BTreeMap<u64, String> = json["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["lang"] == "rust")
        .map(|s| {
            let status = match s["status"].as_str().unwrap() {
                "passed" => "ok",
                "failed" => "FAILED",
                "skipped" => "ignored",
                other => other,
            };
            (s["line"].as_u64().unwrap(), status.to_string())
        })
        .collect();
    let mut wrong = Vec::new();
    for (line, info) in &lines {
        let (t, o) = (theirs.get(line), ours.get(line));
        if t != o {
            wrong.push(format!("```{info}: rustdoc {t:?}, ruledoc {o:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every block of the fixtures in `tests/fixtures/snippets/rustdoc/`
/// (programs, crate attributes, `compile_fail` codes, `test_harness`…) gets
/// the compile verdict rustdoc gives it, block by block.
#[test]
fn every_fixture_block_gets_rustdocs_compile_verdict() {
    let dir = crate_dir().join("tests/fixtures/snippets/rustdoc");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for file in files {
        let theirs = rustdoc_verdicts(&file);
        assert!(
            !theirs.is_empty(),
            "rustdoc gave no verdicts on {}",
            file.display()
        );
        let ours = junit_verdicts(&file);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (line, verdict) in &theirs {
            compared += 1;
            let passed = verdict == "ok";
            match ours.get(line) {
                Some((p, _)) if *p == passed => {}
                Some((p, why)) => disagreements.push(format!(
                    "{name}:{line}: rustdoc {verdict}, ruledoc {} {why}",
                    if *p { "passes" } else { "fails" }
                )),
                None => disagreements.push(format!("{name}:{line}: ruledoc did not check it")),
            }
        }
        for line in ours.keys().filter(|l| !theirs.contains_key(l)) {
            disagreements.push(format!("{name}:{line}: rustdoc does not test it"));
        }
    }
    assert!(compared >= 40, "only {compared} blocks compared");
    assert!(
        disagreements.is_empty(),
        "{} of {compared} blocks disagree with rustdoc:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// ruledoc's verdict per opening-fence line of `file`, from its JUnit
/// report: passed or not, and the reason it gave for a failure.
fn junit_verdicts(file: &Path) -> BTreeMap<u64, (bool, String)> {
    let scratch = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(["snippets", "verify", "--no-config", "--format", "junit"])
        .arg(file)
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(scratch.path())
        .output()
        .unwrap();
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
