//! Which Rust toolchain checks the snippets, known without starting it: the
//! `rustc -vV` text is kept with a fingerprint made only of file metadata, so
//! a warm run starts no compiler at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// `toolchain.json` in the cache dir.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Stored {
    fingerprint: String,
    version: String,
}

/// `rustc -vV`, from the cache when the toolchain's files have not changed.
/// `None` when there is no `rustc` (or `cargo`) to run.
pub(crate) fn rustc_version(
    runner: &dyn crate::snippets::runner::CommandRunner,
    cache_dir: &Path,
    cwd: &Path,
) -> Option<String> {
    let fingerprint = fingerprint(cwd)?;
    let path = cache_dir.join("toolchain.json");
    if let Some(stored) = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
        .filter(|s| s.fingerprint == fingerprint)
    {
        return Some(stored.version);
    }
    let out = runner
        .command(&rustc_program())
        .arg("-vV")
        .current_dir(cwd)
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    let stored = Stored {
        fingerprint,
        version,
    };
    let _ = crate::fsutil::write_atomic(&path, &serde_json::to_vec(&stored).unwrap_or_default());
    Some(stored.version)
}

/// The compiler to run: `$RUSTC`, as cargo reads it, else `rustc`.
pub(crate) fn rustc_program() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())
}

/// Find a program on PATH: the first folder holding a file of that name
/// (no executable bit or `PATHEXT` is checked). A name with a folder in it
/// is taken as a path.
pub(crate) fn which(program: &str) -> Option<PathBuf> {
    let p = Path::new(program);
    if p.components().count() > 1 {
        return p.is_file().then(|| p.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|c| c.is_file())
}

/// File metadata that changes whenever the toolchain `rustc` resolves to does:
/// the binary (or rustup's proxy), rustup's settings and installed
/// toolchains, the override variables, and `rust-toolchain` files above `cwd`.
fn fingerprint(cwd: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let rustc = which(&rustc_program())?;
    which("cargo")?;
    parts.push(format!("rustc {}", stat(&rustc)));
    if let Ok(real) = std::fs::canonicalize(&rustc) {
        parts.push(format!("real {}", stat(&real)));
    }
    for var in ["RUSTUP_TOOLCHAIN", "RUSTC", "RUSTUP_HOME", "CARGO_HOME"] {
        parts.push(format!("{var}={}", std::env::var(var).unwrap_or_default()));
    }
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".rustup")));
    if let Some(home) = rustup_home {
        parts.push(format!("settings {}", stat(&home.join("settings.toml"))));
        if let Ok(entries) = std::fs::read_dir(home.join("toolchains")) {
            let mut names: Vec<String> = entries
                .flatten()
                .map(|e| format!("{} {}", e.file_name().to_string_lossy(), stat(&e.path())))
                .collect();
            names.sort();
            parts.extend(names);
        }
    }
    for dir in cwd.ancestors() {
        for name in ["rust-toolchain", "rust-toolchain.toml"] {
            if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
                parts.push(format!("{}: {text}", dir.join(name).display()));
            }
        }
    }
    Some(crate::hash::content_hash(
        &parts.iter().map(String::as_str).collect::<Vec<_>>(),
    ))
}

fn stat(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{} {mtime}", m.len())
        }
        Err(_) => "missing".into(),
    }
}
