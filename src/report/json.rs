//! `{"diagnostics": [...], "summary": {...}}`, as DESIGN.md §4 gives it.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Json<'a> {
    diagnostics: &'a [Diagnostic],
    summary: &'a Summary,
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let json = Json {
        diagnostics: report.diagnostics,
        summary: report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
