use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::PurposeSource;

declare_rule! {
    /// ## What it does
    /// Reports a Purpose that is there but empty, or longer than
    /// `[lint] purpose_max_chars` (400 characters by default).
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// An empty Purpose says nothing; a long one is not read. One short
    /// paragraph is what agents and people both take in.
    ///
    /// ## Example
    /// ```markdown
    /// ## Purpose
    ///
    /// ## Rules
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ## Purpose
    ///
    /// Defines how services name and rotate their log files.
    ///
    /// ## Rules
    /// ```
    pub struct EmptyPurpose {
        code: "RD106",
        name: "empty-purpose",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for EmptyPurpose {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let doc = ctx.doc;
        let heading_span = doc.purpose_line.map(|l| ctx.line_span(l));
        // A Purpose section whose first paragraph is missing, even when the
        // front matter's description stands in for it.
        let section_empty = doc.purpose_line.is_some()
            && (doc.purpose_source != Some(PurposeSource::Section)
                || doc.purpose.as_deref().is_some_and(|p| p.trim().is_empty()));
        if let Some(span) = heading_span.filter(|_| section_empty) {
            out.push_tiered(
                ctx.diagnostic(&Self::META, span, "the Purpose section is empty")
                    .with_help("write one short paragraph that says what the rule is for"),
            );
            return;
        }
        let max = ctx.config.lint.purpose_max_chars;
        let Some(purpose) = doc.purpose.as_deref() else {
            return;
        };
        let chars = purpose.chars().count();
        if chars <= max {
            return;
        }
        let span = match doc.purpose_source {
            Some(PurposeSource::Section) => heading_span,
            _ => ctx
                .front_matter_key_span("purpose")
                .or_else(|| ctx.front_matter_key_span("description")),
        }
        .unwrap_or_else(|| ctx.head_span());
        out.push_tiered(
            ctx.diagnostic(
                &Self::META,
                span,
                format!("the purpose is {chars} characters long; the limit is {max}"),
            )
            .with_help("keep the purpose to one short paragraph; move the detail into sections"),
        );
    }
}
