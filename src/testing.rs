//! Helpers for the unit tests of this crate.

use std::path::Path;

/// Write `text` to `dir/rel`, making the folders it needs.
pub(crate) fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
