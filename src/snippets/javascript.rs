//! JavaScript, TypeScript, JSX and TSX syntax, checked in-process with oxc's
//! parser (`oxc_parser`, which follows ECMAScript and TypeScript's own
//! parser): syntax only, nothing is resolved, type-checked or run.
//!
//! Rule files quote fragments on purpose: a method without its class, the
//! members of an object, a function body with `return` and `await`, `...`
//! or `(/* ... */)` where code was left out, a method after the file's
//! imports. A block that does not parse as a whole file is tried in the
//! contexts such a fragment is pasted into (see [`FORMS`], and
//! [`parses_split`] for a fragment after whole statements);
//! only when every one fails is it reported, with the error of the whole-file
//! parse (the first form), which is what TypeScript shows for the file.

use oxc_allocator::Allocator;
use oxc_parser::{ParseOptions, Parser};
use oxc_span::SourceType;

use super::python::{SyntaxError, line_col};

/// How a fence's language reads, as TypeScript reads a file with the
/// matching extension: `.js` files may hold JSX, `.ts` files may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `js`, `javascript`: a `.js` file (JSX allowed, as TypeScript reads it).
    Js,
    /// `jsx`: a `.jsx` file.
    Jsx,
    /// `mjs`: an ECMAScript module (JSX allowed, as in `.js`).
    Mjs,
    /// `cjs`: a CommonJS script (JSX allowed, as in `.js`).
    Cjs,
    /// `ts`, `typescript`: a `.ts` file (no JSX: `<T>x` is a type assertion).
    Ts,
    /// `tsx`: a `.tsx` file.
    Tsx,
}

impl Dialect {
    /// The dialect for a fence language (compared case-insensitively), if it
    /// is one of `js`, `javascript`, `mjs`, `cjs`, `jsx`, `ts`, `typescript`,
    /// `tsx`.
    pub(crate) fn from_lang(lang: &str) -> Option<Dialect> {
        Some(match lang.to_ascii_lowercase().as_str() {
            "js" | "javascript" => Dialect::Js,
            "jsx" => Dialect::Jsx,
            "mjs" => Dialect::Mjs,
            "cjs" => Dialect::Cjs,
            "ts" | "typescript" => Dialect::Ts,
            "tsx" => Dialect::Tsx,
            _ => return None,
        })
    }

    fn source_type(self) -> SourceType {
        match self {
            Dialect::Js | Dialect::Jsx | Dialect::Mjs => SourceType::jsx(),
            Dialect::Cjs => SourceType::cjs().with_jsx(true),
            Dialect::Ts => SourceType::ts(),
            Dialect::Tsx => SourceType::tsx(),
        }
    }

    /// The dialect's name in a help message.
    fn describe(self) -> &'static str {
        match self {
            Dialect::Js | Dialect::Mjs | Dialect::Cjs => "JavaScript",
            Dialect::Jsx => "JSX",
            Dialect::Ts => "TypeScript",
            Dialect::Tsx => "TSX (TypeScript with JSX)",
        }
    }

    /// The other label a block that fails in this dialect may be meant for,
    /// and that label's dialect: TSX for TypeScript, TypeScript for
    /// JavaScript and TSX.
    fn alternatives(self) -> &'static [(&'static str, Dialect)] {
        match self {
            Dialect::Ts => &[("tsx", Dialect::Tsx)],
            Dialect::Tsx => &[("typescript", Dialect::Ts)],
            Dialect::Js | Dialect::Mjs | Dialect::Cjs | Dialect::Jsx => {
                &[("typescript", Dialect::Ts), ("tsx", Dialect::Tsx)]
            }
        }
    }
}

/// A context a fragment can be pasted into: text before and after the
/// block, and whether it is read as a script rather than a module.
struct Form {
    /// As the help names it: "also tried as …".
    name: &'static str,
    before: &'static str,
    after: &'static str,
    script: bool,
    /// Only where JSX is read (`.js`, `.jsx`, `.tsx`), and for a block that
    /// starts with an element (else any prose would pass as JSX text).
    jsx: bool,
}

/// The forms tried, in order. The first is the block as a whole module; each
/// other is what TypeScript would accept had the author pasted the block
/// there: a script (sloppy mode: `with`, `await` as a name), the body of a
/// class (methods and fields quoted without their class), an object literal
/// (`key: value,` lines), a parenthesised expression (a bare object, an
/// arrow's body), an async function's body (`return`, `await`), the children
/// of a JSX element (sibling elements quoted without their parent).
const FORMS: &[Form] = &[
    Form {
        name: "a module",
        before: "",
        after: "",
        script: false,
        jsx: false,
    },
    Form {
        name: "a script",
        before: "",
        after: "",
        script: true,
        jsx: false,
    },
    Form {
        name: "class members",
        before: "class _ {\n",
        after: "\n}",
        script: false,
        jsx: false,
    },
    Form {
        name: "object members",
        before: "({\n",
        after: "\n})",
        script: false,
        jsx: false,
    },
    Form {
        name: "an expression",
        before: "(\n",
        after: "\n)",
        script: false,
        jsx: false,
    },
    Form {
        name: "a function body",
        before: "async function _() {\n",
        after: "\n}",
        script: false,
        jsx: false,
    },
    Form {
        name: "JSX children",
        before: "<>\n",
        after: "\n</>",
        script: false,
        jsx: true,
    },
];

/// The first syntax error of a JS/TS block read in `dialect`, or `None` when
/// the block parses as a whole file or in one of the fragment forms
/// ([`FORMS`], and whole statements followed by a fragment), each also with
/// its placeholders (`...`, a comment alone in parentheses) named. Only
/// errors TypeScript's parser reports count (see [`parse_error`]).
///
/// The error is that of the form that read furthest into the block (the
/// latest error position; the whole-module parse on a tie): `line` 0-based
/// and `column` 1-based in characters of `code`. Its help names `json` when
/// the block is a JSON document, another label (`tsx`, `typescript`) when
/// the block parses only in that dialect, and otherwise the forms tried.
///
/// A block nested more than [`MAX_NESTING`] brackets deep is reported as
/// too deeply nested to read, unparsed; the others are parsed on a stack of
/// their own sized by their length ([`stack_size`]), so that no depth
/// overflows the caller's (a worker thread's small) stack.
pub(crate) fn check(code: &str, dialect: Dialect) -> Option<SyntaxError> {
    if let Some(offset) = super::stack::nested_beyond(code, MAX_NESTING) {
        let (line, column) = line_col(code, offset);
        return Some(SyntaxError {
            line,
            column,
            message: format!("brackets nested more than {MAX_NESTING} deep"),
            help: Some(
                "too deeply nested to parse: TypeScript's own parser overflows its stack \
                 before this depth"
                    .into(),
            ),
        });
    }
    // A fresh segment only when the thread has less left than the block
    // may need (1 KiB per byte, see `stack_size`): most blocks are small.
    let need = (256 << 10) + code.len().saturating_mul(1 << 10);
    stacker::maybe_grow(need, stack_size(code), || check_parsed(code, dialect))
}

/// The bracket depth (`(`, `[`, `{`) beyond which a block is not parsed.
/// TypeScript 6's parser, in node's default stack, overflows between 600 and
/// 1,000 nested parentheses or brackets.
pub(crate) const MAX_NESTING: usize = 1000;

/// The stack, in bytes, the parses of `code` run on: oxc's parser recurses
/// once per nesting level, at most [`MAX_NESTING`] levels of brackets (a few
/// KiB each in a debug build) and at most one level per byte otherwise
/// (`!!!…x`, `a => a => …`: a few hundred bytes each). Reserved, not
/// touched: only a deep block uses its pages. At most 1 GiB.
fn stack_size(code: &str) -> usize {
    const BASE: usize = 16 << 20;
    const PER_BYTE: usize = 1 << 10;
    BASE.saturating_add(code.len().saturating_mul(PER_BYTE))
        .min(1 << 30)
}

/// [`check`] of a block that is not too deeply nested.
fn check_parsed(code: &str, dialect: Dialect) -> Option<SyntaxError> {
    let first = parse_error(code, dialect, &FORMS[0])?;
    if serde_json::from_str::<serde::de::IgnoredAny>(code).is_ok() {
        return Some(error_at(
            code,
            &first,
            "this is a JSON document: label the block `json`".into(),
        ));
    }
    let blanked = match name_placeholders(code) {
        Some(named) => Some(name_commented_parens(&named).unwrap_or(named)),
        None => name_commented_parens(code),
    };
    let variants: &[&str] = match &blanked {
        Some(b) => &[code, b.as_str()],
        None => &[code],
    };
    if parses_in_some_form(variants, dialect, 1) {
        return None;
    }
    // Every form failed: the error of the one that read furthest. The
    // placeholders keep their width, so offsets are the block's.
    let mut furthest = first;
    for form in forms(code, dialect, 0) {
        for variant in variants {
            if let Some(e) = parse_error(variant, dialect, form)
                && e.0 > furthest.0
            {
                furthest = e;
            }
        }
    }
    for &(label, other) in dialect.alternatives() {
        if parses_in_some_form(variants, other, 0) {
            return Some(error_at(
                code,
                &furthest,
                format!(
                    "this parses as {}: label the block `{label}`",
                    other.describe()
                ),
            ));
        }
    }
    let names: Vec<&str> = forms(code, dialect, 1).map(|f| f.name).collect();
    let mut help = format!("also tried as {}", list(&names));
    if blanked.is_some() {
        help.push_str(", each also with the `...` placeholders left out");
    }
    Some(error_at(code, &furthest, help))
}

/// A [`SyntaxError`] from a byte offset in `code` and a message.
fn error_at(code: &str, (offset, message): &(usize, String), help: String) -> SyntaxError {
    let (line, column) = line_col(code, *offset);
    SyntaxError {
        line,
        column,
        message: message.clone(),
        help: Some(help),
    }
}

/// Whether one of `variants` parses in one of the forms from `FORMS[skip..]`
/// (the block itself is tried first, then its placeholder-free text), or
/// as whole statements followed by a fragment ([`parses_split`]).
fn parses_in_some_form(variants: &[&str], dialect: Dialect, skip: usize) -> bool {
    forms(variants[0], dialect, skip).any(|form| {
        variants
            .iter()
            .any(|code| parse_error(code, dialect, form).is_none())
    }) || variants.iter().any(|code| parses_split(code, dialect))
}

/// The forms from `FORMS[skip..]` that apply to `code` in `dialect`.
fn forms(code: &str, dialect: Dialect, skip: usize) -> impl Iterator<Item = &'static Form> {
    let jsx = dialect.source_type().is_jsx() && starts_with_element(code);
    FORMS[skip..].iter().filter(move |f| jsx || !f.jsx)
}

/// Whether `code` parses as whole statements (its imports, a class) followed
/// by a fragment, as a file holds them once the fragment's context is filled
/// in: methods without their class (the fragment starts with a decorator or
/// a method head, `name(` after modifiers) or, where JSX is read, sibling
/// elements (JSX children). The fragment starts at the line of the module
/// parse's first error, with the comment, blank and decorator lines just
/// above it, or (for JSX) at the first line that starts with an element.
fn parses_split(code: &str, dialect: Dialect) -> bool {
    let jsx_read = dialect.source_type().is_jsx();
    let mut starts = Vec::with_capacity(2);
    if let Some((offset, _)) = parse_error(code, dialect, &FORMS[0]) {
        starts.push(fragment_start(code, offset));
    }
    if jsx_read {
        starts.extend(first_element_line(code));
    }
    starts.dedup();
    starts
        .into_iter()
        .filter(|&at| at > 0 && at < code.len())
        .any(|at| {
            let (head, tail) = code.split_at(at);
            let form = if jsx_read && starts_with_element(tail) {
                "JSX children"
            } else if starts_with_method(tail) {
                "class members"
            } else {
                return false;
            };
            FORMS.iter().filter(|f| f.name == form).any(|form| {
                // The head ends as a statement, so that no wrapper reads
                // as the rest of its last expression.
                let joined = format!("{head}\n;{}{tail}{}", form.before, form.after);
                parse_error(&joined, dialect, &FORMS[0]).is_none()
            })
        })
}

/// Whether `code`, past blank space and comments, starts with a decorator
/// (`@`) or a method head: a name and `(` or `<`, after modifiers such as
/// `async`, `static`, `get`, `private`.
fn starts_with_method(code: &str) -> bool {
    let rest = skip_comments(code);
    if rest.starts_with('@') {
        return true;
    }
    let mut words = rest;
    loop {
        let name_len = words
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '#'))
            .unwrap_or(words.len());
        if name_len == 0 {
            return false;
        }
        let (name, after) = words.split_at(name_len);
        let after_space = after.trim_start_matches([' ', '\t']);
        if after_space.starts_with(['(', '<']) {
            return true;
        }
        let modifier = matches!(
            name,
            "async"
                | "static"
                | "get"
                | "set"
                | "public"
                | "private"
                | "protected"
                | "readonly"
                | "override"
                | "abstract"
        );
        if !modifier || after_space.len() == after.len() {
            return false;
        }
        words = after_space.trim_start_matches('*').trim_start();
    }
}

/// The byte offset where the line holding `offset` starts, moved up over the
/// blank, comment and decorator (`@`) lines just above it.
fn fragment_start(code: &str, offset: usize) -> usize {
    let mut at = code[..offset.min(code.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    while at > 0 {
        let above = code[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = code[above..at - 1].trim();
        let lead = line.is_empty()
            || line.starts_with("//")
            || line.starts_with("/*")
            || line.starts_with('*')
            || line.starts_with('@');
        if !lead {
            break;
        }
        at = above;
    }
    at
}

/// The byte offset of the first line of `code` whose text starts with `<`.
fn first_element_line(code: &str) -> Option<usize> {
    let mut at = 0;
    for line in code.split_inclusive('\n') {
        if line.trim_start().starts_with('<') {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// Whether `code`, past blank space and comments, starts with `<` (a JSX
/// element; a comment before it reads as JSX text among the children).
fn starts_with_element(code: &str) -> bool {
    skip_comments(code).starts_with('<')
}

/// `code` past its leading blank space and comments.
fn skip_comments(code: &str) -> &str {
    let mut rest = code.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after
                .find("*/")
                .map_or("", |i| &after[i + 2..])
                .trim_start();
        } else {
            return rest;
        }
    }
}

/// The byte offset (in `code`) and message of the first error of `code`
/// pasted into `form` that TypeScript's parser also reports, if any.
///
/// oxc also reports early errors that TypeScript's parser reads and leaves to
/// its checker (`await` outside an async function, a getter with a parameter,
/// `a ?? b || c`, `declare const x = 1`…). Those oxc recovers from; an error
/// counts when the parse stopped at it (oxc's `panicked`) or when it is not
/// one of those ([`CHECKER_ERRORS`]). A fatal error that TypeScript's parser reads past
/// ([`rewrite_checker_error`]) is rewritten to the nearest form it accepts,
/// of the same width, and the text parsed again.
fn parse_error(code: &str, dialect: Dialect, form: &Form) -> Option<(usize, String)> {
    let mut source_type = dialect.source_type();
    if form.script {
        source_type = source_type.with_script(true);
    } else if !source_type.is_commonjs() {
        source_type = source_type.with_module(true);
    }
    let mut text = format!("{}{code}{}", form.before, form.after);
    for _ in 0..MAX_REWRITES {
        let error = first_error(&text, source_type)?;
        if !error.fatal || !rewrite_checker_error(&mut text, &error) {
            let offset = error
                .offset
                .saturating_sub(form.before.len())
                .min(code.len());
            return Some((offset, error.message));
        }
    }
    // Each rewrite read past one error TypeScript's parser reads past too.
    None
}

/// How many fatal errors of the kinds TypeScript leaves to its checker one
/// parse is read past ([`rewrite_checker_error`]) before the text is taken
/// as read.
const MAX_REWRITES: usize = 32;

/// Parts of the messages of oxc's recoverable early errors that TypeScript's
/// parser reads past and leaves to its checker (each has a block in
/// `tests/fixtures/snippets/js-typescript-accepts.md` that TypeScript 6
/// parses without a syntactic diagnostic). Every other error oxc reports
/// counts: its parser's recoverable errors are, like TypeScript's, errors of
/// the grammar.
const CHECKER_ERRORS: &[&str] = &[
    "is only allowed within async functions",
    "A 'get' accessor must not have any formal parameters",
    "A 'set' accessor must have exactly one parameter",
    "Constructor can't have get/set modifier",
    "Cannot use `yield` as an identifier",
    "Cannot use `await` as an identifier",
    "Invalid assignment in object literal",
    "Classes may not have a static property named 'prototype'",
    "Classes can't have an element named '#constructor'",
    "A 'yield' expression is only allowed in a generator body",
    "Logical expressions and coalesce expressions cannot be mixed",
    "A rest parameter or binding pattern may not have a trailing comma",
    "The left-hand side of a `for...of` statement may not be `async`",
    "Missing initializer in const declaration",
    "Accessibility modifier already seen",
    "A parameter cannot have a question mark and an initializer",
    "Initializers are not allowed in ambient contexts",
    "because it is marked abstract",
    "Declarations with initializers cannot also have definite assignment assertions",
    "A default export can only be used in an ECMAScript-style module",
    "modifier cannot appear on a parameter",
];

/// One error of an oxc parse: byte offset and length of its first label in
/// the parsed text, message, and whether the parse stopped there.
struct ParseError {
    offset: usize,
    len: usize,
    message: String,
    fatal: bool,
}

/// The earliest error of `text` that counts (see [`parse_error`]).
fn first_error(text: &str, source_type: SourceType) -> Option<ParseError> {
    let allocator = Allocator::default();
    // TypeScript's parser reads `return` outside a function (its checker,
    // not its parser, objects), and so does a CommonJS module.
    let options = ParseOptions {
        allow_return_outside_function: true,
        ..ParseOptions::default()
    };
    let parsed = Parser::new(&allocator, text, source_type)
        .with_options(options)
        .parse();
    let count = parsed.diagnostics.len();
    parsed
        .diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            // The fatal error is the last one (oxc drops those after it).
            let fatal = parsed.panicked && i + 1 == count;
            let message = d.message.to_string();
            let reported = fatal || !CHECKER_ERRORS.iter().any(|m| message.contains(m));
            let label = d.labels.first();
            reported.then(|| ParseError {
                offset: label.map_or(0, |l| l.offset() as usize),
                len: label.map_or(0, |l| l.len() as usize),
                message,
                fatal,
            })
        })
        .min_by_key(|e| e.offset)
}

/// Rewrites, in place and keeping every byte offset, the construct of a
/// fatal `error` that TypeScript's parser reads and only its checker rejects,
/// into one oxc reads past; `false` when `error` is not of such a kind.
///
/// - flags a regular expression may not have (`/a/gg`): left out;
/// - an assignment to what cannot be assigned (`f() = 1`, `a?.b = 1`): the
///   target read as a name;
/// - a rest element or spread before the last place (`f(...a, b)`): read as
///   a plain element;
/// - a private name right of `in` (`#x in #y`): read as a name;
/// - `export using`: read as `export const`;
/// - a `let` declaration as the body of `if`, `else`, `while`, `for`, `do`
///   (`if (a) let x = 1;`): read as `var`.
fn rewrite_checker_error(text: &mut String, error: &ParseError) -> bool {
    let at = error.offset.min(text.len());
    let message = error.message.as_str();
    let flag = |b: u8| b.is_ascii_alphanumeric();
    let range = if message.ends_with("in regular expression literal") {
        let bytes = text.as_bytes();
        let mut start = at;
        while start > 0 && flag(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at;
        while end < bytes.len() && flag(bytes[end]) {
            end += 1;
        }
        if start == 0 || bytes[start - 1] != b'/' {
            return false;
        }
        return blank(text, start..end, None);
    } else if message == "Cannot assign to this expression"
        || message.starts_with("The left-hand side of an assignment expression")
    {
        at..at + error.len.max(1)
    } else if matches!(
        message,
        "Spread must be last element"
            | "A rest parameter must be last in a parameter list"
            | "A rest element must be last in a destructuring pattern"
    ) {
        let Some(dots) = text[at..].find("...").map(|i| at + i) else {
            return false;
        };
        return blank(text, dots..dots + 3, None);
    } else if message == "Unexpected private identifier" {
        // `#x in #y`: TypeScript's parser reads the right side as a name.
        let before = text[..at].trim_end();
        let after_in = before
            .strip_suffix("in")
            .is_some_and(|h| !h.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$'));
        if !after_in || !text[at..].starts_with('#') {
            return false;
        }
        text.replace_range(at..at + 1, "_");
        return true;
    } else if message == "Using declarations cannot be exported directly." {
        return text[at..].starts_with("using") && {
            text.replace_range(at..at + 5, "const");
            true
        };
    } else if message.starts_with("Expected a semicolon") {
        let before = text[..at].trim_end();
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        let ends_with_word =
            |text: &str, w: &str| text.strip_suffix(w).is_some_and(|h| !h.ends_with(word));
        if !ends_with_word(before, "let") {
            return false;
        }
        let head = before[..before.len() - 3].trim_end();
        if !(head.ends_with(')') || ends_with_word(head, "else") || ends_with_word(head, "do")) {
            return false;
        }
        let let_at = before.len() - 3;
        text.replace_range(let_at..let_at + 3, "var");
        return true;
    } else {
        return false;
    };
    blank(text, range, Some('_'))
}

/// `text` with the characters of `range` (within bounds, on character
/// boundaries) turned into spaces, the first into `first` if given; line
/// breaks are kept. `false` when `range` is empty or not on boundaries.
fn blank(text: &mut String, range: std::ops::Range<usize>, first: Option<char>) -> bool {
    let end = range.end.min(text.len());
    if range.start >= end || !text.is_char_boundary(range.start) || !text.is_char_boundary(end) {
        return false;
    }
    let mut out = String::with_capacity(end - range.start);
    let mut lead = first;
    for c in text[range.start..end].chars() {
        if c == '\n' || c == '\r' {
            out.push(c);
        } else {
            let with = lead.take().unwrap_or(' ');
            // Same byte width: a multi-byte character becomes as many spaces.
            out.push(with);
            out.extend(std::iter::repeat_n(' ', c.len_utf8() - 1));
        }
    }
    text.replace_range(range.start..end, &out);
    true
}

/// `code` with its `...` (or `…`) placeholders turned into a name, `_`, or
/// `None` when it has none. A placeholder is an ellipsis that nothing follows
/// on its line but a closing bracket, a comma, a semicolon or a comment (a
/// spread, `...rest`, is code); a name stands for an expression, a
/// statement, a member or a parameter alike, so `{ ... }`, `f(...)`,
/// `return (...)`, `[..., x]` and a line of `...` all parse. After a word
/// (`foo...`) the placeholder becomes spaces instead, so as not to join it.
fn name_placeholders(code: &str) -> Option<String> {
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut rest = code;
    while let Some((at, len)) = next_ellipsis(rest) {
        let after = rest[at + len..].trim_start_matches([' ', '\t']);
        let closes = after.is_empty()
            || after.starts_with(['\n', '\r', ')', ']', '}', ',', ';'])
            || after.starts_with("//");
        out.push_str(&rest[..at]);
        if closes {
            let joins = out
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
            // As many characters as the ellipsis, so that columns still match.
            let width = rest[at..at + len].chars().count();
            out.push(if joins { ' ' } else { '_' });
            out.extend(std::iter::repeat_n(' ', width - 1));
            changed = true;
        } else {
            out.push_str(&rest[at..at + len]);
        }
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// `code` with the comments that fill otherwise empty parentheses, as in
/// `return (/* ... */);` or `return (\n  // the list\n);`, turned into a
/// name, `_` (padded with spaces, line breaks kept), or `None` when there
/// are none. Such a comment stands for the expression left out; where empty
/// parentheses are code (`f()`, `() => x`) a name there is code too.
fn name_commented_parens(code: &str) -> Option<String> {
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut rest = code;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(inner) = comments_then_close(rest) else {
            continue;
        };
        let mut named = false;
        for c in rest[..inner].chars() {
            if c.is_whitespace() {
                out.push(c);
            } else if named {
                out.push(' ');
            } else {
                out.push('_');
                named = true;
            }
        }
        changed = true;
        rest = &rest[inner..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The byte length of the blank space and comments (at least one) that
/// `text` starts with, when a `)` comes right after them.
fn comments_then_close(text: &str) -> Option<usize> {
    let mut at = 0;
    let mut comments = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if let Some(after) = trimmed.strip_prefix("//") {
            at += 2 + after.find('\n')?;
        } else if let Some(after) = trimmed.strip_prefix("/*") {
            at += 4 + after.find("*/")?;
        } else {
            return (comments > 0 && trimmed.starts_with(')')).then_some(at);
        }
        comments += 1;
    }
}

/// The byte offset and length of the first `...` or `…` in `text`.
fn next_ellipsis(text: &str) -> Option<(usize, usize)> {
    let dots = text.find("...").map(|i| (i, 3));
    let char = text.find('…').map(|i| (i, '…'.len_utf8()));
    match (dots, char) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// `a, b and c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passes(code: &str, dialect: Dialect) {
        assert_eq!(check(code, dialect), None, "{code}");
    }

    fn help(code: &str, dialect: Dialect) -> String {
        check(code, dialect)
            .and_then(|e| e.help)
            .unwrap_or_else(|| panic!("no error with help for {code}"))
    }

    #[test]
    fn whole_files_parse_in_their_dialect() {
        passes(
            "import { a } from 'b';\nexport const c = await a();\n",
            Dialect::Js,
        );
        passes("const el = <div className=\"x\">{a}</div>;\n", Dialect::Js);
        passes("type A = { b: string };\nconst c = <A>d;\n", Dialect::Ts);
        passes(
            "export function App() { return <p>hi</p>; }\n",
            Dialect::Tsx,
        );
        passes("module.exports = 1;\nreturn;\n", Dialect::Cjs);
        passes("return x;\n", Dialect::Ts);
    }

    #[test]
    fn a_script_takes_sloppy_mode() {
        passes("with (a) { b(); }\nvar x = 010;\n", Dialect::Js);
    }

    #[test]
    fn methods_without_their_class_are_class_members() {
        passes(
            "async getUser(id) {\n  return this.db.find(id);\n}\n",
            Dialect::Js,
        );
        passes(
            "private readonly cache: Map<string, number>;\nconstructor() {}\n",
            Dialect::Ts,
        );
    }

    #[test]
    fn key_value_lines_are_object_members() {
        passes(
            "name: 'x',\nretries: 3,\nrun() { return 1; },\n",
            Dialect::Js,
        );
    }

    #[test]
    fn a_bare_object_or_arrow_body_is_an_expression() {
        passes("{ a: 1, b: [2, 3], c() {} }\n", Dialect::Js);
        passes("x => x * 2\n", Dialect::Js);
    }

    #[test]
    fn return_and_await_belong_to_a_function_body() {
        passes(
            "const a = await b();\nif (!a) return null;\nreturn a;\n",
            Dialect::Cjs,
        );
    }

    #[test]
    fn sibling_elements_are_jsx_children() {
        passes("<Button />\n<Input value={v} />\n", Dialect::Jsx);
        let h = help("<Button />\n<Input value={v} />\n", Dialect::Ts);
        assert!(h.contains("`tsx`"), "{h}");
        let h = help("<div>\n  <p>\n</div>\n", Dialect::Jsx);
        assert!(h.ends_with("and JSX children"), "{h}");
        // Prose is JSX text too: a block that is not an element is not tried.
        let h = help(".box { color: red; }\n", Dialect::Jsx);
        assert!(h.ends_with("and a function body"), "{h}");
    }

    #[test]
    fn placeholders_are_left_out() {
        passes(
            "function f() {\n  ...\n}\nconst o = { ... };\nf(...);\n",
            Dialect::Ts,
        );
        passes("class A {\n  m() { … }\n}\n", Dialect::Ts);
        passes("const b = [...a, ...c];\n", Dialect::Js);
        passes("return (\n  ...\n);\n", Dialect::Tsx);
        passes("<Box onClick={...}>text</Box>\n", Dialect::Jsx);
    }

    #[test]
    fn comments_in_empty_parentheses_are_placeholders() {
        passes(
            "function A({ items }) {\n  items.sort();\n  return (/* ... */);\n}\n",
            Dialect::Tsx,
        );
        passes(
            "function A() {\n  return (\n    // ... the whole form\n  );\n}\n",
            Dialect::Jsx,
        );
        passes("const B = () => (/* complex UI */);\n", Dialect::Ts);
        // A comment does not stand for a missing operand.
        let h = help("const c = 1 + (/* ... */) +;\n", Dialect::Js);
        assert!(h.starts_with("also tried as"), "{h}");
    }

    #[test]
    fn a_fragment_may_follow_whole_statements() {
        // Imports, then a method without its class.
        passes(
            "import { Camera } from '@capacitor/camera';\n\nasync takePhoto() {\n  await Camera.getPhoto();\n}\n",
            Dialect::Ts,
        );
        // A whole class, then a decorated method of another one.
        passes(
            "export class Dto {\n  name: string;\n}\n// users.controller.ts\n@Post()\nasync create(@Body() dto: Dto): Promise<void> {\n  return;\n}\n",
            Dialect::Ts,
        );
        // Imports, then sibling elements with comments between them.
        passes(
            "import { X } from 'x';\n\n// one\n<X size={4} />\n\n// two\n<Button>\n  <X />\n</Button>\n",
            Dialect::Tsx,
        );
        let h = help("import { X } from 'x';\n<X />\n<Y />\n", Dialect::Ts);
        assert!(h.contains("`tsx`"), "{h}");
        // What follows must still be a fragment: CSS after code is not.
        let h = help(
            "g.append('g');\n\n// style.css\n.x-axis text {\n  font-size: 12px;\n}\n",
            Dialect::Js,
        );
        assert!(h.starts_with("also tried as"), "{h}");
        // Nor does an unclosed element pass as children.
        let h = help("import a from 'a';\n<div>\n  <p>\n</div>\n", Dialect::Jsx);
        assert!(h.starts_with("also tried as"), "{h}");
    }

    #[test]
    fn sibling_elements_may_follow_a_comment() {
        passes(
            "// Usage\n<Button>Submit</Button>\n<Button variant=\"secondary\">Cancel</Button>\n",
            Dialect::Jsx,
        );
    }

    #[test]
    fn errors_are_the_whole_module_parse_with_what_was_tried() {
        let e = check("const a = 1;\nconst = 2;\n", Dialect::Js).unwrap();
        assert_eq!((e.line, e.column), (1, 7), "{e:?}");
        assert_eq!(
            e.help.as_deref(),
            Some(
                "also tried as a script, class members, object members, an expression \
                 and a function body"
            )
        );
        let h = help("let x = ;\n...\n", Dialect::Js);
        assert!(
            h.ends_with("each also with the `...` placeholders left out"),
            "{h}"
        );
    }

    #[test]
    fn columns_are_characters() {
        let e = check("const é = \"ü\"; let = ;\n", Dialect::Js).unwrap();
        assert_eq!((e.line, e.column), (0, 22), "{e:?}");
    }

    #[test]
    fn typescript_that_holds_jsx_is_told_to_say_tsx() {
        let h = help("const el = <div>{a}</div>;\n", Dialect::Ts);
        assert!(h.contains("`tsx`"), "{h}");
    }

    #[test]
    fn javascript_that_holds_types_is_told_to_say_typescript() {
        let h = help(
            "function f(a: number): string { return ''; }\n",
            Dialect::Js,
        );
        assert!(h.contains("`typescript`"), "{h}");
        let h = help("interface A { b: string }\n", Dialect::Jsx);
        assert!(h.contains("`typescript`"), "{h}");
    }

    #[test]
    fn a_json_document_is_told_to_say_json() {
        let h = help(
            "{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\"\n}\n",
            Dialect::Js,
        );
        assert!(h.contains("`json`"), "{h}");
    }

    #[test]
    fn languages_are_read_case_insensitively() {
        assert_eq!(Dialect::from_lang("TypeScript"), Some(Dialect::Ts));
        assert_eq!(Dialect::from_lang("JSX"), Some(Dialect::Jsx));
        assert_eq!(Dialect::from_lang("json"), None);
    }

    #[test]
    fn what_typescript_leaves_to_its_checker_passes() {
        // Each block: TypeScript 6's parser reads it (tests/js_oracle.rs).
        let fixture = include_str!("../../tests/fixtures/snippets/js-typescript-accepts.md");
        let mut blocks = 0;
        let mut rest = fixture;
        while let Some(start) = rest.find("```") {
            let after = &rest[start + 3..];
            let (lang, body) = after.split_once('\n').unwrap_or((after, ""));
            let end = body.find("```").unwrap_or(body.len());
            let dialect = Dialect::from_lang(lang).unwrap_or(Dialect::Js);
            passes(&body[..end], dialect);
            blocks += 1;
            rest = &body[(end + 3).min(body.len())..];
        }
        assert!(blocks >= 30, "only {blocks} blocks");
    }

    #[test]
    fn grammar_errors_oxc_reads_past_are_reported() {
        // TypeScript: "Variable declaration expected.", "Expression expected."
        for code in ["if (a) { const = 2; }\n", "let x = [1, , 2;\n", "f(a b);\n"] {
            assert!(check(code, Dialect::Js).is_some(), "{code}");
        }
        assert!(check("let x: = 1;\n", Dialect::Ts).is_some());
    }

    #[test]
    fn nesting_past_the_limit_is_reported_unparsed() {
        let deep = format!(
            "x = {}1{};\n",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        let e = check(&deep, Dialect::Js).unwrap();
        assert_eq!((e.line, e.column), (0, 5 + MAX_NESTING), "{e:?}");
        assert!(e.message.contains("nested more than"), "{e:?}");
        let under = format!("x = {}1{};\n", "[".repeat(900), "]".repeat(900));
        // On a worker's small stack too: the parse grows its own.
        let run = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || check(&under, Dialect::Js))
            .map(|t| t.join());
        assert!(matches!(run, Ok(Ok(None))), "{run:?}");
    }
}
