//! RD303 (snippet-syntax-error) precision on real files: `ruledoc snippets
//! verify --no-config --format json` over each corpus of `tests/corpus/`,
//! every RD303 finding compared with a judgement made by reading the block
//! against the language's own reader (`tests/fixtures/precision/rd303.tsv`).
//!
//! A finding is keyed by corpus, path inside the corpus, the line of its
//! snippet's opening fence and the snippet's language, so a checker that
//! words or places its error differently keeps its judgement, and a block
//! that starts failing is new. The test fails on a finding judged `false`
//! that is reported (ruledoc is wrong there), on one judged `true` that is
//! no longer reported (remove the row if that is on purpose), and on any
//! finding left unjudged: those are printed as TSV lines ready to fill in.
//! It prints the precision per language.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

const CORPORA: [&str; 4] = ["agent-rules", "cursor-mdc", "rust-books", "rust-patterns"];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Corpus, path inside it, opening fence line, language.
type Key = (String, String, u64, String);

/// The RD303 findings of one corpus: key → the first message.
fn findings(corpus: &str, cache: &std::path::Path) -> BTreeMap<Key, String> {
    let dir = format!("tests/corpus/{corpus}");
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(["snippets", "verify", "--no-config", "--format", "json"])
        .arg("--cache-dir")
        .arg(cache)
        .arg(&dir)
        .current_dir(crate_dir())
        .output()
        .unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{corpus}: exit {code:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Fence lines of the snippets of each document, to place a finding.
    let mut fences: BTreeMap<&str, Vec<(u64, &str)>> = BTreeMap::new();
    for s in json["snippets"].as_array().unwrap() {
        fences
            .entry(s["path"].as_str().unwrap())
            .or_default()
            .push((s["line"].as_u64().unwrap(), s["lang"].as_str().unwrap()));
    }
    let prefix = format!("{dir}/");
    let mut found = BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        if d["code"] != "RD303" {
            continue;
        }
        let path = d["path"].as_str().unwrap();
        let line = d["line"].as_u64().unwrap();
        let (fence, lang) = fences
            .get(path)
            .and_then(|f| f.iter().filter(|(l, _)| *l <= line).max_by_key(|(l, _)| *l))
            .copied()
            .unwrap_or_else(|| panic!("{path}:{line}: an RD303 finding outside any snippet"));
        let inner = path.strip_prefix(&prefix).unwrap_or(path).to_string();
        found
            .entry((corpus.to_string(), inner, fence, lang.to_string()))
            .or_insert_with(|| d["message"].as_str().unwrap().to_string());
    }
    found
}

/// The judgements: key → (verdict, reason).
fn judgements() -> BTreeMap<Key, (bool, String)> {
    let text = fs::read_to_string(crate_dir().join("tests/fixtures/precision/rd303.tsv")).unwrap();
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("corpus\t") || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 6, "rd303.tsv line {}: six columns", n + 1);
        let verdict = match f[4] {
            "true" => true,
            "false" => false,
            other => panic!("rd303.tsv line {}: verdict `{other}`", n + 1),
        };
        let line_no: u64 = f[2].parse().expect("a line number");
        let key = (f[0].into(), f[1].into(), line_no, f[3].into());
        let previous = out.insert(key, (verdict, f[5].to_string()));
        assert!(previous.is_none(), "rd303.tsv line {}: judged twice", n + 1);
    }
    out
}

#[test]
fn rd303_findings_on_the_corpora_are_all_judged_true() {
    let cache = tempfile::tempdir().unwrap();
    let mut found = BTreeMap::new();
    for corpus in CORPORA {
        found.extend(findings(corpus, cache.path()));
    }
    let judged = judgements();

    let mut unjudged = Vec::new();
    let mut wrong = Vec::new();
    // language → (true, false or unjudged)
    let mut per_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (key, message) in &found {
        let counts = per_lang.entry(key.3.to_ascii_lowercase()).or_default();
        match judged.get(key) {
            Some((true, _)) => counts.0 += 1,
            Some((false, why)) => {
                counts.1 += 1;
                wrong.push(format!(
                    "{}/{}:{} [{}] {message} (judged false: {why})",
                    key.0, key.1, key.2, key.3
                ));
            }
            None => {
                counts.1 += 1;
                unjudged.push(format!(
                    "{}\t{}\t{}\t{}\t?\t{message}",
                    key.0, key.1, key.2, key.3
                ));
            }
        }
    }
    let lost: Vec<String> = judged
        .iter()
        .filter(|(key, (verdict, _))| *verdict && !found.contains_key(*key))
        .map(|(k, (_, why))| format!("{}/{}:{} [{}] ({why})", k.0, k.1, k.2, k.3))
        .collect();

    eprintln!("RD303 precision on tests/corpus (true / reported):");
    let (mut all_true, mut all) = (0, 0);
    for (lang, (t, other)) in &per_lang {
        eprintln!(
            "  {lang:<8} {t:>4} / {:<4} {:.1}%",
            t + other,
            100.0 * *t as f64 / (t + other) as f64
        );
        all_true += t;
        all += t + other;
    }
    if all > 0 {
        eprintln!(
            "  {:<8} {all_true:>4} / {all:<4} {:.1}%",
            "all",
            100.0 * all_true as f64 / all as f64
        );
    }

    let mut failure = String::new();
    if !wrong.is_empty() {
        failure += &format!(
            "\nfindings judged false are reported again:\n  {}\n",
            wrong.join("\n  ")
        );
    }
    if !unjudged.is_empty() {
        failure += &format!(
            "\nfindings not in tests/fixtures/precision/rd303.tsv (judge them: true or false, and why):\n{}\n",
            unjudged.join("\n")
        );
    }
    if !lost.is_empty() {
        failure += &format!(
            "\nfindings judged true are no longer reported (remove the row if that is on purpose):\n  {}\n",
            lost.join("\n  ")
        );
    }
    assert!(failure.is_empty(), "{failure}");
}
