//! `fmt` on the fixtures in tests/fixtures/fmt: each thing fmt must never do
//! (escape, rewrite a link, insert a comment, touch code, change a line
//! ending, join or split a line), its refusals, and its stability.

#![allow(unused_crate_dependencies)]

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd, html::push_html};
use ruledoc::fmt::{Formatted, format_document};
use ruledoc::parse::markdown_options;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fmt")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// fmt's output for a fixture it must change, checked against what fmt
/// must never do.
fn formatted(name: &str) -> (String, String) {
    let text = fixture(name);
    let out = match format_document(&text) {
        Formatted::Changed(out) => out,
        other => panic!("{name}: expected a change, got {other:?}"),
    };
    assert_eq!(
        format_document(&out),
        Formatted::Unchanged,
        "{name}: not idempotent"
    );
    assert_eq!(
        rendering(&out),
        rendering(&text),
        "{name}: rendering changed"
    );
    assert_eq!(
        out.matches('\\').count(),
        text.matches('\\').count(),
        "{name}: escapes"
    );
    assert_eq!(
        out.matches("<!--").count(),
        text.matches("<!--").count(),
        "{name}: comments"
    );
    assert_eq!(
        raw(&out, is_code),
        raw(&text, is_code),
        "{name}: code changed"
    );
    assert_eq!(
        raw(&out, is_link),
        raw(&text, is_link),
        "{name}: links changed"
    );
    let lines = |t: &str| t.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(lines(&out), lines(&text), "{name}: lines joined or split");
    (text, out)
}

fn rendering(text: &str) -> String {
    let mut html = String::new();
    push_html(&mut html, Parser::new_ext(text, markdown_options()));
    html
}

fn is_code(e: &Event) -> bool {
    matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_)))
}

fn is_link(e: &Event) -> bool {
    matches!(e, Event::Start(Tag::Link { .. } | Tag::Image { .. }))
}

/// The source bytes of every event `pick` takes, in order.
fn raw(text: &str, pick: fn(&Event) -> bool) -> Vec<String> {
    Parser::new_ext(text, markdown_options())
        .into_offset_iter()
        .filter(|(e, _)| pick(e))
        .map(|(_, r)| text[r].to_string())
        .collect()
}

#[test]
fn no_escape_is_added() {
    let (_, out) = formatted("escapes.md");
    assert_eq!(
        out,
        "# Naming\n\nUse snake_case for functions, answer in <1.5 s, and say code path!\n\n## 1. Setup\n\nMatch \\*.py and *.py files.\n\n# === Tool ===\n\nA_B_C and 2*3*4.\n"
    );
}

#[test]
fn reference_links_and_footnotes_stay_where_and_as_they_are() {
    let (text, out) = formatted("reference_links.md");
    for line in text.lines().filter(|l| l.starts_with('[')) {
        assert!(out.contains(&format!("\n{line}\n")), "{line} lost in {out}");
    }
    assert!(out.contains("[the guide][guide] and [docs]"));
}

#[test]
fn no_comment_is_inserted_between_lists() {
    let (_, out) = formatted("no_comments.md");
    assert_eq!(out, "# Lists\n\n- a\n- b\n\n1. one\n2. two\n\n- c\n");
}

#[test]
fn inline_code_is_untouched() {
    let (text, out) = formatted("inline_code.md");
    assert!(out.contains("`foo(a,  \nb)`"), "{out}");
    assert!(out.contains("`over\ntwo lines`"), "{out}");
    // A hard line break (three spaces) stays; only the heading gets a blank line.
    assert_eq!(out, text.replacen("# Code spans\n", "# Code spans\n\n", 1));
}

#[test]
fn code_blocks_are_untouched() {
    let (text, out) = formatted("code_blocks.md");
    let blocks = |t: &str| {
        let mut code = Vec::new();
        let mut inside = false;
        for e in Parser::new_ext(t, markdown_options()) {
            match e {
                Event::Start(Tag::CodeBlock(_)) => inside = true,
                Event::End(TagEnd::CodeBlock) => inside = false,
                Event::Text(s) if inside => code.push(s.to_string()),
                _ => {}
            }
        }
        code
    };
    assert_eq!(blocks(&out), blocks(&text));
    assert!(out.contains("let   x = 1;   \n\n\nlet y = 2;\t\n"));
    assert!(out.contains("    a   \n\n    b   \n"));
    assert!(out.contains("Text before\n\n```rust"));
}

#[test]
fn crlf_is_kept_on_every_line() {
    let (text, out) = formatted("crlf.md");
    assert!(text.contains("\r\n"));
    assert_eq!(
        out.matches('\n').count(),
        out.matches("\r\n").count(),
        "{out:?}"
    );
    assert_eq!(
        out,
        "# Title\r\n\r\nText  \r\nmore   \r\n* a\r\n* b\r\n\r\n```sh\r\nls  \r\n```\r\n\r\nend\r\n"
            .replace("more   \r\n* a\r\n* b", "more\r\n\r\n- a\r\n- b")
    );
}

#[test]
fn unclosed_fence_is_refused() {
    let text = fixture("unclosed_fence.md");
    let Formatted::Refused(why) = format_document(&text) else {
        panic!("expected a refusal")
    };
    assert!(why.contains("RD201"), "{why}");
}

#[test]
fn leftover_markup_is_refused() {
    let text = fixture("leftover_markup.md");
    let Formatted::Refused(why) = format_document(&text) else {
        panic!("expected a refusal")
    };
    assert!(why.contains("RD206"), "{why}");
}

#[test]
fn stray_backticks_are_refused() {
    let Formatted::Refused(why) = format_document("#  T\nRun it```\n") else {
        panic!("expected a refusal")
    };
    assert!(why.contains("RD207"), "{why}");
}
