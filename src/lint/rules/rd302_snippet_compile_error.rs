use crate::diagnostic::{Diagnostic, Label};
use crate::lint::{Rule, declare_rule};
use crate::snippets::{Problem, Verdict};

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
        kind: Verdict,
        fix: Never,
    }
}

impl Rule for SnippetCompileError {
    fn meta(&self) -> &'static crate::lint::Meta {
        &Self::META
    }

    /// Each of rustc's errors, at its place in the Markdown, with rustc's
    /// code, labels and notes.
    fn check_verdicts(&self, verdicts: &[Verdict], out: &mut Vec<Diagnostic>) {
        for v in verdicts {
            let Some(Problem::Compile(errors)) = &v.problem else {
                continue;
            };
            for e in errors {
                let code = e
                    .code
                    .as_deref()
                    .map(|c| format!("[{c}] "))
                    .unwrap_or_default();
                let mut d = Diagnostic::at(
                    Self::META.code,
                    Self::META.severity,
                    &v.outcome.path,
                    e.range,
                    format!("{code}{}", e.message),
                );
                d.labels = e
                    .labels
                    .iter()
                    .map(|(range, message)| Label {
                        range: *range,
                        message: message.clone(),
                    })
                    .collect();
                if !e.notes.is_empty() {
                    d.help = Some(e.notes.join("; "));
                }
                out.push(d);
            }
        }
    }
}
