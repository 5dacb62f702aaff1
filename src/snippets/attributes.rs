//! What a fence's info string asks for, read the way rustdoc reads it (the
//! rustdoc book, "Documentation tests": "Attributes"), plus ruledoc's own
//! `run` and mdBook's playground words, which are accepted and ignored.

use crate::model::Snippet;

/// Rust editions a snippet can ask for (`edition2015` … `edition2024`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Edition {
    /// Rust 2015.
    E2015,
    /// Rust 2018.
    E2018,
    /// Rust 2021.
    E2021,
    /// Rust 2024.
    E2024,
}

impl Edition {
    /// The year, as `rustc --edition` and `Cargo.toml` take it.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E2015 => "2015",
            Edition::E2018 => "2018",
            Edition::E2021 => "2021",
            Edition::E2024 => "2024",
        }
    }

    /// `2015`, `2018`, `2021` or `2024`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "2015" => Some(Edition::E2015),
            "2018" => Some(Edition::E2018),
            "2021" => Some(Edition::E2021),
            "2024" => Some(Edition::E2024),
            _ => None,
        }
    }
}

/// The attributes of a Rust snippet, with the meaning the rustdoc book gives
/// them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RustAttributes {
    /// `ignore` (or `ignore-<target>`, taken as `ignore` on every target):
    /// neither compiled nor run.
    pub ignore: bool,
    /// `no_run`: compiled, never run.
    pub no_run: bool,
    /// `compile_fail`: must fail to compile; never run.
    pub compile_fail: bool,
    /// `compile_fail,E0382`: the error codes the failure must carry (one of
    /// them is enough).
    pub error_codes: Vec<String>,
    /// `should_panic`: when run, must panic (any failing exit is taken as
    /// one).
    pub should_panic: bool,
    /// `edition2015` … `edition2024`: the edition to compile with, instead of
    /// `[snippets.rust] edition`.
    pub edition: Option<Edition>,
    /// `standalone_crate`: compiled as a crate of its own, never merged.
    pub standalone_crate: bool,
    /// `run`: run this snippet when running is asked for (`--run=marked`).
    pub run: bool,
    /// Words rustdoc does not know, each with the known one it most likely meant.
    pub unknown: Vec<(String, Option<&'static str>)>,
}

/// Attributes that, as the first word, make a block Rust (```` ```no_run ````).
const RUST_FIRST: &[&str] = &[
    "ignore",
    "no_run",
    "compile_fail",
    "should_panic",
    "standalone_crate",
    "test_harness",
    "edition2015",
    "edition2018",
    "edition2021",
    "edition2024",
];

/// The other attributes rustdoc (and mdBook, and ruledoc) know.
const OTHER_KNOWN: &[&str] = &[
    "rust",
    "run",
    // mdBook's playground attributes.
    "editable",
    "noplayground",
    "noplaypen",
    "mdbook-runnable",
    "allow_fail",
];

/// Whether a snippet is Rust: its language is `rust`, or its first word is a
/// rustdoc attribute.
pub(crate) fn is_rust(snippet: &Snippet) -> bool {
    let lang = snippet.lang.as_str();
    lang == "rust" || lang == "rs" || RUST_FIRST.contains(&lang) || lang.starts_with("ignore-")
}

fn is_error_code(word: &str) -> bool {
    word.len() == 5 && word.starts_with('E') && word[1..].chars().all(|c| c.is_ascii_digit())
}

/// Read a Rust snippet's attributes (its language word included, as rustdoc does).
pub(crate) fn rust_attributes(snippet: &Snippet) -> RustAttributes {
    let mut a = RustAttributes::default();
    let words =
        std::iter::once(snippet.lang.as_str()).chain(snippet.attributes.iter().map(String::as_str));
    for word in words {
        match word {
            "rust" | "rs" | "" | "test_harness" | "editable" | "noplayground" | "noplaypen"
            | "mdbook-runnable" | "allow_fail" => {}
            "ignore" => a.ignore = true,
            "no_run" => a.no_run = true,
            "compile_fail" => a.compile_fail = true,
            "should_panic" => a.should_panic = true,
            "standalone_crate" => a.standalone_crate = true,
            "run" => a.run = true,
            w if w.starts_with("ignore-") => a.ignore = true,
            w if w.starts_with("hidelines=") => {}
            w if is_error_code(w) => a.error_codes.push(w.to_string()),
            w => match w.strip_prefix("edition").and_then(Edition::parse) {
                Some(e) => a.edition = Some(e),
                None => a.unknown.push((w.to_string(), nearest(w))),
            },
        }
    }
    a
}

/// Whether any language's snippet asks to be left alone: `ignore`.
pub(crate) fn is_ignored(snippet: &Snippet) -> bool {
    snippet.skip
        || snippet
            .attributes
            .iter()
            .any(|a| a == "ignore" || a.starts_with("ignore-"))
}

/// The known attribute a misspelt one most likely meant.
fn nearest(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase().replace('-', "_");
    RUST_FIRST
        .iter()
        .chain(OTHER_KNOWN)
        .map(|k| (strsim::levenshtein(k, &w), *k))
        .filter(|(d, k)| *d <= 3 && *d < k.len() / 2 + 1)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(info: &str) -> Snippet {
        let (lang, attributes) = crate::parse::split_info(info);
        Snippet {
            lang,
            attributes,
            label: None,
            marker: None,
            section: vec![],
            line: 1,
            code_line: 2,
            end_line: 3,
            code: String::new(),
            closed: true,
            skip: false,
            fence: crate::model::Fence {
                char: '`',
                len: 3,
                indent: 0,
            },
            container: None,
            span: Default::default(),
            info: info.to_string(),
        }
    }

    #[test]
    fn rustdoc_attributes_are_read() {
        let a = rust_attributes(&snippet("rust,compile_fail,E0382 edition2018"));
        assert!(a.compile_fail);
        assert_eq!(a.error_codes, ["E0382"]);
        assert_eq!(a.edition, Some(Edition::E2018));
        assert!(a.unknown.is_empty());
    }

    #[test]
    fn a_first_attribute_makes_a_block_rust() {
        assert!(is_rust(&snippet("no_run")));
        assert!(is_rust(&snippet("rust,ignore")));
        assert!(!is_rust(&snippet("python")));
        assert!(!is_rust(&snippet("")));
        assert!(rust_attributes(&snippet("ignore")).ignore);
    }

    #[test]
    fn unknown_attributes_suggest_the_nearest() {
        let a = rust_attributes(&snippet("rust,no-run,should_pnic,whatever"));
        assert_eq!(
            a.unknown,
            [
                ("no-run".to_string(), Some("no_run")),
                ("should_pnic".to_string(), Some("should_panic")),
                ("whatever".to_string(), None)
            ]
        );
    }
}
