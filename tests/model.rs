//! The document model, through the library: the seed, the corpus, and the
//! project's own rule set.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::path::{Path, PathBuf};

use ruledoc::load::load_all;
use ruledoc::model::{Marker, PurposeSource, RuleDoc};
use ruledoc::settings::Settings;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn parse_paths(paths: &[PathBuf]) -> Vec<RuleDoc> {
    let settings = Settings::defaults(&crate_dir());
    let walk = settings.walk(paths).expect("walk");
    let (docs, problems) = load_all(walk, &settings);
    assert!(problems.errors.is_empty(), "{:?}", problems.errors);
    docs.into_iter().map(|d| d.doc).collect()
}

#[test]
fn the_seed_parses_to_the_specified_model() {
    let docs = parse_paths(&[crate_dir().join("tests/fixtures/async_patterns.md")]);
    let doc = &docs[0];
    assert_eq!(doc.name.as_deref(), Some("Async Patterns"));
    assert_eq!(doc.kind.as_deref(), Some("Sub-Rule"));
    assert_eq!(doc.tier, Some(3));
    assert_eq!(doc.tier_sources.title, Some(3));
    assert!(
        doc.purpose
            .as_deref()
            .unwrap()
            .starts_with("Defines async/await")
    );
    assert_eq!(doc.purpose_source, Some(PurposeSource::Section));

    let level2: Vec<_> = doc.sections.iter().filter(|s| s.level == 2).collect();
    assert_eq!(level2.len(), 6);
    assert_eq!(level2[0].heading, "Purpose");

    let python: Vec<_> = doc.snippets.iter().filter(|s| s.lang == "python").collect();
    assert_eq!(python.len(), 11);
    assert_eq!(doc.snippets.len(), 11);
    let first = python[0];
    assert_eq!((first.line, first.code_line, first.end_line), (9, 10, 38));
    assert_eq!(first.label.as_deref(), Some("CORRECT NAMING AND USAGE"));
    assert_eq!(first.marker, Some(Marker::Correct));
    assert_eq!(
        first.section,
        ["ASYNC/AWAIT FUNDAMENTALS", "Async Function Definition"]
    );
    assert!(first.code.starts_with("import asyncio\n"));
    assert!(python.iter().all(|s| s.closed));
    assert_eq!(doc.lines, 599);
}

#[test]
fn the_seed_is_kept_unchanged() {
    let copy = std::fs::read(crate_dir().join("tests/fixtures/async_patterns.md")).unwrap();
    let shared = crate_dir().join("../shared/seed/async_patterns.md");
    if let Ok(original) = std::fs::read(&shared) {
        assert_eq!(
            copy, original,
            "tests/fixtures/async_patterns.md differs from the seed"
        );
    }
    assert_eq!(copy.len(), 19_409, "the seed's size changed");
    assert!(
        String::from_utf8_lossy(&copy).contains("</xai:function_call name=\"write\">"),
        "the seed must keep its defects"
    );
}

fn files_under(dir: &Path) -> usize {
    walk(dir)
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "mdc")))
        .count()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out
}

#[test]
fn every_corpus_file_yields_a_document() {
    let corpus = crate_dir().join("tests/corpus");
    let expected = files_under(&corpus);
    assert!(expected > 1_100, "corpus is missing: {expected} files");
    let docs = parse_paths(&[corpus]);
    assert_eq!(docs.len(), expected);
    // Cursor's unquoted `globs: **/*.x` is a YAML error, yet its data is kept.
    let cursor: Vec<_> = docs.iter().filter(|d| d.path.ends_with(".mdc")).collect();
    assert!(cursor.len() > 1_100);
    let with_description = cursor
        .iter()
        .filter(|d| {
            d.front_matter
                .as_ref()
                .and_then(|f| f.get_str("description"))
                .is_some()
        })
        .count();
    assert!(with_description > 1_000, "{with_description}");
    let snippets: usize = docs.iter().map(|d| d.snippets.len()).sum();
    assert!(snippets > 4_000, "{snippets}");
}

#[test]
fn the_projects_rule_set_is_complete_and_tiered() {
    let docs = parse_paths(&[crate_dir().join("rules")]);
    assert!(docs.len() >= 6, "{} documents", docs.len());
    for tier in 1..=3 {
        assert!(
            docs.iter().any(|d| d.tier == Some(tier)),
            "no tier {tier} document"
        );
    }
    for d in &docs {
        assert!(
            d.title.is_some() && d.name.is_some(),
            "{}: no title",
            d.path
        );
        assert!(
            d.purpose.as_deref().is_some_and(|p| !p.is_empty()),
            "{}: no purpose",
            d.path
        );
        let s = &d.tier_sources;
        assert_eq!(s.title, s.folder, "{}: title and folder disagree", d.path);
        assert!(d.snippets.iter().all(|s| s.closed), "{}", d.path);
    }
    let langs: Vec<_> = docs
        .iter()
        .flat_map(|d| &d.snippets)
        .map(|s| s.lang.as_str())
        .collect();
    assert!(langs.iter().filter(|l| **l == "rust").count() >= 15);
    assert!(langs.contains(&"python"));
    let attrs: Vec<_> = docs
        .iter()
        .flat_map(|d| &d.snippets)
        .flat_map(|s| &s.attributes)
        .collect();
    for a in ["no_run", "compile_fail", "should_panic"] {
        assert!(attrs.iter().any(|x| *x == a), "no `{a}` snippet");
    }
    let hidden = docs
        .iter()
        .flat_map(|d| &d.snippets)
        .filter(|s| s.lang == "rust" && s.code.lines().any(|l| l.starts_with("# ")))
        .count();
    assert!(hidden >= 5, "{hidden} snippets with hidden lines");
}
