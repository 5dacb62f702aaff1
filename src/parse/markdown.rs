//! One pass over pulldown-cmark's events with byte offsets: headings become the
//! section tree, fenced blocks become snippets, and the layout of code, HTML and
//! literal backticks is recorded for the checks that read raw text.
//!
//! Everything is read from the events, never from the raw text of a line: a
//! line that looks like a heading, a label or an import inside a code block
//! or a code span is code.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::above::{Kind, LabelLine, Siblings, html_block_kind};
use super::fenced::{self, Block};
use super::slug::Slugger;
use crate::model::{Container, Import, Layout, Link, Section, Snippet};
use crate::source::{SourceFile, Span};

/// What one walk over a document's Markdown body finds.
#[derive(Debug, Default)]
pub(super) struct Body {
    pub title: Option<(String, Span)>,
    pub sections: Vec<Section>,
    pub snippets: Vec<Snippet>,
    /// Indented code blocks, as snippets with no info string.
    pub indented: Vec<Snippet>,
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
    /// The text outside code spans, where a marker may be read.
    plain: String,
}

/// A paragraph between its start and end, reading its current line for a
/// label. In a tight list the parser gives an item's text with no paragraph
/// events: such a paragraph is `implicit` and ends where the next block
/// event comes.
struct ParagraphAcc {
    start: usize,
    end: usize,
    implicit: bool,
    line: LabelLine,
}

/// A code block between its start and end events.
enum Code {
    /// A fenced block, gathering its code.
    Fenced(Block),
    /// An indented block, gathering its code: layout for the lint, a
    /// snippet for the verifier in an mdBook chapter only.
    Indented(Span, String, Option<Container>),
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
    code: Option<Code>,
    paragraph: Option<ParagraphAcc>,
    /// The list items and block quotes open around the current event.
    containers: Vec<Container>,
    /// The blocks read so far in the innermost container, for the label above a fence.
    siblings: Siblings,
    /// Tables open: their cells hold no paragraph.
    tables: usize,
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
            paragraph: None,
            containers: Vec::new(),
            siblings: Siblings::default(),
            tables: 0,
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
        if self.code.is_none() {
            self.block_structure(&event, span);
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => self.start_heading(level, span),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.start_code_block(kind, span),
            Event::End(TagEnd::CodeBlock) => self.end_code_block(span),
            Event::Start(Tag::Paragraph) => self.start_paragraph(),
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Text(t) => self.text(&t, span),
            Event::Code(t) => self.inline_code(&t, span),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = self.heading.as_mut() {
                    h.plain.push(' ');
                }
                self.inline_words(" ");
            }
            Event::Start(Tag::HtmlBlock)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => self.found.layout.html.push(span),
            Event::Start(Tag::Link { dest_url, .. }) => self.link(&dest_url, span, false),
            Event::Start(Tag::Image { dest_url, .. }) => self.link(&dest_url, span, true),
            _ => {}
        }
    }

    /// Keeps track of the blocks around the event: the containers open, the
    /// paragraph being read and the blocks before it, so that a fence knows
    /// what lies above it and which container can end it.
    fn block_structure(&mut self, event: &Event<'_>, span: Span) {
        if is_inline(event) {
            if self.heading.is_some() || self.tables > 0 {
                return;
            }
            let p = self.paragraph.get_or_insert_with(|| ParagraphAcc {
                start: span.start,
                end: span.end,
                implicit: true,
                line: LabelLine::default(),
            });
            p.end = p.end.max(span.end);
            match event {
                Event::SoftBreak | Event::HardBreak => p.line.next_line(),
                _ => p.line.event(event, span),
            }
            return;
        }
        if let Some(p) = self.paragraph.take_if(|p| p.implicit) {
            let span = Span::new(p.start, p.end);
            self.end_paragraph_block(p, span);
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                self.paragraph = Some(ParagraphAcc {
                    start: span.start,
                    end: span.end,
                    implicit: false,
                    line: LabelLine::default(),
                });
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = self.paragraph.take() {
                    self.end_paragraph_block(p, span);
                }
            }
            Event::Start(Tag::Item) => self.enter(Container::ListItem),
            Event::Start(Tag::BlockQuote(_)) => self.enter(Container::BlockQuote),
            Event::End(TagEnd::Item) => {
                self.containers.pop();
                self.siblings.clear();
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.containers.pop();
                self.siblings.leave_quote();
            }
            Event::Start(Tag::List(_) | Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::List(_) | TagEnd::FootnoteDefinition) => self.siblings.clear(),
            Event::Start(Tag::Table(_)) => self.tables += 1,
            Event::End(TagEnd::Table) => {
                self.tables = self.tables.saturating_sub(1);
                self.siblings.push(Kind::Other, span);
            }
            Event::End(TagEnd::HtmlBlock) => {
                let kind = html_block_kind(&self.source.text[span.start..span.end]);
                self.siblings.push(kind, span);
            }
            Event::Rule => self.siblings.push(Kind::Other, span),
            _ => {}
        }
    }

    fn enter(&mut self, container: Container) {
        self.containers.push(container);
        self.siblings.clear();
    }

    fn end_paragraph_block(&mut self, p: ParagraphAcc, span: Span) {
        self.siblings.push(p.line.label(), span);
    }

    fn start_heading(&mut self, level: HeadingLevel, span: Span) {
        self.heading = Some(HeadingAcc {
            level: level as u8,
            span,
            text: String::new(),
            plain: String::new(),
        });
    }

    /// The first level-1 heading is the title; every other heading opens a
    /// section. Either way it ends the sections at its level or deeper, and a
    /// Purpose section that is still waiting for its paragraph.
    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        self.siblings.push(Kind::Heading(h.plain), h.span);
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
        self.code = Some(match kind {
            CodeBlockKind::Fenced(info) => Code::Fenced(Block {
                span,
                info: info.to_string(),
                // The code is at most the block's text: one allocation.
                code: String::with_capacity(span.len()),
                code_end: None,
                container: self.containers.last().copied(),
            }),
            CodeBlockKind::Indented => {
                Code::Indented(span, String::new(), self.containers.last().copied())
            }
        });
    }

    /// A fenced block becomes a snippet of the sections open around it,
    /// labelled by the blocks above it; an indented block becomes one of
    /// [`Body::indented`], which no lint rule reads.
    fn end_code_block(&mut self, span: Span) {
        let path = || {
            self.open
                .iter()
                .map(|&i| self.sections[i].heading.clone())
                .collect()
        };
        match self.code.take() {
            Some(Code::Fenced(block)) => {
                let section = path();
                let above = self
                    .siblings
                    .above(self.source, self.source.line(block.span.start));
                self.found
                    .snippets
                    .push(fenced::snippet(self.source, block, section, above));
            }
            Some(Code::Indented(start, code, container)) => {
                let section = path();
                let line = self.source.line(start.start);
                let above = self.siblings.above(self.source, line);
                let end_line = self
                    .source
                    .line(span.end.saturating_sub(1).max(start.start));
                self.found.indented.push(fenced::indented(
                    start,
                    span,
                    code,
                    section,
                    above,
                    container,
                    (line, end_line),
                ));
            }
            None => {}
        }
        self.siblings.push(Kind::Other, span);
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
        if let Some(code) = self.code.as_mut() {
            match code {
                Code::Fenced(block) => {
                    block.code.push_str(t);
                    block.code_end = Some(span.end);
                }
                Code::Indented(_, text, _) => text.push_str(t),
            }
            return;
        }
        if let Some(h) = self.heading.as_mut() {
            h.plain.push_str(t);
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
    for (i, _) in t.match_indices('@') {
        // Whitespace or the start of a line (block-quote markers aside)
        // before the `@`, in the source: text just after a code span or
        // emphasis (`` `x`@a.md ``) is no import.
        let at = span.start + i;
        let line = &source.text[source.lines.line_start(source.line(at))..at];
        let starts_token = line.ends_with(char::is_whitespace)
            || line
                .chars()
                .all(|c| c == '>' || c == '\u{feff}' || c.is_whitespace());
        if starts_token {
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
    }
}

/// Events that belong to a paragraph or heading's text, not to the block structure.
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => true,
        Event::Html(_) | Event::DisplayMath(_) | Event::Rule => false,
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
