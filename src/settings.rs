//! One resolved settings value, made from the configuration and the command
//! line before the core sees either.

use std::path::{Path, PathBuf};

use crate::config::{Config, LoadedConfig};
use crate::discover::{self, DiscoverOptions, Discovery, Found, Input, Scan, WalkFiles};
use crate::error::{Error, Result};
use crate::parse::ParseOptions;
use crate::paths::display_path;
use crate::paths::normalize;

/// The configuration with every path resolved, and where the run stands.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration, defaults filled in.
    pub config: Config,
    /// The configuration file in use (absolute), if any.
    pub config_path: Option<PathBuf>,
    /// Where relative configuration paths start: the config's folder, else the cwd.
    pub base_dir: PathBuf,
    /// The rule-set root (absolute): the configured root, else `rules/` in
    /// `cwd` when it is a folder.
    pub root: Option<PathBuf>,
    /// The current directory the run started in: where `rules/`, the agent
    /// folders and a relative `RULEDOC_CACHE_DIR` are looked for.
    pub cwd: PathBuf,
    /// Where results and generated crates are kept between runs:
    /// `--cache-dir`, else `RULEDOC_CACHE_DIR`, else `.ruledoc-cache/` beside
    /// the configuration, else in the current directory. [`Settings::new`]
    /// sets all but `--cache-dir`, which the command layer applies after.
    pub cache_dir: PathBuf,
    /// The repository's top folder: the nearest folder at or above `cwd`
    /// that holds a `.git` entry, else `cwd`. Agents load `AGENTS.md`,
    /// `CLAUDE.md` and `GEMINI.md` found here up front, and nested ones only
    /// when they work below them.
    pub repo_root: PathBuf,
}

/// The nearest folder at or above `dir` that holds a `.git` entry (a folder,
/// or a file in a worktree), else `dir`.
pub fn repository_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

impl Settings {
    /// Settings from `loaded`, for a run in `cwd`.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when the configured `root` is not a folder.
    pub fn new(loaded: LoadedConfig, cwd: &Path) -> Result<Self> {
        let base_dir = loaded.base_dir(cwd);
        let root = match &loaded.config.root {
            Some(root) => {
                let abs = normalize(&base_dir.join(root));
                if !abs.is_dir() {
                    return Err(Error::Usage(format!(
                        "{}: `root` is {}, which is not a folder",
                        loaded.path.as_deref().map(display_path).unwrap_or_default(),
                        display_path(&abs)
                    )));
                }
                Some(abs)
            }
            None => Some(cwd.join("rules"))
                .filter(|p| p.is_dir())
                .map(|p| normalize(&p)),
        };
        let cache_dir = match std::env::var_os("RULEDOC_CACHE_DIR").filter(|v| !v.is_empty()) {
            Some(dir) => cwd.join(dir),
            None => base_dir.join(".ruledoc-cache"),
        };
        Ok(Settings {
            config: loaded.config,
            config_path: loaded.path,
            base_dir,
            root,
            cwd: cwd.to_path_buf(),
            cache_dir,
            repo_root: repository_root(cwd),
        })
    }

    /// Built-in defaults only, as `--no-config` gives them (`rules/` in `cwd`
    /// is the root when it is a folder); for tests and fuzzing.
    pub fn defaults(cwd: &Path) -> Self {
        Settings::new(LoadedConfig::default(), cwd).unwrap_or_else(|_| Settings {
            config: Config::default(),
            config_path: None,
            base_dir: cwd.to_path_buf(),
            root: None,
            cwd: cwd.to_path_buf(),
            cache_dir: cwd.join(".ruledoc-cache"),
            repo_root: cwd.to_path_buf(),
        })
    }

    /// The inputs a command works on: the paths given, else the rule set's
    /// default place ([`discover::default_inputs`]).
    ///
    /// # Errors
    ///
    /// [`Error::NoRuleSet`] when no path is given, there is no rule-set root
    /// and no file an agent loads.
    pub fn inputs(&self, paths: &[PathBuf]) -> Result<Vec<Input>> {
        self.inputs_for(paths, false)
    }

    /// [`Settings::inputs`], and when paths are given, the rule sets they lie
    /// in (the configured root, an agent's rule folder) as context: a
    /// document's findings do not depend on how it was named, so the rules
    /// that compare documents see its whole set, whose other documents' own
    /// findings are not reported.
    ///
    /// # Errors
    ///
    /// As [`Settings::inputs`].
    pub fn inputs_with_context(&self, paths: &[PathBuf]) -> Result<Vec<Input>> {
        self.inputs_for(paths, true)
    }

    fn inputs_for(&self, paths: &[PathBuf], with_context: bool) -> Result<Vec<Input>> {
        if paths.is_empty() {
            let inputs = discover::default_inputs(self.root.as_deref(), &self.cwd);
            if self.root.is_none() && !self.has_agent_files(&inputs)? {
                return Err(Error::NoRuleSet {
                    looked_for: discover::AGENT_RULE_DIRS
                        .iter()
                        .map(|d| d.to_string())
                        .chain(["AGENTS.md", "CLAUDE.md", "GEMINI.md"].map(String::from))
                        .collect(),
                    unread: discover::unread_agent_dirs(&self.cwd),
                });
            }
            return Ok(inputs);
        }
        let mut inputs: Vec<Input> = paths.iter().map(Input::named).collect();
        if !with_context {
            return Ok(inputs);
        }
        for p in paths {
            if let Some(root) = self.rule_set_of(p)
                && !inputs
                    .iter()
                    .any(|i| crate::paths::normalize_from(&self.cwd, &i.path) == root)
            {
                inputs.push(Input {
                    path: root,
                    scan: Scan::Documents,
                    context: true,
                });
            }
        }
        // An agent's file is judged with everything that agent loads beside
        // it (RD501 totals what one agent loads up front; RD108 compares
        // names within one agent's set): the files an agent loads in the
        // working folder are read as context too, as `lint` with no path
        // reads them.
        let named_agent_file = paths.iter().any(|p| {
            let abs = crate::paths::normalize_from(&self.cwd, p);
            in_agent_location(&abs)
        });
        if named_agent_file
            && !inputs
                .iter()
                .any(|i| !i.context && crate::paths::normalize_from(&self.cwd, &i.path) == self.cwd)
        {
            inputs.push(Input {
                path: self.cwd.clone(),
                scan: Scan::AgentFiles,
                context: true,
            });
        }
        Ok(inputs)
    }

    /// The rule set a named path lies in, when it is one with bounds: the
    /// configured root, or an agent's rule folder (`.claude/rules`, …).
    fn rule_set_of(&self, path: &Path) -> Option<PathBuf> {
        let abs = crate::paths::normalize_from(&self.cwd, path);
        if let Some(root) = self.root.as_ref().filter(|r| abs.starts_with(r)) {
            return Some(root.clone());
        }
        abs.ancestors()
            .find(|a| discover::AGENT_RULE_DIRS.iter().any(|d| a.ends_with(d)))
            .map(Path::to_path_buf)
    }

    /// Whether the default inputs hold any document at all.
    fn has_agent_files(&self, inputs: &[Input]) -> Result<bool> {
        Ok(discover::walk(inputs, &self.discover_options())?
            .any(|step| matches!(step, discover::Walked::File(_))))
    }

    /// The documents under `paths` (or the default inputs), all at once.
    ///
    /// # Errors
    ///
    /// As [`Settings::inputs`] and [`discover::walk`].
    pub fn discover(&self, paths: &[PathBuf]) -> Result<Discovery> {
        discover::discover(&self.inputs(paths)?, &self.discover_options())
    }

    /// The documents under `paths` (or the default inputs), as a stream.
    ///
    /// # Errors
    ///
    /// As [`Settings::inputs`] and [`discover::walk`].
    pub fn walk(&self, paths: &[PathBuf]) -> Result<WalkFiles> {
        discover::walk(&self.inputs(paths)?, &self.discover_options())
    }

    /// [`Settings::walk`], with the named documents' rule sets as context
    /// ([`Settings::inputs_with_context`]): what `lint`, `check` and watch
    /// check.
    ///
    /// # Errors
    ///
    /// As [`Settings::walk`].
    pub fn walk_with_context(&self, paths: &[PathBuf]) -> Result<WalkFiles> {
        discover::walk(&self.inputs_with_context(paths)?, &self.discover_options())
    }

    /// A walk of `inputs` as given (their scan and context flags kept).
    ///
    /// # Errors
    ///
    /// As [`discover::walk`].
    pub fn walk_inputs(&self, inputs: &[Input]) -> Result<WalkFiles> {
        discover::walk(inputs, &self.discover_options())
    }

    fn discover_options(&self) -> DiscoverOptions {
        let out = self
            .config
            .render
            .out
            .as_ref()
            .map_or_else(|| self.cwd.clone(), |o| self.base_dir.join(o));
        DiscoverOptions {
            root: self.root.clone(),
            repo_root: self.repo_root.clone(),
            generated: crate::generated::recorded_files(&crate::paths::normalize(&out))
                .into_iter()
                .collect(),
            exclude: self.config.discover.exclude.clone(),
            base_dir: self.base_dir.clone(),
        }
    }

    /// What parsing `found` needs: the configured kind words, the tier its
    /// folder gives under its root, its root-relative path, the format its
    /// location gives it, and whether it lies below the repository's top.
    pub fn parse_options(&self, found: &Found) -> ParseOptions<'_> {
        let abs = &found.abs;
        let dir = abs.parent().unwrap_or(Path::new("/"));
        // Byte comparisons: both paths are absolute and lexically normalised.
        let is_root = |d: &Path| d.as_os_str() == self.repo_root.as_os_str();
        // An agent's file in its hidden folder at the top (`.claude/CLAUDE.md`,
        // `.junie/guidelines.md`, …) is at the top too.
        let nested = !(is_root(dir)
            || (dir
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| TOP_AGENT_FOLDERS.contains(&n))
                && dir.parent().is_some_and(is_root)));
        // The folder convention holds in a rule set (the configured root, an
        // agent's rule folder), not across a whole repository.
        let in_rule_set = found.root.as_ref().is_some_and(|r| {
            self.root.as_ref() == Some(r) || {
                let r = r.as_os_str().as_encoded_bytes();
                discover::AGENT_RULE_DIRS.iter().any(|d| {
                    r.strip_suffix(d.as_bytes())
                        .is_some_and(|head| head.ends_with(b"/"))
                })
            }
        });
        ParseOptions {
            kinds: &self.config.document.kinds,
            folder_tier: found
                .rel_dir()
                .filter(|_| in_rule_set)
                .and_then(|d| self.config.tiers.folder_tier(d)),
            rel_path: found.rel_path.clone(),
            format: crate::formats::by_location(abs),
            nested,
            plain_text: !crate::formats::reads_as_markdown(abs),
        }
    }
}

/// Hidden folders whose files an agent reads at the repository's top:
/// `.claude/CLAUDE.md`, `.junie/guidelines.md`, `.augment/guidelines.md`,
/// `.qwen/QWEN.local.md`.
const TOP_AGENT_FOLDERS: &[&str] = &[".claude", ".junie", ".augment", ".qwen"];

/// Whether `abs` is a file an agent loads by its name or folder, or lies in
/// (or is) an agent's rule folder (`.claude/rules`, `.roo/rules-{mode}`, …).
fn in_agent_location(abs: &Path) -> bool {
    if abs.is_file() && crate::formats::is_agent_file(abs) {
        return true;
    }
    abs.ancestors().any(|a| {
        discover::AGENT_RULE_DIRS.iter().any(|d| a.ends_with(d))
            || (a
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("rules-"))
                && a.parent()
                    .and_then(Path::file_name)
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| discover::MODE_RULE_PARENTS.contains(&n)))
    })
}
