use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports two documents of one rule set that declare the same rule name
    /// (from the title, else the front matter's `name`), ignoring case.
    ///
    /// ## Why
    /// References by name, and agents choosing between rules, cannot tell two
    /// rules with one name apart; usually one is a stale copy of the other.
    ///
    /// ## Example
    /// `rules/logging.md` and `rules/sub/logging-v2.md` both start with:
    /// ```markdown
    /// # Logging Rule (Tier 2)
    /// ```
    ///
    /// Use instead: merge them, or give each its own name:
    /// ```markdown
    /// # Structured Logging Sub-Rule (Tier 3)
    /// ```
    pub struct DuplicateRule {
        code: "RD108",
        name: "duplicate-rule",
        severity: Error,
        fixable: false,
    }
}

impl Rule for DuplicateRule {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Compares documents: the work is done in `lint::set`.
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
