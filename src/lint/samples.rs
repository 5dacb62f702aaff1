//! Samples wrapped in made-up tags (`<bad_example>` … `</bad_example>`), as
//! prompt authors mark examples for the model.

use crate::model::Layout;
use crate::source::{SourceFile, Span};

/// HTML's element names (the WHATWG list, obsolete ones aside): a block
/// wrapped in one of these is rendered as part of the document.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// The byte ranges of the samples in `source`: from a line that is only
/// `<name>` (or `<name attr…>`), `name` no HTML element, to the next line
/// that is only `</name>`. Tag lines inside code blocks are code. A tag that
/// is never closed marks nothing.
pub(super) fn regions(source: &SourceFile, layout: &Layout) -> Vec<Span> {
    let text = &source.text;
    if memchr::memchr(b'<', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let in_code = |at: usize| {
        layout
            .code_blocks
            .iter()
            .any(|c| c.start <= at && at < c.end)
    };
    let mut out = Vec::new();
    let mut open: Option<(&str, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim();
        if !trimmed.starts_with('<') || in_code(start) {
            continue;
        }
        match open {
            None => {
                if let Some(name) = opening_tag(trimmed) {
                    open = Some((name, start));
                }
            }
            Some((name, from)) => {
                let closing = trimmed
                    .strip_prefix("</")
                    .and_then(|r| r.strip_suffix('>'))
                    .is_some_and(|n| n.trim() == name);
                if closing {
                    out.push(Span::new(from, at));
                    open = None;
                }
            }
        }
    }
    out
}

/// The name of a made-up tag when `line` is only its opening tag.
fn opening_tag(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('<')?.strip_suffix('>')?;
    if inner.ends_with('/') {
        return None;
    }
    let name = inner.split_whitespace().next()?;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let html = HTML_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name));
    (valid && !html).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        let source = SourceFile::new("t.md", text.to_string());
        let doc = crate::parse::parse(&source, &Default::default());
        regions(&source, &doc.layout)
            .iter()
            .map(|s| (source.line(s.start), source.line(s.end - 1)))
            .collect()
    }

    #[test]
    fn made_up_tags_wrap_samples() {
        let text = "# T\n\n<bad_example>\n## A\n</bad_example>\n\n<good-example kind=\"x\">\n## A\n</good-example>\n";
        assert_eq!(spans(text), vec![(3, 5), (7, 9)]);
    }

    #[test]
    fn html_elements_unclosed_tags_and_code_are_no_samples() {
        assert!(spans("<details>\n## A\n</details>\n").is_empty());
        assert!(spans("<example>\n## A\n</exmaple>\n").is_empty());
        assert!(spans("```xml\n<example>\n```\n## A\n</example>\n").is_empty());
        assert!(spans("<br/>\n").is_empty());
    }
}
