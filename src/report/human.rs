//! For people: each finding with its source line underlined, as rustc shows
//! it (annotate-snippets), then a help line.

use std::collections::HashMap;
use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineIndex, SourceFile};

#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    pub color: bool,
}

pub fn write(report: &Report, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Files are read again, once each, for the lines shown: the documents
    // themselves were dropped as soon as they were checked.
    let mut files: HashMap<&str, Option<(String, LineIndex)>> = HashMap::new();
    for d in report.diagnostics {
        if let Some(text) = &d.rendered {
            writeln!(out, "{text}")?;
            writeln!(out)?;
            continue;
        }
        let file = files.entry(d.path.as_str()).or_insert_with(|| {
            let text = std::fs::read_to_string(&d.path).ok()?;
            let index = LineIndex::new(&text);
            Some((text, index))
        });
        let rendered = match file {
            Some((text, index)) => render(&renderer, d, text, index),
            None => render_without_source(&renderer, d),
        };
        writeln!(out, "{rendered}")?;
        writeln!(out)?;
    }
    Ok(())
}

/// One finding, rendered from its document's text (for `Diagnostic::rendered`),
/// or without source lines when the text is not at hand.
pub fn prerender(source: Option<&SourceFile>, d: &Diagnostic, opts: &HumanOptions) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    match source {
        Some(source) => render(&renderer, d, &source.text, &source.lines),
        None => render_without_source(&renderer, d),
    }
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::NOTE,
    }
}

/// Lines longer than this (in bytes) are not drawn under a finding.
const LONG_LINE: usize = 4096;

fn render(renderer: &Renderer, d: &Diagnostic, text: &str, index: &LineIndex) -> String {
    let lines = index.line_count();
    let first = d
        .labels
        .iter()
        .map(|l| l.line)
        .chain([d.line])
        .min()
        .unwrap_or(d.line);
    let last = d
        .labels
        .iter()
        .map(|l| l.end_line)
        .chain([d.end_line])
        .max()
        .unwrap_or(d.end_line);
    if d.line == 0 || d.line > lines || first == 0 {
        return render_without_source(renderer, d);
    }
    let last = last.clamp(first, lines);
    let start = index.line_start(first);
    let end = index.line_span(text, last).end;
    let excerpt = &text[start..end];
    // A line too long to show (minified text, a table on one line): the
    // position alone. Drawing it would cost its length for every finding on
    // it, and print it as many times.
    if excerpt.len() > LONG_LINE && excerpt.split('\n').any(|l| l.len() > LONG_LINE) {
        return render_without_source(renderer, d);
    }
    // Offsets from lines and columns, so that findings made without the
    // text at hand (compile errors) are placed the same way.
    let offset = |line: usize, column: usize| -> usize {
        let line = line.clamp(first, last);
        let span = index.line_span(text, line);
        let content = &text[span.start..span.end];
        let within = content
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(content.len());
        span.start + within - start
    };
    let range = |(l, c): (usize, usize), (el, ec): (usize, usize)| {
        let a = offset(l, c);
        let b = offset(el, ec).max(a);
        a..b
    };
    let mut snippet = Snippet::source(excerpt)
        .line_start(first)
        .path(d.path.as_str())
        .annotation(
            AnnotationKind::Primary.span(range((d.line, d.column), (d.end_line, d.end_column))),
        );
    for l in &d.labels {
        if l.line >= first && l.end_line <= last {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(range((l.line, l.column), (l.end_line, l.end_column)))
                    .label(l.message.as_str()),
            );
        }
    }
    let mut groups = vec![
        level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.code)
            .element(snippet),
    ];
    if let Some(help) = &d.help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    if let Some(fix) = &d.fix {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(format!("fixable with --fix: {}", fix.message)),
        ));
    }
    renderer.render(&groups)
}

fn render_without_source(renderer: &Renderer, d: &Diagnostic) -> String {
    let title = format!("{} ({}:{}:{})", d.message, d.path, d.line, d.column);
    let mut groups = vec![Group::with_title(
        level(d.severity).primary_title(title).id(d.code),
    )];
    if let Some(help) = &d.help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    renderer.render(&groups)
}
