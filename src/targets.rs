//! The render targets, as data: `templates/targets.toml` (embedded) says,
//! for each target, who reads its files, where they go, through which
//! template, which scopes it can say, its documented size limits and the
//! vendor documentation it follows. The engine ([`crate::render::render`])
//! knows no target by name, nor does `lint` (RD502 reads the limits): adding
//! an agent is adding a table there.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::model::Format;

/// The built-in targets' data.
const BUILTIN: &str = include_str!("../templates/targets.toml");

/// Where a rule applies, in the terms every target is mapped through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// Loaded into every session.
    Always,
    /// Loaded when a file matching the rule's patterns is in play.
    Glob,
    /// Loaded when the model asks for it, from its description.
    OnRequest,
    /// Loaded only when a user names it.
    Manual,
    /// A file in a folder, loaded for the files below that folder (nested
    /// `AGENTS.md`): a glob that is one folder's `DIR/**`.
    Nested,
}

impl When {
    /// The name in `targets.toml`, `ruledoc targets` and templates.
    pub fn name(self) -> &'static str {
        match self {
            When::Always => "always",
            When::Glob => "glob",
            When::OnRequest => "on-request",
            When::Manual => "manual",
            When::Nested => "nested",
        }
    }
}

/// What a target is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An agent's own files.
    #[default]
    Agent,
    /// The rule set revised (fixes, format, stamps): each rule through `revise`.
    Revised,
    /// A catalogue of the rule set.
    Index,
}

/// How many files a [`FileSpec`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Each {
    /// One file per rule: `{stem}` and `{rel}` in the path.
    Rule,
    /// One file for the whole set.
    Set,
    /// One file per folder that has rules (`{dir}`), the top one included.
    Folder,
}

/// One kind of file a target writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// How many files.
    pub each: Each,
    /// The path pattern, relative to the output folder, `/`-separated:
    /// `{stem}` is the rule's path below its root without its extension,
    /// `{flat}` the same with `-` for `/` (for agents that read one folder
    /// level only), `{rel}` with its extension, `{dir}` a folder with a
    /// trailing `/` (empty at the top).
    pub path: String,
    /// The template's file name (built-in, or one of the templates folder).
    pub template: String,
    /// Only rules of these scopes (after the target's fallback); all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<When>,
    /// The file lists rules by path (`@path`) instead of copying them: the
    /// rules the agent loads by itself, and all but one copy of a rule kept
    /// in several folders, are left out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub imports: bool,
}

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Unicode scalar values.
    Characters,
    /// UTF-8 bytes.
    Bytes,
}

impl Unit {
    /// How many of this unit `text` has.
    pub fn measure(self, text: &str) -> usize {
        match self {
            Unit::Characters => text.bytes().filter(|b| (b & 0xC0) != 0x80).count(),
            Unit::Bytes => text.len(),
        }
    }

    /// The unit's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Characters => "characters",
            Unit::Bytes => "bytes",
        }
    }
}

/// What a limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    /// Each file the agent reads.
    File,
    /// Everything the agent reads for one file of the repository, together.
    Total,
}

/// A documented size limit of the agent that reads a target's files.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// What it applies to.
    pub per: Per,
    /// What it counts.
    pub unit: Unit,
    /// The most the agent reads.
    pub max: usize,
    /// The vendor page that gives the number.
    pub source: String,
    /// What the page says.
    pub says: String,
    /// The formats (as `ruledoc parse` names them) of the source files the
    /// limit holds for, as `lint` checks them (RD502); default: the
    /// target's `native` format.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
}

impl Limit {
    /// Whether the limit holds for a source file of `format`, in `spec`.
    pub fn holds_for(&self, spec: &Spec, format: Format) -> bool {
        if self.formats.is_empty() {
            spec.native_format() == Some(format)
        } else {
            self.formats.iter().any(|f| f == format.name())
        }
    }
}

/// One target.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// What `--target` takes (`windsurf`).
    pub name: String,
    /// Who reads its files (`Windsurf`).
    pub agent: String,
    /// The vendor documentation the target follows.
    pub doc: String,
    /// What it is for.
    #[serde(default)]
    pub kind: Kind,
    /// The format its files are read back as (`windsurf-rules`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<String>,
    /// The front-matter keys its files carry: a source in the `native`
    /// format with only these keys is written as it is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// The scopes it can say.
    pub scopes: Vec<When>,
    /// The title of a file that joins several rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether its files carry ruledoc's header line (an HTML comment).
    /// Agents' files do not: the model reads every byte of them, and the
    /// render manifest keeps their hashes instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub header: bool,
    /// What it writes.
    #[serde(rename = "file")]
    pub files: Vec<FileSpec>,
    /// The reading agent's documented size limits.
    #[serde(rename = "limit", default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<Limit>,
}

impl Spec {
    /// The format its files are read back as, if it names one ruledoc reads.
    pub fn native_format(&self) -> Option<Format> {
        let n = self.native.as_deref()?;
        Format::ALL.into_iter().find(|f| f.name() == n)
    }

    /// The scope `when` falls back to here: itself when the target can say
    /// it; manual → on-request → always; glob → nested (when the caller
    /// found the patterns to be one folder's) → always.
    pub fn express(&self, when: When, one_folder: bool) -> When {
        let can = |w: When| self.scopes.contains(&w);
        let chain: &[When] = match when {
            When::Manual => &[When::Manual, When::OnRequest, When::Always],
            When::OnRequest => &[When::OnRequest, When::Always],
            When::Glob if one_folder => &[When::Glob, When::Nested, When::Always],
            When::Glob => &[When::Glob, When::Always],
            When::Nested => &[When::Nested, When::Glob, When::Always],
            When::Always => &[When::Always],
        };
        chain
            .iter()
            .copied()
            .find(|&w| can(w))
            .unwrap_or(When::Always)
    }

    /// The folder its per-rule files go to (`.windsurf/rules`), if they
    /// have one: the path pattern's part before its first placeholder.
    pub fn own_folder(&self) -> Option<&str> {
        self.files
            .iter()
            .filter(|f| f.each == Each::Rule)
            .find_map(|f| {
                let fixed = &f.path[..f.path.find('{')?];
                let dir = fixed.strip_suffix('/')?;
                (!dir.is_empty()).then_some(dir)
            })
    }
}

/// A render target: a handle on its [`Spec`].
#[derive(Debug, Clone, Copy)]
pub struct Target(&'static Spec);

impl PartialEq for Target {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}
impl Eq for Target {}
impl PartialOrd for Target {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Target {
    /// In the order of `targets.toml`.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index().cmp(&other.index())
    }
}
impl std::hash::Hash for Target {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}
impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The data file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    target: Vec<Spec>,
}

/// The built-in targets, read once. The file is part of the binary and a
/// test reads it: it cannot fail to parse in a build that passed its tests.
static SPECS: LazyLock<Vec<Spec>> = LazyLock::new(|| parse(BUILTIN).unwrap_or_default());

/// The targets of a `targets.toml` text, checked: names unique, templates
/// named, `native` a format ruledoc reads, at least one scope and one file.
///
/// # Errors
///
/// The TOML error, or what is wrong with which target, as one sentence.
pub fn parse(text: &str) -> Result<Vec<Spec>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut seen = std::collections::HashSet::new();
    for s in &file.target {
        if !seen.insert(s.name.as_str()) {
            return Err(format!("target {} is declared twice", s.name));
        }
        if s.native.is_some() && s.native_format().is_none() {
            return Err(format!(
                "target {}: native = {:?} is no format ruledoc reads",
                s.name,
                s.native.as_deref().unwrap_or("")
            ));
        }
        if s.files.is_empty() || s.scopes.is_empty() {
            return Err(format!("target {} needs a file and a scope", s.name));
        }
        for f in &s.files {
            let wants = match f.each {
                Each::Rule => ["{stem}", "{flat}", "{rel}"]
                    .iter()
                    .any(|p| f.path.contains(p)),
                Each::Folder => f.path.starts_with("{dir}"),
                Each::Set => !f.path.contains('{'),
            };
            if !wants {
                return Err(format!(
                    "target {}: the path {} does not fit each = {:?} (rule: {{stem}} or {{rel}}; folder: starts with {{dir}}; set: no placeholder)",
                    s.name, f.path, f.each
                ));
            }
        }
    }
    Ok(file.target)
}

impl Target {
    /// Every target, in the order of `targets.toml` (the order `render`
    /// runs them when no `--target` is given).
    pub fn all() -> Vec<Target> {
        SPECS.iter().map(Target).collect()
    }

    /// The target named `s` (exact), if any.
    pub fn parse(s: &str) -> Option<Self> {
        SPECS.iter().find(|t| t.name == s).map(Target)
    }

    /// Every target's name, in order.
    pub fn names() -> Vec<&'static str> {
        SPECS.iter().map(|t| t.name.as_str()).collect()
    }

    /// Its data.
    pub fn spec(self) -> &'static Spec {
        self.0
    }

    /// The name `--target` takes and templates see as `target`.
    pub fn name(self) -> &'static str {
        &self.0.name
    }

    /// Whether outputs carry ruledoc's header.
    pub fn has_header(self) -> bool {
        self.0.header
    }

    fn index(self) -> usize {
        SPECS
            .iter()
            .position(|s| s.name == self.0.name)
            .unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_targets_parse_and_name_their_documentation() {
        let specs = parse(BUILTIN).expect("templates/targets.toml");
        let agents = specs.iter().filter(|s| s.kind == Kind::Agent).count();
        assert!(agents >= 16, "{agents} agent targets");
        for s in &specs {
            assert!(s.doc.starts_with("https://"), "{}: {}", s.name, s.doc);
        }
    }

    #[test]
    fn scopes_fall_back_in_order() {
        let windsurf = Target::parse("windsurf").unwrap().spec();
        assert_eq!(windsurf.express(When::OnRequest, false), When::OnRequest);
        let cline = Target::parse("cline").unwrap().spec();
        assert_eq!(cline.express(When::Manual, false), When::Always);
        let agents = Target::parse("agents").unwrap().spec();
        assert_eq!(agents.express(When::Glob, true), When::Nested);
        assert_eq!(agents.express(When::Glob, false), When::Always);
        assert_eq!(windsurf.own_folder(), Some(".windsurf/rules"));
        assert_eq!(agents.own_folder(), None);
    }

    #[test]
    fn bad_data_is_named() {
        let e = parse("[[target]]\nname = \"x\"\nagent = \"X\"\ndoc = \"https://x\"\nscopes = [\"always\"]\nnative = \"nope\"\n[[target.file]]\neach = \"rule\"\npath = \"a.md\"\ntemplate = \"t\"\n").unwrap_err();
        assert!(e.contains("nope"), "{e}");
    }
}
