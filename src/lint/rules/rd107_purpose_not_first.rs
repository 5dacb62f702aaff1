use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Purpose section that is not the first section after the title.
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
        out.push(
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
