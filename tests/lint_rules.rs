//! One fixture folder per rule (`tests/fixtures/lint/rdNNN/{ok,bad}`): the ok
//! case gives none of the rule's findings, the bad case gives some, and they
//! are kept as a snapshot, as the human reporter shows them, each fix with
//! the diff it makes.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::path::{Path, PathBuf};

use ruledoc::config::LoadedConfig;
use ruledoc::diagnostic::{Applicability, Diagnostic, Edit};
use ruledoc::lint::{FixAvailability, Job, Plan, RuleKind, apply_edits, rules};
use ruledoc::pipeline::{FixMode, Pipeline, Run, RunOptions};
use ruledoc::report::{self, HumanOptions};
use ruledoc::settings::Settings;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(code: &str, case: &str) -> PathBuf {
    crate_dir()
        .join("tests/fixtures/lint")
        .join(code.to_lowercase())
        .join(case)
}

/// Settings for a fixture folder: its own `ruledoc.toml` when it has one.
fn settings_for(dir: &Path) -> Settings {
    let config = dir.join("ruledoc.toml");
    let loaded = if config.exists() {
        LoadedConfig::read(&config).expect("fixture config")
    } else {
        LoadedConfig::default()
    };
    Settings::new(loaded, &crate_dir()).expect("settings")
}

fn run(code: &str, dir: &Path, fix: FixMode) -> Run {
    let settings = settings_for(dir);
    let plan = Plan::new(
        &settings.config.lint,
        Job::Check,
        &[code.to_string()],
        &[],
        &settings.base_dir,
    )
    .expect("plan");
    let walk = settings.walk(&[dir.to_path_buf()]).expect("walk");
    let opts = RunOptions {
        fix,
        applicability: Applicability::Unsafe,
        keep_sources: true,
        ..Default::default()
    };
    let run = Pipeline::new(&settings, &plan, opts).run(walk);
    assert!(run.problems.errors.is_empty(), "{:?}", run.problems.errors);
    run
}

/// The findings as `ruledoc lint` shows them, each followed by its fix, if
/// it has one, as a diff of the document with that fix alone applied (ruff's
/// rule snapshots are the model).
fn render(diags: &[Diagnostic]) -> String {
    let human = HumanOptions { color: false };
    let mut out = String::new();
    for d in diags {
        out.push_str(&report::render_finding(d, &human));
        out.push('\n');
        if let (Some(fix), Some(source)) = (&d.fix, &d.source) {
            let edits: Vec<&Edit> = fix.edits.iter().collect();
            let (after, _) = apply_edits(&source.text, &edits);
            let diff = similar::TextDiff::from_lines(&source.text, &after)
                .unified_diff()
                .context_radius(2)
                .header(&format!("a/{}", d.path), &format!("b/{}", d.path))
                .to_string();
            out.push_str(&format!(
                "\n{} fix: {}\n{diff}",
                fix.applicability.as_str(),
                fix.message
            ));
        }
        out.push('\n');
    }
    out
}

fn check_rule(code: &str) {
    let ok = run(code, &fixture(code, "ok"), FixMode::Report);
    let stray: Vec<_> = ok.diagnostics.iter().filter(|d| d.code == code).collect();
    assert!(
        stray.is_empty(),
        "{code} fires on its ok fixture:\n{}",
        render(&ok.diagnostics)
    );

    let bad = run(code, &fixture(code, "bad"), FixMode::Report);
    let found: Vec<Diagnostic> = bad
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .collect();
    assert!(!found.is_empty(), "{code} does not fire on its bad fixture");
    insta::assert_snapshot!(format!("{}_bad", code.to_lowercase()), render(&found));

    let meta = rules::find(code).unwrap();
    assert_eq!(
        meta.fixable(),
        found.iter().any(|d| d.fix.is_some()),
        "{code}: fix availability and the findings disagree"
    );
    if meta.fix == FixAvailability::Always {
        assert!(
            found.iter().all(|d| d.fix.is_some()),
            "{code} is always fixable"
        );
    }
    if meta.fixable() {
        let diff = run(code, &fixture(code, "bad"), FixMode::Diff);
        assert!(
            !diff.changes.is_empty(),
            "{code} is fixable but fixes nothing"
        );
        // Fixing the fixed text changes nothing more.
        let dir = tempfile::tempdir().unwrap();
        for (i, c) in diff.changes.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i}.md")), &c.after).unwrap();
        }
        let again = run(code, dir.path(), FixMode::Diff);
        assert!(
            again.changes.is_empty(),
            "{code}: fixing twice changes more"
        );
    }
}

macro_rules! rule_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_rule(&stringify!($name).to_uppercase());
            }
        )*

        #[test]
        fn every_rule_has_fixtures_and_a_test() {
            let tested = [$(stringify!($name).to_uppercase()),*];
            // Verdict rules judge what compilers say: tests/cli/snippets.rs
            // covers them.
            let judged_here = rules::ALL
                .iter()
                .map(|r| r.meta())
                .filter(|m| m.kind != RuleKind::Verdict)
                .map(|m| m.code);
            for code in judged_here {
                assert!(tested.iter().any(|t| t == code), "{code} has no fixture test");
                assert!(fixture(code, "ok").is_dir() && fixture(code, "bad").is_dir(), "{code} has no fixtures");
            }
        }
    };
}

rule_tests!(
    rd101, rd102, rd103, rd104, rd105, rd106, rd107, rd108, rd109, rd110, rd111, rd201, rd202,
    rd203, rd204, rd205, rd206, rd207, rd301, rd307, rd401, rd402, rd403, rd501, rd502,
);

/// The Cursor and mdBook corpora, every rule: no panic, nothing unreadable,
/// and only the findings that were read one by one and judged true (see
/// BENCHMARKS.md). `tests/corpus/agent-rules/` has its own test, finding by
/// finding (tests/precision.rs).
#[test]
fn the_corpus_lints_without_panics_or_false_positives() {
    let corpora = [
        crate_dir().join("tests/corpus/cursor-mdc"),
        crate_dir().join("tests/corpus/rust-patterns"),
        crate_dir().join("tests/corpus/README.md"),
    ];
    let settings = Settings::new(LoadedConfig::default(), &crate_dir()).unwrap();
    let walk = settings.walk(&corpora).unwrap();
    let plan = Plan::all(Job::Lint);
    let run = Pipeline::new(&settings, &plan, RunOptions::default()).run(walk);
    assert!(run.problems.errors.is_empty(), "{:?}", run.problems.errors);
    assert!(run.documents.len() > 1_100);
    let mut counts = std::collections::BTreeMap::new();
    for d in &run.diagnostics {
        *counts.entry(d.code).or_insert(0) += 1;
    }
    // Cursor's unquoted `globs: **/*.x` (768 files) is Cursor's own syntax
    // in `.mdc` files: no finding. `vim.md` is a plain `.md` (Cursor ignores
    // it) whose YAML front matter does not parse.
    assert_eq!(counts.get("RD109"), Some(&1));
    // Truncated files whose last block never closes.
    assert_eq!(counts.get("RD201"), Some(&27));
    // sphinx.mdc: a ```markdown example holding a ```{toctree} block.
    assert_eq!(counts.get("RD202"), Some(&1));
    // Blocks without a language whose content is code (TSX, SQL, C#, YAML,
    // `.gitignore` patterns, shell commands): a directory tree, an output or
    // a box drawing without one is plain text for every reader and passes.
    assert_eq!(counts.get("RD301"), Some(&13));
    // Cursor rules name themselves in `description`, not in a title.
    assert_eq!(counts.get("RD101"), None);
    // `@/` in prose is a TypeScript alias, not an import.
    assert_eq!(counts.get("RD402"), None);
    // No Cursor rule states a tier: none is held to the tiered convention.
    for code in ["RD102", "RD105", "RD108", "RD501"] {
        assert_eq!(counts.get(code), None, "{code}");
    }
    let allowed = ["RD109", "RD201", "RD202", "RD205", "RD301"];
    for code in counts.keys() {
        assert!(
            allowed.contains(code),
            "unexpected {code} on the corpus: {counts:?}"
        );
    }
}
