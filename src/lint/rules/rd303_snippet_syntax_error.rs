use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Python, JSON, YAML or TOML snippet that does not parse, at the line
    /// of the error in the Markdown; also what a configured external checker
    /// (`[snippets.external.<lang>]`) finds. Python is parsed in-process with Ruff's
    /// parser; `pycon` sessions are read after their `>>>` and `...` prompts.
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
        fixable: false,
    }
}

impl Rule for SnippetSyntaxError {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Snippets are compiled after every document is read: the work is done
    /// in `snippets`, by `check` and `snippets verify` (never by `lint`).
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
