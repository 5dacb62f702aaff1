use crate::lint::{DocContext, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports, once per language, that its snippets could not be checked: no
    /// `cargo`/`rustc` on PATH for Rust, or a configured external checker that
    /// cannot be started. It is never a silent pass: the snippets are listed as
    /// unchecked.
    ///
    /// ## Why
    /// A green run that checked nothing is worse than a red one.
    ///
    /// ## Example
    /// `ruledoc.toml` configures a checker that is not installed:
    /// ```toml
    /// [snippets.external.python]
    /// command = "ruff check --select F821 {file}"
    /// ```
    ///
    /// Use instead: install the checker (`pip install ruff`), or remove it from
    /// the configuration.
    pub struct CheckerUnavailable {
        code: "RD306",
        name: "checker-unavailable",
        severity: Warning,
        fixable: false,
    }
}

impl Rule for CheckerUnavailable {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Snippets are compiled after every document is read: the work is done
    /// in `snippets`, by `check` and `snippets verify` (never by `lint`).
    fn check(&self, _ctx: &DocContext, _out: &mut Findings) {}
}
