use crate::diagnostic::Diagnostic;
use crate::lint::{Rule, declare_rule};
use crate::snippets::{Problem, Verdict};

declare_rule! {
    /// ## What it does
    /// Reports a snippet that does not parse, at the line of the error in the
    /// Markdown: Python, JavaScript, TypeScript, JSX, TSX, JSON, JSONC, JSON5,
    /// YAML, TOML and XML; also what a configured external checker
    /// (`[snippets.external.<lang>]`) finds.
    ///
    /// Python is judged in-process as CPython's `compile()` judges it (Ruff's
    /// parser and semantic checks, for `[snippets.python] target_version`;
    /// top-level `await` allowed), so `return` outside a function or a
    /// repeated argument is an error too; each input of a `pycon` session is
    /// compiled on its own, after its `>>>` and `...` prompts, as the REPL does.
    ///
    /// JavaScript and TypeScript (`js`, `javascript`, `mjs`, `cjs`, `jsx`, `ts`,
    /// `typescript`, `tsx`) are parsed with oxc's parser, each as TypeScript reads
    /// a file with that extension (`.js` may hold JSX, `.ts` may not). A block
    /// that does not parse as a whole file is also tried as the fragment it may
    /// be: a script, class members, object members, an expression, a function
    /// body, JSX children, each with `...` placeholders left out. It is reported
    /// only when every form fails, with the whole file's error; the help says
    /// what was tried, or the label that would parse (`tsx`, `typescript`, `json`).
    ///
    /// JSON blocks with comments are read as JSONC when they name a file VS Code
    /// reads as JSONC (`tsconfig.json`, `.vscode/settings.json`); a block of bare
    /// `"key": value` members is read inside `{}`; a YAML key given twice is not
    /// an error (the last wins, as PyYAML reads it); XML fragments are read
    /// inside one root element.
    ///
    /// ## Why
    /// A configuration example with a syntax error fails for everyone who pastes it.
    ///
    /// ## Example
    /// ````markdown
    /// ```json
    /// {"retries": 3,}
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```json
    /// {"retries": 3}
    /// ```
    /// ````
    pub struct SnippetSyntaxError {
        code: "RD303",
        name: "snippet-syntax-error",
        severity: Error,
        kind: Verdict,
        fix: Never,
    }
}

impl Rule for SnippetSyntaxError {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Each error the parser or the external checker gave, where it gave it.
    fn check_verdicts(&self, verdicts: &[Verdict], out: &mut Vec<Diagnostic>) {
        for v in verdicts {
            let Some(Problem::Syntax(findings)) = &v.problem else {
                continue;
            };
            for f in findings {
                let mut d = Diagnostic::at(
                    Self::META.code,
                    Self::META.severity,
                    &v.outcome.path,
                    f.range,
                    f.message.clone(),
                );
                if let Some(help) = &f.help {
                    d = d.with_help(help.clone());
                }
                out.push(d);
            }
        }
    }
}
