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
        err.contains("testing.instructions.md: edited since ruledoc wrote it"),
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
    let err = stderr_of(&out);
    let (mut compared, mut repaired) = (0, 0);
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
                compared += 1;
                if std::fs::read(&rendered).unwrap() == std::fs::read(&p).unwrap() {
                    continue;
                }
                // Only a source render warned about is repaired on the way
                // (a fence left open closed, tool-call markup dropped).
                let warned = format!("warning: {}:", p.display());
                assert!(
                    err.lines()
                        .any(|l| l.starts_with(&warned) && l.contains(": RD20")),
                    "{} differs and was not reported",
                    p.display()
                );
                repaired += 1;
            }
        }
    }
    assert_eq!(compared, 1120);
    assert!(repaired < 40, "{repaired} repaired");
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
    assert!(read(".github/instructions/ts.instructions.md").starts_with(
        "---\napplyTo: \"src/**/*.ts,src/**/*.tsx\"\ndescription: TypeScript conventions\n---\n"
    ));
    // The asked-for rule, with another agent's front matter, is a
    // `.claude/rules` file without `paths` (loaded always, as warned), not
    // an import: CLAUDE.md would import nothing.
    assert_eq!(
        read(".claude/rules/ask.md"),
        "# Asked Rule (Tier 2)\n\n## Purpose\n\nOn request.\n"
    );
    assert!(!dir.path().join("out/CLAUDE.md").exists());
    assert!(read("AGENTS.md").contains("Applies to files matching `src/**/*.ts`, `src/**/*.tsx`."));
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: rules/ts.mdc: agents: a rule for some files (glob) cannot be limited to them here: it applies everywhere, its globs stated in its text"),
        "{err}"
    );
    assert!(
        err.contains(
            "rules/ask.mdc: claude: a rule the model asks for (on request) cannot be said here: it is loaded always"
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
    // No rule applies everywhere: CLAUDE.md would import nothing, and is
    // not written.
    assert!(!dir.path().join("out/CLAUDE.md").exists());
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
    for corpus in [
        "tests/corpus/cursor-mdc",
        "tests/corpus/rust-patterns",
        "tests/corpus/agent-rules",
        "tests/corpus/rust-books",
        "fuzz/seeds",
    ] {
        let dir = temp();
        copy_dir(&crate_dir().join(corpus), &dir.path().join("c"));
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
            // Without the front matter (a leading `---` block only).
            let body = |t: &str| {
                t.strip_prefix("---\n")
                    .and_then(|rest| rest.split_once("\n---\n"))
                    .map(|(_, b)| b.to_string())
                    .unwrap_or_else(|| t.to_string())
            };
            // pulldown-cmark's HTML, but for whitespace between tags (the
            // final line end fmt adds after a line of inline HTML).
            let html = ruledoc::fmt::html;
            let (a, b) = (html(&body(&old)), html(&body(&new)));
            assert_eq!(a, b, "{p}");
            // And a reader fmt does not use: comrak (another CommonMark
            // implementation, with GitHub's tables), so that fmt's own
            // check is not the only judge.
            let (a, b) = (comrak_html(&body(&old)), comrak_html(&body(&new)));
            assert_eq!(a, b, "comrak reads {p} differently");
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

/// comrak's HTML for `text`, whitespace between tags dropped.
fn comrak_html(text: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.render.r#unsafe = true;
    let html = comrak::markdown_to_html(text, &options);
    let mut out = String::with_capacity(html.len());
    let mut pending = String::new();
    let mut after_tag = false;
    for c in html.chars() {
        if after_tag && c.is_whitespace() {
            pending.push(c);
            continue;
        }
        if c == '<' && !pending.is_empty() {
            pending.clear();
        }
        out.push_str(&pending);
        pending.clear();
        out.push(c);
        after_tag = c == '>';
    }
    out
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

/// A project whose rules live in the agents' own folders, as agents wrote them.
fn agent_project() -> tempfile::TempDir {
    let dir = temp();
    write(
        dir.path(),
        ".claude/rules/naming.md",
        "# Naming Convention (Tier 2)\n\n## Purpose\n\nNames are short and plain.\n\n## Rules\n\n- Use snake_case.\n",
    );
    write(
        dir.path(),
        ".cursor/rules/style.mdc",
        "---\ndescription: Style of TypeScript code.\nglobs: \"*.ts\"\nalwaysApply: false\n---\n# Style Convention (Tier 2)\n\n## Purpose\n\nStyle of TypeScript code.\n\n## Rules\n\n- Use const.\n",
    );
    write(
        dir.path(),
        ".github/instructions/web.instructions.md",
        "---\napplyTo: \"web/**\"\n---\n# Web Convention (Tier 2)\n\n## Purpose\n\nHow the web folder is written.\n\n## Rules\n\n- Use semantic HTML.\n",
    );
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    ruledoc().current_dir(dir).args(args).output().unwrap()
}

/// `check; render; check; render` in a project with agent folders: the
/// second render writes nothing, the checks agree, no source changes, and no
/// output is ever read back as a source or written into a source folder
/// other than its target's own.
#[test]
fn render_never_reads_back_its_outputs_nor_writes_a_source() {
    let dir = agent_project();
    let sources = files(dir.path());
    let check1 = run(dir.path(), &["check"]);
    let render1 = run(dir.path(), &["render"]);
    assert_eq!(render1.status.code(), Some(0), "{}", stderr_of(&render1));
    let after1 = files(dir.path());
    let check2 = run(dir.path(), &["check"]);
    let render2 = run(dir.path(), &["render"]);
    assert_eq!(render2.status.code(), Some(0), "{}", stderr_of(&render2));
    assert_eq!(check1.status.code(), check2.status.code());
    assert_eq!(stdout_of(&check1), stdout_of(&check2));
    // The second check says only, besides, that it passed render's outputs over.
    let said: Vec<String> = stderr_of(&check2)
        .lines()
        .filter(|l| !l.contains("that ruledoc render wrote: outputs are never sources"))
        .map(str::to_string)
        .collect();
    assert_eq!(stderr_of(&check1).lines().collect::<Vec<_>>(), said);
    assert!(
        stderr_of(&check1).contains("checked 3 documents: no problems"),
        "{}",
        stderr_of(&check1)
    );
    assert!(
        stderr_of(&render2).contains("rendered 3 documents: 0 written"),
        "{}",
        stderr_of(&render2)
    );
    assert_eq!(after1, files(dir.path()), "the second render changed files");
    for (path, text) in &sources {
        let now = std::fs::read_to_string(dir.path().join(path)).unwrap();
        assert_eq!(&now, text, "{} changed", path.display());
    }
    let paths: Vec<String> = after1
        .iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let expected = [
        ".claude/rules/naming.md",
        ".claude/rules/style.md",
        ".claude/rules/web.md",
        ".cursor/rules/naming.mdc",
        ".cursor/rules/style.mdc",
        ".cursor/rules/web.mdc",
        ".github/instructions/naming.instructions.md",
        ".github/instructions/style.instructions.md",
        ".github/instructions/web.instructions.md",
        ".ruledoc-render.json",
        "AGENTS.md",
        "RULES.md",
        "revised/naming.md",
        "revised/style.mdc",
        "revised/web.instructions.md",
        // The Copilot rule for `web/**` is nested AGENTS.md's.
        "web/AGENTS.md",
    ];
    assert_eq!(paths, expected);
    // A source is never written, even with --force: the Cursor rule is its
    // own rendering, the Copilot file keeps its name.
    let forced = run(dir.path(), &["render", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr_of(&forced));
    for (path, text) in &sources {
        let now = std::fs::read_to_string(dir.path().join(path)).unwrap();
        assert_eq!(&now, text, "{} changed with --force", path.display());
    }
}

/// A hand-written file at a whole-set target's place is a source: it is
/// never overwritten, and nothing is written into a source rule folder that
/// is not the target's own.
#[test]
fn render_leaves_sources_at_its_places_and_foreign_rule_folders_alone() {
    let dir = agent_project();
    write(
        dir.path(),
        "CLAUDE.md",
        "# Project Memory (Tier 1)\n\n## Purpose\n\nWhat Claude reads first.\n",
    );
    let before = std::fs::read_to_string(dir.path().join("CLAUDE.md")).unwrap();
    let out = run(dir.path(), &["render", "--force", "-t", "claude"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("CLAUDE.md")).unwrap(),
        before
    );
    assert!(
        stderr_of(&out).contains("CLAUDE.md: claude: CLAUDE.md is a source of this render"),
        "{}",
        stderr_of(&out)
    );
    // An output folder inside a source rule folder is refused before
    // anything is written (no manifest either).
    let out = run(
        dir.path(),
        &["render", "-t", "revised", "--out", ".cursor/rules/x"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(!dir.path().join(".cursor/rules/x").exists());
    assert!(
        stderr_of(&out).contains("a folder agents load rules from"),
        "{}",
        stderr_of(&out)
    );
}

/// An unscoped rule applies everywhere in every target, whatever its tier;
/// a Copilot source keeps its name; CLAUDE.md imports only rules inside the
/// output folder, and no file Claude Code loads by itself; and what render
/// writes lints clean.
#[test]
fn scopes_mean_the_same_in_every_target_and_outputs_lint_clean() {
    let dir = agent_project();
    write(
        dir.path(),
        "rules/plain.md",
        "# Plain Convention (Tier 2)\n\n## Purpose\n\nApplies everywhere.\n\n## Rules\n\n- Be plain.\n",
    );
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    let out = run(dir.path(), &["render", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let o = dir.path().join("out");
    let read = |p: &str| std::fs::read_to_string(o.join(p)).unwrap();
    for name in ["naming", "plain"] {
        let cursor = read(&format!(".cursor/rules/{name}.mdc"));
        assert!(cursor.contains("alwaysApply: true\n"), "{cursor}");
        let copilot = read(&format!(".github/instructions/{name}.instructions.md"));
        assert!(copilot.starts_with("---\napplyTo: \"**\"\n"), "{copilot}");
    }
    assert!(read(".cursor/rules/style.mdc").contains("alwaysApply: false\n"));
    assert!(o.join(".github/instructions/web.instructions.md").exists());
    assert!(
        !o.join(".github/instructions/web.instructions.instructions.md")
            .exists()
    );
    // Outside the output folder, the rule is no import (a copied output
    // would lose it): it is a `.claude/rules` file without `paths`.
    assert!(!o.join("CLAUDE.md").exists());
    assert_eq!(
        read(".claude/rules/plain.md"),
        "# Plain Convention (Tier 2)\n\n## Purpose\n\nApplies everywhere.\n\n## Rules\n\n- Be plain.\n"
    );
    // In place, the rule in .claude/rules is loaded by Claude Code: not imported.
    let out = run(dir.path(), &["render", "-t", "claude"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let claude = std::fs::read_to_string(dir.path().join("CLAUDE.md")).unwrap();
    assert!(!claude.contains("@.claude/rules/naming.md"), "{claude}");
    assert!(claude.contains("@rules/plain.md"), "{claude}");
    // The rules render writes, read as sources (without their header), lint
    // clean. (RULES.md, CLAUDE.md and AGENTS.md are no rule documents.)
    let copy = temp();
    for (path, text) in files(&o) {
        if path.parent() == Some(Path::new("")) || path.ends_with("AGENTS.md") {
            continue;
        }
        let text: String = text
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("<!-- ruledoc: generated"))
            .collect();
        write(copy.path(), &path.to_string_lossy(), text);
    }
    let lint = run(copy.path(), &["lint", "--no-config", "."]);
    assert_eq!(
        lint.status.code(),
        Some(0),
        "{}{}",
        stdout_of(&lint),
        stderr_of(&lint)
    );
    assert!(
        stderr_of(&lint).contains("no problems"),
        "{}",
        stderr_of(&lint)
    );
}

/// A document's broken fence stops at its end in AGENTS.md, tool-call
/// markup never reaches an output, and render names the broken source.
#[test]
fn joined_documents_stay_apart_and_broken_sources_are_reported() {
    let dir = temp();
    write(
        dir.path(),
        "rules/a.md",
        "# Alpha Convention (Tier 2)\n\n## Purpose\n\nFirst.\n\n## Example\n\n```python\nx = 1\n</xai:function_call name=\"write\">\n",
    );
    write(
        dir.path(),
        "rules/b.md",
        "# Beta Convention (Tier 2)\n\n## Purpose\n\nSecond.\n\nText.\n<invoke name=\"Write\">\n\n## Rules\n\n- Be.\n",
    );
    write(
        dir.path(),
        "rules/c.md",
        "# Gamma Convention (Tier 2)\n\n## Purpose\n\nThird.\n",
    );
    let out = run(
        dir.path(),
        &["render", "--no-config", "rules", "--out", "out"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("warning: rules/a.md:9: RD201"), "{err}");
    assert!(err.contains("warning: rules/b.md:8: RD206"), "{err}");
    assert!(!err.contains("rules/c.md:"), "{err}");
    let agents = std::fs::read_to_string(dir.path().join("out/AGENTS.md")).unwrap();
    assert!(
        agents.contains("x = 1\n```\n\n## Beta Convention (Tier 2)"),
        "{agents}"
    );
    for (path, text) in files(&dir.path().join("out")) {
        assert!(
            !text.contains("<invoke") && !text.contains("</xai:"),
            "{} carries markup:\n{text}",
            path.display()
        );
    }
    // AGENTS.md itself (read as a source, without its header) has no
    // unclosed fence.
    let stripped: String = agents
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("<!-- ruledoc: generated"))
        .collect();
    write(dir.path(), "copy/AGENTS.md", stripped);
    let lint = run(
        dir.path(),
        &[
            "lint",
            "--no-config",
            "--select",
            "RD201,RD202",
            "copy/AGENTS.md",
        ],
    );
    assert!(
        stderr_of(&lint).contains("checked 1 document"),
        "{}",
        stderr_of(&lint)
    );
    assert!(!stdout_of(&lint).contains("RD201"), "{}", stdout_of(&lint));
}

/// Every target rendered from every corpus, read back by pulldown-cmark and
/// comrak: no fenced block is left open (one source's broken fence never
/// reaches the next document), no leftover tool-call markup is carried, and
/// every output file parses.
#[test]
fn render_over_the_corpora_keeps_every_output_well_formed() {
    for corpus in [
        "tests/corpus/cursor-mdc",
        "tests/corpus/rust-patterns",
        "tests/corpus/agent-rules",
        "tests/corpus/rust-books",
        "fuzz/seeds",
    ] {
        let dir = temp();
        let out = ruledoc()
            .current_dir(dir.path())
            .args(["--no-config", "render", "--out", "out"])
            .arg(crate_dir().join(corpus))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{corpus}: {}", stderr_of(&out));
        let outputs = walk_md(&dir.path().join("out"));
        assert!(!outputs.is_empty(), "{corpus}: no output");
        for (path, text) in outputs {
            let p = path.display();
            let src = ruledoc::source::SourceFile::new("x.md", text.clone());
            let doc = ruledoc::parse::parse(&src, &Default::default());
            assert!(
                doc.snippets.iter().all(|s| s.closed),
                "{corpus}: {p} holds a fenced block that never closes"
            );
            // comrak agrees: the last block it reads ends before the text.
            let arena = comrak::Arena::new();
            let root = comrak::parse_document(&arena, &text, &comrak::Options::default());
            for node in root.descendants() {
                if let comrak::nodes::NodeValue::CodeBlock(block) = &node.data.borrow().value {
                    assert!(
                        !block.fenced || block.closed,
                        "{corpus}: comrak reads an unclosed fence in {p}"
                    );
                }
            }
            for marker in ["</xai:function_call", "<parameter name=", "</invoke>"] {
                assert!(!text.contains(marker), "{corpus}: {p} carries `{marker}`");
            }
        }
    }
}

/// The revised copy of an agent's rule stays in its format: no tier is
/// claimed for a rule whose tier came from its folder alone, so it lints
/// clean (no Purpose asked for).
#[test]
fn revised_agent_rules_claim_no_tier_and_lint_clean() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        ".claude/rules/ts.md",
        "---\npaths:\n  - \"src/**/*.ts\"\n---\n# TS\n\nStrict mode.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render", "-t", "revised"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let revised = std::fs::read_to_string(dir.path().join("revised/ts.md")).unwrap();
    assert!(revised.contains("\n# TS\n"), "{revised}");
    // Linted as a rule of its own (the generated header dropped).
    let plain: String = revised
        .lines()
        .filter(|l| !l.contains("ruledoc: generated"))
        .map(|l| format!("{l}\n"))
        .collect();
    let other = temp();
    std::fs::create_dir(other.path().join(".git")).unwrap();
    write(other.path(), ".claude/rules/ts.md", plain);
    let lint = ruledoc()
        .current_dir(other.path())
        .args(["--no-config", "lint"])
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", stdout_of(&lint));
    assert!(
        stderr_of(&lint).contains("no problems"),
        "{}",
        stderr_of(&lint)
    );
}

/// The same rule kept in several agents' folders renders from one source in
/// every target: Windsurf's before Kiro's (README, render), and each one
/// left out is named.
#[test]
fn one_source_wins_the_same_in_every_target() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        ".windsurf/rules/style.md",
        "---\ntrigger: always_on\n---\n# Style\n\nFrom Windsurf.\n",
    );
    write(
        dir.path(),
        ".kiro/steering/style.md",
        "---\ninclusion: always\n---\n# Style\n\nFrom Kiro.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args([
            "--no-config",
            "render",
            "-t",
            "claude",
            "-t",
            "cursor",
            "-t",
            "copilot",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    for path in [
        ".cursor/rules/style.mdc",
        ".github/instructions/style.instructions.md",
    ] {
        let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
        assert!(text.contains("From Windsurf."), "{path}: {text}");
    }
    // An always-applied rule with front matter (another agent's keys) is no
    // import for CLAUDE.md, whose reader would read the keys as text: it is
    // a `.claude/rules` file without `paths`, the winner's body.
    let claude = std::fs::read_to_string(dir.path().join(".claude/rules/style.md")).unwrap();
    assert_eq!(claude, "# Style\n\nFrom Windsurf.\n");
    assert!(!dir.path().join("CLAUDE.md").exists());
    let err = stderr_of(&out);
    assert_eq!(
        err.matches(".kiro/steering/style.md also renders to")
            .count(),
        3,
        "{err}"
    );
}

/// A file name Tera cannot use as a map key (`ü`, a quote) renders like any
/// other: the built-in templates look documents up by their `key`.
#[test]
fn any_file_name_renders() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), ".claude/rules/ü.md", "# Ü\n\nFrom ü.\n");
    write(
        dir.path(),
        ".claude/rules/a\"b.md",
        "# Q\n\nFrom a quote.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let agents = std::fs::read_to_string(dir.path().join("AGENTS.md")).unwrap();
    assert!(
        agents.contains("From ü.") && agents.contains("From a quote."),
        "{agents}"
    );
}

/// `--out` through a symbolic link into an agent's rule folder is refused
/// like the folder itself, and nothing is written.
#[cfg(unix)]
#[test]
fn an_output_folder_reached_through_a_link_into_a_rule_folder_is_refused() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), ".claude/rules/ts.md", "# TS\n\nStrict.\n");
    std::os::unix::fs::symlink(".claude/rules", dir.path().join("link")).unwrap();
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render", "--out", "link/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("a folder agents load rules from"));
    assert!(!dir.path().join(".claude/rules/x").exists());
}

/// A rule Claude Code loads by itself wins over its Cursor copy: the copy
/// is not written over it, and the warning says which was left out.
#[test]
fn claudes_own_rule_wins_over_a_copy_in_claude_md() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        ".claude/rules/style.md",
        "# Style\n\nClaude style.\n",
    );
    write(
        dir.path(),
        ".cursor/rules/style.mdc",
        "---\ndescription: style\nglobs:\nalwaysApply: true\n---\n# Style\n\nCursor style.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render", "-t", "claude"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!dir.path().join("CLAUDE.md").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".claude/rules/style.md")).unwrap(),
        "# Style\n\nClaude style.\n"
    );
    assert!(
        stderr_of(&out).contains(
            ".cursor/rules/style.mdc also renders to .claude/rules/style.md; that one is left out"
        ),
        "{}",
        stderr_of(&out)
    );
}
