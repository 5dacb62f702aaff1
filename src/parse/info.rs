//! What sits around a fence: its info string, the label above it, its marker.

use crate::model::Marker;

/// Split a fenced block's info string on commas and whitespace, as rustdoc's
/// documentation describes code block attributes. The first word is the
/// language (empty when there is none); the others are attributes, in order.
pub fn split_info(info: &str) -> (String, Vec<String>) {
    let mut words = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_string);
    let lang = words.next().unwrap_or_default();
    (lang, words.collect())
}

/// The label on a source line: a line that starts with bold text
/// (`**CORRECT NAMING AND USAGE**:`), optionally after a ✅/❌ marker.
pub(super) fn label_of(line: &str) -> Option<String> {
    let line = line.trim().trim_start_matches(['>', ' ']).trim();
    let (emoji, rest) = split_leading_marker(line);
    let delim = [b"**", b"__"]
        .into_iter()
        .find(|d| rest.as_bytes().starts_with(*d))?;
    // The delimiters are ASCII, so every byte offset found is a char boundary.
    let inner_end = find_pair(&rest.as_bytes()[2..], delim)? + 2;
    if inner_end == 2 {
        return None;
    }
    let mut text = String::with_capacity(rest.len());
    let mut at = 0;
    while let Some(found) = find_pair(&rest.as_bytes()[at..], delim) {
        text.push_str(&rest[at..at + found]);
        at += found + 2;
    }
    text.push_str(&rest[at..]);
    let text = text.trim().trim_end_matches([':', '.']).trim();
    if text.is_empty() {
        return None;
    }
    Some(match emoji {
        Some(e) => format!("{e} {text}"),
        None => text.to_string(),
    })
}

/// The first offset of the two-byte `pair` in `bytes`.
fn find_pair(bytes: &[u8], pair: &[u8; 2]) -> Option<usize> {
    bytes.windows(2).position(|w| w == pair)
}

/// Whether `text` is one ✅/❌-like sign and nothing else.
pub(super) fn is_marker_sign(text: &str) -> bool {
    matches!(split_leading_marker(text), (Some(_), ""))
}

fn split_leading_marker(line: &str) -> (Option<&str>, &str) {
    for m in CORRECT_SIGNS.iter().chain(AVOID_SIGNS) {
        if let Some(rest) = line.strip_prefix(m) {
            return (Some(m), rest.trim_start());
        }
    }
    (None, line)
}

const CORRECT_SIGNS: &[&str] = &["✅", "✔️", "✔", "✓", "👍"];
const AVOID_SIGNS: &[&str] = &["❌", "✗", "✘", "🚫", "⛔", "👎"];
const AVOID_WORDS: &[&str] = &[
    "AVOID",
    "BAD",
    "WRONG",
    "INCORRECT",
    "DON'T",
    "DONT",
    "ANTI-PATTERN",
    "ANTIPATTERN",
    "NEVER",
];
const CORRECT_WORDS: &[&str] = &[
    "CORRECT",
    "GOOD",
    "RIGHT",
    "PREFERRED",
    "RECOMMENDED",
    "BETTER",
];

/// The marker a signs-and-words label carries: ✅/❌, or words such as CORRECT or AVOID.
pub(super) fn marker_of_label(label: &str) -> Option<Marker> {
    marker_of_signs(label).or_else(|| {
        // The words are ASCII: compared without upper-casing each word.
        let words = || {
            label
                .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
                .filter(|w| !w.is_empty())
        };
        let has = |list: &[&str]| words().any(|w| list.iter().any(|l| w.eq_ignore_ascii_case(l)));
        if has(AVOID_WORDS) {
            Some(Marker::Avoid)
        } else if has(CORRECT_WORDS) {
            Some(Marker::Correct)
        } else {
            None
        }
    })
}

/// The first ✅/❌-like sign in `text`.
pub(super) fn marker_of_signs(text: &str) -> Option<Marker> {
    // One pass over the characters: every sign starts with one of these.
    text.chars().find_map(|c| match c {
        '✅' | '✔' | '✓' | '👍' => Some(Marker::Correct),
        '❌' | '✗' | '✘' | '🚫' | '⛔' | '👎' => Some(Marker::Avoid),
        _ => None,
    })
}

/// Whether a line is `<!-- ruledoc: skip -->` (spacing is free).
pub(super) fn is_skip_comment(line: &str) -> bool {
    if !line.contains("ruledoc") {
        return false;
    }
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.eq_ignore_ascii_case("<!--ruledoc:skip-->")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_splits_on_commas_and_spaces() {
        assert_eq!(
            split_info("rust,ignore no_run"),
            ("rust".into(), vec!["ignore".into(), "no_run".into()])
        );
        assert_eq!(split_info(""), (String::new(), vec![]));
        assert_eq!(split_info(" python "), ("python".into(), vec![]));
        assert_eq!(
            split_info("rust, compile_fail,E0382"),
            ("rust".into(), vec!["compile_fail".into(), "E0382".into()])
        );
    }

    #[test]
    fn labels_are_bold_lines() {
        assert_eq!(
            label_of("**CORRECT NAMING AND USAGE**:").as_deref(),
            Some("CORRECT NAMING AND USAGE")
        );
        assert_eq!(
            label_of("**Bad:** unwrap everywhere").as_deref(),
            Some("Bad: unwrap everywhere")
        );
        assert_eq!(label_of("✅ **Good**").as_deref(), Some("✅ Good"));
        assert_eq!(label_of("Some **bold** text"), None);
        assert_eq!(label_of("****"), None);
        assert_eq!(label_of("- **item**"), None);
    }

    #[test]
    fn markers_from_signs_then_words() {
        assert_eq!(
            marker_of_label("CORRECT NAMING AND USAGE"),
            Some(Marker::Correct)
        );
        assert_eq!(marker_of_label("INCORRECT usage"), Some(Marker::Avoid));
        assert_eq!(marker_of_label("❌ looks correct"), Some(Marker::Avoid));
        assert_eq!(marker_of_label("RESOURCE MANAGEMENT"), None);
        assert_eq!(marker_of_signs("# ✅ ok\n# ❌ no"), Some(Marker::Correct));
    }

    #[test]
    fn skip_comment_spacing_is_free() {
        assert!(is_skip_comment("<!-- ruledoc: skip -->"));
        assert!(is_skip_comment("  <!--ruledoc:skip-->"));
        assert!(!is_skip_comment("<!-- ruledoc: skipped -->"));
    }
}
