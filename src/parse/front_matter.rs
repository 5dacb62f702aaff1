//! Front matter is split off by hand, before Markdown parsing, so its span and
//! lines are exact and a broken block never confuses the Markdown parser.

use serde_json::{Map, Value};

use crate::model::{FrontMatter, FrontMatterError};
use crate::source::{LineIndex, Span};

/// The front matter at the top of `text`, if the first line (after an
/// optional byte-order mark) is `---`, trailing whitespace allowed. The block
/// ends at the next line that is `---` or YAML's document end marker `...`.
///
/// A block that never closes is returned with `end_line: None` and an error;
/// the caller then parses the whole text as Markdown. `lines` must index
/// `text`.
pub fn split(text: &str, lines: &LineIndex) -> Option<FrontMatter> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first = lines.line_span(text, 1);
    if text[start..first.end].trim_end() != "---" {
        return None;
    }
    let yaml_start = (first.end + line_terminator_len(text, first.end)).min(text.len());
    let total = lines.line_count();
    for line in 2..=total {
        let span = lines.line_span(text, line);
        let content = text[span.start..span.end].trim_end();
        if content == "---" || content == "..." {
            let raw = text[yaml_start..span.start].to_string();
            let end = (span.end + line_terminator_len(text, span.end)).min(text.len());
            let (data, error) = read_yaml(&raw, 2);
            return Some(FrontMatter {
                data,
                line: 1,
                end_line: Some(line),
                error,
                raw,
                span: Span::new(start, end),
                yaml_span: Span::new(yaml_start, span.start),
            });
        }
    }
    Some(FrontMatter {
        data: None,
        line: 1,
        end_line: None,
        error: Some(FrontMatterError {
            message: "opened on line 1 and never closed with `---`".into(),
            line: 1,
            column: 1,
        }),
        raw: text[yaml_start..].to_string(),
        span: Span::new(start, text.len()),
        yaml_span: Span::new(yaml_start, text.len()),
    })
}

fn line_terminator_len(text: &str, at: usize) -> usize {
    let rest = &text.as_bytes()[at..];
    if rest.starts_with(b"\r\n") {
        2
    } else if rest.starts_with(b"\n") {
        1
    } else {
        0
    }
}

/// Parse the YAML; `first_line` is the document line of the YAML's first line.
///
/// serde-saphyr rather than serde_norway: it is pure Rust with `unsafe`
/// forbidden, fuzzed to never panic on malformed input, bounds nesting and
/// alias expansion by budget (front matter is untrusted input), and its errors
/// carry a line and column we can map onto the document.
fn read_yaml(
    raw: &str,
    first_line: usize,
) -> (Option<Map<String, Value>>, Option<FrontMatterError>) {
    if raw.trim().is_empty() {
        return (Some(Map::new()), None);
    }
    // Cursor writes `globs: **/*.ts` unquoted, so most .mdc files hit this:
    // with no anchor defined, a plain value starting with `*` is certainly an
    // alias to an unknown anchor. Read the quoted form once and report the
    // first such line, instead of failing a strict parse and parsing again.
    if !raw.contains('&')
        && let Some((repaired, (line, column))) = repair(raw, &['*'])
        && let Ok(Value::Object(map)) = yaml(&repaired)
    {
        let error = FrontMatterError {
            message: "alias references unknown anchor".into(),
            line: first_line + line - 1,
            column,
        };
        return (Some(map), Some(error));
    }
    match yaml(raw) {
        Ok(Value::Object(map)) => (Some(map), None),
        Ok(Value::Null) => (Some(Map::new()), None),
        Ok(other) => (
            None,
            Some(FrontMatterError {
                message: format!(
                    "front matter must be a mapping of keys to values, not {}",
                    kind_of(&other)
                ),
                line: first_line,
                column: 1,
            }),
        ),
        Err(err) => {
            let (line, column) = err
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            let error = FrontMatterError {
                message: yaml_message(&err),
                line: first_line + line.max(1) - 1,
                column: column.max(1),
            };
            (lenient(raw), Some(error))
        }
    }
}

/// Read broken front matter the way agents do, so its data is not lost: the
/// error is still reported, but top-level plain `key: value` lines whose
/// value starts with a character YAML reserves are read as strings.
fn lenient(raw: &str) -> Option<Map<String, Value>> {
    let (repaired, _) = repair(raw, &['*', '@', '`', '%'])?;
    match yaml(&repaired) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// `raw` with every top-level `key: value` whose value starts with one of
/// `starts` single-quoted, and the (line, column) of the first such value;
/// `None` when there is nothing to quote.
fn repair(raw: &str, starts: &[char]) -> Option<(String, (usize, usize))> {
    let mut first = None;
    let mut out = String::with_capacity(raw.len() + 16);
    for (n, line) in raw.lines().enumerate() {
        match line.split_once(':') {
            Some((key, value))
                if !line.starts_with([' ', '\t', '-', '#'])
                    && is_plain_key(key)
                    && value.trim_start().starts_with(starts) =>
            {
                let column =
                    key.chars().count() + 2 + value.chars().take_while(|c| *c == ' ').count();
                first.get_or_insert((n + 1, column));
                out.push_str(key);
                out.push_str(": '");
                out.push_str(&value.trim().replace('\'', "''"));
                out.push_str("'\n");
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    first.map(|at| (out, at))
}

fn yaml(text: &str) -> Result<Value, serde_saphyr::Error> {
    // Our own reporting shows the document line; the parser's snippet would be wasted work.
    serde_saphyr::from_str_with_options(text, serde_saphyr::options! { with_snippet: false })
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
}

/// serde-saphyr's message without its own snippet and `line N column M:` prefix.
fn yaml_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error:").unwrap_or(first).trim();
    let stripped = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map(|(_, m)| m).unwrap_or(rest),
        None => first,
    };
    // The location is reported separately, mapped onto the document.
    match stripped.rfind(" at line ") {
        Some(at) => stripped[..at].to_string(),
        None => stripped.to_string(),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Option<FrontMatter> {
        split(text, &LineIndex::new(text))
    }

    #[test]
    fn reads_a_mapping_in_order() {
        let f = fm("---\ntier: 3\ndescription: x\n---\n# T\n").unwrap();
        let keys: Vec<_> = f.data.as_ref().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["tier", "description"]);
        assert_eq!(f.end_line, Some(4));
        assert_eq!(f.span, Span::new(0, 31));
    }

    #[test]
    fn crlf_front_matter_is_split_at_the_same_lines() {
        let f = fm("---\r\ntier: 3\r\n---\r\n# T\r\n").unwrap();
        assert_eq!(f.end_line, Some(3));
        assert_eq!(f.get("tier"), Some(&Value::from(3)));
        assert_eq!(f.span.end, "---\r\ntier: 3\r\n---\r\n".len());
    }

    #[test]
    fn unquoted_glob_is_an_error_at_its_document_line() {
        let f = fm("---\ndescription: x\nglobs: **/*.ts\n---\n").unwrap();
        let e = f.error.as_ref().unwrap();
        assert_eq!((e.line, e.column), (3, 8));
        assert_eq!(e.message, "alias references unknown anchor");
        assert_eq!(
            f.get_str("globs"),
            Some("**/*.ts"),
            "read leniently all the same"
        );
        assert_eq!(f.get_str("description"), Some("x"));
    }

    #[test]
    fn unclosed_front_matter_is_reported_not_swallowed() {
        let f = fm("---\ntier: 3\n# Title\n").unwrap();
        assert_eq!(f.end_line, None);
        assert!(f.error.unwrap().message.contains("never closed"));
    }

    #[test]
    fn the_quick_path_reports_what_a_strict_parse_reports() {
        for text in [
            "---\ndescription: x\nglobs: **/*.ts\nalwaysApply: false\n---\n",
            "---\nglobs:   *.rs, *.toml\n---\n",
            "---\na: 1\nb: *x\nc: *y\n---\n",
        ] {
            let quick = fm(text).unwrap();
            let raw = &text[4..text.len() - 4];
            let strict = yaml(raw).unwrap_err();
            let loc = strict.location().unwrap();
            let e = quick.error.as_ref().unwrap();
            assert_eq!(
                (e.line, e.column),
                (loc.line() as usize + 1, loc.column() as usize),
                "{text:?}"
            );
            assert_eq!(e.message, yaml_message(&strict));
        }
    }

    #[test]
    fn anchors_keep_aliases_valid() {
        let f = fm("---\nbase: &b x\nother: *b\n---\n").unwrap();
        assert!(f.error.is_none());
        assert_eq!(f.get_str("other"), Some("x"));
    }

    #[test]
    fn block_scalars_are_not_repaired() {
        let f = fm("---\ndescription: |\n  two\n  lines\nglobs: *.md\n---\n").unwrap();
        assert_eq!(f.get_str("description"), Some("two\nlines\n"));
        assert_eq!(f.get_str("globs"), Some("*.md"));
        assert_eq!(f.error.unwrap().line, 5);
    }

    #[test]
    fn a_list_is_not_front_matter_data() {
        let f = fm("---\n- a\n---\n").unwrap();
        assert!(f.data.is_none());
        assert!(f.error.unwrap().message.contains("mapping"));
    }

    #[test]
    fn no_dashes_no_front_matter() {
        assert!(fm("# Title\n---\n").is_none());
        assert!(fm("").is_none());
    }
}
