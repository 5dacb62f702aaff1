//! A fenced code block as CommonMark reads it: where it ends, whether a
//! closing fence ends it, and what sits above it.

use super::above::Above;
use super::info::{marker_of_signs, split_info};
use crate::model::{Container, Fence, Snippet};
use crate::source::{SourceFile, Span};

/// A fenced block between its start and end events.
pub(super) struct Block {
    /// The block as pulldown-cmark spans it: from the opening fence to the
    /// closing one, or to the end of its container when it has none.
    pub span: Span,
    pub info: String,
    pub code: String,
    /// Where the last line of code read so far ends.
    pub code_end: Option<usize>,
    pub container: Option<Container>,
}

/// The snippet an indented code block (CommonMark 0.31.2 §4.4) makes: no
/// info string (`lang` and `info` empty), its first and last lines of code
/// as `line`/`code_line` and `end_line` (rustdoc reports an indented block
/// at its first line), always closed; `fence` is `' '`, length 0, indent 4
/// (the indentation CommonMark strips). `span` is the whole block as the
/// parser spans it, `start` its start event's span.
pub(super) fn indented(
    start: Span,
    span: Span,
    code: String,
    section: Vec<String>,
    above: Above,
    container: Option<Container>,
    (line, end_line): (usize, usize),
) -> Snippet {
    Snippet {
        lang: String::new(),
        attributes: Vec::new(),
        label: None,
        marker: None,
        section,
        line,
        code_line: line,
        end_line,
        code,
        closed: true,
        skip: above.skip,
        fence: Fence {
            char: ' ',
            len: 0,
            indent: 4,
        },
        container,
        span: Span {
            start: start.start,
            end: span.end,
        },
        info: String::new(),
    }
}

/// The snippet `block` makes, in the sections `section`, below `above`.
pub(super) fn snippet(
    source: &SourceFile,
    block: Block,
    section: Vec<String>,
    above: Above,
) -> Snippet {
    let Block {
        span,
        info,
        code,
        code_end,
        container,
    } = block;
    let text = &source.text;
    let line = source.line(span.start);
    let opening = &text[span.start..source.lines.line_span(text, line).end];
    let fence_char = opening.chars().next().unwrap_or('`');
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    let indent = {
        let line_text = &text[source.lines.line_start(line)..span.start];
        line_text.chars().rev().take_while(|&c| c == ' ').count()
    };
    // The block's last line is its closing fence exactly when the parser
    // read no code on it: a line that only looks like a fence (indented too
    // far, or outside the container) is code, or is not in the block at all.
    let end_line = source.line(span.end.saturating_sub(1).max(span.start));
    let closed = end_line > line
        && code_end.is_none_or(|end| end <= source.lines.line_start(end_line))
        && is_fence_line(source, end_line, fence_char, fence_len);

    let (lang, attributes) = split_info(&info);
    let marker = above
        .label_marker
        .or_else(|| {
            code.lines()
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .find_map(marker_of_signs)
        })
        .or(above.heading_marker);
    Snippet {
        lang,
        attributes,
        label: above.label,
        marker,
        section,
        line,
        code_line: line + 1,
        end_line,
        code,
        closed,
        skip: above.skip,
        fence: Fence {
            char: fence_char,
            len: fence_len,
            indent,
        },
        container,
        span,
        info,
    }
}

/// Whether `line`, less its container markers, is fence characters only,
/// at least `len` of them. The parser has already said it is no line of
/// code; this is what it is instead: the closing fence, and not the blank
/// end of a block quote or list item.
fn is_fence_line(source: &SourceFile, line: usize, fence: char, len: usize) -> bool {
    let span = source.lines.line_span(&source.text, line);
    let rest = source.text[span.start..span.end]
        .trim()
        .trim_start_matches(['>', ' ', '\t']);
    rest.chars().take_while(|&c| c == fence).count() >= len && rest.chars().all(|c| c == fence)
}
