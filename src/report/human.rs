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

/// One finding, rendered from its document's text (for `Diagnostic::rendered`).
pub fn prerender(source: &SourceFile, d: &Diagnostic, opts: &HumanOptions) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    render(&renderer, d, &source.text, &source.lines)
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::NOTE,
    }
}

fn render(renderer: &Renderer, d: &Diagnostic, text: &str, index: &LineIndex) -> String {
    let lines = index.line_count();
    let first = d
        .labels
        .iter()
        .map(|l| l.line)
        .chain([d.line])
        .min()
        .unwrap_or(d.line)
        .min(lines);
    let last = d
        .labels
        .iter()
        .map(|l| l.line)
        .chain([d.end_line])
        .max()
        .unwrap_or(d.end_line)
        .clamp(first, lines);
    let start = index.line_start(first);
    let end = index.line_span(text, last).end;
    if d.span.end > text.len() || d.span.start < start || start > end {
        return render_without_source(renderer, d);
    }
    let excerpt = &text[start..end];
    let clip = |s: crate::source::Span| {
        (s.start.saturating_sub(start)).min(excerpt.len())
            ..(s.end.saturating_sub(start)).min(excerpt.len())
    };
    let mut snippet = Snippet::source(excerpt)
        .line_start(first)
        .path(d.path.as_str())
        .annotation(AnnotationKind::Primary.span(clip(d.span)));
    for l in &d.labels {
        if l.span.start >= start && l.span.end <= end {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(clip(l.span))
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
