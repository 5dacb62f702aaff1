use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Purpose section that is not the first section after the title.
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// Readers and agents that look at the top of a document to decide whether
    /// it applies should find the purpose there, not after the details.
    ///
    /// ## Example
    /// ```markdown
    /// # Logging Rule (Tier 2)
    ///
    /// ## Levels
    ///
    /// ## Purpose
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # Logging Rule (Tier 2)
    ///
    /// ## Purpose
    ///
    /// ## Levels
    /// ```
    pub struct PurposeNotFirst {
        code: "RD107",
        name: "purpose-not-first",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for PurposeNotFirst {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let (Some(line), Some(first)) = (ctx.doc.purpose_line, ctx.doc.sections.first()) else {
            return;
        };
        if first.line == line {
            return;
        }
        out.push_tiered(
            ctx.diagnostic(
                &Self::META,
                ctx.line_span(line),
                "the Purpose section is not the first section",
            )
            .with_label(
                ctx.source,
                first.span,
                format!("`{}` comes first", first.heading),
            )
            .with_help("move `## Purpose` directly under the title"),
        );
    }
}
