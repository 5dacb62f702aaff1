use crate::diagnostic::{Applicability, code_span};
use crate::lint::guess::guess_language;
use crate::lint::{DocContext, Findings, Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a fenced code block without a language whose content is code:
    /// Python, Rust, TypeScript, shell commands, JSON, a `.gitignore`, a
    /// Markdown template, HTML, SQL, YAML… The finding names the language
    /// and the line that gives it away (`def create_user(…`, `pnpm install`).
    ///
    /// ## Why
    /// Without a language, code is neither highlighted nor checked: ruledoc
    /// compiles Rust and parses Python, JSON, YAML and TOML snippets by their
    /// language. Plain text is not reported: a directory tree, a box drawing,
    /// a commit-message template, pseudo-code with arrows, output, a message
    /// to paste reads the same to every reader (GitHub, the model reading the
    /// raw text) with or without ```` ```text ````, so nothing is lost.
    ///
    /// Only strong signals count (a keyword at the start of a line, a block
    /// that parses as JSON, a block whose every line is a command); a block
    /// that could be either is left alone. A block that never closes is
    /// RD201's: its content is usually the rest of the document. A block that
    /// a fence inside it closes early is RD202's: its content is not what
    /// its author put in it.
    ///
    /// ## Fix safety
    /// Unsafe (`--fix --unsafe-fixes`): the fix writes the language read
    /// from the content after the opening fence. It is a guess, and naming
    /// a language changes which checker ruledoc runs on the snippet.
    ///
    /// ## Example
    /// ````markdown
    /// ```
    /// def create_user(request):
    ///     return service.create(request.json)
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```python
    /// def create_user(request):
    ///     return service.create(request.json)
    /// ```
    /// ````
    pub struct MissingLanguage {
        code: "RD301",
        name: "missing-language",
        severity: Warning,
        kind: InfoString,
        fix: Always(Unsafe),
    }
}

impl Rule for MissingLanguage {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        for s in ctx
            .doc
            .snippets
            .iter()
            .filter(|s| s.lang.is_empty() && s.closed)
            // A block that an inner fence closes early is RD202's: its
            // content is not what its author put in it.
            .filter(|s| super::rd202_nested_fence::inner_opener(s).is_none())
        {
            let Some(guess) = guess_language(&s.code) else {
                continue;
            };
            let quoted = s
                .code
                .lines()
                .nth(guess.line - 1)
                .map(|l| quote(l.trim()))
                .unwrap_or_default();
            // Right after the opening fence's run (`s.span` starts at it).
            let at = s.span.start + s.fence.len * s.fence.char.len_utf8();
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    ctx.line_span(s.line),
                    format!(
                        "code block has no language; it reads as {} (line {}: {})",
                        guess.name(),
                        guess.line,
                        code_span(&quoted)
                    ),
                )
                .with_fix(
                    ctx.source,
                    format!(
                        "name the language after the fence: {}{}",
                        fence(s),
                        guess.lang
                    ),
                    Applicability::Unsafe,
                    vec![(Span::new(at, at), guess.lang.to_string())],
                ),
            );
        }
    }
}

fn fence(s: &crate::model::Snippet) -> String {
    std::iter::repeat_n(s.fence.char, s.fence.len).collect()
}

/// The start of a line for a message: up to 32 characters, `…` when cut.
fn quote(line: &str) -> String {
    const MAX: usize = 32;
    match line.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}
