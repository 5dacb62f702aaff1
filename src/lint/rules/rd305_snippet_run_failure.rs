use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// With `--run` (it is off by default: running a snippet runs someone else's
    /// code), reports a Rust snippet that compiles but fails when run: it panics
    /// or exits with an error, it does not finish within `[snippets.rust]
    /// run_timeout` seconds, or it is marked `should_panic` and does not panic.
    ///
    /// ## Why
    /// An example that compiles can still be wrong; its asserts say how.
    ///
    /// ## Example
    /// ````markdown
    /// ```rust
    /// assert_eq!(1 + 1, 3);
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```rust
    /// assert_eq!(1 + 1, 2);
    /// ```
    /// ````
    pub struct SnippetRunFailure {
        code: "RD305",
        name: "snippet-run-failure",
        severity: Error,
        fixable: false,
    }
}

impl Rule for SnippetRunFailure {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Snippets are compiled after every document is read: the work is done
    /// in `snippets`, by `check` and `snippets verify` (never by `lint`).
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
