//! The block structure a CommonMark reader sees in a text: which blocks
//! start and end, in order (CommonMark 0.31.2 §4 Leaf blocks and §5 Container
//! blocks, plus GitHub's tables), with no offsets. Two texts with the same
//! outline have the same blocks; what a fix may change is checked this way.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::markdown::options;

/// One block boundary: a block kind opening or closing, with what makes
/// two blocks of that kind differ (a heading's level, a fence's info string,
/// an ordered list's start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A block of this kind opens.
    Start(String),
    /// The innermost open block of this kind closes.
    End(String),
    /// A thematic break (§4.1).
    Rule,
}

/// The outline of `text` as pulldown-cmark reads it, with ruledoc's options.
pub fn block_outline(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(tag) => {
                if let Some(kind) = start_kind(&tag) {
                    out.push(Block::Start(kind));
                }
            }
            Event::End(tag) => {
                if let Some(kind) = end_kind(tag) {
                    out.push(Block::End(kind.to_string()));
                }
            }
            Event::Rule => out.push(Block::Rule),
            _ => {}
        }
    }
    out
}

fn start_kind(tag: &Tag) -> Option<String> {
    Some(match tag {
        Tag::Paragraph => "paragraph".into(),
        Tag::Heading { level, .. } => format!("heading {}", *level as u8),
        Tag::BlockQuote(_) => "block quote".into(),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => format!("fenced code {info}"),
        Tag::CodeBlock(CodeBlockKind::Indented) => "indented code".into(),
        Tag::HtmlBlock => "html".into(),
        Tag::List(Some(start)) => format!("ordered list {start}"),
        Tag::List(None) => "list".into(),
        Tag::Item => "item".into(),
        Tag::Table(_) => "table".into(),
        Tag::TableHead => "table head".into(),
        Tag::TableRow => "table row".into(),
        Tag::TableCell => "table cell".into(),
        Tag::FootnoteDefinition(_) => "footnote".into(),
        _ => return None,
    })
}

fn end_kind(tag: TagEnd) -> Option<&'static str> {
    Some(match tag {
        TagEnd::Paragraph => "paragraph",
        TagEnd::Heading(_) => "heading",
        TagEnd::BlockQuote(_) => "block quote",
        TagEnd::CodeBlock => "code",
        TagEnd::HtmlBlock => "html",
        TagEnd::List(_) => "list",
        TagEnd::Item => "item",
        TagEnd::Table => "table",
        TagEnd::TableHead => "table head",
        TagEnd::TableRow => "table row",
        TagEnd::TableCell => "table cell",
        TagEnd::FootnoteDefinition => "footnote",
        _ => return None,
    })
}

/// A block as a CommonMark reader sees it, placed by line: what a fix may
/// not move or change outside the lines it means to repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landmark {
    /// The block's kind, as [`Block::Start`] names it (`heading 2`,
    /// `paragraph`, `fenced code rust`, `item`…).
    pub kind: String,
    /// Its first line (1-based, counted in the whole text).
    pub first: usize,
    /// Its last line.
    pub last: usize,
    /// Its source text, exactly.
    pub text: String,
    /// For a fenced code block: whether a closing fence ends it (it does not
    /// when it runs to the end of the document or of its container).
    pub closed: bool,
}

impl Landmark {
    /// Whether it is a heading.
    pub fn is_heading(&self) -> bool {
        self.kind.starts_with("heading")
    }

    /// Whether it is a fenced code block.
    pub fn is_fenced(&self) -> bool {
        self.kind.starts_with("fenced code")
    }

    /// Whether it lies wholly outside lines `first..=last`.
    pub fn outside(&self, first: usize, last: usize) -> bool {
        self.last < first || self.first > last
    }
}

/// Every block pulldown-cmark reads in `text[from..]` (with ruledoc's
/// options; `from` skips front matter), in document order, with its lines
/// counted in the whole of `text`.
pub fn landmarks(text: &str, from: usize) -> Vec<Landmark> {
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
        .collect();
    // 1-based line of byte `at`: one more than the newlines before it.
    let line = |at: usize| newlines.partition_point(|&n| n < at) + 1;
    let body = &text[from..];
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let Event::Start(tag) = event else { continue };
        let Some(kind) = start_kind(&tag) else {
            continue;
        };
        let raw = &body[range.clone()];
        let (start, end) = (from + range.start, from + range.end);
        let closed = matches!(tag, Tag::CodeBlock(CodeBlockKind::Fenced(_))) && fence_closed(raw);
        out.push(Landmark {
            kind,
            first: line(start),
            last: line(end.saturating_sub(1).max(start)),
            text: raw.to_string(),
            closed,
        });
    }
    out
}

/// Whether the source of a fenced code block ends with a closing fence: a
/// line after the opening one holding only a run of the opening fence's
/// character, at least as long (CommonMark 0.31.2 §4.5), container markers
/// (indentation, `>`) aside.
fn fence_closed(raw: &str) -> bool {
    let strip = |l: &str| {
        l.trim_start_matches([' ', '\t', '>'])
            .trim_end()
            .to_string()
    };
    let mut lines = raw.trim_end_matches(['\n', '\r']).lines();
    let Some(open) = lines.next().map(strip) else {
        return false;
    };
    let Some(c) = open.chars().next().filter(|c| matches!(c, '`' | '~')) else {
        return false;
    };
    let len = open.chars().take_while(|&x| x == c).count();
    lines.next_back().map(strip).is_some_and(|close| {
        !close.is_empty() && close.chars().all(|x| x == c) && close.chars().count() >= len
    })
}

/// Whether every `keep` landmark of `before` that lies wholly before line
/// `first` or wholly after line `last` is in `after`, unchanged: the same
/// kind and text on the same lines, those after the span moved by `shift`
/// lines (what the change between them added, or removed when negative).
/// `before` and `after` are [`landmarks`] of a text before and after a
/// change confined to lines `first..=last`. Landmarks new in `after` are
/// allowed: repairing a fence gives back, as text, what a wrongly paired
/// code block held.
pub fn kept_outside(
    before: &[Landmark],
    after: &[Landmark],
    (first, last): (usize, usize),
    shift: isize,
    keep: impl Fn(&Landmark) -> bool,
) -> bool {
    before
        .iter()
        .filter(|l| keep(l) && l.outside(first, last))
        .all(|l| {
            let by = if l.first > last { shift } else { 0 };
            let moved = Landmark {
                first: l.first.saturating_add_signed(by),
                last: l.last.saturating_add_signed(by),
                ..l.clone()
            };
            after.contains(&moved)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_text_can_change_the_blocks() {
        // `<pre` alone opens an HTML block (§4.6, condition 1); with
        // backticks after it, it is a paragraph.
        assert_ne!(block_outline("<pre```\n"), block_outline("<pre\n"));
        // A setext underline (§4.3).
        assert_ne!(
            block_outline("Title\n===```\n"),
            block_outline("Title\n===\n")
        );
        // The same paragraph, whatever its text.
        assert_eq!(
            block_outline("Some text.```\n"),
            block_outline("Some text.\n")
        );
    }

    #[test]
    fn landmarks_are_placed_by_line_and_fences_know_if_they_close() {
        let text =
            "---\ntitle: x\n---\n# A\n\ntext\nmore\n\n```rust\nfn f() {}\n```\n\n- ~~~\n  x\n";
        let from = text.find("# A").unwrap();
        let ls = landmarks(text, from);
        let brief: Vec<(&str, usize, usize, bool)> = ls
            .iter()
            .map(|l| (l.kind.as_str(), l.first, l.last, l.closed))
            .collect();
        assert_eq!(
            brief,
            [
                ("heading 1", 4, 4, false),
                ("paragraph", 6, 7, false),
                ("fenced code rust", 9, 11, true),
                ("list", 13, 14, false),
                ("item", 13, 14, false),
                ("fenced code ", 13, 14, false),
            ]
        );
        // A line added between two headings moves the second one.
        let before = landmarks("# A\nx\n# B\n", 0);
        let after = landmarks("# A\nx\ny\n# B\n", 0);
        assert!(kept_outside(
            &before,
            &after,
            (2, 2),
            1,
            Landmark::is_heading
        ));
        assert!(!kept_outside(
            &before,
            &after,
            (2, 2),
            0,
            Landmark::is_heading
        ));
        // A heading that appears is allowed; one that goes is not.
        let fewer = landmarks("# A\n```\n# B\n", 0);
        assert!(kept_outside(
            &fewer,
            &before,
            (2, 2),
            0,
            Landmark::is_heading
        ));
        assert!(!kept_outside(
            &before,
            &fewer,
            (2, 2),
            0,
            Landmark::is_heading
        ));
    }
}
