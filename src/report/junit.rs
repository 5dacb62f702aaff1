//! JUnit XML: one test case per document; error-severity findings fail it.

use std::io::{self, Write};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::snippets::{SnippetOutcome, Status};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut by_path: std::collections::BTreeMap<&str, Vec<&Diagnostic>> =
        std::collections::BTreeMap::new();
    for d in report.diagnostics {
        by_path.entry(d.path.as_str()).or_default().push(d);
    }
    let mut paths: Vec<&str> = report.documents.iter().map(String::as_str).collect();
    for p in by_path.keys() {
        if !paths.contains(p) {
            paths.push(p);
        }
    }
    let failures = paths
        .iter()
        .filter(|p| {
            by_path
                .get(*p)
                .is_some_and(|ds| ds.iter().any(|d| d.severity == Severity::Error))
        })
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="ruledoc" tests="{}" failures="{failures}" errors="0">"#,
        paths.len()
    )?;
    writeln!(
        out,
        r#"  <testsuite name="ruledoc lint" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
        paths.len()
    )?;
    for path in paths {
        let diags = by_path.get(path).map(Vec::as_slice).unwrap_or(&[]);
        write!(
            out,
            r#"    <testcase name="{}" classname="ruledoc.lint" file="{}""#,
            xml(path),
            xml(path)
        )?;
        if diags.is_empty() {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        let errors: Vec<&&Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let listing = |ds: &mut dyn Iterator<Item = &&Diagnostic>| {
            ds.map(|d| {
                format!(
                    "{}:{}:{}: {} {}: {}",
                    d.path,
                    d.line(),
                    d.column(),
                    d.code,
                    d.severity,
                    d.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
        };
        if !errors.is_empty() {
            let first = errors[0];
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                first.code,
                xml(&format!(
                    "{} error(s); first: {}",
                    errors.len(),
                    first.message
                )),
                xml(&listing(&mut errors.iter().copied()))
            )?;
        }
        let others: Vec<&Diagnostic> = diags
            .iter()
            .copied()
            .filter(|d| d.severity != Severity::Error)
            .collect();
        if !others.is_empty() {
            writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml(&listing(&mut others.iter()))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    if let Some(snippets) = report.snippets {
        write_snippets(snippets, out)?;
    }
    writeln!(out, "</testsuites>")
}

/// One test case per snippet: failed, skipped (ignored, or its checker is
/// missing), or passed.
fn write_snippets(snippets: &[SnippetOutcome], out: &mut dyn Write) -> io::Result<()> {
    let failures = snippets
        .iter()
        .filter(|s| s.status == Status::Failed)
        .count();
    let skipped = snippets
        .iter()
        .filter(|s| matches!(s.status, Status::Skipped | Status::Unchecked))
        .count();
    writeln!(
        out,
        r#"  <testsuite name="ruledoc snippets" tests="{}" failures="{failures}" errors="0" skipped="{skipped}">"#,
        snippets.len()
    )?;
    for s in snippets {
        write!(
            out,
            r#"    <testcase name="{}:{} ({})" classname="{}" file="{}" line="{}""#,
            xml(&s.path),
            s.line,
            xml(&s.lang),
            xml(&s.path),
            xml(&s.path),
            s.line
        )?;
        let detail = s.detail.as_deref().unwrap_or("");
        match s.status {
            Status::Passed => writeln!(out, "/>")?,
            Status::Failed => writeln!(
                out,
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                xml(detail),
                xml(detail)
            )?,
            Status::Skipped | Status::Unchecked => writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                xml(detail)
            )?,
        }
    }
    writeln!(out, "  </testsuite>")
}

/// Escape text and attribute values; drop characters XML 1.0 cannot hold.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}
