//! Python syntax, checked in-process with Ruff's parser
//! (`ruff_python_parser`, which follows CPython's grammar): syntax only, no
//! names are resolved and nothing is run.

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

/// The first syntax error in `code`, if any, as a Python module (Ruff's
/// `parse_module`).
pub(crate) fn check(code: &str) -> Option<SyntaxError> {
    let err = ruff_python_parser::parse_module(code).err()?;
    let offset = (err.location.start().to_usize()).min(code.len());
    let (line, column) = line_col(code, offset);
    Some(SyntaxError {
        line,
        column,
        message: err.error.to_string(),
        help: None,
    })
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

    #[test]
    fn valid_code_passes_and_errors_have_a_position() {
        assert_eq!(
            check("import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"),
            None
        );
        let e = check("x = 1\ndef f(:\n    pass\n").unwrap();
        assert_eq!(e.line, 1);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn prompts_are_stripped_and_output_blanked() {
        let (code, shifts) = strip_prompts(">>> x = [1,\n... 2]\n>>> x\n[1, 2]\n");
        assert_eq!(code, "x = [1,\n2]\nx\n\n");
        assert_eq!(shifts, [4, 4, 4, 0]);
        assert_eq!(check(&code), None);
    }
}
