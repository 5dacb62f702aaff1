use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document whose kind implies another tier than the one it
    /// has: by default a `Sub-Rule` is tier 3 (`[tiers.kinds]` in
    /// `ruledoc.toml` maps kinds to tiers).
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// The kind is a promise about where the rule sits; a `Sub-Rule` at tier 2
    /// is loaded as if it were a main rule.
    ///
    /// ## Example
    /// ```markdown
    /// # Retry Policy Sub-Rule (Tier 2)
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # Retry Policy Sub-Rule (Tier 3)
    /// ```
    pub struct KindTierMismatch {
        code: "RD110",
        name: "kind-tier-mismatch",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for KindTierMismatch {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let (Some(kind), Some(tier)) = (ctx.doc.kind.as_deref(), ctx.doc.tier) else {
            return;
        };
        let Some(implied) = ctx.config.tiers.kind_tier(kind) else {
            return;
        };
        if implied == tier {
            return;
        }
        out.push_tiered(
            ctx.diagnostic(
                &Self::META,
                ctx.head_span(),
                format!("a {kind} is tier {implied}, but this document is tier {tier}"),
            )
            .with_help(format!("make it tier {implied}, or change its kind")),
        );
    }
}
