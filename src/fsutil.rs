//! Writing files so that a reader never sees half of one.

use std::io::Write;
use std::path::Path;
use std::sync::{PoisonError, RwLock, RwLockWriteGuard};

use crate::error::{Error, Result};

/// Write `contents` to `path` through a temporary file in the same folder and
/// a rename: a reader sees either the old file or the whole new one, never a
/// part, and a crash of ruledoc leaves no half-written file. The file keeps
/// its permissions when it exists. (No fsync: it protects against a crash of
/// the machine, not of the program, and costs a disk flush per file.)
/// Missing parent folders are created.
///
/// # Errors
///
/// [`Error::Io`] when the folder or the temporary file cannot be created or
/// written, or the rename fails (`path` is a folder, say); `path` is then
/// left as it was and no temporary file remains.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(contents))
}

/// Write a source document (what `lint --fix` and `fmt` rewrite) without
/// undoing how it is linked:
///
/// - a symbolic link is written through: its target gets the new text
///   (atomically, as [`write_atomic`] does) and the link stays a link, as
///   long as the target lies inside `boundary` (the folder the user works
///   in); a link that leads outside it is not followed and not replaced;
/// - a file with several hard links is rewritten in place, so that every
///   name still shows the same text (an atomic rename would give this name a
///   new file and leave the others with the old text);
/// - any other file is written with [`write_atomic`].
///
/// # Errors
///
/// [`Error::Unreadable`] for a symbolic link that leads outside `boundary`
/// or cannot be resolved; [`Error::Io`] when the file cannot be written.
pub fn write_document(path: &Path, contents: &[u8], boundary: &Path) -> Result<()> {
    let link = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
        let inside = std::fs::canonicalize(boundary)
            .map(|b| target.starts_with(b))
            .unwrap_or(false);
        if !inside {
            return Err(Error::Unreadable {
                path: crate::paths::display_path(path),
                message: format!(
                    "not written: it is a symbolic link to {}, outside {}",
                    target.display(),
                    crate::paths::display_path(boundary)
                ),
            });
        }
        return write_atomic(&target, contents);
    }
    if hard_links(&link) > 1 {
        let _writing = WRITES.read().unwrap_or_else(PoisonError::into_inner);
        return std::fs::write(path, contents).map_err(|e| Error::io(path, e));
    }
    write_atomic(path, contents)
}

#[cfg(unix)]
fn hard_links(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn hard_links(_meta: &std::fs::Metadata) -> u64 {
    1
}

/// `write_atomic`, with the content written by `fill`: if it fails at any
/// point, the temporary file is removed and `path` is left as it was.
fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let _writing = WRITES.read().unwrap_or_else(PoisonError::into_inner);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ruledoc-").suffix(".tmp");
    // A new file gets the permissions any new file gets here (0o666 less the
    // umask), not the owner-only ones of a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    fill(tmp.as_file_mut()).map_err(|e| Error::io(path, e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Held (shared) by every write in progress.
static WRITES: RwLock<()> = RwLock::new(());

/// Wait for the writes in progress to finish and hold off new ones for as
/// long as the guard lives: a program that must exit at once (a second
/// signal, a deadline) takes it first, so that it leaves no temporary file
/// behind and no output half-replaced.
pub fn hold_writes() -> RwLockWriteGuard<'static, ()> {
    WRITES.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// A writer that fails after `left` bytes.
    struct FailingAfter<'a> {
        inner: &'a mut dyn Write,
        left: usize,
    }

    impl Write for FailingAfter<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            let n = self.inner.write(&buf[..n])?;
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }

    /// Interrupted after any number of bytes, a write leaves the old file
    /// whole (or no file) and no temporary file beside it.
    #[test]
    fn an_interrupted_write_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rule.md");
        let old = "# Old Rule (Tier 2)\n\n## Purpose\n\nKept.\n";
        let new = "# New Rule (Tier 2)\n\n## Purpose\n\nReplaced, and longer than the old text.\n";
        for exists in [true, false] {
            for cut in 0..new.len() {
                if exists {
                    std::fs::write(&path, old).unwrap();
                } else {
                    let _ = std::fs::remove_file(&path);
                }
                let r = super::write_atomic_with(&path, |w| {
                    FailingAfter {
                        inner: w,
                        left: cut,
                    }
                    .write_all(new.as_bytes())
                });
                assert!(r.is_err(), "cut at {cut}");
                if exists {
                    assert_eq!(std::fs::read_to_string(&path).unwrap(), old, "cut at {cut}");
                } else {
                    assert!(!path.exists(), "cut at {cut}");
                }
                let left: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name())
                    .filter(|n| n != "rule.md")
                    .collect();
                assert!(left.is_empty(), "left behind: {left:?}");
            }
        }
        // Uninterrupted, the new text is there whole.
        super::write_atomic(&path, new.as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), new);
    }

    /// The rename failing (the target is a folder) leaves nothing behind.
    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside"), "x").unwrap();
        assert!(super::write_atomic(&target, b"new").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["taken"]);
    }

    #[cfg(unix)]
    #[test]
    fn documents_keep_their_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        std::fs::write(&real, "old").unwrap();
        // A symbolic link is written through and stays a link.
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        super::write_document(&link, b"new", dir.path()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // A hard link: both names show the new text.
        let hard = dir.path().join("hard.md");
        std::fs::hard_link(&real, &hard).unwrap();
        super::write_document(&hard, b"newer", dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "newer");
        // A link out of the boundary is neither followed nor replaced.
        let inside = dir.path().join("inside");
        std::fs::create_dir(&inside).unwrap();
        let out = inside.join("out.md");
        std::os::unix::fs::symlink("../real.md", &out).unwrap();
        assert!(super::write_document(&out, b"x", &inside).is_err());
        assert!(
            std::fs::symlink_metadata(&out)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "newer");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_usual_permissions_and_old_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let usual = dir.path().join("usual");
        std::fs::File::create(&usual).unwrap();
        let new = dir.path().join("sub/new.md");
        super::write_atomic(&new, b"x").unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&new), mode(&usual));
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o640)).unwrap();
        super::write_atomic(&new, b"y").unwrap();
        assert_eq!(mode(&new), 0o640);
        assert_eq!(std::fs::read(&new).unwrap(), b"y");
    }
}
