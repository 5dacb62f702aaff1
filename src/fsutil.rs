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
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
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
    tmp.write_all(contents).map_err(|e| Error::io(path, e))?;
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
