use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document with neither a `## Purpose` section nor a purpose
    /// in its front matter (`purpose`, or `description` as Cursor and Copilot
    /// write it).
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// The purpose is what an agent reads to decide whether a rule applies,
    /// and what a reviewer reads to decide whether a change belongs in it.
    ///
    /// ## Example
    /// ```markdown
    /// # Caching Sub-Rule (Tier 3)
    ///
    /// ## Keys
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # Caching Sub-Rule (Tier 3)
    ///
    /// ## Purpose
    ///
    /// Defines cache keys, lifetimes and invalidation for service responses.
    ///
    /// ## Keys
    /// ```
    pub struct MissingPurpose {
        code: "RD105",
        name: "missing-purpose",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for MissingPurpose {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        if ctx.doc.purpose.is_some() || ctx.doc.purpose_line.is_some() {
            return;
        }
        out.push_tiered(
            ctx.diagnostic(
                &Self::META,
                ctx.head_span(),
                "no Purpose section and no purpose in the front matter",
            )
            .with_help("add `## Purpose` with one short paragraph right after the title"),
        );
    }
}
