//! JSON and its relaxed kin, each as its reader reads it:
//!
//! - `json`: RFC 8259, with serde_json. A block whose comments are the only
//!   thing that stops it is read as JSONC when it names a file whose reader
//!   takes JSONC ([`JSONC_NAMES`]); a block of bare `"key": value` members (a
//!   piece of a settings file) is read inside `{}`.
//! - `jsonc`: JSON with comments and trailing commas, as VS Code reads its
//!   settings and TypeScript its `tsconfig.json`: dprint's `jsonc-parser` with
//!   only those two extensions on.
//! - `json5`: <https://spec.json5.org/>, with the `json5` crate (it passes the
//!   json5-tests suite).

use jsonc_parser::ParseOptions;

use super::super::python::{SyntaxError, line_col};

/// Files whose reader takes comments and trailing commas, matched on a
/// file name the block or the text above it gives. The names are VS Code's
/// `jsonc` language (`contributes.languages` in `extensions/json`,
/// `extensions/configuration-editing` and `extensions/typescript-basics`
/// `package.json`), plus `pyrightconfig.json`, which Pyright reads with
/// `JSONC.parse` (`_parseJsonConfigFile` in its `service.ts`), and
/// `tslint.json`, which TSLint reads with its comments stripped. VS Code
/// matches the base name, whatever the folder.
const JSONC_NAMES: &[&str] = &[
    // extensions/json: filenames
    "babel.config.json",
    ".babelrc.json",
    ".ember-cli",
    "typedoc.json",
    // extensions/configuration-editing: filenames
    "settings.json",
    "launch.json",
    "tasks.json",
    "mcp.json",
    "keybindings.json",
    "extensions.json",
    "argv.json",
    "profiles.json",
    "devcontainer.json",
    ".devcontainer.json",
    // extensions/typescript-basics: filenames
    "tsconfig.json",
    "jsconfig.json",
    // Pyright: `JSONC.parse` in `_parseJsonConfigFile` (service.ts)
    "pyrightconfig.json",
    // TSLint: `JSON.parse(stripComments(…))` in src/configuration.ts
    "tslint.json",
];

/// Name endings VS Code reads as JSONC (its `extensions` lists: a name
/// ending so, `.eslintrc` itself included).
const JSONC_SUFFIXES: &[&str] = &[
    ".jsonc",
    ".eslintrc",
    ".eslintrc.json",
    ".jsfmtrc",
    ".jshintrc",
    ".swcrc",
    ".hintrc",
    ".babelrc",
    ".code-workspace",
    "language-configuration.json",
    "icon-theme.json",
    "color-theme.json",
];

/// The base name `name` is one VS Code (or Pyright) reads as JSONC: one of
/// [`JSONC_NAMES`], ending in one of [`JSONC_SUFFIXES`], or
/// `tsconfig.*.json`, `jsconfig.*.json`, `tsconfig-*.json`,
/// `jsconfig-*.json` (typescript-basics' `filenamePatterns`).
fn is_jsonc_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if JSONC_NAMES.contains(&name.as_str()) || JSONC_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return true;
    }
    ["tsconfig", "jsconfig"].iter().any(|stem| {
        name.strip_prefix(stem)
            .and_then(|rest| rest.strip_suffix(".json"))
            .is_some_and(|mid| mid.len() > 1 && (mid.starts_with('.') || mid.starts_with('-')))
    })
}

/// Whether `text` (a comment, a label, a line of prose) names a JSONC file:
/// one of its words, read as a path (quotes, backticks and trailing `:` or
/// `.` taken off), has a base name [`is_jsonc_name`] accepts.
pub(crate) fn names_jsonc_file(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | '(' | ')' | '*'))
        .map(|w| w.trim_end_matches([':', ',', ';', '.']))
        .filter(|w| !w.is_empty())
        .any(|w| is_jsonc_name(w.rsplit(['/', '\\']).next().unwrap_or(w)))
}

/// How a `json` block is read, from what surrounds it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsonContext<'a> {
    /// The bold label above the block ([`crate::model::Snippet::label`]).
    pub label: Option<&'a str>,
    /// The last line of text above the fence (blank lines skipped).
    pub above: Option<&'a str>,
}

/// The first error of a `json` block, read as RFC 8259 JSON (serde_json), or
/// as JSONC when the block has comments and names a JSONC file (its first
/// line is a comment naming it, or the label or the line above does, see
/// [`names_jsonc_file`]). A block of bare members (`"key": value, …`) is
/// read inside `{` `}`, a comma after its last member allowed (the file goes
/// on); its errors are placed in the block. Columns are serde_json's
/// (bytes) for JSON, characters for JSONC.
pub(crate) fn json(code: &str, context: JsonContext) -> Option<SyntaxError> {
    let first = serde_json_error(code, 0)?;
    let scan = Scan::new(code, false);
    let fragment = scan.is_fragment(code);
    let wrapped = fragment.then(|| wrap(code, &scan));
    let jsonc = scan.has_comment && names_jsonc(code, &scan, context);
    let tried = if fragment { FRAGMENT_HELP } else { "" };
    if jsonc {
        let text = wrapped.as_deref().unwrap_or(code);
        let mut e = jsonc_error(text, if fragment { 1 } else { 0 })?;
        e.help = Some(format!(
            "read as JSONC (comments and trailing commas allowed): the block names a file its reader reads so{}{tried}",
            if fragment { "; " } else { "" }
        ));
        return Some(e);
    }
    let mut e = match &wrapped {
        Some(text) => serde_json_error(text, 1)?,
        None => first,
    };
    let comments_only = jsonc_error(wrapped.as_deref().unwrap_or(code), 0).is_none();
    let mut help = Vec::new();
    if scan.has_comment && comments_only {
        help.push(
            "JSON has no comments: if the block's reader takes them (VS Code's settings.json, \
             tsconfig.json…), say which file it is in a first-line comment or label it `jsonc`"
                .to_string(),
        );
    }
    if fragment {
        help.push(tried.to_string());
    }
    e.help = (!help.is_empty()).then(|| help.join("; "));
    Some(e)
}

/// What a fragment's errors say about how it was read.
const FRAGMENT_HELP: &str =
    "read as the members of an object (inside `{` `}`, a comma after the last one allowed)";

/// The first error of a `jsonc` block: JSON with comments and trailing
/// commas (jsonc-parser with only those on); bare members are read inside
/// `{}` as in [`json`]. Column in characters.
pub(crate) fn jsonc(code: &str) -> Option<SyntaxError> {
    let e = jsonc_error(code, 0)?;
    let scan = Scan::new(code, false);
    if !scan.is_fragment(code) {
        return Some(e);
    }
    let mut e = jsonc_error(&wrap(code, &scan), 1)?;
    e.help = Some(FRAGMENT_HELP.into());
    Some(e)
}

/// Most nested arrays and objects a JSON5 block may have: the `json5` crate
/// recurses once per level, so a deeper block is reported instead of
/// overflowing the stack (serde_json's own limit is 128 too).
const JSON5_DEPTH: usize = 128;

/// The first error of a `json5` block (the `json5` crate, which follows
/// <https://spec.json5.org/>); bare members (`"key": value` or `'key':
/// value`) are read inside `{}` as in [`json`]. Column in characters.
pub(crate) fn json5(code: &str) -> Option<SyntaxError> {
    let scan = Scan::new(code, true);
    if let Some(at) = scan.too_deep {
        let (line, column) = line_col(code, at);
        return Some(SyntaxError {
            line,
            column,
            message: format!("more than {JSON5_DEPTH} nested arrays and objects"),
            help: Some(
                "ruledoc does not read deeper JSON5 (the parser would run out of stack)".into(),
            ),
        });
    }
    let e = json5_error(code, 0)?;
    if !scan.is_fragment(code) {
        return Some(e);
    }
    let mut e = json5_error(&wrap(code, &scan), 1)?;
    e.help = Some(FRAGMENT_HELP.into());
    Some(e)
}

fn json5_error(text: &str, lines_added: usize) -> Option<SyntaxError> {
    let err = json5::from_str::<serde::de::IgnoredAny>(text).err()?;
    let (line, column) = match err.position() {
        Some(p) => json5_place(text, p.line, p.column),
        None => (0, 1),
    };
    let message = err.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    };
    Some(SyntaxError {
        line: line.saturating_sub(lines_added),
        column: if line >= lines_added { column } else { 1 },
        message,
        help: None,
    })
}

/// The json5 crate's 0-based line and column (characters), where U+2028 and
/// U+2029 also end a line (ECMAScript 5.1 §7.3), as the block's 0-based line
/// and 1-based column.
fn json5_place(code: &str, line: usize, column: usize) -> (usize, usize) {
    let (mut l, mut c) = (0, 0);
    let mut chars = code.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if l == line && c == column {
            return line_col(code, i);
        }
        if matches!(ch, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            if ch == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                chars.next();
            }
            l += 1;
            c = 0;
        } else {
            c += 1;
        }
    }
    line_col(code, code.len())
}

fn serde_json_error(text: &str, lines_added: usize) -> Option<SyntaxError> {
    let err = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    let line = err.line().saturating_sub(1 + lines_added);
    Some(SyntaxError {
        line,
        column: if err.line() > lines_added {
            err.column().max(1)
        } else {
            1
        },
        message: super::strip_position(&err.to_string()),
        help: None,
    })
}

fn jsonc_error(text: &str, lines_added: usize) -> Option<SyntaxError> {
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let err = jsonc_parser::parse_to_value(text, &options).err()?;
    let (line, column) = line_col(text, err.range().start);
    Some(SyntaxError {
        line: line.saturating_sub(lines_added),
        column: if line >= lines_added { column } else { 1 },
        message: err.kind().to_string(),
        help: None,
    })
}

/// Whether a block with comments names a JSONC file: in its first comment
/// (when the block opens with one), its label or the line above it.
fn names_jsonc(code: &str, scan: &Scan, context: JsonContext) -> bool {
    let first_comment = scan
        .first_comment
        .map(|(start, end)| &code[start..end])
        .filter(|_| scan.opens_with_comment);
    [first_comment, context.label, context.above]
        .into_iter()
        .flatten()
        .any(names_jsonc_file)
}

/// `{` + the block + `}`, a comma after the last member taken off (a space
/// in its place, so that columns stay), on lines of their own: the block's
/// line `n` is line `n + 1`.
fn wrap(code: &str, scan: &Scan) -> String {
    let mut inner = code.to_string();
    if let Some(at) = scan.last.filter(|&at| code.as_bytes()[at] == b',') {
        inner.replace_range(at..at + 1, " ");
    }
    format!("{{\n{inner}\n}}")
}

/// What a light reading of a JSON-like text finds: strings and comments
/// skipped, the rest by byte offset.
#[derive(Debug, Default)]
struct Scan {
    /// Byte offsets of the first two significant characters (outside strings
    /// and comments, not whitespace), a string counting as its opening quote.
    first: Option<usize>,
    second: Option<usize>,
    /// Byte offset of the last significant character.
    last: Option<usize>,
    /// Whether a `//` or `/* */` comment is outside the strings.
    has_comment: bool,
    /// The first comment's byte range, text without its markers.
    first_comment: Option<(usize, usize)>,
    /// Whether a comment comes before anything significant.
    opens_with_comment: bool,
    /// Where nesting first goes deeper than [`JSON5_DEPTH`].
    too_deep: Option<usize>,
}

impl Scan {
    /// Reads `code`; `single_quotes`: `'…'` is a string too (JSON5).
    fn new(code: &str, single_quotes: bool) -> Scan {
        let bytes = code.as_bytes();
        let mut scan = Scan::default();
        let mut depth = 0usize;
        let mut i = 0;
        let mut significant = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'"' | b'\'' if b == b'"' || single_quotes => {
                    scan.mark(i, &mut significant);
                    i += 1;
                    while i < bytes.len() && bytes[i] != b {
                        if bytes[i] == b'\\' {
                            i += 1;
                        } else if bytes[i] == b'\n' && b == b'"' && !single_quotes {
                            break;
                        }
                        i += 1;
                    }
                }
                b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => {
                    let block = bytes[i + 1] == b'*';
                    let start = i + 2;
                    let end = if block {
                        code[start..].find("*/").map_or(bytes.len(), |e| start + e)
                    } else {
                        code[start..].find('\n').map_or(bytes.len(), |e| start + e)
                    };
                    if !scan.has_comment {
                        scan.first_comment = Some((start, end));
                        scan.opens_with_comment = significant == 0;
                    }
                    scan.has_comment = true;
                    i = if block {
                        (end + 2).min(bytes.len())
                    } else {
                        end
                    };
                    continue;
                }
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => {
                    scan.mark(i, &mut significant);
                    if matches!(b, b'[' | b'{') {
                        depth += 1;
                        if depth > JSON5_DEPTH && scan.too_deep.is_none() {
                            scan.too_deep = Some(i);
                        }
                    } else if matches!(b, b']' | b'}') {
                        depth = depth.saturating_sub(1);
                    }
                }
            }
            i += 1;
        }
        scan
    }

    fn mark(&mut self, at: usize, significant: &mut usize) {
        match *significant {
            0 => self.first = Some(at),
            1 => self.second = Some(at),
            _ => {}
        }
        *significant += 1;
        self.last = Some(at);
    }

    /// The text opens with a string and then `:`: the members of an object
    /// without their braces.
    fn is_fragment(&self, code: &str) -> bool {
        let bytes = code.as_bytes();
        self.first
            .is_some_and(|at| matches!(bytes[at], b'"' | b'\''))
            && self.second.is_some_and(|at| bytes[at] == b':')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_plain(code: &str) -> Option<SyntaxError> {
        json(code, JsonContext::default())
    }

    #[test]
    fn jsonc_names_follow_vs_code() {
        for name in [
            "// .vscode/settings.json",
            "tsconfig.json",
            "`tsconfig.app.json`",
            "tsconfig-base.json:",
            ".devcontainer/devcontainer.json",
            "In `.eslintrc.json`, add:",
            "pyrightconfig.json",
            "deno.jsonc",
        ] {
            assert!(names_jsonc_file(name), "{name}");
        }
        for name in [
            "package.json",
            "tsconfig.json.bak",
            "app.json",
            "tsconfig",
            "my_tsconfig.json",
        ] {
            assert!(!names_jsonc_file(name), "{name}");
        }
    }

    #[test]
    fn a_json_block_naming_a_jsonc_file_takes_comments() {
        let code = "// tsconfig.json\n{\n  \"strict\": true, // yes\n}\n";
        assert_eq!(json_plain(code), None);
        let labelled = "{\n  /* why */ \"a\": 1\n}\n";
        let context = JsonContext {
            label: Some("`.vscode/settings.json`"),
            above: None,
        };
        assert_eq!(json(labelled, context), None);
        let above = JsonContext {
            label: None,
            above: Some("Add this to your tsconfig.json:"),
        };
        assert_eq!(json(labelled, above), None);
        // Still JSONC, not anything goes.
        let e = json_plain("// tsconfig.json\n{\n  strict: true\n}\n").unwrap();
        assert_eq!(e.line, 2);
        assert!(e.help.unwrap().contains("JSONC"));
    }

    #[test]
    fn comments_in_other_json_fail_with_help() {
        let e = json_plain("// package.json\n{\n  \"name\": \"x\"\n}\n").unwrap();
        assert_eq!((e.line, e.column), (0, 1));
        assert!(e.help.unwrap().contains("`jsonc`"));
        // A comment deeper in the block does not name the file.
        let e = json_plain("{\n  \"a\": 1 // tsconfig.json\n}\n").unwrap();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn comment_help_only_when_comments_are_the_problem() {
        let e = json_plain("// x\n{ \"a\": ObjectId(\"1\") }\n").unwrap();
        assert_eq!(e.help, None);
    }

    #[test]
    fn bare_members_are_read_inside_an_object() {
        assert_eq!(json_plain("\"editor.formatOnSave\": true,\n"), None);
        assert_eq!(json_plain("\"a\": 1,\n\"b\": [2, 3]\n"), None);
        let e = json_plain("\"a\": 1,\n\"b\": [2, 3,]\n").unwrap();
        assert_eq!(e.line, 1, "{e:?}");
        assert!(e.help.unwrap().contains("members of an object"));
        // With a JSONC name, the members take comments.
        assert_eq!(
            json_plain("// .vscode/settings.json\n\"a\": 1, // on\n\"b\": 2,\n"),
            None
        );
        // Not a fragment: an object alone must be whole.
        assert!(json_plain("{\"a\": 1,}").is_some());
    }

    #[test]
    fn jsonc_and_json5_members_are_read_inside_an_object() {
        let members = "\"dependencies\": {\n  \"a\": \"1\", // why\n  \"b\": \"2\"\n}\n";
        assert_eq!(jsonc(members), None);
        assert_eq!(json5(members), None);
        assert_eq!(json5("'a': 1,\n"), None);
        let e = jsonc("\"a\": 1,\n\"b\" 2\n").unwrap();
        assert_eq!((e.line, e.help.as_deref()), (1, Some(FRAGMENT_HELP)));
        let e = json5("\"a\": 1,\n\"b\" 2\n").unwrap();
        assert_eq!(e.line, 1, "{e:?}");
    }

    #[test]
    fn jsonc_allows_comments_and_trailing_commas_only() {
        assert_eq!(jsonc("{\n  // c\n  \"a\": [1, 2,], /* d */\n}\n"), None);
        for bad in [
            "{a: 1}",
            "{'a': 1}",
            "[0x10]",
            "[+1]",
            "[.5]",
            "[NaN]",
            "{\"a\": 1 \"b\": 2}",
            "{} {}",
        ] {
            assert!(jsonc(bad).is_some(), "{bad}");
        }
        let e = jsonc("{\n  \"a\": 1,\n  b\n}\n").unwrap();
        assert_eq!((e.line, e.column), (2, 3));
    }

    #[test]
    fn json5_reads_json5_org_example() {
        let example = "{\n  // comments\n  unquoted: 'and you can quote me on that',\n  singleQuotes: 'I can use \"double quotes\" here',\n  lineBreaks: \"Look, Mom! \\\nNo \\\\n's!\",\n  hexadecimal: 0xdecaf,\n  leadingDecimalPoint: .8675309, andTrailing: 8675309.,\n  positiveSign: +1,\n  trailingComma: 'in objects', andIn: ['arrays',],\n  \"backwardsCompatible\": \"with JSON\",\n  infinity: +Infinity, nan: NaN,\n}\n";
        assert_eq!(json5(example), None);
        let e = json5("{\n  a: 1,\n  b c\n}\n").unwrap();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(
            json5("{ a: \"x\ny\" }").is_some(),
            "a raw line break in a string"
        );
    }

    #[test]
    fn json5_too_deep_is_reported_not_overflowed() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = json5(&deep).unwrap();
        assert_eq!((e.line, e.column), (0, JSON5_DEPTH + 1));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(json5(&ok), None);
    }
}
