use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{
    AnchorCheck, DocContext, DocFacts, Findings, Rule, SetContext, SetFindings, declare_rule,
};
use crate::load::read_text;
use crate::model::RuleDoc;
use crate::parse::parse;
use crate::paths::normalize_from;
use crate::source::SourceFile;

declare_rule! {
    /// ## What it does
    /// Reports a relative link or image whose file does not exist, or whose
    /// `#anchor` names no heading of the target document (GitHub's anchor
    /// rules: lower case, punctuation dropped, spaces to hyphens, repeats
    /// numbered). Links resolve relative to the document, as Claude Code and
    /// GitHub resolve them. A link that leaves the rule-set root is reported
    /// as a warning and never followed. Web links (`https:`, `mailto:`) and
    /// site-absolute paths (`/docs/…`) are not checked.
    ///
    /// ## Why
    /// Rules point at each other for detail; a broken pointer sends an agent or
    /// a reader nowhere, usually after a file was renamed.
    ///
    /// ## Example
    /// ```markdown
    /// See [error handling](../errors.md#retries).
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// See [error handling](../error-handling.md#retries).
    /// ```
    pub struct BrokenLink {
        code: "RD401",
        name: "broken-link",
        severity: Error,
        kind: Set,
        fix: Never,
    }
}

impl Rule for BrokenLink {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let mut own: Option<HashSet<String>> = None;
        // Resolved once per document, when a link first needs it.
        let mut real_boundary: Option<Option<std::path::PathBuf>> = None;
        for link in &ctx.doc.links {
            let url = link.url.trim();
            if url.is_empty() || has_scheme(url) || url.starts_with("//") {
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path = path.split('?').next().unwrap_or("");
            let span = ctx.trim_line_end(link.span);
            if path.is_empty() {
                let Some(anchor) = fragment.filter(|f| !f.is_empty()) else {
                    continue;
                };
                let anchors = own.get_or_insert_with(|| doc_anchors(ctx.source, ctx.doc));
                if !has_anchor(anchors, anchor) {
                    out.push(ctx.diagnostic(
                        &Self::META,
                        span,
                        format!("no heading in this document has the anchor `#{anchor}`"),
                    ));
                }
                continue;
            }
            if path.starts_with('/') {
                continue;
            }
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let target = normalize_from(ctx.dir(), Path::new(decoded.as_ref()));
            if !target.starts_with(&ctx.boundary) {
                out.push(ctx.diagnostic_at(
                    &Self::META,
                    Severity::Warning,
                    span,
                    format!("link `{url}` leaves the rule-set root; it is not followed"),
                ));
                continue;
            }
            let Ok(meta) = std::fs::metadata(&target) else {
                out.push(ctx.diagnostic(
                    &Self::META,
                    span,
                    format!("link `{url}`: no such file `{decoded}`"),
                ));
                continue;
            };
            let Some(anchor) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            if !meta.is_file() || !is_document(&target) {
                continue;
            }
            let boundary = real_boundary
                .get_or_insert_with(|| std::fs::canonicalize(&ctx.boundary).ok())
                .as_deref();
            if !resolves_inside(&target, boundary) {
                // Inside by its name, outside through a symbolic link: the
                // file is not read for its anchors.
                out.push(ctx.diagnostic_at(
                    &Self::META,
                    Severity::Warning,
                    span,
                    format!(
                        "link `{url}` leads out of the rule-set root through a symbolic link; it is not followed"
                    ),
                ));
                continue;
            }
            if target == ctx.abs_path {
                let anchors = own.get_or_insert_with(|| doc_anchors(ctx.source, ctx.doc));
                if !has_anchor(anchors, anchor) {
                    out.push(ctx.diagnostic(
                        &Self::META,
                        span,
                        format!("no heading in this document has the anchor `#{anchor}`"),
                    ));
                }
                continue;
            }
            out.anchors.push(AnchorCheck {
                target,
                anchor: anchor.to_string(),
                url: url.to_string(),
                range: ctx.source.finding_range(span),
            });
        }
    }

    /// Anchors in other documents, checked once every document is read:
    /// each linked document is read again, once, rather than kept from the
    /// walk.
    fn check_set(&self, set: &SetContext, out: &mut SetFindings) {
        let mut by_target: BTreeMap<&PathBuf, Vec<(&DocFacts, &AnchorCheck)>> = BTreeMap::new();
        for f in set.facts {
            for a in &f.anchors {
                by_target.entry(&a.target).or_default().push((f, a));
            }
        }
        for (target, checks) in by_target {
            let Ok(text) = read_text(target) else {
                continue;
            };
            let source = SourceFile::new(target.clone(), text);
            let doc = parse(&source, &Default::default());
            let anchors = doc_anchors(&source, &doc);
            for (f, check) in checks {
                if has_anchor(&anchors, &check.anchor) {
                    continue;
                }
                let d = Diagnostic::at(
                    Self::META.code,
                    Self::META.severity,
                    &f.path,
                    check.range,
                    format!(
                        "link `{}`: no heading in {} has the anchor `#{}`",
                        check.url, source.display, check.anchor
                    ),
                );
                out.report(f, d);
            }
        }
    }
}

/// `scheme:` at the start of a URL (`https:`, `mailto:`), not a Windows drive.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Whether `path` names a Markdown document (`.md`, `.mdc`, `.markdown`),
/// whose anchors can be checked.
pub(crate) fn is_document(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "mdc" | "markdown")
    )
}

/// Whether `anchor`, as written after `#`, names one of `anchors` (from
/// [`doc_anchors`]): as written, percent-decoded, or percent-decoded and
/// lower-cased, since GitHub's heading anchors are lower case.
pub fn has_anchor(anchors: &HashSet<String>, anchor: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
    anchors.contains(anchor)
        || anchors.contains(decoded.as_ref())
        || anchors.contains(&decoded.to_lowercase())
}

/// Every anchor a document offers: its headings' (GitHub's rules, title
/// included, repeats numbered `-1`, `-2`…) and the values of `id="…"` /
/// `name="…"` (either quote) found in its HTML.
pub fn doc_anchors(source: &SourceFile, doc: &RuleDoc) -> HashSet<String> {
    let mut out: HashSet<String> = doc.layout.title_anchor.iter().cloned().collect();
    let mut stack: Vec<&crate::model::Section> = doc.sections.iter().collect();
    while let Some(s) = stack.pop() {
        out.insert(s.anchor.clone());
        stack.extend(&s.children);
    }
    for span in &doc.layout.html {
        let html = &source.text[span.start..span.end];
        for attr in ["id=\"", "name=\"", "id='", "name='"] {
            let quote = &attr[attr.len() - 1..];
            let mut rest = html;
            while let Some(at) = rest.find(attr) {
                let after = &rest[at + attr.len()..];
                if let Some(end) = after.find(quote) {
                    out.insert(after[..end].to_string());
                }
                rest = after;
            }
        }
    }
    out
}

/// `target` (inside the boundary by name) is still inside once symbolic
/// links are resolved; `boundary` is the boundary resolved, if it exists.
fn resolves_inside(target: &std::path::Path, boundary: Option<&std::path::Path>) -> bool {
    match (std::fs::canonicalize(target), boundary) {
        (Ok(t), Some(b)) => t.starts_with(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::has_scheme;

    #[test]
    fn schemes_are_web_links_not_paths() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("c:/x"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a.md#x:y"));
    }
}
