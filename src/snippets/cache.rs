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

    /// Write if changed, atomically, keeping at most [`MAX_ENTRIES`]
    /// entries: every `live` key (what this run asked about) first, then the
    /// others, so that runs over different parts of a set (one document,
    /// then another, as pre-commit and editors do) each find their verdicts.
    /// `None` means the run looked at part of the set: nothing is dropped.
    ///
    /// # Errors
    ///
    /// When the file cannot be written ([`crate::Error::Io`]).
    pub(crate) fn save(
        self,
        live: Option<&std::collections::HashSet<String>>,
    ) -> crate::Result<()> {
        self.save_within(live, MAX_ENTRIES)
    }

    fn save_within(
        mut self,
        live: Option<&std::collections::HashSet<String>>,
        max: usize,
    ) -> crate::Result<()> {
        let before = self.entries.len();
        // Another run may have saved since this one loaded (pre-commit and
        // editors run side by side): its verdicts are kept too.
        if self.dirty
            && let Some(saved) = std::fs::read(&self.path)
                .ok()
                .and_then(|b| serde_json::from_slice::<BTreeMap<String, T>>(&b).ok())
        {
            for (key, value) in saved {
                self.entries.entry(key).or_insert(value);
            }
        }
        if let Some(live) = live
            && self.entries.len() > max
        {
            let mut room = max.saturating_sub(live.len());
            self.entries.retain(|k, _| {
                if live.contains(k) {
                    return true;
                }
                let keep = room > 0;
                room = room.saturating_sub(1);
                keep
            });
        }
        if !self.dirty && self.entries.len() == before {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&self.entries).unwrap_or_default();
        crate::fsutil::write_atomic(&self.path, &bytes)
    }
}

/// How many verdicts a cache file keeps: far more than a rule set has
/// snippets, few enough that the file stays small (about 100 bytes each).
pub(crate) const MAX_ENTRIES: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_keeps_other_runs_verdicts_within_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let mut c: ResultCache<u32> = ResultCache::load(&path);
        c.insert("a".into(), 1);
        c.insert("b".into(), 2);
        c.save(Some(&["a".to_string()].into_iter().collect()))
            .unwrap();
        // A run that asked only about `a` keeps `b`'s verdict.
        let c: ResultCache<u32> = ResultCache::load(&path);
        assert_eq!(c.get("a"), Some(&1));
        assert_eq!(c.get("b"), Some(&2));
        // Over the bound, what this run asked about stays first.
        let mut c = c;
        c.insert("c".into(), 3);
        c.save_within(Some(&["c".to_string()].into_iter().collect()), 2)
            .unwrap();
        let c: ResultCache<u32> = ResultCache::load(&path);
        assert_eq!(c.get("c"), Some(&3));
        assert_eq!(c.entries.len(), 2);
    }
}
