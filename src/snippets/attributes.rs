//! What a fence's info string asks for, read the way rustdoc 1.95 reads it:
//! a port of `LangString::parse` and its `TagIterator` tokenizer
//! (`src/librustdoc/html/markdown.rs` in rust-lang/rust), which decide
//! whether a block is tested as Rust and with which attributes. ruledoc's
//! own `run` and mdBook's playground words are read as the unknown words
//! they are to rustdoc, but are not reported as misspellings.

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
    /// `ignore`, or `ignore-<target>` where this machine's target triple
    /// holds `<target>` (`ignore-windows` on Windows): neither compiled nor
    /// run.
    pub ignore: bool,
    /// `no_run`: compiled, never run.
    pub no_run: bool,
    /// `compile_fail`: must fail to compile; never run.
    pub compile_fail: bool,
    /// `compile_fail,E0382`: the error codes the failure must carry, every
    /// one of them, as rustdoc requires.
    pub error_codes: Vec<String>,
    /// `should_panic`: when run, must panic (any failing exit is taken as
    /// one).
    pub should_panic: bool,
    /// `edition2015` … `edition2024`: the edition to compile with, instead of
    /// `[snippets.rust] edition`. A word `edition…` with another year gives
    /// none, as in rustdoc (the configured edition applies).
    pub edition: Option<Edition>,
    /// `standalone_crate`: compiled as a crate of its own, never merged.
    pub standalone_crate: bool,
    /// `test_harness`: compiled as a test crate (`--test`), not wrapped in
    /// `fn main`.
    pub test_harness: bool,
    /// `run`: run this snippet when running is asked for (`--run=marked`).
    pub run: bool,
    /// Words rustdoc does not know, each with the known one it most likely
    /// meant. mdBook's playground words (`editable`, `noplayground`, …) and
    /// ruledoc's `run` are not listed, though rustdoc does not know them
    /// either.
    pub unknown: Vec<(String, Option<&'static str>)>,
}

/// An info string as rustdoc 1.95 reads it (`LangString::parse` in
/// `src/librustdoc/html/markdown.rs`, with error codes allowed, as on a
/// nightly toolchain or with `RUSTC_BOOTSTRAP=1`; on stable an `E0382` is an
/// unknown word).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LangString {
    /// Whether rustdoc tests the block as Rust.
    pub(crate) rust: bool,
    /// The attributes, ruledoc's `run` included.
    pub(crate) attrs: RustAttributes,
    /// The words rustdoc knows as no attribute, in order (`python`,
    /// `editable`, `no-run`).
    pub(crate) other: Vec<String>,
}

/// A token of rustdoc's info-string grammar (`TagIterator`).
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    /// A word (bare or quoted).
    Word(&'a str),
    /// `.class` or `key=value` in `{…}`.
    Attribute,
}

fn is_leading_char(c: char) -> bool {
    c == '_' || c == '-' || c == ':' || c.is_ascii_alphanumeric()
}

fn is_bareword_char(c: char) -> bool {
    is_leading_char(c) || ".!#$%&*+/;<>?@^|~".contains(c)
}

fn is_separator(c: char) -> bool {
    c == ' ' || c == ',' || c == '\t'
}

/// rustdoc's `TagIterator`: the tokens of an info string, and whether it
/// stopped on a syntax error (then the block is not Rust).
fn tokens(info: &str) -> (Vec<Token<'_>>, bool) {
    let chars: Vec<(usize, char)> = info.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_block = false;
    let at = |i: usize| chars.get(i).map(|&(p, _)| p).unwrap_or(info.len());
    // The index of the closing quote of a string opened at `i`.
    let string_end = |i: usize| (i + 1..chars.len()).find(|&j| chars[j].1 == '"');
    // After a token: `}`, a separator, `(` or the end.
    let ok_after = |j: usize| {
        chars
            .get(j)
            .is_none_or(|&(_, c)| c == '}' || is_separator(c) || c == '(')
    };
    loop {
        while chars.get(i).is_some_and(|&(_, c)| is_separator(c)) {
            i += 1;
        }
        let Some(&(_, c)) = chars.get(i) else {
            return (out, in_block);
        };
        if in_block {
            if c == '}' {
                in_block = false;
                i += 1;
            } else if c == '.' {
                let mut j = i + 1;
                while chars.get(j).is_some_and(|&(_, c)| is_bareword_char(c)) {
                    j += 1;
                }
                if j == i + 1 || !ok_after(j) {
                    return (out, true);
                }
                out.push(Token::Attribute);
                i = j;
            } else if c == '"' || is_leading_char(c) {
                // key=value
                let (key, mut j): (&str, usize) = if c == '"' {
                    let Some(e) = string_end(i) else {
                        return (out, true);
                    };
                    (&info[at(i + 1)..at(e)], e + 1)
                } else {
                    let mut j = i;
                    while chars.get(j).is_some_and(|&(_, c)| is_bareword_char(c)) {
                        j += 1;
                    }
                    if j == chars.len() {
                        return (out, true);
                    }
                    (&info[at(i)..at(j)], j)
                };
                if key.is_empty() || chars.get(j).map(|&(_, c)| c) != Some('=') {
                    return (out, true);
                }
                j += 1;
                let value_empty = match chars.get(j).map(|&(_, c)| c) {
                    Some('"') => {
                        let Some(e) = string_end(j) else {
                            return (out, true);
                        };
                        let empty = e == j + 1;
                        j = e + 1;
                        empty
                    }
                    Some(c) if is_bareword_char(c) => {
                        let s = j;
                        while chars.get(j).is_some_and(|&(_, c)| is_bareword_char(c)) {
                            j += 1;
                        }
                        if j == chars.len() {
                            return (out, true);
                        }
                        j == s
                    }
                    _ => return (out, true),
                };
                if value_empty || !ok_after(j) {
                    return (out, true);
                }
                out.push(Token::Attribute);
                i = j;
            } else {
                return (out, true);
            }
            continue;
        }
        // Outside `{…}`: a bare word, a quoted word, `{` or a `(comment)`.
        let start = i;
        if c == '"' {
            let Some(e) = string_end(i) else {
                return (out, true);
            };
            if chars
                .get(e + 1)
                .is_some_and(|&(_, c)| c != '{' && !is_separator(c) && c != '(')
            {
                return (out, true);
            }
            out.push(Token::Word(&info[at(i + 1)..at(e)]));
            i = e + 1;
            continue;
        }
        let mut j = i;
        loop {
            let Some(&(_, c)) = chars.get(j) else {
                out.push(Token::Word(&info[at(start)..]));
                return (out, false);
            };
            if c == '{' {
                // rustdoc drops a word glued to `{` (`rust{.x}` gives no
                // `rust`) and reads the attribute block.
                in_block = true;
                i = j + 1;
                break;
            }
            if is_separator(c) || c == '(' {
                i = j + 1;
                if c == '(' {
                    // A `(comment)`, skipped; the word before it is given.
                    let Some(close) = (j + 1..chars.len()).find(|&k| chars[k].1 == ')') else {
                        return (out, true);
                    };
                    i = close + 1;
                }
                if j != start {
                    out.push(Token::Word(&info[at(start)..at(j)]));
                }
                break;
            }
            if c == '"'
                || !(if j == start {
                    is_leading_char(c)
                } else {
                    is_bareword_char(c)
                })
            {
                return (out, true);
            }
            j += 1;
        }
    }
}

/// The target triple ruledoc was built for (the host its snippets are
/// compiled for), as far as `std::env::consts` and `cfg` tell it:
/// `x86_64-unknown-linux-gnu`, `aarch64-apple-darwin`,
/// `x86_64-pc-windows-msvc`.
fn host_triple() -> String {
    let os = std::env::consts::OS;
    let (vendor, os) = match os {
        "macos" => ("apple", "darwin"),
        "windows" => ("pc", "windows"),
        other => ("unknown", other),
    };
    let env = if cfg!(target_env = "gnu") {
        "-gnu"
    } else if cfg!(target_env = "musl") {
        "-musl"
    } else if cfg!(target_env = "msvc") {
        "-msvc"
    } else {
        ""
    };
    format!("{}-{vendor}-{os}{env}", std::env::consts::ARCH)
}

/// Read an info string as rustdoc does: whether the block is Rust, and its
/// attributes. An empty info string is Rust for rustdoc; ruledoc only takes
/// it as Rust in an mdBook chapter (see [`rust_in`]).
pub(crate) fn lang_string(info: &str) -> LangString {
    let (tokens, error) = tokens(info);
    let mut seen_rust = false;
    let mut seen_other = false;
    let mut seen_custom = false;
    let mut out = LangString::default();
    let a = &mut out.attrs;
    for token in tokens {
        let Token::Word(word) = token else {
            // `{.class}` and `{class=…}` add classes; another key is an
            // error rustdoc reports without changing what the block is.
            continue;
        };
        match word {
            "should_panic" => {
                a.should_panic = true;
                seen_rust = !seen_other;
            }
            "no_run" => {
                a.no_run = true;
                seen_rust = !seen_other;
            }
            "ignore" => {
                a.ignore = true;
                seen_rust = !seen_other;
            }
            w if w.starts_with("ignore-") => {
                // rustdoc ignores the block on targets whose triple holds
                // the rest of the word (`ignore-windows`).
                a.ignore |= host_triple().contains(&w[7..]);
                seen_rust = !seen_other;
            }
            "rust" => seen_rust = true,
            "custom" => seen_custom = true,
            "test_harness" => {
                a.test_harness = true;
                seen_rust = !seen_other || seen_rust;
            }
            "compile_fail" => {
                a.compile_fail = true;
                a.no_run = true;
                seen_rust = !seen_other || seen_rust;
            }
            "standalone_crate" => {
                a.standalone_crate = true;
                seen_rust = !seen_other || seen_rust;
            }
            w if w.starts_with("edition") => {
                // rustdoc takes any `edition…` word as an edition, and one
                // it cannot read as none (the default applies).
                a.edition = Edition::parse(&w[7..]);
                if a.edition.is_none() {
                    a.unknown.push((w.to_string(), nearest(w)));
                }
            }
            w if w.len() == 5 && w.starts_with('E') => {
                if w[1..].chars().all(|c| c.is_ascii_digit()) {
                    a.error_codes.push(w.to_string());
                    seen_rust = !seen_other || seen_rust;
                } else {
                    seen_other = true;
                    out.other.push(w.to_string());
                }
            }
            w => {
                seen_other = true;
                out.other.push(w.to_string());
                match w {
                    "run" => a.run = true,
                    w if PLAYGROUND.contains(&w) || w.starts_with("hidelines") => {}
                    w => a.unknown.push((w.to_string(), nearest(w))),
                }
            }
        }
    }
    out.rust = !seen_custom && (!seen_other || seen_rust) && !error;
    out
}

/// mdBook's playground words (mdBook guide, "Rust code block attributes"):
/// rustdoc does not know them (they count as another language's words), but
/// they are no misspelling.
const PLAYGROUND: &[&str] = &["editable", "noplayground", "noplaypen", "mdbook-runnable"];

/// The attributes rustdoc knows, for the nearest-word suggestion.
const KNOWN: &[&str] = &[
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
    "rust",
];

/// A word rustdoc's `invalid_codeblock_attributes` lint recognises as a
/// misspelt attribute (compared in lowercase), the attribute meant, and
/// rustdoc's help for it (`LangString::parse`, rustdoc 1.95). `standalone`
/// and `standalone-crate` are linted by rustdoc only in an edition-2024
/// crate; ruledoc reports them always. Case variants of the attributes
/// themselves (`No_Run`, `Edition2021`) are added by [`misspelt`].
const MISSPELT: &[(&[&str], &str, &str)] = &[
    (
        &["compile-fail", "compile_fail", "compilefail"],
        "compile_fail",
        "use `compile_fail` to invert the results of this test, so that it passes if it \
         cannot be compiled and fails if it can",
    ),
    (
        &["should-panic", "should_panic", "shouldpanic"],
        "should_panic",
        "use `should_panic` to invert the results of this test, so that it passes if it \
         panics and fails if it does not",
    ),
    (
        &["no-run", "no_run", "norun"],
        "no_run",
        "use `no_run` to compile, but not run, the code sample during testing",
    ),
    (
        &["test-harness", "test_harness", "testharness"],
        "test_harness",
        "use `test_harness` to run functions marked `#[test]` instead of a \
         potentially-implicit `main` function",
    ),
    (
        &["standalone", "standalone_crate", "standalone-crate"],
        "standalone_crate",
        "use `standalone_crate` to compile this code block separately",
    ),
];

/// The attribute a word of an info string misspells, with rustdoc's help:
/// the words of rustdoc's `invalid_codeblock_attributes` lint (`no-run`,
/// `norun`, `compile-fail`, `should-panic`, `test-harness`, `standalone`, any
/// case), `rust2021` for `edition2021` (also from that lint), and a known
/// attribute written in another case (`Ignore`, `Edition2021`, `NO_RUN`).
/// `None` for a word that is right as written or looks like no attribute
/// (`python`, `json`).
pub(crate) fn misspelt(word: &str) -> Option<(String, String)> {
    let lower = word.to_lowercase();
    for (words, meant, help) in MISSPELT {
        if words.contains(&lower.as_str()) && word != *meant {
            return Some(((*meant).to_string(), (*help).to_string()));
        }
    }
    if let Some(year) = lower.strip_prefix("rust")
        && Edition::parse(year).is_some()
    {
        return Some((
            format!("edition{year}"),
            format!("there is an attribute with a similar name: `edition{year}`"),
        ));
    }
    // `Rust` is a language name, not a misspelt attribute.
    let known = KNOWN
        .iter()
        .find(|k| **k == lower && **k != word && **k != "rust")?;
    Some((
        (*known).to_string(),
        format!("rustdoc's attributes are case-sensitive: write `{known}`"),
    ))
}

/// The attributes of a snippet rustdoc tests as Rust, read once; `None`
/// when rustdoc does not test it. Outside an mdBook chapter a fence with no
/// info string is not taken as Rust (RD301 asks for a language); pass
/// `book = true` for a chapter, where it is.
pub(crate) fn rust_in(snippet: &Snippet, book: bool) -> Option<RustAttributes> {
    if snippet.info.trim().is_empty() {
        return book.then(RustAttributes::default);
    }
    let read = lang_string(&snippet.info);
    read.rust.then_some(read.attrs)
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
    if let Some((meant, _)) = misspelt(word) {
        return KNOWN.iter().copied().find(|k| *k == meant);
    }
    let w = word.to_ascii_lowercase().replace('-', "_");
    KNOWN
        .iter()
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
        let a = rust_in(&snippet("rust,compile_fail,E0382 edition2018"), false).unwrap();
        assert!(a.compile_fail);
        assert!(a.no_run);
        assert_eq!(a.error_codes, ["E0382"]);
        assert_eq!(a.edition, Some(Edition::E2018));
        assert!(a.unknown.is_empty());
        assert!(
            rust_in(&snippet("test_harness"), false)
                .unwrap()
                .test_harness
        );
    }

    /// The cases of rustdoc's own `LangString::parse` tests
    /// (`src/librustdoc/html/markdown/tests.rs`) that decide Rust or not.
    #[test]
    fn which_blocks_are_rust_follows_rustdoc() {
        let rust = |info: &str| lang_string(info).rust;
        for yes in [
            "",
            "rust",
            "no_run",
            "ignore",
            "ignore-x86",
            "ignore-windows",
            "should_panic",
            "compile_fail",
            "test_harness",
            "standalone_crate",
            "edition2021",
            "rust,editable",
            "rust ,ignore",
            "rust,ignore,editable",
            "{.example .rust}",
            "rust,(some comment)",
            "E0382",
            "\"rust\"",
            // rustdoc drops a word glued to `{`.
            "python{.x}",
        ] {
            assert!(rust(yes), "{yes:?} is Rust");
        }
        for no in [
            "rs",
            "Rust",
            "python",
            "rust,editable,no_run",
            "text,no_run",
            "no-run",
            "norun",
            "custom",
            "rust,custom",
            "rust=x",
            "rust,(unclosed",
            "{.x",
            "run",
            "rust2021",
        ] {
            assert!(!rust(no), "{no:?} is not Rust");
        }
        // Rust, or not, for `is_rust`: a bare fence only in a book.
        assert!(rust_in(&snippet("no_run"), false).is_some());
        assert!(rust_in(&snippet("rust,ignore"), false).is_some());
        assert!(rust_in(&snippet("python"), false).is_none());
        assert!(rust_in(&snippet("rs"), false).is_none());
        assert!(rust_in(&snippet(""), false).is_none());
        assert!(rust_in(&snippet(""), true).is_some());
        assert!(rust_in(&snippet("ignore"), false).unwrap().ignore);
    }

    #[test]
    fn unknown_attributes_suggest_the_nearest() {
        let a = lang_string("rust,no-run,should_pnic,whatever,editable,run").attrs;
        assert_eq!(
            a.unknown,
            [
                ("no-run".to_string(), Some("no_run")),
                ("should_pnic".to_string(), Some("should_panic")),
                ("whatever".to_string(), None)
            ]
        );
        assert!(a.run);
    }

    #[test]
    fn misspellings_are_rustdocs_and_case_variants() {
        let meant = |w: &str| misspelt(w).map(|(m, _)| m);
        assert_eq!(meant("no-run").as_deref(), Some("no_run"));
        assert_eq!(meant("NoRun").as_deref(), Some("no_run"));
        assert_eq!(meant("compile-fail").as_deref(), Some("compile_fail"));
        assert_eq!(meant("should-panic").as_deref(), Some("should_panic"));
        assert_eq!(meant("testharness").as_deref(), Some("test_harness"));
        assert_eq!(meant("standalone").as_deref(), Some("standalone_crate"));
        assert_eq!(meant("rust2021").as_deref(), Some("edition2021"));
        assert_eq!(meant("Edition2021").as_deref(), Some("edition2021"));
        assert_eq!(meant("Ignore").as_deref(), Some("ignore"));
        for fine in ["no_run", "python", "json", "rs", "Rust", "rust", "text"] {
            assert_eq!(meant(fine), None, "{fine}");
        }
    }
}
