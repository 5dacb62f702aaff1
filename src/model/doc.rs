//! A rule document as parsed: metadata, structure, and where things lie.

use serde::Serialize;

use super::{Format, FrontMatter, Loads, Section, Snippet};
use crate::source::Span;

/// One parsed rule document. Lines are 1-based; spans are byte ranges into
/// the whole file's text, front matter included.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDoc {
    /// Path as shown to users: `/`-separated, relative to the current
    /// directory when the file is inside it.
    pub path: String,
    /// `/`-separated path relative to the rule-set root, when the document
    /// lies inside one.
    pub rel_path: Option<String>,
    /// Which reader it is written for: an agent's format, ruledoc's tiered
    /// convention, or plain Markdown (see [`crate::formats`]).
    pub format: Format,
    /// When the agent that reads it loads it (always, for some files, on
    /// request, by hand).
    pub loads: Loads,
    /// Whether its text is read as Markdown. A file an agent appends as
    /// written (a Roo Code `.xml` or `.txt` rule) is not: it has no front
    /// matter, title, sections or snippets, and only the rules that weigh
    /// what an agent loads (RD501) look at it.
    pub markdown: bool,
    /// Text of the first level-1 heading, inline markup removed, trimmed;
    /// `None` when the document has no H1.
    pub title: Option<String>,
    /// 1-based line where the title heading starts.
    pub title_line: Option<usize>,
    /// Byte span of the title heading.
    #[serde(skip)]
    pub title_span: Option<Span>,
    /// The rule's name: the title before its kind, else front matter `name`.
    pub name: Option<String>,
    /// `Rule`, `Sub-Rule`, … as written in the title.
    pub kind: Option<String>,
    /// The resolved tier: the first of front matter, title, folder that gives one.
    pub tier: Option<i64>,
    /// Every place a tier was given, kept apart so they can be compared.
    pub tier_sources: TierSources,
    /// The first paragraph of the Purpose section (inline markup removed,
    /// line breaks as spaces, trimmed) when not empty, else front matter
    /// `purpose`, else `description`; `Some("")` for a Purpose section with
    /// no paragraph and no front-matter alternative.
    pub purpose: Option<String>,
    /// Where `purpose` came from; `None` exactly when `purpose` is.
    pub purpose_source: Option<PurposeSource>,
    /// 1-based line of the Purpose heading, when there is a Purpose section.
    pub purpose_line: Option<usize>,
    /// The YAML block at the top, when the first line is `---`.
    pub front_matter: Option<FrontMatter>,
    /// The agent scope keys of the front matter; all `None` without front matter.
    pub scope: Scope,
    /// Top-level sections (the title is not a section; its children are).
    pub sections: Vec<Section>,
    /// Fenced code blocks, in document order (indented blocks are not snippets).
    pub snippets: Vec<Snippet>,
    /// Indented code blocks (CommonMark 0.31.2 §4.4), in document order, as
    /// snippets with no info string (see `Fence`: `' '`, length 0). No lint
    /// rule reads them; the verifier checks them as Rust in an mdBook
    /// chapter only, as rustdoc tests them there.
    #[serde(skip)]
    pub indented: Vec<Snippet>,
    /// Links and images outside code, in document order.
    pub links: Vec<Link>,
    /// `@path` imports outside code, in document order, as Claude Code's
    /// memory docs describe them.
    pub imports: Vec<Import>,
    /// Number of lines; a final newline does not start another (an empty
    /// file has 1).
    pub lines: usize,
    /// Byte spans of code, HTML and headings, for the checks that read raw text.
    #[serde(skip)]
    pub layout: Layout,
}

/// The tier as each source states it; `None` where a source says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TierSources {
    /// `(Tier N)` in the title (also `[Tier N]`, `(tier-N)`, `— Tier N`).
    pub title: Option<i64>,
    /// Front matter `tier`, when it is an integer.
    pub front_matter: Option<i64>,
    /// The folder convention (`[tiers] folders`) applied to the document's
    /// folder relative to its rule-set root.
    pub folder: Option<i64>,
}

/// Where a document's purpose was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurposeSource {
    /// The first paragraph after the `## Purpose` heading.
    Section,
    /// Front matter `purpose`, else `description`.
    FrontMatter,
}

/// Where a rule applies, as the agent formats spell it in front matter.
///
/// Each pattern list is read from a YAML list or a comma-separated string,
/// patterns trimmed, empty ones dropped; `None` when the key is absent, of
/// another type, or holds no pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scope {
    /// Cursor `globs` (Cursor's rules docs): the files an auto-attached rule is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub globs: Option<Vec<String>>,
    /// Claude Code `paths` (Claude Code's memory docs): the files a
    /// `.claude/rules/` rule is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
    /// Copilot `applyTo` (GitHub Copilot's custom instructions docs): the
    /// files an `.instructions.md` file is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_to: Option<Vec<String>>,
    /// Cursor `alwaysApply` (Cursor's rules docs), when it is a boolean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub always_apply: Option<bool>,
}

/// A Markdown link or image outside code (CommonMark 0.31.2 §6.3 Links,
/// §6.4 Images, §6.5 Autolinks).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The destination as CommonMark reads it: escapes and entities resolved,
    /// a reference link's definition looked up; not percent-decoded.
    pub url: String,
    /// 1-based line where the link starts.
    pub line: usize,
    /// Whether it is an image (`![alt](src)`) rather than a link.
    pub image: bool,
    /// Byte span of the whole link or image, text and destination included.
    #[serde(skip)]
    pub span: Span,
}

/// An `@path` import outside code, as Claude Code's memory docs describe
/// them. Only file-like tokens count: `./…`, `../…`, or a path ending in
/// `.md`, `.mdc`, `.txt`, `.json`, `.yaml`, `.yml` or `.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Import {
    /// The path after `@` as written (trailing `.`, `:`, `!`, `?` dropped);
    /// a relative one is relative to the importing document's folder.
    pub path: String,
    /// 1-based line of the `@`.
    pub line: usize,
    /// Byte span from the `@` to the end of the path.
    #[serde(skip)]
    pub span: Span,
}

/// Where the Markdown structure puts things, for the checks that read raw
/// text. Every span is a byte range into the whole file's text; every list
/// is in document order, so sorted by start.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Every code block, fenced or indented, whole (fences included).
    pub code_blocks: Vec<Span>,
    /// Inline code spans, backticks included.
    pub inline_code: Vec<Span>,
    /// HTML blocks and inline HTML.
    pub html: Vec<Span>,
    /// Every heading, the title included: (level 1–6, span of the heading).
    pub headings: Vec<(u8, Span)>,
    /// Runs of backticks that CommonMark left as literal text (no matching
    /// closing run: CommonMark 0.31.2 §6.1 Code spans), one span per run.
    pub literal_backticks: Vec<Span>,
    /// Byte offset where the Markdown body starts: just after a closed front
    /// matter block's closing line, else 0.
    pub body_start: usize,
    /// The title's anchor (GitHub numbers it with the sections).
    pub title_anchor: Option<String>,
}

impl Layout {
    /// Whether byte `offset` lies inside a code block.
    pub fn in_code_block(&self, offset: usize) -> bool {
        span_containing(&self.code_blocks, offset).is_some()
    }

    /// Whether byte `offset` lies inside a code block or an inline code span.
    pub fn in_code(&self, offset: usize) -> bool {
        self.in_code_block(offset) || span_containing(&self.inline_code, offset).is_some()
    }

    /// Whether byte `offset` lies inside a code block, inline code or HTML.
    pub fn in_code_or_html(&self, offset: usize) -> bool {
        self.in_code_block(offset)
            || span_containing(&self.inline_code, offset).is_some()
            || span_containing(&self.html, offset).is_some()
    }
}

/// The span of a sorted, non-overlapping list that contains `offset`.
fn span_containing(spans: &[Span], offset: usize) -> Option<Span> {
    let i = spans.partition_point(|s| s.end <= offset);
    spans.get(i).copied().filter(|s| s.start <= offset)
}
