//! Finding a rule set's documents: `.md` and `.mdc` files, `.gitignore`
//! honoured (the `ignore` crate), hidden folders skipped except the agents'
//! rule folders, and each file paired with the root its folder tier is taken from.
//!
//! Ignore files follow gitignore semantics as the `ignore` crate applies
//! them: `.gitignore`, `.git/info/exclude` and the global Git excludes
//! (inside a Git repository only) and `.ignore` files, those of parent
//! folders included. Symbolic links are followed; a loop is skipped with a
//! notice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

use crate::error::{Error, Notice, Result};
use crate::paths::{display_path, normalize, slash_path};

/// The rule folders agents keep, relative to a repository's top. Each is a
/// rule-set root of its own for the folder convention.
pub const AGENT_RULE_DIRS: &[&str] = &[
    ".claude/rules",
    ".cursor/rules",
    ".github/instructions",
    ".windsurf/rules",
    ".kiro/steering",
];

/// Rule files agents keep inside their hidden folders, outside the rule folders.
const AGENT_RULE_FILES: &[&str] = &[".claude/CLAUDE.md", ".github/copilot-instructions.md"];

/// Extensions (without the dot, compared ASCII case-insensitively) of the
/// files a folder walk takes: Markdown and Cursor's `.mdc` rules.
pub const EXTENSIONS: &[&str] = &["md", "mdc"];

/// A document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path to read it from: the input as given, or the walked folder's
    /// path as given joined with the file's path below it.
    pub path: PathBuf,
    /// The rule-set root the folder convention applies from (absolute,
    /// `/`-separated), if the file lies in one.
    pub root: Option<PathBuf>,
    /// The path relative to `root`, `/`-separated.
    pub rel_path: Option<String>,
    /// Given as an input file (named on the command line, or a default agent
    /// rule file), as opposed to found in a folder.
    pub explicit: bool,
}

impl Found {
    /// `located` is the root and the path relative to it, from `tier_root`.
    fn new(path: PathBuf, located: Option<(String, String)>, explicit: bool) -> Self {
        let (root, rel_path) = match located {
            Some((root, rel)) => (Some(PathBuf::from(root)), Some(rel)),
            None => (None, None),
        };
        Found {
            path,
            root,
            rel_path,
            explicit,
        }
    }

    /// The file's folder relative to its root, `/`-separated (empty for the root).
    pub fn rel_dir(&self) -> Option<&str> {
        let rel = self.rel_path.as_deref()?;
        Some(rel.rsplit_once('/').map(|(d, _)| d).unwrap_or(""))
    }
}

/// One step of a walk: a document to read, or something skipped on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Walked {
    /// A document to read.
    File(Found),
    /// An entry the walk could not take (unreadable folder, link loop).
    Skipped(Notice),
}

/// The documents found, and what was skipped on the way.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The documents in walk order (see [`walk`]), each once.
    pub files: Vec<Found>,
    /// What was skipped, in walk order.
    pub notices: Vec<Notice>,
}

/// What discovery needs from the settings.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// The configured root (absolute), or `rules/` when it exists.
    pub root: Option<PathBuf>,
    /// Glob patterns to leave out (globset syntax, `*` also matches `/`),
    /// matched against paths relative to `base_dir`.
    pub exclude: Vec<String>,
    /// The folder `exclude` is relative to: the configuration file's folder,
    /// else the current directory.
    pub base_dir: PathBuf,
}

/// Where `check` looks when it is given no path: `root` (the configured
/// root, else `rules/`, as [`Settings`](crate::settings::Settings) resolves
/// it), else the agent rule folders and rule files present in `cwd`
/// (`.claude/CLAUDE.md`, `.github/copilot-instructions.md`).
///
/// # Errors
///
/// [`Error::NoRuleSet`] when there is no `root` and none of those is there.
pub fn default_inputs(root: Option<&Path>, cwd: &Path) -> Result<Vec<PathBuf>> {
    if let Some(root) = root {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut inputs: Vec<PathBuf> = AGENT_RULE_DIRS
        .iter()
        .map(|d| cwd.join(d))
        .filter(|p| p.is_dir())
        .collect();
    inputs.extend(
        AGENT_RULE_FILES
            .iter()
            .map(|f| cwd.join(f))
            .filter(|p| p.is_file()),
    );
    if inputs.is_empty() {
        return Err(Error::NoRuleSet {
            looked_for: AGENT_RULE_DIRS.iter().map(|d| d.to_string()).collect(),
        });
    }
    Ok(inputs)
}

/// Find the documents under `inputs` (folders or files), all at once: the
/// whole of [`walk`], collected.
///
/// # Errors
///
/// As [`walk`]; problems met during the walk are notices, not errors.
pub fn discover(inputs: &[PathBuf], opts: &DiscoverOptions) -> Result<Discovery> {
    let mut out = Discovery::default();
    for step in walk(inputs, opts)? {
        match step {
            Walked::File(f) => out.files.push(f),
            Walked::Skipped(n) => out.notices.push(n),
        }
    }
    Ok(out)
}

/// Stream the documents under `inputs`: inputs in the order given, each folder
/// in path order (a sorted depth-first walk), each file once. Missing inputs
/// and bad patterns are errors before anything is yielded.
///
/// A file given in `inputs` is taken whatever its extension, and `exclude`
/// and ignore files do not apply to it.
///
/// # Errors
///
/// [`Error::Missing`] when an input does not exist, [`Error::Io`] when its
/// metadata cannot be read, [`Error::Usage`] when an `exclude` pattern is
/// not a valid glob.
pub fn walk(inputs: &[PathBuf], opts: &DiscoverOptions) -> Result<WalkFiles> {
    let exclude = build_exclude(&opts.exclude)?;
    let mut checked = Vec::with_capacity(inputs.len());
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Missing {
                path: display_path(input),
            },
            _ => Error::io(input, e),
        })?;
        checked.push((input.clone(), meta.is_file()));
    }
    checked.reverse();
    Ok(WalkFiles {
        inputs: checked,
        current: None,
        exclude,
        check_exclude: !opts.exclude.is_empty(),
        base: normalize(&opts.base_dir),
        configured: opts.root.as_deref().map(slash_path),
        seen: HashSet::new(),
    })
}

/// The iterator [`walk`] returns: documents and notices, in walk order.
pub struct WalkFiles {
    /// Inputs still to do, last first: (path, is a file).
    inputs: Vec<(PathBuf, bool)>,
    current: Option<FolderWalk>,
    exclude: GlobSet,
    check_exclude: bool,
    base: PathBuf,
    configured: Option<String>,
    /// Absolute paths already yielded, so overlapping inputs give each file once.
    seen: HashSet<String>,
}

struct FolderWalk {
    input: PathBuf,
    abs: PathBuf,
    abs_str: String,
    walker: ignore::Walk,
}

impl Iterator for WalkFiles {
    type Item = Walked;

    fn next(&mut self) -> Option<Walked> {
        loop {
            if let Some(step) = self.next_in_folder() {
                return Some(step);
            }
            let (input, is_file) = self.inputs.pop()?;
            let abs = normalize(&input);
            if is_file {
                let abs_str = slash_path(&abs);
                if !self.seen.insert(abs_str.clone()) {
                    continue;
                }
                let located = tier_root(&abs_str, None, self.configured.as_deref());
                return Some(Walked::File(Found::new(input, located, true)));
            }
            let walker = WalkBuilder::new(&input)
                .hidden(false)
                .follow_links(true)
                .sort_by_file_name(|a, b| a.cmp(b))
                .filter_entry(|e| {
                    e.depth() == 0
                        || keep_entry(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
                })
                .build();
            self.current = Some(FolderWalk {
                abs_str: slash_path(&abs),
                abs,
                input,
                walker,
            });
        }
    }
}

impl WalkFiles {
    fn next_in_folder(&mut self) -> Option<Walked> {
        let folder = self.current.as_mut()?;
        for entry in folder.walker.by_ref() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => return Some(Walked::Skipped(walk_notice(&err, &folder.input))),
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) || !has_rule_extension(entry.path())
            {
                continue;
            }
            // The walker joins names onto the input, so the file's absolute
            // path is the input's joined with the rest: no per-file
            // normalisation (it costs a getcwd call and a component walk each).
            let rel = entry
                .path()
                .strip_prefix(&folder.input)
                .unwrap_or(entry.path());
            if self.check_exclude
                && let Ok(rel) = folder.abs.join(rel).strip_prefix(&self.base)
                && self.exclude.is_match(rel)
            {
                continue;
            }
            let file_abs = format!("{}/{}", folder.abs_str, slash_path(rel));
            let located = tier_root(&file_abs, Some(&folder.abs_str), self.configured.as_deref());
            if !self.seen.insert(file_abs) {
                continue;
            }
            return Some(Walked::File(Found::new(entry.into_path(), located, false)));
        }
        self.current = None;
        None
    }
}

fn walk_notice(err: &ignore::Error, input: &Path) -> Notice {
    let mut path = None;
    let mut inner = err;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            ignore::Error::Loop { child, .. } => {
                return Notice {
                    path: display_path(child),
                    line: None,
                    message: "skipped: symbolic link loop".into(),
                };
            }
            _ => break,
        }
    }
    Notice {
        path: display_path(path.as_deref().unwrap_or(input)),
        line: None,
        message: format!("skipped: {inner}"),
    }
}

/// Whether a walk goes into (or takes) an entry: hidden entries only along
/// the agents' rule folders, and inside an agent folder only its rule folders
/// and rule files (not `.claude/commands`, `.github/ISSUE_TEMPLATE`, …).
fn keep_entry(path: &Path, is_dir: bool) -> bool {
    let name = file_name(Some(path)).unwrap_or("");
    if let Some(parent) = file_name(path.parent()).filter(|p| p.starts_with('.')) {
        let mut allowed = agent_children(parent).peekable();
        if allowed.peek().is_some() {
            return allowed.any(|child| child == name);
        }
    }
    !name.starts_with('.') || (is_dir && agent_children(name).next().is_some())
}

fn file_name(path: Option<&Path>) -> Option<&str> {
    path.and_then(Path::file_name).and_then(|n| n.to_str())
}

/// What an agent's hidden folder holds that is a rule folder or rule file.
fn agent_children(top: &str) -> impl Iterator<Item = &'static str> + '_ {
    AGENT_RULE_DIRS
        .iter()
        .chain(AGENT_RULE_FILES)
        .filter_map(move |p| p.split_once('/').filter(|(t, _)| *t == top).map(|(_, c)| c))
}

fn has_rule_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn build_exclude(patterns: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p)
            .map_err(|e| Error::Usage(format!("invalid exclude pattern `{p}`: {e}")))?;
        b.add(glob);
    }
    b.build()
        .map_err(|e| Error::Usage(format!("invalid exclude patterns: {e}")))
}

/// The root a document's folder tier is read from, and the document's path
/// relative to it: the configured root when the file is inside it, else the
/// folder being walked; inside either, an agent's rule folder is a root of its
/// own. A lone file outside any root has none. Paths are `/`-separated strings.
fn tier_root(
    file: &str,
    walked: Option<&str>,
    configured: Option<&str>,
) -> Option<(String, String)> {
    let base = [configured, walked]
        .into_iter()
        .flatten()
        .find(|r| relative_to(file, r).is_some())?;
    let rel = relative_to(file, base)?;
    for dir in AGENT_RULE_DIRS {
        if let Some(inner) = rel.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) {
            return Some((
                format!("{}/{dir}", base.trim_end_matches('/')),
                inner.to_string(),
            ));
        }
    }
    Some((base.to_string(), rel.to_string()))
}

/// `path` relative to `dir`, if it lies inside it.
fn relative_to<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(dir.trim_end_matches('/'))?;
    rest.strip_prefix('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_folders_are_skipped_except_agent_rule_folders() {
        assert!(!keep_entry(Path::new("repo/.git"), true));
        assert!(keep_entry(Path::new("repo/.claude"), true));
        assert!(keep_entry(Path::new("repo/.claude/rules"), true));
        assert!(!keep_entry(Path::new("repo/.claude/commands"), true));
        assert!(keep_entry(Path::new("repo/.claude/CLAUDE.md"), false));
        assert!(keep_entry(Path::new("repo/.github"), true));
        assert!(keep_entry(Path::new("repo/.github/instructions"), true));
        assert!(!keep_entry(Path::new("repo/.github/ISSUE_TEMPLATE"), true));
        assert!(keep_entry(
            Path::new("repo/.github/copilot-instructions.md"),
            false
        ));
        assert!(!keep_entry(Path::new("repo/.hidden.md"), false));
        assert!(keep_entry(Path::new("repo/docs"), true));
    }

    #[test]
    fn tier_root_prefers_the_configured_root_and_agent_folders() {
        let located = |f, w, c| tier_root(f, w, c).map(|(r, p)| format!("{r} {p}"));
        assert_eq!(
            located("/r/rules/sub/a.md", Some("/r/rules/sub"), Some("/r/rules")).as_deref(),
            Some("/r/rules sub/a.md")
        );
        assert_eq!(
            located("/r/.claude/rules/sub/a.md", Some("/r"), None).as_deref(),
            Some("/r/.claude/rules sub/a.md")
        );
        assert_eq!(located("/x/a.md", None, Some("/r/rules")), None);
        assert_eq!(located("/r/rulesx/a.md", None, Some("/r/rules")), None);
    }
}
