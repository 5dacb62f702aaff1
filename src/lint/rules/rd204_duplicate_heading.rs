use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::diagnostic::code_span;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::Section;

declare_rule! {
    /// ## What it does
    /// Reports two sibling sections, under the same parent, with the same
    /// heading (ignoring case).
    ///
    /// ## Why
    /// Section paths stop identifying one section, and links to the second
    /// need a numbered anchor (`#retries-1`) that breaks when the first moves.
    ///
    /// ## Example
    /// ```markdown
    /// ## Retries
    /// ...
    /// ## Retries
    /// ```
    ///
    /// Use instead: merge the two, or name each for what it covers.
    /// ```markdown
    /// ## Retries for Reads
    /// ## Retries for Writes
    /// ```
    pub struct DuplicateHeading {
        code: "RD204",
        name: "duplicate-heading",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for DuplicateHeading {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let mut groups: Vec<&[Section]> = vec![&ctx.doc.sections];
        // Each heading once, in a map of the ones seen before it: a document
        // with 50,000 sibling sections is linear, not 10^9 comparisons.
        let mut seen: HashMap<String, &Section> = HashMap::new();
        while let Some(siblings) = groups.pop() {
            seen.clear();
            for s in siblings {
                groups.push(&s.children);
                let key = s.heading.trim().to_lowercase();
                // A sample's headings repeat on purpose (the same page shown
                // badly, then well).
                if key.is_empty() || ctx.in_sample(s.span.start) {
                    continue;
                }
                let first = match seen.entry(key) {
                    Entry::Occupied(e) => Some(*e.get()),
                    Entry::Vacant(e) => {
                        e.insert(s);
                        None
                    }
                };
                if let Some(first) = first {
                    out.push(
                        ctx.diagnostic(
                            &Self::META,
                            ctx.trim_line_end(s.span),
                            format!(
                                "duplicate heading {} among sibling sections",
                                code_span(&s.heading)
                            ),
                        )
                        .with_label(
                            ctx.source,
                            ctx.trim_line_end(first.span),
                            "first used here",
                        ),
                    );
                }
            }
        }
    }
}
