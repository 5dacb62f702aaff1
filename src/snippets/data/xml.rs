//! XML blocks (`xml`, `svg`): well-formedness as XML 1.0 and Namespaces in
//! XML 1.0 define it, checked with roxmltree (tags, attributes, entities,
//! namespaces; a DTD's internal subset is read for its entities).
//!
//! Rule files mostly show pieces of a file: several `<dependency>` elements
//! of a `pom.xml`, an Android view using `android:` without the root that
//! declares it. A block that is no document is read again as such a piece:
//! inside one root element that declares every prefix the block uses.

use roxmltree::{Document, ParsingOptions};

use super::super::python::SyntaxError;

/// What a fragment's errors say about how it was read.
const FRAGMENT_HELP: &str = "read as a fragment of a file: inside one root element (`<ruledoc-fragment>`) that declares the namespace prefixes the block uses";

/// The first well-formedness error of an `xml` or `svg` block, read as a
/// document, or else as a fragment (see the module); a block with an XML
/// declaration or a `<!DOCTYPE>` is a whole document and is not wrapped.
/// Line 0-based, column 1-based in characters.
pub(crate) fn xml(code: &str) -> Option<SyntaxError> {
    let whole = parse(code, 0)?;
    let trimmed = code.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<?xml") || code.contains("<!DOCTYPE") {
        return Some(whole);
    }
    let mut open = String::from("<ruledoc-fragment");
    for prefix in prefixes(code) {
        open.push_str(&format!(" xmlns:{prefix}=\"urn:ruledoc:{prefix}\""));
    }
    let wrapped = format!("{open}>\n{code}\n</ruledoc-fragment>");
    let mut e = parse(&wrapped, 1)?;
    let lines = code.lines().count().max(1);
    if e.line >= lines {
        // At the wrapper's closing tag: something the block left open.
        e.line = lines - 1;
        e.column = code.lines().last().map_or(0, |l| l.chars().count()) + 1;
    }
    if (e.line, e.column) == (whole.line, whole.column) {
        // The same error either way: the block's shape is not the problem.
        return Some(whole);
    }
    e.help = Some(FRAGMENT_HELP.into());
    Some(e)
}

fn parse(text: &str, lines_added: usize) -> Option<SyntaxError> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let err = Document::parse_with_options(text, options).err()?;
    let pos = err.pos();
    let row = (pos.row as usize).saturating_sub(1);
    let message = without_position(&err.to_string());
    Some(SyntaxError {
        line: row.saturating_sub(lines_added),
        column: if row >= lines_added {
            (pos.col as usize).max(1)
        } else {
            1
        },
        message,
        help: None,
    })
}

/// roxmltree's message without its ` at ROW:COL` (which may stand mid-way:
/// `attribute 'x' at 2:12 is already defined`): the position is reported
/// separately, in the block's lines.
fn without_position(message: &str) -> String {
    let mut out = message.to_string();
    let mut from = 0;
    while let Some(found) = out[from..].find(" at ") {
        let at = from + found;
        let rest = &out[at + 4..];
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(rest.len());
        let token = &rest[..len];
        if token.contains(':') && token.starts_with(|c: char| c.is_ascii_digit()) {
            out.replace_range(at..at + 4 + len, "");
        } else {
            from = at + 4;
        }
    }
    out
}

/// The namespace prefixes the block's names use (`android` in
/// `android:name=`, `app` in `<app:x>`), `xml` and `xmlns` left out (they
/// are bound already and cannot be declared), each once.
fn prefixes(code: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let bytes = code.as_bytes();
    let name_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let name_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    for (colon, _) in code.match_indices(':') {
        if !bytes.get(colon + 1).copied().is_some_and(name_start) {
            continue;
        }
        let start = code[..colon]
            .bytes()
            .rposition(|b| !name_char(b))
            .map_or(0, |i| i + 1);
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let opens_name = matches!(before, Some(b'<' | b'/' | b' ' | b'\t' | b'\n' | b'\r'));
        let prefix = &code[start..colon];
        if opens_name
            && !prefix.is_empty()
            && name_start(prefix.as_bytes()[0])
            && !prefix.eq_ignore_ascii_case("xml")
            && !prefix.eq_ignore_ascii_case("xmlns")
            && !out.contains(&prefix)
        {
            out.push(prefix);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_fragments_parse() {
        assert_eq!(
            xml("<?xml version=\"1.0\"?>\n<project><a>1</a></project>\n"),
            None
        );
        assert_eq!(
            xml("<dependency>\n  <groupId>g</groupId>\n</dependency>\n<dependency/>\n"),
            None
        );
        assert_eq!(
            xml("<provider android:name=\".P\" app:x=\"1\" />\n<!-- c -->\ntext between\n"),
            None
        );
        assert_eq!(
            xml("<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0\"/></svg>\n"),
            None
        );
    }

    #[test]
    fn errors_are_placed_in_the_block() {
        let e = xml("<a>\n  <b>\n</a>\n").unwrap();
        assert_eq!(e.line, 2, "{e:?}");
        let e = xml("<a>\n  <b x=\"1\" x=\"2\"/>\n</a>\n<c/>\n").unwrap();
        assert_eq!(e.line, 1, "{e:?}");
        assert_eq!(e.message, "attribute 'x' is already defined");
        // Two roots are fine in a fragment: the error found past them has help.
        let e = xml("<a/>\n<b>\n").unwrap();
        assert_eq!((e.line, e.help.is_some()), (1, true), "{e:?}");
        // Left open: placed at the end of the block.
        let e = xml("<application android:x=\"y\" ...>\n").unwrap();
        assert_eq!(e.line, 0, "{e:?}");
        let e = xml("<a>\n  <b>\n").unwrap();
        assert_eq!(e.line, 1, "{e:?}");
    }

    #[test]
    fn an_error_a_fragment_does_not_explain_has_no_fragment_help() {
        let e = xml("<svg><path d=\"M0\"></svg>\n").unwrap();
        assert_eq!((e.line, e.help), (0, None));
    }

    #[test]
    fn a_declared_document_is_not_wrapped() {
        let e = xml("<?xml version=\"1.0\"?>\n<a/>\n<b/>\n").unwrap();
        assert_eq!(e.help, None);
    }

    #[test]
    fn prefixes_are_names_not_urls_or_bound_ones() {
        // `f:g` in text is declared too: an unused declaration is harmless.
        assert_eq!(
            prefixes("<a:b c:d=\"http://x\" xmlns:e=\"u\" xml:lang=\"en\">Note: f:g</a:b>"),
            ["a", "c", "f"]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        let _ = xml(&deep);
    }
}
