//! The snippet cache, seen through the programs a run starts: a command
//! runner that notes them is given to the verifier.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::path::Path;
use std::sync::Arc;

use ruledoc::config::LoadedConfig;
use ruledoc::lint::{Job, Plan};
use ruledoc::pipeline::{Pipeline, Run, RunOptions};
use ruledoc::settings::Settings;
use ruledoc::snippets::runner::Recording;
use ruledoc::snippets::{RunMode, Verifier};

fn check(dir: &Path, cache: &Path, runner: &Arc<Recording>) -> Run {
    let settings = Settings::new(LoadedConfig::default(), dir).unwrap();
    let plan = Plan::all(Job::Check);
    let verifier = Verifier::new(
        &settings.config.snippets,
        cache.to_path_buf(),
        dir.to_path_buf(),
        RunMode::Never,
    )
    .unwrap()
    .with_runner(runner.clone());
    let opts = RunOptions {
        verifier: Some(&verifier),
        ..Default::default()
    };
    let walk = settings.walk(&[dir.join("rules")]).unwrap();
    let run = Pipeline::new(&settings, &plan, opts).run(walk);
    assert!(run.problems.errors.is_empty(), "{:?}", run.problems.errors);
    run
}

#[test]
fn a_warm_rerun_starts_no_compiler_and_one_edit_rechecks_one_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let rules = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/error-handling.md"),
    )
    .unwrap();
    let doc = dir.path().join("rules/error-handling.md");
    std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
    std::fs::write(&doc, &rules).unwrap();
    let runner = Recording::new();

    let cold = check(dir.path(), cache.path(), &runner);
    let started = runner.take();
    assert!(started.iter().any(|p| p.ends_with("rustc")), "{started:?}");
    let rust: Vec<_> = cold.snippets.iter().filter(|s| s.lang == "rust").collect();
    assert!(rust.len() >= 4, "{rust:?}");
    assert!(rust.iter().all(|s| !s.cached));
    assert!(cold.diagnostics.is_empty(), "{:?}", cold.diagnostics);

    let warm = check(dir.path(), cache.path(), &runner);
    assert_eq!(
        runner.take(),
        Vec::<String>::new(),
        "a warm run starts nothing"
    );
    let cached = warm
        .snippets
        .iter()
        .filter(|s| s.lang == "rust" && s.cached)
        .count();
    assert_eq!(cached, rust.len());

    std::fs::write(
        &doc,
        rules.replace("sum += item.trim()", "sum += item.trim_start()"),
    )
    .unwrap();
    let edited = check(dir.path(), cache.path(), &runner);
    let started = runner.take();
    assert_eq!(
        started.len(),
        1,
        "one compiler run for the edited snippet, and no `rustc -vV`: {started:?}"
    );
    let cached = edited
        .snippets
        .iter()
        .filter(|s| s.lang == "rust" && s.cached)
        .count();
    assert_eq!(cached, rust.len() - 1);
}
