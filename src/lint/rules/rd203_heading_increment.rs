use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a heading more than one level deeper than the heading before it.
    ///
    /// ## Why
    /// Sections nest by heading level; a skipped level leaves a section without
    /// a parent, and outlines, anchors and agents' section paths go wrong.
    ///
    /// ## Example
    /// ```markdown
    /// ## Errors
    /// #### Retries
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ## Errors
    /// ### Retries
    /// ```
    pub struct HeadingIncrement {
        code: "RD203",
        name: "heading-increment",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for HeadingIncrement {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        // A sample's headings (`<bad_example>` … `</bad_example>`) are the
        // sample's, not the document's outline.
        let outline: Vec<(u8, crate::source::Span)> = ctx
            .doc
            .layout
            .headings
            .iter()
            .copied()
            .filter(|(_, span)| !ctx.in_sample(span.start))
            .collect();
        for pair in outline.windows(2) {
            let ((prev, _), (level, span)) = (pair[0], pair[1]);
            if level > prev + 1 {
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        ctx.trim_line_end(span),
                        format!("heading level jumps from H{prev} to H{level}"),
                    )
                    .with_help(format!("make it an H{} heading", prev + 1)),
                );
            }
        }
    }
}
