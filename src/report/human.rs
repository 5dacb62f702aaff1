//! For people: each finding with its source line underlined, as rustc shows
//! it (annotate-snippets, with rustc's layout), then a help line, and the
//! fix with the flag that applies it.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Report;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::source::LineIndex;

/// How human output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Style with ANSI escapes; plain text when off.
    pub color: bool,
}

/// Write every finding of `report`, each with its source lines when its
/// document's text came with it, else by position only. Findings are
/// rendered in parallel, in chunks, and written in order.
pub(super) fn write(report: &Report, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for chunk in report.diagnostics.chunks(4096) {
        let rendered: Vec<String> = chunk.par_iter().map(|d| render_one(&renderer, d)).collect();
        for text in rendered {
            writeln!(out, "{text}")?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// One finding as the human report shows it, without the blank line that
/// follows each finding there (watch mode prints findings one by one). A
/// finding without its document's text, or on a line over 4,096 bytes, is
/// shown by position only (`message (path:line:column)`).
pub fn render_finding(d: &Diagnostic, opts: &HumanOptions) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    render_one(&renderer, d)
}

fn render_one(renderer: &Renderer, d: &Diagnostic) -> String {
    match &d.source {
        Some(source) => render(renderer, d, &source.text, &source.lines),
        None => render_without_source(renderer, d),
    }
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::NOTE,
    }
}

/// Lines longer than this (in bytes) are not drawn under a finding: 4 KiB.
const LONG_LINE: usize = 4096;

fn render(renderer: &Renderer, d: &Diagnostic, text: &str, index: &LineIndex) -> String {
    let lines = index.line_count();
    let (start, end) = (d.range.start, d.range.end);
    let first = d
        .labels
        .iter()
        .map(|l| l.range.start.line)
        .chain([start.line])
        .min()
        .unwrap_or(start.line);
    let last = d
        .labels
        .iter()
        .map(|l| l.range.end.line)
        .chain([end.line])
        .max()
        .unwrap_or(end.line);
    if start.line == 0 || start.line > lines || first == 0 {
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
    let range = |r: &crate::source::Range| {
        let a = offset(r.start.line, r.start.column);
        let b = offset(r.end.line, r.end.column).max(a);
        a..b
    };
    let mut snippet = Snippet::source(excerpt)
        .line_start(first)
        .path(d.path.as_str())
        .annotation(AnnotationKind::Primary.span(range(&d.range)));
    for l in &d.labels {
        if l.range.start.line >= first && l.range.end.line <= last {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(range(&l.range))
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
            Level::HELP.secondary_title(fix_title(fix)),
        ));
    }
    renderer.render(&groups)
}

/// How a fix is offered: by the flag that applies it.
fn fix_title(fix: &Fix) -> String {
    match fix.applicability {
        Applicability::Safe => format!("fixable with --fix: {}", fix.message),
        Applicability::Unsafe => {
            format!("fixable with --fix --unsafe-fixes: {}", fix.message)
        }
        Applicability::DisplayOnly => format!("suggested fix: {}", fix.message),
    }
}

fn render_without_source(renderer: &Renderer, d: &Diagnostic) -> String {
    let title = format!("{} ({}:{}:{})", d.message, d.path, d.line(), d.column());
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
