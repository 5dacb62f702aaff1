//! Parse any text: never a panic, and what the model says holds up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruledoc::parse::{ParseOptions, parse};
use ruledoc::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("rules/sub/doc.md", text.to_string());
    let kinds = ["Rule".to_string(), "Sub-Rule".to_string()];
    let doc = parse(
        &source,
        &ParseOptions {
            kinds: &kinds,
            folder_tier: Some(3),
            rel_path: Some("sub/doc.md".into()),
        },
    );
    let lines = source.lines.line_count();
    for s in &doc.snippets {
        assert!(s.line >= 1 && s.line <= lines, "{s:?}");
        assert!(s.code_line <= s.end_line + 1, "{s:?}");
        assert!(s.span.end <= text.len());
    }
    // The model always serialises (parse --format json).
    serde_json::to_string(&doc).expect("JSON");
});
