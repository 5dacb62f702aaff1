//! Precision on real files: `ruledoc --no-config lint . --format json` over
//! every repository of `tests/corpus/agent-rules/` (rule files from 16 public
//! repositories, see its `SOURCES.md`), each finding compared with a
//! judgement made by reading the file (`tests/fixtures/precision/
//! judgements.tsv`). A finding judged `false` is a ruledoc bug: the file does
//! not have that problem for the agent (or the CommonMark reader) that reads
//! it.
//!
//! The corpus is a copy, so the test first rebuilds what the real
//! repositories had:
//! - each `OWNER+NAME/` folder becomes a repository (a `.git` folder at its
//!   top, which is how ruledoc finds a repository's top);
//! - the 37 symlinks, which the copy holds as plain files whose text is the
//!   link target, become symlinks again;
//! - every file a rule file links to that exists upstream but was not copied
//!   (source files, locales, skills…) is created empty, from
//!   `tests/fixtures/precision/upstream-files.txt`, so that only links that
//!   are broken upstream stay broken.
//!
//! The test fails on a `false` judgement that is reported, on a `true` one
//! that is not, and on any finding left unjudged; it prints the unjudged
//! ones as TSV lines ready to fill in, and a per-code table.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]
#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Symlinks in the corpus (SOURCES.md: OpenDataCapture 30, pgmob 7).
const SYMLINKS: usize = 37;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    crate_dir().join("tests/corpus/agent-rules")
}

fn fixtures() -> PathBuf {
    crate_dir().join("tests/fixtures/precision")
}

/// What the copy holds instead of a symlink: a file whose whole text (no
/// line ending) is a relative path to another file of the corpus. Returns
/// that path.
fn link_stand_in(corpus_file: &Path) -> Option<String> {
    let meta = fs::metadata(corpus_file).ok()?;
    if meta.len() > 255 {
        return None;
    }
    let text = fs::read_to_string(corpus_file).ok()?;
    if text.is_empty() || text.contains(['\n', '\r', ' ', '\t']) || text.starts_with(['/', '@']) {
        return None;
    }
    let target = corpus_file.parent()?.join(&text);
    target.is_file().then_some(text)
}

/// Copies `from` into `to`, turning symlink stand-ins back into symlinks;
/// returns how many it made.
fn copy_tree(from: &Path, to: &Path) -> usize {
    fs::create_dir_all(to).unwrap();
    let mut links = 0;
    let mut entries: Vec<_> = fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for src in entries {
        let dst = to.join(src.file_name().unwrap());
        if src.is_dir() {
            links += copy_tree(&src, &dst);
        } else if let Some(target) = link_stand_in(&src) {
            std::os::unix::fs::symlink(&target, &dst).unwrap();
            links += 1;
        } else {
            fs::copy(&src, &dst).unwrap();
            // The shared corpus is read-only; the copy must not be, or the
            // temporary folder cannot be removed.
            let mut perm = fs::metadata(&dst).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            fs::set_permissions(&dst, perm).unwrap();
        }
    }
    links
}

/// `upstream-files.txt`: repository → paths (a trailing `/` is a folder).
fn upstream_files() -> BTreeMap<String, Vec<String>> {
    let text = fs::read_to_string(fixtures().join("upstream-files.txt")).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut repo: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let (name, commit) = rest.split_once(']').expect("`[OWNER+NAME] commit`");
            assert_eq!(commit.trim().len(), 40, "full commit after [{name}]");
            repo = Some(name.to_string());
            continue;
        }
        let repo = repo.clone().expect("a path before any [OWNER+NAME] line");
        out.entry(repo).or_default().push(line.to_string());
    }
    out
}

/// The corpus as the real repositories had it, in a temporary folder.
fn rebuild() -> (tempfile::TempDir, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let mut repos = Vec::new();
    let mut links = 0;
    for entry in fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue; // SOURCES.md
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let dst = tmp.path().join(&name);
        links += copy_tree(&path, &dst);
        fs::create_dir(dst.join(".git")).unwrap();
        repos.push(name);
    }
    repos.sort();
    assert_eq!(repos.len(), 16, "the corpus holds 16 repositories");
    assert_eq!(links, SYMLINKS, "symlink stand-ins found in the corpus");
    for (repo, paths) in upstream_files() {
        let top = tmp.path().join(&repo);
        assert!(top.is_dir(), "upstream-files.txt: no repository {repo}");
        for p in paths {
            let at = top.join(&p);
            assert!(
                !at.exists() || p.ends_with('/'),
                "upstream-files.txt: {repo}/{p} is already in the corpus"
            );
            if p.ends_with('/') {
                fs::create_dir_all(&at).unwrap();
            } else {
                fs::create_dir_all(at.parent().unwrap()).unwrap();
                fs::write(&at, "").unwrap();
            }
        }
    }
    (tmp, repos)
}

/// Where a finding is: repository, path, line, code.
type Key = (String, String, u64, String);

#[derive(Debug)]
struct Finding {
    key: Key,
    column: u64,
    message: String,
}

fn lint(top: &Path, repo: &str) -> Vec<Finding> {
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(["--no-config", "lint", ".", "--format", "json"])
        .current_dir(top.join(repo))
        .output()
        .unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{repo}: exit {code:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Finding {
            key: (
                repo.to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            ),
            column: d["column"].as_u64().unwrap(),
            message: d["message"].as_str().unwrap().to_string(),
        })
        .collect()
}

#[derive(Debug)]
struct Judgement {
    verdict: bool,
    why: String,
    row: usize,
}

/// `judgements.tsv`: per key, the judgements in file order (several findings
/// can share a line and a code; the n-th row of a key judges the n-th such
/// finding by column).
fn judgements() -> BTreeMap<Key, Vec<Judgement>> {
    let text = fs::read_to_string(fixtures().join("judgements.tsv")).unwrap();
    let mut out: BTreeMap<Key, Vec<Judgement>> = BTreeMap::new();
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().expect("a header row");
    assert_eq!(header, "repo\tpath\tline\tcode\tverdict\twhy");
    for (i, line) in lines {
        let row = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "judgements.tsv:{row}: six columns");
        let verdict = match cols[4] {
            "true" => true,
            "false" => false,
            v => panic!("judgements.tsv:{row}: verdict `{v}` is neither true nor false"),
        };
        assert!(!cols[5].trim().is_empty(), "judgements.tsv:{row}: say why");
        let key = (
            cols[0].to_string(),
            cols[1].to_string(),
            cols[2].parse().expect("a line number"),
            cols[3].to_string(),
        );
        out.entry(key).or_default().push(Judgement {
            verdict,
            why: cols[5].to_string(),
            row,
        });
    }
    out
}

#[derive(Default)]
struct Count {
    reported: usize,
    judged_true: usize,
    judged_false: usize,
    unjudged: usize,
    missed: usize,
}

#[test]
fn findings_on_real_files_match_the_judgements() {
    let (tmp, repos) = rebuild();
    let mut found: BTreeMap<Key, Vec<Finding>> = BTreeMap::new();
    for repo in &repos {
        for f in lint(tmp.path(), repo) {
            found.entry(f.key.clone()).or_default().push(f);
        }
    }
    for fs in found.values_mut() {
        fs.sort_by_key(|f| f.column);
    }
    let judged = judgements();

    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    let mut false_found = Vec::new();
    let mut missed = Vec::new();
    let mut unjudged = Vec::new();
    let keys: BTreeSet<&Key> = found.keys().chain(judged.keys()).collect();
    for key in keys {
        let fs = found.get(key).map_or(&[][..], Vec::as_slice);
        let js = judged.get(key).map_or(&[][..], Vec::as_slice);
        let count = counts.entry(key.3.clone()).or_default();
        count.reported += fs.len();
        let (repo, path, line, code) = key;
        for (i, f) in fs.iter().enumerate() {
            match js.get(i) {
                Some(j) if j.verdict => count.judged_true += 1,
                Some(j) => {
                    count.judged_false += 1;
                    false_found.push(format!(
                        "{repo}/{path}:{line}:{} {code} {}\n    judged false (judgements.tsv:{}): {}",
                        f.column, f.message, j.row, j.why
                    ));
                }
                None => {
                    count.unjudged += 1;
                    unjudged.push(format!("{repo}\t{path}\t{line}\t{code}\t\t{}", f.message));
                }
            }
        }
        for j in js.iter().skip(fs.len()).filter(|j| j.verdict) {
            count.missed += 1;
            missed.push(format!(
                "{repo}/{path}:{line} {code} (judgements.tsv:{}): {}",
                j.row, j.why
            ));
        }
    }

    println!("code   reported  true  false  unjudged  missed");
    let mut total = Count::default();
    for (code, c) in &counts {
        println!(
            "{code:<6} {:>8} {:>5} {:>6} {:>9} {:>7}",
            c.reported, c.judged_true, c.judged_false, c.unjudged, c.missed
        );
        total.reported += c.reported;
        total.judged_true += c.judged_true;
        total.judged_false += c.judged_false;
        total.unjudged += c.unjudged;
        total.missed += c.missed;
    }
    println!(
        "total  {:>8} {:>5} {:>6} {:>9} {:>7}",
        total.reported, total.judged_true, total.judged_false, total.unjudged, total.missed
    );

    let mut failures = String::new();
    if !false_found.is_empty() {
        failures += &format!(
            "\n{} finding(s) judged false were reported:\n{}\n",
            false_found.len(),
            false_found.join("\n")
        );
    }
    if !missed.is_empty() {
        failures += &format!(
            "\n{} finding(s) judged true were not reported:\n{}\n",
            missed.len(),
            missed.join("\n")
        );
    }
    if !unjudged.is_empty() {
        failures += &format!(
            "\n{} finding(s) have no judgement; fill in verdict and why (the last \
             column holds the message) and add them to judgements.tsv:\n{}\n",
            unjudged.len(),
            unjudged.join("\n")
        );
    }
    assert!(failures.is_empty(), "{failures}");
}
