//! Paths, in one place: made absolute, resolved lexically, made relative,
//! and shown to users.
//!
//! Every function here works on the path's text (no symbolic link is
//! followed, no file is read) except where it says otherwise.

use std::path::{Component, Path, PathBuf};

/// `path` made absolute (from the current directory; as given when that
/// cannot be read) with `.` and `..` resolved lexically: no symbolic link is
/// followed, and a `..` above the root stays at the root.
pub fn normalize(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    lexical(&abs)
}

/// `path` taken from `base` when it is relative, with `.` and `..` resolved
/// lexically. A `..` above the root stays at the root.
pub fn normalize_from(base: &Path, path: &Path) -> PathBuf {
    lexical(&base.join(path))
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to the folder `from`, `/`-separated (`../rules/a.md`).
/// Both are taken from the same place (both absolute, or both relative to the
/// current directory); `.` components are ignored. When no relative path
/// exists (one is absolute and the other not), `to` itself.
pub fn relative(from: &Path, to: &Path) -> String {
    let clean = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect()
    };
    let (from, to) = (clean(from), clean(to));
    let rel = pathdiff::diff_paths(&to, &from).unwrap_or(to);
    slash_path(&rel)
}

/// Whether `path`, once symbolic links are resolved, still lies in
/// `resolved_root` (a folder already resolved by
/// [`std::fs::canonicalize`], once for many paths): a path inside by its
/// name may lead out through a link. `false` when `path` cannot be
/// resolved.
pub fn resolves_inside(path: &Path, resolved_root: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(resolved_root))
}

/// A path as a `/`-separated string (lossy for paths that are not UTF-8).
pub fn slash_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// A path as users should see it: relative to the current directory when it
/// is inside it, with `/` separators, and without a leading `./`; `.` for the
/// current directory itself. The current directory is read once per process
/// (the first call), and the comparison is by name: no link is resolved.
pub fn display_path(path: &Path) -> String {
    // Read once: the working directory does not change during a run.
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().ok());
    let shown = match (cwd, path.is_absolute()) {
        (Some(cwd), true) => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    let s = slash_path(shown);
    if s.is_empty() { ".".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(
            relative(Path::new(""), Path::new("rules/a.md")),
            "rules/a.md"
        );
        assert_eq!(
            relative(Path::new(".claude/rules"), Path::new("rules/a.md")),
            "../../rules/a.md"
        );
        assert_eq!(
            relative(Path::new("rules"), Path::new("rules/sub/a.md")),
            "sub/a.md"
        );
        assert_eq!(
            relative(Path::new("./rules"), Path::new("./rules/./a.md")),
            "a.md"
        );
        assert_eq!(
            relative(Path::new("/r/a"), Path::new("/r/b/c.md")),
            "../b/c.md"
        );
    }

    #[test]
    fn lexical_resolution_never_climbs_above_the_root() {
        assert_eq!(
            normalize_from(Path::new("/r/rules"), Path::new("../../../x.md")),
            PathBuf::from("/x.md")
        );
        assert_eq!(
            normalize_from(Path::new("/r"), Path::new("./a/../b.md")),
            PathBuf::from("/r/b.md")
        );
    }
}
