//! The document model, through the library: the seed, the corpus, and the
//! project's own rule set.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::path::{Path, PathBuf};

use ruledoc::load::load_all;
use ruledoc::model::{Marker, PurposeSource, RuleDoc};
use ruledoc::settings::Settings;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn parse_paths(paths: &[PathBuf]) -> Vec<RuleDoc> {
    let settings = Settings::defaults(&crate_dir());
    let walk = settings.walk(paths).expect("walk");
    let (docs, problems) = load_all(walk, &settings);
    assert!(problems.errors.is_empty(), "{:?}", problems.errors);
    docs.into_iter().map(|d| d.doc).collect()
}

#[test]
fn the_seed_parses_to_the_specified_model() {
    let docs = parse_paths(&[crate_dir().join("tests/fixtures/async_patterns.md")]);
    let doc = &docs[0];
    assert_eq!(doc.name.as_deref(), Some("Async Patterns"));
    assert_eq!(doc.kind.as_deref(), Some("Sub-Rule"));
    assert_eq!(doc.tier, Some(3));
    assert_eq!(doc.tier_sources.title, Some(3));
    assert!(
        doc.purpose
            .as_deref()
            .unwrap()
            .starts_with("Defines async/await")
    );
    assert_eq!(doc.purpose_source, Some(PurposeSource::Section));

    let level2: Vec<_> = doc.sections.iter().filter(|s| s.level == 2).collect();
    assert_eq!(level2.len(), 6);
    assert_eq!(level2[0].heading, "Purpose");

    let python: Vec<_> = doc.snippets.iter().filter(|s| s.lang == "python").collect();
    assert_eq!(python.len(), 11);
    assert_eq!(doc.snippets.len(), 11);
    let first = python[0];
    assert_eq!((first.line, first.code_line, first.end_line), (9, 10, 38));
    assert_eq!(first.label.as_deref(), Some("CORRECT NAMING AND USAGE"));
    assert_eq!(first.marker, Some(Marker::Correct));
    assert_eq!(
        first.section,
        ["ASYNC/AWAIT FUNDAMENTALS", "Async Function Definition"]
    );
    assert!(first.code.starts_with("import asyncio\n"));
    assert!(python.iter().all(|s| s.closed));
    assert_eq!(doc.lines, 599);
}

#[test]
fn the_seed_is_kept_unchanged() {
    let copy = std::fs::read(crate_dir().join("tests/fixtures/async_patterns.md")).unwrap();
    let shared = crate_dir().join("../shared/seed/async_patterns.md");
    if let Ok(original) = std::fs::read(&shared) {
        assert_eq!(
            copy, original,
            "tests/fixtures/async_patterns.md differs from the seed"
        );
    }
    assert_eq!(copy.len(), 19_409, "the seed's size changed");
    assert!(
        String::from_utf8_lossy(&copy).contains("</xai:function_call name=\"write\">"),
        "the seed must keep its defects"
    );
}

fn files_under(dir: &Path) -> usize {
    walk(dir)
        .into_iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "mdc")))
        .count()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out
}

#[test]
fn every_corpus_file_yields_a_document() {
    // The Cursor and mdBook corpora; `agent-rules/` has its own test
    // (tests/precision.rs), where every finding is judged.
    let corpora = [
        crate_dir().join("tests/corpus/cursor-mdc"),
        crate_dir().join("tests/corpus/rust-patterns"),
    ];
    let expected: usize = corpora.iter().map(|c| files_under(c)).sum();
    assert!(expected > 1_100, "corpus is missing: {expected} files");
    let docs = parse_paths(&corpora);
    assert_eq!(docs.len(), expected);
    // Cursor's unquoted `globs: **/*.x` is a YAML error, yet its data is kept.
    let cursor: Vec<_> = docs.iter().filter(|d| d.path.ends_with(".mdc")).collect();
    assert!(cursor.len() > 1_100);
    let with_description = cursor
        .iter()
        .filter(|d| {
            d.front_matter
                .as_ref()
                .and_then(|f| f.get_str("description"))
                .is_some()
        })
        .count();
    assert!(with_description > 1_000, "{with_description}");
    let snippets: usize = docs.iter().map(|d| d.snippets.len()).sum();
    assert!(snippets > 4_000, "{snippets}");
}

#[test]
fn the_projects_rule_set_is_complete_and_tiered() {
    let docs = parse_paths(&[crate_dir().join("rules")]);
    assert!(docs.len() >= 6, "{} documents", docs.len());
    for tier in 1..=3 {
        assert!(
            docs.iter().any(|d| d.tier == Some(tier)),
            "no tier {tier} document"
        );
    }
    for d in &docs {
        assert!(
            d.title.is_some() && d.name.is_some(),
            "{}: no title",
            d.path
        );
        assert!(
            d.purpose.as_deref().is_some_and(|p| !p.is_empty()),
            "{}: no purpose",
            d.path
        );
        let s = &d.tier_sources;
        assert_eq!(s.title, s.folder, "{}: title and folder disagree", d.path);
        assert!(d.snippets.iter().all(|s| s.closed), "{}", d.path);
    }
    let langs: Vec<_> = docs
        .iter()
        .flat_map(|d| &d.snippets)
        .map(|s| s.lang.as_str())
        .collect();
    assert!(langs.iter().filter(|l| **l == "rust").count() >= 15);
    assert!(langs.contains(&"python"));
    let attrs: Vec<_> = docs
        .iter()
        .flat_map(|d| &d.snippets)
        .flat_map(|s| &s.attributes)
        .collect();
    for a in ["no_run", "compile_fail", "should_panic"] {
        assert!(attrs.iter().any(|x| *x == a), "no `{a}` snippet");
    }
    let hidden = docs
        .iter()
        .flat_map(|d| &d.snippets)
        .filter(|s| s.lang == "rust" && s.code.lines().any(|l| l.starts_with("# ")))
        .count();
    assert!(hidden >= 5, "{hidden} snippets with hidden lines");
}

// Structure comes from the CommonMark tree, never from text in code: each
// reading below has a case in a code span, a fenced block and an indented
// block, where a reading of raw lines would take the code.

fn parsed(text: &str) -> RuleDoc {
    let source = ruledoc::source::SourceFile::new("t.md", text.to_string());
    ruledoc::parse::parse(&source, &Default::default())
}

#[test]
fn a_title_in_code_is_no_title() {
    for text in [
        "Name it with `# Async Rule (Tier 2)`.\n",
        "```markdown\n# Async Rule (Tier 2)\n```\n",
        "Intro.\n\n    # Async Rule (Tier 2)\n",
    ] {
        let d = parsed(text);
        assert_eq!(d.title, None, "{text:?}");
        assert!(d.sections.is_empty(), "{text:?}");
    }
    assert_eq!(
        parsed("# The `x` Rule\n").title.as_deref(),
        Some("The x Rule")
    );
}

#[test]
fn a_purpose_in_code_is_no_purpose() {
    for text in [
        "# T\n`## Purpose`\n\nNot the purpose.\n",
        "# T\n```markdown\n## Purpose\n\nNot the purpose.\n```\n",
        "# T\nIntro.\n\n    ## Purpose\n\n    Not the purpose.\n",
    ] {
        let d = parsed(text);
        assert_eq!(
            (d.purpose.as_deref(), d.purpose_line),
            (None, None),
            "{text:?}"
        );
    }
    // Under a real Purpose heading, code before the paragraph is not it.
    for text in [
        "# T\n## Purpose\n```text\nNot the purpose.\n```\nThe purpose.\n",
        "# T\n## Purpose\n\n    Not the purpose.\n\nThe purpose.\n",
    ] {
        assert_eq!(
            parsed(text).purpose.as_deref(),
            Some("The purpose."),
            "{text:?}"
        );
    }
}

#[test]
fn a_link_in_code_is_no_link() {
    for text in [
        "# T\nWrite `[guide](guide.md)` or `<https://example.com>`.\n",
        "# T\n```markdown\n[guide](guide.md) <https://example.com>\n```\n",
        "# T\nIntro.\n\n    [guide](guide.md) <https://example.com>\n",
    ] {
        assert!(parsed(text).links.is_empty(), "{text:?}");
    }
    let d = parsed("# T\nSee [guide](guide.md) and `code`.\n");
    assert_eq!(d.links.len(), 1);
}

#[test]
fn an_import_in_code_or_glued_to_markup_is_no_import() {
    for text in [
        "# T\nWrite `@docs/a.md` to import.\n",
        "# T\n```markdown\n@docs/a.md\n```\n",
        "# T\nIntro.\n\n    @docs/a.md\n",
        // Claude Code needs whitespace or a line start before the `@`.
        "# T\nSee `x`@docs/a.md here.\n",
        "# T\nSee **b**@docs/a.md here.\n",
        "# T\nSee *b*@docs/a.md, (@docs/a.md) and x\\@docs/a.md.\n",
    ] {
        let d = parsed(text);
        assert!(d.imports.is_empty(), "{text:?}: {:?}", d.imports);
    }
    let d = parsed("# T\n@docs/a.md\n\n- `x` @docs/b.md\n> **b** @docs/c.md\n\n>@docs/d.md\n");
    let paths: Vec<_> = d.imports.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["docs/a.md", "docs/b.md", "docs/c.md", "docs/d.md"]);
}

/// The snippet that opens on `line`.
fn snippet_at(d: &RuleDoc, line: usize) -> &ruledoc::model::Snippet {
    d.snippets
        .iter()
        .find(|s| s.line == line)
        .unwrap_or_else(|| panic!("no snippet on line {line}: {:?}", d.snippets))
}

#[test]
fn a_label_or_marker_in_code_is_none() {
    // Each fence below opens on line 3; what is right above it is code.
    for text in [
        // A code span: the label's marker is read outside it.
        "# T\n**Example** `// ❌ wrong`:\n```rust\nfn main() {}\n```\n",
        "# T\n**`❌`**:\n```rust\nfn main() {}\n```\n",
        // The last line of another code block: a fenced one that its list
        // item or quote ended...
        "- ```md\n  **❌ Bad**:\n```rust\nfn main() {}\n```\n",
        "> ```md\n> **❌ Bad**:\n```rust\nfn main() {}\n```\n",
        // ...or an indented one.
        "# T\n    **❌ Bad**:\n```rust\nfn main() {}\n```\n",
    ] {
        let d = parsed(text);
        let s = snippet_at(&d, 3);
        assert_eq!(s.marker, None, "{text:?}");
        if !text.contains("**Example**") && !text.contains("**`") {
            assert_eq!(s.label, None, "{text:?}");
        }
    }
    assert_eq!(
        snippet_at(
            &parsed("# T\n**Example** `// ❌ wrong`:\n```rust\n```\n"),
            3
        )
        .label
        .as_deref(),
        Some("Example `// ❌ wrong`")
    );
}

#[test]
fn a_heading_marker_in_code_is_none() {
    for text in [
        "# T\n### Example `# ✅`\n```python\nx = 1\n```\n",
        "- ```md\n  # ✅ Good\n```python\nx = 1\n```\n",
        "# T\n    # ✅ Good\n```python\nx = 1\n```\n",
    ] {
        assert_eq!(snippet_at(&parsed(text), 3).marker, None, "{text:?}");
    }
    let d = parsed("# T\n### ✅ Good\n\n```python\nx = 1\n```\n");
    assert_eq!(snippet_at(&d, 4).marker, Some(Marker::Correct));
}

#[test]
fn a_skip_comment_in_code_skips_nothing() {
    for text in [
        "# T\n`<!-- ruledoc: skip -->`\n```python\nx = (\n```\n",
        "- ```html\n  <!-- ruledoc: skip -->\n```python\nx = (\n```\n",
        "# T\n    <!-- ruledoc: skip -->\n```python\nx = (\n```\n",
    ] {
        assert!(!snippet_at(&parsed(text), 3).skip, "{text:?}");
    }
    let d = parsed("# T\n**Bad**:\n<!-- ruledoc: skip -->\n```python\nx = (\n```\n");
    let s = snippet_at(&d, 4);
    assert!(s.skip);
    assert_eq!(s.label.as_deref(), Some("Bad"));
}

#[test]
fn labels_are_read_where_the_fence_is() {
    // In a list item or a quote, the label is the fence's sibling...
    let d = parsed("- **✅ Good**:\n  ```rust\n  fn main() {}\n  ```\n");
    assert_eq!(snippet_at(&d, 2).label.as_deref(), Some("✅ Good"));
    let d = parsed("> **Bad**:\n>\n> ```rust\n> fn main() {}\n> ```\n");
    let s = snippet_at(&d, 3);
    assert_eq!(
        (s.label.as_deref(), s.marker),
        (Some("Bad"), Some(Marker::Avoid))
    );
    // A quote's last line still labels a fence right below the quote...
    let d = parsed("> **Output**:\n\n```text\nok\n```\n");
    assert_eq!(snippet_at(&d, 3).label.as_deref(), Some("Output"));
    // ...but a bold item of a list before the fence does not, nor text that
    // only looks bold.
    let d = parsed("- **Good**\n\n```rust\nfn main() {}\n```\n");
    assert_eq!(snippet_at(&d, 3).label, None);
    let d = parsed("** not bold**\n```rust\nfn main() {}\n```\n");
    assert_eq!(snippet_at(&d, 2).label, None);
}

#[test]
fn a_fence_in_a_container_ends_with_it() {
    // The closing fence is indented less than the item's content: not in
    // the item, so the item's block ends with the item, and the line opens
    // a block of its own.
    let d = parsed("1. Install:\n\n   ```sh\n   cargo install x\n```\n\nAfter.\n");
    let s = snippet_at(&d, 3);
    assert!(!s.closed);
    assert_eq!((s.end_line, s.code.as_str()), (4, "cargo install x\n"));
    let stray = snippet_at(&d, 5);
    assert!(!stray.closed);
    assert_eq!((stray.end_line, stray.code.as_str()), (7, "\nAfter.\n"));
    // Four spaces more than the item's content: a line of code, not a fence.
    let d = parsed("- a\n\n  ```\n  x\n      ```\n\nafter\n");
    let s = snippet_at(&d, 3);
    assert!(!s.closed);
    assert_eq!((s.end_line, s.code.as_str()), (6, "x\n    ```\n\n"));
    // The same at the top level.
    let d = parsed("```\nx\n    ```\n");
    assert!(!d.snippets[0].closed);
    assert_eq!(d.snippets[0].code, "x\n    ```\n");
    // A quote ends at its last line, blank or not.
    let d = parsed("> ```\n> x\n>\nafter\n");
    let s = &d.snippets[0];
    assert!(!s.closed);
    assert_eq!((s.end_line, s.code.as_str()), (3, "x\n\n"));
    let d = parsed("> ```\n> x\n>");
    assert!(!d.snippets[0].closed);
    // Closing fences indented within the item's allowance do close.
    let d = parsed("- a\n  ```\n  x\n     ```\n- b\n");
    let s = &d.snippets[0];
    assert!(s.closed);
    assert_eq!((s.end_line, s.code.as_str()), (4, "x\n"));
}
