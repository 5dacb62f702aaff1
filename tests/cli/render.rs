//! `render`, `fmt` and `graph` through the real binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::{crate_dir, ruledoc, stderr_of, stdout_of, temp, write};

/// A copy of the project's rule set and the seed in a temp folder, so that
/// outputs and their relative links do not depend on where the tests run.
fn project() -> tempfile::TempDir {
    let dir = temp();
    copy_dir(&crate_dir().join("rules"), &dir.path().join("rules"));
    std::fs::create_dir_all(dir.path().join("seed")).unwrap();
    std::fs::copy(
        crate_dir().join("tests/fixtures/async_patterns.md"),
        dir.path().join("seed/async_patterns.md"),
    )
    .unwrap();
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Every file under `dir`, sorted, as `== path ==` and its content.
fn tree(dir: &Path) -> String {
    listing(&files(dir))
}

/// Every file under `dir`, sorted by path relative to it, with its content.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let content = std::fs::read_to_string(&p).unwrap();
                files.push((p.strip_prefix(dir).unwrap().to_path_buf(), content));
            }
        }
    }
    files.sort();
    files
}

fn listing<'a>(files: impl IntoIterator<Item = &'a (PathBuf, String)>) -> String {
    files
        .into_iter()
        .map(|(path, content)| format!("== {} ==\n{content}", path.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(dir: &Path, args: &[&str]) -> std::process::Output {
    ruledoc()
        .current_dir(dir)
        .arg("render")
        .args(args)
        .output()
        .unwrap()
}

/// The rule sets render snapshots are taken of.
#[derive(Clone, Copy)]
enum Set {
    /// The project's own `rules/`, the configured root.
    Rules,
    /// The seed document alone.
    Seed,
}

/// What `render` writes for a set, every target at once as a user runs it,
/// rendered once per test run and shared by the snapshots below.
fn rendered(set: Set) -> &'static [(PathBuf, String)] {
    static RULES: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    static SEED: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    let (cell, args): (_, &[&str]) = match set {
        Set::Rules => (&RULES, &["--out", "out"]),
        Set::Seed => (&SEED, &["seed/async_patterns.md", "--out", "out"]),
    };
    cell.get_or_init(|| {
        let dir = project();
        let out = render(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        files(&dir.path().join("out"))
    })
}

/// The target that writes a file, by where targets write; the manifest of
/// all of them is a snapshot of its own.
fn target_of(path: &Path) -> &'static str {
    let p = path.to_str().unwrap();
    match p {
        "RULES.md" => "index",
        "CLAUDE.md" => "claude",
        "AGENTS.md" => "agents",
        ".ruledoc-render.json" => "manifest",
        _ if p.starts_with("revised/") => "revised",
        _ if p.starts_with(".claude/rules/") => "claude",
        _ if p.starts_with(".cursor/rules/") => "cursor",
        _ if p.starts_with(".github/instructions/") => "copilot",
        _ => panic!("{p} is written by no known target"),
    }
}

/// One target's files for a set, against `render_<set>_<target>.snap`.
fn assert_target(set: Set, target: &str) {
    let name = match set {
        Set::Rules => "rules",
        Set::Seed => "seed",
    };
    let all = rendered(set);
    let mine: Vec<_> = all.iter().filter(|(p, _)| target_of(p) == target).collect();
    assert!(!mine.is_empty(), "{target} wrote nothing for {name}");
    insta::assert_snapshot!(format!("render_{name}_{target}"), listing(mine));
}

/// A test and a small snapshot per target, so that a change to one target
/// shows in one file.
macro_rules! target_snapshots {
    ($($test:ident: $set:ident $target:literal;)*) => {$(
        #[test]
        fn $test() {
            assert_target(Set::$set, $target);
        }
    )*};
}

target_snapshots! {
    render_rules_revised: Rules "revised";
    render_rules_index: Rules "index";
    render_rules_claude: Rules "claude";
    render_rules_agents: Rules "agents";
    render_rules_cursor: Rules "cursor";
    render_rules_copilot: Rules "copilot";
    render_rules_manifest: Rules "manifest";
    render_seed_revised: Seed "revised";
    render_seed_index: Seed "index";
    render_seed_claude: Seed "claude";
    render_seed_agents: Seed "agents";
    render_seed_cursor: Seed "cursor";
    render_seed_copilot: Seed "copilot";
    render_seed_manifest: Seed "manifest";
}

#[test]
fn rendering_is_deterministic_and_check_tells_fresh_from_stale() {
    let dir = project();
    assert!(render(dir.path(), &["--out", "out"]).status.success());
    let first = tree(&dir.path().join("out"));
    let fresh = render(dir.path(), &["--out", "out", "--check"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", stdout_of(&fresh));
    assert!(stdout_of(&fresh).is_empty());
    assert!(render(dir.path(), &["--out", "out"]).status.success());
    assert_eq!(
        tree(&dir.path().join("out")),
        first,
        "byte-identical on a second run"
    );

    let doc = dir.path().join("rules/testing.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replace("earn its place", "be worth keeping")).unwrap();
    let stale = render(dir.path(), &["--out", "out", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let diff = stdout_of(&stale);
    assert!(
        diff.contains("+++ b/") && diff.contains("+Sets what a test must do to be worth keeping"),
        "{diff}"
    );
    assert_eq!(
        tree(&dir.path().join("out")),
        first,
        "--check writes nothing"
    );
}

#[test]
fn hand_edited_and_foreign_files_are_not_overwritten() {
    let dir = project();
    assert!(
        render(
            dir.path(),
            &["--out", "out", "--target", "agents", "--target", "copilot"]
        )
        .status
        .success()
    );
    let agents = dir.path().join("out/AGENTS.md");
    let edited = std::fs::read_to_string(&agents).unwrap() + "\nMy own note.\n";
    std::fs::write(&agents, &edited).unwrap();
    let foreign = write(
        dir.path(),
        "out/.github/instructions/testing.instructions.md",
        "mine\n",
    );

    let out = render(
        dir.path(),
        &["--out", "out", "--target", "agents", "--target", "copilot"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("AGENTS.md: edited since ruledoc wrote it"),
        "{err}"
    );
    assert!(
        err.contains("testing.instructions.md: not written by ruledoc"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&agents).unwrap(), edited);
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "mine\n");

    let forced = render(
        dir.path(),
        &[
            "--out", "out", "--target", "agents", "--target", "copilot", "--force",
        ],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", stderr_of(&forced));
    assert!(
        !std::fs::read_to_string(&agents)
            .unwrap()
            .contains("My own note.")
    );
}

#[test]
fn files_no_longer_produced_are_removed_only_when_unedited() {
    let dir = project();
    assert!(
        render(dir.path(), &["--out", "out", "--target", "cursor"])
            .status
            .success()
    );
    let gone = dir.path().join("out/.cursor/rules/testing.mdc");
    let kept = dir.path().join("out/.cursor/rules/api-design.mdc");
    assert!(gone.exists() && kept.exists());
    std::fs::write(&kept, "edited by hand\n").unwrap();
    std::fs::remove_file(dir.path().join("rules/testing.md")).unwrap();
    std::fs::remove_file(dir.path().join("rules/api-design.md")).unwrap();
    let out = render(dir.path(), &["--out", "out", "--target", "cursor"]);
    assert!(!gone.exists(), "an unedited output of a removed rule goes");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "edited by hand\n");
    assert!(
        stderr_of(&out).contains("api-design.mdc: no longer produced, but edited since"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_cursor_rule_renders_back_byte_identical() {
    let dir = temp();
    let corpus = crate_dir().join("tests/corpus/cursor-mdc");
    let out = ruledoc()
        .current_dir(dir.path())
        .args([
            "--no-config",
            "render",
            "--target",
            "cursor",
            "--out",
            "out",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let mut compared = 0;
    let mut stack = vec![corpus.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "mdc") {
                let rendered: PathBuf = dir
                    .path()
                    .join("out/.cursor/rules")
                    .join(p.strip_prefix(&corpus).unwrap());
                assert_eq!(
                    std::fs::read(&rendered).unwrap(),
                    std::fs::read(&p).unwrap(),
                    "{}",
                    p.display()
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 1120);
}

#[test]
fn scopes_map_between_formats_and_what_cannot_be_said_is_warned() {
    let dir = temp();
    write(
        dir.path(),
        "rules/ts.mdc",
        "---\ndescription: TypeScript conventions\nglobs: \"src/**/*.ts,src/**/*.tsx\"\nalwaysApply: false\n---\n# TypeScript Rule (Tier 2)\n\n## Purpose\n\nTypes.\n",
    );
    write(
        dir.path(),
        "rules/ask.mdc",
        "---\ndescription: Ask for it\nglobs:\nalwaysApply: false\n---\n# Asked Rule (Tier 2)\n\n## Purpose\n\nOn request.\n",
    );
    let out = render(dir.path(), &["--no-config", "rules", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let read = |p: &str| std::fs::read_to_string(dir.path().join("out").join(p)).unwrap();
    assert!(
        read(".claude/rules/ts.md")
            .starts_with("---\npaths:\n  - \"src/**/*.ts\"\n  - \"src/**/*.tsx\"\n---\n")
    );
    assert!(
        read(".github/instructions/ts.instructions.md")
            .starts_with("---\napplyTo: \"src/**/*.ts,src/**/*.tsx\"\n---\n")
    );
    assert!(
        !read("CLAUDE.md").contains("ts.mdc"),
        "a scoped rule is not imported everywhere"
    );
    assert!(read("AGENTS.md").contains("Applies to files matching `src/**/*.ts`, `src/**/*.tsx`."));
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: rules/ts.mdc: agents: AGENTS.md cannot limit"),
        "{err}"
    );
    assert!(
        err.contains(
            "rules/ask.mdc: claude: a rule an agent asks for (alwaysApply: false, no globs)"
        ),
        "{err}"
    );
}

/// A glob with commas of its own (`{ts,tsx}`, `[a,b]`) comes out of every
/// target as it went in: each target's file, read back, has the same
/// patterns.
#[test]
fn brace_globs_survive_every_target() {
    let dir = temp();
    write(
        dir.path(),
        "rules/ts.md",
        "---\napplyTo: \"src/**/*.{ts,tsx},docs/[a,b]/*.md\"\n---\n# TypeScript Rule (Tier 2)\n\n## Purpose\n\nTypes.\n",
    );
    let out = render(dir.path(), &["--no-config", "rules", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let read = |p: &str| std::fs::read_to_string(dir.path().join("out").join(p)).unwrap();
    let globs = ["src/**/*.{ts,tsx}", "docs/[a,b]/*.md"];
    for file in [
        ".claude/rules/ts.md",
        ".cursor/rules/ts.mdc",
        ".github/instructions/ts.instructions.md",
        "revised/ts.md",
    ] {
        let src = ruledoc::source::SourceFile::new(file, read(file));
        let scope = ruledoc::parse::parse(&src, &Default::default()).scope;
        let written = [scope.globs, scope.paths, scope.apply_to]
            .into_iter()
            .flatten()
            .next();
        assert_eq!(
            written.as_deref(),
            Some(&globs.map(String::from)[..]),
            "{file}"
        );
    }
    assert!(
        read(".github/instructions/ts.instructions.md")
            .starts_with("---\napplyTo: \"src/**/*.{ts,tsx},docs/[a,b]/*.md\"\n")
    );
    assert!(read("AGENTS.md").contains("matching `src/**/*.{ts,tsx}`, `docs/[a,b]/*.md`."));
    // The index shows no scopes; CLAUDE.md only says which rules load everywhere.
    assert!(
        !read("CLAUDE.md").contains("ts.md"),
        "a scoped rule is not imported everywhere"
    );
}

#[test]
fn user_templates_override_by_name_and_errors_name_the_line() {
    let dir = project();
    write(
        dir.path(),
        "tpl/index.md.tera",
        "# My Index\n{% for d in documents %}- {{ d.name }}\n{% endfor %}",
    );
    let out = render(
        dir.path(),
        &["--out", "out", "--target", "index", "--templates", "tpl"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let index = std::fs::read_to_string(dir.path().join("out/RULES.md")).unwrap();
    assert!(index.contains("# My Index\n- API Design\n"), "{index}");

    write(
        dir.path(),
        "tpl/index.md.tera",
        "# Broken\n\n{{ missing.name }}\n",
    );
    let out = render(
        dir.path(),
        &["--out", "out2", "--target", "index", "--templates", "tpl"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("tpl/index.md.tera:3"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn fmt_on_the_corpora_adds_no_escape_keeps_endings_rendering_and_is_stable() {
    for corpus in ["cursor-mdc", "rust-patterns"] {
        let dir = temp();
        copy_dir(
            &crate_dir().join("tests/corpus").join(corpus),
            &dir.path().join("c"),
        );
        let before: Vec<(PathBuf, String)> = walk_md(&dir.path().join("c"));
        let first = ruledoc()
            .current_dir(dir.path())
            .args(["--no-config", "fmt", "c"])
            .output()
            .unwrap();
        assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
        let check = ruledoc()
            .current_dir(dir.path())
            .args(["--no-config", "fmt", "--check", "c"])
            .output()
            .unwrap();
        assert_eq!(
            check.status.code(),
            Some(0),
            "a second fmt changes nothing: {}",
            stdout_of(&check)
        );
        for (path, old) in before {
            let new = std::fs::read_to_string(&path).unwrap();
            let p = path.display();
            assert_eq!(old.matches('\\').count(), new.matches('\\').count(), "{p}");
            // Line endings: none changes kind (the corpora's files are LF).
            assert_eq!(old.contains("\r\n"), new.contains("\r\n"), "{p}");
            assert_eq!(old.contains('\r'), new.contains('\r'), "{p}");
            let body = |t: &str| {
                t.split_once("\n---\n")
                    .map(|(_, b)| b.to_string())
                    .unwrap_or_else(|| t.to_string())
            };
            // pulldown-cmark's HTML, but for whitespace between tags (the
            // final line end fmt adds after a line of inline HTML).
            let html = ruledoc::fmt::html;
            let (a, b) = (html(&body(&old)), html(&body(&new)));
            assert_eq!(a, b, "{p}");
            let code = |t: &str| {
                let src = ruledoc::source::SourceFile::new("x.md", t.to_string());
                let doc = ruledoc::parse::parse(&src, &Default::default());
                doc.snippets.into_iter().map(|s| s.code).collect::<Vec<_>>()
            };
            assert_eq!(code(&old), code(&new), "code changed in {p}");
        }
        let refused = stderr_of(&first);
        for line in refused.lines().filter(|l| l.contains("left as it is")) {
            assert!(
                ["RD201", "RD202", "RD206", "RD207"]
                    .iter()
                    .any(|c| line.contains(c)),
                "refused for another reason: {line}"
            );
        }
    }
}

fn walk_md(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "mdc" || e == "md") {
                let t = std::fs::read_to_string(&p).unwrap();
                out.push((p, t));
            }
        }
    }
    out
}

#[test]
fn fmt_orders_front_matter_and_writes_in_place() {
    let dir = temp();
    let doc = write(
        dir.path(),
        "rules/a.md",
        "---\nglobs: \"*.rs\"\ntier: 2\ndescription: d\n---\n# A Rule (Tier 2)\n\n* one\n* two\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "fmt", "rules"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&doc).unwrap(),
        "---\ndescription: d\ntier: 2\nglobs: \"*.rs\"\n---\n# A Rule (Tier 2)\n\n- one\n- two\n"
    );
}

#[test]
fn graph_groups_by_tier_and_draws_references() {
    let out = ruledoc()
        .current_dir(crate_dir())
        .args(["graph", "--format", "mermaid"])
        .output()
        .unwrap();
    insta::assert_snapshot!(stdout_of(&out));
    let dot = ruledoc()
        .current_dir(crate_dir())
        .args(["graph"])
        .output()
        .unwrap();
    let text = stdout_of(&dot);
    assert!(
        text.starts_with("digraph rules {") && text.contains("subgraph cluster_tier1"),
        "{text}"
    );
}
