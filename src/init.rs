//! `ruledoc init`: a starter configuration and a two-document tiered rule set.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::paths::display_path;

/// The files `init` writes: (`/`-separated path relative to the target
/// folder, contents), the contents embedded from `templates/init/`.
pub const FILES: &[(&str, &str)] = &[
    (
        "ruledoc.toml",
        include_str!("../templates/init/ruledoc.toml"),
    ),
    (
        "rules/core/code-review.md",
        include_str!("../templates/init/code-review.md"),
    ),
    (
        "rules/sub/error-handling.md",
        include_str!("../templates/init/error-handling.md"),
    ),
];

/// Write the starter files into `dir`, creating folders as needed, and
/// return their paths (`dir` joined with [`FILES`]' paths, in that order).
/// Nothing is written if any of them exists.
///
/// # Errors
///
/// [`Error::WouldOverwrite`] when any of the files (or a symbolic link by
/// its name) exists; [`Error::Io`] when a folder or file cannot be created
/// or written, in which case the files written before it stay.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let targets: Vec<PathBuf> = FILES.iter().map(|(rel, _)| dir.join(rel)).collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|p| p.exists() || p.is_symlink())
        .map(|p| display_path(p))
        .collect();
    if !existing.is_empty() {
        return Err(Error::WouldOverwrite(existing));
    }
    for (path, (_, content)) in targets.iter().zip(FILES) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        // create_new: a file that appeared since the check above is not clobbered.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        std::io::Write::write_all(&mut file, content.as_bytes()).map_err(|e| Error::io(path, e))?;
    }
    Ok(targets)
}
