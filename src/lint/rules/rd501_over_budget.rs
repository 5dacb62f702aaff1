use crate::diagnostic::Diagnostic;
use crate::lint::{DocContext, DocFacts, Findings, Rule, SetContext, SetFindings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a document whose token estimate is over its tier's budget:
    /// characters / 4, against `[lint.budget] tier` (tier 1: 2,000, tier 2:
    /// 4,000, tier 3: 8,000 by default). Also reports when all tier-1
    /// documents together are over `tier1_total` (8,000): they are loaded
    /// into every session.
    ///
    /// ## Why
    /// Every token of a rule is paid for in every conversation that loads it,
    /// and long rules are followed less well than short ones.
    ///
    /// ## Example
    /// A tier-1 rule of 12,000 characters (about 3,000 tokens).
    ///
    /// Use instead: keep the tier-1 rule to the principles and move the detail
    /// into tier-3 sub-rules that are loaded only where they apply.
    pub struct OverBudget {
        code: "RD501",
        name: "over-budget",
        severity: Warning,
        kind: Set,
        fix: Never,
    }
}

/// Characters (Unicode scalar values) / 4, rounded up: the usual estimate
/// for English text and code. Not any model's tokenizer; a budget, not a
/// count.
pub fn estimate_tokens(text: &str) -> usize {
    // Characters are the bytes that do not continue a UTF-8 sequence.
    let chars = text.bytes().filter(|b| (b & 0xC0) != 0x80).count();
    chars.div_ceil(4)
}

impl Rule for OverBudget {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let Some(tier) = ctx.doc.tier else { return };
        let Some(budget) = ctx.config.lint.budget.for_tier(tier) else {
            return;
        };
        // Characters never outnumber bytes: most documents are under budget
        // without counting.
        if ctx.source.text.len().div_ceil(4) <= budget {
            return;
        }
        let tokens = ctx.tokens();
        if tokens > budget {
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    ctx.head_span(),
                    format!("about {tokens} tokens; the tier-{tier} budget is {budget}"),
                )
                .with_help(
                    "move detail into lower-tier documents, or raise the budget in [lint.budget]",
                ),
            );
        }
    }

    /// The tier-1 documents together, against `tier1_total`: reported at the
    /// largest of them.
    fn check_set(&self, set: &SetContext, out: &mut SetFindings) {
        let limit = set.settings.config.lint.budget.tier1_total;
        let tier1: Vec<&DocFacts> = set
            .facts
            .iter()
            .copied()
            .filter(|f| f.tier == Some(1))
            .collect();
        let total: usize = tier1.iter().map(|f| f.tokens).sum();
        if total <= limit {
            return;
        }
        let Some(largest) = tier1.iter().max_by_key(|f| f.tokens) else {
            return;
        };
        let d = Diagnostic::at(
            Self::META.code,
            Self::META.severity,
            &largest.path,
            largest.head,
            format!(
                "the {} tier-1 documents together are about {total} tokens; their budget is {limit} (this one is the largest, {})",
                tier1.len(),
                largest.tokens
            ),
        );
        out.report(largest, d);
    }
}
