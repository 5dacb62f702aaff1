//! Running snippets (`--run`): opt-in, since it runs someone else's code.
//! Each snippet is built as a binary of its own (one cargo workspace, one
//! `cargo build`) and runs alone in its own process, in an empty temporary
//! folder, with no stdin and a timeout. rustdoc's rules decide the verdict:
//! a snippet must exit successfully, or, `should_panic`, must not.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use cargo_metadata::{Artifact, Message, camino::Utf8PathBuf};

use super::messages::parse_cargo_lines;
use super::workspace::{dependencies_section, unit_name, write_if_changed};
use super::{CannotCheck, RustJob, RustOptions};

/// How a run went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunOutcome {
    /// It behaved as its attributes say.
    Passed,
    /// Why it failed: exit status, panic message, or a timeout.
    Failed(String),
}

/// Build and run `jobs` (each has compiled). `should_panic` snippets must
/// panic; the others must exit successfully; each within `timeout` (checked
/// every 5 ms; the process is killed when it runs out). Returns one outcome
/// per job key.
///
/// # Errors
///
/// [`CannotCheck::Cargo`] when the generated workspace cannot be written;
/// [`CannotCheck::Unavailable`] when cargo cannot be started.
pub(crate) fn run_all(
    jobs: &[&RustJob],
    opts: &RustOptions,
    timeout: Duration,
) -> Result<HashMap<String, RunOutcome>, CannotCheck> {
    let root = opts.cache_dir.join("rust-run");
    let _lock = super::workspace_lock(opts.cache_dir);
    let deps = dependencies_section(opts.dependencies);
    let mut members = Vec::new();
    let write = |p: &Path, c: &str| {
        write_if_changed(p, c)
            .map_err(|e| CannotCheck::Cargo(format!("cannot write {}: {e}", p.display())))
    };
    for job in jobs {
        let name = unit_name(&job.key);
        let dir = format!("bin/{name}");
        write(
            &root.join(&dir).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"run-{name}\"\nversion = \"0.0.0\"\nedition = \"{}\"\npublish = false\n\n[[bin]]\nname = \"{name}\"\npath = \"src/main.rs\"\ntest = false\n\n{deps}",
                job.edition.as_str()
            ),
        )?;
        write(
            &root.join(&dir).join("src/main.rs"),
            &job.expanded.program(),
        )?;
        members.push(dir);
    }
    let list = members
        .iter()
        .map(|m| format!("    \"{m}\",\n"))
        .collect::<String>();
    write(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\n{list}]\n\n[profile.dev]\ndebug = 0\n"
        ),
    )?;
    let mut cmd = opts.runner.command("cargo");
    cmd.args(["build", "--message-format=json", "--keep-going", "--quiet"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_TERM_COLOR", "never");
    if opts.dependencies.is_empty() {
        cmd.arg("--offline");
    }
    let out = cmd
        .output()
        .map_err(|e| CannotCheck::Unavailable(format!("cannot run cargo: {e}")))?;
    let mut executables: HashMap<String, Utf8PathBuf> = HashMap::new();
    for message in parse_cargo_lines(&String::from_utf8_lossy(&out.stdout)) {
        if let Message::CompilerArtifact(Artifact {
            target,
            executable: Some(exe),
            ..
        }) = message
        {
            executables.insert(target.name, exe);
        }
    }
    let mut results = HashMap::new();
    for job in jobs {
        let name = unit_name(&job.key);
        let outcome = match executables.get(&name) {
            None => RunOutcome::Failed(
                "it did not build as a program (it links or has no `main`)".into(),
            ),
            Some(exe) => run_one(opts.runner, exe.as_str(), job.attrs.should_panic, timeout),
        };
        results.insert(job.key.clone(), outcome);
    }
    Ok(results)
}

/// The panic's message (the line after `thread '…' panicked at …:`), else
/// the last line of stderr.
fn panic_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
        if let Some(next) = lines.get(i + 1).filter(|l| !l.trim().is_empty()) {
            return format!("panicked: {}", next.trim());
        }
        return lines[i].trim().to_string();
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .unwrap_or_default()
}

fn run_one(
    runner: &dyn crate::snippets::runner::CommandRunner,
    exe: &str,
    should_panic: bool,
    timeout: Duration,
) -> RunOutcome {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return RunOutcome::Failed(format!("cannot make a folder to run in: {e}")),
    };
    let stderr_path = dir.path().join("stderr");
    let Ok(stderr_file) = std::fs::File::create(&stderr_path) else {
        return RunOutcome::Failed("cannot capture the output".into());
    };
    let child = runner
        .command(exe)
        .current_dir(dir.path())
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file)
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return RunOutcome::Failed(format!("cannot start it: {e}")),
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return RunOutcome::Failed(format!(
                    "it did not finish within {} s",
                    timeout.as_secs()
                ));
            }
        }
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let last = panic_message(&stderr);
    match (status.success(), should_panic) {
        (true, false) | (false, true) => RunOutcome::Passed,
        (true, true) => RunOutcome::Failed("it is marked should_panic but did not panic".into()),
        (false, false) => RunOutcome::Failed(match status.code() {
            Some(code) if !last.is_empty() => format!("it exited with status {code}: {last}"),
            Some(code) => format!("it exited with status {code}"),
            None => "it was killed by a signal".into(),
        }),
    }
}
