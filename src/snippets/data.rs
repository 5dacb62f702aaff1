//! JSON, YAML and TOML snippets, parsed with their serde crates: serde_json,
//! serde-saphyr (a YAML stream: several `---` documents allowed) and toml.
//! Each gives its first error as a [`SyntaxError`]: 0-based line and 1-based
//! column in the snippet's code.

use super::python::{SyntaxError, line_col};

/// The first parse error of a JSON document. serde_json counts its column
/// in bytes, not characters; it is passed on as it is.
pub(crate) fn json(code: &str) -> Option<SyntaxError> {
    let err = serde_json::from_str::<serde::de::IgnoredAny>(code).err()?;
    Some(SyntaxError {
        line: err.line().saturating_sub(1),
        column: err.column().max(1),
        message: strip_position(&err.to_string()),
        help: None,
    })
}

/// The first parse error of a YAML stream (several `---` documents allowed);
/// serde-saphyr's line and column are 1-based, the column in characters.
pub(crate) fn yaml(code: &str) -> Option<SyntaxError> {
    let options = serde_saphyr::options! { with_snippet: false };
    let err = serde_saphyr::from_multiple_with_options::<serde_json::Value>(code, options).err()?;
    let (line, column) = err
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let message = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map(|(_, m)| m).unwrap_or(rest),
        None => first,
    };
    Some(SyntaxError {
        line: line.saturating_sub(1),
        column: column.max(1),
        message: strip_position(message),
        help: None,
    })
}

/// The first parse error of a TOML document, placed from the byte offset
/// toml gives (column in characters).
pub(crate) fn toml(code: &str) -> Option<SyntaxError> {
    let err = code.parse::<toml::Table>().err()?;
    let (line, column) = err
        .span()
        .map(|s| line_col(code, s.start))
        .unwrap_or((0, 1));
    Some(SyntaxError {
        line,
        column,
        message: err.message().trim().to_string(),
        help: None,
    })
}

/// `… at line 3 column 7`: the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_have_lines() {
        assert_eq!(json("{\"a\": [1, 2]}"), None);
        let e = json("{\n  \"a\": 1,\n}\n").unwrap();
        assert_eq!((e.line, e.message.as_str()), (2, "key must be a string"));
    }

    #[test]
    fn yaml_takes_several_documents() {
        assert_eq!(yaml("a: 1\n---\nb: [2, 3]\n"), None);
        let e = yaml("a: 1\nb: [2\n").unwrap();
        assert!(e.line >= 1, "{e:?}");
    }

    #[test]
    fn toml_errors_have_lines() {
        assert_eq!(toml("[rules]\nroot = \"rules\"\n"), None);
        let e = toml("[rules]\nroot = \n").unwrap();
        assert_eq!(e.line, 1);
    }
}
