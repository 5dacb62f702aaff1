//! Which reader a rule document is written for: an agent's format, ruledoc's
//! tiered convention, or plain Markdown. Decided from the document's path
//! and content by [`crate::formats::detect`]; what each format means (its
//! keys, scopes, title) lives in [`crate::formats`].

use serde::Serialize;

/// A rule document's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// ruledoc's tiered rule convention (the seed `async_patterns.md`): a
    /// title `# Name Kind (Tier N)` or a front-matter `tier`, a `## Purpose`.
    Tiered,
    /// Claude Code memory: `CLAUDE.md` (root, nested, `.claude/CLAUDE.md`)
    /// and `CLAUDE.local.md`.
    ClaudeMd,
    /// Claude Code rules: `.claude/rules/**/*.md`, scoped by `paths`.
    ClaudeRules,
    /// `AGENTS.md`, root and nested (agents.md; Codex, OpenCode, Cursor,
    /// Copilot, Windsurf and others read it).
    AgentsMd,
    /// Cursor project rules: `.cursor/rules/**/*.mdc` (and any `.mdc`), with
    /// `description`, `globs`, `alwaysApply`.
    CursorMdc,
    /// Cursor's legacy single file, `.cursorrules`.
    Cursorrules,
    /// GitHub Copilot's repository-wide `.github/copilot-instructions.md`.
    CopilotRepo,
    /// GitHub Copilot's path-specific `*.instructions.md`, scoped by `applyTo`.
    CopilotPath,
    /// Windsurf rules: `.windsurf/rules/*.md`, with `trigger`, `globs`,
    /// `description`.
    WindsurfRules,
    /// Windsurf's legacy single file, `.windsurfrules`.
    Windsurfrules,
    /// Kiro steering: `.kiro/steering/*.md`, with `inclusion`,
    /// `fileMatchPattern`.
    KiroSteering,
    /// Gemini CLI's `GEMINI.md`, root and nested.
    GeminiMd,
    /// Cline rules: the `.clinerules` file, or the files of the `.clinerules/`
    /// folder, optionally scoped by `paths`.
    Clinerules,
    /// Roo Code rules: `.roo/rules/` and `.roo/rules-{mode}/`.
    RooRules,
    /// Zed's project rules file, `.rules`.
    ZedRules,
    /// JetBrains Junie's guidelines: `.junie/guidelines.md` (and
    /// `.junie/AGENTS.md`) at the project's top.
    JunieGuidelines,
    /// Continue rules: `.continue/rules/**/*.md`, with `name`, `globs`,
    /// `regex`, `description`, `alwaysApply`, `invokable`.
    ContinueRules,
    /// Amazon Q Developer project rules: `.amazonq/rules/**/*.md`.
    AmazonqRules,
    /// Augment Code rules: `.augment/rules/**/*.md`, with `type`,
    /// `description`.
    AugmentRules,
    /// Augment Code's legacy workspace guidelines, `.augment-guidelines`
    /// (and `.augment/guidelines.md`).
    AugmentGuidelines,
    /// Kilo Code rules: `.kilocode/rules/` and `.kilocode/rules-{mode}/`.
    KiloRules,
    /// Qwen Code's `QWEN.md`, root and nested, and `.qwen/QWEN.local.md`.
    QwenMd,
    /// Goose's `.goosehints`, root and nested.
    Goosehints,
    /// Trae project rules: `.trae/rules/**/*.md`, with `description`,
    /// `globs`, `alwaysApply`.
    TraeRules,
    /// Markdown no agent loads by its location and that states no tier.
    #[default]
    Markdown,
}

impl Format {
    /// The name in `parse` output and the template context (`claude-md`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Tiered => "tiered",
            Format::ClaudeMd => "claude-md",
            Format::ClaudeRules => "claude-rules",
            Format::AgentsMd => "agents-md",
            Format::CursorMdc => "cursor-mdc",
            Format::Cursorrules => "cursorrules",
            Format::CopilotRepo => "copilot-repo",
            Format::CopilotPath => "copilot-path",
            Format::WindsurfRules => "windsurf-rules",
            Format::Windsurfrules => "windsurfrules",
            Format::KiroSteering => "kiro-steering",
            Format::GeminiMd => "gemini-md",
            Format::Clinerules => "clinerules",
            Format::RooRules => "roo-rules",
            Format::ZedRules => "zed-rules",
            Format::JunieGuidelines => "junie-guidelines",
            Format::ContinueRules => "continue-rules",
            Format::AmazonqRules => "amazonq-rules",
            Format::AugmentRules => "augment-rules",
            Format::AugmentGuidelines => "augment-guidelines",
            Format::KiloRules => "kilo-rules",
            Format::QwenMd => "qwen-md",
            Format::Goosehints => "goosehints",
            Format::TraeRules => "trae-rules",
            Format::Markdown => "markdown",
        }
    }

    /// Every format, in declaration order.
    pub const ALL: [Format; 25] = [
        Format::Tiered,
        Format::ClaudeMd,
        Format::ClaudeRules,
        Format::AgentsMd,
        Format::CursorMdc,
        Format::Cursorrules,
        Format::CopilotRepo,
        Format::CopilotPath,
        Format::WindsurfRules,
        Format::Windsurfrules,
        Format::KiroSteering,
        Format::GeminiMd,
        Format::Clinerules,
        Format::RooRules,
        Format::ZedRules,
        Format::JunieGuidelines,
        Format::ContinueRules,
        Format::AmazonqRules,
        Format::AugmentRules,
        Format::AugmentGuidelines,
        Format::KiloRules,
        Format::QwenMd,
        Format::Goosehints,
        Format::TraeRules,
        Format::Markdown,
    ];
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// When an agent loads a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "when", content = "patterns")]
pub enum Loads {
    /// At the start of every session or request (up front).
    Always,
    /// When a file matching these patterns is in play.
    Glob(Vec<String>),
    /// When the agent decides, from the description, that it applies.
    OnRequest,
    /// Only when a user names it (an @-mention).
    Manual,
    /// When the agent works in the document's folder (nested `AGENTS.md`,
    /// `CLAUDE.md`, `GEMINI.md`, `QWEN.md`, `.goosehints`).
    Nested,
    /// Never: its scope can never match (an empty `paths: []` in Cline), or
    /// its agent reads it only elsewhere (a `.cursorrules` below the top).
    Never,
}

impl Loads {
    /// Whether it loads up front, into every session.
    pub fn up_front(&self) -> bool {
        *self == Loads::Always
    }
}
