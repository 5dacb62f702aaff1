use crate::diagnostic::Applicability;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::parse::block_outline;
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
    /// Safe (`--fix`) when a CommonMark reader sees the same blocks after it:
    /// it removes only the run of backticks (and the spaces after it) from
    /// the end of a line of text, which CommonMark reads as literal text.
    /// Unsafe (`--fix --unsafe-fixes`) when what is left of the line is
    /// Markdown syntax on its own: `<pre` opens an HTML block that runs on,
    /// `===` under a line makes it a heading, `---` is a thematic break, `-`
    /// an empty list item. The line and the one before it are read with
    /// pulldown-cmark before and after the fix to tell.
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
        fix: Always(Safe),
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
            let (message, applicability) = if keeps_blocks(ctx, line, cut) {
                ("remove the backticks", Applicability::Safe)
            } else {
                (
                    "remove the backticks (what is left of the line then reads as Markdown syntax: check the result)",
                    Applicability::Unsafe,
                )
            };
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    run,
                    "backticks glued to the end of a line of text",
                )
                .with_fix(
                    ctx.source,
                    message,
                    applicability,
                    vec![(cut, String::new())],
                ),
            );
        }
    }
}

/// Whether removing `cut` from `line` leaves the blocks a CommonMark reader
/// sees as they were. Block starts are decided by a line's own text and, for
/// setext underlines and table delimiter rows, by the line before it, so the
/// two lines are read before and after.
fn keeps_blocks(ctx: &DocContext, line: Span, cut: Span) -> bool {
    let text = &ctx.source.text;
    let body = ctx.doc.layout.body_start;
    let this = ctx.source.line(line.start);
    let from = if this > 1 {
        ctx.source.lines.line_start(this - 1).max(body)
    } else {
        line.start
    };
    let from = from.min(line.start);
    let before = &text[from..line.end];
    let after = format!("{}{}", &text[from..cut.start], &text[cut.end..line.end]);
    block_outline(before) == block_outline(&after)
}
