use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a fenced code block that is never closed, so it runs to the end
    /// of the document (or of the list or quote it sits in).
    ///
    /// ## Why
    /// Everything after the opening fence, prose and headings included, is
    /// shown and read as code. Truncated generator output leaves exactly this.
    ///
    /// ## Example
    /// ````markdown
    /// ```python
    /// x = 1
    ///
    /// ## Next Section
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```python
    /// x = 1
    /// ```
    ///
    /// ## Next Section
    /// ````
    pub struct UnclosedFence {
        code: "RD201",
        name: "unclosed-fence",
        severity: Error,
        kind: Document,
        fix: Never,
    }
}

impl Rule for UnclosedFence {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        for s in ctx.doc.snippets.iter().filter(|s| !s.closed) {
            let fence: String = std::iter::repeat_n(s.fence.char, s.fence.len).collect();
            let message = if s.end_line >= ctx.doc.lines {
                let swallowed = ctx.doc.lines.saturating_sub(s.line);
                format!(
                    "code block opened with {fence} is never closed: it swallows the rest of the document ({swallowed} lines)"
                )
            } else {
                format!(
                    "code block opened with {fence} is never closed: it runs to line {}, where its list or quote ends",
                    s.end_line
                )
            };
            out.push(
                ctx.diagnostic(&Self::META, ctx.line_span(s.line), message)
                    .with_help(format!("add a closing {fence} line where the code ends")),
            );
        }
    }
}
