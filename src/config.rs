//! `ruledoc.toml`: found by searching upward from the current directory,
//! merged over built-in defaults key by key; an unknown key is an error that
//! names the key and the file.
//!
//! The file is TOML 1.1, read with the `toml` crate. A key left out keeps
//! its default; a map given (`[tiers.folders]`, `[lint.budget] tier`)
//! replaces the default map whole. Relative paths in it are relative to the
//! file's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::paths::display_path;
use crate::source::LineIndex;

/// The configuration file's name, looked for in the current directory and
/// each folder above it.
pub const FILE_NAME: &str = "ruledoc.toml";

/// The configuration file's contents, defaults filled in.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The rule set's root folder, relative to the configuration file's folder.
    pub root: Option<PathBuf>,
    /// `[discover]`: which files belong to the rule set.
    pub discover: DiscoverConfig,
    /// `[tiers]`: the valid tiers and the folder and kind conventions.
    pub tiers: TiersConfig,
    /// `[document]`: how titles are read.
    pub document: DocumentConfig,
    /// `[lint]`: which rules run, at what severity.
    pub lint: LintConfig,
    /// `[snippets]`: how code blocks are checked.
    pub snippets: SnippetsConfig,
    /// `[render]`: templates and the output folder.
    pub render: RenderConfig,
    /// Whether the file has a `[tiers]` table: the configured rule set then
    /// follows the tiered convention (see `lint::facts`), whatever its
    /// documents say.
    #[serde(skip)]
    pub tiers_declared: bool,
}

/// Which files belong to the rule set.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DiscoverConfig {
    /// Glob patterns to leave out (globset syntax, where `*` also matches
    /// `/`), matched against paths relative to the configuration file's
    /// folder. Files outside that folder, and files given as inputs rather
    /// than found in a folder, are never excluded.
    pub exclude: Vec<String>,
}

/// Tier conventions: `[tiers]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TiersConfig {
    /// Lowest valid tier (default 1).
    pub min: i64,
    /// Highest valid tier, inclusive (default 3).
    pub max: i64,
    /// Whether every document must have a tier from some source.
    pub required: bool,
    /// Folder (`/`-separated, relative to the root, `.` for the root itself)
    /// → tier; a document takes the tier of its nearest listed folder.
    /// Default: `core` 1, `.` 2, `sub` 3.
    pub folders: BTreeMap<String, i64>,
    /// Kind (as written in titles, compared ASCII case-insensitively) → the
    /// tier it implies. Default: `Sub-Rule` 3.
    pub kinds: BTreeMap<String, i64>,
}

impl Default for TiersConfig {
    fn default() -> Self {
        TiersConfig {
            min: 1,
            max: 3,
            required: true,
            folders: [("core", 1), (".", 2), ("sub", 3)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            kinds: [("Sub-Rule".to_string(), 3)].into_iter().collect(),
        }
    }
}

impl TiersConfig {
    /// The tier the folder convention gives a document in `rel_dir` (relative
    /// to the root, `/`-separated, empty for the root): that of `rel_dir` or
    /// its nearest listed ancestor, `.` last.
    pub fn folder_tier(&self, rel_dir: &str) -> Option<i64> {
        let mut dir = rel_dir.trim_matches('/');
        loop {
            let key = if dir.is_empty() { "." } else { dir };
            if let Some(&t) = self.folders.get(key) {
                return Some(t);
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir.rsplit_once('/').map(|(parent, _)| parent).unwrap_or("");
        }
    }

    /// The tier a kind implies (kinds compare ASCII case-insensitively).
    pub fn kind_tier(&self, kind: &str) -> Option<i64> {
        self.kinds
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(kind))
            .map(|(_, &t)| t)
    }
}

/// How documents are read: `[document]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DocumentConfig {
    /// Kind words recognised at the end of a title, before `(Tier N)`,
    /// matched as whole words, ASCII case-insensitively, longest first.
    /// Default: `Sub-Rule`, `Subrule`, `Main Rule`, `Rule`.
    pub kinds: Vec<String>,
    /// The front-matter keys a team's own documents may use, besides
    /// ruledoc's (`tier`, `name`, `purpose`, `kind`, `revision`,
    /// `description`). Unset, other keys are not checked; set, any other key
    /// is reported (RD109).
    pub keys: Option<Vec<String>>,
}

impl Default for DocumentConfig {
    fn default() -> Self {
        DocumentConfig {
            kinds: ["Sub-Rule", "Subrule", "Main Rule", "Rule"]
                .map(String::from)
                .to_vec(),
            keys: None,
        }
    }
}

/// Which lint rules run, at what severity, and their limits: `[lint]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LintConfig {
    /// Codes or code prefixes to run (`RD2` is every RD2xx); empty: all.
    pub select: Vec<String>,
    /// Codes or prefixes not to run.
    pub ignore: Vec<String>,
    /// Code or prefix → `error`, `warning`, `info` or `off`.
    pub severity: BTreeMap<String, String>,
    /// Longest Purpose, in characters (Unicode scalar values), before RD106
    /// reports it (default 400).
    pub purpose_max_chars: usize,
    /// `[lint.budget]`: RD501's token budgets.
    pub budget: BudgetConfig,
    /// `[[lint.overrides]]`: settings for documents matching path globs
    /// (relative to this file), in the order written.
    pub overrides: Vec<LintOverride>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            purpose_max_chars: 400,
            budget: BudgetConfig::default(),
            overrides: Vec::new(),
        }
    }
}

/// Token budgets (RD501), in `o200k_base` tokens ([`crate::tokens::count`]).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BudgetConfig {
    /// Tier (as a string key, `"1"`: TOML keys are strings) → tokens per
    /// document. Default: 2,000, 4,000, 8,000 for tiers 1, 2, 3.
    pub tier: BTreeMap<String, usize>,
    /// Tokens for all tier-1 documents together, as they are loaded into
    /// every session (default 8,000).
    pub tier1_total: usize,
    /// Tokens for everything one agent loads up front (its documents that
    /// always load), outside tiered rule sets (default 8,000).
    pub up_front: usize,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig {
            tier: [("1", 2_000), ("2", 4_000), ("3", 8_000)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            tier1_total: 8_000,
            up_front: 8_000,
        }
    }
}

impl BudgetConfig {
    /// The per-document budget of `tier`, in tokens; `None` when it has none.
    pub fn for_tier(&self, tier: i64) -> Option<usize> {
        self.tier.get(&tier.to_string()).copied()
    }
}

/// Lint settings for the documents whose paths match `paths`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LintOverride {
    /// Glob patterns (globset syntax), matched against the document's path
    /// relative to the configuration file's folder.
    pub paths: Vec<String>,
    /// Codes or code prefixes turned off for these documents.
    pub ignore: Vec<String>,
    /// Code or prefix → `error`, `warning`, `info` or `off`, for these documents.
    pub severity: BTreeMap<String, String>,
}

/// Where `render` reads templates and writes outputs: `[render]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RenderConfig {
    /// A folder of templates that override the built-ins by file name
    /// (relative to this file).
    pub templates: Option<PathBuf>,
    /// The output folder (relative to this file); default: the current directory.
    pub out: Option<PathBuf>,
    /// The targets `render` writes when `--target` names none (`ruledoc
    /// targets` lists them; `all` is every one).
    pub targets: Option<Vec<String>>,
}

/// How snippets are checked: `[snippets]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SnippetsConfig {
    /// `[snippets.rust]`: edition, dependencies, run timeout.
    pub rust: RustSnippetsConfig,
    /// `[snippets.python]`: the Python version snippets are judged for.
    pub python: PythonSnippetsConfig,
    /// `[snippets.external.LANG]`: language (the info string's first word,
    /// exactly or lowercased) → an external checker.
    pub external: BTreeMap<String, ExternalChecker>,
}

/// Rust snippets: `[snippets.rust]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RustSnippetsConfig {
    /// `2015`, `2018`, `2021` or `2024`: the edition of snippets without an
    /// `editionNNNN` attribute. Unset, 2021, except in an mdBook chapter
    /// whose `book.toml` sets none, where it is 2015 as under `mdbook test`.
    pub edition: Option<String>,
    /// Dependencies snippets may use, as a Cargo.toml `[dependencies]` table.
    pub dependencies: toml::Table,
    /// Seconds a snippet may run under `--run` (default 10; 0 counts as 1).
    pub run_timeout: u64,
}

impl Default for RustSnippetsConfig {
    fn default() -> Self {
        RustSnippetsConfig {
            edition: None,
            dependencies: toml::Table::new(),
            run_timeout: 10,
        }
    }
}

/// Python snippets: `[snippets.python]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PythonSnippetsConfig {
    /// The Python version whose `compile()` judges `python`, `py`,
    /// `python3` and `pycon` snippets, written `3.N`: `3.7` to `3.14`
    /// (default `3.14`). Syntax newer than it is an error (`match` before
    /// 3.10, `type X = …` before 3.12, `except A, B:` before 3.14…).
    pub target_version: String,
}

impl Default for PythonSnippetsConfig {
    fn default() -> Self {
        PythonSnippetsConfig {
            target_version: "3.14".into(),
        }
    }
}

/// A command that checks one snippet file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalChecker {
    /// The command line, split into words as a POSIX shell would (no shell
    /// runs it); `{file}` in a word is replaced by the snippet file's path,
    /// which is appended as the last argument when no word has `{file}`.
    pub command: String,
    /// File extension for the snippet file, without the dot (default: `py`,
    /// `js`, `ts` or `sh` for those languages' usual names, else the
    /// language name).
    pub extension: Option<String>,
}

/// A configuration and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The configuration, defaults filled in.
    pub config: Config,
    /// The file it was read from, absolute; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
}

/// How the command line asked for configuration.
#[derive(Debug, Clone, Default)]
pub enum ConfigSource {
    /// Search upward from the current directory for [`FILE_NAME`].
    #[default]
    Discover,
    /// `--config FILE`: this file, which must exist.
    File(PathBuf),
    /// `--no-config`: the built-in defaults.
    None,
}

impl LoadedConfig {
    /// The configuration `source` asks for; `cwd` is where discovery starts.
    /// Discovery that finds no file gives the defaults.
    ///
    /// # Errors
    ///
    /// [`Error::Missing`] when the `--config` file does not exist, else as
    /// [`LoadedConfig::read`].
    pub fn load(source: &ConfigSource, cwd: &Path) -> Result<Self> {
        match source {
            ConfigSource::None => Ok(LoadedConfig::default()),
            ConfigSource::File(path) => {
                if !path.exists() {
                    return Err(Error::Missing {
                        path: display_path(path),
                    });
                }
                Self::read(path)
            }
            ConfigSource::Discover => match find_upward(cwd) {
                Some(path) => Self::read(&path),
                None => Ok(LoadedConfig::default()),
            },
        }
    }

    /// The configuration in the file at `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::Config`] when it
    /// is not valid TOML or does not fit [`Config`] (see [`parse`]).
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let config = parse(&text, path)?;
        let path = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
        Ok(LoadedConfig {
            config,
            path: Some(path),
        })
    }

    /// The folder relative paths in the configuration are taken from: the
    /// file's folder, else `cwd`.
    pub fn base_dir(&self, cwd: &Path) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf())
    }
}

/// Parse configuration text; `path` only names the file in errors.
///
/// # Errors
///
/// [`Error::Config`], with the 1-based line and column (in characters) the
/// TOML parser points at: a syntax error, a value of the wrong type, an
/// unknown key.
pub fn parse(text: &str, path: &Path) -> Result<Config> {
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let lc = LineIndex::new(text).line_col(text, span.start);
                (lc.line, lc.column)
            }
            None => (1, 1),
        };
        Error::Config {
            path: display_path(path),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    config.tiers_declared = text
        .parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("tiers"));
    Ok(config)
}

/// The nearest `ruledoc.toml` in `start` or a folder above it; `None` when
/// there is none up to the filesystem's root.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_defaults() {
        assert_eq!(parse("", Path::new("r.toml")).unwrap(), Config::default());
    }

    #[test]
    fn python_target_version_is_read_and_unknown_python_keys_are_errors() {
        let c = parse(
            "[snippets.python]\ntarget_version = \"3.9\"\n",
            Path::new("r.toml"),
        )
        .unwrap();
        assert_eq!(c.snippets.python.target_version, "3.9");
        assert_eq!(Config::default().snippets.python.target_version, "3.14");
        let err = parse(
            "[snippets.python]\ntarget-version = \"3.9\"\n",
            Path::new("r.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("target-version"), "{err}");
    }

    #[test]
    fn unknown_key_names_the_key_the_file_and_the_line() {
        let err = parse(
            "root = \"rules\"\n[tiers]\nmaxx = 4\n",
            Path::new("ruledoc.toml"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("ruledoc.toml:3:1: "), "{msg}");
        assert!(msg.contains("maxx"), "{msg}");
    }

    #[test]
    fn folder_tier_takes_the_nearest_listed_folder() {
        let t = TiersConfig::default();
        assert_eq!(t.folder_tier(""), Some(2));
        assert_eq!(t.folder_tier("core"), Some(1));
        assert_eq!(t.folder_tier("sub/deeper"), Some(3));
        assert_eq!(t.folder_tier("other"), Some(2));
        let only_core = TiersConfig {
            folders: [("core".to_string(), 1)].into_iter().collect(),
            ..TiersConfig::default()
        };
        assert_eq!(only_core.folder_tier("misc"), None);
    }

    #[test]
    fn keys_override_defaults_one_by_one() {
        let c = parse("[tiers]\nmax = 4\n", Path::new("r.toml")).unwrap();
        assert_eq!(c.tiers.max, 4);
        assert_eq!(c.tiers.min, 1);
        assert!(c.tiers.required);
    }

    #[test]
    fn kind_tiers_ignore_case() {
        assert_eq!(TiersConfig::default().kind_tier("sub-rule"), Some(3));
        assert_eq!(TiersConfig::default().kind_tier("Rule"), None);
    }
}
