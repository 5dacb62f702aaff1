//! `{"diagnostics": [...], "summary": {...}}`, as DESIGN.md §4 gives it,
//! pretty-printed, with `"snippets": [...]` between them when snippets were
//! checked. Each diagnostic is flat: `line`, `column`, `end_line`,
//! `end_column` (1-based, columns in characters, end exclusive).

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::Diagnostic;
use crate::snippets::SnippetOutcome;

#[derive(Serialize)]
struct Json<'a> {
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    snippets: Option<&'a [SnippetOutcome]>,
    summary: &'a Summary,
}

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let json = Json {
        diagnostics: report.diagnostics,
        snippets: report.snippets,
        summary: report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
