//! Lint rules: a [`Rule`] trait, one registry ([`rules::ALL`]), one file per
//! rule. Each rule's doc comment is its user documentation (`ruledoc explain`
//! prints it), and a rule is the only way to make its findings: whatever it
//! looks at (one document, the whole set, or snippet verdicts), its logic
//! lives in its file.

mod context;
mod cursor;
mod facts;
mod fix;
pub(crate) mod guess;
mod plan;
pub mod rules;
mod samples;
mod suppress;

pub use context::{AnchorCheck, DocContext, Findings, FragmentMatch, ImportEdge, ImportTarget};
pub use facts::{DocFacts, SetContext, SetFindings, Tokens, check_set, held_to_tiers};
pub use fix::{Fixed, MAX_ROUNDS, apply_edits, apply_fixes, fix_document};
pub use plan::{Enabled, Job, Plan, PlanError, check_pattern};

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Found;
use crate::load::Document;
use crate::snippets::Verdict;

/// What a rule looks at, which decides which commands run it and which of
/// [`Rule`]'s methods it implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// One document's model: its text, front matter, sections, links
    /// ([`Rule::check`]). `lint`, `check`.
    Document,
    /// The whole set: what each document left ([`Rule::check_set`]), after an
    /// optional look at each document ([`Rule::check`]). `lint`, `check`.
    Set,
    /// A code block's info string, as rustdoc reads it ([`Rule::check`]): no
    /// compiler runs. `lint`, `check`, `snippets verify`.
    InfoString,
    /// What a snippet's compiler or parser said of it
    /// ([`Rule::check_verdicts`]). `check` and `snippets verify`; never
    /// `lint`, which runs no checker.
    Verdict,
}

/// Whether a rule can offer fixes (ruff's `FixAvailability`, with the same
/// three values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    /// Every finding comes with a fix.
    Always,
    /// Some findings come with a fix: where the repair is certain enough.
    Sometimes,
    /// No fix is ever offered.
    Never,
}

/// What a rule is, for listings, reports and the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// Stable code (`RD201`); retired codes are never reused.
    pub code: &'static str,
    /// Kebab-case name (`unclosed-fence`).
    pub name: &'static str,
    /// Default severity; configuration can change it.
    pub severity: Severity,
    /// What it looks at.
    pub kind: RuleKind,
    /// Whether it offers fixes. How safe each fix is is the fix's own
    /// [`Applicability`](crate::diagnostic::Applicability), documented under
    /// `## Fix safety` in the rule's doc comment.
    pub fix: FixAvailability,
    /// The safest applicability its fixes have (`None`: it offers none). A
    /// rule may offer a less safe fix where the doc's `## Fix safety` says.
    pub applicability: Option<crate::diagnostic::Applicability>,
    /// The rule's doc comment: what it does, why, and a bad and a good example.
    pub doc: &'static str,
}

impl Meta {
    /// Whether the rule can offer a fix at all.
    pub fn fixable(&self) -> bool {
        self.fix != FixAvailability::Never
    }

    /// The first paragraph of the documentation (after the `## What it does`
    /// heading), its lines joined with spaces: what `ruledoc rules` lists and
    /// SARIF's `shortDescription` carries.
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

    /// The documentation as Markdown, doc-comment indentation (one space)
    /// removed: what `ruledoc explain` prints.
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

/// A lint rule. Each implements the methods its [`RuleKind`] names; the
/// others keep their default, which finds nothing.
pub trait Rule: Sync + Send {
    /// The rule's code, name, severity, kind and documentation.
    fn meta(&self) -> &'static Meta;

    /// Look at one document (kinds `Document`, `InfoString`, and the
    /// per-document part of `Set`). Set rules leave facts in `out` for
    /// [`Rule::check_set`].
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}

    /// Compare documents through the facts each left (kind `Set`).
    fn check_set(&self, _set: &SetContext, _out: &mut SetFindings) {}

    /// Judge snippet verdicts (kind `Verdict`). `verdicts` are in walk order;
    /// they may be one document's or the whole set's.
    fn check_verdicts(&self, _verdicts: &[Verdict], _out: &mut Vec<Diagnostic>) {}
}

/// Declare a rule type: its doc comment becomes `Meta::doc`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $slug:literal,
            severity: $sev:ident,
            kind: $kind:ident,
            fix: $fix:ident $(($applicability:ident))? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub(crate) struct $name;

        impl $name {
            /// The rule's code, name, severity, kind and documentation.
            pub(crate) const META: $crate::lint::Meta = $crate::lint::Meta {
                code: $code,
                name: $slug,
                severity: $crate::diagnostic::Severity::$sev,
                kind: $crate::lint::RuleKind::$kind,
                fix: $crate::lint::FixAvailability::$fix,
                applicability: $crate::lint::applicability!($($applicability)?),
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// `declare_rule!`'s `fix: Kind(Applicability)`: the applicability, if given.
macro_rules! applicability {
    () => {
        None
    };
    ($a:ident) => {
        Some($crate::diagnostic::Applicability::$a)
    };
}
pub(crate) use applicability;

/// The result of linting one document.
#[derive(Debug, Default)]
pub struct DocResult {
    /// Its findings, silenced and re-graded as configured, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What it leaves for the rules that compare documents.
    pub facts: DocFacts,
}

/// Run every enabled rule that looks at one document over `document` (kinds
/// `Document`, `InfoString`, and the per-document part of `Set`), with the
/// rules and severities `plan` gives for its path.
pub fn lint_document(
    document: &Document,
    found: &Found,
    plan: &Plan,
    settings: &crate::settings::Settings,
) -> DocResult {
    let ctx = DocContext::new(document, found, settings);
    let enabled = plan.for_path(&ctx.abs_path);
    let mut findings = Findings::default();
    // Text an agent appends as written is no Markdown: no rule of Markdown
    // reads it (what it weighs still counts, in the set rules).
    let markdown = document.doc.markdown;
    for &i in rules::looking_at_documents() {
        if markdown && enabled.is_on(i) {
            rules::ALL[i].check(&ctx, &mut findings);
        }
    }
    let diagnostics = std::mem::take(&mut findings.diagnostics);
    let facts = DocFacts::new(&ctx, findings, enabled);
    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|d| facts.admit(d))
        .collect();
    crate::diagnostic::sort(&mut diagnostics);
    DocResult { diagnostics, facts }
}

/// The rules whose findings mean a document's blocks are not what its
/// author wrote: an unclosed fence (RD201), a fence closed early by a nested
/// one (RD202), leftover tool-call or chat markup (RD206), backticks glued
/// to the end of a line (RD207). `fmt` leaves such a document alone.
pub const FMT_BLOCKERS: &[&str] = &["RD201", "RD202", "RD206", "RD207"];

/// The findings of the [`FMT_BLOCKERS`] rules on `document`, whatever the
/// configuration enables: what `fmt` refuses to format over.
pub fn fmt_blockers(
    document: &Document,
    found: &Found,
    settings: &crate::settings::Settings,
) -> Vec<Diagnostic> {
    if !document.doc.markdown {
        return Vec::new();
    }
    let ctx = DocContext::new(document, found, settings);
    let mut findings = Findings::default();
    for rule in rules::ALL {
        if FMT_BLOCKERS.contains(&rule.meta().code) {
            rule.check(&ctx, &mut findings);
        }
    }
    let mut diagnostics = std::mem::take(&mut findings.diagnostics);
    crate::diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// Run every verdict rule over `verdicts`; the findings are not yet
/// silenced or re-graded (each document's [`DocFacts::admit`] does that).
pub fn check_verdicts(verdicts: &[Verdict]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if verdicts.iter().all(|v| v.problem.is_none()) {
        return out;
    }
    for rule in rules::ALL {
        if rule.meta().kind == RuleKind::Verdict {
            rule.check_verdicts(verdicts, &mut out);
        }
    }
    out
}
