//! `ruledoc watch`: the real binary on a temporary folder, driven by real
//! file-system events. Every wait is bounded; a test that times out prints
//! everything the watch said.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::{rule, ruledoc, temp, write};

/// The longest any one step may take before the test fails. Generous: the
/// steps take milliseconds, but CI machines are busy.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `ruledoc watch` and what it has printed so far.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    /// Everything printed, stdout lines as they are, stderr lines prefixed
    /// with `! `.
    log: Vec<String>,
    /// Index into `log` where the next wait starts looking.
    mark: usize,
}

impl Watch {
    /// Start `ruledoc watch ARGS` in `dir` and wait until it is watching.
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ruledoc"))
            .arg("watch")
            .args(["--debounce", "50"])
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("RULEDOC_CACHE_DIR", dir.join(".cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ruledoc watch");
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx2.send(format!("! {line}")).is_err() {
                    break;
                }
            }
        });
        let mut w = Watch {
            child,
            lines,
            log: Vec::new(),
            mark: 0,
        };
        w.wait_for("the first run", |l| l.starts_with("watching "));
        w
    }

    /// Wait for a line (from the mark on) that `pred` accepts; move the mark
    /// past it and return it.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(i) = (self.mark..self.log.len()).find(|&i| pred(&self.log[i])) {
                self.mark = i + 1;
                return self.log[i].clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.log.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "timed out waiting for {what}; the watch printed:\n{}",
                        self.dump()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait().ok();
                    panic!(
                        "the watch ended ({status:?}) before {what}; it printed:\n{}",
                        self.dump()
                    )
                }
            }
        }
    }

    /// Wait for the status line that ends the next run, and return the lines
    /// that run printed, status line last.
    fn next_run(&mut self, what: &str) -> Vec<String> {
        let from = self.mark;
        self.wait_for(what, is_status);
        self.log[from..self.mark].to_vec()
    }

    /// Wait until a run has printed a line `pred` accepts, then for the end
    /// of that run; return the lines since the mark.
    fn run_with(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> Vec<String> {
        let from = self.mark;
        self.wait_for(what, pred);
        self.wait_for(what, is_status);
        self.log[from..self.mark].to_vec()
    }

    /// Everything printed since the mark, after a short quiet spell: for
    /// checking that nothing happened.
    fn quiet_for(&mut self, spell: Duration) -> Vec<String> {
        let deadline = Instant::now() + spell;
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.log.push(line);
        }
        self.log[self.mark..].to_vec()
    }

    /// Send `signal` and wait (bounded) for the exit.
    fn stop(mut self, signal: &str) -> (ExitStatus, Duration) {
        let sent = Instant::now();
        let ok = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(ok.success(), "kill -{signal} failed");
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, sent.elapsed());
            }
            if sent.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!(
                    "the watch did not stop on {signal}; it printed:\n{}",
                    self.dump()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn dump(&self) -> String {
        self.log.join("\n")
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // A failed test must not leave a watcher running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_status(line: &str) -> bool {
    line.contains(" · done in ") || line.contains("errors, ") && line.ends_with(" ms")
}

fn has(lines: &[String], needle: &str) -> bool {
    lines.iter().any(|l| l.contains(needle))
}

/// Watch `rules/` and render AGENTS.md into `out/`, snippets off.
const AGENTS_INTO_OUT: &[&str] = &[
    "rules",
    "--no-snippets",
    "--render",
    "agents",
    "--out",
    "out",
];

/// A rule set of three clean documents; `alpha` links to `beta`.
fn rule_set(dir: &Path) {
    write(
        dir,
        "rules/alpha.md",
        "# Alpha Rule (Tier 2)\n\n## Purpose\n\nSays.\n\n## Body\n\nSee [beta](beta.md).\n",
    );
    write(dir, "rules/beta.md", rule("Beta Rule (Tier 2)"));
    write(dir, "rules/gamma.md", rule("Gamma Rule (Tier 2)"));
}

/// Replace `rel` the way many editors save: write a temporary file beside
/// it, then rename it over the old one.
fn rename_save(dir: &Path, rel: &str, content: &str) {
    let path = dir.join(rel);
    let tmp = path.with_file_name(format!(
        ".{}.swp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, content).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn first_run_reports_everything_then_watches() {
    let dir = temp();
    rule_set(dir.path());
    write(
        dir.path(),
        "rules/bare.md",
        "# Bare Rule (Tier 2)\n\nText.\n",
    );
    let w = Watch::start(dir.path(), &["rules", "--no-snippets"]);
    let first = w.log.clone();
    assert!(has(&first, "warning[RD105]"), "{first:?}");
    assert!(has(&first, "rules/bare.md:1:1"), "{first:?}");
    assert!(
        has(&first, "4 documents: 0 errors, 1 warning · done in"),
        "{first:?}"
    );
    assert!(has(&first, "watching 2 folders for changes"), "{first:?}");
    let (status, _) = w.stop("INT");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn an_edit_prints_only_what_changed() {
    let dir = temp();
    rule_set(dir.path());
    let mut w = Watch::start(dir.path(), &["rules", "--no-snippets"]);
    assert!(!has(&w.log, "warning["), "{:?}", w.log);

    // Dropping the purpose: one new finding, and only that document is read.
    write(
        dir.path(),
        "rules/gamma.md",
        "# Gamma Rule (Tier 2)\n\nText.\n",
    );
    let run = w.run_with("RD105 on gamma", |l| l.starts_with("warning[RD105]"));
    assert!(has(&run, " --> rules/gamma.md:1:1"), "{run:?}");
    let status = run.last().unwrap();
    assert!(
        status.starts_with("3 documents: 0 errors, 1 warning · read 1, linted 1 · done in "),
        "{status}"
    );
    assert!(!has(&run, "beta"), "{run:?}");

    // Putting it back resolves it, and nothing else is printed.
    write(dir.path(), "rules/gamma.md", rule("Gamma Rule (Tier 2)"));
    let run = w.next_run("the fix");
    assert_eq!(
        run[0],
        "resolved: rules/gamma.md:1:1: RD105 no Purpose section and no purpose in the front matter"
    );
    assert_eq!(run.len(), 2, "{run:?}");
    assert!(
        run[1].starts_with("3 documents: 0 errors, 0 warnings"),
        "{run:?}"
    );

    // Saving the same text again changes nothing worth a line.
    write(dir.path(), "rules/gamma.md", rule("Gamma Rule (Tier 2)"));
    let extra = w.quiet_for(Duration::from_millis(400));
    assert!(extra.iter().all(|l| is_status(l)), "{extra:?}");
    assert!(
        !has(&extra, "warning") && !has(&extra, "resolved"),
        "{extra:?}"
    );
}

#[test]
fn new_file_delete_and_the_documents_that_link_to_it() {
    let dir = temp();
    rule_set(dir.path());
    let mut w = Watch::start(dir.path(), &["rules", "--no-snippets"]);

    // A new document is read and linted.
    write(
        dir.path(),
        "rules/delta.md",
        "# Delta Rule (Tier 2)\n\nText.\n",
    );
    let run = w.run_with("the new document", |l| l.starts_with("warning[RD105]"));
    assert!(has(&run, " --> rules/delta.md:1:1"), "{run:?}");
    assert!(
        run.last()
            .unwrap()
            .starts_with("4 documents: 0 errors, 1 warning · read 1"),
        "{run:?}"
    );

    // Deleting beta breaks alpha's link: alpha is linted again though it
    // did not change.
    std::fs::remove_file(dir.path().join("rules/beta.md")).unwrap();
    let run = w.run_with("the broken link", |l| l.starts_with("error[RD401]"));
    assert!(has(&run, " --> rules/alpha.md:"), "{run:?}");
    let status = run.last().unwrap();
    assert!(
        status.starts_with("3 documents: 1 error, 1 warning · read 0, linted 1, 1 gone"),
        "{status}"
    );

    // Deleting the new document resolves its finding.
    std::fs::remove_file(dir.path().join("rules/delta.md")).unwrap();
    let run = w.next_run("the deletion");
    assert!(has(&run, "resolved: rules/delta.md:1:1: RD105"), "{run:?}");

    // Bringing beta back resolves the link.
    write(dir.path(), "rules/beta.md", rule("Beta Rule (Tier 2)"));
    let run = w.run_with("beta back", |l| l.starts_with("resolved: rules/alpha.md"));
    assert!(has(&run, "RD401"), "{run:?}");
    assert!(
        run.last()
            .unwrap()
            .starts_with("3 documents: 0 errors, 0 warnings"),
        "{run:?}"
    );
}

#[test]
fn folders_created_and_deleted() {
    let dir = temp();
    rule_set(dir.path());
    let mut w = Watch::start(dir.path(), &["rules", "--no-snippets"]);

    // A folder arriving with a document in it (as `mv` or `git checkout`
    // would bring it).
    let staging = dir.path().join("staging");
    write(&staging, "sub/deep.md", "# Deep Rule (Tier 2)\n\nText.\n");
    std::fs::rename(staging.join("sub"), dir.path().join("rules/sub")).unwrap();
    let run = w.run_with("the moved-in folder", |l| {
        l.contains("rules/sub/deep.md:1:1")
    });
    assert!(has(&run, "warning[RD105]"), "{run:?}");
    assert!(run.last().unwrap().starts_with("4 documents"), "{run:?}");

    // A folder created, then filled.
    write(
        dir.path(),
        "rules/new/one.md",
        "# One Rule (Tier 2)\n\nText.\n",
    );
    let run = w.run_with("the new folder", |l| l.contains("rules/new/one.md:1:1"));
    assert!(run.last().unwrap().starts_with("5 documents"), "{run:?}");

    // The folders removed: their findings are resolved.
    std::fs::remove_dir_all(dir.path().join("rules/sub")).unwrap();
    std::fs::remove_dir_all(dir.path().join("rules/new")).unwrap();
    w.wait_for("the removed folders", |l| {
        l.starts_with("3 documents: 0 errors, 0 warnings")
    });
    let log = &w.log[..w.mark];
    assert!(
        has(log, "resolved: rules/sub/deep.md:1:1: RD105"),
        "{log:?}"
    );
    assert!(has(log, "resolved: rules/new/one.md:1:1: RD105"), "{log:?}");
}

#[test]
fn a_rename_save_is_one_change() {
    let dir = temp();
    rule_set(dir.path());
    let mut w = Watch::start(dir.path(), AGENTS_INTO_OUT);
    assert!(read(dir.path().join("out/AGENTS.md")).contains("Beta Rule"));

    rename_save(
        dir.path(),
        "rules/beta.md",
        "# Beta Rule (Tier 2)\n\n## Purpose\n\nRenamed into place.\n",
    );
    let run = w.next_run("the rename-save");
    assert_eq!(run.len(), 1, "{run:?}");
    assert!(
        run[0].starts_with("3 documents: 0 errors, 0 warnings · read 1, linted 2 · 1 written"),
        "{run:?}"
    );
    assert!(read(dir.path().join("out/AGENTS.md")).contains("Renamed into place."));
    // The swap file never counted as a document.
    let extra = w.quiet_for(Duration::from_millis(300));
    assert!(!has(&extra, ".swp"), "{extra:?}");

    // A document renamed to another name: the old one is gone, the new one read.
    std::fs::rename(
        dir.path().join("rules/gamma.md"),
        dir.path().join("rules/omega.md"),
    )
    .unwrap();
    let run = w.next_run("the rename");
    assert!(
        run.last().unwrap().contains("read 1, linted 1, 1 gone"),
        "{run:?}"
    );
}

#[test]
fn broken_front_matter_is_reported_and_the_next_save_recovers() {
    let dir = temp();
    rule_set(dir.path());
    let mut w = Watch::start(dir.path(), AGENTS_INTO_OUT);
    write(
        dir.path(),
        "rules/beta.md",
        "---\ntier: [2\n---\n# Beta Rule (Tier 2)\n\n## Purpose\n\nSays.\n",
    );
    let run = w.run_with("RD109", |l| l.starts_with("error[RD109]"));
    assert!(has(&run, " --> rules/beta.md:2:"), "{run:?}");
    assert!(run.last().unwrap().contains("1 error"), "{run:?}");

    write(
        dir.path(),
        "rules/beta.md",
        "---\ntier: 2\n---\n# Beta Rule (Tier 2)\n\n## Purpose\n\nFixed.\n",
    );
    let run = w.run_with("the fix", |l| l.starts_with("resolved: rules/beta.md:2:"));
    assert!(has(&run, "RD109"), "{run:?}");
    assert!(run.last().unwrap().contains("0 errors"), "{run:?}");
    assert!(read(dir.path().join("out/AGENTS.md")).contains("Fixed."));
    let (status, _) = w.stop("INT");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn config_change_reloads_and_a_broken_config_keeps_the_old_one() {
    let dir = temp();
    rule_set(dir.path());
    write(
        dir.path(),
        "rules/bare.md",
        "# Bare Rule (Tier 2)\n\nText.\n",
    );
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    let mut w = Watch::start(dir.path(), &["--no-snippets"]);
    assert!(has(&w.log, "warning[RD105]"), "{:?}", w.log);

    // Ignoring the rule resolves its finding.
    write(
        dir.path(),
        "ruledoc.toml",
        "root = \"rules\"\n[lint]\nignore = [\"RD105\"]\n",
    );
    let run = w.next_run("the reload");
    assert!(has(&run, "resolved: rules/bare.md:1:1: RD105"), "{run:?}");
    assert!(
        run.last()
            .unwrap()
            .starts_with("4 documents: 0 errors, 0 warnings"),
        "{run:?}"
    );

    // A broken configuration is reported; the watch goes on with the old one.
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\nbogus = 1\n");
    let line = w.wait_for("the config error", |l| l.starts_with("! error:"));
    assert!(line.contains("bogus"), "{line}");
    w.wait_for("the note", |l| l.contains("still watching"));
    write(
        dir.path(),
        "rules/bare.md",
        "# Bare Rule (Tier 2)\n\nStill bare.\n",
    );
    let run = w.next_run("an edit under the old configuration");
    assert!(!has(&run, "RD105"), "{run:?}");

    // The next good save recovers.
    write(dir.path(), "ruledoc.toml", "root = \"rules\"\n");
    let run = w.run_with("RD105 back", |l| l.starts_with("warning[RD105]"));
    assert!(has(&run, " --> rules/bare.md:1:1"), "{run:?}");
}

#[test]
fn a_template_error_is_reported_and_the_fix_renders_again() {
    let dir = temp();
    rule_set(dir.path());
    write(
        dir.path(),
        "tpl/agents.md.tera",
        "# Rules\n{% for g in tiers %}{% for d in g.documents %}- {{ d.name }}\n{% endfor %}{% endfor %}",
    );
    let mut w = Watch::start(
        dir.path(),
        &[AGENTS_INTO_OUT, &["--templates", "tpl"]].concat(),
    );
    let agents = dir.path().join("out/AGENTS.md");
    let before = read(agents.clone());
    assert!(before.contains("- Beta\n"), "{before}");

    write(dir.path(), "tpl/agents.md.tera", "{% for d in documents %}");
    let line = w.wait_for("the template error", |l| l.starts_with("! error:"));
    assert!(line.contains("agents.md.tera"), "{line}\n{}", w.dump());
    // The old output stays as it was.
    assert_eq!(read(agents.clone()), before);

    write(
        dir.path(),
        "tpl/agents.md.tera",
        "# Fixed\n{% for g in tiers %}{% for d in g.documents %}* {{ d.name }}\n{% endfor %}{% endfor %}",
    );
    w.wait_for("the re-render", |l| l.contains(" · 1 written"));
    let after = read(agents);
    assert!(after.starts_with("# Fixed\n"), "{after}");
    assert!(after.contains("* Beta"), "{after}");
}

#[test]
fn outputs_match_a_fresh_render_after_edits() {
    let dir = temp();
    rule_set(dir.path());
    // All six targets.
    let targets = "agents,claude,cursor,copilot,index,revised";
    let mut w = Watch::start(
        dir.path(),
        &[
            "rules",
            "--no-snippets",
            "--render",
            targets,
            "--out",
            "out",
        ],
    );
    write(
        dir.path(),
        "rules/beta.md",
        "# Beta Rule (Tier 3)\n\n## Purpose\n\nNow tier 3.\n\n## Body\n\nMore.\n",
    );
    w.next_run("the edit");
    write(dir.path(), "rules/delta.md", rule("Delta Rule (Tier 1)"));
    w.next_run("the new document");
    std::fs::remove_file(dir.path().join("rules/gamma.md")).unwrap();
    let run = w.next_run("the deletion");
    assert!(has(&run, "removed"), "{run:?}");
    let (status, _) = w.stop("TERM");
    assert_eq!(status.code(), Some(0));

    // A fresh render finds nothing to change, and nothing stale is left.
    ruledoc()
        .current_dir(dir.path())
        .args(["render", "rules", "--out", "out", "--check"])
        .args(["--no-config"])
        .assert()
        .success();
}

#[test]
fn its_own_outputs_and_cache_never_trigger_it() {
    let dir = temp();
    rule_set(dir.path());
    // Outputs inside the watched folder, snippets on (the cache is written).
    write(
        dir.path(),
        "rules/code.md",
        "# Code Rule (Tier 2)\n\n## Purpose\n\nJSON.\n\n```json\n{\"a\": 1}\n```\n",
    );
    let mut w = Watch::start(
        dir.path(),
        &["rules", "--render", "revised,index", "--out", "rules/out"],
    );
    assert!(dir.path().join("rules/out").is_dir());
    let extra = w.quiet_for(Duration::from_millis(600));
    assert!(extra.is_empty(), "it triggered itself: {extra:?}");

    // An edit renders again, and that too triggers nothing more.
    write(
        dir.path(),
        "rules/code.md",
        "# Code Rule (Tier 2)\n\n## Purpose\n\nJSON.\n\n```json\n{\"a\": }\n```\n",
    );
    let run = w.run_with("the broken JSON", |l| l.starts_with("error[RD303]"));
    assert!(run.last().unwrap().contains("1 written"), "{run:?}");
    let extra = w.quiet_for(Duration::from_millis(600));
    assert!(extra.is_empty(), "it triggered itself: {extra:?}");
}

#[test]
fn ctrl_c_and_sigterm_exit_zero() {
    for signal in ["INT", "TERM"] {
        let dir = temp();
        rule_set(dir.path());
        let w = Watch::start(dir.path(), &["rules", "--no-snippets"]);
        let (status, _took) = w.stop(signal);
        assert_eq!(status.code(), Some(0), "on SIG{signal}");
    }
}

#[test]
fn only_the_changed_snippet_is_compiled_again() {
    let dir = temp();
    let doc = |name: &str, body: &str| {
        format!(
            "# {name} Rule (Tier 2)\n\n## Purpose\n\nCode.\n\n**✅ CORRECT**\n\n```rust\n{body}\n```\n"
        )
    };
    write(dir.path(), "rules/one.md", doc("One", "let one: u32 = 1;"));
    write(dir.path(), "rules/two.md", doc("Two", "let two: u32 = 2;"));
    let mut w = Watch::start(dir.path(), &["rules"]);
    assert!(
        has(
            &w.log,
            "2 documents: 0 errors, 0 warnings · 2 snippets compiled or run"
        ),
        "{:?}",
        w.log
    );

    // A type error in one: only that snippet is compiled again.
    write(
        dir.path(),
        "rules/one.md",
        doc("One", "let one: u32 = \"one\";"),
    );
    let run = w.run_with("the compile error", |l| l.starts_with("error[RD302]"));
    assert!(has(&run, " --> rules/one.md:"), "{run:?}");
    let status = run.last().unwrap();
    assert!(status.contains("· 1 snippet compiled or run ·"), "{status}");

    // Fixed: resolved, and again one compile.
    write(dir.path(), "rules/one.md", doc("One", "let one: u32 = 11;"));
    let run = w.run_with("the fix", |l| l.starts_with("resolved: rules/one.md:"));
    assert!(has(&run, "RD302"), "{run:?}");
    let status = run.last().unwrap();
    assert!(status.contains("0 errors"), "{status}");
    assert!(status.contains("· 1 snippet compiled or run ·"), "{status}");

    // An edit outside the snippet compiles nothing.
    write(
        dir.path(),
        "rules/two.md",
        doc("Two", "let two: u32 = 2;").replace("Code.", "Code, still."),
    );
    let run = w.next_run("the prose edit");
    let status = run.last().unwrap();
    assert!(!status.contains("compiled"), "{status}");
}
