//! Verdicts kept between runs, keyed by a hash of everything that decides them.
//! A cache file is one JSON object, key → value, keys sorted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One file of cached results: key → value, loaded once, saved once.
#[derive(Debug)]
pub(crate) struct ResultCache<T> {
    path: PathBuf,
    entries: BTreeMap<String, T>,
    dirty: bool,
}

impl<T: Serialize + for<'de> Deserialize<'de> + Clone> ResultCache<T> {
    /// Load `path`; a missing or unreadable cache is an empty one.
    pub(crate) fn load(path: &Path) -> Self {
        let entries = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        ResultCache {
            path: path.to_path_buf(),
            entries,
            dirty: false,
        }
    }

    /// The value kept under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&T> {
        self.entries.get(key)
    }

    /// Keep `value` under `key`, replacing what was there.
    pub(crate) fn insert(&mut self, key: String, value: T) {
        self.entries.insert(key, value);
        self.dirty = true;
    }

    /// Keep only `live` keys (what this run asked about), then write if
    /// changed, atomically. `None` keeps every entry: the run looked at part
    /// of the set.
    ///
    /// # Errors
    ///
    /// When the file cannot be written ([`crate::Error::Io`]).
    pub(crate) fn save(
        mut self,
        live: Option<&std::collections::HashSet<String>>,
    ) -> crate::Result<()> {
        let before = self.entries.len();
        // Entries of documents not checked this run are kept only if the run
        // looked at them; a cache only ever grows with what is still asked for.
        if let Some(live) = live {
            self.entries.retain(|k, _| live.contains(k));
        }
        if !self.dirty && self.entries.len() == before {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&self.entries).unwrap_or_default();
        crate::fsutil::write_atomic(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_round_trips_and_forgets_what_is_not_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let mut c: ResultCache<u32> = ResultCache::load(&path);
        c.insert("a".into(), 1);
        c.insert("b".into(), 2);
        c.save(Some(&["a".to_string()].into_iter().collect()))
            .unwrap();
        let c: ResultCache<u32> = ResultCache::load(&path);
        assert_eq!(c.get("a"), Some(&1));
        assert_eq!(c.get("b"), None);
    }
}
