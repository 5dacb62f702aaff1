//! What sits above a fence, as CommonMark reads it: a label line, a
//! `<!-- ruledoc: skip -->` comment, a heading. Each is read from the block
//! the parser found there, so a line of code (an indented block, another
//! fence, a code span) is never taken for one.

use pulldown_cmark::{Event, Tag};

use super::info::{is_marker_sign, is_skip_comment, label_of, marker_of_label};
use crate::model::Marker;
use crate::source::{SourceFile, Span};

/// What the blocks above a fence say about it.
#[derive(Debug, Default)]
pub(super) struct Above {
    /// The label line's text (see [`label_of`]).
    pub label: Option<String>,
    /// The label's marker, read outside its code spans.
    pub label_marker: Option<Marker>,
    /// A skip comment right above the fence (below any label).
    pub skip: bool,
    /// The marker of a heading right above the fence, read outside its code spans.
    pub heading_marker: Option<Marker>,
}

/// What a finished block can tell a fence below it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// A paragraph whose last line opens with bold text: read into a label
    /// and its marker only when a fence below asks (most never are).
    Label(LabelAt),
    /// A heading, with its words outside code spans (their marker is read
    /// when a fence right below asks).
    Heading(String),
    /// An HTML block that is `<!-- ruledoc: skip -->` and nothing else.
    Skip,
    /// Any other block, a paragraph without a label included.
    Other,
}

/// A label line, not yet read: from its first inline event (a byte offset)
/// to the end of its line, with its code spans.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LabelAt {
    start: usize,
    code: Vec<Span>,
}

impl LabelAt {
    /// The label (read as [`label_of`] reads it) and its marker, read from
    /// the same text without its code spans. `None` when the line is no label.
    fn read(&self, source: &SourceFile) -> Option<(String, Option<Marker>)> {
        let start = self.start;
        let end = source.lines.line_span(&source.text, source.line(start)).end;
        let label = label_of(&source.text[start..end])?;
        let mut outside_code = String::new();
        let mut at = start;
        for c in self
            .code
            .iter()
            .filter(|c| c.start >= start && c.end <= end)
        {
            outside_code.push_str(&source.text[at..c.start]);
            at = c.end;
        }
        outside_code.push_str(&source.text[at..end]);
        let marker = label_of(&outside_code).and_then(|l| marker_of_label(&l));
        Some((label, marker))
    }
}

/// A finished block; its lines are counted only when a fence asks.
#[derive(Debug)]
struct Block {
    kind: Kind,
    span: Span,
}

impl Block {
    fn first_line(&self, source: &SourceFile) -> usize {
        source.line(self.span.start)
    }

    fn last_line(&self, source: &SourceFile) -> usize {
        source.line(self.span.end.saturating_sub(1).max(self.span.start))
    }
}

/// The last blocks read inside the current container (a list item, a block
/// quote, the document): a fence's label must be its sibling.
#[derive(Debug, Default)]
pub(super) struct Siblings {
    blocks: Vec<Block>,
}

impl Siblings {
    /// A block that ended at `span`.
    pub(super) fn push(&mut self, kind: Kind, span: Span) {
        // A label, a skip comment below it, the fence: two blocks are enough.
        if self.blocks.len() == 2 {
            self.blocks.remove(0);
        }
        self.blocks.push(Block { kind, span });
    }

    /// A container starts or ends: what came before is no sibling of what follows.
    pub(super) fn clear(&mut self) {
        self.blocks.clear();
    }

    /// A block quote ends. What came before is no sibling of what follows,
    /// but a label on the quote's last line still introduces a fence right
    /// below the quote (`> **Output**:`, then the fence).
    pub(super) fn leave_quote(&mut self) {
        let label = self
            .blocks
            .pop()
            .filter(|b| matches!(b.kind, Kind::Label(..)));
        self.blocks.clear();
        self.blocks.extend(label);
    }

    /// What the blocks above a fence on `fence_line` say: the label on the
    /// line just above (one blank line may come between) and a skip comment
    /// between the two; or a heading above, blank lines between.
    pub(super) fn above(&self, source: &SourceFile, fence_line: usize) -> Above {
        let mut above = Above::default();
        let mut below = fence_line;
        let mut blank_allowed = 1;
        for b in self.blocks.iter().rev() {
            let last_line = b.last_line(source);
            let gap = below.saturating_sub(last_line + 1);
            if last_line >= below || gap > blank_allowed || !blank(source, last_line + 1, below) {
                break;
            }
            blank_allowed -= gap;
            match &b.kind {
                Kind::Skip if !above.skip => {
                    above.skip = true;
                    below = b.first_line(source);
                    continue;
                }
                Kind::Label(at) => {
                    if let Some((label, marker)) = at.read(source) {
                        above.label = Some(label);
                        above.label_marker = marker;
                    }
                }
                _ => {}
            }
            break;
        }
        if let Some(b) = self.blocks.last()
            && let Kind::Heading(words) = &b.kind
            && b.last_line(source) < fence_line
            && blank(source, b.last_line(source) + 1, fence_line)
        {
            above.heading_marker = marker_of_label(words);
        }
        above
    }
}

/// Whether lines `from` up to (not including) `to` are blank, container
/// markers aside. Lines between two sibling blocks can also hold a link
/// reference definition, which is no blank line.
fn blank(source: &SourceFile, from: usize, to: usize) -> bool {
    (from..to).all(|l| {
        let span = source.lines.line_span(&source.text, l);
        source.text[span.start..span.end]
            .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
            .trim()
            .is_empty()
    })
}

/// How the paragraph line being read begins.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Opening {
    /// Nothing read yet (emphasis may open).
    #[default]
    Fresh,
    /// A ✅/❌ sign, and nothing else yet.
    Sign,
    /// Bold text, after at most a sign: a label line.
    Bold,
    /// Anything else.
    Text,
}

/// One line of a paragraph, read event by event to tell whether it is a
/// label: a line that opens with bold text (`**Good**:`), after an optional
/// ✅/❌ sign.
#[derive(Debug, Default)]
pub(super) struct LabelLine {
    opening: Opening,
    /// Where the line's first inline event starts.
    start: Option<usize>,
    /// The line's code spans, which give no marker.
    code: Vec<Span>,
}

impl LabelLine {
    /// The paragraph goes on to a new line.
    pub(super) fn next_line(&mut self) {
        *self = LabelLine::default();
    }

    /// An inline event of the line, at `span`.
    pub(super) fn event(&mut self, event: &Event<'_>, span: Span) {
        if self.opening == Opening::Text {
            // No label: nothing more on this line matters.
            return;
        }
        self.start.get_or_insert(span.start);
        if let Event::Code(_) = event {
            self.code.push(span);
        }
        self.opening = match (self.opening, event) {
            (Opening::Fresh | Opening::Sign, Event::Start(Tag::Strong)) => Opening::Bold,
            (Opening::Fresh | Opening::Sign, Event::Start(Tag::Emphasis)) => self.opening,
            (Opening::Fresh, Event::Text(t)) if is_marker_sign(t.trim()) => Opening::Sign,
            (Opening::Sign, Event::Text(t)) if t.trim().is_empty() => Opening::Sign,
            (Opening::Bold, _) => Opening::Bold,
            _ => Opening::Text,
        };
    }

    /// The line as a label, if it opens as one (bold text after at most a
    /// sign); whether it reads as one (see [`label_of`]) is told when a fence
    /// below asks.
    pub(super) fn label(self) -> Kind {
        match (self.opening, self.start) {
            (Opening::Bold, Some(start)) => Kind::Label(LabelAt {
                start,
                code: self.code,
            }),
            _ => Kind::Other,
        }
    }
}

/// The kind of an HTML block with text `html`.
pub(super) fn html_block_kind(html: &str) -> Kind {
    if is_skip_comment(html.trim()) {
        Kind::Skip
    } else {
        Kind::Other
    }
}
