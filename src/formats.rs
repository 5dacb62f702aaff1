//! What each rule-file format means to the agent that loads it: where its
//! files live, which front-matter keys it reads and how strictly, whether a
//! title matters, and when the agent loads a document (always, for some
//! files, on request, by hand). One place for every such decision, each with
//! the vendor documentation it follows (URLs in [`doc_url`]; what each page
//! says is summarised where it is used).
//!
//! ruledoc's own tiered convention (`# Name Kind (Tier N)`, a `## Purpose`)
//! is a format too, and the fallback for Markdown that no agent loads by
//! location is plain `markdown`.

use std::path::{Component, Path};

use serde::Serialize;
use serde_json::Value;

use crate::model::{Format, FrontMatter, Loads};

/// The agent whose rule set a format belongs to: documents are compared
/// (duplicate names, what loads up front) within one agent's set only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agent {
    /// Claude Code: `CLAUDE.md` and `.claude/rules`.
    Claude,
    /// Readers of `AGENTS.md` (Codex, OpenCode, Cursor, Copilot, …).
    AgentsMd,
    /// Cursor: `.mdc` rules and `.cursorrules`.
    Cursor,
    /// GitHub Copilot: repository-wide and path-specific instructions.
    Copilot,
    /// Windsurf: `.windsurf/rules` and `.windsurfrules`.
    Windsurf,
    /// Kiro steering.
    Kiro,
    /// Gemini CLI.
    Gemini,
    /// Cline.
    Cline,
    /// Roo Code.
    Roo,
    /// Zed.
    Zed,
    /// JetBrains Junie.
    Junie,
    /// Continue.
    Continue,
    /// Amazon Q Developer.
    #[serde(rename = "amazonq")]
    AmazonQ,
    /// Augment Code: `.augment/rules` and its legacy guidelines file.
    Augment,
    /// Kilo Code.
    #[serde(rename = "kilocode")]
    Kilo,
    /// Qwen Code.
    Qwen,
    /// Goose.
    Goose,
    /// Trae.
    Trae,
    /// ruledoc's own rule sets: tiered documents and plain Markdown.
    Ruledoc,
}

impl Agent {
    /// How findings name the agent (`Claude Code`, `an AGENTS.md reader`).
    pub fn display_name(self) -> &'static str {
        match self {
            Agent::Claude => "Claude Code",
            Agent::AgentsMd => "an AGENTS.md reader",
            Agent::Cursor => "Cursor",
            Agent::Copilot => "Copilot",
            Agent::Windsurf => "Windsurf",
            Agent::Kiro => "Kiro",
            Agent::Gemini => "Gemini CLI",
            Agent::Cline => "Cline",
            Agent::Roo => "Roo Code",
            Agent::Zed => "Zed",
            Agent::Junie => "Junie",
            Agent::Continue => "Continue",
            Agent::AmazonQ => "Amazon Q",
            Agent::Augment => "Augment",
            Agent::Kilo => "Kilo Code",
            Agent::Qwen => "Qwen Code",
            Agent::Goose => "Goose",
            Agent::Trae => "Trae",
            Agent::Ruledoc => "ruledoc",
        }
    }
}

/// The agent that reads `format`.
pub fn agent(format: Format) -> Agent {
    match format {
        Format::ClaudeMd | Format::ClaudeRules => Agent::Claude,
        Format::AgentsMd => Agent::AgentsMd,
        Format::CursorMdc | Format::Cursorrules => Agent::Cursor,
        Format::CopilotRepo | Format::CopilotPath => Agent::Copilot,
        Format::WindsurfRules | Format::Windsurfrules => Agent::Windsurf,
        Format::KiroSteering => Agent::Kiro,
        Format::GeminiMd => Agent::Gemini,
        Format::Clinerules => Agent::Cline,
        Format::RooRules => Agent::Roo,
        Format::ZedRules => Agent::Zed,
        Format::JunieGuidelines => Agent::Junie,
        Format::ContinueRules => Agent::Continue,
        Format::AmazonqRules => Agent::AmazonQ,
        Format::AugmentRules | Format::AugmentGuidelines => Agent::Augment,
        Format::KiloRules => Agent::Kilo,
        Format::QwenMd => Agent::Qwen,
        Format::Goosehints => Agent::Goose,
        Format::TraeRules => Agent::Trae,
        Format::Tiered | Format::Markdown => Agent::Ruledoc,
    }
}

/// The vendor documentation a format follows.
pub fn doc_url(format: Format) -> &'static str {
    match format {
        Format::ClaudeMd | Format::ClaudeRules => "https://code.claude.com/docs/en/memory",
        Format::AgentsMd => "https://agents.md",
        Format::CursorMdc | Format::Cursorrules => "https://cursor.com/docs/rules",
        Format::CopilotRepo | Format::CopilotPath => {
            "https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/add-repository-instructions"
        }
        Format::WindsurfRules | Format::Windsurfrules => {
            "https://docs.windsurf.com/windsurf/cascade/memories"
        }
        Format::KiroSteering => "https://kiro.dev/docs/steering/",
        Format::GeminiMd => "https://geminicli.com/docs/cli/gemini-md",
        Format::Clinerules => "https://docs.cline.bot/customization/cline-rules",
        Format::RooRules => "https://docs.roocode.com/features/custom-instructions",
        Format::ZedRules => "https://zed.dev/docs/ai/rules",
        Format::JunieGuidelines => "https://www.jetbrains.com/help/junie/customize-guidelines.html",
        Format::ContinueRules => "https://docs.continue.dev/customize/deep-dives/rules",
        Format::AmazonqRules => {
            "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/context-project-rules.html"
        }
        Format::AugmentRules | Format::AugmentGuidelines => {
            "https://docs.augmentcode.com/setup-augment/guidelines"
        }
        Format::KiloRules => "https://kilo.ai/docs/customize/custom-rules",
        Format::QwenMd => "https://qwenlm.github.io/qwen-code-docs/en/users/features/memory/",
        Format::Goosehints => {
            "https://block.github.io/goose/docs/guides/context-engineering/using-goosehints"
        }
        Format::TraeRules => "https://docs.trae.ai/ide/rules",
        Format::Tiered | Format::Markdown => "https://github.com/ruledoc/ruledoc#documents",
    }
}

/// The format a file's location gives it, before its content is read:
/// `Markdown` where no agent loads the file by its location.
///
/// - `CLAUDE.md`, `CLAUDE.local.md` anywhere (`.claude/CLAUDE.md` too);
///   `.claude/rules/**/*.md` (Claude Code's memory docs).
/// - `AGENTS.md` anywhere (agents.md).
/// - `.mdc` anywhere; `.cursorrules` (Cursor's rules docs). A plain `.md` in
///   `.cursor/rules` is ignored by Cursor ("A plain `.md` file in
///   `.cursor/rules` is ignored by the rules system"): Markdown.
/// - `.github/copilot-instructions.md`; `*.instructions.md` anywhere (GitHub's
///   docs: "The file name must end with `.instructions.md`").
/// - `.windsurf/rules/*.md`; `.windsurfrules`.
/// - `.kiro/steering/*.md`.
/// - `GEMINI.md` anywhere.
/// - the `.clinerules` file, and `.clinerules/**` but its `workflows/`,
///   `hooks/` and `skills/` folders, which Cline's loader skips.
/// - `.roo/rules/**` and `.roo/rules-{mode}/**`.
/// - `.rules` (Zed).
/// - `.junie/guidelines.md` (Junie's docs: "By default, Junie looks for
///   agent guidelines at `.junie/guidelines.md`"), and `.junie/AGENTS.md`
///   (JetBrains' junie-guidelines catalogue, github.com/JetBrains/junie-guidelines:
///   "define your coding style … in `.junie/AGENTS.md` or `AGENTS.md`").
/// - `.continue/rules/**/*.md`: Continue's loader walks the folder and keeps
///   the files ending in `.md` (`loadMarkdownRules.ts`).
/// - `.amazonq/rules/**/*.md`: the Amazon Q language server "recursively
///   collects markdown files" there (`additionalContextProvider.ts`,
///   aws/language-servers).
/// - `.augment/rules/**/*.md` ("Recursively searches .md files"); the legacy
///   `.augment-guidelines` and `.augment/guidelines.md` (Augment's CLI rules
///   docs name both, by version).
/// - `.kilocode/rules/**` and `.kilocode/rules-{mode}/**`, as Roo's (Kilo
///   Code is a Roo Code fork; its custom-rules docs give the same folders).
/// - `QWEN.md` anywhere; `.qwen/QWEN.local.md` (Qwen Code's memory docs).
/// - `.goosehints` anywhere (Goose reads one in each folder from the Git
///   root down to where it runs, `crates/goose/src/hints/load_hints.rs`).
/// - `.trae/rules/**/*.md` (Trae's rules docs: project rules are Markdown
///   files in `.trae/rules`, sub-folders included).
pub fn by_location(path: &Path) -> Format {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parent = path.parent().unwrap_or(Path::new(""));
    let md = name
        .len()
        .checked_sub(3)
        .is_some_and(|at| name.as_bytes()[at..].eq_ignore_ascii_case(b".md"));
    let parent_is = |dir: &str| parent.file_name() == Some(std::ffi::OsStr::new(dir));
    match name {
        "guidelines.md" | "AGENTS.md" if parent_is(".junie") => {
            return Format::JunieGuidelines;
        }
        "guidelines.md" if parent_is(".augment") => return Format::AugmentGuidelines,
        "QWEN.local.md" if parent_is(".qwen") => return Format::QwenMd,
        "QWEN.md" => return Format::QwenMd,
        ".goosehints" => return Format::Goosehints,
        ".augment-guidelines" => return Format::AugmentGuidelines,
        "CLAUDE.md" | "CLAUDE.local.md" => return Format::ClaudeMd,
        "AGENTS.md" => return Format::AgentsMd,
        "GEMINI.md" => return Format::GeminiMd,
        ".cursorrules" => return Format::Cursorrules,
        ".windsurfrules" => return Format::Windsurfrules,
        ".clinerules" => return Format::Clinerules,
        ".rules" => return Format::ZedRules,
        "copilot-instructions.md"
            if parent.file_name() == Some(std::ffi::OsStr::new(".github")) =>
        {
            return Format::CopilotRepo;
        }
        _ => {}
    }
    if name.ends_with(".mdc") {
        return Format::CursorMdc;
    }
    if name.ends_with(".instructions.md") {
        return Format::CopilotPath;
    }
    // Every folder below names a hidden one: most paths have none, and are
    // told without splitting them into components.
    let bytes = parent.as_os_str().as_encoded_bytes();
    if !(bytes.starts_with(b".") || bytes.windows(2).any(|w| w == b"/.")) {
        return Format::Markdown;
    }
    let dirs: Vec<&str> = parent
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let under = |a: &str, b: &dyn Fn(&str) -> bool| dirs.windows(2).any(|w| w[0] == a && b(w[1]));
    if md && under(".claude", &|d| d == "rules") {
        return Format::ClaudeRules;
    }
    if md && under(".windsurf", &|d| d == "rules") {
        return Format::WindsurfRules;
    }
    if md && under(".kiro", &|d| d == "steering") {
        return Format::KiroSteering;
    }
    if under(".roo", &|d| d == "rules" || d.starts_with("rules-")) {
        return Format::RooRules;
    }
    if under(".kilocode", &|d| d == "rules" || d.starts_with("rules-")) {
        return Format::KiloRules;
    }
    if md && under(".continue", &|d| d == "rules") {
        return Format::ContinueRules;
    }
    if md && under(".amazonq", &|d| d == "rules") {
        return Format::AmazonqRules;
    }
    if md && under(".augment", &|d| d == "rules") {
        return Format::AugmentRules;
    }
    if md && under(".trae", &|d| d == "rules") {
        return Format::TraeRules;
    }
    if let Some(at) = dirs.iter().position(|d| *d == ".clinerules") {
        let skipped = matches!(dirs.get(at + 1), Some(&("workflows" | "hooks" | "skills")));
        if !skipped {
            return Format::Clinerules;
        }
    }
    Format::Markdown
}

/// Whether `format`'s reader follows `@path` imports:
///
/// - Claude Code: "CLAUDE.md files can import additional files using
///   `@path/to/import` syntax" (memory docs), in `CLAUDE.md` and the rules
///   it loads.
/// - Gemini CLI: "`@file.md`" imports in `GEMINI.md` (its memory import
///   processor); Qwen Code, its fork, in `QWEN.md` ("Use `@path/to/file`
///   anywhere in QWEN.md. Relative paths resolve from the QWEN.md file
///   itself", its memory docs).
/// - Goose: `@path` references in `.goosehints` are replaced by the file's
///   content when it exists, and left as text when not
///   (`crates/goose/src/hints/import_files.rs`).
/// - ruledoc's own documents (tiered, plain Markdown): imports are how the
///   `claude` target links rules (DESIGN.md), so they are checked there.
///
/// Every other agent reads `@…` as text: Copilot, Cline and Windsurf know
/// `@` mentions only in chat, Kiro includes files with `#[[file:…]]`, and
/// Codex reads `AGENTS.md` as it is; Junie, Continue, Amazon Q, Augment,
/// Kilo and Trae document no imports. A missing "import" there is no
/// finding.
pub fn reads_imports(format: Format) -> bool {
    matches!(
        format,
        Format::ClaudeMd
            | Format::ClaudeRules
            | Format::GeminiMd
            | Format::QwenMd
            | Format::Goosehints
            | Format::Tiered
            | Format::Markdown
    )
}

/// Whether the file at `path` is Markdown to its reader: a `.md`, `.mdc` or
/// `.markdown` file, or an agent file with no extension (`.cursorrules`,
/// `.windsurfrules`, `.clinerules`, `.rules`, `.goosehints`,
/// `.augment-guidelines`, all Markdown by their documentation). Roo Code,
/// Kilo Code and Cline load every file in their rule folders
/// and append it as written ("rules files are concatenated"), so a `.xml` or
/// `.txt` file there is text, not Markdown: no CommonMark reader ever renders
/// it, and its `<tool_use>` examples or `##` lines are content.
pub fn reads_as_markdown(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => ["md", "mdc", "markdown"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(ext)),
    }
}

/// The format of a document at `path` that `declares_tier` (a title
/// `(Tier N)` or a front-matter `tier`): its location's, or `Tiered` for
/// Markdown that states a tier.
pub fn detect(path: &Path, declares_tier: bool) -> Format {
    match by_location(path) {
        Format::Markdown if declares_tier => Format::Tiered,
        f => f,
    }
}

/// Whether the file at `path` is one an agent loads by its name or folder:
/// what discovery takes from a repository when no path is given. A `.mdc`
/// outside `.cursor/rules` has Cursor's format but Cursor does not load it
/// ("Project rules live in `.cursor/rules`"), nor does Copilot load an
/// `.instructions.md` outside `.github/instructions`. A Markdown file in
/// `.github/instructions` without that suffix (not a README) is taken too:
/// Copilot never loads it, which RD111 reports.
pub fn is_agent_file(path: &Path) -> bool {
    let under = |a: &str, b: &str| {
        let parts: Vec<&std::ffi::OsStr> = path
            .parent()
            .map(|p| p.components().map(|c| c.as_os_str()).collect())
            .unwrap_or_default();
        parts.windows(2).any(|w| w[0] == a && w[1] == b)
    };
    match by_location(path) {
        // Not loaded by Copilot, but meant for it: RD111 says so, and a
        // run with no path must see it as a run on the folder does.
        Format::Markdown => {
            under(".github", "instructions") && !is_readme(path) && is_markdown(path)
        }
        Format::Tiered => false,
        Format::CursorMdc => under(".cursor", "rules"),
        Format::CopilotPath => under(".github", "instructions"),
        _ => true,
    }
}

/// The front-matter keys a format's loader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// The loader reads these keys and no others: any other key is ignored.
    Agent(&'static [&'static str]),
    /// A team's own convention: ruledoc's keys, and whatever the team adds
    /// (`[document] keys` in `ruledoc.toml` lists them, to check them).
    Own,
    /// The loader reads no front matter: the block reaches the agent as text.
    None,
}

/// Keys of any agent's front matter (and ruledoc's `tier`), for telling
/// front-matter lines left in a body from prose.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "description",
    "globs",
    "alwaysApply",
    "paths",
    "applyTo",
    "excludeAgent",
    "trigger",
    "inclusion",
    "fileMatchPattern",
    "tier",
];

/// Whether `line` reads as a line of some agent's front matter
/// (`globs: **/*.ts`): a [`FRONT_MATTER_KEYS`] key, then `:`.
pub fn is_front_matter_line(line: &str) -> bool {
    let Some((key, _)) = line.split_once(':') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty() && !key.contains(' ') && FRONT_MATTER_KEYS.contains(&key)
}

/// ruledoc's own front-matter keys (DESIGN.md §1), plus `description`, which
/// ruledoc reads as a purpose.
pub const RULEDOC_KEYS: &[&str] = &["tier", "name", "purpose", "kind", "revision", "description"];

/// Which front-matter keys `format`'s loader reads, from its documentation:
///
/// - Cursor: `description`, `globs`, `alwaysApply` ("the three frontmatter
///   fields").
/// - Claude Code rules: `paths` (the only documented key).
/// - Copilot path-specific: `applyTo`, `excludeAgent`; VS Code adds `name`,
///   `description`.
/// - Windsurf: `trigger`, `globs`, `description`.
/// - Kiro: `inclusion`, `fileMatchPattern`, `name`, `description`.
/// - Cline: `paths`.
/// - Continue: `name`, `globs`, `regex`, `description`, `alwaysApply`,
///   `invokable` (the `RuleFrontmatter` its `markdownToRule` reads,
///   `packages/config-yaml/src/markdown/markdownToRule.ts`).
/// - Augment: `type`, `description` (its rules docs: "Frontmatter Field").
/// - Trae: `description`, `globs`, `alwaysApply` (its rules docs: the
///   application mode sets `alwaysApply`, "and you configure `description`
///   or `globs`" for it).
/// - `CLAUDE.md`, `AGENTS.md`, `GEMINI.md`, `QWEN.md`, `.cursorrules`,
///   `.windsurfrules`, `.goosehints`, Roo, Kilo, Zed, Junie, Amazon Q,
///   Augment's legacy guidelines, Copilot's repository-wide file: none
///   (Amazon Q reads its rule files whole, "Markdown files" with no
///   metadata; Kilo's: "Plain Markdown files—no YAML frontmatter").
pub fn keys(format: Format) -> Keys {
    match format {
        Format::CursorMdc => Keys::Agent(&["description", "globs", "alwaysApply"]),
        Format::ClaudeRules => Keys::Agent(&["paths"]),
        Format::CopilotPath => Keys::Agent(&["applyTo", "excludeAgent", "name", "description"]),
        Format::WindsurfRules => Keys::Agent(&["trigger", "globs", "description"]),
        Format::KiroSteering => {
            Keys::Agent(&["inclusion", "fileMatchPattern", "name", "description"])
        }
        Format::Clinerules => Keys::Agent(&["paths"]),
        Format::ContinueRules => Keys::Agent(&[
            "name",
            "globs",
            "regex",
            "description",
            "alwaysApply",
            "invokable",
        ]),
        Format::AugmentRules => Keys::Agent(&["type", "description"]),
        Format::TraeRules => Keys::Agent(&["description", "globs", "alwaysApply"]),
        Format::Tiered | Format::Markdown => Keys::Own,
        Format::ClaudeMd
        | Format::AgentsMd
        | Format::Cursorrules
        | Format::CopilotRepo
        | Format::Windsurfrules
        | Format::GeminiMd
        | Format::RooRules
        | Format::ZedRules
        | Format::JunieGuidelines
        | Format::AmazonqRules
        | Format::AugmentGuidelines
        | Format::KiloRules
        | Format::QwenMd
        | Format::Goosehints => Keys::None,
    }
}

/// Whether `format`'s front matter is read as YAML, so that invalid YAML is a
/// defect. Cursor and Windsurf read their keys line by line: `globs: **/*.ts`
/// unquoted is their own documented syntax, though YAML reads a leading `*`
/// as an alias. VS Code reads Copilot's instruction files with its own
/// front-matter parser, which has "no anchors or references"
/// (`src/vs/base/common/yaml.ts`), so `applyTo: **/*.rs` is a pattern there.
/// Trae's rules share Cursor's keys and its unquoted `globs` (its rules
/// docs), so they are read the same way. Continue parses its block with the
/// `yaml` package and drops every key when that fails
/// (`parseMarkdownRule`): YAML there.
pub fn strict_yaml(format: Format) -> bool {
    !matches!(
        format,
        Format::CursorMdc | Format::WindsurfRules | Format::CopilotPath | Format::TraeRules
    ) && keys(format) != Keys::None
}

/// Whether `format` needs an H1 title: only ruledoc's tiered convention
/// names a rule by its title. No agent's documentation asks for one (Cursor
/// and Windsurf name a rule by its file, `AGENTS.md` is "just standard
/// Markdown", Copilot's and Kiro's names are front-matter keys).
pub fn needs_title(format: Format) -> bool {
    format == Format::Tiered
}

/// When the agent that reads `format` loads a document with front matter
/// `fm` (its `scope` already read), `nested` when it lies below the
/// repository's top folder:
///
/// - Cursor: `alwaysApply: true` always ("Globs and description are
///   ignored"); else `globs` → glob; else `description` → on request; else
///   manual (Cursor's rules docs, the truth table "Under the hood").
/// - Claude Code: `CLAUDE.md` at the top always, nested on demand; a rule
///   without `paths` always ("loaded unconditionally"), with `paths` by glob.
/// - `AGENTS.md`, `GEMINI.md`: at the top always, nested when working there.
/// - Copilot: the repository-wide file always; a path-specific file by
///   `applyTo` (`**` is everything); without it, on request when it has a
///   `description` (VS Code's agent matches "the instruction description
///   to the current task"), else manual ("not applied automatically").
/// - Windsurf: `trigger` `always_on` always, `glob` by `globs`,
///   `model_decision` on request, `manual` manual; no trigger: manual.
/// - Kiro: `inclusion` `always` (or none) always, `fileMatch` by
///   `fileMatchPattern`, `auto` on request, `manual` manual.
/// - Cline: no front matter always; `paths: []` never; `paths` by glob.
/// - `.cursorrules`, `.windsurfrules`, Zed's `.rules`: always at the
///   repository's top, never below it (each agent reads the one at the
///   workspace root; a nested `.cursorrules` was never a Cursor feature).
/// - Continue (`shouldApplyRule`, `core/llm/rules/getSystemMessageWithRules.ts`):
///   `invokable: true` makes it a prompt, run by hand; `alwaysApply: true`
///   always; `globs` by glob (a `regex` narrows it to files whose content
///   matches); `regex` alone when a file whose content matches is in play,
///   which no [`Loads`] says: on request, as the nearest (neither up front
///   nor by path); `alwaysApply: false` alone on request (its `request_rule`
///   tool offers exactly those rules, by name and description); neither
///   always (a rule in `.continue` "with no globs or regex" is "implicitly
///   global").
/// - Augment: `type` `always_apply` (the documented default) always,
///   `agent_requested` on request, `manual` manual.
/// - Trae: `alwaysApply: true` always, `globs` by glob, a `description` on
///   request, else manual (`#Rule`); a file with none of the three keys
///   (the single `project_rules.md` of earlier versions) always.
/// - `QWEN.md`, `.goosehints`: at the top always, nested when working
///   there (Qwen Code keeps Gemini CLI's hierarchy; Goose reads every
///   `.goosehints` from the Git root down to its working folder).
/// - Junie's and Augment's guidelines files: at the project's top always,
///   never below it (each is looked up at the project root only).
/// - Roo, Kilo, Amazon Q, ruledoc's own: always (Amazon Q: "Amazon Q will
///   automatically use them as context").
pub fn loads(format: Format, fm: Option<&FrontMatter>, nested: bool) -> Loads {
    let get = |k: &str| fm.and_then(|f| f.get(k));
    let text = |k: &str| {
        get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let globs = |k: &str| get(k).and_then(scope_patterns).filter(|p| !p.is_empty());
    match format {
        Format::CursorMdc => {
            if get("alwaysApply").and_then(Value::as_bool) == Some(true) {
                Loads::Always
            } else if let Some(g) = globs("globs") {
                Loads::Glob(g)
            } else if text("description").is_some() {
                Loads::OnRequest
            } else {
                Loads::Manual
            }
        }
        Format::ClaudeMd
        | Format::AgentsMd
        | Format::GeminiMd
        | Format::QwenMd
        | Format::Goosehints => {
            if nested {
                Loads::Nested
            } else {
                Loads::Always
            }
        }
        Format::ClaudeRules => match globs("paths") {
            Some(g) => Loads::Glob(g),
            None => Loads::Always,
        },
        Format::CopilotPath => match globs("applyTo") {
            Some(g) if g.iter().any(|p| matches!(p.as_str(), "**" | "**/*" | "*")) => Loads::Always,
            Some(g) => Loads::Glob(g),
            None if text("description").is_some() => Loads::OnRequest,
            None => Loads::Manual,
        },
        Format::WindsurfRules => match text("trigger") {
            Some("always_on") => Loads::Always,
            Some("glob") => globs("globs").map_or(Loads::Never, Loads::Glob),
            Some("model_decision") => Loads::OnRequest,
            _ => Loads::Manual,
        },
        Format::KiroSteering => match text("inclusion") {
            None | Some("always") => Loads::Always,
            Some("fileMatch") => globs("fileMatchPattern").map_or(Loads::Never, Loads::Glob),
            Some("auto") => Loads::OnRequest,
            _ => Loads::Manual,
        },
        Format::Clinerules => match get("paths") {
            None => Loads::Always,
            Some(v) => match scope_patterns(v) {
                Some(g) if !g.is_empty() => Loads::Glob(g),
                _ => Loads::Never,
            },
        },
        Format::ContinueRules => {
            if get("invokable").and_then(Value::as_bool) == Some(true) {
                Loads::Manual
            } else if get("alwaysApply").and_then(Value::as_bool) == Some(true) {
                Loads::Always
            } else if let Some(g) = globs("globs") {
                Loads::Glob(g)
            } else if get("regex").and_then(scope_patterns).is_some()
                || get("alwaysApply").and_then(Value::as_bool) == Some(false)
            {
                Loads::OnRequest
            } else {
                Loads::Always
            }
        }
        Format::AugmentRules => match text("type") {
            Some("agent_requested") => Loads::OnRequest,
            Some("manual") => Loads::Manual,
            _ => Loads::Always,
        },
        Format::TraeRules => {
            let always = get("alwaysApply").and_then(Value::as_bool);
            if always == Some(true) {
                Loads::Always
            } else if let Some(g) = globs("globs") {
                Loads::Glob(g)
            } else if text("description").is_some() {
                Loads::OnRequest
            } else if always.is_none() && get("globs").is_none() && get("description").is_none() {
                Loads::Always
            } else {
                Loads::Manual
            }
        }
        Format::Cursorrules
        | Format::Windsurfrules
        | Format::ZedRules
        | Format::JunieGuidelines
        | Format::AugmentGuidelines
            if nested =>
        {
            Loads::Never
        }
        Format::CopilotRepo
        | Format::Cursorrules
        | Format::Windsurfrules
        | Format::RooRules
        | Format::ZedRules
        | Format::JunieGuidelines
        | Format::AmazonqRules
        | Format::AugmentGuidelines
        | Format::KiloRules
        | Format::Tiered
        | Format::Markdown => Loads::Always,
    }
}

/// The patterns of a scope value (`globs`, `paths`, `applyTo`,
/// `fileMatchPattern`): a YAML list, or a comma-separated string (Cursor's
/// and Copilot's docs: "Separate multiple patterns with commas"), each
/// trimmed; `None` for another type, or when no pattern is left.
pub fn scope_patterns(v: &Value) -> Option<Vec<String>> {
    let list: Vec<String> = match v {
        Value::String(s) => split_patterns(s)
            .into_iter()
            .map(|p| p.trim().to_string())
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(|s| s.trim().to_string()))
            .collect(),
        _ => return None,
    };
    let list: Vec<String> = list.into_iter().filter(|p| !p.is_empty()).collect();
    (!list.is_empty()).then_some(list)
}

/// `list` split at its top-level commas: a comma inside a brace group
/// (`*.{ts,tsx}`) or a character class (`[a,b]`) belongs to its glob. VS
/// Code reads Copilot's `applyTo` this way (`splitGlobAware(pattern, ',')`,
/// `src/vs/base/common/glob.ts`), so a brace glob written for one agent
/// means the same in every other.
pub(crate) fn split_patterns(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut braces, mut in_class, mut start) = (0usize, false, 0);
    for (i, c) in list.char_indices() {
        match c {
            '[' => in_class = true,
            ']' => in_class = false,
            '{' if !in_class => braces += 1,
            '}' if !in_class => braces = braces.saturating_sub(1),
            ',' if braces == 0 && !in_class => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[start..]);
    out
}

/// Whether `path` is named `README.md` (any case): a folder's notes for
/// people, not a rule.
pub fn is_readme(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("readme.md"))
}

/// Whether `path` ends in `.md` (any case).
fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_give_formats() {
        let f = |p: &str| by_location(Path::new(p));
        assert_eq!(f("repo/CLAUDE.md"), Format::ClaudeMd);
        assert_eq!(f("repo/.claude/CLAUDE.md"), Format::ClaudeMd);
        assert_eq!(f("repo/web/CLAUDE.local.md"), Format::ClaudeMd);
        assert_eq!(f("repo/.claude/rules/sub/a.md"), Format::ClaudeRules);
        assert_eq!(f("repo/pkg/AGENTS.md"), Format::AgentsMd);
        assert_eq!(f("repo/.cursor/rules/a.mdc"), Format::CursorMdc);
        assert_eq!(f("repo/.cursor/rules/README.md"), Format::Markdown);
        assert_eq!(f("repo/.cursorrules"), Format::Cursorrules);
        assert_eq!(
            f("repo/.github/copilot-instructions.md"),
            Format::CopilotRepo
        );
        assert_eq!(f("repo/copilot-instructions.md"), Format::Markdown);
        assert_eq!(
            f("repo/.github/instructions/ts.instructions.md"),
            Format::CopilotPath
        );
        assert_eq!(f("repo/.github/instructions/ts.md"), Format::Markdown);
        assert_eq!(f("repo/.windsurf/rules/a.md"), Format::WindsurfRules);
        assert_eq!(f("repo/.windsurfrules"), Format::Windsurfrules);
        assert_eq!(f("repo/.kiro/steering/a.md"), Format::KiroSteering);
        assert_eq!(f("repo/packages/x/GEMINI.md"), Format::GeminiMd);
        assert_eq!(f("repo/.clinerules"), Format::Clinerules);
        assert_eq!(f("repo/.clinerules/style.md"), Format::Clinerules);
        assert_eq!(f("repo/.clinerules/workflows/release.md"), Format::Markdown);
        assert_eq!(f("repo/.roo/rules-code/a.md"), Format::RooRules);
        assert_eq!(f("repo/.rules"), Format::ZedRules);
        assert_eq!(f("repo/rules/sub/async.md"), Format::Markdown);
        assert_eq!(
            detect(Path::new("repo/rules/sub/async.md"), true),
            Format::Tiered
        );
        assert_eq!(
            detect(Path::new("repo/.claude/rules/async.md"), true),
            Format::ClaudeRules
        );
    }

    #[test]
    fn locations_give_the_formats_of_further_agents() {
        let f = |p: &str| by_location(Path::new(p));
        assert_eq!(f("repo/.junie/guidelines.md"), Format::JunieGuidelines);
        assert_eq!(f("repo/.junie/AGENTS.md"), Format::JunieGuidelines);
        assert_eq!(f("repo/docs/guidelines.md"), Format::Markdown);
        assert_eq!(f("repo/.continue/rules/a.md"), Format::ContinueRules);
        assert_eq!(f("repo/.continue/rules/sub/a.md"), Format::ContinueRules);
        assert_eq!(f("repo/.continue/rules/a.yaml"), Format::Markdown);
        assert_eq!(f("repo/.continue/prompts/a.md"), Format::Markdown);
        assert_eq!(f("repo/.amazonq/rules/deep/a.md"), Format::AmazonqRules);
        assert_eq!(f("repo/.augment/rules/a.md"), Format::AugmentRules);
        assert_eq!(f("repo/.augment/guidelines.md"), Format::AugmentGuidelines);
        assert_eq!(f("repo/.augment-guidelines"), Format::AugmentGuidelines);
        assert_eq!(f("repo/.kilocode/rules/a.md"), Format::KiloRules);
        assert_eq!(f("repo/.kilocode/rules-debug/a.txt"), Format::KiloRules);
        assert_eq!(f("repo/.kilocode/workflows/a.md"), Format::Markdown);
        assert_eq!(f("repo/QWEN.md"), Format::QwenMd);
        assert_eq!(f("repo/pkg/QWEN.md"), Format::QwenMd);
        assert_eq!(f("repo/.qwen/QWEN.local.md"), Format::QwenMd);
        assert_eq!(f("repo/.goosehints"), Format::Goosehints);
        assert_eq!(f("repo/sub/.goosehints"), Format::Goosehints);
        assert_eq!(f("repo/.trae/rules/project_rules.md"), Format::TraeRules);
        assert_eq!(f("repo/.trae/rules/a/b.md"), Format::TraeRules);
    }

    fn fm(yaml: &[(&str, Value)]) -> FrontMatter {
        FrontMatter {
            data: Some(
                yaml.iter()
                    .map(|(k, v)| ((*k).to_string(), v.clone()))
                    .collect(),
            ),
            line: 1,
            end_line: Some(yaml.len() + 2),
            error: None,
            raw: String::new(),
            span: crate::source::Span::default(),
            yaml_span: crate::source::Span::default(),
        }
    }

    #[test]
    fn further_agents_load_as_documented() {
        use serde_json::json;
        let continue_ =
            |keys: &[(&str, Value)]| loads(Format::ContinueRules, Some(&fm(keys)), true);
        assert_eq!(continue_(&[]), Loads::Always);
        assert_eq!(
            continue_(&[("alwaysApply", json!(true)), ("globs", json!("src/**"))]),
            Loads::Always
        );
        assert_eq!(
            continue_(&[("globs", json!(["a/**", "b/**"]))]),
            Loads::Glob(vec!["a/**".into(), "b/**".into()])
        );
        assert_eq!(
            continue_(&[("alwaysApply", json!(false)), ("globs", json!("a/**"))]),
            Loads::Glob(vec!["a/**".into()])
        );
        assert_eq!(
            continue_(&[("regex", json!("^import React"))]),
            Loads::OnRequest
        );
        assert_eq!(
            continue_(&[("alwaysApply", json!(false)), ("description", json!("SQL"))]),
            Loads::OnRequest
        );
        assert_eq!(continue_(&[("invokable", json!(true))]), Loads::Manual);
        assert_eq!(loads(Format::ContinueRules, None, true), Loads::Always);

        let augment = |keys: &[(&str, Value)]| loads(Format::AugmentRules, Some(&fm(keys)), true);
        assert_eq!(augment(&[]), Loads::Always);
        assert_eq!(augment(&[("type", json!("always_apply"))]), Loads::Always);
        assert_eq!(
            augment(&[("type", json!("agent_requested"))]),
            Loads::OnRequest
        );
        assert_eq!(augment(&[("type", json!("manual"))]), Loads::Manual);

        let trae = |keys: &[(&str, Value)]| loads(Format::TraeRules, Some(&fm(keys)), true);
        assert_eq!(loads(Format::TraeRules, None, true), Loads::Always);
        assert_eq!(trae(&[("alwaysApply", json!(true))]), Loads::Always);
        assert_eq!(
            trae(&[("alwaysApply", json!(false)), ("globs", json!("*.ts"))]),
            Loads::Glob(vec!["*.ts".into()])
        );
        assert_eq!(
            trae(&[("alwaysApply", json!(false)), ("description", json!("SQL"))]),
            Loads::OnRequest
        );
        assert_eq!(trae(&[("alwaysApply", json!(false))]), Loads::Manual);

        for f in [Format::QwenMd, Format::Goosehints] {
            assert_eq!(loads(f, None, false), Loads::Always);
            assert_eq!(loads(f, None, true), Loads::Nested);
        }
        for f in [Format::JunieGuidelines, Format::AugmentGuidelines] {
            assert_eq!(loads(f, None, false), Loads::Always);
            assert_eq!(loads(f, None, true), Loads::Never);
        }
        for f in [Format::AmazonqRules, Format::KiloRules] {
            assert_eq!(loads(f, None, true), Loads::Always);
        }
        assert!(reads_imports(Format::QwenMd) && reads_imports(Format::Goosehints));
        assert!(!reads_imports(Format::ContinueRules));
        assert_eq!(keys(Format::AmazonqRules), Keys::None);
        assert!(strict_yaml(Format::ContinueRules) && !strict_yaml(Format::TraeRules));
    }
}
