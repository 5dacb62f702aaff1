//! Targets as data: `ruledoc targets`, every agent target both ways (a rule
//! set rendered to an agent's format and read back keeps its scopes; a rule
//! already in a format renders back byte-identical), shared files written
//! once, and agents' size limits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{crate_dir, ruledoc, stderr_of, stdout_of, temp, write};

/// Every file under `dir`, by path relative to it (`/`-separated), the
/// render manifest left out.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() != ".ruledoc-render.json" {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

/// The Cursor fixture: one rule per scope (always, glob, on request,
/// manual), each in the shape the cursor target writes.
fn cursor_fixture() -> PathBuf {
    crate_dir().join("tests/fixtures/targets/cursor")
}

/// Copy `files` into a fresh folder (no render manifest: read as sources).
fn sources(files: &BTreeMap<String, String>) -> tempfile::TempDir {
    let dir = temp();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

/// `render --no-config` of `paths` in `dir`, to `dir/out`.
fn render(dir: &Path, targets: &str, paths: &[&str]) -> std::process::Output {
    ruledoc()
        .current_dir(dir)
        .args(["--no-config", "render", "--out", "out", "-t", targets])
        .args(paths)
        .output()
        .unwrap()
}

/// Each document's `loads` (`{"when": …, "patterns": […]}`) as ruledoc's
/// reader takes it, by file name without extension(s).
fn loads(dir: &Path) -> BTreeMap<String, Value> {
    let out = ruledoc()
        .current_dir(dir)
        .args(["--no-config", "parse", "."])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let docs: Vec<Value> = serde_json::from_str(&stdout_of(&out)).unwrap();
    docs.iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            let stem = name.split('.').next().unwrap().to_string();
            (stem, d["loads"].clone())
        })
        .collect()
}

#[test]
fn targets_lists_every_agent_with_its_documentation() {
    let out = ruledoc()
        .args(["targets", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let list: Vec<Value> = serde_json::from_str(&stdout_of(&out)).unwrap();
    let agents: Vec<&Value> = list.iter().filter(|t| t["kind"] == "agent").collect();
    assert!(agents.len() >= 16, "{} agent targets", agents.len());
    for t in &list {
        for key in ["name", "agent", "writes", "scopes", "doc"] {
            assert!(t.get(key).is_some(), "{t} has no {key}");
        }
        assert!(t["doc"].as_str().unwrap().starts_with("https://"), "{t}");
        assert!(!t["writes"].as_array().unwrap().is_empty(), "{t}");
    }
    for name in [
        "claude", "cursor", "copilot", "agents", "codex", "gemini", "windsurf", "kiro", "cline",
        "roo", "zed", "junie", "continue", "amazonq",
    ] {
        assert!(list.iter().any(|t| t["name"] == name), "no {name} target");
    }
    // The human table names the same targets, one per line.
    let human = ruledoc().arg("targets").output().unwrap();
    assert_eq!(
        stdout_of(&human).lines().count(),
        list.len() + 1,
        "{}",
        stdout_of(&human)
    );
}

#[test]
fn a_cursor_rule_set_renders_to_windsurf_and_kiro_and_reads_back_with_its_scopes() {
    let original = files(&cursor_fixture());
    let dir = sources(&original);
    let out = render(dir.path(), "windsurf,kiro", &[".cursor/rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let written = files(&dir.path().join("out"));
    let front = |p: &str| {
        let text = &written[p];
        text[..text.find("\n---\n").unwrap() + 5].to_string()
    };
    // Windsurf's trigger and Kiro's inclusion, per scope (their docs).
    assert_eq!(
        front(".windsurf/rules/always.md"),
        "---\ntrigger: always_on\ndescription: Kindness everywhere\n---\n"
    );
    assert_eq!(
        front(".windsurf/rules/ts.md"),
        "---\ntrigger: glob\ndescription: TypeScript conventions\nglobs: src/**/*.ts,src/**/*.tsx\n---\n"
    );
    assert_eq!(
        front(".windsurf/rules/migrations.md"),
        "---\ntrigger: model_decision\ndescription: Database migrations, when writing one\n---\n"
    );
    assert_eq!(
        front(".windsurf/rules/release.md"),
        "---\ntrigger: manual\n---\n"
    );
    assert_eq!(
        front(".kiro/steering/always.md"),
        "---\ninclusion: always\ndescription: Kindness everywhere\n---\n"
    );
    assert_eq!(
        front(".kiro/steering/ts.md"),
        "---\ninclusion: fileMatch\nfileMatchPattern: [\"src/**/*.ts\", \"src/**/*.tsx\"]\ndescription: TypeScript conventions\n---\n"
    );
    assert_eq!(
        front(".kiro/steering/migrations.md"),
        "---\ninclusion: auto\nname: Migrations\ndescription: Database migrations, when writing one\n---\n"
    );
    assert_eq!(
        front(".kiro/steering/release.md"),
        "---\ninclusion: manual\n---\n"
    );
    assert!(
        !stderr_of(&out).contains("warning"),
        "both say every scope: {}",
        stderr_of(&out)
    );

    // Read back, each says the scope the Cursor rule said.
    let cursor = loads(dir.path());
    for folder in [".windsurf", ".kiro"] {
        let back: BTreeMap<String, String> = written
            .iter()
            .filter(|(p, _)| p.starts_with(folder))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect();
        let copy = sources(&back);
        assert_eq!(loads(copy.path()), cursor, "{folder} read back");
        // And rendered to Cursor again, byte-identical to the start.
        let again = render(copy.path(), "cursor", &[folder]);
        assert_eq!(again.status.code(), Some(0), "{}", stderr_of(&again));
        assert_eq!(
            files(&copy.path().join("out")),
            original,
            "{folder} → cursor"
        );
    }
}

/// Every agent target with a file per rule: the Cursor set rendered to it
/// reads back with the scopes the target can say (its own fallback for the
/// others, each warned), and a rule set already in its format renders back
/// byte-identical.
#[test]
fn every_target_reads_back_what_it_writes() {
    let list: Vec<Value> = serde_json::from_str(&stdout_of(
        &ruledoc()
            .args(["targets", "--format", "json"])
            .output()
            .unwrap(),
    ))
    .unwrap();
    let original = files(&cursor_fixture());
    let cursor_loads = loads(sources(&original).path());
    let mut checked = 0;
    for t in &list {
        let name = t["name"].as_str().unwrap();
        let per_rule = t["writes"].as_array().unwrap().iter().any(|w| {
            ["{stem}", "{flat}"]
                .iter()
                .any(|p| w.as_str().unwrap().contains(p))
        });
        if t["kind"] != "agent" || t["native"].is_null() || !per_rule {
            continue;
        }
        let dir = sources(&original);
        let out = render(dir.path(), name, &[".cursor/rules"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr_of(&out));
        let written = files(&dir.path().join("out"));
        assert_eq!(written.len(), 4, "{name}: {written:?}");
        let copy = sources(&written);
        let back = loads(copy.path());
        let scopes: Vec<&str> = t["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        for (rule, was) in &cursor_loads {
            let when = was["when"].as_str().unwrap();
            let now = &back[rule];
            if scopes.contains(&when) {
                assert_eq!(now, was, "{name}: {rule} read back");
            } else {
                assert!(
                    stderr_of(&out).contains(&format!("{name}: a rule")),
                    "{name}: {rule}'s {when} is not said, and not warned: {}",
                    stderr_of(&out)
                );
            }
        }
        // Its own files, rendered to it again elsewhere: byte-identical.
        let folder = written
            .keys()
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let again = render(copy.path(), name, &[&folder]);
        assert_eq!(
            again.status.code(),
            Some(0),
            "{name}: {}",
            stderr_of(&again)
        );
        assert_eq!(files(&copy.path().join("out")), written, "{name}: again");
        checked += 1;
    }
    assert!(checked >= 12, "{checked} targets checked");
}

#[test]
fn a_file_several_agents_read_is_written_once_and_never_two_ways() {
    let dir = temp();
    write(dir.path(), "rules/a.md", "# A\n\nEverywhere.\n");
    write(
        dir.path(),
        "rules/web.md",
        "---\nglobs: web/**\n---\n# Web\n\nIn web only.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render", "rules", "--out", "out"])
        .args(["-t", "agents,codex,amp,opencode,jules,qwen"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("2 written, 10 unchanged"),
        "{}",
        stderr_of(&out)
    );
    let written = files(&dir.path().join("out"));
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        ["AGENTS.md", "web/AGENTS.md"]
    );
    assert!(written["web/AGENTS.md"].contains("In web only."));
    assert!(!written["AGENTS.md"].contains("In web only."));
    // Two targets whose templates make one file two ways: nothing is
    // written, and no last write wins.
    write(
        dir.path(),
        "tpl/agents.md.tera",
        "Rules for {{ target }}.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render", "rules", "--out", "out2"])
        .args(["--templates", "tpl", "-t", "agents,codex"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out)
            .contains("AGENTS.md: the agents and codex targets would write it with different text"),
        "{}",
        stderr_of(&out)
    );
    assert!(!dir.path().join("out2").exists());
}

#[test]
fn agents_limits_are_warned_with_their_source() {
    let dir = temp();
    let long = "Keep it short. ".repeat(1000);
    write(dir.path(), "rules/long.md", format!("# Long\n\n{long}\n"));
    let out = render(dir.path(), "windsurf", &["rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("windsurf: 15036 characters is over Windsurf's limit of 12000 per file (https://docs.windsurf.com/windsurf/cascade/memories: Rule files are limited to 12,000 characters each"),
        "{err}"
    );
    // The same file as a source is a finding of lint (RD502).
    let copy = sources(&files(&dir.path().join("out")));
    let lint = ruledoc()
        .current_dir(copy.path())
        .args(["--no-config", "lint", "."])
        .output()
        .unwrap();
    assert!(
        stdout_of(&lint).contains(
            "warning[RD502]: 15036 characters: over Windsurf's limit of 12000 characters per file"
        ),
        "{}",
        stdout_of(&lint)
    );
}

/// `context` keeps its token counts in the cache folder: a second run gives
/// the same answer without counting, and an edited rule is counted again.
#[test]
fn context_keeps_its_counts_between_runs() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "");
    write(dir.path(), "AGENTS.md", "# Rules\n\nHello world.\n");
    let run = || {
        ruledoc()
            .current_dir(dir.path())
            .args(["context", "--format", "json", "src/a.rs"])
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", stderr_of(&first));
    let kept = dir.path().join(".ruledoc-cache/tokens-o200k_base.json");
    assert!(kept.is_file());
    assert_eq!(stdout_of(&run()), stdout_of(&first));
    let tokens = |out: &std::process::Output| -> u64 {
        let v: Value = serde_json::from_str(stdout_of(out).trim()).unwrap();
        v["agents"][0]["tokens"].as_u64().unwrap()
    };
    // The edited rule: counted again, as a run with no kept counts counts it.
    write(
        dir.path(),
        "AGENTS.md",
        "# Rules\n\nHello world, again and again.\n",
    );
    let fresh = temp();
    let cold = ruledoc()
        .current_dir(dir.path())
        .arg("--cache-dir")
        .arg(fresh.path())
        .args(["context", "--format", "json", "src/a.rs"])
        .output()
        .unwrap();
    assert_eq!(tokens(&run()), tokens(&cold));
    assert_ne!(tokens(&cold), tokens(&first));
}

/// A rule file named like a file an agent reads by its name (`AGENTS.md`)
/// is renamed in per-rule targets, so that it is read back as the target's
/// rule and not as a nested `AGENTS.md`; CLAUDE.md imports only what Claude
/// Code can import as it stands.
#[test]
fn rule_files_never_take_a_name_agents_read_by_itself() {
    let dir = temp();
    write(dir.path(), ".git/HEAD", "");
    write(dir.path(), "AGENTS.md", "# Root\n\nBe nice.\n");
    write(dir.path(), "web/AGENTS.md", "# Web\n\nUse React.\n");
    write(
        dir.path(),
        "rules/two words.md",
        "# Spaced\n\nEverywhere.\n",
    );
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "render", "--out", "."])
        .args(["-t", "windsurf,claude", "AGENTS.md", "web", "rules"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let written = files(dir.path());
    assert!(
        written.contains_key(".windsurf/rules/agents-md.md"),
        "{written:?}"
    );
    assert!(
        written[".windsurf/rules/web.md"].starts_with("---\ntrigger: glob\nglobs: web/**\n---\n"),
        "{written:?}"
    );
    let back = sources(
        &written
            .iter()
            .filter(|(p, _)| p.starts_with(".windsurf"))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect(),
    );
    let loads = loads(back.path());
    assert_eq!(loads["web"]["when"], "glob", "{loads:?}");
    assert_eq!(loads["agents-md"]["when"], "always", "{loads:?}");
    // `@rules/two words.md` would end at the space: copied instead.
    assert!(
        !written
            .get("CLAUDE.md")
            .is_some_and(|c| c.contains("two words"))
    );
    assert_eq!(
        written[".claude/rules/two words.md"],
        "# Spaced\n\nEverywhere.\n"
    );
}

/// A hand-edited output shows as a diff under --check; --force replaces it,
/// and removes an edited file no longer produced.
#[test]
fn check_shows_edited_outputs_and_force_settles_them() {
    let dir = sources(&files(&cursor_fixture()));
    let render_with = |extra: &[&str]| {
        ruledoc()
            .current_dir(dir.path())
            .args([
                "--no-config",
                "render",
                "--out",
                "out",
                "-t",
                "windsurf",
                ".cursor/rules",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(render_with(&[]).status.success());
    let ts = dir.path().join("out/.windsurf/rules/ts.md");
    std::fs::write(&ts, "mine\n").unwrap();
    let check = render_with(&["--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout_of(&check).contains("-mine\n+---\n+trigger: glob"),
        "{}",
        stdout_of(&check)
    );
    let release = dir.path().join("out/.windsurf/rules/release.md");
    std::fs::write(&release, "edited\n").unwrap();
    std::fs::remove_file(dir.path().join(".cursor/rules/release.mdc")).unwrap();
    let refused = render_with(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr_of(&refused));
    assert!(release.exists());
    let forced = render_with(&["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr_of(&forced));
    assert!(!release.exists());
    assert!(
        std::fs::read_to_string(&ts)
            .unwrap()
            .starts_with("---\ntrigger: glob")
    );
}

/// `excludeAgent` as a list is read like the string: said only to Copilot,
/// and a warning elsewhere.
#[test]
fn exclude_agent_as_a_list_is_not_dropped_silently() {
    let dir = temp();
    write(
        dir.path(),
        ".github/instructions/review.instructions.md",
        "---\napplyTo: \"**\"\nexcludeAgent: [\"coding-agent\"]\n---\n# Review\n\nFor review only.\n",
    );
    let out = render(dir.path(), "windsurf", &[".github/instructions"]);
    assert!(
        stderr_of(&out).contains("windsurf: excludeAgent is read only by Copilot"),
        "{}",
        stderr_of(&out)
    );
}

/// Links still lead to their files from where each output lies: inline and
/// reference links rebased, Cursor's `mdc:` links made relative outside
/// Cursor rules.
#[test]
fn links_lead_to_the_same_files_from_every_output() {
    let dir = temp();
    write(dir.path(), "docs/guide.md", "# Guide\n");
    write(
        dir.path(),
        ".cursor/rules/links.mdc",
        "---\ndescription: Links\nglobs:\nalwaysApply: true\n---\n# Links\n\nSee [the guide][ref], [inline](../../docs/guide.md) and [mdc](mdc:docs/guide.md).\n\n[ref]: ../../docs/guide.md\n",
    );
    let out = render(dir.path(), "windsurf,agents", &[".cursor/rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let written = files(&dir.path().join("out"));
    assert!(
        written[".windsurf/rules/links.md"].ends_with(
            "[inline](../../../docs/guide.md) and [mdc](../../../docs/guide.md).\n\n[ref]: ../../../docs/guide.md\n"
        ),
        "{written:?}"
    );
    assert!(
        written["AGENTS.md"].contains(
            "[inline](../docs/guide.md) and [mdc](../docs/guide.md).\n\n[ref]: ../docs/guide.md"
        ),
        "{written:?}"
    );
}

/// What `context` reads as the agents read it: files Git ignores still
/// load; Roo's other modes do not load in its default mode; nested
/// `QWEN.md` and `.goosehints` load; the summary names files agents work
/// on, not hidden ones.
#[test]
fn context_reads_what_agents_read() {
    let dir = temp();
    write(dir.path(), ".git/HEAD", "");
    write(
        dir.path(),
        ".gitignore",
        "CLAUDE.md\npkg/\n.claude/rules/private.md\n",
    );
    write(dir.path(), "CLAUDE.md", "# Root\n");
    write(dir.path(), ".claude/rules/private.md", "# Private\n");
    write(dir.path(), "pkg/CLAUDE.md", "# Pkg\n");
    write(dir.path(), ".roo/rules/base.md", "# Base\n");
    write(dir.path(), ".roo/rules-code/code.md", "# Code mode\n");
    write(dir.path(), ".roo/rules-debug/debug.md", "# Debug mode\n");
    write(dir.path(), "QWEN.md", "# Qwen\n");
    write(dir.path(), "pkg/QWEN.md", "# Pkg qwen\n");
    write(dir.path(), ".goosehints", "Goose.\n");
    write(dir.path(), "pkg/.goosehints", "Pkg goose.\n");
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["context", "--format", "json", "pkg/x.ts"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: Value = serde_json::from_str(stdout_of(&out).trim()).unwrap();
    let rules = |agent: &str| -> Vec<(String, String)> {
        v["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["agent"] == agent)
            .map(|a| {
                a["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (
                            r["path"].as_str().unwrap().into(),
                            r["why"].as_str().unwrap().into(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let pair = |p: &str, w: &str| (p.to_string(), w.to_string());
    assert_eq!(
        rules("claude"),
        [
            pair("CLAUDE.md", "always"),
            pair(".claude/rules/private.md", "always"),
            pair("pkg/CLAUDE.md", "nested")
        ]
    );
    // Roo's own mode folder and its common one; no debug mode.
    let mut roo = rules("roo");
    roo.sort();
    assert_eq!(
        roo,
        [
            pair(".roo/rules-code/code.md", "always"),
            pair(".roo/rules/base.md", "always")
        ]
    );
    assert_eq!(
        rules("qwen"),
        [pair("QWEN.md", "always"), pair("pkg/QWEN.md", "nested")]
    );
    assert_eq!(
        rules("goose"),
        [
            pair(".goosehints", "always"),
            pair("pkg/.goosehints", "nested")
        ]
    );
    let summary = ruledoc()
        .current_dir(dir.path())
        .args(["context", "--summary", "--format", "json"])
        .output()
        .unwrap();
    let s = stdout_of(&summary);
    assert!(summary.status.success(), "{}", stderr_of(&summary));
    assert!(!s.contains("\"path\":\"."), "{s}");
}

/// The same rule kept in several agents' folders is joined once into
/// `AGENTS.md`, the one every target keeps (Windsurf's before Kiro's), and
/// the copy left out is named.
#[test]
fn a_joined_file_holds_each_rule_once() {
    let dir = temp();
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
    let out = render(dir.path(), "agents", &[".windsurf/rules", ".kiro/steering"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let agents = &files(&dir.path().join("out"))["AGENTS.md"];
    assert!(agents.contains("From Windsurf."), "{agents}");
    assert!(!agents.contains("From Kiro."), "{agents}");
    assert!(
        stderr_of(&out)
            .contains(".kiro/steering/style.md is the same rule; AGENTS.md leaves it out"),
        "{}",
        stderr_of(&out)
    );
}

/// A glob that is one brace group (`{src/**,lib/**}`) is spelt out for the
/// agents that read `globs:` as a plain comma-separated line, and reads back
/// as the same glob rule.
#[test]
fn a_leading_brace_group_keeps_its_scope() {
    let dir = temp();
    write(
        dir.path(),
        ".github/instructions/db.instructions.md",
        "---\napplyTo: \"{src/**,lib/**}\"\n---\n\n# DB\n\nUse migrations.\n",
    );
    let out = render(dir.path(), "cursor,windsurf", &[".github/instructions"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let written = files(&dir.path().join("out"));
    assert!(written[".cursor/rules/db.mdc"].contains("\nglobs: src/**,lib/**\n"));
    let back = loads(sources(&written).path());
    assert_eq!(back["db"]["when"], "glob", "{back:?}");
    assert_eq!(
        back["db"]["patterns"],
        serde_json::json!(["src/**", "lib/**"])
    );
}
