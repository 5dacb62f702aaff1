use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document that has no H1 title line.
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// The title carries the rule's name, kind and tier
    /// (`# Async Patterns Sub-Rule (Tier 3)`); without it a reader, or an
    /// agent, cannot tell which rule it is looking at. Agent rule files whose
    /// front matter names or describes them (`name`, or Cursor's and
    /// Copilot's `description`) may go without one.
    ///
    /// ## Example
    /// ```markdown
    /// ## Purpose
    ///
    /// Defines how errors are reported.
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # Error Handling Rule (Tier 2)
    ///
    /// ## Purpose
    ///
    /// Defines how errors are reported.
    /// ```
    pub struct MissingTitle {
        code: "RD101",
        name: "missing-title",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for MissingTitle {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        if ctx.doc.title.is_some() {
            return;
        }
        let named = ctx.doc.front_matter.as_ref().is_some_and(|f| {
            ["name", "description"]
                .iter()
                .any(|k| f.get_str(k).is_some_and(|v| !v.trim().is_empty()))
        });
        if named {
            return;
        }
        out.push_tiered(
            ctx.diagnostic(&Self::META, ctx.head_span(), "document has no H1 title")
                .with_help(
                    "start it with `# Name Kind (Tier N)`, e.g. `# Error Handling Rule (Tier 2)`",
                ),
        );
    }
}
