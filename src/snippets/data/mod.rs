//! Data snippets: JSON, JSONC and JSON5 (see [`json`]), YAML (serde-saphyr:
//! a stream, several `---` documents allowed), TOML (toml) and XML (see
//! [`xml`]). Each gives its first error as a [`SyntaxError`]: 0-based line
//! and 1-based column in the snippet's code.

mod json;
mod xml;

pub(crate) use json::{JsonContext, json, json5, jsonc};
pub(crate) use xml::xml;

use super::python::{SyntaxError, line_col};

/// How deep a YAML block may nest: about where PyYAML's recursion stops.
const YAML_MAX_DEPTH: usize = 900;

/// The first parse error of a YAML stream (several `---` documents allowed);
/// serde-saphyr's line and column are 1-based, the column in characters.
///
/// A key repeated in a mapping is no error: the last one wins, as PyYAML,
/// ruamel.yaml and js-yaml's `json: true` read it, and as rule files use it
/// (a `# Bad` and a `# Good` version of one setting side by side).
pub(crate) fn yaml(code: &str) -> Option<SyntaxError> {
    // serde-saphyr stops at 64 levels of nesting by default, a budget
    // against hostile input, where PyYAML reads about 900 (Python's
    // recursion limit): nesting is followed as deep as PyYAML follows it,
    // on a stack of its own.
    let options = serde_saphyr::options! {
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        budget: serde_saphyr::budget! { max_depth: YAML_MAX_DEPTH },
    };
    let err = super::stack::run(code, 4096, || {
        serde_saphyr::from_multiple_with_options::<serde::de::IgnoredAny>(code, options).err()
    })?;
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

/// mdBook's `links` preprocessor replaces `{{#include …}}`,
/// `{{#rustdoc_include …}}` and `{{#playground …}}` in a chapter before
/// anyone reads it (mdBook's guide, `format/mdbook.md`): a data block of a
/// book's chapter holding one is not what its reader gets, so it is skipped.
/// Returns why, for the skipped verdict; the caller knows the block is in
/// a chapter.
pub(crate) fn mdbook_replaced(code: &str) -> Option<String> {
    let directive = ["{{#include ", "{{#rustdoc_include ", "{{#playground "]
        .iter()
        .find(|d| code.contains(*d))?;
    Some(format!(
        "mdBook replaces its `{}…}}}}` with the included file",
        directive.trim_end()
    ))
}

/// The last line of `text` (the document up to a fence) with a letter or
/// digit in it (a quote's bare `>` is passed over), trimmed.
pub(crate) fn line_above(text: &str) -> Option<&str> {
    text.rsplit('\n')
        .map(str::trim)
        .find(|l| l.chars().any(char::is_alphanumeric))
}

/// `… at line 3 column 7`: the position is reported separately.
pub(super) fn strip_position(message: &str) -> String {
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
        let json = |code| json(code, JsonContext::default());
        assert_eq!(json("{\"a\": [1, 2]}"), None);
        let e = json("{\n  \"a\": 1,\n}\n").unwrap();
        assert_eq!((e.line, e.message.as_str()), (2, "key must be a string"));
    }

    #[test]
    fn yaml_repeated_keys_last_wins() {
        assert_eq!(
            yaml("# Bad\nuses: actions/checkout@v4\n# Good\nuses: actions/checkout@abc\n"),
            None
        );
        assert_eq!(yaml("a:\n  b: 1\n  b: 2\n---\na: 3\n"), None);
        // Still YAML: `: ` inside a plain scalar is an error, as in PyYAML.
        let e = yaml("- run: echo \"Debug info: x\"\n").unwrap();
        assert_eq!(e.line, 0);
    }

    #[test]
    fn yaml_nests_deeper_than_the_default_budget() {
        // serde-saphyr's default budget stops at 64 levels; PyYAML reads
        // these.
        let deep = format!("{}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(yaml(&deep), None);
        let mapping: String = (0..80)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        assert_eq!(yaml(&format!("{mapping}{}v: 1\n", "  ".repeat(80))), None);
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
