//! One pass over pulldown-cmark's events with byte offsets: headings become the
//! section tree, fenced blocks become snippets, and the layout of code, HTML and
//! literal backticks is recorded for the checks that read raw text.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::info::{is_skip_comment, label_of, marker_of_label, marker_of_signs, split_info};
use super::slug::Slugger;
use crate::model::{Fence, Import, Layout, Link, Section, Snippet};
use crate::source::{SourceFile, Span};

/// What one walk over a document's Markdown body finds.
#[derive(Debug, Default)]
pub struct Walked {
    pub title: Option<(String, Span)>,
    pub sections: Vec<Section>,
    pub snippets: Vec<Snippet>,
    pub links: Vec<Link>,
    pub imports: Vec<Import>,
    /// The Purpose heading's line and the text of its first paragraph.
    pub purpose: Option<(usize, String)>,
    pub layout: Layout,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// A section while its heading is known but its end is not.
struct Open {
    level: u8,
    heading: String,
    anchor: String,
    line: usize,
    span: Span,
    end: usize,
    parent: Option<usize>,
}

struct HeadingAcc {
    level: u8,
    span: Span,
    text: String,
}

struct CodeAcc {
    span: Span,
    info: Option<String>,
    code: String,
}

#[derive(PartialEq)]
enum PurposeState {
    NotSeen,
    /// Heading seen; waiting for its first paragraph.
    Waiting(usize),
    InParagraph(usize),
    Done,
}

/// Walk the Markdown starting at `body_start` (after front matter).
pub fn walk(source: &SourceFile, body_start: usize) -> Walked {
    let text = &source.text;
    let body = &text[body_start..];
    let mut w = Walked::default();
    w.layout.body_start = body_start;

    let mut flat: Vec<Open> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut slugger = Slugger::default();
    let mut heading: Option<HeadingAcc> = None;
    let mut code: Option<CodeAcc> = None;
    let mut purpose = PurposeState::NotSeen;
    let mut purpose_text = String::new();
    // Contiguous text and whether it has an `@`, for imports; no copy is kept.
    let mut run: Option<(Span, bool)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let span = Span::from(range).shift(body_start);
        if !matches!(event, Event::Text(_))
            && let Some((s, true)) = run.take()
        {
            scan_imports(source, s, &mut w.imports);
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(HeadingAcc {
                    level: level as u8,
                    span,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(h) = heading.take() else { continue };
                let text_ = h.text.trim().to_string();
                w.layout.headings.push((h.level, h.span));
                while let Some(&top) = stack.last() {
                    if flat[top].level < h.level {
                        break;
                    }
                    flat[top].end = h.span.start;
                    stack.pop();
                }
                if let PurposeState::Waiting(line) | PurposeState::InParagraph(line) = purpose {
                    w.purpose = Some((line, purpose_text.trim().to_string()));
                    purpose = PurposeState::Done;
                }
                if h.level == 1 && w.title.is_none() {
                    w.layout.title_anchor = Some(slugger.unique(&text_));
                    w.title = Some((text_, h.span));
                    continue;
                }
                let line = source.line(h.span.start);
                if purpose == PurposeState::NotSeen && is_purpose_heading(&text_) {
                    purpose = PurposeState::Waiting(line);
                }
                let anchor = slugger.unique(&text_);
                flat.push(Open {
                    level: h.level,
                    heading: text_,
                    anchor,
                    line,
                    span: h.span,
                    end: text.len(),
                    parent: stack.last().copied(),
                });
                stack.push(flat.len() - 1);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                w.layout.code_blocks.push(span);
                code = Some(CodeAcc {
                    span,
                    info: match kind {
                        CodeBlockKind::Fenced(info) => Some(info.to_string()),
                        CodeBlockKind::Indented => None,
                    },
                    // The code is at most the block's text: one allocation.
                    code: String::with_capacity(span.len()),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(CodeAcc {
                    span,
                    info: Some(info),
                    code,
                }) = code.take()
                {
                    let path = stack.iter().map(|&i| flat[i].heading.clone()).collect();
                    w.snippets.push(snippet(source, span, info, code, path));
                }
            }
            Event::Start(Tag::Paragraph) => {
                if let PurposeState::Waiting(line) = purpose {
                    purpose = PurposeState::InParagraph(line);
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if let PurposeState::InParagraph(line) = purpose {
                    w.purpose = Some((line, purpose_text.trim().to_string()));
                    purpose = PurposeState::Done;
                }
            }
            Event::Text(t) => {
                if let Some(c) = code.as_mut() {
                    c.code.push_str(&t);
                    continue;
                }
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
                if matches!(purpose, PurposeState::InParagraph(_)) {
                    purpose_text.push_str(&t);
                }
                note_literal_backticks(text, span, &t, &mut w.layout.literal_backticks);
                let has_at = t.contains('@');
                match run.as_mut() {
                    Some((s, at)) if s.end == span.start => {
                        *at |= has_at;
                        s.end = span.end;
                    }
                    _ => {
                        if let Some((s, true)) = run.take() {
                            scan_imports(source, s, &mut w.imports);
                        }
                        run = Some((span, has_at));
                    }
                }
            }
            Event::Code(t) => {
                w.layout.inline_code.push(span);
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
                if matches!(purpose, PurposeState::InParagraph(_)) {
                    purpose_text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = heading.as_mut() {
                    h.text.push(' ');
                }
                if matches!(purpose, PurposeState::InParagraph(_)) {
                    purpose_text.push(' ');
                }
            }
            Event::Start(Tag::HtmlBlock) => w.layout.html.push(span),
            Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                w.layout.html.push(span)
            }
            Event::Start(Tag::Link { dest_url, .. }) => w.links.push(Link {
                url: dest_url.to_string(),
                line: source.line(span.start),
                image: false,
                span,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => w.links.push(Link {
                url: dest_url.to_string(),
                line: source.line(span.start),
                image: true,
                span,
            }),
            _ => {}
        }
    }
    if let Some((s, true)) = run.take() {
        scan_imports(source, s, &mut w.imports);
    }
    if let PurposeState::Waiting(line) | PurposeState::InParagraph(line) = purpose {
        w.purpose = Some((line, purpose_text.trim().to_string()));
    }
    w.sections = build_tree(flat);
    w
}

/// `Purpose`, `Purpose:`, `🎯 Purpose`, any case.
fn is_purpose_heading(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches([':', ' ']);
    t.eq_ignore_ascii_case("purpose")
}

fn build_tree(flat: Vec<Open>) -> Vec<Section> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); flat.len()];
    let mut roots = Vec::new();
    for (i, s) in flat.iter().enumerate() {
        match s.parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut slots: Vec<Option<Open>> = flat.into_iter().map(Some).collect();
    // Children always come after their parent, so building from the back
    // finishes every child before its parent needs it. No recursion: depth is
    // bounded by heading levels anyway, but this keeps it obviously so.
    let mut built: Vec<Option<Section>> = (0..slots.len()).map(|_| None).collect();
    for i in (0..slots.len()).rev() {
        let Some(o) = slots[i].take() else { continue };
        let kids = children[i]
            .iter()
            .filter_map(|&c| built[c].take())
            .collect();
        built[i] = Some(Section {
            level: o.level,
            heading: o.heading,
            anchor: o.anchor,
            line: o.line,
            children: kids,
            span: o.span,
            body_span: Span::new(o.span.end, o.end.max(o.span.end)),
        });
    }
    roots.into_iter().filter_map(|r| built[r].take()).collect()
}

fn snippet(
    source: &SourceFile,
    span: Span,
    info: String,
    code: String,
    section: Vec<String>,
) -> Snippet {
    let text = &source.text;
    let line = source.line(span.start);
    let opening = &text[span.start..source.lines.line_span(text, line).end];
    let fence_char = opening.chars().next().unwrap_or('`');
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    let indent = {
        let line_text = &text[source.lines.line_start(line)..span.start];
        line_text.chars().rev().take_while(|&c| c == ' ').count()
    };

    // The block's last line: where the span ends, less its terminator.
    let last_offset = text[span.start..span.end]
        .trim_end_matches(['\n', '\r'])
        .len()
        + span.start;
    let last_line = source.line(last_offset.saturating_sub(1).max(span.start));
    let closing = {
        let ls = source.lines.line_span(text, last_line);
        text[ls.start..ls.end].trim().trim_start_matches(['>', ' '])
    };
    let closed = last_line > line
        && closing.chars().take_while(|&c| c == fence_char).count() >= fence_len
        && closing.chars().all(|c| c == fence_char);

    let (lang, attributes) = split_info(&info);
    let (label, skip) = above_fence(source, line);
    let marker = label
        .as_deref()
        .and_then(marker_of_label)
        .or_else(|| marker_of_signs(&first_lines(&code, 3)))
        .or_else(|| heading_marker(source, line));
    Snippet {
        lang,
        attributes,
        label,
        marker,
        section,
        line,
        code_line: line + 1,
        end_line: if closed {
            last_line
        } else {
            source.lines.line_count().max(last_line)
        },
        code,
        closed,
        skip,
        fence: Fence {
            char: fence_char,
            len: fence_len,
            indent,
        },
        span,
        info,
    }
}

/// The label and skip comment above the fence on `line`; one blank line may
/// separate the label from the fence.
fn above_fence(source: &SourceFile, line: usize) -> (Option<String>, bool) {
    let mut skip = false;
    let mut label = None;
    let mut blank_seen = false;
    let mut l = line;
    while l > 1 {
        l -= 1;
        let span = source.lines.line_span(&source.text, l);
        let content = source.text[span.start..span.end].trim();
        if content.is_empty() {
            if blank_seen {
                break;
            }
            blank_seen = true;
            continue;
        }
        if is_skip_comment(content) && !skip {
            skip = true;
            continue;
        }
        label = label_of(content);
        break;
    }
    (label, skip)
}

/// A marker from a heading directly above the fence (`### ✅ GOOD: …`).
fn heading_marker(source: &SourceFile, line: usize) -> Option<crate::model::Marker> {
    let mut l = line;
    while l > 1 {
        l -= 1;
        let span = source.lines.line_span(&source.text, l);
        let content = source.text[span.start..span.end].trim();
        if content.is_empty() {
            continue;
        }
        return content
            .starts_with('#')
            .then(|| marker_of_label(content.trim_start_matches('#')))
            .flatten();
    }
    None
}

fn first_lines(code: &str, n: usize) -> String {
    code.lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Backtick runs that the parser left as text (it found no closing run).
fn note_literal_backticks(text: &str, span: Span, t: &str, out: &mut Vec<Span>) {
    if !t.contains('`') || text.get(span.start..span.end) != Some(t) {
        return;
    }
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            out.push(Span::new(span.start + start, span.start + i));
        } else {
            i += 1;
        }
    }
}

/// `@path` imports in a run of text, as Claude Code reads them in CLAUDE.md.
///
/// Only tokens that look like files count: a path starting with `./` or
/// `../`, or one ending in a document extension. npm scopes such as
/// `@angular/core`, path aliases such as `@/lib` and mentions such as
/// `@octocat` are not imports.
fn scan_imports(source: &SourceFile, span: Span, out: &mut Vec<Import>) {
    let t = &source.text[span.start..span.end];
    let mut prev = ' ';
    for (i, c) in t.char_indices() {
        if c == '@' && (prev.is_whitespace() || prev == '(') {
            let rest = &t[i + 1..];
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | ',' | ';' | '"' | '\'' | '`')
                })
                .unwrap_or(rest.len());
            let path = rest[..end].trim_end_matches(['.', ':', '!', '?']);
            if looks_like_file(path) {
                out.push(Import {
                    path: path.to_string(),
                    line: source.line(span.start + i),
                    span: Span::new(span.start + i, span.start + i + 1 + path.len()),
                });
            }
        }
        prev = c;
    }
}

fn looks_like_file(path: &str) -> bool {
    const EXTENSIONS: &[&str] = &[".md", ".mdc", ".txt", ".json", ".yaml", ".yml", ".toml"];
    let has_extension = EXTENSIONS
        .iter()
        .any(|e| path.len() > e.len() && path.ends_with(e));
    // `./` and `../` are paths; `/…` and `~/…` only with a document's
    // extension, since `@/components` is a TypeScript path alias.
    path.starts_with("./") || path.starts_with("../") || has_extension
}
