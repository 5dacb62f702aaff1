//! Putting rendered files in place without losing anyone's work. A generated
//! file carries a header (an HTML comment, after the front matter if any)
//! with a hash of its content; a file without the header, or edited since
//! (its hash no longer matches), is never overwritten without `--force`.
//! Cursor rules carry no header (they must render back byte-identical): a
//! manifest in the output folder keeps their hashes. Writes are atomic.
//!
//! Hashes here are the first 16 hex digits (64 bits) of the SHA-256 of the
//! content without the header line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Output, Target};
use crate::error::{Error, Result};
use crate::hash::content_hash;

pub use crate::generated::MANIFEST;
use crate::generated::{HEADER_START, Manifest};

/// What to do with the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed and remove what is no longer produced.
    Write {
        /// Overwrite (and remove) files even when they are not ruledoc's or
        /// were edited since (`--force`).
        force: bool,
    },
    /// Write nothing; report what would change.
    Check,
}

/// What happened to each file; paths are relative to the output folder, in
/// the order the outputs were given.
#[derive(Debug, Default)]
pub struct Applied {
    /// Files written (`Write` only).
    pub written: Vec<PathBuf>,
    /// Outputs whose file already held exactly their content.
    pub unchanged: usize,
    /// Files no longer produced, and removed (`Write` only).
    pub removed: Vec<PathBuf>,
    /// Files not written or removed because someone else's work is there,
    /// or they lie outside the folder, each with why.
    pub refused: Vec<(PathBuf, String)>,
    /// `Check`: a unified diff per stale file (3 lines of context), `a/` and
    /// `b/` before its shown path.
    pub diffs: Vec<String>,
}

impl Applied {
    /// Whether `--check` finds anything to change (a refused file counts:
    /// it stands where an output should be).
    pub fn stale(&self) -> bool {
        !self.diffs.is_empty() || !self.refused.is_empty()
    }
}

/// The hash a header carries: of the file's content without the header line.
fn header_hash(without_header: &str) -> String {
    content_hash(&[without_header])[..16].to_string()
}

/// `content` with ruledoc's header: after the front matter, if any, else on
/// the first line. The header names `target` and carries the hash of
/// `content`.
pub fn with_header(target: Target, content: &str) -> String {
    let hash = header_hash(content);
    let header = format!(
        "{HEADER_START}{}` from the rule set: edit the sources, not this file. sha256:{hash} -->\n",
        target.name()
    );
    let split = front_matter_end(content);
    format!("{}{header}{}", &content[..split], &content[split..])
}

fn front_matter_end(content: &str) -> usize {
    let lines = crate::source::LineIndex::new(content);
    match crate::parse::front_matter_of(content, &lines) {
        Some(fm) if fm.is_closed() => fm.span.end,
        _ => 0,
    }
}

/// Split a file into its content without the header and the hash the
/// header claims; `None` when it has no header.
fn read_header(file: &str) -> Option<(String, String)> {
    let at = file.find(HEADER_START)?;
    let line_end = file[at..].find('\n').map_or(file.len(), |i| at + i + 1);
    let line = &file[at..line_end];
    let hash = line
        .rsplit("sha256:")
        .next()?
        .trim()
        .trim_end_matches("-->")
        .trim()
        .to_string();
    Some((format!("{}{}", &file[..at], &file[line_end..]), hash))
}

/// Whether an existing file is ruledoc's, unedited since it was written.
fn is_ours_unedited(file: &str, recorded: Option<&String>) -> bool {
    match read_header(file) {
        Some((content, hash)) => header_hash(&content) == hash,
        None => recorded.is_some_and(|h| *h == header_hash(file)),
    }
}

/// An output folder and its manifest, read once: apply each target, then
/// `finish` writes the manifest (once, and only when it changed).
pub struct Writer {
    out: PathBuf,
    mode: Mode,
    manifest: Manifest,
    /// The manifest as the folder holds it.
    on_disk: Option<Vec<u8>>,
    /// Sources of the render (absolute, lexically normalised): never
    /// written or removed, whatever the manifest says.
    sources: std::collections::HashSet<PathBuf>,
    /// Paths some target of this run produces (relative, `/`-separated):
    /// never removed as no longer produced by another.
    claimed: std::collections::HashSet<String>,
    /// Paths already put in place this run, with their content's hash: a
    /// second target writing the same file finds it done.
    done: std::collections::HashMap<String, String>,
}

impl Writer {
    /// The writer for the folder `out`, its manifest read now (a missing or
    /// unreadable manifest is an empty one).
    pub fn open(out: &Path, mode: Mode) -> Self {
        let on_disk = std::fs::read(out.join(MANIFEST)).ok();
        let manifest = on_disk
            .as_deref()
            .and_then(|b| serde_json::from_slice::<Manifest>(b).ok())
            .unwrap_or_default();
        Writer {
            out: out.to_path_buf(),
            mode,
            manifest,
            on_disk,
            sources: std::collections::HashSet::new(),
            claimed: std::collections::HashSet::new(),
            done: std::collections::HashMap::new(),
        }
    }

    /// Files that are sources of the render (absolute paths): never written
    /// or removed, even with `--force` or when the manifest lists them.
    pub fn protect(&mut self, sources: impl IntoIterator<Item = PathBuf>) {
        self.sources.extend(sources);
    }

    /// Paths (relative to the folder) that targets of this run produce: a
    /// file one target made before and another makes now is not removed.
    pub fn claim(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        self.claimed.extend(paths.into_iter().map(|p| rel_of(&p)));
    }

    /// Whether `rel` (relative to the folder) is a protected source.
    fn is_source(&self, rel: &Path) -> bool {
        !self.sources.is_empty()
            && self
                .sources
                .contains(&crate::paths::normalize(&self.out.join(rel)))
    }

    /// Every file the manifest records, of any target (relative to the folder).
    pub fn recorded(&self) -> Vec<PathBuf> {
        self.manifest
            .values()
            .flat_map(|files| files.keys().map(PathBuf::from))
            .collect()
    }

    /// Put `outputs` of `target` in place: every file the target makes. Files
    /// it made before and makes no more are removed (when unedited). Outside
    /// `Check` mode the manifest (in memory) records what was done, even on
    /// failure.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when a file cannot be written or removed; the files
    /// before it are in place.
    pub fn apply(&mut self, target: Target, outputs: &[Output]) -> Result<Applied> {
        self.apply_to(target, outputs, None)
    }

    /// Put some of `target`'s files in place: `outputs` changed, `gone`
    /// (relative to the folder) are made no more; every other file the
    /// manifest lists stays as it is. Watch mode re-renders only what an
    /// edit touched.
    ///
    /// # Errors
    ///
    /// As [`Writer::apply`].
    pub fn apply_some(
        &mut self,
        target: Target,
        outputs: &[Output],
        gone: &[PathBuf],
    ) -> Result<Applied> {
        self.apply_to(target, outputs, Some(gone))
    }

    /// Write the manifest, atomically, if anything changed it (never in
    /// `Check` mode).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the manifest cannot be written.
    pub fn finish(&mut self) -> Result<()> {
        if self.mode == Mode::Check {
            return Ok(());
        }
        let bytes = serde_json::to_vec_pretty(&self.manifest).unwrap_or_default();
        if self.on_disk.as_deref() != Some(bytes.as_slice()) {
            crate::fsutil::write_atomic(&self.out.join(MANIFEST), &bytes)?;
            self.on_disk = Some(bytes);
        }
        Ok(())
    }

    fn apply_to(
        &mut self,
        target: Target,
        outputs: &[Output],
        gone: Option<&[PathBuf]>,
    ) -> Result<Applied> {
        let mut applied = Applied::default();
        let previous = self
            .manifest
            .get(target.name())
            .cloned()
            .unwrap_or_default();
        let produced: std::collections::HashSet<String> =
            outputs.iter().map(|o| rel_of(&o.path)).collect();
        let candidates: Vec<String> = match gone {
            None => previous
                .keys()
                .filter(|r| !produced.contains(*r))
                .cloned()
                .collect(),
            Some(gone) => gone
                .iter()
                .map(|p| rel_of(p))
                .filter(|r| !produced.contains(r) && previous.contains_key(r))
                .collect(),
        };
        let candidates: Vec<String> = candidates
            .into_iter()
            .filter(|r| !self.claimed.contains(r))
            .collect();
        // A file another target records is judged by that record too: a
        // shared file (AGENTS.md) is ruledoc's whichever target wrote it.
        let mut known = previous.clone();
        for files in self.manifest.values() {
            for (rel, hash) in files {
                known.entry(rel.clone()).or_insert_with(|| hash.clone());
            }
        }
        let result = self.put(target, outputs, &known, &candidates, &mut applied);
        if self.mode != Mode::Check {
            // What was done is recorded, even when something failed on the way.
            let mut now = match gone {
                Some(_) => previous.clone(),
                None => BTreeMap::new(),
            };
            for o in outputs {
                now.insert(rel_of(&o.path), header_hash(&o.content));
            }
            for rel in &candidates {
                if applied.removed.iter().any(|r| rel_of(r) == *rel) {
                    now.remove(rel);
                }
            }
            // Refused files keep their old record: they are still someone's, not ours.
            for (path, _) in &applied.refused {
                let rel = rel_of(path);
                match previous.get(&rel) {
                    Some(h) => {
                        now.insert(rel, h.clone());
                    }
                    None => {
                        now.remove(&rel);
                    }
                }
            }
            if let Err((rel, _)) = &result {
                // The file that failed keeps its old record too.
                let rel = rel.clone();
                match previous.get(&rel) {
                    Some(h) => {
                        now.insert(rel, h.clone());
                    }
                    None => {
                        now.remove(&rel);
                    }
                }
            }
            self.manifest.insert(target.name().to_string(), now);
        }
        result.map(|()| applied).map_err(|(_, e)| e)
    }

    fn put(
        &mut self,
        target: Target,
        outputs: &[Output],
        previous: &BTreeMap<String, String>,
        candidates: &[String],
        applied: &mut Applied,
    ) -> std::result::Result<(), (String, Error)> {
        let out = &self.out;
        let force = matches!(self.mode, Mode::Write { force: true });
        for o in outputs {
            let rel = rel_of(&o.path);
            if !inside(&o.path) {
                // Output paths come from paths relative to a root, never from
                // document text; this holds that line whatever a template does.
                applied
                    .refused
                    .push((o.path.clone(), "outside the output folder".into()));
                continue;
            }
            if self.is_source(&o.path) {
                applied
                    .refused
                    .push((o.path.clone(), "a source of this render".into()));
                continue;
            }
            let content = if target.has_header() {
                with_header(target, &o.content)
            } else {
                o.content.clone()
            };
            let path = out.join(&o.path);
            let hash = header_hash(&content);
            if self.done.get(&rel) == Some(&hash) {
                // Another target of this run put the same file in place.
                applied.unchanged += 1;
                continue;
            }
            self.done.insert(rel.clone(), hash);
            let existing = std::fs::read_to_string(&path).ok();
            if existing.as_deref() == Some(content.as_str()) {
                applied.unchanged += 1;
                continue;
            }
            let ours = existing
                .as_deref()
                .is_none_or(|e| is_ours_unedited(e, previous.get(&rel)));
            if !ours && !force {
                if self.mode == Mode::Check {
                    // Stale too: what render would write there, shown.
                    applied
                        .diffs
                        .push(diff(existing.as_deref().unwrap_or(""), &content, &path));
                }
                let why = if previous.contains_key(&rel)
                    || existing
                        .as_deref()
                        .is_some_and(|e| read_header(e).is_some())
                {
                    "edited since ruledoc wrote it"
                } else {
                    "not written by ruledoc"
                };
                applied.refused.push((o.path.clone(), why.to_string()));
                continue;
            }
            match self.mode {
                Mode::Check => {
                    applied
                        .diffs
                        .push(diff(existing.as_deref().unwrap_or(""), &content, &path))
                }
                Mode::Write { .. } => {
                    crate::fsutil::write_atomic(&path, content.as_bytes())
                        .map_err(|e| (rel.clone(), e))?;
                    applied.written.push(o.path.clone());
                }
            }
        }
        // Files this target made before and makes no more: removed when unedited.
        for rel in candidates {
            if !inside(Path::new(rel)) {
                // The manifest is a file in the output folder, which anyone
                // may edit: it never leads a removal outside the folder.
                applied.refused.push((
                    PathBuf::from(rel),
                    "recorded in .ruledoc-render.json but outside the output folder: left alone"
                        .into(),
                ));
                continue;
            }
            if self.is_source(Path::new(rel)) {
                // Named as a source: it is someone's now, not an output.
                continue;
            }
            let path = out.join(rel);
            let Ok(existing) = std::fs::read_to_string(&path) else {
                continue;
            };
            if !force && !is_ours_unedited(&existing, previous.get(rel)) {
                applied.refused.push((
                    PathBuf::from(rel),
                    "no longer produced, but edited since: left in place".into(),
                ));
                continue;
            }
            match self.mode {
                Mode::Check => applied.diffs.push(diff(&existing, "", &path)),
                Mode::Write { .. } => {
                    std::fs::remove_file(&path).map_err(|e| (rel.clone(), Error::io(&path, e)))?;
                    applied.removed.push(PathBuf::from(rel));
                }
            }
        }
        Ok(())
    }
}

/// A relative path that stays inside the folder it is joined to: only plain
/// names, no `..`, no root, no drive.
fn inside(path: &Path) -> bool {
    path.components().next().is_some()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn rel_of(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn diff(old: &str, new: &str, path: &Path) -> String {
    let shown = crate::paths::display_path(path);
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_go_after_front_matter_and_carry_the_hash() {
        let with = with_header(
            Target::parse("index").expect("index"),
            "---\napplyTo: \"**\"\n---\n# T\n",
        );
        assert!(
            with.starts_with("---\napplyTo: \"**\"\n---\n<!-- ruledoc: generated"),
            "{with}"
        );
        let (content, hash) = read_header(&with).unwrap();
        assert_eq!(content, "---\napplyTo: \"**\"\n---\n# T\n");
        assert_eq!(hash, header_hash(&content));
        assert!(is_ours_unedited(&with, None));
        assert!(!is_ours_unedited(&with.replace("# T", "# Edited"), None));
        assert!(!is_ours_unedited("# hand written\n", None));
    }
}
