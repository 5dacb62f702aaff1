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

impl Expanded {
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
    /// crate attributes, or exports or imports macros at crate level
    /// (`#[macro_export]`, `#[macro_use]`).
    pub fn needs_own_crate(&self) -> bool {
        !self.crate_attrs.is_empty()
            || self.body.iter().any(|(l, _)| {
                let t = l.trim_start();
                t.starts_with("#[macro_export]") || t.starts_with("#[macro_use]")
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
    let lines: Vec<(String, usize)> = (snippet.code.lines().enumerate())
        .map(|(i, l)| (l.to_string(), snippet.code_line + i))
        .collect();
    expand_lines(snippet, &lines)
}

/// [`expand`] on the snippet's code as given by `lines`: each line (no line
/// ending) with the 1-based Markdown line it comes from (after mdBook's
/// `{{#include}}`, an included line comes from the directive's line).
pub(crate) fn expand_lines(snippet: &Snippet, lines: &[(String, usize)]) -> Expanded {
    let _ = snippet;
    let mut crate_attrs = Vec::new();
    let mut code: Vec<(String, Origin)> = Vec::new();
    let mut in_header = true;
    for (raw, md_line) in lines {
        let (line, shift) = unhide(raw);
        let origin = Origin::Markdown {
            line: *md_line,
            shift,
        };
        let t = line.trim_start();
        // Crate attributes go first, as rustdoc lifts them; blank lines and
        // comments may come between them.
        if in_header && t.starts_with("#![") {
            crate_attrs.push((line, origin));
            continue;
        }
        if !(t.is_empty() || t.starts_with("//")) {
            in_header = false;
        }
        code.push((line, origin));
    }
    let has_main = code.iter().any(|(l, _)| declares_main(l));
    if has_main {
        return Expanded {
            crate_attrs,
            body: code,
            has_main,
        };
    }
    let tail = code
        .iter()
        .rev()
        .map(|(l, _)| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .unwrap_or("");
    let (open, close) = if tail.ends_with("(())") {
        (
            "fn main() { fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug> {",
            "} _inner().unwrap() }",
        )
    } else {
        ("fn main() {", "}")
    };
    let mut body = Vec::with_capacity(code.len() + 2);
    body.push((open.to_string(), Origin::Generated));
    body.extend(code);
    body.push((close.to_string(), Origin::Generated));
    Expanded {
        crate_attrs,
        body,
        has_main,
    }
}

/// `fn main(` (or `fn main <`) on a line that is not a comment.
fn declares_main(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("//") {
        return false;
    }
    let mut rest = t;
    while let Some(at) = rest.find("fn main") {
        let before_ok = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = rest[at + 7..].trim_start();
        if before_ok && (after.starts_with('(') || after.starts_with('<')) {
            return true;
        }
        rest = &rest[at + 7..];
    }
    false
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
        assert!(!declares_main("// fn main() is not here"));
        assert!(declares_main("pub fn main<T>() {}"));
        assert!(!declares_main("fn main_loop() {}"));
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
