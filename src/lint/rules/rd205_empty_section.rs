use crate::diagnostic::code_span;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::model::Section;

declare_rule! {
    /// ## What it does
    /// Reports a heading with no content before the next heading of the same
    /// or a higher level. (An empty Purpose is RD106's finding.)
    ///
    /// ## Why
    /// An empty section is a promise the document does not keep, often a
    /// leftover from a template or a half-finished edit.
    ///
    /// ## Example
    /// ```markdown
    /// ## Retries
    ///
    /// ## Timeouts
    ///
    /// Every call has a deadline.
    /// ```
    ///
    /// Use instead: write the section, or remove its heading.
    /// ```markdown
    /// ## Timeouts
    ///
    /// Every call has a deadline.
    /// ```
    pub struct EmptySection {
        code: "RD205",
        name: "empty-section",
        severity: Warning,
        kind: Document,
        fix: Never,
    }
}

impl Rule for EmptySection {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let purpose = ctx.doc.purpose_line;
        let mut stack: Vec<&Section> = ctx.doc.sections.iter().rev().collect();
        while let Some(s) = stack.pop() {
            stack.extend(s.children.iter().rev());
            if Some(s.line) == purpose {
                continue;
            }
            let body = &ctx.source.text[s.body_span.start..s.body_span.end];
            // A `key: value` line over `---` is front matter out of place
            // (RD109, RD111 say so), read by CommonMark as a heading.
            if is_blank(body)
                && !closes_earlier(ctx, s)
                && !ctx.in_sample(s.span.start)
                && !crate::formats::is_front_matter_line(&s.heading)
            {
                let message = if s.heading.trim().is_empty() {
                    "a heading with no text and no content".to_string()
                } else {
                    format!("section {} is empty", code_span(&s.heading))
                };
                out.push(ctx.diagnostic(&Self::META, ctx.trim_line_end(s.span), message));
            }
        }
    }
}

/// Whether the heading is the closing marker of a block an earlier heading
/// opened (`# === Tool ===` … `# === /Tool ===`, as tools that inject
/// instructions into a file write them): it ends a block, no section's
/// content is missing.
fn closes_earlier(ctx: &DocContext, s: &Section) -> bool {
    let Some(name) = marker_name(&s.heading).strip_prefix('/') else {
        return false;
    };
    let name = name.trim();
    !name.is_empty()
        && ctx
            .doc
            .layout
            .headings
            .iter()
            .filter(|(_, span)| span.start < s.span.start)
            .any(|(_, span)| {
                marker_name(&ctx.source.text[span.start..span.end]).eq_ignore_ascii_case(name)
            })
}

/// A heading's text without the rules drawn around it (`=== x ===`).
fn marker_name(heading: &str) -> &str {
    heading
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '=' | '-' | '*' | '~' | '_' | '#'))
}

/// Only whitespace and HTML comments.
fn is_blank(text: &str) -> bool {
    let mut rest = text.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_do_not_count_as_content() {
        assert!(super::is_blank("\n  <!-- todo -->\n\n"));
        assert!(!super::is_blank("<!-- todo -->\ntext"));
        assert!(!super::is_blank("<!-- never closed"));
    }
}
