use crate::diagnostic::Diagnostic;
use crate::lint::{Rule, declare_rule};
use crate::snippets::{Problem, Verdict};

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
        kind: Verdict,
        fix: Never,
    }
}

impl Rule for CheckerUnavailable {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Once per language, at the first of its snippets (in walk order) that
    /// could not be checked; the others are listed as unchecked in reports.
    fn check_verdicts(&self, verdicts: &[Verdict], out: &mut Vec<Diagnostic>) {
        let mut said: Vec<&str> = Vec::new();
        for v in verdicts {
            let Some(Problem::Unavailable(why)) = &v.problem else {
                continue;
            };
            let lang = v.outcome.lang.as_str();
            if said.contains(&lang) {
                continue;
            }
            said.push(lang);
            let shown = if lang == "rust" { "Rust" } else { lang };
            out.push(super::at_fence(
                &Self::META,
                v,
                format!("{shown} snippets were not checked: {why}"),
            ));
        }
    }
}
