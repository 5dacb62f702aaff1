use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a tier outside the configured range (`[tiers] min` and `max`,
    /// 1 to 3 by default), wherever it is stated: title, front matter or folder.
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// A tier nobody's tooling knows is loaded in no order anyone planned.
    ///
    /// ## Example
    /// ```markdown
    /// # Caching Sub-Rule (Tier 5)
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # Caching Sub-Rule (Tier 3)
    /// ```
    pub struct InvalidTier {
        code: "RD103",
        name: "invalid-tier",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for InvalidTier {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let (min, max) = (ctx.config.tiers.min, ctx.config.tiers.max);
        let s = &ctx.doc.tier_sources;
        let sources = [
            (s.title, "the title", ctx.head_span()),
            (
                s.front_matter,
                "the front matter",
                ctx.front_matter_key_span("tier")
                    .unwrap_or_else(|| ctx.head_span()),
            ),
            (s.folder, "the folder convention", ctx.head_span()),
        ];
        for (tier, source, span) in sources {
            if let Some(t) = tier.filter(|t| !(min..=max).contains(t)) {
                out.push_tiered(ctx.diagnostic(
                    &Self::META,
                    span,
                    format!("tier {t} from {source} is outside the valid range {min}..={max}"),
                ));
            }
        }
    }
}
