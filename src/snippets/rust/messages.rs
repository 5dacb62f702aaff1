//! Cargo's `--message-format=json` lines, and rustc's diagnostics in them
//! mapped to the snippet files they are about.

use serde::{Deserialize, Serialize};

/// One line of cargo's JSON output (only the fields used here).
#[derive(Debug, Clone, Deserialize)]
pub struct CargoLine {
    pub reason: String,
    #[serde(default)]
    pub message: Option<RustcMessage>,
    #[serde(default)]
    pub target: Option<Target>,
    #[serde(default)]
    pub executable: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RustcMessage {
    pub message: String,
    #[serde(default)]
    pub code: Option<Code>,
    pub level: String,
    #[serde(default)]
    pub spans: Vec<RustcSpan>,
    #[serde(default)]
    pub children: Vec<RustcMessage>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Code {
    pub code: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RustcSpan {
    pub file_name: String,
    pub line_start: usize,
    pub line_end: usize,
    pub column_start: usize,
    pub column_end: usize,
    #[serde(default)]
    pub is_primary: bool,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub expansion: Option<Box<Expansion>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Expansion {
    pub span: RustcSpan,
}

/// A position in a snippet's expanded text (1-based lines and columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A compile error, in the snippet's own coordinates: kept in the cache, and
/// mapped to Markdown lines when reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileError {
    pub message: String,
    pub code: Option<String>,
    pub at: Pos,
    pub labels: Vec<(Pos, String)>,
    /// `help: …` and `note: …` lines from the child diagnostics.
    pub notes: Vec<String>,
}

/// Parse rustc's `--error-format=json` output (one message per line).
pub fn parse_rustc_lines(stderr: &str) -> Vec<RustcMessage> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Parse cargo's stdout.
pub fn parse_lines(stdout: &str) -> Vec<CargoLine> {
    stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The span in a file `file` accepts: the span itself, or the macro call it
/// came from, followed outwards through every expansion.
fn locate<'a>(span: &'a RustcSpan, file: &dyn Fn(&str) -> bool) -> Option<&'a RustcSpan> {
    let mut s = span;
    loop {
        if file(&s.file_name) {
            return Some(s);
        }
        s = &s.expansion.as_ref()?.span;
    }
}

fn pos(s: &RustcSpan) -> Pos {
    Pos {
        line: s.line_start,
        column: s.column_start,
        end_line: s.line_end,
        end_column: s.column_end,
    }
}

/// The file an error belongs to and the error in that file's coordinates,
/// for `error`-level messages that point into a file `known` accepts.
pub fn compile_error(
    msg: &RustcMessage,
    known: &dyn Fn(&str) -> bool,
) -> Option<(String, CompileError)> {
    if !msg.level.starts_with("error") {
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
    let mut notes: Vec<String> = msg
        .children
        .iter()
        .filter(|c| !c.message.is_empty())
        .map(|c| match c.level.as_str() {
            // Reporters show the notes as help already.
            "help" => c.message.clone(),
            level => format!("{level}: {}", c.message),
        })
        .collect();
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
            message: msg.message.clone(),
            code: msg.code.as_ref().map(|c| c.code.clone()),
            at: pos(primary),
            labels,
            notes,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"reason":"compiler-message","package_id":"p","target":{"name":"m"},"message":{"message":"mismatched types","code":{"code":"E0308","explanation":null},"level":"error","spans":[{"file_name":"/rustc/x/library/std/src/macros.rs","byte_start":0,"byte_end":1,"line_start":1,"line_end":1,"column_start":1,"column_end":2,"is_primary":true,"text":[],"label":"expected `u8`","suggested_replacement":null,"suggestion_applicability":null,"expansion":{"span":{"file_name":"src/s_ab.rs","byte_start":0,"byte_end":1,"line_start":4,"line_end":4,"column_start":5,"column_end":20,"is_primary":false,"text":[],"label":null,"suggested_replacement":null,"suggestion_applicability":null,"expansion":null},"macro_decl_name":"println!","def_site_span":{"file_name":"x","byte_start":0,"byte_end":0,"line_start":1,"line_end":1,"column_start":1,"column_end":1,"is_primary":false,"text":[],"label":null,"suggested_replacement":null,"suggestion_applicability":null,"expansion":null}}}],"children":[{"message":"try `u8::from`","code":null,"level":"help","spans":[],"children":[],"rendered":null}],"rendered":"error"}}"#;

    #[test]
    fn macro_spans_map_to_the_call_site_in_the_snippet() {
        let lines = parse_lines(LINE);
        let msg = lines[0].message.as_ref().unwrap();
        let (file, err) = compile_error(msg, &|f| f.starts_with("src/s_")).unwrap();
        assert_eq!(file, "src/s_ab.rs");
        assert_eq!((err.at.line, err.at.column), (4, 5));
        assert_eq!(err.code.as_deref(), Some("E0308"));
        assert_eq!(err.notes, ["expected `u8`", "try `u8::from`"]);
    }

    #[test]
    fn warnings_and_unknown_files_are_not_errors() {
        let lines = parse_lines(LINE);
        let msg = lines[0].message.as_ref().unwrap();
        assert!(compile_error(msg, &|f| f == "elsewhere.rs").is_none());
        let mut warning = msg.clone();
        warning.level = "warning".into();
        assert!(compile_error(&warning, &|_| true).is_none());
    }
}
