//! fmt's oracle: the CommonMark rendering is unchanged, and formatting the
//! result again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruledoc::fmt::{Formatted, format_document, html};
use ruledoc::parse::front_matter_of;
use ruledoc::source::LineIndex;

fn body(text: &str) -> &str {
    match front_matter_of(text, &LineIndex::new(text)) {
        Some(fm) if fm.is_closed() => &text[fm.span.end..],
        _ => text,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Formatted::Changed(out) = format_document(text) {
        assert_eq!(html(body(&out)), html(body(text)), "rendering changed");
        assert!(
            matches!(format_document(&out), Formatted::Unchanged),
            "a second fmt changed {out:?}"
        );
    }
});
