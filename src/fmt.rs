//! `ruledoc fmt`: canonical Markdown through comrak, without changing what a
//! document says. The rendering before and after (comrak's HTML, with the
//! GitHub extensions fmt enables: tables, strikethrough, task lists,
//! footnotes) must be the same and formatting the result again must change
//! nothing, or the document is left as it is. Front matter is not rewritten,
//! only its top-level keys reordered ([`KEY_ORDER`]).

use comrak::{Arena, Options, format_commonmark, format_html, parse_document};
use serde_json::{Map, Value};

use crate::parse::front_matter_of;
use crate::source::LineIndex;

/// What formatting a document gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formatted {
    /// Already canonical.
    Unchanged,
    /// The canonical text.
    Changed(String),
    /// Formatting would change the rendering, or is not stable: left alone.
    /// Why, in one sentence.
    Refused(String),
}

/// Front-matter keys in the order fmt puts them; others follow in their order.
pub const KEY_ORDER: &[&str] = &[
    "name",
    "description",
    "tier",
    "kind",
    "purpose",
    "globs",
    "paths",
    "applyTo",
    "alwaysApply",
    "excludeAgent",
    "revision",
];

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.render.r#unsafe = true;
    o.render.prefer_fenced = true;
    o.render.width = 0;
    o
}

/// The body as comrak writes it back as CommonMark: fenced code blocks,
/// raw HTML kept, no line wrapping, the extensions above.
pub fn commonmark(body: &str) -> String {
    let arena = Arena::new();
    let options = options();
    let root = parse_document(&arena, body, &options);
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = format_commonmark(root, &options, &mut out);
    out
}

/// The body's HTML, for comparing renderings. comrak separates adjacent
/// lists with an invisible `<!-- end list -->`, which is not a difference.
pub fn html(body: &str) -> String {
    let arena = Arena::new();
    let options = options();
    let root = parse_document(&arena, body, &options);
    let mut out = String::new();
    let _ = format_html(root, &options, &mut out);
    out.replace("<!-- end list -->\n", "")
}

/// Format a whole document: front matter keys in canonical order (when
/// that reads back as the same mapping), the body through comrak. An
/// unclosed front matter is taken as part of the body.
pub fn format_document(text: &str) -> Formatted {
    let (front, body) = split(text);
    let front_out = match front {
        Some(fm) => reorder_front_matter(fm).unwrap_or_else(|| fm.to_string()),
        None => String::new(),
    };
    let body_out = commonmark(body);
    if html(body) != html(&body_out) {
        return Formatted::Refused("formatting would change how the document renders".into());
    }
    let out = format!("{front_out}{body_out}");
    if out == text {
        return Formatted::Unchanged;
    }
    // Formatting the result again must change nothing.
    let (_, again_body) = split(&out);
    if commonmark(again_body) != again_body {
        return Formatted::Refused("formatting is not stable on this document".into());
    }
    Formatted::Changed(out)
}

/// The front-matter block (delimiters included) and the body after it.
fn split(text: &str) -> (Option<&str>, &str) {
    let lines = LineIndex::new(text);
    match front_matter_of(text, &lines) {
        Some(fm) if fm.is_closed() => (Some(&text[..fm.span.end]), &text[fm.span.end..]),
        _ => (None, text),
    }
}

/// The block with its top-level keys in canonical order, each key moved with
/// its value lines and the comments above it. `None` when the YAML does not
/// read back as the same mapping (or cannot be read at all).
pub fn reorder_front_matter(block: &str) -> Option<String> {
    let lines = LineIndex::new(block);
    let fm = front_matter_of(block, &lines)?;
    let data = fm.data.as_ref().filter(|_| fm.error.is_none())?;
    let yaml = &block[fm.yaml_span.start..fm.yaml_span.end];
    let entries = entries(yaml)?;
    let mut sorted = entries.clone();
    sorted.sort_by_key(|(key, _)| {
        KEY_ORDER
            .iter()
            .position(|k| k == key)
            .unwrap_or(KEY_ORDER.len())
    });
    if sorted == entries {
        return Some(block.to_string());
    }
    let new_yaml: String = sorted.iter().map(|(_, text)| text.as_str()).collect();
    let reread: Map<String, Value> = match serde_saphyr::from_str::<Value>(&new_yaml) {
        Ok(Value::Object(m)) => m,
        _ => return None,
    };
    if &reread != data {
        return None;
    }
    Some(format!(
        "{}{new_yaml}{}",
        &block[..fm.yaml_span.start],
        &block[fm.yaml_span.end..]
    ))
}

/// Top-level entries: (key, text including preceding comments and the value's
/// continuation lines). `None` for YAML whose top level is not plain keys.
fn entries(yaml: &str) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut pending = String::new();
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let top = !content.starts_with([' ', '\t']) && !content.is_empty();
        if top && content.starts_with('#') {
            pending.push_str(line);
            continue;
        }
        if top && !content.starts_with('-') {
            let (key, _) = content.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']).to_string();
            // Anchors and aliases tie entries to their order: leave them be.
            if content.contains(" &") || content.contains(" *") {
                return None;
            }
            out.push((key, std::mem::take(&mut pending) + line));
            continue;
        }
        match out.last_mut() {
            Some((_, text)) => {
                text.push_str(&pending);
                pending.clear();
                text.push_str(line);
            }
            None if content.trim().is_empty() || content.trim_start().starts_with('#') => {
                pending.push_str(line)
            }
            None => return None,
        }
    }
    if let Some((_, text)) = out.last_mut() {
        text.push_str(&pending);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_with_their_values_and_comments() {
        let block = "---\nglobs:\n  - \"*.rs\"\n# the rule's tier\ntier: 2\ndescription: x\n---\n";
        let out = reorder_front_matter(block).unwrap();
        assert_eq!(
            out,
            "---\ndescription: x\n# the rule's tier\ntier: 2\nglobs:\n  - \"*.rs\"\n---\n"
        );
    }

    #[test]
    fn broken_or_aliased_front_matter_is_left_alone() {
        assert_eq!(
            reorder_front_matter("---\nglobs: **/*.ts\ndescription: x\n---\n"),
            None
        );
        assert_eq!(reorder_front_matter("---\nb: &x 1\na: *x\n---\n"), None);
    }

    #[test]
    fn formatting_keeps_code_and_rendering() {
        let text = "---\ntier: 2\ndescription: d\n---\n# T\n\n* a\n* b\n\n```rust\nlet   x = 1;\n```\nText  \nmore\n";
        let Formatted::Changed(out) = format_document(text) else {
            panic!("expected a change")
        };
        assert!(out.starts_with("---\ndescription: d\ntier: 2\n---\n"));
        assert!(out.contains("```rust\nlet   x = 1;\n```"));
        assert_eq!(format_document(&out), Formatted::Unchanged);
    }
}
