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
}
