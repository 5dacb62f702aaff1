//! What each document leaves for the rules that compare documents, and the
//! context those rules run in. Facts are small, so documents need not stay in
//! memory while the rest of the set is read: only the texts of the few
//! documents whose tokens are summed (tier 1, loaded up front) are kept.

use std::path::PathBuf;
use std::sync::Arc;

use super::context::{AnchorCheck, DocContext, ImportEdge};
use super::plan::Enabled;
use super::suppress::Suppressions;
use super::{RuleKind, rules};
use crate::diagnostic::Diagnostic;
use crate::model::Format;
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
    /// The rule-set root its folder convention is read from, when it lies in
    /// one: documents sharing it form one rule set.
    pub root: Option<PathBuf>,
    /// Its format.
    pub format: Format,
    /// Whether it states a tier itself (title `(Tier N)` or front matter
    /// `tier`): what makes a rule set follow the tiered convention.
    pub declares_tier: bool,
    /// Whether its agent loads it up front, into every session.
    pub up_front: bool,
    /// Findings of the tiered convention, reported if the document is held
    /// to it; not yet admitted.
    pub tiered: Vec<Diagnostic>,
    /// The rule name it declares (RD108).
    pub name: Option<String>,
    /// Its tier, when a source gives it (front matter, title or folder, in
    /// that order).
    pub tier: Option<i64>,
    /// Its tokens (RD501) when it is a tier-1 document or one an agent
    /// loads up front, counted only when a total needs them; else none.
    pub tokens: Tokens,
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
    pub(super) fn new(ctx: &DocContext, findings: super::Findings, enabled: Enabled) -> Self {
        let doc = ctx.doc;
        DocFacts {
            path: ctx.source.display.clone(),
            abs_path: ctx.abs_path.clone(),
            root: ctx.found.root.clone(),
            format: doc.format,
            declares_tier: doc.tier_sources.title.is_some()
                || doc
                    .front_matter
                    .as_ref()
                    .and_then(|f| f.get("tier"))
                    .is_some(),
            up_front: counts_up_front(doc),
            tiered: findings.tiered,
            name: ctx.doc.name.clone(),
            tier: ctx.doc.tier,
            // Only tier-1 documents and what an agent loads up front are
            // summed; the others need no count.
            tokens: if doc.tier == Some(1) || counts_up_front(doc) {
                Tokens::of(ctx.source, ctx.counted_tokens())
            } else {
                Tokens::default()
            },
            head: ctx.source.finding_range(ctx.head_span()),
            anchors: findings.anchors,
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

/// A document's token count ([`crate::tokens::count`]), counted once, when
/// first asked for, and its size in bytes, a bound of the count known
/// without counting (most totals are under budget by the bound alone, and
/// the encoding is then never loaded). Only the size and the path are
/// kept, not the text: a count the per-document check did not make reads
/// the file again, which only a total over its bound asks for.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The file and its size in bytes; `None`: a document whose tokens no
    /// rule sums.
    file: Option<(std::path::PathBuf, usize)>,
    count: std::sync::OnceLock<usize>,
}

impl Tokens {
    /// The tokens of `source`, with its count when already counted.
    pub fn of(source: &Arc<SourceFile>, counted: Option<usize>) -> Self {
        let count = std::sync::OnceLock::new();
        if let Some(n) = counted {
            let _ = count.set(n);
        }
        Tokens {
            file: Some((source.path.clone(), source.text.len())),
            count,
        }
    }

    /// Whether the document's tokens are summed (a tier-1 document or one
    /// an agent loads up front).
    pub fn kept(&self) -> bool {
        self.file.is_some()
    }

    /// An upper bound of [`Tokens::count`]: the text's length in bytes
    /// ([`crate::tokens::at_most`]); 0 when not kept.
    pub fn at_most(&self) -> usize {
        self.file.as_ref().map_or(0, |(_, bytes)| *bytes)
    }

    /// The exact count (`o200k_base`), counted on the first call (the file
    /// read again); 0 when not kept or no longer readable.
    pub fn count(&self) -> usize {
        *self.count.get_or_init(|| {
            self.file.as_ref().map_or(0, |(path, _)| {
                crate::load::read_text(path).map_or(0, |t| crate::tokens::count(&t))
            })
        })
    }
}

/// Whether an agent loads `doc` up front: ruledoc's own documents (tiered,
/// plain Markdown) are loaded by no agent on their own.
fn counts_up_front(doc: &crate::model::RuleDoc) -> bool {
    doc.loads.up_front() && crate::formats::agent(doc.format) != crate::formats::Agent::Ruledoc
}

impl DocFacts {
    /// The file it is, whatever its name (device and inode on Unix): a
    /// document and its symbolic or hard links are one document. Read from
    /// the file system when asked (a pair of documents sharing a name), not
    /// for every document.
    pub fn identity(&self) -> Option<(u64, u64)> {
        identity(&self.abs_path)
    }
}

/// The file's device and inode, when the platform has them.
fn identity(path: &std::path::Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// What the rules that compare documents see: every document's facts, in
/// path order, the settings, and which documents the tiered convention
/// holds.
pub struct SetContext<'a> {
    /// One per document, in path order.
    pub facts: &'a [&'a DocFacts],
    /// The run's settings.
    pub settings: &'a Settings,
    /// Aligned with `facts`: whether each document is held to the tiered
    /// convention ([`held_to_tiers`]).
    pub tiered: Vec<bool>,
}

impl SetContext<'_> {
    /// The documents held to the tiered convention, in path order.
    pub fn tiered_facts(&self) -> impl Iterator<Item = &DocFacts> {
        self.facts
            .iter()
            .zip(&self.tiered)
            .filter(|(_, t)| **t)
            .map(|(f, _)| *f)
    }
}

/// Which documents are held to ruledoc's tiered convention (a title `# Name
/// Kind (Tier N)`, a tier, a `## Purpose`): aligned with `facts`.
///
/// A document is held when it states a tier itself, or when its rule set
/// (the documents sharing its rule-set root) follows the convention: the
/// configured rule set when `ruledoc.toml` has a `[tiers]` table, and any
/// set in which at least half of the documents state a tier. A folder tier
/// alone does not count: `sub/` and `core/` folders exist everywhere. Agent
/// files outside such sets (a `CLAUDE.md`, a Cursor rule) are judged by
/// their own format only.
pub fn held_to_tiers(facts: &[&DocFacts], settings: &Settings) -> Vec<bool> {
    use std::collections::HashMap;
    let mut sets: HashMap<Option<&PathBuf>, (usize, usize)> = HashMap::new();
    for f in facts {
        let e = sets.entry(f.root.as_ref()).or_default();
        e.0 += 1;
        e.1 += usize::from(f.declares_tier);
    }
    let configured = settings
        .root
        .as_ref()
        .filter(|_| settings.config.tiers_declared);
    facts
        .iter()
        .map(|f| {
            let (all, declaring) = sets[&f.root.as_ref()];
            f.declares_tier
                || (f.root.is_some() && f.root.as_ref() == configured)
                || 2 * declaring >= all && declaring > 0
        })
        .collect()
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

/// Run every rule that compares documents over `facts` (taken in path
/// order, whatever order they come in); the findings come back sorted.
pub fn check_set(facts: &[&DocFacts], settings: &Settings) -> Vec<Diagnostic> {
    // In path order, not walk order: which document of a pair is reported
    // must not depend on how the documents were named.
    let mut sorted: Vec<&DocFacts> = facts.to_vec();
    // Byte order of the absolute paths: as deterministic as component
    // order, without splitting every path at every comparison.
    sorted.sort_by(|a, b| a.abs_path.as_os_str().cmp(b.abs_path.as_os_str()));
    let facts = &sorted[..];
    let tiered = held_to_tiers(facts, settings);
    let mut out = SetFindings::default();
    for (f, held) in facts.iter().zip(&tiered) {
        if *held {
            for d in &f.tiered {
                out.report(f, d.clone());
            }
        }
    }
    let set = SetContext {
        facts,
        settings,
        tiered,
    };
    for rule in rules::ALL {
        if rule.meta().kind == RuleKind::Set {
            rule.check_set(&set, &mut out);
        }
    }
    let mut diagnostics = out.diagnostics;
    crate::diagnostic::sort(&mut diagnostics);
    diagnostics
}
