//! rustdoc's treatment of a Rust block, as the rustdoc book describes it
//! ("Documentation tests": "Pre-processing examples", "Hiding portions of the
//! example", "Using `?` in doc tests"): hidden `# ` lines (and `##` for a
//! line that starts with `#`), crate attributes lifted to the top, a
//! `fn main` wrapper when there is none, and the `(())` ending that lets `?`
//! be used at the top level.

use crate::model::Snippet;

/// The source of one line of the expanded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A line of the Markdown document.
    Markdown {
        /// 1-based line in the document.
        line: usize,
        /// How many characters were removed from its start (a hidden line's
        /// indentation and `# `): added to a column of the expanded line to
        /// get the column in the code block.
        shift: usize,
    },
    /// A line ruledoc wrote (the `fn main` wrapper).
    Generated,
}

/// A snippet as the compiler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// Crate-level `#![...]` attributes from the top of the block (blank
    /// lines and comments may come between them), in order: one line each.
    pub crate_attrs: Vec<(String, Origin)>,
    /// The other lines, wrapped in `fn main` when needed: one line each,
    /// without its line ending.
    pub body: Vec<(String, Origin)>,
    /// The snippet has its own `fn main`.
    pub has_main: bool,
}

/// The line rustdoc puts before every doctest (unless the crate's
/// `#![doc(test(attr(…)))]` says otherwise, which a Markdown file cannot).
pub(crate) const HEADER: &str = "#![allow(unused)]\n";

impl Expanded {
    /// The code rustdoc compiles for a block with `attrs`: under
    /// `test_harness` rustdoc adds no `fn main` (the block is compiled with
    /// `--test`), so the one ruledoc added, if any, goes.
    pub fn for_attributes(mut self, attrs: &crate::snippets::attributes::RustAttributes) -> Self {
        let generated =
            |l: Option<&(String, Origin)>| l.is_some_and(|(_, o)| *o == Origin::Generated);
        if attrs.test_harness
            && !self.has_main
            && generated(self.body.first())
            && generated(self.body.last())
        {
            self.body.remove(0);
            self.body.pop();
        }
        self
    }

    /// The whole file of a program rustdoc compiles: [`HEADER`], then
    /// [`Expanded::text`].
    pub fn program(&self) -> String {
        format!("{HEADER}{}", self.text())
    }

    /// Every line, crate attributes first.
    pub fn lines(&self) -> impl Iterator<Item = &(String, Origin)> {
        self.crate_attrs.iter().chain(&self.body)
    }

    /// The file text: crate attributes, then the body.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (line, _) in self.lines() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The body only (for a module of a merged crate, where crate attributes
    /// cannot go).
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for (line, _) in &self.body {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Where line `n` (1-based) of `text()` came from.
    pub fn origin(&self, n: usize) -> Origin {
        self.lines()
            .nth(n.wrapping_sub(1))
            .map(|(_, o)| *o)
            .unwrap_or(Origin::Generated)
    }

    /// Where line `n` (1-based) of `body_text()` came from.
    pub fn body_origin(&self, n: usize) -> Origin {
        self.body
            .get(n.wrapping_sub(1))
            .map(|(_, o)| *o)
            .unwrap_or(Origin::Generated)
    }

    /// Whether the code cannot share a crate with other snippets: it has
    /// crate-level lines (attributes, `extern crate`), exports or imports
    /// macros at crate level (`#[macro_export]`, `#[macro_use]`), or names
    /// `super`, which from a module of a shared crate would reach that
    /// crate's root where, alone, it is an error.
    pub fn needs_own_crate(&self) -> bool {
        !self.crate_attrs.is_empty()
            || self.body.iter().any(|(l, _)| {
                let t = l.trim_start();
                t.starts_with("#[macro_export]")
                    || t.starts_with("#[macro_use]")
                    || l.contains("super")
            })
    }
}

/// One line of the block: shown or hidden, and what it holds.
fn unhide(line: &str) -> (String, usize) {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if trimmed.starts_with("##") {
        // `##` escapes a line that really starts with `#`.
        return (line.replacen("##", "#", 1), 0);
    }
    if let Some(rest) = trimmed.strip_prefix("# ") {
        return (rest.to_string(), indent + 2);
    }
    if trimmed == "#" {
        return (String::new(), indent + 1);
    }
    (line.to_string(), 0)
}

/// Expand a Rust snippet the way rustdoc prepares a doctest.
pub(crate) fn expand(snippet: &Snippet) -> Expanded {
    let lines: Vec<(String, Origin)> = snippet
        .code
        .lines()
        .enumerate()
        .map(|(i, raw)| {
            let (line, shift) = unhide(raw);
            let origin = Origin::Markdown {
                line: snippet.code_line + i,
                shift,
            };
            (line, origin)
        })
        .collect();
    from_lines(lines)
}

/// [`expand`] on a block's code as given by `lines`: each line (no line
/// ending) with the 1-based Markdown line it comes from (after mdBook's
/// `{{#include}}`, an included line comes from the directive's line).
pub(crate) fn expand_lines(lines: &[(String, usize)]) -> Expanded {
    let lines: Vec<(String, Origin)> = lines
        .iter()
        .map(|(raw, md_line)| {
            let (line, shift) = unhide(raw);
            let origin = Origin::Markdown {
                line: *md_line,
                shift,
            };
            (line, origin)
        })
        .collect();
    from_lines(lines)
}

/// rustdoc's preparation of the doctest whose lines (hidden lines already
/// shown) are `lines`, as `librustdoc/doctest/make.rs` does it:
///
/// 1. The leading crate attributes (`#![...]`, complete once they parse,
///    so they may span lines; blank lines and `//` comments may come
///    between them) and the `extern crate` lines after them go to the crate
///    root. An attribute that never completes leaves the code as written.
/// 2. The rest is parsed as the statements of a block (with the `syn`
///    crate where rustdoc uses rustc's parser): see [`source_info`] for
///    when that gives the code its own `main`.
/// 3. Without its own `main`, and without `#![no_std]`, the rest is
///    wrapped in `fn main() { … }`, or, when its text ends with `(())`, in
///    the `Result`-returning form that lets `?` be used. Code that does not
///    even tokenize is left as written: the compiler says why.
pub(crate) fn from_lines(lines: Vec<(String, Origin)>) -> Expanded {
    let Some((crate_attrs, body)) = partition(&lines) else {
        return Expanded {
            crate_attrs: Vec::new(),
            body: lines,
            has_main: false,
        };
    };
    let text = join(&body);
    let Some(info) = source_info(&text) else {
        // rustdoc passes code that does not tokenize through unchanged.
        let mut all = crate_attrs;
        all.extend(body);
        return Expanded {
            crate_attrs: Vec::new(),
            body: all,
            has_main: false,
        };
    };
    if info.has_main || join(&crate_attrs).contains("![no_std]") {
        return Expanded {
            crate_attrs,
            body,
            has_main: info.has_main,
        };
    }
    let (open, close) = if text.trim_end().ends_with("(())") {
        (
            "fn main() { fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug> {",
            "} _inner().unwrap() }",
        )
    } else {
        ("fn main() {", "}")
    };
    let mut wrapped = Vec::with_capacity(body.len() + 2);
    wrapped.push((open.to_string(), Origin::Generated));
    wrapped.extend(body);
    wrapped.push((close.to_string(), Origin::Generated));
    Expanded {
        crate_attrs,
        body: wrapped,
        has_main: false,
    }
}

/// The lines, each ended by `\n`.
fn join(lines: &[(String, Origin)]) -> String {
    let mut out = String::new();
    for (line, _) in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Lines with their origins.
type Lines = Vec<(String, Origin)>;

/// Crate-level lines and the rest, as rustdoc splits them: the leading
/// inner attributes (which may span lines, or share a line with code after
/// them: that code goes on as a line of its own) and the `extern crate`
/// lines after them. `None` when a leading `#![` attribute never completes.
fn partition(lines: &[(String, Origin)]) -> Option<(Lines, Lines)> {
    #[derive(PartialEq)]
    enum State {
        Attrs,
        Crates,
        Other,
    }
    let mut state = State::Attrs;
    let mut head = Vec::new();
    // Blank and comment lines among the attributes: they go with the
    // attributes when another attribute or `extern crate` follows.
    let mut between = Vec::new();
    let mut pending: Lines = Vec::new();
    let mut rest = Vec::new();
    let mut queue: std::collections::VecDeque<(String, Origin)> = lines.iter().cloned().collect();
    while let Some((line, origin)) = queue.pop_front() {
        let t = line.trim();
        let comment = t.is_empty() || (t.starts_with("//") && !t.starts_with("///"));
        let extern_crate =
            t.starts_with("extern crate") || t.starts_with("#[macro_use] extern crate");
        match state {
            State::Attrs if !pending.is_empty() || t.starts_with("#![") => {
                pending.push((line, origin));
                if let Some((attr, after)) = complete_attribute(&pending) {
                    head.append(&mut between);
                    pending.clear();
                    head.extend(attr);
                    if let Some(after) = after {
                        queue.push_front(after);
                    }
                }
                continue;
            }
            State::Attrs | State::Crates if comment => {
                between.push((line, origin));
                continue;
            }
            State::Attrs | State::Crates if extern_crate => {
                state = State::Crates;
                head.append(&mut between);
                // Code after the `;` on the same line is not crate-level.
                match line
                    .find(';')
                    .filter(|&at| !line[at + 1..].trim().is_empty())
                {
                    Some(at) => {
                        let after = line[at + 1..].to_string();
                        let shifted = match origin {
                            Origin::Markdown { line: n, shift } => Origin::Markdown {
                                line: n,
                                shift: shift + line[..=at].chars().count(),
                            },
                            Origin::Generated => Origin::Generated,
                        };
                        head.push((line[..=at].to_string(), origin));
                        queue.push_front((after, shifted));
                    }
                    None => head.push((line, origin)),
                }
                continue;
            }
            State::Attrs | State::Crates => {
                state = State::Other;
                rest.append(&mut between);
            }
            State::Other => {}
        }
        rest.push((line, origin));
    }
    if !pending.is_empty() {
        return None;
    }
    rest.append(&mut between);
    Some((head, rest))
}

/// The pending lines, once they hold one whole inner attribute (`#![…]`,
/// brackets and string literals balanced, and `syn` reads it): the lines of
/// the attribute, and what follows it on its last line, if anything, as a
/// line of its own.
#[allow(clippy::type_complexity)]
fn complete_attribute(pending: &[(String, Origin)]) -> Option<(Lines, Option<(String, Origin)>)> {
    let text = join(pending);
    let end = attribute_end(&text)?;
    syn::parse::Parser::parse_str(syn::Attribute::parse_inner, &text[..end]).ok()?;
    // `end` is on the last pending line.
    let (last, origin) = pending.last()?;
    let last_start = text.len() - last.len() - 1;
    let cut = end.checked_sub(last_start)?;
    let mut attr: Lines = pending[..pending.len() - 1].to_vec();
    attr.push((last[..cut].to_string(), *origin));
    let after = &last[cut..];
    let after = (!after.trim().is_empty()).then(|| {
        let shifted = match origin {
            Origin::Markdown { line, shift } => Origin::Markdown {
                line: *line,
                shift: shift + last[..cut].chars().count(),
            },
            Origin::Generated => Origin::Generated,
        };
        (after.to_string(), shifted)
    });
    Some((attr, after))
}

/// The byte just past the `]` that closes the `#![` at the start of `text`
/// (after blanks), with brackets balanced and string literals and `//`
/// comments stepped over; `None` while it is not closed.
fn attribute_end(text: &str) -> Option<usize> {
    let start = text.find("#![")?;
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start + 2;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => i = string_end(bytes, i),
            b'r' if raw_string_start(bytes, i).is_some() => {
                let (hashes, quote) = raw_string_start(bytes, i).unwrap_or((0, i));
                i = raw_string_end(bytes, quote, hashes);
            }
            // A character literal (`']'`, `'\''`), not a lifetime.
            b'\'' => {
                let close = if bytes.get(i + 1) == Some(&b'\\') {
                    bytes[i + 2..]
                        .iter()
                        .position(|&b| b == b'\'')
                        .map(|p| i + 2 + p)
                } else {
                    let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (bytes.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
                };
                if let Some(close) = close {
                    i = close;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the `"` that closes the string opening at `open`.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

/// At `r`, a raw string's opening: how many `#` and where its `"` is.
fn raw_string_start(bytes: &[u8], r: usize) -> Option<(usize, usize)> {
    // `r` must start a token (`br"…"` too), not end a name like `for`.
    if r > 0
        && (bytes[r - 1].is_ascii_alphanumeric() || bytes[r - 1] == b'_')
        && bytes[r - 1] != b'b'
    {
        return None;
    }
    let hashes = bytes[r + 1..].iter().take_while(|&&b| b == b'#').count();
    (bytes.get(r + 1 + hashes) == Some(&b'"')).then_some((hashes, r + 1 + hashes))
}

/// The index of the last `#` (or the `"`) that closes a raw string whose
/// opening `"` is at `quote`.
fn raw_string_end(bytes: &[u8], quote: usize, hashes: usize) -> usize {
    let mut i = quote + 1;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return i + hashes;
        }
        i += 1;
    }
    i
}

/// What rustdoc learns from parsing a doctest.
#[derive(Debug, Default)]
struct SourceInfo {
    has_main: bool,
}

/// Parse `text` as rustdoc 1.95 does (`librustdoc/doctest/make.rs`): as the
/// statements of a block. A top-level `fn main` item, or a top-level macro
/// call whose tokens hold `fn main(…)`, gives the code its own `main`,
/// unless a statement that is not an item (a `let`, an expression) is at
/// the top level too: then all of it is wrapped. `None` when the code does
/// not tokenize (an unclosed delimiter, a stray quote).
///
/// Where `syn` cannot parse what rustc might (newer syntax), the items
/// before the failure decide: a `fn main` among them is the code's own.
fn source_info(text: &str) -> Option<SourceInfo> {
    // `syn` parses by recursion: deep nesting gets a stack of its own, and
    // beyond what any rule file holds the parse is left to rustc (no `main`
    // of its own is assumed).
    if crate::snippets::stack::nested_beyond(text, MAX_NESTING).is_some() {
        return Some(SourceInfo::default());
    }
    // A chain of operators recurses without brackets (`- - - 1`).
    crate::snippets::stack::run(text, 4096, || parse_source(text))
}

/// How deep brackets nest in `text` that `syn` is asked to parse.
const MAX_NESTING: usize = 20_000;

fn parse_source(text: &str) -> Option<SourceInfo> {
    let tokens: proc_macro2::TokenStream = text.parse().ok()?;
    let mut info = SourceInfo::default();
    let parsed = syn::parse::Parser::parse2(syn::Block::parse_within, tokens.clone());
    let Ok(stmts) = parsed else {
        info.has_main = leading_items_have_main(tokens);
        return Some(info);
    };
    let mut non_items = false;
    for stmt in &stmts {
        match stmt {
            syn::Stmt::Item(syn::Item::Fn(f)) => info.has_main |= f.sig.ident == "main",
            syn::Stmt::Item(syn::Item::Macro(m)) if m.ident.is_none() => {
                info.has_main |= calls_with_main(&m.mac);
            }
            syn::Stmt::Item(_) => {}
            syn::Stmt::Macro(m) => info.has_main |= calls_with_main(&m.mac),
            // A trailing `mac!(…)` is a macro statement for rustc.
            syn::Stmt::Expr(syn::Expr::Macro(m), _) => info.has_main |= calls_with_main(&m.mac),
            syn::Stmt::Local(_) | syn::Stmt::Expr(..) => non_items = true,
        }
    }
    if non_items {
        info.has_main = false;
    }
    Some(info)
}

/// rustdoc's heuristic for a `main` "masked by a wrapper macro": the
/// tokens `fn main (…)` in the macro call's input.
fn calls_with_main(mac: &syn::Macro) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    tokens.windows(3).any(|w| {
        matches!(&w[0], TokenTree::Ident(i) if i == "fn")
            && matches!(&w[1], TokenTree::Ident(i) if i == "main")
            && matches!(&w[2], TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis)
    })
}

/// Whether a top-level `fn main` comes before the first thing `syn` cannot
/// read as an item.
fn leading_items_have_main(tokens: proc_macro2::TokenStream) -> bool {
    let mut found = false;
    let parser = |input: syn::parse::ParseStream| {
        while !input.is_empty() {
            let fork = input.fork();
            let Ok(item) = fork.parse::<syn::Item>() else {
                break;
            };
            syn::parse::discouraged::Speculative::advance_to(input, &fork);
            found |= matches!(&item, syn::Item::Fn(f) if f.sig.ident == "main");
            while input.peek(syn::Token![;]) {
                input.parse::<syn::Token![;]>()?;
            }
        }
        input.parse::<proc_macro2::TokenStream>()?;
        Ok(())
    };
    syn::parse::Parser::parse2(parser, tokens).is_ok() && found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(code: &str) -> Snippet {
        Snippet {
            lang: "rust".into(),
            attributes: vec![],
            label: None,
            marker: None,
            section: vec![],
            line: 9,
            code_line: 10,
            end_line: 20,
            code: code.to_string(),
            closed: true,
            skip: false,
            fence: crate::model::Fence {
                char: '`',
                len: 3,
                indent: 0,
            },
            container: None,
            span: Default::default(),
            info: "rust".into(),
        }
    }

    #[test]
    fn hidden_lines_are_code_and_keep_their_origin() {
        let e = expand(&snippet("# use std::fmt;\nlet x = 1;\n#\n## not hidden\n"));
        assert_eq!(
            e.text(),
            "fn main() {\nuse std::fmt;\nlet x = 1;\n\n# not hidden\n}\n"
        );
        assert_eq!(e.origin(2), Origin::Markdown { line: 10, shift: 2 });
        assert_eq!(e.origin(3), Origin::Markdown { line: 11, shift: 0 });
        assert_eq!(e.origin(1), Origin::Generated);
    }

    #[test]
    fn a_main_of_its_own_is_not_wrapped() {
        let e = expand(&snippet("fn main() {\n    println!(\"hi\");\n}\n"));
        assert!(e.has_main);
        assert_eq!(e.body.len(), 3);
        assert!(expand(&snippet("pub fn main<T>() {}\n")).has_main);
        assert!(!expand(&snippet("// fn main() is not here\nlet x = 1;\n")).has_main);
        assert!(!expand(&snippet("fn main_loop() {}\n")).has_main);
    }

    #[test]
    fn wrapping_is_decided_by_parsing() {
        // The text `fn main` in a string is no `main`.
        let e = expand(&snippet(
            "let s = \"fn main() {}\";\nassert!(s.len() > 3);\n",
        ));
        assert!(!e.has_main);
        assert!(e.text().starts_with("fn main() {\n"));
        // A statement at the top level wraps a `main` too (rustdoc 1.95).
        assert!(!expand(&snippet("fn main() {}\nlet x = 1;\n")).has_main);
        // A `main` made by a macro call whose input holds `fn main()`.
        assert!(expand(&snippet("wrapper! { fn main() {} }\n")).has_main);
        // Code that does not tokenize is left as written.
        let e = expand(&snippet("fn f() {\n"));
        assert_eq!(e.text(), "fn f() {\n");
        // A crate attribute over several lines goes first, whole.
        let e = expand(&snippet(
            "#![cfg_attr(\n    all(),\n    allow(dead_code)\n)]\nlet x = 1;\n",
        ));
        assert_eq!(e.crate_attrs.len(), 4);
        assert!(e.body[0].0.starts_with("fn main()"));
    }

    #[test]
    fn question_mark_ending_gets_a_result_main() {
        let e = expand(&snippet(
            "let n: u8 = \"4\".parse()?;\nOk::<(), std::num::ParseIntError>(())\n",
        ));
        assert!(e.text().starts_with(
            "fn main() { fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug> {\n"
        ));
        assert!(e.text().ends_with("} _inner().unwrap() }\n"));
    }

    #[test]
    fn crate_attributes_go_first_and_need_their_own_crate() {
        let e = expand(&snippet("#![allow(dead_code)]\n// note\nfn f() {}\n"));
        assert_eq!(e.crate_attrs.len(), 1);
        assert!(e.needs_own_crate());
        assert!(
            e.text()
                .starts_with("#![allow(dead_code)]\nfn main() {\n// note\n")
        );
        assert!(!expand(&snippet("let x = 1;\n")).needs_own_crate());
        assert!(
            expand(&snippet("#[macro_export]\nmacro_rules! m { () => {} }\n")).needs_own_crate()
        );
    }
}
