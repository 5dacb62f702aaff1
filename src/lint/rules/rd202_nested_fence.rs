use crate::diagnostic::Applicability;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::Snippet;
use crate::parse::{Landmark, kept_outside, landmarks};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a fenced block that a fence inside it closes early. Two shapes
    /// are found:
    ///
    /// - a block that holds an inner opening fence with a language
    ///   (```` ```python ````): the inner block's closing fence closes the outer
    ///   block instead;
    /// - a ```` ```markdown ```` block that holds a bare inner ```` ``` ````
    ///   block: the inner opening fence closes the outer block.
    ///
    /// Either way every later fence pairs with the wrong partner: prose becomes
    /// code and code becomes prose.
    ///
    /// The fix lengthens the outer pair of fences (to ```` ```` ```` or longer),
    /// so the inner fences become content again. It is offered only when the
    /// outer block's intended closing fence can be told apart and the result
    /// reads as meant (see below); otherwise the help says what to do by hand.
    ///
    /// ## Fix safety
    /// Unsafe (`--fix --unsafe-fixes`): it guesses which fence was meant to
    /// close the outer block, and changes what a CommonMark reader sees
    /// between the two fences. The guess is checked before the fix is
    /// offered: the document is read before and after it with pulldown-cmark,
    /// and the fix is offered only when the two fences then hold one closed
    /// code block, every block wholly outside them (heading, paragraph, code
    /// block, list item…) is still there with the same text on the same
    /// lines, and no code block is left unclosed that was closed. A closing
    /// fence indented less than its list item, say, makes the guess wrong:
    /// lengthening the fences would re-pair every fence after them, so no
    /// fix is offered.
    ///
    /// ## Example
    /// `````markdown
    /// ```markdown
    /// # Rule Template
    /// ```python
    /// def example(): ...
    /// ```
    /// ```
    /// `````
    ///
    /// Use instead:
    /// `````markdown
    /// ````markdown
    /// # Rule Template
    /// ```python
    /// def example(): ...
    /// ```
    /// ````
    /// `````
    pub struct NestedFence {
        code: "RD202",
        name: "nested-fence",
        severity: Error,
        kind: Document,
        fix: Sometimes(Unsafe),
    }
}

const MARKUP: &[&str] = &["markdown", "md", "mdc", "mdx", "gfm", "commonmark"];

impl Rule for NestedFence {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let snippets = &ctx.doc.snippets;
        // A block that exists only because an earlier block closed early is
        // part of that finding, not a new one.
        let mut consumed = None;
        for (i, outer) in snippets.iter().enumerate() {
            if !outer.closed || consumed == Some(i) {
                continue;
            }
            let next = snippets.get(i + 1);
            if let Some(inner_line) = inner_opener(outer) {
                // The closing fence of the inner block closed this one. Its own
                // closing fence, if the author wrote one, now opens a bare block.
                let intended = next.filter(|n| n.lang.is_empty() && n.info.trim().is_empty());
                let mut d = ctx
                    .diagnostic(
                        &Self::META,
                        ctx.line_span(outer.line),
                        format!(
                            "the fence on line {} closes this block early: it was meant to close the inner block opened on line {inner_line}",
                            outer.end_line
                        ),
                    )
                    .with_label(ctx.source, ctx.line_span(inner_line), "inner block opens here");
                match intended {
                    Some(closer) => {
                        consumed = Some(i + 1);
                        d = with_lengthen_fix(ctx, d, outer, outer.line, closer.line);
                    }
                    None => {
                        d = d.with_help("use a longer fence (````) for the outer block and close it with one of the same length");
                    }
                }
                out.push(d);
                continue;
            }
            // A bare inner fence in a Markdown example: it closed the block, its
            // content became prose, and its closing fence opened a bare block
            // whose closing fence was meant for the outer one.
            let Some(after) = next else { continue };
            let line_after = outer.end_line + 1;
            let follows_directly = line_after <= ctx.doc.lines
                && !ctx.source.text[ctx.line_span(line_after).start..ctx.line_span(line_after).end]
                    .trim()
                    .is_empty()
                && after.line > line_after;
            if MARKUP.contains(&outer.lang.to_ascii_lowercase().as_str())
                && follows_directly
                && after.lang.is_empty()
                && after.closed
            {
                let d = ctx
                    .diagnostic(
                        &Self::META,
                        ctx.line_span(outer.line),
                        format!(
                            "the bare fence on line {} closes this block early: it opens an inner block, whose closing fence on line {} opened a new block instead",
                            outer.end_line, after.line
                        ),
                    )
                    .with_label(ctx.source, ctx.line_span(after.end_line), "the outer block was meant to close here");
                consumed = Some(i + 1);
                out.push(with_lengthen_fix(ctx, d, outer, outer.line, after.end_line));
            }
        }
    }
}

/// The line of a valid opening fence with a language inside `outer`'s code:
/// same character, at least as long, indented at most three spaces.
pub(super) fn inner_opener(outer: &Snippet) -> Option<usize> {
    let fence: String = std::iter::repeat_n(outer.fence.char, outer.fence.len).collect();
    // Most code holds no fence run at all: one fast search says so.
    memchr::memmem::find(outer.code.as_bytes(), fence.as_bytes())?;
    outer.code.lines().enumerate().find_map(|(i, line)| {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let run = rest.chars().take_while(|&c| c == outer.fence.char).count();
        let info = rest[run * outer.fence.char.len_utf8()..].trim();
        (indent <= 3
            && run >= outer.fence.len
            && !info.is_empty()
            && !(outer.fence.char == '`' && info.contains('`')))
        .then_some(outer.code_line + i)
    })
}

/// Attach the fix that lengthens the fences on `open` and `close` beyond any
/// fence run between them.
fn with_lengthen_fix(
    ctx: &DocContext,
    d: crate::diagnostic::Diagnostic,
    outer: &Snippet,
    open: usize,
    close: usize,
) -> crate::diagnostic::Diagnostic {
    let c = outer.fence.char;
    let longest = (open + 1..close)
        .map(|l| {
            let span = ctx.line_span(l);
            let text = ctx.source.text[span.start..span.end].trim_start();
            text.chars().take_while(|&x| x == c).count()
        })
        .max()
        .unwrap_or(0);
    let len = (longest + 1).max(outer.fence.len + 1).max(4);
    let fence: String = std::iter::repeat_n(c, len).collect();
    let edits: Vec<(Span, String)> = [open, close]
        .into_iter()
        .filter_map(|l| {
            let span = ctx.line_span(l);
            let text = &ctx.source.text[span.start..span.end];
            let indent = text.len() - text.trim_start().len();
            let run = text[indent..].chars().take_while(|&x| x == c).count();
            (run > 0).then(|| {
                (
                    Span::new(
                        span.start + indent,
                        span.start + indent + run * c.len_utf8(),
                    ),
                    fence.clone(),
                )
            })
        })
        .collect();
    if edits.len() != 2 {
        return d;
    }
    let fixed = format!(
        "{}{}{}{}{}",
        &ctx.source.text[..edits[0].0.start],
        edits[0].1,
        &ctx.source.text[edits[0].0.end..edits[1].0.start],
        edits[1].1,
        &ctx.source.text[edits[1].0.end..],
    );
    if let Err(why) = keeps_reading(ctx, &fixed, open, close) {
        return d.with_help(format!(
            "no fix is offered: lengthening the fences on lines {open} and {close} {why}. If the block opened on line {open} is meant to hold the fences inside it, lengthen its opening fence to {fence} and close it with a {fence} line after its last line of content; otherwise close the block where it is meant to end"
        ));
    }
    d.with_fix(
        ctx.source,
        format!("lengthen the outer fences to {fence}"),
        Applicability::Unsafe,
        edits,
    )
}

/// Whether `fixed`, the document with the fences on lines `open` and `close`
/// lengthened, reads as the fix means it to, by pulldown-cmark (a second
/// CommonMark reader, beside the one the finding comes from): one closed
/// code block from `open` to `close`; every block wholly outside those
/// lines (heading, paragraph, code block, list item…) the same, with the
/// same text, on the same lines; no code block left unclosed that was
/// closed. Otherwise, what would go wrong, in a few words.
fn keeps_reading(ctx: &DocContext, fixed: &str, open: usize, close: usize) -> Result<(), String> {
    let body = ctx.doc.layout.body_start;
    let before = landmarks(&ctx.source.text, body);
    let after = landmarks(fixed, body);
    let unclosed = |ls: &[Landmark]| ls.iter().filter(|l| l.is_fenced() && !l.closed).count();
    if unclosed(&after) > unclosed(&before) {
        let at = after
            .iter()
            .filter(|l| l.is_fenced() && !l.closed)
            .find(|l| {
                !before
                    .iter()
                    .any(|b| b.first == l.first && !b.closed && b.is_fenced())
            })
            .map_or(String::new(), |l| format!(" on line {}", l.first));
        return Err(format!("would open a code block{at} that never closes"));
    }
    if !after
        .iter()
        .any(|l| l.is_fenced() && l.closed && l.first == open && l.last == close)
    {
        return Err(format!(
            "would not make one code block of lines {open} to {close}"
        ));
    }
    if !kept_outside(&before, &after, (open, close), 0, |_| true) {
        let moved = before
            .iter()
            .filter(|l| l.outside(open, close))
            .find(|l| !after.contains(l))
            .map_or(String::new(), |l| {
                format!(" (the {} on line {})", l.kind.trim(), l.first)
            });
        return Err(format!("would change the blocks around them{moved}"));
    }
    Ok(())
}
