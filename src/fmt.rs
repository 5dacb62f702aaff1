//! `ruledoc fmt`: a minimal formatter that edits a document's own text and
//! keeps everything else byte for byte, as an agent reads it.
//!
//! It changes only: blank lines (one before and after each ATX heading,
//! fenced code block and list at the top level, runs of blank lines
//! collapsed to one, none at the end), trailing spaces and tabs (not a hard
//! line break's, never in code or raw HTML), the final newline (exactly
//! one), ATX heading spacing (`#   Title  ##` → `# Title`), list and
//! emphasis markers (`*`/`+` bullets → `-`, `__x__` → `**x**`, `_x_` →
//! `*x*`, dropped for the whole document when the rendering would differ),
//! and the order of the front matter's top-level keys ([`KEY_ORDER`]).
//! Every line it writes or adds ends as most lines of the file do (CRLF or
//! LF); the others keep their endings.
//!
//! It never escapes, re-renders, joins or splits a line of text, or touches
//! code. It leaves a document alone when the structural rules in
//! [`crate::lint::FMT_BLOCKERS`] find something (an unclosed fence, a nested
//! fence, leftover tool-call markup, stray backticks), when pulldown-cmark's
//! HTML before and after differs by more than whitespace between tags, and
//! when formatting the result again would change it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde_json::{Map, Value};

use crate::discover::Found;
use crate::load::Document;
use crate::parse::{front_matter_of, markdown_options, parse};
use crate::settings::Settings;
use crate::source::{LineIndex, SourceFile};

/// What formatting a document gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formatted {
    /// Already canonical.
    Unchanged,
    /// The canonical text.
    Changed(String),
    /// Formatting would change the rendering, or is not stable: left alone.
    /// Why, in one sentence.
    Refused(String),
}

/// Front-matter keys in the order fmt puts them; others follow in their order.
pub const KEY_ORDER: &[&str] = &[
    "name",
    "description",
    "tier",
    "kind",
    "purpose",
    "globs",
    "paths",
    "applyTo",
    "alwaysApply",
    "excludeAgent",
    "revision",
];

/// Format a document given as text alone, refusing as [`format_loaded`]
/// does (the structural rules read it as a `.md` file under default
/// settings).
pub fn format_document(text: &str) -> Formatted {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    let settings = SETTINGS.get_or_init(|| Settings::defaults(Path::new("/")));
    let found = Found {
        path: PathBuf::from("document.md"),
        abs: PathBuf::from("/document.md"),
        root: None,
        rel_path: None,
        output_rel: None,
        explicit: true,
        context: false,
    };
    let source = SourceFile::new(found.path.clone(), text.to_string());
    let doc = parse(&source, &settings.parse_options(&found));
    let document = Document {
        source: std::sync::Arc::new(source),
        doc,
    };
    format_loaded(&document, &found, settings)
}

/// Format a loaded document: refused when a rule of
/// [`crate::lint::FMT_BLOCKERS`] finds something, else [`format_text`].
pub fn format_loaded(document: &Document, found: &Found, settings: &Settings) -> Formatted {
    if let Some(d) = crate::lint::fmt_blockers(document, found, settings).first() {
        return Formatted::Refused(format!(
            "{} on line {}: {}",
            d.code, d.range.start.line, d.message
        ));
    }
    format_text(&document.source.text)
}

/// The minimal formatting of `text`, without the structural checks of
/// [`format_loaded`]: refused only when the rendering would change or the
/// result is not stable. An unclosed front matter is taken as body.
pub fn format_text(text: &str) -> Formatted {
    let bytes = text.as_bytes();
    if memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n')) {
        return Formatted::Refused(
            "it has bare CR line endings (old Mac style), which fmt leaves as they are".into(),
        );
    }
    let (front, body) = split(text);
    let front_out = match front {
        Some(fm) => reorder_front_matter(fm).unwrap_or_else(|| fm.to_string()),
        None => String::new(),
    };
    let nl = dominant_newline(text);
    let before = html(body);
    // Marker changes are checked as a whole: when the rendering differs
    // with them, the document is formatted without them.
    let body_out = [true, false]
        .into_iter()
        .map(|markers| format_body(body, nl, markers))
        .find(|out| html(out) == before);
    let Some(body_out) = body_out else {
        return Formatted::Refused("formatting would change how the document renders".into());
    };
    let out = format!("{front_out}{body_out}");
    if out == text {
        return Formatted::Unchanged;
    }
    let (_, again) = split(&out);
    let stable = [true, false]
        .into_iter()
        .map(|markers| format_body(again, nl, markers))
        .find(|o| html(o) == before)
        .is_some_and(|o| o == again);
    if !stable {
        return Formatted::Refused("formatting is not stable on this document".into());
    }
    Formatted::Changed(out)
}

/// `"\r\n"` when more lines end so than with a bare `"\n"`, else `"\n"`.
pub fn dominant_newline(text: &str) -> &'static str {
    let crlf = memchr::memmem::find_iter(text.as_bytes(), b"\r\n").count();
    let all = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    if crlf > all - crlf { "\r\n" } else { "\n" }
}

/// The body's HTML as pulldown-cmark renders it, with the options ruledoc
/// reads documents with, then again with footnotes on; whitespace-only text
/// between two tags that holds a line break is dropped, and so is trailing
/// whitespace (a line ending is all that can tell such renderings apart).
pub fn html(body: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(body, markdown_options()));
    out.push_str("\n<!-- footnotes -->\n");
    pulldown_cmark::html::push_html(
        &mut out,
        Parser::new_ext(body, markdown_options() | Options::ENABLE_FOOTNOTES),
    );
    // A last line of raw HTML ends the output with its line ending, or
    // without one: the final newline fmt adds is no difference.
    let squeezed = squeeze_between_tags(&out);
    squeezed.trim_end().to_string()
}

fn squeeze_between_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('>') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let ws = rest.len() - rest.trim_start().len();
        if ws > 0 && rest[ws..].starts_with('<') && rest[..ws].contains('\n') {
            rest = &rest[ws..];
        }
    }
    out.push_str(rest);
    out
}

/// One line of the body.
struct Line<'a> {
    /// Its text, without the line ending.
    text: &'a str,
    /// `"\r\n"`, `"\n"`, or `""` on a last line without one.
    ending: &'a str,
}

fn lines_of(text: &str) -> Vec<Line<'_>> {
    text.split_inclusive('\n')
        .map(|l| {
            let text = l.trim_end_matches('\n');
            let text = text.strip_suffix('\r').unwrap_or(text);
            Line {
                text,
                ending: &l[text.len()..],
            }
        })
        .collect()
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// What the block reading says about each line.
#[derive(Default, Clone)]
struct Marks {
    /// Written exactly as it is: code, raw HTML, a hard line break, a line
    /// break inside a code span or inline HTML.
    keep: bool,
    /// An ATX heading at the top level.
    heading: bool,
    /// A blank line goes before it, after it.
    blank_before: bool,
    blank_after: bool,
}

/// A bullet list as read: its depth, byte range and item marker offsets.
struct Bullets {
    depth: usize,
    start: usize,
    end: usize,
    markers: Vec<usize>,
}

fn format_body(body: &str, nl: &str, markers: bool) -> String {
    let lines = lines_of(body);
    if lines.is_empty() {
        return String::new();
    }
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for l in &lines {
        starts.push(at);
        at += l.text.len() + l.ending.len();
    }
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut marks = vec![Marks::default(); lines.len()];
    // Marker bytes to rewrite, all to the same length: offsets stay valid.
    let mut swaps: Vec<(usize, u8)> = Vec::new();
    let mut lists: Vec<Bullets> = Vec::new();
    let mut open_lists: Vec<Option<usize>> = Vec::new();
    let mut depth = 0usize;
    let keep_range = |marks: &mut [Marks], r: &std::ops::Range<usize>| {
        if r.end > r.start {
            for m in &mut marks[line_of(r.start)..=line_of(r.end - 1)] {
                m.keep = true;
            }
        }
    };
    // The lines holding a line break inside `r`: an inline span that runs on.
    let keep_breaks = |marks: &mut [Marks], r: &std::ops::Range<usize>| {
        for i in memchr::memchr_iter(b'\n', &body.as_bytes()[r.clone()]) {
            marks[line_of(r.start + i)].keep = true;
        }
    };
    let blank_before = |marks: &mut [Marks], start: usize| {
        let first = line_of(start);
        if first > 0 && !is_blank(lines[first - 1].text) {
            marks[first].blank_before = true;
        }
    };
    let blank_after = |marks: &mut [Marks], start: usize, end: usize| {
        let first = line_of(start);
        let mut last = line_of(end.max(start + 1) - 1);
        while last > first && is_blank(lines[last].text) {
            last -= 1;
        }
        if last + 1 < lines.len() && !is_blank(lines[last + 1].text) {
            marks[last].blank_after = true;
        }
    };
    let blank_around = |marks: &mut [Marks], r: &std::ops::Range<usize>| {
        blank_before(marks, r.start);
        blank_after(marks, r.start, r.end);
    };
    // Where the last content read ends: a list's range runs on over the
    // link reference definitions after it, its content does not.
    let mut content_end = 0usize;
    let mut top_list_start = 0usize;
    let bytes = body.as_bytes();
    // Math (`$…$`, `$$…$$`) as GitHub renders it: its `_` are LaTeX.
    let math: Vec<std::ops::Range<usize>> =
        Parser::new_ext(body, markdown_options() | Options::ENABLE_MATH)
            .into_offset_iter()
            .filter(|(e, _)| matches!(e, Event::InlineMath(_) | Event::DisplayMath(_)))
            .map(|(_, r)| r)
            .collect();
    for (event, r) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        if !matches!(
            event,
            Event::Start(Tag::List(_) | Tag::Item) | Event::End(TagEnd::List(_) | TagEnd::Item)
        ) {
            content_end = r.end;
        }
        match event {
            Event::Start(tag) => {
                match &tag {
                    Tag::CodeBlock(kind) => {
                        keep_range(&mut marks, &r);
                        if depth == 0 && matches!(kind, CodeBlockKind::Fenced(_)) {
                            blank_around(&mut marks, &r);
                        }
                    }
                    Tag::HtmlBlock => keep_range(&mut marks, &r),
                    Tag::Heading { .. } if depth == 0 => {
                        let line = line_of(r.start);
                        if lines[line].text.trim_start_matches(' ').starts_with('#') {
                            marks[line].heading = true;
                            blank_around(&mut marks, &r);
                        }
                    }
                    Tag::List(first) => {
                        if depth == 0 {
                            blank_before(&mut marks, r.start);
                            top_list_start = r.start;
                        }
                        open_lists.push(first.is_none().then(|| {
                            lists.push(Bullets {
                                depth,
                                start: r.start,
                                end: r.end,
                                markers: Vec::new(),
                            });
                            lists.len() - 1
                        }));
                    }
                    Tag::Item => {
                        if let Some(Some(i)) = open_lists.last() {
                            lists[*i].markers.push(r.start);
                        }
                    }
                    Tag::Emphasis | Tag::Strong => {
                        let n = if matches!(tag, Tag::Strong) { 2 } else { 1 };
                        let (open, close) = (&body[r.start..], &body[..r.end]);
                        let under = "__"[..n].to_string();
                        if r.end - r.start > 2 * n
                            && open.starts_with(&under)
                            && close.ends_with(&under)
                            && underscores_are_markup(body, &r, n, &math)
                        {
                            for k in 0..n {
                                swaps.push((r.start + k, b'*'));
                                swaps.push((r.end - 1 - k, b'*'));
                            }
                        }
                    }
                    _ => {}
                }
                if is_container(&tag) {
                    depth += 1;
                }
            }
            Event::End(end) => {
                if matches!(end, TagEnd::List(_)) {
                    open_lists.pop();
                }
                if matches!(
                    end,
                    TagEnd::BlockQuote(_)
                        | TagEnd::List(_)
                        | TagEnd::Item
                        | TagEnd::FootnoteDefinition
                        | TagEnd::Table
                ) {
                    depth -= 1;
                }
                if matches!(end, TagEnd::List(_)) && depth == 0 {
                    blank_after(
                        &mut marks,
                        top_list_start,
                        content_end.max(top_list_start + 1),
                    );
                }
            }
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => keep_breaks(&mut marks, &r),
            Event::Html(_) => keep_range(&mut marks, &r),
            Event::HardBreak => marks[line_of(r.start)].keep = true,
            _ => {}
        }
    }
    // Bullets: one marker char per list, not next to another list at its
    // depth (a changed char would join them).
    for (i, list) in lists.iter().enumerate() {
        let next_to = |j: usize| {
            lists.get(j).is_some_and(|o| {
                o.depth == list.depth && {
                    let (a, b) = if o.start < list.start {
                        (o, list)
                    } else {
                        (list, o)
                    };
                    a.end <= b.start && body[a.end..b.start].trim().is_empty()
                }
            })
        };
        if (i > 0 && next_to(i - 1)) || next_to(i + 1) {
            continue;
        }
        let Some(&first) = list.markers.first() else {
            continue;
        };
        let c = bytes[first];
        if matches!(c, b'*' | b'+') && list.markers.iter().all(|&m| bytes[m] == c) {
            swaps.extend(list.markers.iter().map(|&m| (m, b'-')));
        }
    }
    let marked;
    let text: &str = if markers && !swaps.is_empty() {
        let mut b = body.as_bytes().to_vec();
        for (at, to) in swaps {
            b[at] = to;
        }
        // Only ASCII bytes were replaced by ASCII bytes.
        marked = String::from_utf8(b).unwrap_or_else(|_| body.to_string());
        &marked
    } else {
        body
    };
    let new_lines = lines_of(text);
    let mut out = String::with_capacity(body.len() + 16);
    // Whether the last line written is blank (no blank at the very start
    // is added).
    let mut blank = true;
    let mut first = true;
    let mut content_end = 0;
    for (i, (line, m)) in new_lines.iter().zip(&marks).enumerate() {
        if m.blank_before && !blank {
            out.push_str(nl);
        }
        if m.keep {
            out.push_str(line.text);
            out.push_str(if line.ending.is_empty() {
                nl
            } else {
                line.ending
            });
            blank = false;
            content_end = out.len();
        } else if is_blank(line.text) {
            if !blank || (first && i == 0) {
                out.push_str(if line.ending.is_empty() {
                    nl
                } else {
                    line.ending
                });
            }
            blank = true;
        } else {
            let new = if m.heading {
                heading(line.text)
            } else {
                let trimmed = line.text.trim_end_matches([' ', '\t']);
                // `a\\ ` trimmed would end in a backslash: a hard break.
                if trimmed.ends_with('\\') {
                    line.text.to_string()
                } else {
                    trimmed.to_string()
                }
            };
            // A rewritten line keeps its own ending; only a last line
            // without one gets the file's.
            let ending = line.ending;
            out.push_str(&new);
            out.push_str(if ending.is_empty() { nl } else { ending });
            blank = false;
            content_end = out.len();
        }
        first = false;
        if m.blank_after && i + 1 < new_lines.len() && !is_blank(new_lines[i + 1].text) {
            out.push_str(nl);
            blank = true;
        }
    }
    // No blank line at the end, and exactly one line ending.
    out.truncate(content_end);
    out
}

/// Whether the `_`/`__` delimiters of the emphasis at `r` (`n` wide) are
/// only emphasis to every reader, so that `*` says the same: not inside
/// math (LaTeX), not inside a bare URL (GitHub links `https://x/_a_/` whole),
/// and not a dunder name (`__init__`, `_private_.py`), which the model
/// reading the raw text knows by its underscores.
fn underscores_are_markup(
    body: &str,
    r: &std::ops::Range<usize>,
    n: usize,
    math: &[std::ops::Range<usize>],
) -> bool {
    if math.iter().any(|m| m.start <= r.start && r.end <= m.end) {
        return false;
    }
    // Python's dunder names, which prose quotes bare (`the __main__ module`).
    const DUNDERS: &[&str] = &[
        "init",
        "main",
        "name",
        "file",
        "dict",
        "str",
        "repr",
        "call",
        "new",
        "all",
        "doc",
        "version",
        "slots",
        "class",
        "eq",
        "hash",
        "len",
        "iter",
        "next",
        "enter",
        "exit",
        "getattr",
        "setattr",
        "getitem",
        "setitem",
        "module",
        "builtins",
        "future",
        "pycache",
        "post_init",
        "init_subclass",
        "aenter",
        "aexit",
        "await",
        "del",
        "bool",
        "contains",
    ];
    let inner = &body[r.start + n..r.end - n];
    if n == 2 && (DUNDERS.contains(&inner) || inner.contains('_')) {
        return false;
    }
    let after = body[r.end..].chars().next();
    if after == Some('.')
        && body[r.end + 1..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    {
        return false;
    }
    // The whitespace-delimited word the emphasis sits in, looked for within
    // a URL's length (so that deeply nested emphasis stays linear).
    const URL: usize = 2048;
    let mut from = r.start.saturating_sub(URL);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (r.end + URL).min(body.len());
    while !body.is_char_boundary(to) {
        to -= 1;
    }
    let start = body[from..r.start]
        .rfind(char::is_whitespace)
        .map_or(from, |i| from + i + 1);
    let end = body[r.end..to]
        .find(char::is_whitespace)
        .map_or(to, |i| r.end + i);
    let word = body[start..end].trim_start_matches(['(', '<', '[', '"', '\'']);
    !(word.contains("://") || word.starts_with("www."))
}

fn is_container(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_) | Tag::Table(_)
    )
}

/// An ATX heading line with one space after its hashes, no indentation,
/// and no closing hashes or trailing spaces.
fn heading(line: &str) -> String {
    let t = line.trim_start_matches(' ');
    let hashes = t.len() - t.trim_start_matches('#').len();
    let content = t[hashes..].trim_matches([' ', '\t']);
    let closed = content.trim_end_matches('#');
    let content = if closed.is_empty() {
        ""
    } else if closed.ends_with([' ', '\t']) {
        closed.trim_end_matches([' ', '\t'])
    } else {
        content
    };
    if content.is_empty() {
        t[..hashes].to_string()
    } else {
        format!("{} {content}", &t[..hashes])
    }
}

/// The front-matter block (delimiters included) and the body after it.
fn split(text: &str) -> (Option<&str>, &str) {
    let lines = LineIndex::new(text);
    match front_matter_of(text, &lines) {
        Some(fm) if fm.is_closed() => (Some(&text[..fm.span.end]), &text[fm.span.end..]),
        _ => (None, text),
    }
}

/// The block with its top-level keys in canonical order, each key moved with
/// its value lines and the comments above it. `None` when the YAML does not
/// read back as the same mapping (or cannot be read at all).
pub fn reorder_front_matter(block: &str) -> Option<String> {
    let lines = LineIndex::new(block);
    let fm = front_matter_of(block, &lines)?;
    let data = fm.data.as_ref().filter(|_| fm.error.is_none())?;
    let yaml = &block[fm.yaml_span.start..fm.yaml_span.end];
    let entries = entries(yaml)?;
    let mut sorted = entries.clone();
    sorted.sort_by_key(|(key, _)| {
        KEY_ORDER
            .iter()
            .position(|k| k == key)
            .unwrap_or(KEY_ORDER.len())
    });
    if sorted == entries {
        return Some(block.to_string());
    }
    let new_yaml: String = sorted.iter().map(|(_, text)| text.as_str()).collect();
    let reread: Map<String, Value> = match serde_saphyr::from_str::<Value>(&new_yaml) {
        Ok(Value::Object(m)) => m,
        _ => return None,
    };
    if &reread != data {
        return None;
    }
    Some(format!(
        "{}{new_yaml}{}",
        &block[..fm.yaml_span.start],
        &block[fm.yaml_span.end..]
    ))
}

/// Top-level entries: (key, text including preceding comments and the value's
/// continuation lines). `None` for YAML whose top level is not plain keys.
fn entries(yaml: &str) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut pending = String::new();
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let top = !content.starts_with([' ', '\t']) && !content.is_empty();
        if top && content.starts_with('#') {
            pending.push_str(line);
            continue;
        }
        if top && !content.starts_with('-') {
            let (key, _) = content.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']).to_string();
            // Anchors and aliases tie entries to their order: leave them be.
            if content.contains(" &") || content.contains(" *") {
                return None;
            }
            out.push((key, std::mem::take(&mut pending) + line));
            continue;
        }
        match out.last_mut() {
            Some((_, text)) => {
                text.push_str(&pending);
                pending.clear();
                text.push_str(line);
            }
            None if content.trim().is_empty() || content.trim_start().starts_with('#') => {
                pending.push_str(line)
            }
            None => return None,
        }
    }
    if let Some((_, text)) = out.last_mut() {
        text.push_str(&pending);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_with_their_values_and_comments() {
        let block = "---\nglobs:\n  - \"*.rs\"\n# the rule's tier\ntier: 2\ndescription: x\n---\n";
        let out = reorder_front_matter(block).unwrap();
        assert_eq!(
            out,
            "---\ndescription: x\n# the rule's tier\ntier: 2\nglobs:\n  - \"*.rs\"\n---\n"
        );
    }

    #[test]
    fn broken_or_aliased_front_matter_is_left_alone() {
        assert_eq!(
            reorder_front_matter("---\nglobs: **/*.ts\ndescription: x\n---\n"),
            None
        );
        assert_eq!(reorder_front_matter("---\nb: &x 1\na: *x\n---\n"), None);
    }

    #[test]
    fn only_blank_lines_whitespace_headings_and_markers_change() {
        let text = "---\ntier: 2\ndescription: d\n---\n#   T  ##\n* a\n* b\n\n\n\n```rust\nlet   x = 1;   \n```\nText  \nmore\n__b__ and _e_   \n\n";
        let Formatted::Changed(out) = format_document(text) else {
            panic!("expected a change")
        };
        assert_eq!(
            out,
            "---\ndescription: d\ntier: 2\n---\n# T\n\n- a\n- b\n\n```rust\nlet   x = 1;   \n```\n\nText  \nmore\n**b** and *e*\n"
        );
        assert_eq!(format_document(&out), Formatted::Unchanged);
    }

    #[test]
    fn hash_without_space_is_no_heading() {
        assert_eq!(format_document("#Title\ntext\n"), Formatted::Unchanged);
    }

    #[test]
    fn markers_that_would_join_lists_stay() {
        // `*` next to `-`: two lists; one char would make them one.
        let text = "* a\n\n- b\n";
        assert_eq!(format_document(text), Formatted::Unchanged);
    }

    #[test]
    fn crlf_lines_written_are_crlf() {
        let text = "#  T\r\ntext  \r\nmore\r\n\r\n\r\nend \r\n";
        let Formatted::Changed(out) = format_document(text) else {
            panic!("expected a change")
        };
        assert_eq!(out, "# T\r\n\r\ntext  \r\nmore\r\n\r\nend\r\n");
    }

    #[test]
    fn what_readers_other_than_commonmark_see_is_kept() {
        let changed = |t: &str| match format_text(t) {
            Formatted::Changed(out) => out,
            Formatted::Unchanged => t.to_string(),
            Formatted::Refused(why) => panic!("refused: {why}"),
        };
        // GitHub links bare URLs whole; math is LaTeX; dunders are names.
        let url = "See https://example.com/_foo_/bar and www.ex.com/__init__.py here.\n";
        assert_eq!(changed(url), url);
        let math = "Inline $x = _a_ + _b_$ math.\n";
        assert_eq!(changed(math), math);
        let dunder = "Edit __init__.py and the __main__ module, and _private_.py.\n";
        assert_eq!(changed(dunder), dunder);
        // Emphasis elsewhere is still made consistent.
        assert_eq!(changed("A __bold__ word.\n"), "A **bold** word.\n");
    }

    #[test]
    fn rewritten_lines_keep_their_own_endings() {
        let Formatted::Changed(out) = format_text("x\r\ny\r\n\r\n* a\n* b\n") else {
            panic!("changed")
        };
        assert_eq!(out, "x\r\ny\r\n\r\n- a\n- b\n");
        assert!(matches!(
            format_text("text  \r# T\rmore\r"),
            Formatted::Refused(_)
        ));
    }

    #[test]
    fn dominant_ending() {
        assert_eq!(dominant_newline("a\r\nb\r\nc\n"), "\r\n");
        assert_eq!(dominant_newline("a\r\nb\nc\n"), "\n");
    }
}
