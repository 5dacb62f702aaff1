use serde::Serialize;

use super::{FrontMatter, Section, Snippet};
use crate::source::Span;

/// One parsed rule document.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDoc {
    /// Path as shown to users (relative to the current directory when inside it).
    pub path: String,
    /// Path relative to the rule-set root, when the document lies inside one.
    pub rel_path: Option<String>,
    /// Text of the H1 title line, without the `#`.
    pub title: Option<String>,
    pub title_line: Option<usize>,
    #[serde(skip)]
    pub title_span: Option<Span>,
    /// The rule's name: the title before its kind, else front matter `name`.
    pub name: Option<String>,
    /// `Rule`, `Sub-Rule`, … as written in the title.
    pub kind: Option<String>,
    /// The resolved tier: front matter, then title, then folder.
    pub tier: Option<i64>,
    /// Every place a tier was given, kept apart so they can be compared.
    pub tier_sources: TierSources,
    pub purpose: Option<String>,
    pub purpose_source: Option<PurposeSource>,
    /// Line of the Purpose heading, when there is a Purpose section.
    pub purpose_line: Option<usize>,
    pub front_matter: Option<FrontMatter>,
    pub scope: Scope,
    /// Top-level sections (the title is not a section; its children are).
    pub sections: Vec<Section>,
    pub snippets: Vec<Snippet>,
    pub links: Vec<Link>,
    /// `@path` imports, as Claude Code reads them.
    pub imports: Vec<Import>,
    /// Number of lines in the document.
    pub lines: usize,
    #[serde(skip)]
    pub layout: Layout,
}

/// The tier as each source states it; `None` where a source says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TierSources {
    /// `(Tier N)` in the title.
    pub title: Option<i64>,
    /// Front matter `tier`, when it is an integer.
    pub front_matter: Option<i64>,
    /// The folder convention, relative to the rule-set root.
    pub folder: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurposeSource {
    Section,
    FrontMatter,
}

/// Where a rule applies, as the agent formats spell it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scope {
    /// Cursor `globs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub globs: Option<Vec<String>>,
    /// Claude `paths`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
    /// Copilot `applyTo`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_to: Option<Vec<String>>,
    /// Cursor `alwaysApply`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub always_apply: Option<bool>,
}

/// A Markdown link or image outside code.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub url: String,
    pub line: usize,
    pub image: bool,
    #[serde(skip)]
    pub span: Span,
}

/// An `@path` import outside code.
#[derive(Debug, Clone, Serialize)]
pub struct Import {
    pub path: String,
    pub line: usize,
    #[serde(skip)]
    pub span: Span,
}

/// Where the Markdown structure puts things, for the checks that read raw text.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Every code block, fenced or indented, whole (fences included).
    pub code_blocks: Vec<Span>,
    /// Inline code spans, backticks included.
    pub inline_code: Vec<Span>,
    /// HTML blocks and inline HTML.
    pub html: Vec<Span>,
    /// Every heading, the title included, in document order: (level, span).
    pub headings: Vec<(u8, Span)>,
    /// Runs of backticks that CommonMark left as literal text.
    pub literal_backticks: Vec<Span>,
    /// Where the Markdown body starts (after any front matter).
    pub body_start: usize,
    /// The title's anchor (GitHub numbers it with the sections).
    pub title_anchor: Option<String>,
}

impl Layout {
    /// Whether `offset` lies inside a code block.
    pub fn in_code_block(&self, offset: usize) -> bool {
        span_containing(&self.code_blocks, offset).is_some()
    }

    /// Whether `offset` lies inside a code block or an inline code span.
    pub fn in_code(&self, offset: usize) -> bool {
        self.in_code_block(offset) || span_containing(&self.inline_code, offset).is_some()
    }

    /// Whether `offset` lies inside code, inline code or HTML.
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
