use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Rust snippet that does not compile, at the line and column of the
    /// error in the Markdown (hidden `# ` lines and macro expansions included).
    /// Blocks are read the way rustdoc reads them: `ignore` is not compiled,
    /// `no_run` is compiled but never run, hidden lines are compiled, a snippet
    /// without `fn main` is wrapped in one, and a last line ending in `(())` lets `?`
    /// be used at the top level. Checked by `check` and `snippets verify`.
    ///
    /// ## Why
    /// An example that no longer compiles teaches the wrong API, and an agent copies
    /// it faithfully.
    ///
    /// ## Example
    /// ````markdown
    /// ```rust
    /// let total: u32 = "12".parse();
    /// ```
    /// ````
    ///
    /// Use instead:
    /// ````markdown
    /// ```rust
    /// let total: u32 = "12".parse().unwrap();
    /// ```
    /// ````
    pub struct SnippetCompileError {
        code: "RD302",
        name: "snippet-compile-error",
        severity: Error,
        fixable: false,
    }
}

impl Rule for SnippetCompileError {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Snippets are compiled after every document is read: the work is done
    /// in `snippets`, by `check` and `snippets verify` (never by `lint`).
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
