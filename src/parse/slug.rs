//! GitHub's heading anchors, computed as github-slugger computes them:
//! lower-case the whole heading (`str::to_lowercase`: full case mapping, so
//! a word-final `Σ` is `ς` and `İ` is `i̇`), keep letters and other
//! alphabetic characters (Unicode `Alphabetic`, so `ⓐ` and `ⅻ` stay), marks
//! (`M*`, so the vowel signs of `हिन्दी` and an emoji's U+FE0F stay), decimal
//! digits (`Nd`), connector punctuation (`Pc`: `_`, `‿`, `＿`), `-` and the
//! space, drop everything else (`²`, `½`, `♥`, `–`, `’`, other spaces and
//! format characters such as U+200D), and turn each space into `-`. Repeats
//! get `-1`, `-2`, … ([`Slugger`]).
//!
//! Source: github-slugger 2.0.0 (npm, github.com/Flet/github-slugger), whose
//! `regex.js` removes Other_Number, every punctuation but `Pc` and `-`,
//! symbols, controls, private use, format, unassigned and separators but ` `,
//! all minus `Alphabetic`: the complement of the class kept here. Its test
//! fixtures are headings GitHub itself rendered; they are this module's test
//! (`tests/fixtures/slug/github-slugger.json`).
//!
//! The classes come from regex-syntax's tables (Unicode 16.0), the case
//! mapping from the standard library. github-slugger builds its regex from
//! Unicode 13, so it drops letters assigned since; GitHub's own tables are
//! newer (in 2023 it kept two Unicode 15.0 letters of the `Unassigned`
//! fixture). That fixture is the one this code does not match exactly: four
//! of its letters were assigned in Unicode 15.1 and 16.0, after that render,
//! which dropped them; this code keeps them.
//!
//! Nothing is trimmed here: GitHub slugs the heading's text as rendered, and
//! a space at either end that survives Markdown (`# &#x20;a`) is a `-` there.
//!
//! An all-ASCII heading, the common case, takes a fast path that touches no
//! Unicode table and allocates only the anchor; the first non-ASCII byte
//! sends the whole heading down the Unicode path.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex_syntax::hir::{Class, HirKind};

/// The anchor GitHub gives a heading with this text.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' => out.push(char::from(b.to_ascii_lowercase())),
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => out.push(char::from(b)),
            b' ' => out.push('-'),
            0x80.. => return slug_unicode(text, out),
            _ => {}
        }
    }
    out
}

/// [`slug`] for a heading with non-ASCII text, into `out`'s buffer: the case
/// mapping of the whole heading first (a final sigma depends on the letters
/// around it), then the class.
fn slug_unicode(text: &str, mut out: String) -> String {
    let lower = text.to_lowercase();
    out.clear();
    out.reserve(lower.len());
    for c in lower.chars() {
        match c {
            ' ' => out.push('-'),
            'a'..='z' | '0'..='9' | '-' | '_' => out.push(c),
            _ if c.is_ascii() => {}
            _ if kept(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The non-ASCII characters an anchor keeps: `Alphabetic`, marks, decimal
/// digits and connector punctuation, as sorted, disjoint ranges.
static KEPT: LazyLock<Box<[(char, char)]>> = LazyLock::new(|| {
    let hir = regex_syntax::parse(r"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]")
        .expect("a valid class of Unicode properties");
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect(),
        other => unreachable!("a Unicode class parses to a class, not {other:?}"),
    }
});

fn kept(c: char) -> bool {
    KEPT.binary_search_by(|&(start, end)| {
        if end < c {
            Ordering::Less
        } else if start > c {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    })
    .is_ok()
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
    fn an_emoji_variation_selector_is_kept_as_github_keeps_it() {
        assert_eq!(slug("⚠\u{fe0f} Known Issues"), "\u{fe0f}-known-issues");
    }

    #[test]
    fn marks_stay_other_numbers_go_connectors_stay() {
        assert_eq!(slug("हिन्दी"), "हिन्दी");
        assert_eq!(slug("x² ½"), "x-");
        assert_eq!(slug("a‿b＿c"), "a‿b＿c");
    }

    #[test]
    fn the_whole_heading_is_lower_cased_at_once() {
        assert_eq!(slug("ΟΔΟΣ"), "οδος");
        assert_eq!(slug("ΣΑΣ Σ"), "σας-σ");
        assert_eq!(slug("İstanbul"), "i\u{307}stanbul");
        assert_eq!(slug("Straße STRASSE"), "straße-strasse");
        // The ASCII before the first non-ASCII byte is part of the context.
        assert_eq!(slug("aΣ"), "aς");
        assert_eq!(slug("HTTP ΟΔΟΣ"), "http-οδος");
    }

    #[test]
    fn surrounding_spaces_are_the_callers_to_trim() {
        assert_eq!(slug(" a "), "-a-");
        assert_eq!(slug(" ä "), "-ä-");
    }

    #[derive(serde::Deserialize)]
    struct Fixtures {
        cases: Vec<Fixture>,
    }

    #[derive(serde::Deserialize)]
    struct Fixture {
        name: String,
        input: String,
        expected: String,
    }

    /// Letters of the `Unassigned` fixture assigned after GitHub rendered it
    /// (2023, when it kept the Unicode 15.0 letters U+3174F and U+31F7B):
    /// U+2EC58 (CJK Extension I, Unicode 15.1), U+105CB (Todhri), U+13486
    /// and U+13CB1 (Egyptian Hieroglyphs Extended-A; Unicode 16.0). Our
    /// tables, Unicode 16, keep them as letters; that render dropped them.
    const ASSIGNED_SINCE: [char; 4] = ['\u{2EC58}', '\u{105CB}', '\u{13486}', '\u{13CB1}'];

    /// Headings whose anchors GitHub itself rendered: github-slugger's
    /// `test/fixtures.json` (github.com/Flet/github-slugger, v2.0.0, from its
    /// `script/generate-fixtures.mjs`), as the github-slugger crate 0.1.0
    /// copies it (80 cases: the crate adds two empty headings); provenance in
    /// the file's `source`. One `Slugger` for all, as there: the repeats are
    /// part of the fixtures. All agree, `Unassigned` but for
    /// [`ASSIGNED_SINCE`].
    #[test]
    fn github_renders_these_anchors() {
        let text = include_str!("../../tests/fixtures/slug/github-slugger.json");
        let fixtures: Fixtures = serde_json::from_str(text).expect("fixture JSON");
        assert_eq!(fixtures.cases.len(), 80);
        let mut slugger = Slugger::default();
        let wrong: Vec<String> = fixtures
            .cases
            .iter()
            .enumerate()
            .filter_map(|(i, case)| {
                let mut got = slugger.unique(&case.input);
                if case.name == "Unassigned" {
                    assert!(ASSIGNED_SINCE.iter().all(|&c| got.contains(c)));
                    got.retain(|c| !ASSIGNED_SINCE.contains(&c));
                }
                (got != case.expected).then(|| {
                    format!(
                        "#{i} {}: expected {:?}, got {:?}",
                        case.name, case.expected, got
                    )
                })
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
