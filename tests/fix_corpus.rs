//! `lint --fix --unsafe-fixes` over the real corpora (`tests/corpus/
//! cursor-mdc`, `rust-patterns`, `rust-books` and each repository of `agent-rules`) and
//! the fuzz seeds (`fuzz/seeds`) and RD202's bad fixtures, read
//! back with pulldown-cmark, a CommonMark reader of its own (the fixes are
//! written by ruledoc's). Each corpus is copied to a temporary folder, a
//! repository per top (an empty `.git` there), and fixed; then every file
//! that changed is compared with its original:
//!
//! - every heading and paragraph is where it was with the same text, unless
//!   it touches a changed line or lies in a code block whose opening fence
//!   is on a changed line (what a fence repair means to change);
//! - no more fenced code blocks are left unclosed;
//! - no backslash is added (a fix never escapes);
//! - every line keeps its line ending;
//!
//! and fixing the fixed copy again changes nothing.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Copies `from` into `to`, every file writable (the shared corpus is
/// read-only, and the copy is fixed in place).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let src = entry.unwrap().path();
        let dst = to.join(src.file_name().unwrap());
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
            let mut perm = fs::metadata(&dst).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            fs::set_permissions(&dst, perm).unwrap();
        }
    }
}

/// Every file under `dir` (`.git` aside), by path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn fix(top: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
        .args(["--no-config", "lint", "--fix", "--unsafe-fixes", "."])
        .env("RULEDOC_CACHE_DIR", "")
        .current_dir(top)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: exit {:?}\n{}",
        top.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A heading or paragraph: kind, first and last line, source text.
type Mark = (String, usize, usize, String);

/// What pulldown-cmark reads in `text`: headings and paragraphs, the line
/// spans of fenced code blocks with whether each is closed.
struct Reading {
    marks: Vec<Mark>,
    code: Vec<(usize, usize, bool)>,
}

fn read(text: &str) -> Reading {
    let line = |at: usize| text[..at].matches('\n').count() + 1;
    let options = ruledoc::parse::markdown_options();
    let mut marks = Vec::new();
    let mut code = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let Event::Start(tag) = event else { continue };
        let first = line(range.start);
        let last = line(range.end.saturating_sub(1).max(range.start));
        let raw = &text[range.clone()];
        match tag {
            Tag::Heading { level, .. } => {
                marks.push((format!("{level:?}"), first, last, raw.to_string()));
            }
            Tag::Paragraph => marks.push(("p".into(), first, last, raw.to_string())),
            Tag::CodeBlock(CodeBlockKind::Fenced(_)) => code.push((first, last, closed(raw))),
            _ => {}
        }
    }
    Reading { marks, code }
}

/// Whether a fenced block's source ends with a closing fence (CommonMark
/// 0.31.2 §4.5), container markers aside.
fn closed(raw: &str) -> bool {
    let strip = |l: &str| {
        l.trim_start_matches([' ', '\t', '>'])
            .trim_end()
            .to_string()
    };
    let lines: Vec<String> = raw
        .trim_end_matches(['\n', '\r'])
        .lines()
        .map(strip)
        .collect();
    let (Some(open), Some(close)) = (lines.first(), lines.last()) else {
        return false;
    };
    let Some(c) = open.chars().next() else {
        return false;
    };
    let len = open.chars().take_while(|&x| x == c).count();
    lines.len() > 1
        && !close.is_empty()
        && close.chars().all(|x| x == c)
        && close.chars().count() >= len
}

/// Lines with their endings (`\n`, `\r\n` or none).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The changed lines of `before` and of `after` (1-based): the lines that
/// differ when both have as many, else the lines between the common start
/// and the common end, and one on each side.
fn changed(before: &str, after: &str) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let (b, a) = (lines(before), lines(after));
    if b.len() == a.len() {
        let set: BTreeSet<usize> = (0..b.len())
            .filter(|&i| b[i] != a[i])
            .map(|i| i + 1)
            .collect();
        return (set.clone(), set);
    }
    let head = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let tail = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
        .min(b.len().min(a.len()) - head);
    // A block that ran into removed lines ends on the line before them, or
    // one that lines were inserted into starts on the line after: the lines
    // around the change count as changed on both sides.
    let around = |n: usize| (head.max(1)..=(n - tail + 1).min(n)).collect();
    (around(b.len()), around(a.len()))
}

/// Whether `mark` of one reading may be missing from the other: it touches
/// a changed line, or the other reading holds it in a code block opened on
/// a changed line.
fn meant(
    mark: &Mark,
    own: &BTreeSet<usize>,
    other: &Reading,
    other_changed: &BTreeSet<usize>,
) -> bool {
    (mark.1..=mark.2).any(|l| own.contains(&l))
        || other
            .code
            .iter()
            .any(|&(f, l, _)| other_changed.contains(&f) && f <= mark.1 && mark.2 <= l)
}

/// What is wrong with `after` as a fix of `before`, if anything.
fn problems(before: &str, after: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (cb, ca) = changed(before, after);
    // Lines after the changed ones move by the lines added or removed.
    let shift = lines(after).len() as isize - lines(before).len() as isize;
    let last_changed = cb.iter().next_back().copied().unwrap_or(0);
    let moved = |m: &Mark, by: isize| -> Mark {
        if m.1 > last_changed {
            (
                m.0.clone(),
                m.1.saturating_add_signed(by),
                m.2.saturating_add_signed(by),
                m.3.clone(),
            )
        } else {
            m.clone()
        }
    };
    let (rb, ra) = (read(before), read(after));
    for m in &rb.marks {
        if !ra.marks.contains(&moved(m, shift)) && !meant(m, &cb, &ra, &ca) {
            out.push(format!("{} on line {} is gone: {:?}", m.0, m.1, m.3.trim()));
        }
    }
    let last_changed_after = ca.iter().next_back().copied().unwrap_or(0);
    for m in &ra.marks {
        let back = if m.1 > last_changed_after {
            moved(m, -shift)
        } else {
            m.clone()
        };
        let back = (back.0, back.1, back.2, back.3);
        if !rb.marks.contains(&back) && !meant(m, &ca, &rb, &cb) {
            out.push(format!("{} on line {} is new: {:?}", m.0, m.1, m.3.trim()));
        }
    }
    let unclosed = |r: &Reading| r.code.iter().filter(|c| !c.2).count();
    if unclosed(&ra) > unclosed(&rb) {
        out.push(format!(
            "{} unclosed code blocks, {} before",
            unclosed(&ra),
            unclosed(&rb)
        ));
    }
    if after.matches('\\').count() > before.matches('\\').count() {
        out.push("a backslash was added".into());
    }
    let ending = |l: &str| {
        if l.ends_with("\r\n") {
            "crlf"
        } else if l.ends_with('\n') {
            "lf"
        } else {
            "none"
        }
    };
    let (lb, la) = (lines(before), lines(after));
    if lb.len() == la.len() {
        for (i, (x, y)) in lb.iter().zip(&la).enumerate() {
            if ending(x) != ending(y) {
                out.push(format!(
                    "line {}: {} became {}",
                    i + 1,
                    ending(x),
                    ending(y)
                ));
            }
        }
    } else {
        let kinds = |ls: &[&str]| -> BTreeSet<&'static str> {
            ls.iter()
                .filter(|l| l.ends_with('\n'))
                .map(|l| ending(l))
                .collect()
        };
        if !kinds(&la).is_subset(&kinds(&lb)) {
            out.push("a line ending of a new kind".into());
        }
    }
    out
}

#[test]
fn fixing_the_corpora_keeps_what_a_commonmark_reader_sees() {
    let tmp = tempfile::tempdir().unwrap();
    let mut tops = Vec::new();
    for name in ["cursor-mdc", "rust-patterns", "rust-books"] {
        let dst = tmp.path().join(name);
        copy_tree(&corpus().join(name), &dst);
        tops.push(dst);
    }
    let seeds = tmp.path().join("fuzz-seeds");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds"),
        &seeds,
    );
    tops.push(seeds);
    // RD202's bad fixtures: one of them is the issue's document, which the
    // old fix damaged.
    let rd202 = tmp.path().join("rd202");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/rd202/bad"),
        &rd202,
    );
    tops.push(rd202);
    let agents = corpus().join("agent-rules");
    let mut repos: Vec<PathBuf> = fs::read_dir(&agents)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    for repo in repos {
        let dst = tmp
            .path()
            .join("agent-rules")
            .join(repo.file_name().unwrap());
        copy_tree(&repo, &dst);
        tops.push(dst);
    }
    let mut report = Vec::new();
    let mut changed_files = 0;
    for top in &tops {
        fs::create_dir_all(top.join(".git")).unwrap();
        let before = files(top);
        fix(top);
        let after = files(top);
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "--fix added or removed files"
        );
        for (path, old) in &before {
            let new = &after[path];
            if old == new {
                continue;
            }
            changed_files += 1;
            let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
                report.push(format!("{}: not UTF-8 after the fix", path.display()));
                continue;
            };
            for p in problems(old, new) {
                let shown = path.strip_prefix(tmp.path()).unwrap_or(path);
                report.push(format!("{}: {p}", shown.display()));
            }
        }
        // A second run changes nothing.
        fix(top);
        let again = files(top);
        for (path, bytes) in &after {
            if again[path] != *bytes {
                report.push(format!("{}: the second --fix changed it", path.display()));
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    // The corpora hold fixable findings (RD301 languages, RD202, RD207…).
    assert!(changed_files > 0, "--fix changed nothing in the corpora");
}

#[test]
fn the_checks_catch_the_damage_of_the_old_rd202_fix() {
    // The issue's document and what the old RD202 fix made of it.
    let before = "- item:\n  ```toml\n  a = 1\n```\n\n## API\n\n```typescript\nx\n```\n\n## Files\n\n```\nsrc\n```\n";
    let after = "- item:\n  ```toml\n  a = 1\n````\n\n## API\n\n```typescript\nx\n```\n\n## Files\n\n````\nsrc\n```\n";
    let found = problems(before, after);
    assert!(found.iter().any(|p| p.contains("unclosed")), "{found:?}");
    // A fence repair that frees a heading held as code is what it means.
    let before = "```markdown\n# T\n```python\nx\n```\n```\n\n## After\n\ntext\n";
    let after = "````markdown\n# T\n```python\nx\n```\n````\n\n## After\n\ntext\n";
    assert_eq!(problems(before, after), Vec::<String>::new());
    // Line endings and escapes.
    assert!(!problems("a\r\nb\r\n", "a\r\nc\n").is_empty());
    assert!(!problems("a *b*\n", "a \\*b\\*\n").is_empty());
}
