use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::lint::{DocFacts, Rule, SetContext, SetFindings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports two documents of one rule set that declare the same rule name
    /// (from the title, else the front matter's `name`), ignoring case. Only
    /// in rule sets that follow ruledoc's tiered convention, where a rule is
    /// named by its title: agents name theirs by file name or by location
    /// (Cursor and Windsurf by file name, `AGENTS.md` and `CLAUDE.md` by
    /// folder), so titles may repeat there. A file and its symbolic or hard
    /// links are one document.
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

    /// Within each rule set held to the tiered convention, the first
    /// document to declare a name (in path order) keeps it; each later one is
    /// reported, naming the first. A document and its links are one document.
    fn check_set(&self, set: &SetContext, out: &mut SetFindings) {
        let mut first: HashMap<(Option<&std::path::PathBuf>, String), &DocFacts> = HashMap::new();
        for f in set.tiered_facts() {
            let Some(name) = f
                .name
                .as_deref()
                .map(|n| n.trim().to_lowercase())
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            let key = (f.root.as_ref(), name);
            match first.get(&key) {
                Some(earlier) if f.identity().is_some() && earlier.identity() == f.identity() => {}
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
                    first.insert(key, f);
                }
            }
        }
    }
}
