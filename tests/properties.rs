//! Property tests (proptest): generated documents built from the pieces rule
//! files are made of, broken ones included.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use ruledoc::diagnostic::Applicability;
use ruledoc::discover::Found;
use ruledoc::fmt::{Formatted, format_document, html};
use ruledoc::lint::{Job, Plan, fix_document};
use ruledoc::load::Document;
use ruledoc::parse::parse;
use ruledoc::settings::Settings;
use ruledoc::source::{LineIndex, SourceFile};

/// Text from pieces that make line and column arithmetic hard: CRLF, lone
/// CR, multi-byte characters, tabs, empty lines.
fn awkward_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", "bc", " ", "\t", "\n", "\r\n", "\r", "é", "日本", "🙂", "\n\n", "#", "`",
        ]),
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

/// One block of a rule document.
fn block() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Use",
        "async",
        "the",
        "`tokio`",
        "**bold**",
        "_em_",
        "[link](other.md)",
        "✅",
        "❌",
        "@rules/x.md",
        "<!-- generated -->",
        "```",
        "~~~",
        "a",
        "1.",
        "-",
    ]);
    let line = prop::collection::vec(word, 1..8).prop_map(|w| w.join(" "));
    let code_line = prop::sample::select(vec![
        "let x = 1;",
        "fn main() {}",
        "    indented();",
        "",
        "# hidden",
        "// ✅ CORRECT",
        "```",
        "````",
        "~~~",
        "x = {\"a\": 1}",
    ]);
    let code = prop::collection::vec(code_line, 0..5).prop_map(|l| l.join("\n"));
    prop_oneof![
        (1..=4usize, line.clone()).prop_map(|(n, t)| format!("{} {t}\n", "#".repeat(n))),
        Just("## Purpose\n\nSays what it is for.\n".to_string()),
        line.clone().prop_map(|t| format!("{t}\n")),
        line.clone().prop_map(|t| format!("- {t}\n- {t}\n")),
        line.clone().prop_map(|t| format!("> {t}\n")),
        line.prop_map(|t| format!("**{t}**\n")),
        (
            prop::sample::select(vec!["```", "````", "~~~", "  ```"]),
            prop::sample::select(vec!["rust", "python", "json", "", "rust,ignore", "yaml"]),
            code.clone(),
            any::<bool>()
        )
            .prop_map(|(fence, lang, code, closed)| {
                let end = if closed {
                    format!("{}\n", fence.trim_start())
                } else {
                    String::new()
                };
                format!("{fence}{lang}\n{code}\n{end}")
            }),
        Just("---\n".to_string()),
        Just("\n".to_string()),
    ]
}

/// A rule document: maybe front matter, maybe a title, then blocks.
fn document() -> impl Strategy<Value = String> {
    let front = prop::option::of(prop::sample::select(vec![
        "---\ntier: 2\n---\n",
        "---\ndescription: x\nglobs: **/*.rs\nalwaysApply: false\n---\n",
        "---\ntier: [2\n---\n",
        "---\npurpose: Why.\nname: n\n",
    ]));
    let title = prop::option::of(prop::sample::select(vec![
        "# Async Patterns Sub-Rule (Tier 3)\n",
        "# TDD Enforcer Rule (Main Rule - Tier 2)\n",
        "# Core Operational Rules\n",
        "# Component Context (Tier 9)\n",
    ]));
    let crlf = any::<bool>();
    (front, title, prop::collection::vec(block(), 0..12), crlf).prop_map(
        |(front, title, blocks, crlf)| {
            let mut text = String::new();
            text.push_str(front.unwrap_or(""));
            text.push_str(title.unwrap_or(""));
            for b in blocks {
                text.push('\n');
                text.push_str(&b);
            }
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        },
    )
}

fn settings() -> &'static Settings {
    static S: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
    S.get_or_init(|| Settings::defaults(Path::new(env!("CARGO_MANIFEST_DIR"))))
}

fn found() -> Found {
    Found {
        path: PathBuf::from("/nowhere/rules/sub/doc.md"),
        root: Some(PathBuf::from("/nowhere/rules")),
        rel_path: Some("sub/doc.md".into()),
        explicit: false,
    }
}

fn load(text: String, found: &Found) -> Document {
    let source = SourceFile::new(found.path.clone(), text);
    let doc = parse(&source, &settings().parse_options(found));
    Document {
        source: std::sync::Arc::new(source),
        doc,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Every offset maps to a line and column that map back to it, except
    /// the `\n` of a CRLF, which is part of the same line end as its `\r`.
    #[test]
    fn line_index_round_trips(text in awkward_text()) {
        let source = SourceFile::new("t.md", text.clone());
        let lines = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let lc = source.line_col(offset);
            prop_assert!(lc.line >= 1 && lc.column >= 1);
            prop_assert_eq!(lines.line(offset), lc.line);
            let back = source.offset_of(lc.line, lc.column);
            let crlf_newline = offset > 0 && text[offset..].starts_with('\n')
                && text[..offset].ends_with('\r');
            if crlf_newline {
                prop_assert_eq!(back, offset - 1, "offset {} in {:?}", offset, text);
            } else {
                prop_assert_eq!(back, offset, "offset {} in {:?} ({:?})", offset, text, lc);
            }
        }
    }

    /// `lint --fix` is idempotent: fixing the fixed text changes nothing.
    #[test]
    fn fix_is_idempotent(text in document()) {
        let found = found();
        let plan = Plan::all(Job::Lint);
        let once = fix_document(load(text, &found), &found, &plan, settings(), Applicability::Unsafe);
        let fixed = once.document.source.text.clone();
        let twice = fix_document(load(fixed.clone(), &found), &found, &plan, settings(), Applicability::Unsafe);
        prop_assert_eq!(twice.applied, 0, "fixing again applied fixes to {:?}", fixed);
        prop_assert_eq!(&twice.document.source.text, &fixed);
    }

    /// fmt keeps the rendering, and formatting its output changes nothing.
    #[test]
    fn fmt_preserves_rendering_and_is_stable(text in document()) {
        match format_document(&text) {
            Formatted::Changed(out) => {
                prop_assert_eq!(html(body(&out)), html(body(&text)));
                prop_assert!(
                    matches!(format_document(&out), Formatted::Unchanged),
                    "not stable: {:?} -> {:?}", text, out
                );
            }
            Formatted::Unchanged | Formatted::Refused(_) => {}
        }
    }

    /// Parsing never loses a snippet: each fenced block written is found, and
    /// its code is exactly the bytes written between the fences (line ends
    /// read as LF).
    #[test]
    fn snippets_are_the_bytes_between_the_fences(
        prose in prop::collection::vec("[a-zA-Z ,.]{0,30}", 1..5),
        codes in prop::collection::vec(
            prop::collection::vec("[ -~&&[^`~]]{0,40}|", 0..6), 1..6),
        fence in prop::sample::select(vec!["```", "~~~", "````"]),
        crlf in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("# Generated Rule (Tier 2){nl}{nl}");
        let mut written = Vec::new();
        for (i, lines) in codes.iter().enumerate() {
            text.push_str(prose[i % prose.len()].trim());
            text.push_str(nl);
            text.push_str(nl);
            let code: String = lines.iter().map(|l| format!("{l}{nl}")).collect();
            text.push_str(&format!("{fence}rust{nl}{code}{fence}{nl}{nl}"));
            written.push(code);
        }
        let doc = load(text.clone(), &found()).doc;
        let lines = LineIndex::new(&text);
        prop_assert_eq!(doc.snippets.len(), written.len(), "{:?}", text);
        for (s, code) in doc.snippets.iter().zip(&written) {
            prop_assert!(s.closed);
            // The lines the model says the code is on hold exactly what was
            // written between the fences...
            let between = &text[lines.line_start(s.code_line)..lines.line_start(s.end_line)];
            prop_assert_eq!(between, code.as_str());
            // ...and the code is those bytes, a CRLF read as LF as CommonMark
            // reads line ends.
            prop_assert_eq!(&s.code, &between.replace("\r\n", "\n"));
        }
    }
}

/// The text after the front matter, as fmt compares it.
fn body(text: &str) -> &str {
    match ruledoc::parse::front_matter_of(text, &LineIndex::new(text)) {
        Some(fm) if fm.is_closed() => &text[fm.span.end..],
        _ => text,
    }
}

/// Crashes the fuzzers found, kept as regression tests: each file under
/// tests/fixtures/fuzz goes through every oracle.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let found = found();
        let plan = Plan::all(Job::Lint);
        // `lint --fix` converges: a second run changes nothing (the first
        // finding here needed 11 rounds of fixes, one more than allowed then).
        let once = fix_document(
            load(text.clone(), &found),
            &found,
            &plan,
            settings(),
            Applicability::Unsafe,
        );
        let fixed = once.document.source.text.clone();
        let twice = fix_document(
            load(fixed.clone(), &found),
            &found,
            &plan,
            settings(),
            Applicability::Unsafe,
        );
        assert_eq!(twice.applied, 0, "{}", path.display());
        // fmt keeps the rendering and is stable.
        if let Formatted::Changed(out) = format_document(&text) {
            assert_eq!(html(body(&out)), html(body(&text)), "{}", path.display());
            assert!(matches!(format_document(&out), Formatted::Unchanged));
        }
        n += 1;
    }
    assert!(n >= 1);
}
