use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document whose tier sources disagree: the title's
    /// `(Tier N)`, the front matter's `tier`, and the tier its folder gives
    /// (relative to the rule-set root: `core/` 1, the root 2, `sub/` 3).
    ///
    /// Part of ruledoc's tiered convention: reported only for documents held
    /// to it, those that state a tier (title `(Tier N)` or front matter
    /// `tier`) and those of a rule set that follows it (`[tiers]` in
    /// `ruledoc.toml` for the configured set, or at least half of the set's
    /// documents stating a tier). Agent files are otherwise judged by their
    /// own format, which asks for none of this.
    ///
    /// ## Why
    /// Tools read different sources: an agent sees the title, a loader the
    /// folder. When they disagree the rule is loaded at a tier its author did
    /// not mean.
    ///
    /// ## Example
    /// `rules/sub/caching.md`:
    /// ```markdown
    /// # Caching Rule (Tier 2)
    /// ```
    ///
    /// Use instead (or move the file to `rules/`):
    /// ```markdown
    /// # Caching Sub-Rule (Tier 3)
    /// ```
    pub struct TierMismatch {
        code: "RD104",
        name: "tier-mismatch",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for TierMismatch {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let s = &ctx.doc.tier_sources;
        let folder = ctx
            .found
            .rel_dir()
            .map(|d| {
                if d.is_empty() {
                    "the root".to_string()
                } else {
                    format!("`{d}/`")
                }
            })
            .unwrap_or_default();
        let stated: Vec<(i64, String)> = [
            s.title.map(|t| (t, "the title".to_string())),
            s.front_matter.map(|t| (t, "the front matter".to_string())),
            s.folder.map(|t| (t, format!("the folder {folder}"))),
        ]
        .into_iter()
        .flatten()
        .collect();
        if stated.iter().all(|x| x.0 == stated[0].0) {
            return;
        }
        let said = stated
            .iter()
            .map(|(t, src)| format!("{src} says {t}"))
            .collect::<Vec<_>>()
            .join(", ");
        let span = if s.title.is_some() {
            ctx.head_span()
        } else {
            ctx.front_matter_key_span("tier")
                .unwrap_or_else(|| ctx.head_span())
        };
        let mut d = ctx.diagnostic(&Self::META, span, format!("tier sources disagree: {said}"));
        if s.title.is_some()
            && let Some(fm) = ctx.front_matter_key_span("tier")
        {
            d = d.with_label(ctx.source, fm, "front matter tier");
        }
        out.push_tiered(d.with_help("make the title, the front matter and the folder agree"));
    }
}
