//! One pass over pulldown-cmark's events with byte offsets: headings become the
//! section tree, fenced blocks become snippets, and the layout of code, HTML and
//! literal backticks is recorded for the checks that read raw text.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::info::{is_skip_comment, label_of, marker_of_label, marker_of_signs, split_info};
use super::slug::Slugger;
use crate::model::{Fence, Import, Layout, Link, Section, Snippet};
use crate::source::{SourceFile, Span};

/// What one walk over a document's Markdown body finds.
#[derive(Debug, Default)]
pub(super) struct Body {
    pub title: Option<(String, Span)>,
    pub sections: Vec<Section>,
    pub snippets: Vec<Snippet>,
    pub links: Vec<Link>,
    pub imports: Vec<Import>,
    /// The Purpose heading's line and the text of its first paragraph.
    pub purpose: Option<(usize, String)>,
    pub layout: Layout,
}

/// The pulldown-cmark options every reading of a document uses: CommonMark
/// plus the GitHub Flavored Markdown tables, strikethrough and task lists.
/// Code that parses a document again must use these, or its events and
/// offsets differ from the model's.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Walk the Markdown starting at `body_start` (after front matter).
pub(super) fn walk(source: &SourceFile, body_start: usize) -> Body {
    let markdown = &source.text[body_start..];
    let mut walker = Walker::new(source, body_start);
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        walker.event(event, Span::from(range).shift(body_start));
    }
    walker.finish()
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

/// A heading between its start and end events, gathering its text.
struct HeadingAcc {
    level: u8,
    span: Span,
    text: String,
}

/// A code block between its start and end events, gathering its code.
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

/// The walk between two events: what is open (sections, a heading, a code
/// block, the Purpose paragraph, a run of text) and what is found so far.
struct Walker<'a> {
    source: &'a SourceFile,
    found: Body,
    /// Sections in document order; `open` indexes those not yet ended.
    sections: Vec<Open>,
    open: Vec<usize>,
    slugger: Slugger,
    heading: Option<HeadingAcc>,
    code: Option<CodeAcc>,
    purpose: PurposeState,
    purpose_text: String,
    // Contiguous text and whether it has an `@`, for imports; no copy is kept.
    run: Option<(Span, bool)>,
}

impl<'a> Walker<'a> {
    fn new(source: &'a SourceFile, body_start: usize) -> Self {
        let mut found = Body::default();
        found.layout.body_start = body_start;
        Walker {
            source,
            found,
            sections: Vec::new(),
            open: Vec::new(),
            slugger: Slugger::default(),
            heading: None,
            code: None,
            purpose: PurposeState::NotSeen,
            purpose_text: String::new(),
            run: None,
        }
    }

    /// Hands one event, at `span` in the whole file, to its handler.
    fn event(&mut self, event: Event<'_>, span: Span) {
        // A run is plain text only: inline code, a break or any tag ends it.
        if !matches!(event, Event::Text(_)) {
            self.end_text_run();
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => self.start_heading(level, span),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.start_code_block(kind, span),
            Event::End(TagEnd::CodeBlock) => self.end_code_block(),
            Event::Start(Tag::Paragraph) => self.start_paragraph(),
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Text(t) => self.text(&t, span),
            Event::Code(t) => self.inline_code(&t, span),
            Event::SoftBreak | Event::HardBreak => self.inline_words(" "),
            Event::Start(Tag::HtmlBlock)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => self.found.layout.html.push(span),
            Event::Start(Tag::Link { dest_url, .. }) => self.link(&dest_url, span, false),
            Event::Start(Tag::Image { dest_url, .. }) => self.link(&dest_url, span, true),
            _ => {}
        }
    }

    fn start_heading(&mut self, level: HeadingLevel, span: Span) {
        self.heading = Some(HeadingAcc {
            level: level as u8,
            span,
            text: String::new(),
        });
    }

    /// The first level-1 heading is the title; every other heading opens a
    /// section. Either way it ends the sections at its level or deeper, and a
    /// Purpose section that is still waiting for its paragraph.
    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        self.found.layout.headings.push((h.level, h.span));
        self.end_sections(h.level, h.span.start);
        self.settle_purpose();
        if h.level == 1 && self.found.title.is_none() {
            self.found.layout.title_anchor = Some(self.slugger.unique(&text));
            self.found.title = Some((text, h.span));
            return;
        }
        let line = self.source.line(h.span.start);
        if self.purpose == PurposeState::NotSeen && is_purpose_heading(&text) {
            self.purpose = PurposeState::Waiting(line);
        }
        let anchor = self.slugger.unique(&text);
        self.sections.push(Open {
            level: h.level,
            heading: text,
            anchor,
            line,
            span: h.span,
            end: self.source.text.len(),
            parent: self.open.last().copied(),
        });
        self.open.push(self.sections.len() - 1);
    }

    /// Ends the open sections at `level` or deeper where the next heading starts.
    fn end_sections(&mut self, level: u8, at: usize) {
        while let Some(&top) = self.open.last() {
            if self.sections[top].level < level {
                break;
            }
            self.sections[top].end = at;
            self.open.pop();
        }
    }

    fn start_code_block(&mut self, kind: CodeBlockKind<'_>, span: Span) {
        self.found.layout.code_blocks.push(span);
        self.code = Some(CodeAcc {
            span,
            info: match kind {
                CodeBlockKind::Fenced(info) => Some(info.to_string()),
                CodeBlockKind::Indented => None,
            },
            // The code is at most the block's text: one allocation.
            code: String::with_capacity(span.len()),
        });
    }

    /// A fenced block becomes a snippet of the sections open around it; an
    /// indented block stays layout only.
    fn end_code_block(&mut self) {
        if let Some(CodeAcc {
            span,
            info: Some(info),
            code,
        }) = self.code.take()
        {
            let path = self
                .open
                .iter()
                .map(|&i| self.sections[i].heading.clone())
                .collect();
            self.found
                .snippets
                .push(snippet(self.source, span, info, code, path));
        }
    }

    fn start_paragraph(&mut self) {
        if let PurposeState::Waiting(line) = self.purpose {
            self.purpose = PurposeState::InParagraph(line);
        }
    }

    /// The Purpose is the first paragraph after its heading, and only that.
    fn end_paragraph(&mut self) {
        if matches!(self.purpose, PurposeState::InParagraph(_)) {
            self.settle_purpose();
        }
    }

    /// Keeps the Purpose text gathered so far, once.
    fn settle_purpose(&mut self) {
        if let PurposeState::Waiting(line) | PurposeState::InParagraph(line) = self.purpose {
            self.found.purpose = Some((line, self.purpose_text.trim().to_string()));
            self.purpose = PurposeState::Done;
        }
    }

    /// Text is code inside a code block; elsewhere it is words of a heading
    /// or the Purpose, may hold literal backticks, and extends a text run.
    fn text(&mut self, t: &str, span: Span) {
        if let Some(c) = self.code.as_mut() {
            c.code.push_str(t);
            return;
        }
        self.inline_words(t);
        note_literal_backticks(
            &self.source.text,
            span,
            t,
            &mut self.found.layout.literal_backticks,
        );
        self.extend_text_run(span, t.contains('@'));
    }

    fn inline_code(&mut self, t: &str, span: Span) {
        self.found.layout.inline_code.push(span);
        self.inline_words(t);
    }

    /// Words for the heading or the Purpose paragraph being read, if any.
    fn inline_words(&mut self, t: &str) {
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(t);
        }
        if matches!(self.purpose, PurposeState::InParagraph(_)) {
            self.purpose_text.push_str(t);
        }
    }

    /// Text events that touch are one run: the parser splits text at a `*` or
    /// `[` that opens nothing, and an `@path` may straddle the split.
    fn extend_text_run(&mut self, span: Span, has_at: bool) {
        match self.run.as_mut() {
            Some((run, at)) if run.end == span.start => {
                *at |= has_at;
                run.end = span.end;
            }
            _ => {
                self.end_text_run();
                self.run = Some((span, has_at));
            }
        }
    }

    /// Scans the run of text that just ended for imports, if it has an `@`.
    fn end_text_run(&mut self) {
        if let Some((span, true)) = self.run.take() {
            scan_imports(self.source, span, &mut self.found.imports);
        }
    }

    fn link(&mut self, url: &str, span: Span, image: bool) {
        self.found.links.push(Link {
            url: url.to_string(),
            line: self.source.line(span.start),
            image,
            span,
        });
    }

    fn finish(mut self) -> Body {
        self.end_text_run();
        self.settle_purpose();
        self.found.sections = build_tree(self.sections);
        self.found
    }
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
