//! SARIF 2.1.0 (OASIS), one run: the tool's `rules` (reportingDescriptor
//! objects, §3.49) with their help text, then one result (§3.27) per finding,
//! its fix as SARIF fix objects. Columns are declared as
//! `"columnKind": "unicodeCodePoints"`, which is how ruledoc counts them.

use std::io::{self, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

use super::Report;
use crate::diagnostic::{Fix, Severity};
use crate::lint::rules;
use crate::source::Range;

/// A SARIF `level`: `error`, `warning`, or `note` for info.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF region (§3.30): 1-based lines, columns in Unicode code points as
/// the run's `columnKind` says, end column exclusive.
fn region(r: &Range) -> Value {
    json!({
        "startLine": r.start.line,
        "startColumn": r.start.column,
        "endLine": r.end.line,
        "endColumn": r.end.column,
    })
}

/// A SARIF fix (§3.55): one artifact change with a replacement per edit
/// (§3.57); how safe it is goes in its property bag.
fn fix_object(fix: &Fix, uri: &str) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": region(&e.range),
                "insertedContent": { "text": e.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.message },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri },
            "replacements": replacements,
        }],
        "properties": { "applicability": fix.applicability },
    })
}

/// Characters a relative URI reference's path cannot hold as they are
/// (RFC 3986 §3.3): controls, space, and the delimiters outside `pchar`.
const NOT_IN_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A document's path as a SARIF `uri` (§3.4.3: a URI reference): `/`
/// separators, everything else a path cannot hold percent-encoded
/// (non-ASCII as UTF-8 bytes).
fn uri_of(path: &str) -> String {
    let encoded = utf8_percent_encode(&path.replace('\\', "/"), NOT_IN_PATH).to_string();
    // A relative reference whose first segment holds `:` would read as a
    // scheme (RFC 3986 §4.2): `./` keeps it a path.
    let first = encoded.split('/').next().unwrap_or("");
    if first.contains(':') && !encoded.starts_with('/') {
        format!("./{encoded}")
    } else {
        encoded
    }
}

/// Write `report` as one SARIF 2.1.0 log.
pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules_json: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            let summary = m.summary();
            let doc = m.doc_text();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": summary },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": { "fixable": m.fixable(), "kind": m.kind },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            let uri = uri_of(&d.path);
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rules::index_of(d.code),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": region(&d.range),
                    }
                }],
            });
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([fix_object(fix, &uri)]);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ruledoc",
                    "version": crate::VERSION,
                    "informationUri": "https://github.com/ruledoc/ruledoc",
                    "rules": rules_json,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded_paths() {
        assert_eq!(super::uri_of("rules/a b.md"), "rules/a%20b.md");
        assert_eq!(super::uri_of("règles/x#1.md"), "r%C3%A8gles/x%231.md");
        assert_eq!(super::uri_of("rules\\sub\\a.md"), "rules/sub/a.md");
        assert_eq!(super::uri_of("rule:one.md"), "./rule:one.md");
    }
}
