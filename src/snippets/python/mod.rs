//! Python snippets, judged as CPython's `compile(code, name, "exec",
//! flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)` judges them, in-process: Ruff's
//! parser (`ruff_python_parser`, CPython's grammar) for the target version,
//! then the checks CPython's symbol table and compiler make ([`semantic`]).
//! Nothing is imported, resolved or run.

mod semantic;

use ruff_python_ast::PythonVersion;
use ruff_python_parser::{Mode, ParseOptions, UnsupportedSyntaxErrorKind};
use ruff_text_size::{Ranged, TextRange};

/// The Python versions `[snippets.python] target_version` accepts, as
/// written there.
pub(crate) const VERSIONS: &[&str] = &["3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];

/// `3.13` → Python 3.13; `None` unless it is one of [`VERSIONS`].
pub(crate) fn parse_version(text: &str) -> Option<PythonVersion> {
    if !VERSIONS.contains(&text) {
        return None;
    }
    let (major, minor) = text.split_once('.')?;
    Some(PythonVersion::from((
        major.parse().ok()?,
        minor.parse().ok()?,
    )))
}

/// Levels of statements and expressions nested in one another beyond which
/// CPython's compiler gives up (`RecursionError: maximum recursion depth
/// exceeded during compilation`): measured at about 3,000 for 3.8 to 3.12
/// and 6,000 to 10,000 for 3.13, depending on the expression. Beyond the
/// largest, ruledoc reports an error too; between them it does not.
const MAX_DEPTH: usize = 10_000;

/// Stack the semantic walk may use per level, with room to spare (debug
/// builds use the most).
const STACK_PER_LEVEL: usize = 16 * 1024;

fn too_deep(depth: usize) -> String {
    format!(
        "statements and expressions nested {depth} levels deep: CPython's compiler \
         stops with a RecursionError well before that"
    )
}

/// The configured version, else (for a version [`parse_version`] refuses,
/// which `Verifier::new` does not let through) the default, 3.14.
pub(crate) fn target_version(configured: &str) -> PythonVersion {
    parse_version(configured).unwrap_or(PythonVersion::PY314)
}

/// A syntax error: 0-based line and 1-based column in the snippet's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 0-based line in the snippet's code.
    pub line: usize,
    /// 1-based column, in characters (serde_json's, for JSON, in bytes).
    pub column: usize,
    /// The parser's message, without its position.
    pub message: String,
    /// What to do about it, when the checker knows (the label the block
    /// should have, the forms of a fragment that were tried).
    pub help: Option<String>,
}

/// The first error `compile()` would raise for `code` as a module under
/// Python `version`, top-level `await` allowed: a parse error, else syntax
/// newer than `version` (Ruff's unsupported-syntax errors: `match` before
/// 3.10, `except*` before 3.11, PEP 701 f-strings before 3.12…), else the
/// first, by position, of the errors CPython finds after parsing (`return`
/// outside a function, a repeated argument, `await` in a plain `def`…).
pub(crate) fn check(code: &str, version: PythonVersion) -> Option<SyntaxError> {
    // The parser and the drop of its tree recurse once per level of nesting
    // (`not not … x`, `-(-(…))`, `1 + 1 + …`): a long or deep block gets a
    // stack of its own ([`super::stack`]).
    super::stack::run(code, 1024, || check_on_this_stack(code, version))
}

/// CPython's tokenizer refuses a bracket opened inside 200 others
/// (`MAXLEVEL` in `Parser/tokenizer.c`): "too many nested parentheses".
const MAX_BRACKETS: usize = 200;

/// The opening bracket that CPython's tokenizer refuses, if any.
fn too_many_brackets(tokens: &ruff_python_ast::token::Tokens) -> Option<TextRange> {
    use ruff_python_ast::token::TokenKind;
    let mut level = 0usize;
    for token in tokens.iter() {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                if level >= MAX_BRACKETS {
                    return Some(token.range());
                }
                level += 1;
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                level = level.saturating_sub(1);
            }
            _ => {}
        }
    }
    None
}

fn check_on_this_stack(code: &str, version: PythonVersion) -> Option<SyntaxError> {
    let options = ParseOptions::from(Mode::Module).with_target_version(version);
    let parsed = ruff_python_parser::parse_unchecked(code, options);
    let first = |found: &mut dyn Iterator<Item = (TextRange, String)>| {
        found.min_by_key(|(range, _)| (range.start(), range.end()))
    };
    let (range, message) = if let Some(at) = too_many_brackets(parsed.tokens()) {
        (at, "too many nested parentheses".to_string())
    } else if let Some(e) = parsed.errors().first() {
        (e.location, e.error.to_string())
    } else if let Some(found) = first(
        &mut parsed
            .unsupported_syntax_errors()
            .iter()
            .map(|e| (e.range(), e.to_string()))
            .chain(index_walrus_on_39(code, version)),
    ) {
        found
    } else {
        let module = parsed.syntax().as_module()?;
        let depth = semantic::depth(module);
        if depth > MAX_DEPTH {
            (module.range, too_deep(depth))
        } else {
            // The walk recurses once per level; give it the stack it needs
            // (a fresh segment only when the thread's is short).
            let stack = depth * STACK_PER_LEVEL + (1 << 20);
            let found =
                stacker::maybe_grow(stack, stack, || semantic::check(module, code, version));
            first(&mut found.into_iter().map(|f| (f.range, f.message)))?
        }
    };
    let offset = range.start().to_usize().min(code.len());
    let (line, column) = line_col(code, offset);
    Some(SyntaxError {
        line,
        column,
        message,
        help: None,
    })
}

/// The Python code ruledoc judges for a block in `lang`: the code as
/// written for `python`, `py` and `python3`, the code after the prompts
/// ([`strip_prompts`]) for `pycon` (any case); `None` for other languages.
pub fn python_source(lang: &str, code: &str) -> Option<String> {
    match lang.to_ascii_lowercase().as_str() {
        "python" | "py" | "python3" => Some(code.to_string()),
        "pycon" => Some(strip_prompts(code).0),
        _ => None,
    }
}

/// The first error in a `pycon` session, and how many characters each line
/// lost to its prompt. Each input (a `>>> ` line and the `... ` lines after
/// it) is compiled on its own, as the REPL and doctest compile it
/// (`compile(source, name, "single")`): one statement per input, a
/// `from __future__` import anywhere.
pub(crate) fn check_session(
    session: &str,
    version: PythonVersion,
) -> Option<(SyntaxError, Vec<usize>)> {
    let (code, shifts) = strip_prompts(session);
    let lines: Vec<&str> = code.split_inclusive('\n').collect();
    let mut inputs: Vec<(usize, usize)> = Vec::new();
    for (i, line) in session.lines().enumerate() {
        if line.starts_with(">>>") && shifts.get(i).is_some_and(|s| *s > 0) {
            inputs.push((i, i + 1));
        } else if line.starts_with("...")
            && shifts.get(i).is_some_and(|s| *s > 0)
            && let Some(last) = inputs.last_mut()
            && last.1 == i
        {
            last.1 = i + 1;
        }
    }
    for (start, end) in inputs {
        // The other lines stay, blank, so that positions are the session's.
        let mut input = "\n".repeat(start);
        input.extend(lines[start..end].iter().copied());
        if let Some(mut e) = check(&input, version).or_else(|| single_statement(&input)) {
            // An error at the end of the input (an unclosed bracket) is
            // shown at the end of its last line, not on the next prompt.
            if e.line >= end {
                e.line = end - 1;
                e.column = lines[end - 1]
                    .trim_end_matches(['\n', '\r'])
                    .chars()
                    .count()
                    + 1;
            }
            return Some((e, shifts));
        }
    }
    None
}

/// CPython's `single` mode takes one statement, or several on the input's
/// first line (`x = 1; y = 2`).
fn single_statement(input: &str) -> Option<SyntaxError> {
    let parsed = ruff_python_parser::parse_module(input).ok()?;
    let body = &parsed.syntax().body;
    let first = line_col(input, body.first()?.start().to_usize()).0;
    let second = body
        .iter()
        .find(|s| line_col(input, s.start().to_usize()).0 != first)?;
    let (line, column) = line_col(input, second.start().to_usize());
    Some(SyntaxError {
        line,
        column,
        message: "multiple statements found while compiling a single statement".into(),
        help: None,
    })
}

/// `x[y := 1]`: Ruff allows it from 3.9, CPython from 3.10. On 3.9, the
/// errors Ruff gives it on 3.8.
fn index_walrus_on_39(code: &str, version: PythonVersion) -> Vec<(TextRange, String)> {
    if version != PythonVersion::PY39 {
        return Vec::new();
    }
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY38);
    ruff_python_parser::parse_unchecked(code, options)
        .unsupported_syntax_errors()
        .iter()
        // The kind's own kinds are not public: its message tells them apart.
        .filter(|e| {
            matches!(
                e.kind,
                UnsupportedSyntaxErrorKind::UnparenthesizedNamedExpr(_)
            ) && e.to_string().contains("sequence index")
        })
        .map(|e| {
            let message = "Cannot use unparenthesized assignment expression in a sequence \
                 index on Python 3.9 (syntax was added in Python 3.10)";
            (e.range(), message.to_string())
        })
        .collect()
}

/// `pycon` sessions: the code after `>>> ` and `... ` prompts; output lines
/// become blank so that line numbers still match. Returns the code and how
/// many characters each line lost to its prompt.
pub(crate) fn strip_prompts(session: &str) -> (String, Vec<usize>) {
    let mut code = String::with_capacity(session.len());
    let mut shifts = Vec::new();
    for line in session.lines() {
        let (kept, shift) = if let Some(rest) = line
            .strip_prefix(">>> ")
            .or_else(|| line.strip_prefix("... "))
        {
            (rest, 4)
        } else if line == ">>>" || line == "..." {
            ("", 3)
        } else {
            ("", 0)
        };
        code.push_str(kept);
        code.push('\n');
        shifts.push(shift);
    }
    (code, shifts)
}

/// 0-based line and 1-based character column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: PythonVersion = PythonVersion::PY313;

    fn fails(code: &str) -> bool {
        check(code, V).is_some()
    }

    fn fails_on(code: &str, version: &str) -> bool {
        check(code, parse_version(version).unwrap()).is_some()
    }

    #[test]
    fn valid_code_passes_and_errors_have_a_position() {
        assert_eq!(
            check(
                "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n",
                V
            ),
            None
        );
        let e = check("x = 1\ndef f(:\n    pass\n", V).unwrap();
        assert_eq!(e.line, 1);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn semantic_errors_have_their_line_and_character_column() {
        let e = check("s = 'é'\nif s:\n    é = 1; return é\n", V).unwrap();
        assert_eq!((e.line, e.column), (2, 12), "{e:?}");
    }

    #[test]
    fn what_the_compiler_rejects_after_parsing_is_an_error() {
        for code in [
            "return 5\n",
            "def f(a, a): pass\n",
            "def f():\n    await g()\n",
            "break\n",
            "continue\n",
            "for x in y:\n    pass\nelse:\n    break\n",
            "while x:\n    def f():\n        break\n",
            "yield 1\n",
            "class C:\n    yield 1\n",
            "nonlocal x\n",
            "f(a=1, a=2)\n",
            "def f(x):\n    global x\n",
            "x = 1\nglobal x\n",
            "async def f():\n    yield 1\n    return 2\n",
            "async def f():\n    yield from g()\n",
            "def f():\n    from os import *\n",
            "import os\nfrom __future__ import annotations\n",
            "from __future__ import braces\n",
            "__debug__ = 1\n",
            "*a = b\n",
            "a, *b, *c = d\n",
            "[(yield x) for x in y]\n",
            "lambda: await x\n",
            "class C:\n    await x\n",
            "def f():\n    return [await x for x in y]\n",
            "match x:\n    case y: pass\n    case z: pass\n",
            "match x:\n    case [a, a]: pass\n",
            "def f(x=(yield)): pass\n",
        ] {
            assert!(fails(code), "{code:?} should fail");
        }
    }

    #[test]
    fn what_the_compiler_accepts_passes() {
        for code in [
            "def f(a, b): return a\n",
            "for x in y:\n    if x:\n        break\n    continue\n",
            "def f():\n    yield 1\n",
            "f(a=1, b=2)\n",
            "def f():\n    x = 1\n    def g():\n        nonlocal x\n",
            "async def f():\n    yield 1\n    return\n",
            "from __future__ import annotations\nimport os\n",
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n",
            "def f():\n    return (await x for x in y)\n",
            "global x\nx = 1\n",
        ] {
            assert_eq!(check(code, V), None, "{code:?} should pass");
        }
    }

    #[test]
    fn top_level_await_is_allowed_but_not_in_a_plain_def() {
        assert!(!fails("await asyncio.sleep(1)\n"));
        assert!(!fails("async for x in y:\n    pass\n"));
        assert!(!fails("async with a as b:\n    pass\n"));
        assert!(!fails("[await x for x in y]\n"));
        assert!(!fails("[x async for x in y]\n"));
        assert!(fails("def f():\n    await g()\n"));
        assert!(fails("def f():\n    async for x in y:\n        pass\n"));
        assert!(fails("def f():\n    async with a:\n        pass\n"));
    }

    #[test]
    fn syntax_is_judged_by_the_target_version() {
        let cases = [
            ("(y := 1)\n", "3.8"),
            ("with (open(a) as b, open(c) as d):\n    pass\n", "3.9"),
            ("match x:\n    case 1:\n        pass\n", "3.10"),
            ("try:\n    pass\nexcept* ValueError:\n    pass\n", "3.11"),
            ("type X = int\n", "3.12"),
            ("def f[T](x: T) -> T:\n    return x\n", "3.12"),
            ("f'{'a'}'\n", "3.12"),
            ("f\"{'\\n'.join(x)}\"\n", "3.12"),
            ("try:\n    pass\nexcept A, B:\n    pass\n", "3.14"),
            ("x[y := 1]\n", "3.10"),
            ("x.__debug__ += 1\n", "3.9"),
            ("[[await x for x in y] for y in z]\n", "3.11"),
            (
                "async def f():\n    return [[x async for x in y] for z in w]\n",
                "3.11",
            ),
        ];
        let before = |v: &str| {
            let i = VERSIONS.iter().position(|x| *x == v).unwrap();
            VERSIONS[i - 1]
        };
        for (code, since) in cases {
            assert!(!fails_on(code, since), "{code:?} passes on {since}");
            assert!(
                fails_on(code, before(since)),
                "{code:?} fails before {since}"
            );
        }
    }

    #[test]
    fn what_later_versions_refuse_passes_on_earlier_ones() {
        for (code, until) in [
            ("del __debug__\n", "3.9"),
            (
                "from __future__ import annotations\ndef f(x: (yield)): pass\n",
                "3.9",
            ),
        ] {
            assert!(!fails_on(code, until), "{code:?} passes on {until}");
            let next = VERSIONS[VERSIONS.iter().position(|v| *v == until).unwrap() + 1];
            assert!(fails_on(code, next), "{code:?} fails on {next}");
        }
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_passes_beyond_what_cpython_compiles() {
        let deep = |n: usize| format!("async def f():\n    return [{}1]\n", "-".repeat(n));
        assert_eq!(check(&deep(5_000), V), None);
        // The parser and dropping the tree recurse too: give them room.
        let e = stacker::grow(256 << 20, || check(&deep(MAX_DEPTH + 10), V)).unwrap();
        assert!(e.message.contains("RecursionError"), "{e:?}");
    }

    #[test]
    fn versions_are_written_major_dot_minor() {
        assert_eq!(parse_version("3.13"), Some(PythonVersion::PY313));
        let default = crate::config::PythonSnippetsConfig::default().target_version;
        assert_eq!(parse_version(&default), Some(PythonVersion::PY314));
        assert_eq!(target_version("py313"), PythonVersion::PY314);
        for bad in ["py313", "3", "3.13.1", "2.7", "3.15", " 3.13"] {
            assert_eq!(parse_version(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_session_is_compiled_one_input_at_a_time() {
        let ok = ">>> import os\n>>> from __future__ import annotations\n>>> await f()\n";
        assert_eq!(check_session(ok, V), None);
        let ok = ">>> if x:\n...     y = 1\n...\n>>> y\n1\n";
        assert_eq!(check_session(ok, V), None);
        let (e, shifts) = check_session(">>> x = 1\n>>> return x\n", V).unwrap();
        assert_eq!((e.line, e.column + shifts[e.line]), (1, 5));
        let (e, _) = check_session(">>> x = (\n>>> y = 1\n", V).unwrap();
        assert_eq!(e.line, 0);
        let (e, _) = check_session(">>> if x:\n...     pass\n... y = 1\n", V).unwrap();
        assert_eq!((e.line, e.column), (2, 1));
    }

    #[test]
    fn an_unknown_target_version_is_refused_naming_the_key_and_the_versions() {
        let mut config = crate::config::SnippetsConfig::default();
        config.python.target_version = "py313".into();
        let dir = std::env::temp_dir();
        let err = crate::snippets::Verifier::new(
            &config,
            dir.clone(),
            dir,
            crate::snippets::RunMode::Never,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("[snippets.python] target_version: `py313`")
                && err.contains("3.7, 3.8, 3.9, 3.10, 3.11, 3.12, 3.13, 3.14"),
            "{err}"
        );
    }

    #[test]
    fn prompts_are_stripped_and_output_blanked() {
        let (code, shifts) = strip_prompts(">>> x = [1,\n... 2]\n>>> x\n[1, 2]\n");
        assert_eq!(code, "x = [1,\n2]\nx\n\n");
        assert_eq!(shifts, [4, 4, 4, 0]);
        assert_eq!(check(&code, V), None);
    }
}
