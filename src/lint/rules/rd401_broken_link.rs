use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::lint::cursor;
use crate::lint::{
    AnchorCheck, DocContext, DocFacts, Findings, FragmentMatch, Rule, SetContext, SetFindings,
    declare_rule,
};
use crate::load::read_text;
use crate::mdbook::Book;
use crate::model::RuleDoc;
use crate::parse::parse;
use crate::paths::{display_path, normalize_from, relative};
use crate::source::{SourceFile, Span};

declare_rule! {
    /// ## What it does
    /// Reports a relative link or image whose file does not exist, or whose
    /// `#anchor` names no heading of the target document (GitHub's anchor
    /// rules: lower case, punctuation dropped, spaces to hyphens, repeats
    /// numbered). Links resolve relative to the document, as Claude Code and
    /// GitHub resolve them. A link may lead anywhere in the repository (the
    /// nearest folder above with a `.git` entry, else the current directory);
    /// one that leaves it is reported as a warning and never followed. Web links (`https:`, `mailto:`) and
    /// site-absolute paths (`/docs/…`) are not checked.
    ///
    /// Each link is read as its real reader reads it:
    ///
    /// - **GitHub** (the default): an anchor matches an id as written or
    ///   percent-decoded. The ids are lower case, so `#Header` for
    ///   `## Header` is reported, as a warning: GitHub's page script
    ///   lower-cases the fragment before looking it up
    ///   (d3/d3-geo-projection#206, rsc/markdown#19) and finds it, but
    ///   GitLab, VS Code's preview and a page read without that script do
    ///   not.
    /// - **mdBook**: in a document under a book's source folder (a
    ///   `book.toml` in a folder above it, `[book] src`, `src` by default),
    ///   `chapter.html` is the page mdBook renders from `chapter.md`, and
    ///   `index.html` the one it renders from `index.md` or a `README.md`
    ///   (mdBook's guide: "Relative links that end with `.md` will be
    ///   converted to the `.html` extension"; its `index` preprocessor turns
    ///   `README.md` chapters into `index.html`). Anchors are then checked
    ///   against the chapter's headings, exactly as a browser matches them:
    ///   mdBook's ids are lower case, so `#Header` is reported there. A
    ///   missing page outside the source folder is a page beside the book on
    ///   the site that serves it (the Rustonomicon's `../std/…`): not checked.
    /// - **Cursor**: in a Cursor rule (an `.mdc` file, or any file under
    ///   `.cursor/rules/`), `[x](mdc:src/lib.rs)` names a file from the
    ///   repository root (the nearest folder above the rule with a `.git`
    ///   entry, else the current directory): all 113 `mdc:` links of the
    ///   agent-rules corpus are written so. A missing file is an error (only
    ///   whether it exists is asked: Cursor attaches the file, it does not
    ///   jump to a heading); an `mdc:` with no path, a web address
    ///   (`mdc:https:/…`), an absolute path, or a path that leaves the
    ///   repository is a warning. Outside Cursor rules, `mdc:` is a scheme
    ///   like any other and is not checked.
    ///
    /// ## Why
    /// Rules point at each other for detail; a broken pointer sends an agent or
    /// a reader nowhere, usually after a file was renamed.
    ///
    /// ## Fix safety
    /// Safe, for an anchor that names a heading only when lower-cased: the
    /// fix writes the heading's id (`#Header` → `#header`), which every
    /// reader finds, GitHub's included. Only a link to a heading of its own
    /// document is fixed by `--fix`; for another document's heading (found
    /// once every document is read) the fix is shown, not applied. A
    /// missing file or heading has no fix: which one was meant is the
    /// author's call.
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
        fix: Sometimes(Safe),
    }
}

impl Rule for BrokenLink {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        let mut own: Option<HashSet<String>> = None;
        // Resolved once per document, when a link first needs them.
        let mut book: Option<Option<Book>> = None;
        let mut repository: Option<PathBuf> = None;
        let cursor_rule = ctx.doc.format == crate::model::Format::CursorMdc;
        for link in &ctx.doc.links {
            let url = link.url.trim();
            let span = ctx.trim_line_end(link.span);
            if cursor_rule && let Some(written) = url.strip_prefix("mdc:") {
                let root = repository.get_or_insert_with(|| {
                    cursor::repository_root(&ctx.abs_path).unwrap_or_else(|| ctx.cwd.to_path_buf())
                });
                check_mdc(ctx, url, written, root, span, out);
                continue;
            }
            if url.is_empty() || has_scheme(url) || url.starts_with("//") {
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path = path.split('?').next().unwrap_or("");
            let book = book.get_or_insert_with(|| Book::of(&ctx.abs_path)).as_ref();
            let matching = if book.is_some() {
                FragmentMatch::Exact
            } else {
                FragmentMatch::GitHub
            };
            if path.is_empty() {
                let Some(anchor) = fragment.filter(|f| !f.is_empty()) else {
                    continue;
                };
                let anchors = own.get_or_insert_with(|| doc_anchors(ctx.source, ctx.doc));
                own_anchor(ctx, anchors, url, anchor, span, matching, out);
                continue;
            }
            if path.starts_with('/') {
                continue;
            }
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let written = normalize_from(ctx.dir(), Path::new(decoded.as_ref()));
            if !written.starts_with(&ctx.boundary) {
                out.push(ctx.diagnostic_at(
                    &Self::META,
                    Severity::Warning,
                    span,
                    format!("link `{url}` leaves the repository; it is not followed"),
                ));
                continue;
            }
            let found = std::fs::metadata(&written)
                .map(|meta| (meta, written.clone()))
                .ok()
                .or_else(|| {
                    let chapter = book?.chapter_of(&written)?;
                    Some((std::fs::metadata(&chapter).ok()?, chapter))
                });
            let Some((meta, target)) = found else {
                match book {
                    // A page beside the book on the site that serves it.
                    Some(b) if !written.starts_with(&b.src) => {}
                    Some(_) if let Some(stem) = decoded.strip_suffix(".html") => {
                        out.push(ctx.diagnostic(
                            &Self::META,
                            span,
                            format!(
                                "link `{url}`: no such file `{decoded}`, nor a chapter `{stem}.md` mdBook renders to it"
                            ),
                        ));
                    }
                    _ => out.push(ctx.diagnostic(
                        &Self::META,
                        span,
                        format!("link `{url}`: no such file `{decoded}`"),
                    )),
                }
                continue;
            };
            let Some(anchor) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            if !meta.is_file() || !is_document(&target) {
                continue;
            }
            if !ctx
                .real_boundary()
                .is_some_and(|b| crate::paths::resolves_inside(&target, b))
            {
                // Inside by its name, outside through a symbolic link: the
                // file is not read for its anchors.
                out.push(ctx.diagnostic_at(
                    &Self::META,
                    Severity::Warning,
                    span,
                    format!(
                        "link `{url}` leads out of the repository through a symbolic link; it is not followed"
                    ),
                ));
                continue;
            }
            if target == ctx.abs_path {
                let anchors = own.get_or_insert_with(|| doc_anchors(ctx.source, ctx.doc));
                own_anchor(ctx, anchors, url, anchor, span, matching, out);
                continue;
            }
            out.anchors.push(AnchorCheck {
                target,
                anchor: anchor.to_string(),
                url: url.to_string(),
                range: ctx.source.finding_range(span),
                matching,
                fragment: fragment_edit(ctx.source, span, anchor),
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
                match find_anchor(&anchors, &check.anchor) {
                    AnchorMatch::Found => continue,
                    AnchorMatch::CaseOnly(id) => {
                        let d = case_only(
                            &f.path,
                            check.range,
                            &check.url,
                            &id,
                            check.matching,
                            check.fragment.clone(),
                            Applicability::DisplayOnly,
                        );
                        out.report(f, d);
                        continue;
                    }
                    AnchorMatch::Missing => {}
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

/// How `anchor`, as written after `#`, meets `anchors` (from
/// [`doc_anchors`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorMatch {
    /// An id equals it, as written or percent-decoded.
    Found,
    /// Only lower-cased does it equal an id (given): `#Header` for
    /// `## Header`.
    CaseOnly(String),
    /// No id.
    Missing,
}

/// Whether `anchor`, as written after `#`, names one of `anchors` (from
/// [`doc_anchors`]): as written or percent-decoded; else whether it does
/// once lower-cased (see [`FragmentMatch::GitHub`] for which readers find
/// it then).
pub fn find_anchor(anchors: &HashSet<String>, anchor: &str) -> AnchorMatch {
    let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
    if anchors.contains(anchor) || anchors.contains(decoded.as_ref()) {
        return AnchorMatch::Found;
    }
    let lower = decoded.to_lowercase();
    if anchors.contains(&lower) {
        AnchorMatch::CaseOnly(lower)
    } else {
        AnchorMatch::Missing
    }
}

/// Checks a link to a heading of its own document.
fn own_anchor(
    ctx: &DocContext,
    anchors: &HashSet<String>,
    url: &str,
    anchor: &str,
    span: Span,
    matching: FragmentMatch,
    out: &mut Findings,
) {
    match find_anchor(anchors, anchor) {
        AnchorMatch::Found => {}
        AnchorMatch::CaseOnly(id) => out.push(case_only(
            &ctx.source.display,
            ctx.source.finding_range(span),
            url,
            &id,
            matching,
            fragment_edit(ctx.source, span, anchor),
            Applicability::Safe,
        )),
        AnchorMatch::Missing => out.push(ctx.diagnostic(
            &BrokenLink::META,
            span,
            format!("no heading in this document has the anchor `#{anchor}`"),
        )),
    }
}

/// [`fragment_span`] as an edit of the linking document.
fn fragment_edit(source: &SourceFile, span: Span, anchor: &str) -> Option<Edit> {
    let span = fragment_span(source, span, anchor)?;
    Some(Edit {
        span,
        range: source.range(span),
        replacement: String::new(),
    })
}

/// Where `#anchor` is written inside the link at `span`: the last
/// `#anchor` before the link's end, so a reference link (its destination
/// written elsewhere) or a destination CommonMark unescaped gives `None`.
fn fragment_span(source: &SourceFile, span: Span, anchor: &str) -> Option<Span> {
    let text = source.text.get(span.start..span.end)?;
    let at = text.rfind(&format!("#{anchor}"))? + 1;
    let start = span.start + at;
    let end = start + anchor.len();
    // Followed by the destination's end, not by more of a longer fragment.
    let next = source.text[end..].chars().next();
    matches!(next, Some(')' | '>' | ' ' | '\t' | '\n' | '\r') | None)
        .then_some(Span::new(start, end))
}

/// A link whose fragment names a heading only when lower-cased: a warning
/// on GitHub (its page script finds it), an error where ids are matched
/// exactly (mdBook). `fragment` is where the fix writes the id;
/// `applicability` is the fix's (a link to another document's heading is
/// found once every document is read, after `--fix` has written: its fix is
/// shown, not applied).
fn case_only(
    path: &str,
    range: crate::source::Range,
    url: &str,
    id: &str,
    matching: FragmentMatch,
    fragment: Option<Edit>,
    applicability: Applicability,
) -> Diagnostic {
    let (severity, message) = match matching {
        FragmentMatch::GitHub => (
            Severity::Warning,
            format!(
                "link `{url}` reaches its heading only case-insensitively: GitHub's page script finds it, but the id is `#{id}`, and GitLab, VS Code's preview and pages without that script do not"
            ),
        ),
        FragmentMatch::Exact => (
            BrokenLink::META.severity,
            format!(
                "link `{url}`: no heading has this anchor; the id is `#{id}`, and a browser matches ids case included"
            ),
        ),
    };
    let mut d = Diagnostic::at(BrokenLink::META.code, severity, path, range, message);
    match fragment {
        Some(edit) => {
            d.fix = Some(Fix {
                message: format!("write the anchor as the id: `#{id}`"),
                applicability,
                edits: vec![Edit {
                    replacement: id.to_string(),
                    ..edit
                }],
            });
        }
        None => d = d.with_help(format!("write the anchor as the id: `#{id}`")),
    }
    d
}

/// An `mdc:` link in a Cursor rule: `written` (after `mdc:`) names a file
/// from the repository `root`. Only its existence is looked at: Cursor
/// attaches the file, it does not jump to a heading, and nothing is opened.
fn check_mdc(
    ctx: &DocContext,
    url: &str,
    written: &str,
    root: &Path,
    span: Span,
    out: &mut Findings,
) {
    let meta = &BrokenLink::META;
    let path = written.split('#').next().unwrap_or("");
    let malformed = if path.trim().is_empty() {
        Some((
            "names no file".to_string(),
            "write the file's path from the repository root after `mdc:`, as in `mdc:src/lib.rs`"
                .to_string(),
        ))
    } else if has_scheme(path) {
        Some((
            "holds a web address, not a path".to_string(),
            "`mdc:` names a file of the repository: link a web page by its address alone, as in `[text](https://…)`".to_string(),
        ))
    } else if path.starts_with(['/', '\\', '~']) || path.get(1..2) == Some(":") {
        Some((
            "holds an absolute path".to_string(),
            "Cursor reads `mdc:` paths from the repository root: write the path from there, as in `mdc:src/lib.rs`".to_string(),
        ))
    } else {
        None
    };
    if let Some((what, help)) = malformed {
        out.push(
            ctx.diagnostic_at(
                meta,
                Severity::Warning,
                span,
                format!("link `{url}` {what}"),
            )
            .with_help(help),
        );
        return;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let target = normalize_from(root, Path::new(decoded.as_ref()));
    if !target.starts_with(root) {
        out.push(ctx.diagnostic_at(
            meta,
            Severity::Warning,
            span,
            format!("link `{url}` leaves the repository; it is not followed"),
        ));
        return;
    }
    if std::fs::metadata(&target).is_ok() {
        return;
    }
    let mut d = ctx.diagnostic(
        meta,
        span,
        format!(
            "link `{url}`: no such file `{decoded}` from the repository's top{}",
            match display_path(root).as_str() {
                "." => String::new(),
                shown => format!(" `{shown}`"),
            }
        ),
    );
    // The likeliest slip: a path written from the rule's own folder.
    let beside = normalize_from(ctx.dir(), Path::new(decoded.as_ref()));
    if beside.starts_with(root) && std::fs::metadata(&beside).is_ok() {
        d = d.with_help(format!(
            "Cursor reads `mdc:` paths from the repository root: write `mdc:{}`",
            relative(root, &beside)
        ));
    }
    out.push(d);
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
        // An id inside a comment is on no element of the page.
        let html = without_comments(&source.text[span.start..span.end]);
        let html = html.as_ref();
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

/// `html` without its `<!-- … -->` comments (an unclosed one runs to the
/// end, as HTML reads it).
fn without_comments(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("<!--") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        match rest[at + 4..].find("-->") {
            Some(end) => rest = &rest[at + 4 + end + 3..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::has_scheme;

    #[test]
    fn ids_in_comments_are_on_no_element() {
        assert_eq!(
            super::without_comments("<!-- <a id=\"x\"></a> --><a id=\"y\"></a><!-- open"),
            "<a id=\"y\"></a>"
        );
    }

    #[test]
    fn schemes_are_web_links_not_paths() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("c:/x"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a.md#x:y"));
    }
}
