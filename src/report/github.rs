//! GitHub Actions workflow commands ("Workflow commands for GitHub Actions":
//! setting an error, warning or notice message), one a line:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RDxxx (name)::message`
//! (columns only when the finding is on one line, as the Actions toolkit's
//! `AnnotationProperties` requires).
//! The runner turns each into an annotation on the file. Info findings are
//! `notice`s; help follows the message on its own line.

use std::io::{self, Write};

use super::Report;
use crate::diagnostic::Severity;

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let (start, end) = (d.range.start, d.range.end);
        // The toolkit's AnnotationProperties: columns cannot be sent when
        // the start and end lines differ.
        let place = if start.line == end.line {
            format!(
                "line={},col={},endLine={},endColumn={}",
                start.line, start.column, end.line, end.column
            )
        } else {
            format!("line={},endLine={}", start.line, end.line)
        };
        writeln!(
            out,
            "::{command} file={},{place},title={}::{}",
            property(&d.path),
            property(&format!(
                "{} ({})",
                d.code,
                crate::lint::rules::find(d.code)
                    .map(|m| m.name)
                    .unwrap_or("")
            )),
            data(&message)
        )?;
    }
    Ok(())
}

/// Escape a message the way the Actions runner reads it (`%`, CR and LF
/// percent-encoded, as the Actions toolkit's `escapeData` does).
fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push(' '),
            // Other control characters (ESC, BEL, …) would reach the log and
            // the terminal that shows it: dropped.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value: as a message, and also `:` and `,` (the
/// toolkit's `escapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(super::data("bell\u{7}esc\u{1b}[31m"), "bellesc[31m");
    }
}
