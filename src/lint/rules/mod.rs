//! The registry: every rule, in code order.

mod rd101_missing_title;
mod rd102_missing_tier;
mod rd103_invalid_tier;
mod rd104_tier_mismatch;
mod rd105_missing_purpose;
mod rd106_empty_purpose;
mod rd107_purpose_not_first;
mod rd108_duplicate_rule;
mod rd109_invalid_front_matter;
mod rd110_kind_tier_mismatch;
mod rd111_ineffective_scope;
mod rd201_unclosed_fence;
mod rd202_nested_fence;
mod rd203_heading_increment;
mod rd204_duplicate_heading;
mod rd205_empty_section;
mod rd206_generation_artifact;
mod rd207_stray_backticks;
mod rd301_missing_language;
mod rd302_snippet_compile_error;
mod rd303_snippet_syntax_error;
mod rd304_unexpected_success;
mod rd305_snippet_run_failure;
mod rd306_checker_unavailable;
mod rd307_unknown_attribute;
mod rd401_broken_link;
mod rd402_broken_reference;
mod rd403_reference_cycle;
mod rd501_over_budget;
mod rd502_agent_limit;

pub(crate) use rd206_generation_artifact::is_artifact;

pub use rd401_broken_link::{AnchorMatch, doc_anchors, find_anchor};

use std::sync::LazyLock;

use super::{Meta, Rule, RuleKind};

/// Every rule, in code order.
pub static ALL: &[&dyn Rule] = &[
    &rd101_missing_title::MissingTitle,
    &rd102_missing_tier::MissingTier,
    &rd103_invalid_tier::InvalidTier,
    &rd104_tier_mismatch::TierMismatch,
    &rd105_missing_purpose::MissingPurpose,
    &rd106_empty_purpose::EmptyPurpose,
    &rd107_purpose_not_first::PurposeNotFirst,
    &rd108_duplicate_rule::DuplicateRule,
    &rd109_invalid_front_matter::InvalidFrontMatter,
    &rd110_kind_tier_mismatch::KindTierMismatch,
    &rd111_ineffective_scope::IneffectiveScope,
    &rd201_unclosed_fence::UnclosedFence,
    &rd202_nested_fence::NestedFence,
    &rd203_heading_increment::HeadingIncrement,
    &rd204_duplicate_heading::DuplicateHeading,
    &rd205_empty_section::EmptySection,
    &rd206_generation_artifact::GenerationArtifact,
    &rd207_stray_backticks::StrayBackticks,
    &rd301_missing_language::MissingLanguage,
    &rd302_snippet_compile_error::SnippetCompileError,
    &rd303_snippet_syntax_error::SnippetSyntaxError,
    &rd304_unexpected_success::UnexpectedSuccess,
    &rd305_snippet_run_failure::SnippetRunFailure,
    &rd306_checker_unavailable::CheckerUnavailable,
    &rd307_unknown_attribute::UnknownAttribute,
    &rd401_broken_link::BrokenLink,
    &rd402_broken_reference::BrokenReference,
    &rd403_reference_cycle::ReferenceCycle,
    &rd501_over_budget::OverBudget,
    &rd502_agent_limit::AgentLimit,
];

/// A finding of `meta`'s rule about a whole snippet, shown at its opening
/// fence (the verdict rules RD304–RD306).
pub(crate) fn at_fence(
    meta: &Meta,
    verdict: &crate::snippets::Verdict,
    message: String,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::at(
        meta.code,
        meta.severity,
        &verdict.outcome.path,
        verdict.fence_range(),
        message,
    )
}

/// How many rules there are.
pub fn count() -> usize {
    ALL.len()
}

/// Every rule's code, in code order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|r| r.meta().code)
}

/// The rule's position in [`ALL`], by exact code (`RD201`).
pub fn index_of(code: &str) -> Option<usize> {
    ALL.iter().position(|r| r.meta().code == code)
}

/// The positions in [`ALL`] of the rules that look at one document at a
/// time: kinds `Document`, `InfoString` and `Set` (its per-document part).
pub(crate) fn looking_at_documents() -> &'static [usize] {
    static INDICES: LazyLock<Vec<usize>> = LazyLock::new(|| {
        (0..ALL.len())
            .filter(|&i| ALL[i].meta().kind != RuleKind::Verdict)
            .collect()
    });
    &INDICES
}

/// A rule's metadata by code (case-insensitive) or name.
pub fn find(code_or_name: &str) -> Option<&'static Meta> {
    ALL.iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        let codes: Vec<_> = codes().collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for r in ALL {
            let m = r.meta();
            let doc = m.doc_text();
            assert!(
                doc.contains("## What it does"),
                "{} has no `What it does`",
                m.code
            );
            assert!(doc.contains("## Example"), "{} has no example", m.code);
            assert_eq!(
                m.fixable(),
                doc.contains("## Fix safety"),
                "{}: a fixable rule says how safe its fix is under `## Fix safety`, and only a fixable one",
                m.code
            );
            assert!(!m.summary().is_empty(), "{}", m.code);
        }
    }
}
