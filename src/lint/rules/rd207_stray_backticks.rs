use crate::diagnostic::Applicability;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a run of three or more backticks glued to the end of a line of
    /// text, such as `…in async contexts.` followed directly by ```` ``` ````.
    ///
    /// ## Why
    /// It is almost always a closing fence that lost its line break: the code
    /// block it was meant to close is not closed, and the backticks show up in
    /// the rendered text. The fix removes them.
    ///
    /// ## Fix safety
    /// Safe (`--fix`): it removes only the run of backticks (and the spaces
    /// after it) from the end of a line of text. CommonMark reads those
    /// backticks as literal text, not as a fence, so no block starts or ends
    /// differently; the line loses nothing but the backticks.
    ///
    /// ## Example
    /// ````markdown
    /// This rule ensures efficient asynchronous code.```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// This rule ensures efficient asynchronous code.
    /// ````
    pub struct StrayBackticks {
        code: "RD207",
        name: "stray-backticks",
        severity: Error,
        kind: Document,
        fix: Always,
    }
}

impl Rule for StrayBackticks {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let text = &ctx.source.text;
        for &run in &ctx.doc.layout.literal_backticks {
            if run.len() < 3 {
                continue;
            }
            let line = ctx.line_span(ctx.source.line(run.start));
            let glued = text[line.start..run.start]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace());
            let at_end = text[run.end..line.end].trim().is_empty();
            if !(glued && at_end) {
                continue;
            }
            let cut = Span::new(run.start, line.end);
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    run,
                    "backticks glued to the end of a line of text",
                )
                .with_fix(
                    ctx.source,
                    "remove the backticks",
                    Applicability::Safe,
                    vec![(cut, String::new())],
                ),
            );
        }
    }
}
