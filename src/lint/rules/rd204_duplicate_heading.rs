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
        fixable: false,
    }
}

impl Rule for DuplicateHeading {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let mut groups: Vec<&[Section]> = vec![&ctx.doc.sections];
        while let Some(siblings) = groups.pop() {
            for (i, s) in siblings.iter().enumerate() {
                groups.push(&s.children);
                let key = s.heading.trim().to_lowercase();
                if key.is_empty() {
                    continue;
                }
                if let Some(first) = siblings[..i]
                    .iter()
                    .find(|f| f.heading.trim().to_lowercase() == key)
                {
                    out.push(
                        ctx.diagnostic(
                            &Self::META,
                            ctx.trim_line_end(s.span),
                            format!("duplicate heading `{}` among sibling sections", s.heading),
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
