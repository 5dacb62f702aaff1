//! What each agent loads for one file of a repository: which of its rule
//! files, in load order, why, and what they cost in tokens (`ruledoc
//! context`).
//!
//! The answer is made from where each agent file lies and its front matter
//! only: the documents are not parsed, except the files whose agent follows
//! `@path` imports ([`formats::reads_imports`]). When a file loads is
//! [`formats::loads`]'s decision (one place for every agent); this module
//! adds where it applies:
//!
//! - A file applies below its *base*, the folder above its first hidden
//!   folder (`pkg/.cursor/rules/a.mdc` → `pkg`, `.github/copilot-instructions.md`
//!   → the top) or else its own folder (`pkg/AGENTS.md` → `pkg`). A file
//!   whose base is the repository's top is read as its agent reads it there;
//!   one whose base lies deeper only by agents that read nested files
//!   ([`reads_nested`]), and only for files below its base.
//! - Scope patterns (`globs`, `paths`, `applyTo`, `fileMatchPattern`) are
//!   relative to the base, and matched with `globset` where `*` and `?` stay
//!   within one folder and `**` crosses folders: GitHub's documented syntax
//!   for `applyTo` ("`*.py` will match all `.py` files in the current
//!   directory"; "`**/*.py`" in all directories), which Cursor's, Claude
//!   Code's and Windsurf's examples (`src/**/*.ts`) follow.
//!
//! The repository's top is given by the caller: the folder of
//! `ruledoc.toml`, else the Git top, else the current directory.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::formats::{self, Agent, Keys};
use crate::model::{Format, Loads};
use crate::paths::{normalize_from, slash_path};

/// How many hops of `@path` imports are followed: Claude Code's memory docs
/// ("a maximum depth of 5 hops"), which Gemini CLI's import processor shares.
pub const IMPORT_HOPS: usize = 5;

/// Why an agent loads a rule file for the file asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Why {
    /// In every session (`alwaysApply: true`, a top `CLAUDE.md`, …).
    #[serde(rename = "always")]
    Always,
    /// A `globs` (or `fileMatchPattern`) pattern matches the file.
    #[serde(rename = "glob")]
    Glob,
    /// A `paths` pattern (Claude Code, Cline) matches the file.
    #[serde(rename = "paths")]
    Paths,
    /// An `applyTo` pattern (Copilot) matches the file.
    #[serde(rename = "applyTo")]
    ApplyTo,
    /// A nested file (or a nested rule folder's file) whose folder holds the
    /// file: loaded when the agent works there.
    #[serde(rename = "nested")]
    Nested,
    /// Imported (`@path`) by a loaded file.
    #[serde(rename = "import")]
    Import,
    /// The model decides from its description: listed, not counted.
    #[serde(rename = "on-request")]
    OnRequest,
}

impl Why {
    /// The name in the output (`applyTo`, `on-request`, …).
    pub fn name(self) -> &'static str {
        match self {
            Why::Always => "always",
            Why::Glob => "glob",
            Why::Paths => "paths",
            Why::ApplyTo => "applyTo",
            Why::Nested => "nested",
            Why::Import => "import",
            Why::OnRequest => "on-request",
        }
    }
}

/// One rule file an agent loads (or may load, on request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadedRule {
    /// `/`-separated, relative to the repository's top.
    pub path: String,
    /// Why it loads.
    pub why: Why,
    /// The scope pattern that matched, where one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Copilot's `excludeAgent` (`code-review`, `coding-agent`): that Copilot
    /// agent does not load the file.
    #[serde(rename = "excludeAgent", skip_serializing_if = "Option::is_none")]
    pub exclude_agent: Option<String>,
    /// Its tokens ([`crate::tokens::count`]); 0 when it cannot be read.
    pub tokens: usize,
}

/// What one agent loads for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentContext {
    /// The agent's name ([`agent_name`]).
    pub agent: String,
    /// The tokens of the rules it loads, on-request ones not counted.
    pub tokens: usize,
    /// Whether the count is only an estimate of the agent's own: see
    /// [`approximate`].
    pub approximate: bool,
    /// The rules it loads in load order, then those it may load on request.
    pub rules: Vec<LoadedRule>,
}

/// What every agent loads for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The file, `/`-separated, relative to the repository's top.
    pub path: String,
    /// The tokenizer the counts follow ([`crate::tokens::TOKENIZER`]).
    pub tokenizer: &'static str,
    /// One entry per agent, in [`known_agents`] order.
    pub agents: Vec<AgentContext>,
}

/// The largest load of one agent over a repository's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Largest {
    /// The file, `/`-separated, relative to the repository's top.
    pub path: String,
    /// What the agent loads for it, on-request rules not counted.
    pub tokens: usize,
}

/// One agent's costs over a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentSummary {
    /// The agent's name ([`agent_name`]).
    pub agent: String,
    /// The tokens it loads in every session (and their imports).
    pub always_tokens: usize,
    /// The file for which it loads most; `None` when the repository has no
    /// file.
    pub largest: Option<Largest>,
}

/// Every agent's costs over a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The tokenizer the counts follow.
    pub tokenizer: &'static str,
    /// One entry per agent, in [`known_agents`] order.
    pub agents: Vec<AgentSummary>,
}

/// Every agent some format belongs to, in declaration order; ruledoc's own
/// rule sets, which no agent loads, left out.
pub fn known_agents() -> Vec<Agent> {
    let all: BTreeSet<Agent> = Format::ALL
        .iter()
        .map(|f| formats::agent(*f))
        .filter(|a| *a != Agent::Ruledoc)
        .collect();
    all.into_iter().collect()
}

/// An agent's name on the command line and in the output: its kebab-case
/// name (`claude`, `cursor`, …), but `agents` for the readers of `AGENTS.md`.
pub fn agent_name(agent: Agent) -> String {
    match serde_json::to_value(agent) {
        Ok(serde_json::Value::String(s)) if s == "agents-md" => "agents".into(),
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{agent:?}").to_lowercase(),
    }
}

/// The agent named `name` ([`agent_name`]), or the agent that reads the
/// files of the render target named `name` (`codex`, `amp`, `opencode`:
/// the readers of `AGENTS.md`).
pub fn agent_by_name(name: &str) -> Option<Agent> {
    known_agents()
        .into_iter()
        .find(|a| agent_name(*a) == name)
        .or_else(|| {
            let format = crate::targets::Target::parse(name)?
                .spec()
                .native_format()?;
            Some(crate::formats::agent(format))
        })
}

/// Whether `agent`'s token count is an estimate: always, since every agent
/// runs models of several vendors (Claude's, Gemini's and the vendors' own
/// tokenizers are not public, and Copilot, Cursor, Windsurf and the
/// `AGENTS.md` readers let the user pick), and each wraps the rules in its
/// own prompt. The field stays so that an agent tied to the counting
/// tokenizer's models can say `false`.
pub fn approximate(_agent: Agent) -> bool {
    true
}

/// Whether `format`'s agent reads the files of this format below the
/// repository's top, for the files below them:
///
/// - `CLAUDE.md`, `AGENTS.md`, `GEMINI.md`: nested files load when the
///   agent works in their folder ([`formats::loads`]).
/// - Claude Code checks `CLAUDE.md`, `.claude/CLAUDE.md` and
///   `.claude/rules/` "in each directory" (its memory loader).
/// - Cursor: "subdirectories can include their own `.cursor/rules`
///   directory scoped to that folder" (rules docs, nested rules).
/// - Windsurf discovers `.windsurf/rules` in the workspace's subfolders.
///
/// - Qwen Code reads nested `QWEN.md` as Gemini CLI reads `GEMINI.md`;
///   Goose reads each `.goosehints` from the Git top down to the folder it
///   works in.
///
/// Copilot, Kiro, Cline, Roo and Zed read their files at the workspace's
/// top only.
pub fn reads_nested(format: Format) -> bool {
    matches!(
        format,
        Format::ClaudeMd
            | Format::ClaudeRules
            | Format::AgentsMd
            | Format::GeminiMd
            | Format::CursorMdc
            | Format::WindsurfRules
            | Format::QwenMd
            | Format::Goosehints
    )
}

/// Whether `agent` puts an imported file before the file importing it:
/// Claude Code adds "included files ... as separate entries before the
/// including file" (its memory loader); Gemini CLI puts the imported text
/// where the `@path` stands, so it follows its importer.
fn imports_first(agent: Agent) -> bool {
    agent == Agent::Claude
}

/// The file asked about: a path relative to the repository's top, and the
/// folder the agent works in for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `/`-separated, relative to the repository's top (empty for the top).
    pub path: String,
    /// The file's folder (the path itself for an existing folder).
    pub dir: String,
}

impl Target {
    /// `path` (relative to `cwd`; it need not exist) inside the repository
    /// whose top is `root` (absolute).
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when the path lies outside the repository.
    pub fn new(root: &Path, cwd: &Path, path: &Path) -> Result<Self> {
        let abs = normalize_from(cwd, path);
        let Ok(rel) = abs.strip_prefix(root) else {
            return Err(Error::Usage(format!(
                "{}: outside the repository, whose top is {}: agents load rules for its files only",
                slash_path(path),
                slash_path(root)
            )));
        };
        let rel = slash_path(rel);
        let dir = if abs.is_dir() {
            rel.clone()
        } else {
            parent(&rel).to_string()
        };
        Ok(Target { path: rel, dir })
    }

    /// A path already relative to the repository's top, `/`-separated.
    pub fn relative(path: &str, is_dir: bool) -> Self {
        let path = path.trim_matches('/').to_string();
        let dir = if is_dir {
            path.clone()
        } else {
            parent(&path).to_string()
        };
        Target { path, dir }
    }
}

/// An agent file of the repository.
#[derive(Debug)]
struct RuleFile {
    rel: String,
    abs: PathBuf,
    format: Format,
    agent: Agent,
    /// The folder it applies below (empty for the top).
    base: String,
}

/// A repository's agent files (and, for a summary, all its files).
#[derive(Debug)]
pub struct Repository {
    root: PathBuf,
    rules: Vec<RuleFile>,
    /// Token counts kept between runs ([`Repository::keep_counts`]).
    counts: Option<Arc<crate::tokens::Counts>>,
    /// Every file the walk took (`.gitignore` honoured), sorted; empty unless
    /// asked for.
    files: Vec<String>,
}

/// Names agents load though they are usually Git-ignored: looked for in
/// every folder the walk enters.
const IGNORED_BUT_LOADED: &[&str] = &["CLAUDE.local.md"];

impl Repository {
    /// The agent files under `root` (absolute): `.gitignore` honoured (the
    /// `ignore` crate), `.git` skipped, `CLAUDE.local.md` taken even when
    /// ignored (Claude Code reads it, and it is meant to stay out of Git).
    /// With `all_files`, every file walked is kept too, for [`Repository::summary`].
    pub fn scan(root: &Path, all_files: bool) -> Self {
        let found: Mutex<(Vec<String>, BTreeSet<String>)> = Mutex::default();
        ignore::WalkBuilder::new(root)
            .hidden(false)
            .follow_links(true)
            .filter_entry(|e| e.file_name() != ".git")
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    let Ok(entry) = entry else {
                        return ignore::WalkState::Continue;
                    };
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    let Ok(rel) = entry.path().strip_prefix(root) else {
                        return ignore::WalkState::Continue;
                    };
                    let rel = slash_path(rel);
                    let mut found = found.lock().unwrap_or_else(|p| p.into_inner());
                    if is_dir {
                        found.1.insert(rel);
                    } else if entry.file_type().is_some_and(|t| t.is_file()) {
                        found.0.push(rel);
                    }
                    ignore::WalkState::Continue
                })
            });
        let (mut files, dirs) = found.into_inner().unwrap_or_else(|p| p.into_inner());
        for dir in &dirs {
            for name in IGNORED_BUT_LOADED {
                let rel = join(dir, name);
                if root.join(&rel).is_file() {
                    files.push(rel);
                }
            }
        }
        // At the top, every agent file, Git-ignored or not: agents do not
        // read `.gitignore` (rule generators often ignore what they write).
        files.extend(loaded_in(root, ""));
        files.sort_unstable();
        files.dedup();
        let mut rules: Vec<RuleFile> = files
            .iter()
            .filter_map(|rel| rule_file(root, rel))
            .collect();
        rules.sort_by(|a, b| load_order(a).cmp(&load_order(b)));
        if !all_files {
            files = Vec::new();
        }
        Repository {
            root: root.to_path_buf(),
            rules,
            files,
            counts: None,
        }
    }

    /// Take the agent files in `dirs` (relative to the top, the folders on
    /// the way to a file asked about), Git-ignored or not: agents load them
    /// whatever `.gitignore` says.
    pub fn include_ignored_in<'d>(&mut self, dirs: impl IntoIterator<Item = &'d str>) {
        let known: HashSet<String> = self.rules.iter().map(|r| r.rel.clone()).collect();
        let mut added = false;
        for dir in dirs {
            for rel in loaded_in(&self.root, dir) {
                if known.contains(&rel) || self.rules.iter().any(|r| r.rel == rel) {
                    continue;
                }
                if let Some(r) = rule_file(&self.root, &rel) {
                    self.rules.push(r);
                    added = true;
                }
            }
        }
        if added {
            self.rules.sort_by(|a, b| load_order(a).cmp(&load_order(b)));
        }
    }

    /// Count tokens through `counts`, kept between runs: a file counted
    /// before, unchanged, is not counted again.
    pub fn keep_counts(&mut self, counts: Arc<crate::tokens::Counts>) {
        self.counts = Some(counts);
    }

    /// The agents some file of the repository belongs to, in [`known_agents`] order.
    pub fn agents(&self) -> Vec<Agent> {
        let present: BTreeSet<Agent> = self.rules.iter().map(|r| r.agent).collect();
        present.into_iter().collect()
    }

    /// What each of `agents` loads for `target`.
    pub fn context(&self, target: &Target, agents: &[Agent]) -> Context {
        let mut all = self.contexts(std::slice::from_ref(target), agents);
        all.pop().unwrap_or_else(|| Context {
            path: target.path.clone(),
            tokenizer: crate::tokens::TOKENIZER,
            agents: Vec::new(),
        })
    }

    /// What each of `agents` loads for each of `targets`, in their order;
    /// each rule file read once.
    pub fn contexts(&self, targets: &[Target], agents: &[Agent]) -> Vec<Context> {
        let paths: Vec<&str> = targets.iter().map(|t| t.path.as_str()).collect();
        let index = Index::build(self, agents, Some(&paths), |base| {
            targets.iter().any(|t| is_within(&t.dir, base))
        });
        targets
            .iter()
            .map(|target| Context {
                path: target.path.clone(),
                tokenizer: crate::tokens::TOKENIZER,
                agents: agents
                    .iter()
                    .map(|a| index.agent_context(*a, target))
                    .collect(),
            })
            .collect()
    }

    /// For each of `agents`, what it loads in every session, and the file
    /// of the repository for which it loads most (the first in path order
    /// among equals). Needs a scan with `all_files`.
    pub fn summary(&self, agents: &[Agent]) -> Summary {
        let index = Index::build(self, agents, None, |_| true);
        let top = Target::relative("", true);
        let summaries = agents
            .iter()
            .map(|a| {
                let always_tokens = index.agent_context(*a, &top).tokens;
                // The files an agent works on: not its own or another
                // agent's hidden files, nor ruledoc's cache.
                let largest = self
                    .files
                    .par_iter()
                    .filter(|f| !f.split('/').any(|c| c.starts_with('.')))
                    .map(|f| (index.tokens_for(*a, &Target::relative(f, false)), f))
                    .reduce_with(|x, y| {
                        if y.0 > x.0 || (y.0 == x.0 && y.1 < x.1) {
                            y
                        } else {
                            x
                        }
                    })
                    .filter(|(tokens, _)| *tokens > 0)
                    .map(|(tokens, path)| Largest {
                        path: path.clone(),
                        tokens,
                    });
                AgentSummary {
                    agent: agent_name(*a),
                    always_tokens,
                    largest,
                }
            })
            .collect();
        Summary {
            tokenizer: crate::tokens::TOKENIZER,
            agents: summaries,
        }
    }
}

/// The agent file at `rel` (relative to `root`), if it is one.
fn rule_file(root: &Path, rel: &str) -> Option<RuleFile> {
    let path = Path::new(rel);
    if !formats::is_agent_file(path) {
        return None;
    }
    let format = formats::by_location(path);
    let agent = formats::agent(format);
    (agent != Agent::Ruledoc).then(|| RuleFile {
        abs: root.join(rel),
        base: base_of(rel).to_string(),
        rel: rel.to_string(),
        format,
        agent,
    })
}

/// The files agents read by name in `dir` (relative to `root`; `CLAUDE.md`,
/// `AGENTS.md`, `.cursorrules`…) and the files of its agent rule folders
/// (`.claude/rules`, `.cursor/rules`…), that exist, `.gitignore` or not.
fn loaded_in(root: &Path, dir: &str) -> Vec<String> {
    // The files agents read by name in any folder; the ones they keep in
    // their hidden folders and the hidden ones are discovery's lists.
    const NAMED: &[&str] = &[
        "CLAUDE.md",
        "CLAUDE.local.md",
        "AGENTS.md",
        "GEMINI.md",
        "QWEN.md",
    ];
    let mut out = Vec::new();
    let names = NAMED
        .iter()
        .chain(crate::discover::AGENT_RULE_FILES)
        .chain(crate::discover::AGENT_HIDDEN_FILES);
    for name in names {
        let rel = join(dir, name);
        if root.join(&rel).is_file() {
            out.push(rel);
        }
    }
    for folder in crate::discover::AGENT_RULE_DIRS {
        let rel = join(dir, folder);
        let abs = root.join(&rel);
        if !abs.is_dir() {
            continue;
        }
        for entry in ignore::WalkBuilder::new(&abs)
            .standard_filters(false)
            .follow_links(true)
            .build()
            .flatten()
        {
            if entry.file_type().is_some_and(|t| t.is_file())
                && let Ok(inner) = entry.path().strip_prefix(root)
            {
                out.push(slash_path(inner));
            }
        }
    }
    out
}

/// When a rule file applies, read from its place and front matter.
#[derive(Debug, Clone)]
enum Scope {
    /// For every file below its base: `Always` at the top, `Nested` below.
    Everywhere(Why),
    /// For the files below its base matching one of the patterns; why, when
    /// one does.
    Patterns(Why, Vec<String>),
    /// On request, for the files below its base.
    OnRequest,
}

/// A rule file read: its scope, text and imports.
struct Read {
    scope: Scope,
    exclude_agent: Option<String>,
}

/// The rules an agent loads for a file (by position in the repository's
/// list): why, and the pattern that matched; then those on request.
struct Direct<'a> {
    loaded: Vec<(usize, Why, Option<&'a str>)>,
    on_request: Vec<usize>,
}

/// For each pattern of a set, in the set's order: (rule, pattern as written).
type Owners = Vec<(usize, String)>;

/// The scope patterns of one agent's rules that share a base, compiled.
struct Patterns {
    /// The folder they are relative to.
    base: String,
    set: GlobSet,
    owners: Owners,
}

/// The rule files of some agents, read, with their patterns compiled.
struct Index<'r> {
    repo: &'r Repository,
    /// Per rule (by position in `repo.rules`): its reading, when it applies
    /// somewhere (not manual, not never, not filtered out).
    read: Vec<Option<Read>>,
    /// Per agent: the patterns of its scoped rules, one set per base.
    sets: HashMap<Agent, Vec<Patterns>>,
    files: Files,
}

impl<'r> Index<'r> {
    /// Reads the rule files of `agents` whose base `wanted` accepts.
    ///
    /// With `paths` (relative to the top), a pattern whose literal start no
    /// path below its base begins with can match none of them, and is not
    /// compiled: most rules of a large set are for other folders.
    fn build(
        repo: &'r Repository,
        agents: &[Agent],
        paths: Option<&[&str]>,
        wanted: impl Fn(&str) -> bool + Sync,
    ) -> Self {
        let mut files = Files::new(&repo.root);
        files.counts = repo.counts.clone();
        let read: Vec<Option<Read>> = repo
            .rules
            .par_iter()
            .map(|r| {
                if !agents.contains(&r.agent) || !wanted(&r.base) {
                    return None;
                }
                read_rule(r, &files)
            })
            .collect();
        let mut sets: HashMap<Agent, Vec<Patterns>> = HashMap::new();
        let mut by_base: HashMap<(Agent, &str), (GlobSetBuilder, Owners)> = HashMap::new();
        for (i, (r, read)) in repo.rules.iter().zip(&read).enumerate() {
            let Some(Read {
                scope: Scope::Patterns(_, patterns),
                ..
            }) = read
            else {
                continue;
            };
            let (builder, owners) = by_base
                .entry((r.agent, r.base.as_str()))
                .or_insert_with(|| (GlobSetBuilder::new(), Vec::new()));
            for p in patterns {
                let cleaned = p.trim_start_matches("./").trim_start_matches('/');
                if let Some(paths) = paths {
                    let literal = &cleaned[..cleaned
                        .find(['*', '?', '[', '{', '\\'])
                        .unwrap_or(cleaned.len())];
                    let can_match = paths.iter().any(|t| {
                        strip_base(t, &r.base).is_some_and(|rel| rel.starts_with(literal))
                    });
                    if !can_match {
                        continue;
                    }
                }
                // A pattern globset cannot read matches nothing, as a broken
                // glob does in the agents' matchers; RD109 and RD111 are
                // where it is reported.
                if let Ok(glob) = GlobBuilder::new(cleaned).literal_separator(true).build() {
                    builder.add(glob);
                    owners.push((i, p.clone()));
                }
            }
        }
        for ((agent, base), (builder, owners)) in by_base {
            if let Ok(set) = builder.build() {
                sets.entry(agent).or_default().push(Patterns {
                    base: base.to_string(),
                    set,
                    owners,
                });
            }
        }
        Index {
            repo,
            read,
            sets,
            files,
        }
    }

    /// The rules of `agent` that `target` matches by pattern: rule → the
    /// first of its patterns that matched.
    fn matched(&self, agent: Agent, target: &Target) -> HashMap<usize, &str> {
        let mut out: HashMap<usize, &str> = HashMap::new();
        for patterns in self.sets.get(&agent).into_iter().flatten() {
            let Some(rel) = strip_base(&target.path, &patterns.base) else {
                continue;
            };
            if rel.is_empty() {
                continue;
            }
            for at in patterns.set.matches(rel) {
                let (rule, pattern) = &patterns.owners[at];
                out.entry(*rule).or_insert(pattern.as_str());
            }
        }
        out
    }

    /// The rules `agent` loads for `target`, in load order (those loaded up
    /// front, then those for the file), then those on request; imports not
    /// yet added.
    fn direct(&self, agent: Agent, target: &Target) -> Direct<'_> {
        let matched = self.matched(agent, target);
        let (mut loaded, mut scoped, mut on_request) = (Vec::new(), Vec::new(), Vec::new());
        for (i, (r, read)) in self.repo.rules.iter().zip(&self.read).enumerate() {
            let Some(read) = read else { continue };
            if r.agent != agent || !is_within(&target.dir, &r.base) {
                continue;
            }
            match &read.scope {
                Scope::Everywhere(Why::Always) => loaded.push((i, Why::Always, None)),
                Scope::Everywhere(why) => scoped.push((i, *why, None)),
                Scope::Patterns(why, _) => {
                    if let Some(p) = matched.get(&i) {
                        scoped.push((i, *why, Some(*p)));
                    }
                }
                Scope::OnRequest => on_request.push(i),
            }
        }
        loaded.extend(scoped);
        Direct { loaded, on_request }
    }

    /// What `agent` loads for `target`, counted and listed.
    fn agent_context(&self, agent: Agent, target: &Target) -> AgentContext {
        let direct = self.direct(agent, target);
        // Counted in parallel up front: the listing below then reads the cache.
        direct
            .loaded
            .par_iter()
            .map(|(i, _, _)| *i)
            .chain(direct.on_request.par_iter().copied())
            .for_each(|i| {
                self.files.tokens(&self.repo.rules[i].abs);
            });
        let mut seen: HashSet<PathBuf> = direct
            .loaded
            .iter()
            .map(|(i, _, _)| self.repo.rules[*i].abs.clone())
            .collect();
        let mut rules = Vec::new();
        let first = imports_first(agent);
        let entry = |i: usize, why: Why, pattern: Option<&str>| {
            let r = &self.repo.rules[i];
            LoadedRule {
                path: r.rel.clone(),
                why,
                pattern: pattern.map(str::to_string),
                exclude_agent: self.read[i].as_ref().and_then(|d| d.exclude_agent.clone()),
                tokens: self.files.tokens(&r.abs),
            }
        };
        for &(i, why, pattern) in &direct.loaded {
            let r = &self.repo.rules[i];
            let own = entry(i, why, pattern);
            let mut imported = Vec::new();
            if formats::reads_imports(r.format) {
                self.imports(&r.abs, r.format, 1, first, &mut seen, &mut imported);
            }
            if first {
                rules.extend(imported);
                rules.push(own);
            } else {
                rules.push(own);
                rules.extend(imported);
            }
        }
        let tokens = rules.iter().map(|r| r.tokens).sum();
        rules.extend(
            direct
                .on_request
                .iter()
                .map(|&i| entry(i, Why::OnRequest, None)),
        );
        AgentContext {
            agent: agent_name(agent),
            tokens,
            approximate: approximate(agent),
            rules,
        }
    }

    /// The tokens `agent` loads for `target`: what [`Index::agent_context`]
    /// totals, without listing it.
    fn tokens_for(&self, agent: Agent, target: &Target) -> usize {
        let direct = self.direct(agent, target);
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut total = 0;
        for &(i, _, _) in &direct.loaded {
            let r = &self.repo.rules[i];
            total += self.files.tokens(&r.abs);
            if formats::reads_imports(r.format) {
                if seen.is_empty() {
                    seen.extend(
                        direct
                            .loaded
                            .iter()
                            .map(|(i, _, _)| self.repo.rules[*i].abs.clone()),
                    );
                }
                let mut imported = Vec::new();
                self.imports(&r.abs, r.format, 1, false, &mut seen, &mut imported);
                total += imported.iter().map(|e| e.tokens).sum::<usize>();
            }
        }
        total
    }

    /// The files `path` imports, each once (`seen`), `depth` hops from the
    /// loaded file, into `out`: depth first, each import before (`first`)
    /// or after what it imports in turn.
    fn imports(
        &self,
        path: &Path,
        format: Format,
        depth: usize,
        first: bool,
        seen: &mut HashSet<PathBuf>,
        out: &mut Vec<LoadedRule>,
    ) {
        if depth > IMPORT_HOPS {
            return;
        }
        for target in self.files.imports(path, format) {
            if !seen.insert(target.clone()) {
                continue;
            }
            let entry = LoadedRule {
                path: slash_path(target.strip_prefix(&self.repo.root).unwrap_or(&target)),
                why: Why::Import,
                pattern: None,
                exclude_agent: None,
                tokens: self.files.tokens(&target),
            };
            let mut inner = Vec::new();
            self.imports(&target, format, depth + 1, first, seen, &mut inner);
            if first {
                out.extend(inner);
                out.push(entry);
            } else {
                out.push(entry);
                out.extend(inner);
            }
        }
    }
}

/// Files read during one run, each once: text, tokens, imports.
struct Files {
    root: PathBuf,
    resolved: Option<PathBuf>,
    cache: Mutex<HashMap<PathBuf, Arc<FileInfo>>>,
    /// Counts kept between runs, if the caller keeps them.
    counts: Option<Arc<crate::tokens::Counts>>,
}

/// What is known of one file.
#[derive(Debug, Default)]
struct FileInfo {
    text: Option<String>,
    tokens: OnceLock<usize>,
    imports: OnceLock<Vec<PathBuf>>,
}

impl Files {
    fn new(root: &Path) -> Self {
        Files {
            root: root.to_path_buf(),
            resolved: std::fs::canonicalize(root).ok(),
            cache: Mutex::default(),
            counts: None,
        }
    }

    /// The file at `path`, read once (read outside the lock: two threads
    /// may both read a file, and the first kept wins).
    fn get(&self, path: &Path) -> Arc<FileInfo> {
        if let Some(info) = self
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
        {
            return Arc::clone(info);
        }
        let info = Arc::new(FileInfo {
            text: crate::load::read_text(path).ok(),
            ..FileInfo::default()
        });
        Arc::clone(
            self.cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(path.to_path_buf())
                .or_insert(info),
        )
    }

    fn tokens(&self, path: &Path) -> usize {
        let info = self.get(path);
        *info
            .tokens
            .get_or_init(|| match (info.text.as_deref(), &self.counts) {
                (None, _) => 0,
                (Some(t), Some(c)) => c.count(t),
                (Some(t), None) => crate::tokens::count(t),
            })
    }

    /// The files `path` imports that exist inside the repository, as an
    /// agent reading `format` finds them: relative to the importing file's
    /// folder; `~/…` and absolute ones (outside the repository) left out;
    /// missing files left out ("non-existent files are silently ignored").
    fn imports(&self, path: &Path, format: Format) -> Vec<PathBuf> {
        let info = self.get(path);
        let found = info.imports.get_or_init(|| {
            let Some(text) = info.text.as_deref() else {
                return Vec::new();
            };
            crate::parse::imports_inside(path, text, format, &self.root, self.resolved.as_deref())
                .into_iter()
                .filter(|t| t.is_file())
                .collect()
        });
        found.clone()
    }
}

/// The front matter of `text` (none for a file its agent reads as plain
/// text, or a format whose loader reads no front matter).
fn front_matter(r: &RuleFile, text: &str) -> Option<crate::model::FrontMatter> {
    if formats::keys(r.format) == Keys::None || !formats::reads_as_markdown(&r.abs) {
        return None;
    }
    crate::parse::front_matter_of(text, &crate::source::LineIndex::new(text))
}

/// How `r` applies, from [`formats::loads`] and where it lies; `None` when
/// it never loads by itself (manual, never, a nested file its agent does not
/// read).
fn read_rule(r: &RuleFile, files: &Files) -> Option<Read> {
    let nested = !r.base.is_empty();
    if nested && !reads_nested(r.format) {
        return None;
    }
    // Roo Code and Kilo Code load `rules-{mode}/` in that mode only, one
    // mode at a time: the answer is for their default mode, `code`.
    if matches!(r.format, Format::RooRules | Format::KiloRules)
        && r.rel
            .split('/')
            .any(|c| c.strip_prefix("rules-").is_some_and(|m| m != DEFAULT_MODE))
    {
        return None;
    }
    let info = files.get(&r.abs);
    let fm = front_matter(r, info.text.as_deref().unwrap_or(""));
    let scope = match formats::loads(r.format, fm.as_ref(), nested) {
        Loads::Always if nested => Scope::Everywhere(Why::Nested),
        Loads::Always => Scope::Everywhere(Why::Always),
        Loads::Nested => Scope::Everywhere(Why::Nested),
        Loads::Glob(patterns) => Scope::Patterns(pattern_why(r.format), patterns),
        Loads::OnRequest => Scope::OnRequest,
        Loads::Manual | Loads::Never => return None,
    };
    // A string, or a list of them (`["coding-agent"]`).
    let exclude_agent = fm
        .as_ref()
        .and_then(|f| f.get("excludeAgent"))
        .and_then(formats::scope_patterns)
        .map(|list| list.join(","));
    Some(Read {
        scope,
        exclude_agent,
    })
}

/// The mode Roo Code and Kilo Code start in (their docs' default), whose
/// `rules-code/` folder `context` counts.
pub const DEFAULT_MODE: &str = "code";

/// The reason a pattern gives, named after the key the format's loader
/// reads its patterns from: `paths` (Claude Code, Cline), `applyTo`
/// (Copilot), else `glob` (`globs`, `fileMatchPattern`).
fn pattern_why(format: Format) -> Why {
    match formats::keys(format) {
        Keys::Agent(keys) if keys.contains(&"paths") => Why::Paths,
        Keys::Agent(keys) if keys.contains(&"applyTo") => Why::ApplyTo,
        _ => Why::Glob,
    }
}

/// The folder a rule file applies below: the one above its first hidden
/// folder (`pkg/.cursor/rules/a.mdc` → `pkg`), else its own folder.
fn base_of(rel: &str) -> &str {
    let mut at = 0;
    for part in rel.split('/') {
        let is_last = at + part.len() == rel.len();
        if !is_last && part.starts_with('.') {
            return rel[..at].trim_end_matches('/');
        }
        at += part.len() + 1;
    }
    parent(rel)
}

/// Where a rule file comes in its agent's load order: shallower folders
/// first; within one folder, its files (`CLAUDE.md`), then those of its
/// hidden folders (`.claude/CLAUDE.md`, `.claude/rules/…`), then the
/// personal `*.local.md` files (Claude Code reads `CLAUDE.local.md` after
/// the project's files); then by path.
fn load_order(r: &RuleFile) -> (usize, u8, &str) {
    let depth = if r.base.is_empty() {
        0
    } else {
        r.base.matches('/').count() + 1
    };
    let inner = strip_base(&r.rel, &r.base).unwrap_or(&r.rel);
    let rank = if inner.ends_with(".local.md") {
        2
    } else if inner.contains('/') {
        1
    } else {
        0
    };
    (depth, rank, &r.rel)
}

/// Whether the folder `dir` is `base` or lies below it.
fn is_within(dir: &str, base: &str) -> bool {
    strip_base(dir, base).is_some()
}

/// `path` relative to the folder `base` (empty for the top), if it lies in it.
fn strip_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    if base.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base)?;
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix('/')
    }
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_applies_below_the_folder_above_its_hidden_folder() {
        assert_eq!(base_of("CLAUDE.md"), "");
        assert_eq!(base_of("pkg/AGENTS.md"), "pkg");
        assert_eq!(base_of(".claude/CLAUDE.md"), "");
        assert_eq!(base_of("pkg/.cursor/rules/sub/a.mdc"), "pkg");
        assert_eq!(base_of(".github/instructions/ts.instructions.md"), "");
        assert_eq!(base_of("pkg/.cursorrules"), "pkg");
    }

    #[test]
    fn folders_hold_their_subfolders_only() {
        assert!(is_within("pkg/sub", "pkg"));
        assert!(is_within("pkg", "pkg"));
        assert!(is_within("anything", ""));
        assert!(!is_within("pkgx", "pkg"));
        assert!(!is_within("", "pkg"));
    }

    #[test]
    fn agent_names_are_the_command_line_names() {
        assert_eq!(agent_name(Agent::Claude), "claude");
        assert_eq!(agent_name(Agent::AgentsMd), "agents");
        assert_eq!(agent_by_name("cursor"), Some(Agent::Cursor));
        assert_eq!(agent_by_name("ruledoc"), None);
        assert!(!known_agents().contains(&Agent::Ruledoc));
    }

    #[test]
    fn pattern_reasons_follow_the_key() {
        assert_eq!(pattern_why(Format::ClaudeRules), Why::Paths);
        assert_eq!(pattern_why(Format::CopilotPath), Why::ApplyTo);
        assert_eq!(pattern_why(Format::CursorMdc), Why::Glob);
        assert_eq!(pattern_why(Format::KiroSteering), Why::Glob);
        assert_eq!(pattern_why(Format::Clinerules), Why::Paths);
    }

    #[test]
    fn a_path_outside_the_repository_is_refused() {
        let root = Path::new("/repo");
        assert!(Target::new(root, Path::new("/repo/sub"), Path::new("../../x.ts")).is_err());
        let t = Target::new(root, Path::new("/repo/sub"), Path::new("../src/a.ts"));
        assert_eq!(
            t.ok(),
            Some(Target {
                path: "src/a.ts".into(),
                dir: "src".into()
            })
        );
    }

    #[test]
    fn imports_follow_their_importer_up_to_five_hops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |p: &str, t: &str| crate::testing::write(root, p, t);
        write("CLAUDE.md", "See @d/1.md\n");
        write("GEMINI.md", "See @d/1.md\n");
        for n in 1..=6 {
            write(&format!("d/{n}.md"), &format!("Next @{}.md\n", n + 1));
        }
        let repo = Repository::scan(root, false);
        let ctx = repo.context(
            &Target::relative("a.ts", false),
            &[Agent::Claude, Agent::Gemini],
        );
        let paths = |i: usize| -> Vec<&str> {
            ctx.agents[i]
                .rules
                .iter()
                .map(|r| r.path.as_str())
                .collect()
        };
        // Claude Code: each import before its importer; d/6.md is a sixth hop.
        assert_eq!(
            paths(0),
            [
                "d/5.md",
                "d/4.md",
                "d/3.md",
                "d/2.md",
                "d/1.md",
                "CLAUDE.md"
            ]
        );
        // Gemini CLI: the imported text stands where its `@path` was.
        assert_eq!(
            paths(1),
            [
                "GEMINI.md",
                "d/1.md",
                "d/2.md",
                "d/3.md",
                "d/4.md",
                "d/5.md"
            ]
        );
    }

    #[test]
    fn git_ignored_files_are_left_out_but_claude_local_md() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join(".git")).unwrap();
        crate::testing::write(root, ".gitignore", "CLAUDE.local.md\nvendor/\n");
        crate::testing::write(root, "CLAUDE.local.md", "Mine.\n");
        crate::testing::write(root, "vendor/lib/AGENTS.md", "Theirs.\n");
        let repo = Repository::scan(root, false);
        assert_eq!(repo.agents(), [Agent::Claude]);
        let ctx = repo.context(
            &Target::relative("vendor/lib/a.ts", false),
            &[Agent::Claude],
        );
        assert_eq!(ctx.agents[0].rules[0].path, "CLAUDE.local.md");
        assert_eq!(ctx.agents[0].rules[0].why, Why::Always);
    }
}
