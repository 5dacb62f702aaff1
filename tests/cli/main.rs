//! CLI tests: the real binary, run on fixtures and temporary folders.

mod bad_input;
mod check;
mod containment;
mod corpus;
mod discover;
mod init;
mod limits;
mod lint;
mod parse;
mod render;
mod snippets;
mod watch;

use std::path::{Path, PathBuf};

pub fn ruledoc() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ruledoc"));
    cmd.env_remove("RULEDOC_CACHE_DIR").env("NO_COLOR", "1");
    cmd
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Write `content` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A rule document with a title and a purpose, so it is clean.
pub fn rule(title: &str) -> String {
    format!("# {title}\n\n## Purpose\n\nSays what it is for.\n\n## Body\n\nText.\n")
}

/// Every file and link under `dir`, relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}
