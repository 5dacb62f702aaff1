//! CLI tests: the real binary, run on fixtures and temporary folders.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

mod bad_input;
mod check;
mod containment;
mod corpus;
mod data_snippets;
mod discover;
mod formats;
mod init;
mod limits;
mod lint;
mod parse;
mod render;
mod snippets;
mod targets;
mod watch;

use std::path::{Path, PathBuf};

pub fn ruledoc() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ruledoc"));
    cmd.env_remove("RULEDOC_CACHE_DIR").env("NO_COLOR", "1");
    cmd
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Write `content` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A JUnit suite's name and counts.
#[derive(Debug, PartialEq, Eq)]
pub struct JunitSuite {
    pub name: String,
    pub tests: usize,
    pub failures: usize,
    pub skipped: usize,
}

/// The suites of a JUnit report, read by roxmltree (not the crate that wrote
/// it), after checking what CI systems rely on: each suite counts its test
/// cases, the root's totals are the sums over the suites, and no attribute
/// carries the clock or the machine (timestamp, time, hostname, id).
pub fn junit_suites(xml: &str) -> Vec<JunitSuite> {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
    fn elements<'a, 'i>(
        n: roxmltree::Node<'a, 'i>,
        tag: &'static str,
    ) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
        n.children().filter(move |c| c.has_tag_name(tag))
    }
    fn count(n: roxmltree::Node, attribute: &str) -> usize {
        let v = n.attribute(attribute);
        v.unwrap_or_else(|| panic!("no {attribute} in {n:?}"))
            .parse()
            .unwrap()
    }
    for n in doc.descendants() {
        for a in n.attributes() {
            assert!(
                !["timestamp", "time", "hostname", "uuid", "id"].contains(&a.name()),
                "{a:?} in {n:?}"
            );
        }
    }
    let root = doc.root_element();
    assert!(root.has_tag_name("testsuites"), "{xml}");
    let mut suites = Vec::new();
    const TOTALS: [&str; 4] = ["tests", "failures", "errors", "skipped"];
    let mut sums = [0; 4];
    for suite in elements(root, "testsuite") {
        let with = |tag| {
            elements(suite, "testcase")
                .filter(|c| elements(*c, tag).next().is_some())
                .count()
        };
        let counts = [
            elements(suite, "testcase").count(),
            with("failure"),
            with("error"),
            with("skipped"),
        ];
        for (i, attribute) in TOTALS.iter().enumerate() {
            assert_eq!(
                count(suite, attribute),
                counts[i],
                "{attribute} of {suite:?}"
            );
            sums[i] += counts[i];
        }
        suites.push(JunitSuite {
            name: suite.attribute("name").unwrap_or_default().to_string(),
            tests: counts[0],
            failures: counts[1],
            skipped: counts[3],
        });
    }
    for (i, attribute) in TOTALS.iter().enumerate() {
        assert_eq!(count(root, attribute), sums[i], "the root's {attribute}");
    }
    suites
}

/// A rule document with a title and a purpose, so it is clean.
pub fn rule(title: &str) -> String {
    format!("# {title}\n\n## Purpose\n\nSays what it is for.\n\n## Body\n\nText.\n")
}

/// Every file and link under `dir`, relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}
