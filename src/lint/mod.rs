//! Lint rules: a `Rule` trait, one registry, one file per rule. Each rule's
//! doc comment is its user documentation (`ruledoc explain` prints it).

mod context;
mod fix;
mod plan;
pub mod rules;
mod run;
mod set;
mod suppress;

pub use context::{AnchorCheck, DocContext, Findings, ImportEdge, ImportTarget, Loc};
pub use fix::{apply_edits, fix_document};
pub use plan::{Plan, PlanError};
pub use run::{Change, LintRun, Mode, Prerender, RunOptions, lint_all};
pub use set::{DocFacts, lint_set};

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Found;
use crate::load::Document;

/// What a rule is, for listings and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fixable: bool,
    /// The rule's doc comment: what it does, why, and a bad and a good example.
    pub doc: &'static str,
}

impl Meta {
    /// The first paragraph of the documentation, on one line.
    pub fn summary(&self) -> String {
        let text = self.doc_text();
        let body = text
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        body.trim().to_string()
    }

    /// The documentation as Markdown, doc-comment indentation removed.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// A lint rule. Per-document rules implement `check`; rules that compare
/// documents work in `set::lint_set` from the facts each document leaves.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static Meta;
    fn check(&self, ctx: &DocContext, out: &mut Findings);
}

/// Declare a rule type: its doc comment becomes `Meta::doc`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $slug:literal,
            severity: $sev:ident,
            fixable: $fix:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $name;

        impl $name {
            pub const META: $crate::lint::Meta = $crate::lint::Meta {
                code: $code,
                name: $slug,
                severity: $crate::diagnostic::Severity::$sev,
                fixable: $fix,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// The result of linting one document.
#[derive(Debug, Default)]
pub struct DocResult {
    pub diagnostics: Vec<Diagnostic>,
    pub facts: DocFacts,
}

/// Run every enabled per-document rule over `doc`.
pub fn lint_document(
    document: &Document,
    found: &Found,
    plan: &Plan,
    settings: &crate::settings::Settings,
) -> DocResult {
    let ctx = DocContext::new(document, found, settings);
    let enabled = plan.for_path(&ctx.abs_path);
    let mut findings = Findings::default();
    for (i, rule) in rules::ALL.iter().enumerate() {
        if enabled.is_on(i) {
            rule.check(&ctx, &mut findings);
        }
    }
    let suppress = suppress::Suppressions::read(&document.source, &document.doc.layout);
    let mut diagnostics: Vec<Diagnostic> = findings
        .diagnostics
        .into_iter()
        .filter(|d| !suppress.is_suppressed(d.code, d.line))
        .filter_map(|d| enabled.apply_severity(d))
        .collect();
    crate::diagnostic::sort(&mut diagnostics);
    let facts = DocFacts::new(&ctx, findings.anchors, suppress, enabled);
    DocResult { diagnostics, facts }
}
