//! What each document leaves for the rules that compare documents, and the
//! context those rules run in. Facts are small, so documents need not stay in
//! memory while the rest of the set is read.

use std::path::PathBuf;
use std::sync::Arc;

use super::context::{AnchorCheck, DocContext, ImportEdge};
use super::plan::Enabled;
use super::suppress::Suppressions;
use super::{RuleKind, rules};
use crate::diagnostic::Diagnostic;
use crate::settings::Settings;
use crate::source::{Range, SourceFile};

/// What a document contributes to the rules that compare documents, and how
/// its findings are admitted (inline control, configured severities).
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    /// The path users see.
    pub path: String,
    /// The absolute path.
    pub abs_path: PathBuf,
    /// The rule name it declares (RD108).
    pub name: Option<String>,
    /// Its tier, when a source gives it (front matter, title or folder, in
    /// that order).
    pub tier: Option<i64>,
    /// Its token estimate (characters / 4, rounded up) when it is a tier-1
    /// document (RD501), else 0.
    pub tokens: usize,
    /// Where findings about the whole document are reported: its title line,
    /// else its first line of Markdown (1-based lines and character columns,
    /// end exclusive).
    pub head: Range,
    /// Links into other documents whose anchors RD401 checks once all are read.
    pub anchors: Vec<AnchorCheck>,
    /// `@path` imports that lead to files (RD403), in document order.
    pub imports: Vec<ImportEdge>,
    /// The document's text, attached to every finding admitted here, when the
    /// run keeps texts for its reporter (human output, watch, the server).
    pub source: Option<Arc<SourceFile>>,
    suppress: Suppressions,
    enabled: Option<Enabled>,
}

impl DocFacts {
    pub(super) fn new(ctx: &DocContext, anchors: Vec<AnchorCheck>, enabled: Enabled) -> Self {
        DocFacts {
            path: ctx.source.display.clone(),
            abs_path: ctx.abs_path.clone(),
            name: ctx.doc.name.clone(),
            tier: ctx.doc.tier,
            // Only tier-1 documents are summed; the others need no count.
            tokens: if ctx.doc.tier == Some(1) {
                ctx.tokens()
            } else {
                0
            },
            head: ctx.source.finding_range(ctx.head_span()),
            anchors,
            imports: ctx.import_edges(),
            source: None,
            suppress: Suppressions::read(ctx.source, &ctx.doc.layout),
            enabled: Some(enabled),
        }
    }

    /// `d` if its rule is on for this document and not silenced on its first
    /// line by an inline `<!-- ruledoc-… -->` comment, at the configured
    /// severity, with the document's text attached when it is kept.
    pub fn admit(&self, mut d: Diagnostic) -> Option<Diagnostic> {
        if self.suppress.is_suppressed(d.code, d.line()) {
            return None;
        }
        if let Some(e) = &self.enabled {
            d = e.apply_severity(d)?;
        }
        if d.source.is_none() {
            d.source.clone_from(&self.source);
        }
        Some(d)
    }
}

/// What the rules that compare documents see: every document's facts, in
/// walk order, and the settings.
pub struct SetContext<'a> {
    /// One per document, in walk order.
    pub facts: &'a [&'a DocFacts],
    /// The run's settings.
    pub settings: &'a Settings,
}

/// Findings about the set, each admitted by the document it is about.
#[derive(Debug, Default)]
pub struct SetFindings {
    diagnostics: Vec<Diagnostic>,
}

impl SetFindings {
    /// Report `d` about the document `facts` describes: kept only if that
    /// document admits it.
    pub fn report(&mut self, facts: &DocFacts, d: Diagnostic) {
        self.diagnostics.extend(facts.admit(d));
    }
}

/// Run every rule that compares documents over `facts` (walk order); the
/// findings come back sorted.
pub fn check_set(facts: &[&DocFacts], settings: &Settings) -> Vec<Diagnostic> {
    let set = SetContext { facts, settings };
    let mut out = SetFindings::default();
    for rule in rules::ALL {
        if rule.meta().kind == RuleKind::Set {
            rule.check_set(&set, &mut out);
        }
    }
    let mut diagnostics = out.diagnostics;
    crate::diagnostic::sort(&mut diagnostics);
    diagnostics
}
