//! What a rule sees of one document, and what it leaves behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Found;
use crate::load::Document;
use crate::model::RuleDoc;
use crate::paths::normalize_from;
use crate::settings::Settings;
use crate::source::{Range, SourceFile, Span};

use super::Meta;

/// A document, its place in the rule set, and the configuration.
pub struct DocContext<'a> {
    /// The document's text, shared with the findings made from it.
    pub source: &'a Arc<SourceFile>,
    /// The parsed model.
    pub doc: &'a RuleDoc,
    /// Where it was found, and its rule-set root.
    pub found: &'a Found,
    /// The configuration.
    pub config: &'a Config,
    /// The document's absolute path.
    pub abs_path: PathBuf,
    /// The folder links and imports may not leave: the top of the
    /// repository the document lies in (the current directory's, else the
    /// nearest folder above the document with a `.git` entry), else the
    /// filesystem root (a document in no repository).
    pub boundary: PathBuf,
    /// The current directory (absolute).
    pub cwd: &'a Path,
    tokens: std::sync::OnceLock<usize>,
    samples: std::sync::OnceLock<Vec<Span>>,
    real_boundary: std::sync::OnceLock<Option<PathBuf>>,
}

impl<'a> DocContext<'a> {
    /// The context of `document`, found at `found`, under `settings`.
    pub fn new(document: &'a Document, found: &'a Found, settings: &'a Settings) -> Self {
        let abs_path = found.abs.clone();
        // Links and imports may go anywhere in the repository (a Windsurf
        // rule linking `../workflows/w.md` is fine), never out of it.
        // A document outside the current directory's repository has its own
        // (the nearest folder above it with a `.git` entry); a document in
        // no repository has no boundary: its links are followed as a
        // Markdown reader on that machine follows them.
        let boundary = if abs_path.starts_with(&settings.repo_root) {
            settings.repo_root.clone()
        } else {
            abs_path
                .ancestors()
                .skip(1)
                .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
                .or_else(|| abs_path.ancestors().last())
                .map_or_else(|| settings.cwd.clone(), Path::to_path_buf)
        };
        DocContext {
            source: &document.source,
            doc: &document.doc,
            found,
            config: &settings.config,
            abs_path,
            boundary,
            cwd: &settings.cwd,
            tokens: std::sync::OnceLock::new(),
            samples: std::sync::OnceLock::new(),
            real_boundary: std::sync::OnceLock::new(),
        }
    }

    /// [`DocContext::boundary`] with symbolic links resolved, once per
    /// document, when a link or import first needs it; `None` when it
    /// cannot be resolved.
    pub fn real_boundary(&self) -> Option<&Path> {
        self.real_boundary
            .get_or_init(|| std::fs::canonicalize(&self.boundary).ok())
            .as_deref()
    }

    /// Whether byte `offset` lies in a sample: between a line that is only
    /// an opening tag the author made up (`<bad_example>`, `<good_example>`)
    /// and the line that is only its closing tag. Prompt authors wrap
    /// examples in such tags, and the model reads what is inside as an
    /// example, not as the document's own structure: a sample page's
    /// headings are not the document's. HTML's own elements (`<details>`)
    /// are not samples: what they hold is rendered as the document.
    pub fn in_sample(&self, offset: usize) -> bool {
        self.samples
            .get_or_init(|| super::samples::regions(self.source, &self.doc.layout))
            .iter()
            .any(|r| r.start <= offset && offset < r.end)
    }

    /// The tokens of the whole text, front matter included (RD501; see
    /// [`crate::tokens::count`]), counted once and only when asked for.
    pub fn tokens(&self) -> usize {
        *self
            .tokens
            .get_or_init(|| crate::tokens::count(&self.source.text))
    }

    /// [`DocContext::tokens`] if a rule already counted them.
    pub fn counted_tokens(&self) -> Option<usize> {
        self.tokens.get().copied()
    }

    /// A finding of `meta`'s rule at its default severity.
    pub fn diagnostic(&self, meta: &Meta, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(meta.code, meta.severity, self.source, span, message)
    }

    /// A finding at `severity` instead of the rule's default (a severity
    /// configured for the rule still replaces it when the finding is
    /// admitted).
    pub fn diagnostic_at(
        &self,
        meta: &Meta,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(meta.code, severity, self.source, span, message)
    }

    /// The byte span of 1-based `line`, without its terminator.
    pub fn line_span(&self, line: usize) -> Span {
        self.source.lines.line_span(&self.source.text, line)
    }

    /// Where to report something about the whole document, as a byte span:
    /// its title line, else its first line of Markdown (after the front
    /// matter); without the line terminator.
    pub fn head_span(&self) -> Span {
        self.doc
            .title_span
            .map(|s| self.trim_line_end(s))
            .unwrap_or_else(|| {
                let line = self.source.line(self.doc.layout.body_start);
                self.line_span(line)
            })
    }

    /// `span` without trailing `\n` and `\r` bytes.
    pub fn trim_line_end(&self, span: Span) -> Span {
        let text = &self.source.text[span.start..span.end];
        Span::new(
            span.start,
            span.start + text.trim_end_matches(['\n', '\r']).len(),
        )
    }

    /// The byte span, without its terminator, of the first front-matter line
    /// that starts with `key` and then `:` (spaces allowed before the colon):
    /// the line that sets top-level `key`. Found by text, as a YAML parser
    /// does not give positions.
    pub fn front_matter_key_span(&self, key: &str) -> Option<Span> {
        let fm = self.doc.front_matter.as_ref()?;
        let mut offset = fm.yaml_span.start;
        for line in self.source.text[fm.yaml_span.start..fm.yaml_span.end].split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix(key)
                && rest.trim_start().starts_with(':')
            {
                let content = line.trim_end_matches(['\n', '\r']);
                return Some(Span::new(offset, offset + content.len()));
            }
            offset += line.len();
        }
        None
    }

    /// The document's folder (absolute).
    pub fn dir(&self) -> &Path {
        self.abs_path.parent().unwrap_or(Path::new("/"))
    }

    /// Where an `@path` import leads, resolved relative to the importing
    /// document as Claude Code's memory docs say imports resolve. `~/…` and
    /// absolute paths, and a path outside the boundary (compared by name,
    /// `..` resolved lexically), are [`ImportTarget::Outside`] and never looked
    /// at.
    pub fn resolve_import(&self, written: &str) -> ImportTarget {
        if written.starts_with("~/") || written.starts_with('/') {
            return ImportTarget::Outside;
        }
        let target = normalize_from(self.dir(), Path::new(written));
        if !target.starts_with(&self.boundary) {
            ImportTarget::Outside
        } else if target.is_file() {
            // Inside by its name, outside through a symbolic link: not read.
            if self
                .real_boundary()
                .is_some_and(|b| crate::paths::resolves_inside(&target, b))
            {
                ImportTarget::File(target)
            } else {
                ImportTarget::Outside
            }
        } else {
            ImportTarget::Missing
        }
    }

    /// The imports that lead to files, for the reference graph, in document
    /// order.
    pub fn import_edges(&self) -> Vec<ImportEdge> {
        self.doc
            .imports
            .iter()
            .filter_map(|i| match self.resolve_import(&i.path) {
                ImportTarget::File(target) => Some(ImportEdge {
                    target,
                    written: i.path.clone(),
                    range: self.source.finding_range(i.span),
                }),
                _ => None,
            })
            .collect()
    }
}

/// Where an import leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    /// An existing file inside the boundary (absolute).
    File(PathBuf),
    /// Nothing there.
    Missing,
    /// Outside the repository (or the home folder, or absolute), by its
    /// name or through a symbolic link.
    Outside,
}

/// A link to a heading in another document, checked once every document is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    /// The linked document (absolute).
    pub target: PathBuf,
    /// The anchor, as written after `#`.
    pub anchor: String,
    /// The whole link destination, as written.
    pub url: String,
    /// Where the link is: 1-based lines and character columns, end exclusive.
    pub range: Range,
    /// How the linking document's reader finds the heading.
    pub matching: FragmentMatch,
    /// Where the fragment (after `#`) is written in the linking document,
    /// when it is written in the link itself (not in a reference
    /// definition): the place a fix rewrites.
    pub fragment: Option<crate::diagnostic::Edit>,
}

/// How a reader finds the element a link's `#fragment` names, once the
/// fragment is percent-decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FragmentMatch {
    /// GitHub: the id as written. `#Header` for `## Header` (anchor
    /// `header`) is a separate case: github.com's page script lower-cases
    /// the fragment and looks up `user-content-` and it (GitHub's behaviors
    /// bundle, quoted in d3/d3-geo-projection#206, 2021; "GitHub actually
    /// supports any casing at all", rsc/markdown#19, 2024; tested in
    /// serokell/xrefcheck#211, 2022), but the id itself is lower case, so
    /// the same link fails without that script, on GitLab, in VS Code's
    /// preview and in every renderer that follows the HTML standard: RD401
    /// reports it as a warning with a fix.
    #[default]
    GitHub,
    /// A browser on HTML no script rewrites (an mdBook's pages): the id must
    /// equal the fragment, case included, as the HTML standard's "find a
    /// potential indicated element" compares them; mdBook's heading ids are
    /// lower case (`id_from_content` in `mdbook-html`).
    Exact,
}
/// An `@path` import between documents, for the reference graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportEdge {
    /// The imported document (absolute).
    pub target: PathBuf,
    /// The path as written after `@`.
    pub written: String,
    /// Where the import is: 1-based lines and character columns, end
    /// exclusive.
    pub range: Range,
}

/// What the rules found in one document.
#[derive(Debug, Default)]
pub struct Findings {
    /// Findings about this document.
    pub diagnostics: Vec<Diagnostic>,
    /// Links into other documents whose anchors RD401 checks once all are read.
    pub anchors: Vec<AnchorCheck>,
    /// Findings of the tiered convention (title, tier, kind, purpose, tier
    /// budget): reported only if the document is held to it, which depends
    /// on its whole rule set (see [`super::facts`]).
    pub tiered: Vec<Diagnostic>,
}

impl Findings {
    /// Add a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Add a finding of the tiered convention: kept until the set is known.
    pub fn push_tiered(&mut self, d: Diagnostic) {
        self.tiered.push(d);
    }
}
