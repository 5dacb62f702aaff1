use crate::diagnostic::Diagnostic;
use crate::lint::{Rule, declare_rule};
use crate::snippets::{Problem, Verdict};

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
        kind: Verdict,
        fix: Never,
    }
}

impl Rule for SnippetRunFailure {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// At the snippet's opening fence: how the run went wrong.
    fn check_verdicts(&self, verdicts: &[Verdict], out: &mut Vec<Diagnostic>) {
        for v in verdicts {
            if let Some(Problem::Run(message)) = &v.problem {
                out.push(super::at_fence(&Self::META, v, message.clone()));
            }
        }
    }
}
