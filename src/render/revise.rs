//! The `revised` target: a document with its fixes applied, its title and
//! Purpose in the canonical shape, formatted, front matter in canonical order,
//! and a revision stamp that is a content hash (never a time, so `--check`
//! works).

use super::Input;
use crate::diagnostic::Applicability;
use crate::fmt::{Formatted, format_document, reorder_front_matter};
use crate::lint::{Job, Plan, fix_document};
use crate::parse::{front_matter_of, parse};
use crate::settings::Settings;
use crate::source::{LineIndex, SourceFile};

/// The revised text of a document.
pub(super) fn revise(input: &Input, settings: &Settings) -> String {
    // The revised copy is a proposal beside the sources, not a rewrite of
    // them: it takes the unsafe fixes too (never display-only ones).
    // What no output carries (tool-call markup, a fence left open) is gone
    // before anything else.
    let document = match super::safe::body(&input.document) {
        std::borrow::Cow::Borrowed(_) => input.document.clone(),
        std::borrow::Cow::Owned(body) => {
            let text = &input.document.source.text;
            let start = input.document.doc.layout.body_start.min(text.len());
            let source = SourceFile::new(
                input.found.path.clone(),
                format!("{}{body}", &text[..start]),
            );
            let doc = parse(&source, &settings.parse_options(&input.found));
            crate::load::Document {
                source: std::sync::Arc::new(source),
                doc,
            }
        }
    };
    let fixed = fix_document(
        document,
        &input.found,
        &Plan::all(Job::Lint),
        settings,
        Applicability::Unsafe,
    );
    let mut text = fixed.document.source.text.clone();
    let doc = &fixed.document.doc;

    // The title: `# Name Kind (Tier N)` from what the document says, for a
    // document of the tiered convention only: an agent's rule whose tier
    // comes from its folder alone is not made to claim one (RD105 would then
    // ask it for a Purpose it never had).
    if let (Some(span), Some(name), crate::model::Format::Tiered) =
        (doc.title_span, doc.name.as_deref(), doc.format)
    {
        let mut title = format!("# {name}");
        if let Some(kind) = &doc.kind {
            title.push_str(&format!(" {kind}"));
        }
        if let Some(tier) = doc.tier {
            title.push_str(&format!(" (Tier {tier})"));
        }
        let line = &text[span.start..span.end];
        let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
        if line.starts_with("# ") {
            text.replace_range(span.start..span.end, &format!("{title}{ending}"));
        }
    }
    let text = normalise_purpose(&text, settings, input);
    let text = match format_document(&text) {
        Formatted::Changed(t) => t,
        Formatted::Unchanged | Formatted::Refused(_) => text,
    };
    stamp(&text)
}

/// `## Purpose` spelt so; a purpose that only the front matter has gets a
/// section right under the title.
fn normalise_purpose(text: &str, settings: &Settings, input: &Input) -> String {
    let source = SourceFile::new(input.found.path.clone(), text.to_string());
    let doc = parse(&source, &settings.parse_options(&input.found));
    let mut out = text.to_string();
    match (doc.purpose_line, &doc.purpose, doc.title_span) {
        (Some(line), _, _) => {
            let span = source.lines.line_span(text, line);
            let heading = &text[span.start..span.end];
            let level = heading.chars().take_while(|&c| c == '#').count();
            if level >= 2 && heading.trim_end() != format!("{} Purpose", "#".repeat(level)) {
                out.replace_range(
                    span.start..span.end,
                    &format!("{} Purpose", "#".repeat(level)),
                );
            }
        }
        (None, Some(purpose), Some(title)) => {
            let at = title.end;
            let lead = if text[..at].ends_with('\n') { "" } else { "\n" };
            out.insert_str(at, &format!("{lead}\n## Purpose\n\n{purpose}\n"));
        }
        _ => {}
    }
    out
}

/// Set `revision: "sha256:…"` in the front matter (creating it if there is
/// none), the first 12 hex digits of the SHA-256 of the text without the
/// stamp; the front matter is then put in canonical key order.
pub(super) fn stamp(text: &str) -> String {
    let unstamped = without_revision(text);
    let hash = &crate::hash::content_hash(&[&unstamped])[..12];
    let line = format!("revision: \"sha256:{hash}\"\n");
    let lines = LineIndex::new(&unstamped);
    match front_matter_of(&unstamped, &lines) {
        Some(fm) if fm.is_closed() => {
            let mut block = unstamped[..fm.span.end].to_string();
            let close = block[..block.len().saturating_sub(1)]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            block.insert_str(close, &line);
            let block = reorder_front_matter(&block).unwrap_or(block);
            format!("{block}{}", &unstamped[fm.span.end..])
        }
        _ => format!("---\n{line}---\n{unstamped}"),
    }
}

/// The text without a `revision:` line in its front matter.
fn without_revision(text: &str) -> String {
    let lines = LineIndex::new(text);
    let Some(fm) = front_matter_of(text, &lines).filter(|f| f.is_closed()) else {
        return text.to_string();
    };
    let block: String = text[..fm.span.end]
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("revision:"))
        .collect();
    let rest = &text[fm.span.end..];
    if block.trim() == "---\n---".trim() || block == "---\n---\n" {
        return rest.to_string();
    }
    format!("{block}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_is_a_hash_of_everything_else() {
        let a = stamp("# T\n\nBody.\n");
        assert!(a.starts_with("---\nrevision: \"sha256:"), "{a}");
        assert_eq!(stamp(&a), a, "stamping is stable");
        assert_ne!(stamp("# T\n\nOther.\n"), a);
        let b = stamp("---\ntier: 2\n---\n# T\n");
        assert!(b.starts_with("---\ntier: 2\nrevision: \"sha256:"), "{b}");
        assert_eq!(stamp(&b), b);
    }
}
