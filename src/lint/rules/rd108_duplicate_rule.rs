use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::lint::{DocFacts, Rule, SetContext, SetFindings, declare_rule};

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
        kind: Set,
        fix: Never,
    }
}

impl Rule for DuplicateRule {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// The first document to declare a name (in walk order) keeps it; each
    /// later one is reported, naming the first.
    fn check_set(&self, set: &SetContext, out: &mut SetFindings) {
        let mut first: HashMap<String, &DocFacts> = HashMap::new();
        for f in set.facts {
            let Some(name) = f
                .name
                .as_deref()
                .map(|n| n.trim().to_lowercase())
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            match first.get(&name) {
                Some(earlier) => {
                    let message = format!(
                        "rule name `{}` is also declared by {}",
                        f.name.as_deref().unwrap_or_default(),
                        earlier.path
                    );
                    let d = Diagnostic::at(
                        Self::META.code,
                        Self::META.severity,
                        &f.path,
                        f.head,
                        message,
                    );
                    out.report(f, d);
                }
                None => {
                    first.insert(name, f);
                }
            }
        }
    }
}
