use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document that no source gives a tier: not the title's
    /// `(Tier N)`, not the front matter's `tier`, not the folder convention.
    /// Only when `[tiers] required` is true (the default).
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// Tiers decide what is loaded first and what may override what. A rule
    /// without one is loaded by accident or not at all.
    ///
    /// ## Example
    /// A document outside every tier folder, with a title that states none:
    /// ```markdown
    /// # Logging Rule
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # Logging Rule (Tier 2)
    /// ```
    pub struct MissingTier {
        code: "RD102",
        name: "missing-tier",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for MissingTier {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        if !ctx.config.tiers.required || ctx.doc.tier.is_some() {
            return;
        }
        // A tier that is there but not an integer is RD109's finding.
        if ctx
            .doc
            .front_matter
            .as_ref()
            .and_then(|f| f.get("tier"))
            .is_some()
        {
            return;
        }
        out.push_tiered(
            ctx.diagnostic(&Self::META, ctx.head_span(), "no tier: not in the title, the front matter or the folder")
                .with_help("add `(Tier N)` to the title, `tier: N` to the front matter, or move the file into a tier folder"),
        );
    }
}
