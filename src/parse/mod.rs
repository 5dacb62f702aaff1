//! Markdown text to the document model.
//!
//! Front matter is split off by hand; the body is read with pulldown-cmark
//! (CommonMark 0.31.2, plus GitHub's tables, strikethrough and task lists),
//! so structure comes from the CommonMark tree, never from text in code.

mod above;
mod fenced;
mod front_matter;
mod info;
mod markdown;
mod outline;
pub(crate) mod slug;
pub(crate) mod title;

pub use front_matter::split as front_matter_of;
pub use info::split_info;
pub use markdown::options as markdown_options;
pub use outline::{Block, Landmark, block_outline, kept_outside, landmarks};

use serde_json::Value;

use crate::model::{Format, PurposeSource, RuleDoc, Scope, TierSources};
use crate::source::SourceFile;

/// What parsing needs to know beyond the text.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions<'a> {
    /// Kind words recognised in titles (`Rule`, `Sub-Rule`, …).
    pub kinds: &'a [String],
    /// The tier the folder convention gives this document, if it lies under a root.
    pub folder_tier: Option<i64>,
    /// The document's `/`-separated path relative to its rule-set root,
    /// copied to [`RuleDoc::rel_path`].
    pub rel_path: Option<String>,
    /// The format its location gives it ([`crate::formats::by_location`]);
    /// Markdown that states a tier becomes [`Format::Tiered`].
    pub format: Format,
    /// Whether it lies below the repository's top folder (a nested
    /// `AGENTS.md`, `CLAUDE.md` or `GEMINI.md` loads only there).
    pub nested: bool,
    /// Whether its text is no Markdown ([`crate::formats::reads_as_markdown`]):
    /// an agent appends it as written, so nothing is read from it.
    pub plain_text: bool,
}

/// The files the document at `path` (its `text`, read as `format`) imports
/// with `@path` that lie inside `repository` (`resolved`: the same with
/// symbolic links resolved, which a path must stay inside too). Relative
/// paths are from the document's folder; `~/…` and absolute ones are not
/// followed. Whether each exists is the caller's to tell.
pub fn imports_inside(
    path: &std::path::Path,
    text: &str,
    format: Format,
    repository: &std::path::Path,
    resolved: Option<&std::path::Path>,
) -> Vec<std::path::PathBuf> {
    let source = SourceFile::new(path.to_path_buf(), text.to_string());
    let opts = ParseOptions {
        format,
        ..Default::default()
    };
    let doc = parse(&source, &opts);
    let dir = path.parent().unwrap_or(std::path::Path::new("/"));
    doc.imports
        .iter()
        .filter(|i| !i.path.starts_with(['/', '~']))
        .map(|i| crate::paths::normalize_from(dir, std::path::Path::new(&i.path)))
        .filter(|t| {
            t.starts_with(repository)
                && resolved.is_some_and(|r| crate::paths::resolves_inside(t, r))
        })
        .collect()
}

/// Parse one document. Never fails: whatever is broken is recorded in the
/// model (front matter errors, unclosed fences) for the checks to report.
pub fn parse(source: &SourceFile, opts: &ParseOptions) -> RuleDoc {
    let text = &source.text;
    let front_matter = if opts.plain_text {
        None
    } else {
        front_matter::split(text, &source.lines)
    };
    // A byte-order mark is no text: the Markdown starts after it.
    let body_start = match &front_matter {
        Some(fm) if fm.is_closed() => fm.span.end,
        _ => text
            .strip_prefix('\u{feff}')
            .map_or(0, |_| '\u{feff}'.len_utf8()),
    };
    // Plain text is walked as an empty Markdown body: nothing is read from it.
    let mut body = markdown::walk(
        source,
        if opts.plain_text {
            text.len()
        } else {
            body_start
        },
    );
    if opts.plain_text {
        // Its text starts on the first line all the same.
        body.layout.body_start = 0;
    }
    let fm = front_matter.as_ref();

    let parts = body
        .title
        .as_ref()
        .map(|(t, _)| title::parse_title(t, opts.kinds))
        .unwrap_or_default();
    let tier_sources = TierSources {
        title: parts.tier,
        front_matter: fm.and_then(|f| f.get("tier")).and_then(Value::as_i64),
        folder: opts.folder_tier,
    };
    let tier = tier_sources
        .front_matter
        .or(tier_sources.title)
        .or(tier_sources.folder);
    let name = parts
        .name
        .or_else(|| fm.and_then(|f| f.get_str("name")).map(str::to_string));

    let fm_purpose = fm
        .and_then(|f| f.get_str("purpose").or_else(|| f.get_str("description")))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let (purpose, purpose_source) = match (&body.purpose, fm_purpose) {
        (Some((_, p)), _) if !p.is_empty() => (Some(p.clone()), Some(PurposeSource::Section)),
        (_, Some(p)) => (Some(p), Some(PurposeSource::FrontMatter)),
        (Some((_, p)), None) => (Some(p.clone()), Some(PurposeSource::Section)),
        (None, None) => (None, None),
    };
    let scope = fm.map(scope_of).unwrap_or_default();
    let declares_tier = tier_sources.title.is_some() || fm.and_then(|f| f.get("tier")).is_some();
    let format = match opts.format {
        Format::Markdown if declares_tier => Format::Tiered,
        f => f,
    };
    let loads = crate::formats::loads(format, fm, opts.nested);

    RuleDoc {
        path: source.display.clone(),
        rel_path: opts.rel_path.clone(),
        format,
        loads,
        markdown: !opts.plain_text,
        title: body.title.as_ref().map(|(t, _)| t.clone()),
        title_line: body.title.as_ref().map(|(_, s)| source.line(s.start)),
        title_span: body.title.as_ref().map(|(_, s)| *s),
        name,
        kind: parts.kind,
        tier,
        tier_sources,
        purpose,
        purpose_source,
        purpose_line: body.purpose.as_ref().map(|(l, _)| *l),
        front_matter,
        scope,
        sections: body.sections,
        snippets: body.snippets,
        indented: body.indented,
        links: body.links,
        imports: if crate::formats::reads_imports(format) {
            body.imports
        } else {
            Vec::new()
        },
        lines: source.lines.line_count(),
        layout: body.layout,
    }
}

/// Where the rule applies, from whichever agent keys the front matter has.
fn scope_of(fm: &crate::model::FrontMatter) -> Scope {
    Scope {
        globs: fm.get("globs").and_then(patterns),
        paths: fm.get("paths").and_then(patterns),
        apply_to: fm.get("applyTo").and_then(patterns),
        always_apply: fm.get("alwaysApply").and_then(Value::as_bool),
    }
}

/// A scope value's patterns ([`crate::formats::scope_patterns`]).
fn patterns(v: &Value) -> Option<Vec<String>> {
    crate::formats::scope_patterns(v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_byte_order_mark_does_not_hide_the_title() {
        let source = crate::source::SourceFile::new(
            "t.md",
            "\u{feff}# Bom Rule (Tier 2)\n\n## Purpose\n\nX.\n".to_string(),
        );
        let doc = super::parse(&source, &Default::default());
        assert_eq!(doc.title.as_deref(), Some("Bom Rule (Tier 2)"));
        assert_eq!(doc.title_line, Some(1));
    }

    use super::*;

    fn doc(text: &str) -> RuleDoc {
        let kinds = ["Sub-Rule".to_string(), "Rule".to_string()];
        let src = SourceFile::new("t.md", text.to_string());
        parse(
            &src,
            &ParseOptions {
                kinds: &kinds,
                ..Default::default()
            },
        )
    }

    #[test]
    fn sections_nest_by_level_and_the_title_is_not_one() {
        let d = doc("# T (Tier 1)\n## A\n### A1\n#### A1a\n### A2\n## B\n");
        assert_eq!(d.title.as_deref(), Some("T (Tier 1)"));
        let top: Vec<_> = d.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(top, ["A", "B"]);
        assert_eq!(d.sections[0].children.len(), 2);
        assert_eq!(d.sections[0].children[0].children[0].heading, "A1a");
        assert_eq!(d.sections[1].line, 6);
    }

    #[test]
    fn snippet_carries_label_marker_section_and_lines() {
        let d = doc("# T\n## S\n### Sub\n**✅ GOOD**:\n```rust,no_run\nfn main() {}\n```\n");
        let s = &d.snippets[0];
        assert_eq!(s.lang, "rust");
        assert_eq!(s.attributes, ["no_run"]);
        assert_eq!(s.label.as_deref(), Some("✅ GOOD"));
        assert_eq!(s.marker, Some(crate::model::Marker::Correct));
        assert_eq!(s.section, ["S", "Sub"]);
        assert_eq!((s.line, s.code_line, s.end_line), (5, 6, 7));
        assert!(s.closed);
        assert_eq!(s.code, "fn main() {}\n");
    }

    #[test]
    fn unclosed_fence_runs_to_the_end() {
        let d = doc("# T\n```python\nx = 1\n\nmore\n");
        let s = &d.snippets[0];
        assert!(!s.closed);
        assert_eq!(s.end_line, 5);
    }

    #[test]
    fn purpose_from_section_then_front_matter() {
        let d = doc("# T\n## Purpose\nDoes *this*\nand `that`.\n\nNot this.\n## Next\n");
        assert_eq!(d.purpose.as_deref(), Some("Does this and that."));
        assert_eq!(d.purpose_source, Some(PurposeSource::Section));
        let d = doc("---\ndescription: From FM\n---\n# T\n## Purpose\n\n## Next\n");
        assert_eq!(d.purpose.as_deref(), Some("From FM"));
        assert_eq!(d.purpose_line, Some(5));
        let d = doc("# T\n## Purpose\n## Next\n");
        assert_eq!(d.purpose.as_deref(), Some(""));
    }

    #[test]
    fn tier_sources_are_kept_apart() {
        let src = SourceFile::new("t.md", "---\ntier: 2\n---\n# X Sub-Rule (Tier 3)\n".into());
        let kinds = ["Sub-Rule".to_string()];
        let d = parse(
            &src,
            &ParseOptions {
                kinds: &kinds,
                folder_tier: Some(1),
                ..Default::default()
            },
        );
        assert_eq!(
            d.tier_sources,
            TierSources {
                title: Some(3),
                front_matter: Some(2),
                folder: Some(1)
            }
        );
        assert_eq!(d.tier, Some(2));
        assert_eq!(d.kind.as_deref(), Some("Sub-Rule"));
    }

    #[test]
    fn scope_reads_every_agent_spelling() {
        let d = doc(
            "---\nglobs: \"*.ts, *.tsx\"\nalwaysApply: false\napplyTo: [\"src/**\"]\n---\n# T\n",
        );
        assert_eq!(d.scope.globs, Some(vec!["*.ts".into(), "*.tsx".into()]));
        assert_eq!(d.scope.apply_to, Some(vec!["src/**".into()]));
        assert_eq!(d.scope.always_apply, Some(false));
    }

    #[test]
    fn scopes_split_only_at_top_level_commas() {
        let d = doc(
            "---\nglobs: src/**/*.{ts,tsx}, docs/[a,b]/*.md,lib/{x,{y,z}}/**\napplyTo: \"**/*.{js,jsx}\"\n---\n# T\n",
        );
        assert_eq!(
            d.scope.globs,
            Some(vec![
                "src/**/*.{ts,tsx}".into(),
                "docs/[a,b]/*.md".into(),
                "lib/{x,{y,z}}/**".into()
            ])
        );
        assert_eq!(d.scope.apply_to, Some(vec!["**/*.{js,jsx}".into()]));
        // An unclosed group keeps the rest of the list, as VS Code does.
        let v = serde_json::Value::String("a,{b,c".into());
        assert_eq!(
            crate::formats::scope_patterns(&v),
            Some(vec!["a".to_string(), "{b,c".to_string()])
        );
    }

    #[test]
    fn imports_are_file_like_at_tokens_outside_code() {
        let d =
            doc("# T\nSee @docs/a.md and @angular/core, `@b.md`, me@x.md, @./c, @/ and @/lib/ui\n");
        let paths: Vec<_> = d.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["docs/a.md", "./c"]);
    }

    #[test]
    fn an_import_is_read_across_text_the_parser_split() {
        let d = doc("# T\nSee @docs/a*b.md and @docs/[x].md.\n");
        let paths: Vec<_> = d.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["docs/a*b.md", "docs/[x].md"]);
    }

    #[test]
    fn literal_backticks_are_recorded() {
        let d = doc("# T\nText ends here.```\n");
        assert_eq!(d.layout.literal_backticks.len(), 1);
    }
}
