//! Finding a rule set's documents: `.md` and `.mdc` files and the files
//! agents load by name, `.gitignore` honoured (the `ignore` crate), hidden
//! folders skipped except the agents' rule folders, ruledoc's own render
//! outputs never taken, and each file paired with the rule-set root its
//! folder tier is taken from.
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
use crate::generated::MANIFEST;
use crate::paths::{display_path, normalize, slash_path};

/// The rule folders agents keep, relative to a repository's top. Each is a
/// rule-set root of its own for the folder convention.
pub const AGENT_RULE_DIRS: &[&str] = &[
    ".claude/rules",
    ".cursor/rules",
    ".github/instructions",
    ".windsurf/rules",
    ".kiro/steering",
    ".clinerules",
    ".roo/rules",
    ".kilocode/rules",
    ".continue/rules",
    ".amazonq/rules",
    ".augment/rules",
    ".trae/rules",
];

/// Rule files agents keep inside their hidden folders, outside the rule folders.
pub(crate) const AGENT_RULE_FILES: &[&str] = &[
    ".claude/CLAUDE.md",
    ".github/copilot-instructions.md",
    ".junie/guidelines.md",
    ".junie/AGENTS.md",
    ".augment/guidelines.md",
    ".qwen/QWEN.local.md",
];

/// Hidden rule files agents read by name (Cursor's, Windsurf's and Augment's
/// legacy files, Cline's single file, Zed's, Goose's hints), wherever they
/// are.
pub(crate) const AGENT_HIDDEN_FILES: &[&str] = &[
    ".cursorrules",
    ".windsurfrules",
    ".clinerules",
    ".rules",
    ".goosehints",
    ".augment-guidelines",
];

/// Hidden folders where agents ruledoc does not read keep their rules: a
/// walk that skips one says so, once.
const UNREAD_AGENT_DIRS: &[&str] = &[".devin", ".codex", ".opencode"];

/// Extensions (without the dot, compared ASCII case-insensitively) of the
/// files a folder walk takes: Markdown and Cursor's `.mdc` rules.
pub const EXTENSIONS: &[&str] = &["md", "mdc"];

/// A document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path to read it from: the input as given, or the walked folder's
    /// path as given joined with the file's path below it.
    pub path: PathBuf,
    /// The same file's absolute path, lexically normalised (no `.` or `..`
    /// components), as discovery computed it once.
    pub abs: PathBuf,
    /// The rule-set root the folder convention applies from (absolute,
    /// `/`-separated), if the file lies in one.
    pub root: Option<PathBuf>,
    /// The path relative to `root`, `/`-separated.
    pub rel_path: Option<String>,
    /// The path outputs are named after (render, extract), `/`-separated:
    /// relative to the configured root or an agent's rule folder when the file
    /// lies in one, else to the folder it was found in; a named file's own
    /// name.
    pub output_rel: Option<String>,
    /// Given as an input file (named on the command line, or a default agent
    /// rule file), as opposed to found in a folder.
    pub explicit: bool,
    /// Read only as context for the rules that compare documents (its rule
    /// set holds a document that was asked about): its own findings are not
    /// reported.
    pub context: bool,
}

impl Found {
    /// `located` is the root and the path relative to it, from `tier_root`.
    fn new(path: PathBuf, abs: PathBuf, located: Option<(String, String)>, explicit: bool) -> Self {
        let (root, rel_path) = match located {
            Some((root, rel)) => (Some(PathBuf::from(root)), Some(rel)),
            None => (None, None),
        };
        Found {
            path,
            abs,
            root,
            rel_path,
            output_rel: None,
            explicit,
            context: false,
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
    /// The repository's top folder (absolute): documents outside the
    /// configured root and the agent folders take it as their root.
    pub repo_root: PathBuf,
    /// Files render wrote (absolute): never sources.
    pub generated: HashSet<PathBuf>,
    /// Glob patterns to leave out (globset syntax, `*` also matches `/`),
    /// matched against paths relative to `base_dir`.
    pub exclude: Vec<String>,
    /// The folder `exclude` is relative to: the configuration file's folder,
    /// else the current directory.
    pub base_dir: PathBuf,
}

/// What a walk takes from a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// Every Markdown file (`.md`, `.mdc`), and the files agents read by name.
    Documents,
    /// Only the files an agent loads by their name or folder
    /// ([`crate::formats::is_agent_file`]): `AGENTS.md`, `CLAUDE.md`,
    /// `GEMINI.md`, `.cursorrules`, the agent rule folders, …
    AgentFiles,
}

/// One input of a walk: a file or a folder, how to scan it, and whether its
/// documents are only context (see [`Found::context`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file or folder, as given.
    pub path: PathBuf,
    /// What a folder walk takes.
    pub scan: Scan,
    /// Its documents are read for the rules that compare documents only.
    pub context: bool,
}

impl Input {
    /// A file or folder named by the user: every document in it.
    pub fn named(path: impl Into<PathBuf>) -> Self {
        Input {
            path: path.into(),
            scan: Scan::Documents,
            context: false,
        }
    }
}

/// Where `check` looks when it is given no path: `root` (the configured
/// root, else `rules/`, as [`Settings`](crate::settings::Settings) resolves
/// it), every document in it; and in `cwd`, every file an agent loads (root
/// and nested `AGENTS.md`, `CLAUDE.md`, `GEMINI.md`, `.cursorrules`,
/// `.windsurfrules`, the agent rule folders), `.gitignore` honoured.
pub fn default_inputs(root: Option<&Path>, cwd: &Path) -> Vec<Input> {
    let mut inputs: Vec<Input> = root.map(Input::named).into_iter().collect();
    inputs.push(Input {
        path: cwd.to_path_buf(),
        scan: Scan::AgentFiles,
        context: false,
    });
    inputs
}

/// Find the documents under `inputs` (folders or files), all at once: the
/// whole of [`walk`], collected.
///
/// # Errors
///
/// As [`walk`]; problems met during the walk are notices, not errors.
pub fn discover(inputs: &[Input], opts: &DiscoverOptions) -> Result<Discovery> {
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
/// not a valid glob or an input is neither a file nor a folder (a device, a
/// FIFO).
pub fn walk(inputs: &[Input], opts: &DiscoverOptions) -> Result<WalkFiles> {
    let exclude = build_exclude(&opts.exclude)?;
    let mut checked = Vec::with_capacity(inputs.len());
    for input in inputs {
        let meta = std::fs::metadata(&input.path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Missing {
                path: display_path(&input.path),
            },
            _ => Error::io(&input.path, e),
        })?;
        if !meta.is_file() && !meta.is_dir() {
            // A device, a FIFO or a socket holds no document to read twice.
            return Err(Error::Usage(format!(
                "{}: not a file or a folder",
                display_path(&input.path)
            )));
        }
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
        repo_root: slash_path(&opts.repo_root),
        generated: std::sync::Arc::new(std::sync::Mutex::new(opts.generated.clone())),
        skipped_generated: 0,
        unread: std::sync::Arc::default(),
        said_unread: HashSet::new(),
        seen: HashSet::new(),
    })
}

/// The iterator [`walk`] returns: documents and notices, in walk order.
pub struct WalkFiles {
    /// Inputs still to do, last first: (input, is a file).
    inputs: Vec<(Input, bool)>,
    current: Option<FolderWalk>,
    exclude: GlobSet,
    check_exclude: bool,
    base: PathBuf,
    configured: Option<String>,
    repo_root: String,
    /// Render outputs (absolute): the configured ones, and those the
    /// manifests in walked folders list, added as the walk meets them.
    generated: std::sync::Arc<std::sync::Mutex<HashSet<PathBuf>>>,
    /// Render outputs passed over, told once at the end.
    skipped_generated: usize,
    /// Hidden agent folders ruledoc does not read, met by the walker.
    unread: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
    said_unread: HashSet<PathBuf>,
    /// Absolute paths already yielded, so overlapping inputs give each file once.
    seen: HashSet<String>,
}

struct FolderWalk {
    input: Input,
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
            if let Some(notice) = self.unread_notice() {
                return Some(Walked::Skipped(notice));
            }
            let Some((input, is_file)) = self.inputs.pop() else {
                return self.generated_notice();
            };
            let abs = normalize(&input.path);
            if is_file {
                let abs_str = slash_path(&abs);
                if !self.seen.insert(abs_str.clone()) {
                    continue;
                }
                let located = tier_root(&abs_str, &self.repo_root, self.configured.as_deref());
                let mut found = Found::new(input.path.clone(), abs, located, true);
                found.output_rel = output_rel(&abs_str, None, self.configured.as_deref());
                found.context = input.context;
                return Some(Walked::File(found));
            }
            let unread = std::sync::Arc::clone(&self.unread);
            let generated = std::sync::Arc::clone(&self.generated);
            // An excluded folder is no agent folder to speak of.
            let excluded = {
                let (exclude, base, check) =
                    (self.exclude.clone(), self.base.clone(), self.check_exclude);
                move |dir: &Path| {
                    check
                        && normalize(dir)
                            .strip_prefix(&base)
                            .is_ok_and(|rel| exclude.is_match(rel.join("x")))
                }
            };
            note_outputs(&abs, &generated);
            let walker = WalkBuilder::new(&input.path)
                .hidden(false)
                .follow_links(true)
                .sort_by_file_name(|a, b| a.cmp(b))
                .filter_entry(move |e| {
                    if e.depth() == 0 {
                        return true;
                    }
                    let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                    let keep = keep_entry(e.path(), is_dir);
                    if keep && is_dir {
                        note_outputs(&normalize(e.path()), &generated);
                    }
                    if !keep && is_dir && is_unread_agent_dir(e.path()) && !excluded(e.path()) {
                        unread
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(e.path().to_path_buf());
                    }
                    keep
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
                // A context folder's problems are not what was asked about.
                Err(_) if folder.input.context => continue,
                Err(err) => return Some(Walked::Skipped(walk_notice(&err, &folder.input.path))),
            };
            if !entry.file_type().is_some_and(|t| t.is_file())
                || !takes(entry.path(), folder.input.scan)
            {
                continue;
            }
            // The walker joins names onto the input, so the file's absolute
            // path is the input's joined with the rest: no per-file
            // normalisation (it costs a getcwd call and a component walk each).
            let rel = entry
                .path()
                .strip_prefix(&folder.input.path)
                .unwrap_or(entry.path());
            if self.check_exclude
                && let Ok(rel) = folder.abs.join(rel).strip_prefix(&self.base)
                && self.exclude.is_match(rel)
            {
                continue;
            }
            let file_abs = format!(
                "{}/{}",
                folder.abs_str.trim_end_matches('/'),
                slash_path(rel)
            );
            let is_output = self
                .generated
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(Path::new(&file_abs));
            if is_output {
                self.skipped_generated += 1;
                continue;
            }
            let located = tier_root(&file_abs, &self.repo_root, self.configured.as_deref());
            let output = output_rel(&file_abs, Some(&folder.abs_str), self.configured.as_deref());
            if !self.seen.insert(file_abs.clone()) {
                continue;
            }
            let mut found = Found::new(entry.into_path(), PathBuf::from(file_abs), located, false);
            found.output_rel = output;
            found.context = folder.input.context;
            return Some(Walked::File(found));
        }
        self.current = None;
        None
    }

    /// A hidden agent folder the walk skipped, said once.
    fn unread_notice(&mut self) -> Option<Notice> {
        let dir = {
            let mut met = self
                .unread
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let at = met.iter().position(|d| !self.said_unread.contains(d))?;
            met.remove(at)
        };
        self.said_unread.insert(dir.clone());
        Some(Notice {
            path: display_path(&dir),
            line: None,
            message: "skipped: rules of an agent ruledoc does not read".into(),
        })
    }

    /// The render outputs passed over, said once at the end of the walk.
    fn generated_notice(&mut self) -> Option<Walked> {
        if self.skipped_generated == 0 {
            return None;
        }
        let n = std::mem::take(&mut self.skipped_generated);
        Some(Walked::Skipped(Notice {
            path: MANIFEST.to_string(),
            line: None,
            message: format!(
                "skipped {n} file{} that ruledoc render wrote: outputs are never sources",
                if n == 1 { "" } else { "s" }
            ),
        }))
    }
}

/// When the folder `dir` (absolute) holds render's manifest, the files it
/// lists are outputs: never sources.
fn note_outputs(dir: &Path, generated: &std::sync::Mutex<HashSet<PathBuf>>) {
    if dir.join(MANIFEST).is_file() {
        generated
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(crate::generated::recorded_files(dir));
    }
}

/// Whether a walk in `scan` mode takes the file at `path`.
fn takes(path: &Path, scan: Scan) -> bool {
    match scan {
        Scan::AgentFiles => crate::formats::is_agent_file(path),
        Scan::Documents => has_rule_extension(path) || crate::formats::is_agent_file(path),
    }
}

/// The folders right inside `dir` where agents ruledoc does not read keep
/// their rules (`.amazonq`, `.junie`, …) and that hold a file, by name.
pub fn unread_agent_dirs(dir: &Path) -> Vec<String> {
    UNREAD_AGENT_DIRS
        .iter()
        .filter(|d| is_unread_agent_dir(&dir.join(d)))
        .map(|d| d.to_string())
        .collect()
}

/// Whether `path` is a hidden folder where an agent ruledoc does not read
/// keeps its rules, and holds a file.
fn is_unread_agent_dir(path: &Path) -> bool {
    let name = file_name(Some(path)).unwrap_or("");
    UNREAD_AGENT_DIRS.contains(&name)
        && std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_some())
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
        // Inside an agent rule folder that is itself hidden (`.clinerules/`),
        // everything is the agent's.
        if AGENT_RULE_DIRS.contains(&parent) {
            return !name.starts_with('.');
        }
        let mut allowed = agent_children(parent).peekable();
        if allowed.peek().is_some() {
            // `.roo/rules-{mode}/` folders are Roo's too, and Kilo Code's
            // `.kilocode/rules-{mode}/`.
            return allowed.any(|child| child == name)
                || (MODE_RULE_PARENTS.contains(&parent) && is_dir && name.starts_with("rules-"));
        }
    }
    !name.starts_with('.')
        || (is_dir && (agent_children(name).next().is_some() || AGENT_RULE_DIRS.contains(&name)))
        || (!is_dir && AGENT_HIDDEN_FILES.contains(&name))
}

/// Agent folders whose `rules-{mode}/` folders hold rules for one mode:
/// Roo Code's and Kilo Code's.
pub const MODE_RULE_PARENTS: &[&str] = &[".roo", ".kilocode"];

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
/// relative to it, from where the file lives, never from how it was named:
/// the configured root when the file is inside it, else the repository's
/// top; inside either, an agent's rule folder is a root of its own. A file
/// outside both has none. Paths are `/`-separated strings.
fn tier_root(file: &str, repo_root: &str, configured: Option<&str>) -> Option<(String, String)> {
    let base = [configured, Some(repo_root)]
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

/// The path outputs are named after: relative to the configured root when
/// the file is inside it, else to the folder being walked; inside either, to
/// an agent's rule folder. `None` for a named file outside the configured root.
fn output_rel(file: &str, walked: Option<&str>, configured: Option<&str>) -> Option<String> {
    let base = [configured, walked]
        .into_iter()
        .flatten()
        .find(|r| relative_to(file, r).is_some())?;
    let rel = relative_to(file, base)?;
    // Below an agent's rule folder, relative to it, whether the walk
    // started at the rule folder, at `.windsurf` or further up: the same
    // rule has the same name.
    let rel_start = file.len() - rel.len();
    for dir in AGENT_RULE_DIRS {
        let marker = format!("/{dir}/");
        if let Some(at) = file.rfind(&marker)
            && at + marker.len() > rel_start
        {
            return Some(file[at + marker.len()..].to_string());
        }
    }
    Some(rel.to_string())
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
    fn tier_root_is_where_the_file_lives() {
        let located = |f, r, c| tier_root(f, r, c).map(|(r, p)| format!("{r} {p}"));
        assert_eq!(
            located("/r/rules/sub/a.md", "/r", Some("/r/rules")).as_deref(),
            Some("/r/rules sub/a.md")
        );
        assert_eq!(
            located("/r/.claude/rules/sub/a.md", "/r", None).as_deref(),
            Some("/r/.claude/rules sub/a.md")
        );
        assert_eq!(
            located("/r/docs/a.md", "/r", Some("/r/rules")).as_deref(),
            Some("/r docs/a.md")
        );
        assert_eq!(located("/x/a.md", "/r", Some("/r/rules")), None);
        assert_eq!(
            located("/r/rulesx/a.md", "/r", Some("/r/rules")).as_deref(),
            Some("/r rulesx/a.md")
        );
    }

    #[test]
    fn agent_files_are_kept_wherever_they_are() {
        assert!(keep_entry(Path::new("repo/.cursorrules"), false));
        assert!(keep_entry(Path::new("repo/sub/.windsurfrules"), false));
        assert!(keep_entry(Path::new("repo/.clinerules"), true));
        assert!(keep_entry(Path::new("repo/.clinerules/style.md"), false));
        assert!(keep_entry(Path::new("repo/.roo"), true));
        assert!(keep_entry(Path::new("repo/.roo/rules-code"), true));
        assert!(!keep_entry(Path::new("repo/.roo/cache"), true));
        assert!(keep_entry(Path::new("repo/.rules"), false));
        assert!(takes(Path::new("repo/AGENTS.md"), Scan::AgentFiles));
        assert!(!takes(Path::new("repo/README.md"), Scan::AgentFiles));
        assert!(takes(Path::new("repo/README.md"), Scan::Documents));
        assert!(takes(Path::new("repo/.cursorrules"), Scan::Documents));
    }

    #[test]
    fn further_agents_folders_and_files_are_kept() {
        for dir in [
            "repo/.junie",
            "repo/.continue",
            "repo/.continue/rules",
            "repo/.amazonq/rules",
            "repo/.augment/rules",
            "repo/.kilocode/rules",
            "repo/.kilocode/rules-code",
            "repo/.trae/rules",
            "repo/.qwen",
        ] {
            assert!(keep_entry(Path::new(dir), true), "{dir}");
        }
        for file in [
            "repo/.junie/guidelines.md",
            "repo/.junie/AGENTS.md",
            "repo/.augment/guidelines.md",
            "repo/.augment-guidelines",
            "repo/sub/.goosehints",
            "repo/.qwen/QWEN.local.md",
        ] {
            assert!(keep_entry(Path::new(file), false), "{file}");
            assert!(takes(Path::new(file), Scan::AgentFiles), "{file}");
        }
        assert!(!keep_entry(Path::new("repo/.continue/prompts"), true));
        assert!(!keep_entry(Path::new("repo/.junie/memory"), true));
        assert!(!keep_entry(Path::new("repo/.qwen/settings.json"), false));
        assert!(!keep_entry(Path::new("repo/.kilocode/workflows"), true));
        assert!(takes(Path::new("repo/.trae/rules/a.md"), Scan::AgentFiles));
    }
}
