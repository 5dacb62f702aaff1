use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a fenced code block without a language.
    ///
    /// ## Why
    /// Without a language a snippet is neither highlighted nor checked: ruledoc
    /// compiles Rust and parses Python, JSON, YAML and TOML snippets by their
    /// language. Use `text` for output and diagrams.
    ///
    /// ## Example
    /// ````markdown
    /// ```
    /// let x = 1;
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```rust
    /// let x = 1;
    /// ```
    /// ````
    pub struct MissingLanguage {
        code: "RD301",
        name: "missing-language",
        severity: Warning,
        kind: InfoString,
        fix: Never,
    }
}

impl Rule for MissingLanguage {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    fn check(&self, ctx: &DocContext, out: &mut Findings) {
        for s in ctx.doc.snippets.iter().filter(|s| s.lang.is_empty()) {
            out.push(
                ctx.diagnostic(
                    &Self::META,
                    ctx.line_span(s.line),
                    "code block has no language",
                )
                .with_help(
                    "name the language after the fence, e.g. ```rust, or ```text for plain output",
                ),
            );
        }
    }
}
