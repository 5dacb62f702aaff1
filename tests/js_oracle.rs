//! JavaScript and TypeScript snippets against TypeScript's own parser: every
//! JS/TS/JSX/TSX snippet of the corpora (`tests/corpus/*`) and the fixtures
//! that TypeScript reads without a syntax error, as a whole file with the
//! extension its label names, must pass `ruledoc snippets verify`. ruledoc
//! also accepts fragments TypeScript rejects (a method without its class);
//! those are counted, not failed.
//!
//! TypeScript (`tests/oracle/`, `npm ci --prefix tests/oracle`) runs once
//! for all snippets, in node (`tests/oracle/typescript.js`). Without node or
//! the package the test fails, saying what to install; with
//! `RULEDOC_SKIP_ORACLES=1` it says so and passes.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// TypeScript's script kind for a fence language, as the file extension
/// that picks it; `None` for other languages.
fn extension(lang: &str) -> Option<&'static str> {
    Some(match lang.to_ascii_lowercase().as_str() {
        "js" | "javascript" => "js",
        "jsx" => "jsx",
        "mjs" => "mjs",
        "cjs" => "cjs",
        "ts" | "typescript" => "ts",
        "tsx" => "tsx",
        _ => return None,
    })
}

/// A JS/TS snippet as `snippets extract` gives it.
struct Snippet {
    source: String,
    line: u64,
    lang: String,
    code: String,
}

fn ruledoc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("ruledoc runs")
}

/// Every closed JS/TS block of the documents under `folder`.
fn snippets(folder: &str, tmp: &Path) -> Vec<Snippet> {
    let out = tmp.join("extract").join(folder.replace('/', "_"));
    let run = ruledoc(&[
        "snippets",
        "extract",
        "--no-config",
        "-q",
        "--out",
        out.to_str().unwrap(),
        folder,
    ]);
    assert!(
        run.status.success() || run.status.code() == Some(1),
        "snippets extract {folder}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let manifest: Vec<Value> =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    manifest
        .iter()
        .filter(|e| extension(e["lang"].as_str().unwrap()).is_some())
        .map(|e| Snippet {
            source: e["source"].as_str().unwrap().to_string(),
            line: e["line"].as_u64().unwrap(),
            lang: e["lang"].as_str().unwrap().to_string(),
            code: fs::read_to_string(out.join(e["file"].as_str().unwrap())).unwrap(),
        })
        .collect()
}

/// TypeScript's syntax errors for each snippet (empty: it parses), or why
/// TypeScript could not run.
fn typescript(snippets: &[Snippet]) -> Result<Vec<Vec<Value>>, String> {
    let package = root().join("tests/oracle/node_modules/typescript/package.json");
    if !package.exists() {
        return Err("TypeScript is not installed: run `npm ci --prefix tests/oracle`".into());
    }
    let input: Vec<Value> = snippets
        .iter()
        .map(
            |s| json!({"name": format!("snippet.{}", extension(&s.lang).unwrap()), "text": s.code}),
        )
        .collect();
    let mut child = Command::new("node")
        .arg(root().join("tests/oracle/typescript.js"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("node could not be started ({e}): install Node.js 18 or later"))?;
    let mut stdin = child.stdin.take().unwrap();
    let body = serde_json::to_vec(&input).unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    if !output.status.success() {
        return Err(format!(
            "tests/oracle/typescript.js failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).map_err(|e| format!("typescript.js output: {e}"))
}

/// The longest run of backticks in `code`, plus one (at least three).
fn fence(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

/// ruledoc's verdict on each snippet: whether `snippets verify` reported it.
/// Each snippet becomes a document of its own, with its label and code.
fn ruledoc_rejects(snippets: &[Snippet], tmp: &Path) -> Vec<Option<String>> {
    let docs = tmp.join("docs");
    fs::create_dir_all(&docs).unwrap();
    for (i, s) in snippets.iter().enumerate() {
        let f = fence(&s.code);
        let body = format!("# Snippet\n\n{f}{}\n{}{f}\n", s.lang, s.code);
        fs::write(docs.join(format!("{i}.md")), body).unwrap();
    }
    let cache = tmp.join("cache");
    let run = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(["snippets", "verify", "--no-config", "--format", "json"])
        .arg("--cache-dir")
        .arg(&cache)
        .arg(".")
        .current_dir(&docs)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "snippets verify: {e}: {}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    let mut failed: HashMap<String, String> = HashMap::new();
    for s in report["snippets"].as_array().unwrap() {
        if s["status"] == "failed" {
            let path = s["path"].as_str().unwrap().trim_start_matches("./");
            failed.insert(path.to_string(), s["detail"].to_string());
        }
    }
    let checked = report["snippets"].as_array().unwrap().len();
    assert_eq!(checked, snippets.len(), "every snippet is checked");
    (0..snippets.len())
        .map(|i| failed.remove(&format!("{i}.md")))
        .collect()
}

#[test]
fn every_snippet_typescript_parses_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for folder in [
        "tests/corpus/cursor-mdc",
        "tests/corpus/agent-rules",
        "tests/corpus/rust-patterns",
        "tests/corpus/rust-books",
        "tests/fixtures",
    ] {
        all.extend(snippets(folder, tmp.path()));
    }
    assert!(all.len() > 1000, "only {} JS/TS snippets found", all.len());
    let verdicts = match typescript(&all) {
        Ok(v) => v,
        Err(why) if std::env::var_os("RULEDOC_SKIP_ORACLES").is_some_and(|v| v == "1") => {
            eprintln!("skipped (RULEDOC_SKIP_ORACLES=1): {why}");
            return;
        }
        Err(why) => panic!("{why} (or set RULEDOC_SKIP_ORACLES=1 to skip this test)"),
    };
    assert_eq!(verdicts.len(), all.len());
    let rejects = ruledoc_rejects(&all, tmp.path());
    let (mut both_accept, mut fragments, mut both_reject) = (0, 0, 0);
    let mut wrong = Vec::new();
    for ((s, ts), ours) in all.iter().zip(&verdicts).zip(&rejects) {
        match (ts.is_empty(), ours) {
            (true, None) => both_accept += 1,
            (true, Some(why)) => wrong.push(format!("{}:{} ({}): {why}", s.source, s.line, s.lang)),
            (false, None) => fragments += 1,
            (false, Some(_)) => both_reject += 1,
        }
    }
    eprintln!(
        "{} JS/TS snippets: both accept {both_accept}, TypeScript rejects and ruledoc \
         accepts (fragments) {fragments}, both reject {both_reject}, ruledoc rejects what \
         TypeScript accepts {}",
        all.len(),
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "ruledoc reports snippets TypeScript parses:\n{}",
        wrong.join("\n")
    );
}
