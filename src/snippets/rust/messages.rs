//! rustc's JSON diagnostics, as `rustc --error-format=json` prints them or
//! cargo's `--message-format=json` carries them, mapped to the snippet files
//! they are about. The formats are cargo_metadata's; the mapping is ours.

use cargo_metadata::Message;
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel, DiagnosticSpan};
use serde::{Deserialize, Serialize};

use crate::source::Range;

/// A compile error, in the snippet's own coordinates: kept in the cache, and
/// mapped to Markdown lines when reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CompileError {
    /// rustc's message, without its code.
    pub message: String,
    /// The error code (`E0308`), if rustc gave one.
    pub code: Option<String>,
    /// Where it is, in the snippet's expanded text (1-based lines, columns
    /// in characters as rustc counts them, end exclusive): the primary span,
    /// else another span of it; a span inside a macro is taken out to the
    /// macro's call.
    pub at: Range,
    /// Other spans in the same snippet with rustc's label for each.
    pub labels: Vec<(Range, String)>,
    /// `help: …` and `note: …` lines from the child diagnostics.
    pub notes: Vec<String>,
}

/// rustc's `--error-format=json` output: one diagnostic per line; other
/// lines (text, other JSON records) are skipped.
pub(super) fn parse_rustc_lines(stderr: &str) -> Vec<Diagnostic> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// cargo's `--message-format=json` output, one message per line; a line that
/// is not one comes out as [`Message::TextLine`].
pub(super) fn parse_cargo_lines(stdout: &str) -> impl Iterator<Item = Message> + '_ {
    // Reading from a `&str` cannot fail.
    Message::parse_stream(stdout.as_bytes()).filter_map(Result::ok)
}

/// Whether the diagnostic is an error (an internal compiler error included).
pub(super) fn is_error(msg: &Diagnostic) -> bool {
    matches!(msg.level, DiagnosticLevel::Error | DiagnosticLevel::Ice)
}

/// The level as rustc writes it (`note`, `failure-note`, …).
fn level_name(level: DiagnosticLevel) -> String {
    match serde_json::to_value(level) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{level:?}").to_lowercase(),
    }
}

/// The span in a file `file` accepts: the span itself, or the macro call it
/// came from, followed outwards through every expansion.
fn locate<'a>(span: &'a DiagnosticSpan, file: &dyn Fn(&str) -> bool) -> Option<&'a DiagnosticSpan> {
    let mut s = span;
    loop {
        if file(&s.file_name) {
            return Some(s);
        }
        s = &s.expansion.as_ref()?.span;
    }
}

fn pos(s: &DiagnosticSpan) -> Range {
    Range::from_pairs((s.line_start, s.column_start), (s.line_end, s.column_end))
}

/// The file an error belongs to and the error in that file's coordinates,
/// for `error`-level messages that point into a file `known` accepts.
pub(super) fn compile_error(
    msg: &Diagnostic,
    known: &dyn Fn(&str) -> bool,
) -> Option<(String, CompileError)> {
    if !is_error(msg) {
        return None;
    }
    // The primary span, else any span, else any child's span, in a known file.
    let (origin, primary) = msg
        .spans
        .iter()
        .filter(|s| s.is_primary)
        .chain(msg.spans.iter())
        .chain(msg.children.iter().flat_map(|c| c.spans.iter()))
        .find_map(|s| locate(s, known).map(|at| (s, at)))?;
    let file = primary.file_name.clone();
    let same_file = |f: &str| f == file;
    let mut labels = Vec::new();
    for s in msg
        .spans
        .iter()
        .chain(msg.children.iter().flat_map(|c| c.spans.iter()))
    {
        let Some(at) = locate(s, &same_file) else {
            continue;
        };
        if std::ptr::eq(at, primary) {
            continue;
        }
        if let Some(label) = s.label.as_deref().filter(|l| !l.is_empty()) {
            labels.push((pos(at), label.to_string()));
        }
    }
    let mut notes = notes_of(msg);
    // The label may sit on the span inside a macro, not on its call site.
    if let Some(label) = primary
        .label
        .as_deref()
        .or(origin.label.as_deref())
        .filter(|l| !l.is_empty())
    {
        notes.insert(0, label.to_string());
    }
    Some((
        file,
        CompileError {
            message: scrub(&msg.message),
            code: msg.code.as_ref().map(|c| c.code.clone()),
            at: pos(primary),
            labels,
            notes: notes.iter().map(|n| scrub(n)).collect(),
        },
    ))
}

/// `text` with the paths of ruledoc's generated files (`crates/s_…/src/
/// rust_out.rs`, `merged-2021/src/s_….rs`) replaced by "the snippet": they
/// mean nothing to whoever reads the finding.
pub(super) fn scrub(text: &str) -> String {
    if !text.contains("s_") {
        return text.to_string();
    }
    let generated = |word: &str| {
        word.split('/').any(|part| {
            let stem = part.strip_suffix(".rs").unwrap_or(part);
            stem.strip_prefix("s_")
                .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
    };
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = word.trim_matches(|c: char| "`'\",.:;()".contains(c));
        // The path ends at `.rs`; a `:line:column` may follow.
        let path = core.find(".rs").map_or(core, |at| &core[..at + 3]);
        if !path.is_empty() && generated(path) {
            out.push_str(&word.replacen(path, "the snippet", 1));
        } else {
            out.push_str(word);
        }
    }
    out
}

/// An error that points into no file (a missing `#[panic_handler]`, a
/// missing `main`'s note): placed at line 0, which reports show at the
/// opening fence. rustc's closing "aborting due to …" count is not one.
pub(super) fn spanless_error(msg: &Diagnostic) -> Option<CompileError> {
    if !is_error(msg) || msg.message.starts_with("aborting due to") {
        return None;
    }
    Some(CompileError {
        message: scrub(&msg.message),
        code: msg.code.as_ref().map(|c| c.code.clone()),
        at: Range::from_pairs((0, 0), (0, 0)),
        labels: Vec::new(),
        notes: notes_of(msg).iter().map(|n| scrub(n)).collect(),
    })
}

/// rustc's child diagnostics: `help` lines bare (reporters show the notes
/// as help already), the others prefixed with their level (`note: …`).
fn notes_of(msg: &Diagnostic) -> Vec<String> {
    msg.children
        .iter()
        .filter(|c| !c.message.is_empty())
        .map(|c| match c.level {
            DiagnosticLevel::Help => c.message.clone(),
            level => format!("{}: {}", level_name(level), c.message),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_paths_are_not_shown() {
        assert_eq!(
            scrub(
                "consider adding a `main` function to `crates/s_c0fdd7c6bab165ed/src/rust_out.rs`"
            ),
            "consider adding a `main` function to `the snippet`"
        );
        assert_eq!(
            scrub("in merged-2021/src/s_0123456789abcdef.rs:3"),
            "in the snippet:3"
        );
        assert_eq!(scrub("s_short stays"), "s_short stays");
    }

    // What cargo and rustc 1.95 print for a crate whose `src/lib.rs` is
    //
    //     macro_rules! bad { () => { let _: u8 = "x"; }; }
    //     mod s_ab;
    //
    // and whose `src/s_ab.rs` calls `bad!();` on line 2 and, on line 8,
    // `needs_copy(String::new());` with `fn needs_copy<T: Copy>(_: T) {}`
    // on line 5.
    const CARGO: &str = include_str!("../../../tests/fixtures/snippets/messages/cargo-check.jsonl");
    const RUSTC: &str = include_str!("../../../tests/fixtures/snippets/messages/rustc.jsonl");

    fn in_snippet(file: &str) -> bool {
        file.starts_with("src/s_")
    }

    fn from_cargo() -> Vec<Diagnostic> {
        parse_cargo_lines(CARGO)
            .filter_map(|m| match m {
                Message::CompilerMessage(m) => Some(m.message),
                _ => None,
            })
            .collect()
    }

    fn pos(line: usize, column: usize, end_column: usize) -> Range {
        Range::from_pairs((line, column), (line, end_column))
    }

    #[test]
    fn cargo_and_rustc_carry_the_same_errors() {
        let cargo: Vec<_> = from_cargo()
            .iter()
            .filter_map(|d| compile_error(d, &in_snippet))
            .collect();
        let rustc: Vec<_> = parse_rustc_lines(RUSTC)
            .iter()
            .filter_map(|d| compile_error(d, &in_snippet))
            .collect();
        assert_eq!(cargo.len(), 2);
        assert_eq!(cargo, rustc);
    }

    #[test]
    fn macro_spans_map_to_the_call_site_in_the_snippet() {
        let (file, err) = compile_error(&from_cargo()[0], &in_snippet).unwrap();
        assert_eq!(file, "src/s_ab.rs");
        assert_eq!(err.message, "mismatched types");
        assert_eq!(err.code.as_deref(), Some("E0308"));
        assert_eq!(err.at, pos(2, 5, 11));
        assert_eq!(err.labels, [(pos(2, 5, 11), "expected due to this".into())]);
        assert_eq!(err.notes, ["expected `u8`, found `&str`"]);
    }

    #[test]
    fn child_notes_keep_their_level_and_labels_their_place() {
        let (_, err) = compile_error(&from_cargo()[1], &in_snippet).unwrap();
        assert_eq!(err.code.as_deref(), Some("E0277"));
        assert_eq!(err.at, pos(8, 16, 29));
        assert_eq!(
            err.notes,
            [
                "the trait `Copy` is not implemented for `String`",
                "note: required by a bound in `needs_copy`"
            ]
        );
        assert_eq!(
            err.labels,
            [
                (
                    pos(8, 5, 15),
                    "required by a bound introduced by this call".into()
                ),
                (
                    pos(5, 18, 22),
                    "required by this bound in `needs_copy`".into()
                ),
            ]
        );
    }

    #[test]
    fn warnings_notes_and_unknown_files_are_not_errors() {
        let all = from_cargo();
        assert!(compile_error(&all[0], &|f| f == "elsewhere.rs").is_none());
        let mut warning = all[0].clone();
        warning.level = DiagnosticLevel::Warning;
        assert!(compile_error(&warning, &|_| true).is_none());
        // "Some errors have detailed explanations: …", a failure note.
        assert!(compile_error(&all[2], &|_| true).is_none());
    }
}
