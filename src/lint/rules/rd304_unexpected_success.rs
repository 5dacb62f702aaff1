use crate::diagnostic::Diagnostic;
use crate::lint::{Rule, declare_rule};
use crate::snippets::{Problem, Verdict};

declare_rule! {
    /// ## What it does
    /// Reports a `compile_fail` Rust snippet that compiles, or that fails with
    /// another error than the one it declares (`compile_fail,E0382`). The error code
    /// is checked on stable Rust, through the compiler's JSON diagnostics.
    ///
    /// ## Why
    /// An ❌ example is there to show what the compiler rejects; one that compiles
    /// shows nothing, or the wrong thing.
    ///
    /// ## Example
    /// ````markdown
    /// ```rust,compile_fail,E0382
    /// let a = String::new();
    /// let b = a.clone();
    /// println!("{a}");
    /// ```
    /// ````
    ///
    /// Use instead (it really moves `a`):
    /// ````markdown
    /// ```rust,compile_fail,E0382
    /// let a = String::new();
    /// let b = a;
    /// println!("{a}");
    /// ```
    /// ````
    pub struct UnexpectedSuccess {
        code: "RD304",
        name: "unexpected-success",
        severity: Error,
        kind: Verdict,
        fix: Never,
    }
}

impl Rule for UnexpectedSuccess {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// At the snippet's opening fence: the declared verdict it did not meet.
    fn check_verdicts(&self, verdicts: &[Verdict], out: &mut Vec<Diagnostic>) {
        for v in verdicts {
            if let Some(Problem::Unexpected(message)) = &v.problem {
                out.push(super::at_fence(&Self::META, v, message.clone()));
            }
        }
    }
}
