//! Rule files are untrusted input: what they name outside the rule set is
//! never opened, render writes only under --out, document text never picks a
//! template, and no snippet code runs without --run.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::{files_under, rule, ruledoc, stdout_of, temp, write};

/// A named pipe: opening it for reading blocks until someone writes, so a
/// command that opens it never finishes and the bounded wait fails the test.
fn fifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(ok.success());
}

/// A repository in `dir/repo` (a `.git` folder marks its top), with
/// `ruledoc.toml` and `rules/`; `dir/outside` is beside it.
fn repository(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo, "ruledoc.toml", "root = \"rules\"\n");
    repo
}

#[test]
fn imports_and_links_outside_the_repository_are_never_opened() {
    let dir = temp();
    let repo = repository(dir.path());
    fifo(&dir.path().join("outside/secret.md"));
    write(
        &repo,
        "rules/a.md",
        "# A Rule (Tier 2)\n\n## Purpose\n\nSays.\n\n## Body\n\n\
         Follow @../../outside/secret.md and @../../../../../../../etc/passwd.\n\n\
         See [the secret](../../outside/secret.md#top) and [abs](/etc/passwd).\n",
    );
    for args in [
        &["lint", "--format", "json"][..],
        &["check"],
        &["graph", "--format", "json"],
        &["render", "--out", "out"],
    ] {
        let out = ruledoc()
            .current_dir(&repo)
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some(),
            "`ruledoc {}` did not finish: it opened the pipe",
            args.join(" ")
        );
        if args[0] == "lint" {
            let text = stdout_of(&out);
            assert!(
                text.contains("import `@../../../../../../../etc/passwd` leaves the repository; it is not read"),
                "{text}"
            );
            assert!(
                text.contains("import `@../../outside/secret.md` leaves the repository"),
                "{text}"
            );
            assert!(
                text.contains(
                    "link `../../outside/secret.md#top` leaves the repository; it is not followed"
                ),
                "{text}"
            );
        }
    }
}

/// Links may lead elsewhere in the repository: a Windsurf rule linking
/// `../workflows/w.md` is fine.
#[test]
fn links_across_the_repository_resolve() {
    let dir = temp();
    let repo = repository(dir.path());
    write(&repo, ".windsurf/workflows/w.md", "# W\n\n## Steps\n");
    write(
        &repo,
        ".windsurf/rules/a.md",
        "---\ntrigger: always_on\n---\nSee [the workflow](../workflows/w.md#steps).\n",
    );
    let out = ruledoc()
        .current_dir(&repo)
        .args(["lint", ".windsurf/rules", "--format", "json"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(!text.contains("RD401"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_does_not_lead_a_link_out_of_the_repository() {
    let dir = temp();
    let repo = repository(dir.path());
    write(dir.path(), "outside/secret.md", "# Secret\n");
    write(
        &repo,
        "rules/a.md",
        "# A Rule (Tier 2)\n\n## Purpose\n\nSays.\n\nSee [it](escape/secret.md#top).\n",
    );
    std::os::unix::fs::symlink(dir.path().join("outside"), repo.join("rules/escape")).unwrap();
    let out = ruledoc()
        .current_dir(&repo)
        .args(["lint"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "lint opened the pipe");
    assert!(
        stdout_of(&out).contains("leads out of the repository through a symbolic link"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn render_writes_only_under_out() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    write(
        dir.path(),
        "rules/a.md",
        "---\nname: ../../../escape\nglobs: \"../../**\"\n---\n# ../../x/../y Rule (Tier 2)\n\n## Purpose\n\nA title with slashes.\n",
    );
    write(
        dir.path(),
        "rules/sub/b.md",
        rule("B/../../C Rule (Tier 3)"),
    );
    let before = files_under(dir.path());
    ruledoc()
        .current_dir(dir.path())
        .args(["render", "--out", "out"])
        .assert()
        .success();
    for f in files_under(dir.path()) {
        assert!(
            before.contains(&f) || f.starts_with("out"),
            "render wrote {} outside --out",
            f.display()
        );
    }
}

#[test]
fn a_tampered_record_never_removes_a_file_outside_out() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    write(dir.path(), "rules/a.md", rule("A Rule (Tier 2)"));
    write(dir.path(), "rules/b.md", rule("B Rule (Tier 2)"));
    ruledoc()
        .current_dir(dir.path())
        .args(["render", "--target", "revised", "--out", "out"])
        .assert()
        .success();
    // A file outside the folder with the content of a generated one (so it
    // looks unedited), and the record made to claim it.
    let generated = std::fs::read_to_string(dir.path().join("out/revised/b.md")).unwrap();
    let victim = write(dir.path(), "victim.md", &generated);
    let manifest_path = dir.path().join("out/.ruledoc-render.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let hash = manifest["revised"]["revised/b.md"].clone();
    manifest["revised"]["../victim.md"] = hash.clone();
    manifest["revised"]["/tmp/../".to_string() + victim.to_str().unwrap()] = hash;
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    let out = ruledoc()
        .current_dir(dir.path())
        .args(["render", "--target", "revised", "--out", "out"])
        .output()
        .unwrap();
    assert!(victim.exists(), "render removed a file outside --out");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), generated);
    let err = super::stderr_of(&out);
    assert!(err.contains("outside the output folder"), "{err}");
}

#[test]
fn document_text_never_chooses_a_template() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    write(dir.path(), "secret.tera", "SECRET");
    let body =
        "# T Rule (Tier 1)\n\n## Purpose\n\n{% include \"../secret.tera\" %} {{ 7 * 7 }} {# c #}\n";
    write(dir.path(), "rules/t.md", body);
    ruledoc()
        .current_dir(dir.path())
        .args(["render", "--out", "out"])
        .assert()
        .success();
    for name in ["AGENTS.md", "RULES.md", "revised/t.md"] {
        let text = std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
        assert!(
            !text.contains("SECRET") && !text.contains("49"),
            "{name}: {text}"
        );
    }
    let agents = std::fs::read_to_string(dir.path().join("out/AGENTS.md")).unwrap();
    assert!(
        agents.contains("{% include \"../secret.tera\" %} {{ 7 * 7 }}"),
        "{agents}"
    );
}

#[test]
fn no_snippet_code_runs_without_run() {
    let dir = temp();
    let ran = dir.path().join("ran.txt");
    let ran_py = dir.path().join("ran-py.txt");
    let doc = format!(
        "# S Rule (Tier 2)\n\n## Purpose\n\nCode.\n\n```rust\n\
         std::fs::write({ran:?}, \"\").unwrap();\n```\n\n\
         ```python\nopen({ran_py:?}, 'w')\n```\n"
    );
    write(dir.path(), "rules/s.md", doc);
    let check = |extra: &[&str]| {
        ruledoc()
            .current_dir(dir.path())
            .env("RULEDOC_CACHE_DIR", dir.path().join("cache"))
            .args(["--no-config", "check", "rules"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    assert!(!ran.exists(), "a snippet ran without --run");
    // The same document with --run does run it: the check above would see it.
    let out = check(&["--run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    assert!(ran.exists(), "--run did not run the snippet");
    assert!(!ran_py.exists(), "Python is never run");
}

#[test]
fn help_says_what_cargo_check_can_still_run() {
    for cmd in [&["check", "--help"][..], &["snippets", "verify", "--help"]] {
        let out = ruledoc().args(cmd).output().unwrap();
        let text = stdout_of(&out)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("still runs the build scripts and proc-macros of the dependencies"),
            "{text}"
        );
    }
}
