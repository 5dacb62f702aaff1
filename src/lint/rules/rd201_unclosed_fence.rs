use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::{Container, Snippet};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a fenced code block that is never closed, so it runs to the end
    /// of the document, or of the list item or block quote it sits in.
    ///
    /// ## Why
    /// Everything after the opening fence, prose and headings included, is
    /// shown and read as code. Truncated generator output leaves exactly this.
    /// Even when only code follows, the block stays open past the end of the
    /// file: agents join the files they load into one prompt (Claude Code
    /// its memory files and imports, Cursor and Windsurf their rules), so
    /// the next file is read as code too.
    ///
    /// Inside a list item, the usual cause is a closing fence indented less
    /// than the item's content: that line is not in the item, so the item and
    /// the block end just before it (CommonMark 0.31.2 §4.5, §5.2), and the
    /// line opens a new block that swallows the rest of the document.
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
    ///
    /// In a list item:
    /// ````markdown
    /// 1. Install it:
    ///
    ///    ```sh
    ///    cargo install ruledoc
    /// ```
    /// ````
    ///
    /// Use instead (the closing fence indented as the opening one is):
    /// ````markdown
    /// 1. Install it:
    ///
    ///    ```sh
    ///    cargo install ruledoc
    ///    ```
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
        let snippets = &ctx.doc.snippets;
        for (i, s) in snippets.iter().enumerate().filter(|(_, s)| !s.closed) {
            let fence = fence_of(s);
            // From the fence itself: in a list item or a block quote, what is
            // before it on its line is the container's.
            let at = Span::new(s.span.start, ctx.line_span(s.line).end);
            let d = match ended_by_container(ctx, s) {
                None => {
                    let swallowed = ctx.doc.lines.saturating_sub(s.line);
                    let message = if swallowed == 0 {
                        format!(
                            "code block opened with {fence} is never closed: it opens on the document's last line"
                        )
                    } else {
                        let lines = if swallowed == 1 { "line" } else { "lines" };
                        format!(
                            "code block opened with {fence} is never closed: it swallows the rest of the document ({swallowed} {lines}) and whatever an agent loads after it"
                        )
                    };
                    let before = i.checked_sub(1).map(|p| &snippets[p]);
                    let help = match before.and_then(|b| Some((b, meant_to_close(ctx, b, s)?))) {
                        Some((before, container)) => format!(
                            "if this line was meant to close the block on line {}, it must be in that block's {}: {}",
                            before.line,
                            container.name(),
                            closing_line(ctx, before)
                        ),
                        None => format!("add a closing {fence} line where the code ends"),
                    };
                    ctx.diagnostic(&Self::META, at, message).with_help(help)
                }
                Some(container) => {
                    let name = container.name();
                    let mut d = ctx
                        .diagnostic(
                            &Self::META,
                            at,
                            format!(
                                "code block opened with {fence} is never closed: it ends with its {name}, on line {}",
                                s.end_line
                            ),
                        )
                        .with_help(format!(
                            "close it inside its {name}: {}",
                            closing_line(ctx, s)
                        ));
                    if let Some(next) = next_text_line(ctx, s.end_line) {
                        d = d.with_label(
                            ctx.source,
                            ctx.line_span(next),
                            format!("this line is outside the {name}"),
                        );
                    }
                    d
                }
            };
            out.push(d);
        }
    }
}

fn fence_of(s: &Snippet) -> String {
    std::iter::repeat_n(s.fence.char, s.fence.len).collect()
}

/// The list item or block quote that ended an unclosed block before the end
/// of the document: `None` when only blank lines follow the block, which then
/// took the rest of the document, whichever container ended it.
fn ended_by_container(ctx: &DocContext, s: &Snippet) -> Option<Container> {
    s.container
        .filter(|_| next_text_line(ctx, s.end_line).is_some())
}

/// The container that ended `before`, when `stray`, a bare fence right after
/// it, looks like `before`'s closing fence written outside that container:
/// the usual cause of both findings.
fn meant_to_close(ctx: &DocContext, before: &Snippet, stray: &Snippet) -> Option<Container> {
    let looks_so = !before.closed
        && next_text_line(ctx, before.end_line) == Some(stray.line)
        && stray.info.is_empty()
        && stray.fence.char == before.fence.char
        && stray.fence.len >= before.fence.len;
    ended_by_container(ctx, before).filter(|_| looks_so)
}

/// The first line after `line` that is not blank.
fn next_text_line(ctx: &DocContext, line: usize) -> Option<usize> {
    (line + 1..=ctx.doc.lines).find(|&l| {
        let span = ctx.line_span(l);
        !ctx.source.text[span.start..span.end].trim().is_empty()
    })
}

/// A closing fence for `s` that stays in its container.
fn closing_line(ctx: &DocContext, s: &Snippet) -> String {
    let fence = fence_of(s);
    match s.container {
        Some(Container::ListItem) => {
            let before = &ctx.source.text[ctx.line_span(s.line).start..s.span.start];
            if before.chars().all(|c| c == ' ') {
                format!(
                    "a {fence} line indented {} spaces, as the opening fence is",
                    before.len()
                )
            } else {
                format!("a {fence} line indented as far as the item's text")
            }
        }
        Some(Container::BlockQuote) => {
            format!("a {fence} line that starts with the quote's `>`")
        }
        None => format!("a {fence} line"),
    }
}
