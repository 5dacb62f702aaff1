//! What render prints of a document's body: the source as written, except
//! what would spill out of it or is no part of it. A fence the document
//! leaves open at its end is closed (CommonMark closes it there anyway; a
//! target that joins documents would otherwise run it into the next one),
//! and lines of leftover tool-call or chat markup (what RD206 reports, and
//! such lines inside a block that never closes) are dropped. A source with
//! findings of the rules that say its blocks are not what its author wrote
//! (RD201, RD202, RD206, RD207) is reported.

use std::borrow::Cow;

use crate::error::Notice;
use crate::lint::rules::is_artifact;
use crate::load::Document;

/// The body of `document` (the text after its front matter) made safe to
/// print and to join: artifact lines dropped, a fence left open at the end
/// closed. Borrowed when there is nothing to change.
pub(crate) fn body(document: &Document) -> Cow<'_, str> {
    let text = document.source.text.as_str();
    let doc = &document.doc;
    let start = doc.layout.body_start.min(text.len());
    let raw = &text[start..];
    if !doc.markdown {
        // A file its agent reads as plain text (Roo's `.xml` modes): in a
        // Markdown target it is a code block, fenced longer than any run of
        // backticks inside, so nothing in it reads as structure.
        return Cow::Owned(as_code_block(raw, &document.source.path));
    }
    // Blocks that never close: their content is no code its author wrote
    // out, so markup inside them is dropped too.
    let unclosed: Vec<(usize, usize)> = doc
        .snippets
        .iter()
        .filter(|s| !s.closed)
        .map(|s| (s.span.start, s.span.end))
        .collect();
    let in_unclosed = |at: usize| unclosed.iter().any(|&(s, e)| s <= at && at < e);
    let mut out = String::new();
    let mut changed = false;
    let mut at = start;
    for line in raw.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let drop = is_artifact(line.trim_end_matches(['\n', '\r']))
            && (!doc.layout.in_code(at + indent) || in_unclosed(at + indent));
        if drop {
            changed = true;
        } else {
            out.push_str(line);
        }
        at += line.len();
    }
    // A fence open at the end of the document, outside any list item or
    // block quote (those end before the next document's first line).
    if let Some(open) = doc
        .snippets
        .iter()
        .rev()
        .find(|s| !s.closed && s.container.is_none())
    {
        let fence: String = std::iter::repeat_n(open.fence.char, open.fence.len).collect();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&fence);
        out.push('\n');
        changed = true;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(raw)
    }
}

/// One warning for a source with findings of the rules in
/// [`crate::lint::FMT_BLOCKERS`] (RD201, RD202, RD206, RD207), whatever the
/// configuration enables: at its first finding, naming every code found and
/// what the outputs do about it.
pub fn source_problems(
    document: &Document,
    found: &crate::discover::Found,
    settings: &crate::settings::Settings,
) -> Option<Notice> {
    let findings = crate::lint::fmt_blockers(document, found, settings);
    let first = findings.first()?;
    let mut codes: Vec<&str> = findings.iter().map(|d| d.code).collect();
    codes.dedup();
    let more = findings.len() - 1;
    let also = if more == 0 {
        String::new()
    } else {
        format!(
            " (and {more} more finding{} of {})",
            if more == 1 { "" } else { "s" },
            codes.join(", ")
        )
    };
    Some(Notice {
        path: document.doc.path.clone(),
        line: Some(first.range.start.line),
        message: format!(
            "{} {}{also}; rendered as it stands, with a fence left open at the end closed and tool-call markup dropped: fix the source",
            first.code, first.message
        ),
    })
}

/// `text` as one fenced code block: the fence one backtick longer than the
/// longest run inside (at least three), the info string from the file's
/// extension (`xml`, else `text`).
fn as_code_block(text: &str, path: &std::path::Path) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let lang = match path.extension().and_then(|e| e.to_str()) {
        Some("xml") => "xml",
        _ => "text",
    };
    let nl = if text.ends_with('\n') || text.is_empty() {
        ""
    } else {
        "\n"
    };
    format!("{fence}{lang}\n{text}{nl}{fence}\n")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::parse::{ParseOptions, parse};
    use crate::source::SourceFile;

    fn document(text: &str) -> Document {
        let source = SourceFile::new(PathBuf::from("a.md"), text.to_string());
        let doc = parse(&source, &ParseOptions::default());
        Document {
            source: std::sync::Arc::new(source),
            doc,
        }
    }

    #[test]
    fn a_fence_left_open_is_closed() {
        let d = document("# A\n\n````md\n```js\nx\n");
        assert_eq!(body(&d), "# A\n\n````md\n```js\nx\n````\n");
        let d = document("# A\n\n```\nx");
        assert_eq!(body(&d), "# A\n\n```\nx\n```\n");
    }

    #[test]
    fn artifacts_are_dropped_outside_code() {
        let d = document(
            "# A\n\nText.\n</xai:function_call name=\"write\">\n\n```xml\n<invoke name=\"x\">\n```\n",
        );
        assert_eq!(
            body(&d),
            "# A\n\nText.\n\n```xml\n<invoke name=\"x\">\n```\n"
        );
        let d = document("# A\n\n```md\nx\n<parameter name=\"p\">y\n");
        assert_eq!(body(&d), "# A\n\n```md\nx\n```\n");
    }

    #[test]
    fn sound_bodies_are_borrowed() {
        let d = document("# A\n\n```rust\nfn f() {}\n```\n");
        assert!(matches!(body(&d), Cow::Borrowed(_)));
    }

    #[test]
    fn plain_text_becomes_one_code_block_fenced_longer_than_its_backticks() {
        let out = super::as_code_block("<a>\n```md\nx\n</a>\n", std::path::Path::new("m.xml"));
        assert_eq!(out, "````xml\n<a>\n```md\nx\n</a>\n````\n");
    }
}
